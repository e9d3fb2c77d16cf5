import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { inScope, readNote, scopeAt, type Claim, type Note } from '../../src/notes/note';
import { position } from '../../src/notes/lines';

const claimAt = (note: Note, lhs: string): Claim => {
  const c = note.claims.find((x) => x.lhs.latex === lhs);
  assert.ok(c, `no claim with left side ${lhs}: ${note.claims.map((x) => x.lhs.latex).join(' | ')}`);
  return c;
};

test('a chain A = B = C is two claims, each at its = (1-based line and column)', () => {
  const text =
    'Intro\n$$\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2 = \\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x} = 2\\mathbf{x}$$\n';
  const note = readNote(text, 'markdown');
  assert.deepEqual(
    note.claims.map((c) => [c.lhs.latex, c.rhs.latex]),
    [
      ['\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2', '\\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x}'],
      ['\\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x}', '2\\mathbf{x}'],
    ],
  );
  const first = note.claims[0];
  assert.equal(text[first.relation.start], '=');
  assert.deepEqual(position(note.lines, first.relation.start), { line: 2, column: 40 });
  assert.equal(text.slice(note.claims[1].rhs.start, note.claims[1].rhs.end), '2\\mathbf{x}');
});

test('align rows: &= lines continue the chain of the line before', () => {
  const text = '\\begin{align}\nf(x) &= (x+1)^2 \\\\\n&= x^2 + 2x + 1 \\label{e}\n\\end{align}';
  const note = readNote(text, 'latex');
  assert.deepEqual(
    note.claims.map((c) => [c.lhs.latex, c.rhs.latex]),
    [['(x+1)^2', 'x^2 + 2x + 1']],
  );
  // f(x) = (x+1)^2 defines f.
  assert.deepEqual(
    note.definitions.map((d) => [d.names, d.latex]),
    [[['f'], 'f(x) = (x+1)^2']],
  );
});

test('a display starting with = continues the chain of the display before it', () => {
  const text = '$$\\frac{d}{dx} x^3 = 3x^2 \\cdot 1$$\n\nso\n\n$$= 3x^2$$';
  const note = readNote(text, 'markdown');
  assert.deepEqual(
    note.claims.map((c) => [c.lhs.latex, c.rhs.latex]),
    [
      ['\\frac{d}{dx} x^3', '3x^2 \\cdot 1'],
      ['3x^2 \\cdot 1', '3x^2'],
    ],
  );
});

test('definitions: bare names and functions of names; y = f(x) = … defines both; s = softmax(x) = … defines s and claims the rest', () => {
  const note = readNote(
    [
      '$f(x, y) = 3x^2y$',
      '$y = f(x) = x + x^2$',
      '$\\mathbf{y} = A\\mathbf{x}$',
      '$\\mathbf{s} = \\operatorname{softmax}(\\mathbf{x}) = \\frac{\\exp(\\mathbf{x})}{\\mathbf{1}^T\\exp(\\mathbf{x})}$',
      "$f'(x) = 1 + 2x$",
    ].join('\n'),
    'markdown',
  );
  assert.deepEqual(
    note.definitions.map((d) => d.names),
    [['f'], ['y', 'f'], ['y'], ['s']],
  );
  assert.deepEqual(
    note.claims.map((c) => c.lhs.latex),
    ['\\operatorname{softmax}(\\mathbf{x})', "f'(x)"],
  );
});

test('declarations and shape claims', () => {
  const note = readNote(
    '$\\mathbf{x} \\in \\mathbb{R}^n$ and $\\frac{\\partial y}{\\partial \\mathbf{x}} \\in \\mathbb{R}^{1 \\times n}$',
    'markdown',
  );
  assert.deepEqual(
    note.declarations.map((d) => [d.names, d.latex]),
    [[['x'], '\\mathbf{x} \\in \\mathbb{R}^n']],
  );
  assert.deepEqual(
    note.claims.map((c) => [c.kind, c.lhs.latex, c.rhs.latex]),
    [['shape', '\\frac{\\partial y}{\\partial \\mathbf{x}}', '\\mathbb{R}^{1 \\times n}']],
  );
});

test('scopes: to the end of the section (same or higher level heading); a later definition overrides', () => {
  const text = [
    '$c = 1$', // before the first heading: the whole note
    '# A',
    '$z = x^2$',
    '## A.1',
    '$z = x^3$',
    '$z + c = w$',
    '## A.2',
    '$z + c = v$',
    '# B',
    '$z + c = u$',
  ].join('\n');
  const note = readNote(text, 'markdown');
  const names = (lhsRhs: string) => {
    const claim = note.claims.find((c) => c.rhs.latex === lhsRhs)!;
    return inScope(note, claim).definitions.map((d) => d.latex);
  };
  assert.deepEqual(names('w'), ['c = 1', 'z = x^3']);
  assert.deepEqual(names('v'), ['c = 1', 'z = x^2']);
  assert.deepEqual(names('u'), ['c = 1']);
});

test('LaTeX sections scope definitions; % comments and code fences are not headings', () => {
  const tex =
    '\\section{A}\n$z = x^2$\n\\subsection{B}\n$z + 1 = w$\n% \\section{C}\n\\section{D}\n$z + 1 = v$';
  const note = readNote(tex, 'latex');
  assert.deepEqual(
    inScope(note, claimAt(note, 'z + 1')).definitions.map((d) => d.latex),
    ['z = x^2'],
  );
  assert.deepEqual(inScope(note, note.claims[1]).definitions, []);
  const md = '$z = x$\n```\n# not a heading\n```\n$z + 1 = w$';
  const m = readNote(md, 'markdown');
  assert.deepEqual(
    inScope(m, m.claims[0]).definitions.map((d) => d.latex),
    ['z = x'],
  );
});

test('no claims in prose, lists, other relations, \\quad-separated formulas are separate', () => {
  const note = readNote(
    '$x_1, \\dots, x_K$, $i \\not= j$, $a < b = c$, $$y = 2x \\quad z = y + 1 \\quad y + z = 3x + 1$$ 例如从$n=1000项后$',
    'markdown',
  );
  assert.deepEqual(
    note.claims.map((c) => [c.lhs.latex, c.rhs.latex]),
    [
      ['b', 'c'],
      ['y + z', '3x + 1'],
    ],
  );
});

test('reading random text never throws and stays linear', () => {
  const pieces = [
    '$',
    '$$',
    '=',
    '&=',
    '\\\\',
    '\\in',
    '\\mathbb{R}^{n}',
    'x',
    '\\frac{\\partial y}{\\partial x}',
    '\n',
    '# h\n',
    '\\begin{align}',
    '\\end{align}',
    '{',
    '}',
    '(',
    ')',
    '\\quad',
    'f(x)',
    ' ',
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 200 }), (parts) => {
      const text = parts.join('');
      for (const format of ['markdown', 'latex'] as const) {
        const note = readNote(text, format);
        for (const c of note.claims)
          assert.ok(c.lhs.start <= c.relation.start && c.relation.end <= c.rhs.end + 1);
      }
    }),
    { numRuns: 300 },
  );
  // A long note is read in time proportional to its length (a generous bound, not a timing).
  const long = '$$a + 1 = b + 1 = c + 1 \\\\ &= d$$ $x \\in \\mathbb{R}^n$\n'.repeat(5000);
  const note = readNote(long, 'markdown');
  assert.equal(note.claims.length, 15000);
  assert.equal(note.declarations.length, 5000);
});

test('scopeAt: the definitions and declarations that apply to the math at an offset', () => {
  const text = '$z = x^2$, $\\mathbf{w} \\in \\mathbb{R}^n$\n\n$$\\frac{dz}{dx} + 1$$\n\n# Next\n\n$z$';
  const note = readNote(text, 'markdown');
  const at = scopeAt(note, text.indexOf('\\frac{dz}'));
  assert.deepEqual(
    at.definitions.map((d) => d.latex),
    ['z = x^2'],
  );
  assert.deepEqual(
    at.declarations.map((d) => d.latex),
    ['\\mathbf{w} \\in \\mathbb{R}^n'],
  );
  // Before the first heading applies to the whole note; a region's own definition does not apply to itself.
  assert.deepEqual(
    scopeAt(note, text.lastIndexOf('z')).definitions.map((d) => d.latex),
    ['z = x^2'],
  );
  assert.deepEqual(scopeAt(note, 2).definitions, []);
});

test('a claim of symmetry is a declaration, restated as Σ = Σᵀ for each name', () => {
  const note = readNote(
    '$A, B \\succ 0$ and $\\Sigma^{\\top} = \\Sigma$, $S \\in \\mathbb{S}^n$',
    'markdown',
  );
  assert.deepEqual(
    note.declarations.map((d) => d.latex),
    ['A = A^\\top', 'B = B^\\top', '\\Sigma = \\Sigma^\\top', 'S \\in \\mathbb{S}^n'],
  );
});
