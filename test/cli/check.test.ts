import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'lens-check-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const right = file('right.md', '# Notes\n\n$$(x+1)^2 = x^2 + 2x + 1$$\n');
const wrong = file('wrong.md', 'Some text\n\n$$(x+1)^2 = x^2 + 2x + 1 = x^2 + 1$$\n');

describe('jacobian-lens check', () => {
  it('exit 0 and no output when every step holds; --all prints each step', () => {
    const r = cli('check', right);
    assert.equal(r.code, 0);
    assert.equal(r.out, '');
    const all = cli('check', '--all', right);
    assert.equal(all.code, 0);
    assert.equal(all.out, `${right}:3:11: holds: (x+1)^2 = x^2 + 2x + 1: at 3 random points`);
  });

  it('exit 1 and a linter line for a wrong step', () => {
    const r = cli('check', wrong);
    assert.equal(r.code, 1);
    const lines = r.out.split('\n');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      new RegExp(
        `^${wrong.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:26: wrong: x\\^2 \\+ 2x \\+ 1 = x\\^2 \\+ 1 does not hold; the left side is `,
      ),
    );
  });

  it('--json prints exactly the issue keys for every step', () => {
    const r = cli('check', '--json', right, wrong);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out);
    assert.deepEqual(Object.keys(j), ['files']);
    assert.deepEqual(
      j.files.map((f: { file: string; steps: unknown[] }) => [f.file, f.steps.length]),
      [
        [right, 1],
        [wrong, 2],
      ],
    );
    for (const f of j.files)
      for (const s of f.steps)
        assert.deepEqual(Object.keys(s), [
          'line',
          'column',
          'lhs',
          'rhs',
          'verdict',
          'layout',
          'reason',
          'expected',
        ]);
    const bad = j.files[1].steps[1];
    assert.equal(bad.verdict, 'wrong');
    assert.equal(bad.line, 3);
    assert.equal(bad.column, 26);
    assert.equal(bad.rhs, 'x^2 + 1');
    assert.equal(typeof bad.expected, 'string');
    assert.equal(j.files[0].steps[0].expected, null);
  });

  it('exit 2 for a missing file or a bad option, with one line on stderr', () => {
    const missing = cli('check', join(dir, 'nope.md'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read .*nope\.md/);
    const bad = cli('check', '--format', 'html', right);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format must be one of latex, markdown/);
    assert.equal(cli('check').code, 2);
    assert.equal(cli('check', '--nope', right).code, 2);
  });

  it('.tex files are read as LaTeX; --format overrides the extension', () => {
    const tex = file('n.tex', '\\begin{align}\n(x+1)^2 &= x^2 + 1\n\\end{align}\n% $$x = 2 = 3$$\n');
    const r = cli('check', '--json', tex);
    assert.deepEqual(
      JSON.parse(r.out).files[0].steps.map((s: { verdict: string }) => s.verdict),
      ['wrong'],
    );
    // As Markdown, the % line is not a comment: its $$…$$ is a chain too (x = 2 defines x; 2 = 3 is wrong).
    const md = cli('check', '--json', '--format', 'markdown', tex);
    assert.equal(JSON.parse(md.out).files[0].steps.length, 2);
  });

  it('--layout: a step that holds only in denominator layout is a finding unless that layout is given', () => {
    const note = file(
      'layout.md',
      '$\\mathbf{x} \\in \\mathbb{R}^n$, $A \\in \\mathbb{R}^{m \\times n}$\n\n$$\\frac{\\partial A\\mathbf{x}}{\\partial \\mathbf{x}} = A^T$$\n',
    );
    const numerator = cli('check', note);
    assert.equal(numerator.code, 0);
    assert.match(numerator.out, /:3:\d+: layout: .* holds in denominator layout only$/);
    const denominator = cli('check', '--layout', 'denominator', note);
    assert.equal(denominator.code, 0);
    assert.equal(denominator.out, '');
  });

  it('--help prints the usage', () => {
    const r = cli('check', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /jacobian-lens check \[options\] FILE/);
  });
});
