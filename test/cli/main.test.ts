import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { cli } from './cli';

describe('jacobian-lens CLI contract', () => {
  it('prints the readable result by default', () => {
    const r = cli('f(x,y)=3x^2y');
    assert.equal(r.code, 0);
    assert.match(r.out, /^\[6xy, 3x²\]\n/);
  });

  it('--json prints one object with op, wrt, latex, text and value at --at', () => {
    const r = cli('--json', '--at', '{"x": 2, "y": 5}', 'f(x,y)=3x^2y');
    const j = JSON.parse(r.out);
    assert.equal(j.op, 'gradient');
    assert.deepEqual(
      j.wrt.map((w: { name: string; shape: string }) => [w.name, w.shape]),
      [
        ['x', 'scalar'],
        ['y', 'scalar'],
      ],
    );
    assert.equal(j.text, '[6xy, 3x²]');
    assert.deepEqual(j.value, [60, 12]);
    assert.equal(j.code, undefined);
  });

  it('--json --emit: the code in the language asked for', () => {
    const j = JSON.parse(cli('--json', '--emit', 'ts', 'f(x,y)=3x^2y').out);
    assert.deepEqual(Object.keys(j.code), ['ts']);
    assert.match(j.code.ts, /^export function grad_f\(x: number, y: number\): number\[\] \{$/m);
  });

  it('--wrt stacks several scalars; --layout denominator transposes a Jacobian', () => {
    const j = JSON.parse(
      cli(
        '--json',
        '--wrt',
        'y,x',
        '--layout=denominator',
        '--at',
        '{"x":1,"y":2}',
        '--',
        '[x*y, Math.sin(x)]',
      ).out,
    );
    assert.deepEqual(j.value, [
      [1, 0],
      [2, Math.cos(1)],
    ]);
  });

  it('--op hessian of an n-vector function is n×n; --let and --dims fix sizes', () => {
    const j = JSON.parse(
      cli(
        '--json',
        '--op',
        'hessian',
        '--let',
        'A \\in \\mathbb{R}^{n\\times n}',
        '--dims',
        'n=2',
        '\\mathbf{x}^\\top A \\mathbf{x}',
        '--at',
        '{"x":[1,2],"A":[[1,2],[3,4]]}',
      ).out,
    );
    assert.equal(j.latex, 'A + A^\\top');
    assert.deepEqual(j.value, [
      [2, 5],
      [5, 8],
    ]);
  });

  it('a gradient with respect to a matrix has its shape', () => {
    const j = JSON.parse(
      cli('--json', '--wrt', 'X', '\\operatorname{tr}(AX)', '--at', '{"A":[[1,2],[3,4]],"X":[[0,0],[0,0]]}')
        .out,
    );
    assert.deepEqual(j.value, [
      [1, 3],
      [2, 4],
    ]);
  });

  it('bad input: exit 2 and one line with the column, no stack trace', () => {
    for (const input of ['\\frac{1}{', '', '3x +', 'x^{2', '('.repeat(300) + 'x' + ')'.repeat(300)]) {
      const r = cli(input);
      assert.equal(r.code, 2, input);
      assert.equal(r.err.split('\n').length, 1, r.err);
      assert.doesNotMatch(r.err, /\n\s+at /);
      assert.match(r.err, /^jacobian-lens: /);
    }
    assert.match(cli('\\frac{1}{').err, /expected } to close \\frac/);
  });

  it('usage errors: exit 2 with the usage line', () => {
    assert.equal(cli('--op', 'curl', 'x').code, 2);
    assert.equal(cli('--at', '{"x": "a"}', 'x').code, 2);
    assert.equal(cli().code, 2);
    assert.equal(cli('--help').code, 0);
  });

  it('runs as a process: exit code 2 and stderr on error, within a second for huge input', () => {
    const big = '('.repeat(20000) + 'x' + ')'.repeat(20000);
    const start = Date.now();
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', big], { encoding: 'utf8' });
    assert.equal(p.status, 2);
    assert.match(p.stderr, /^jacobian-lens: expression is too long/);
    assert.ok(Date.now() - start < 5000);
  });
});

describe('CLI arguments that look like options', () => {
  it('an expression that begins with - is an expression, with or without --', () => {
    for (const argv of [['-x^2'], ['--', '-x^2'], ['--lang', 'ts', '--', '-(x ** 2)']]) {
      const r = cli(...argv);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^−2x\n/);
    }
    const r = cli('--lang', 'ts', '-Math.log(p) * y');
    assert.equal(r.code, 0, r.err);
  });

  it('crashes found by fuzzing exit 2 with a message, never "internal error"', () => {
    for (const argv of [
      ['--lang', 'ts', '--check', '() => x'],
      ['--lang', 'ts', '--op', 'derivative', '() => [0.5]'],
      ['--at', '{"x":[1,2]}', 'x^2'],
      ['--wrt', 'x,x', 'x^2'],
      ['--check', '\\det(a + A)'],
      ['--lang', 'ts', '(x) => ' + Array(4990).fill('x').join('+')],
    ]) {
      const r = cli(...argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /^jacobian-lens: (?!internal error)/);
    }
    const ok = cli('--check', '\\langle y + 10^{X}, y \\rangle');
    assert.equal(ok.code, 0, ok.err);
  });
});

describe('derivative notation and definitions in the CLI', () => {
  it('an expression that writes its derivative prints the derivative', () => {
    const r = cli('\\frac{\\partial}{\\partial x} \\sin(x^2)');
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.split('\n')[0], '2x·cos(x²)');
    assert.match(r.out, /the derivatives written, evaluated; numerator layout/);
  });

  it('--json has op "evaluate"; --def defines names and the result lists those used', () => {
    const r = cli(
      '--json',
      '--def',
      'z = \\mathbf{w}\\cdot\\mathbf{x} + b',
      '\\frac{\\partial z}{\\partial \\mathbf{w}}',
    );
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { op: string; latex: string; usedDefinitions: string[] };
    assert.equal(j.op, 'evaluate');
    assert.equal(j.latex, '\\mathbf{x}^\\top');
    assert.deepEqual(j.usedDefinitions, ['z']);
    const text = cli('--def', 'u = x^2', '--def', 'v = \\sin u', '\\frac{dv}{dx}');
    assert.match(text.out, /using the definitions of v, u/);
  });

  it('--op evaluate is accepted; bad notation exits 2 with the column', () => {
    assert.equal(cli('--op', 'evaluate', 'x + x').out.split('\n')[0], '2x');
    const r = cli('\\frac{\\partial}{\\partial}');
    assert.equal(r.code, 2);
    assert.equal(r.err, 'jacobian-lens: expected a variable after \\partial at column 25');
  });
});
