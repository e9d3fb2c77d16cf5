import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { candidateVariables, collectDeclarations, differentiateAt } from '../../src/extension/engine/engine';
import { readPoint } from '../../src/extension/host/point';

const notes = [
  '# Quadratic forms', // line 1
  '',
  'Let $\\mathbf{x} \\in \\mathbb{R}^n$ be a vector', // line 3
  'and $A \\in \\mathbb{R}^{n \\times n}$ a matrix.', // line 4
  '',
  'The form $\\mathbf{x}^\\top A \\mathbf{x}$ has a gradient.', // line 6
  '',
  'Broken: $\\frac{a}{b$.',
  '',
  'Later: $\\mathbf{y} \\in \\mathbb{R}^m$.',
].join('\n');

test('declarations written before the formula are picked up with their lines and passed to the core', () => {
  const outcome = differentiateAt(
    { text: notes, languageId: 'markdown' },
    notes.indexOf('^\\top A'),
    DEFAULT_SETTINGS,
  );
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  assert.deepEqual(
    outcome.declarations.map((d) => [d.name, d.latex, d.line]),
    [
      ['x', '\\mathbf{x} \\in \\mathbb{R}^n', 3],
      ['A', 'A \\in \\mathbb{R}^{n \\times n}', 4],
    ],
  );
  assert.equal(outcome.result.latex, '\\left(A + A^\\top\\right) \\mathbf{x}');
  assert.ok(outcome.result.assumptions.some((a) => a.text === 'A: matrix(n×n) (declared)'));
});

test('declarations after the formula are not used', () => {
  const names = collectDeclarations(notes, 'markdown', notes.indexOf('Broken')).map((d) => d.name);
  assert.deepEqual(names, ['x', 'A']);
});

test('declarations in TypeScript comments are picked up', () => {
  const ts = '// w \\in \\mathbb{R}^n\nconst loss = (w) => Math.exp(w);\n';
  assert.deepEqual(
    collectDeclarations(ts, 'typescript', ts.indexOf('const')).map((d) => [d.name, d.line]),
    [['w', 1]],
  );
});

test('a parse error inside recognised math is one line with the column in the formula', () => {
  const outcome = differentiateAt(
    { text: notes, languageId: 'markdown' },
    notes.indexOf('{a}{b'),
    DEFAULT_SETTINGS,
  );
  assert.equal(outcome?.kind, 'error');
  if (outcome?.kind !== 'error') return;
  assert.match(outcome.message, /^expected } to close \\frac.* at column 11$/);
  assert.equal(outcome.internal, undefined);
});

test('in a return value the column counts from the value, not from the parameters put in front', () => {
  const ts = 'function loss(w, b) {\n  return (w * 3 + b - 2) ** 2 + Math.foo(w);\n}';
  const outcome = differentiateAt(
    { text: ts, languageId: 'typescript' },
    ts.indexOf('w * 3'),
    DEFAULT_SETTINGS,
  );
  assert.equal(outcome?.kind, 'error');
  if (outcome?.kind !== 'error') return;
  const column = Number(/at column (\d+)$/.exec(outcome.message)?.[1]);
  assert.equal('(w * 3 + b - 2) ** 2 + Math.foo(w)'.indexOf('Math.foo') + 1, column);
});

test('settings: default operation, layout, maximum length and vector names', () => {
  const doc = { text: 'Here $x^\\top x + \\sin(y)$ is.', languageId: 'markdown' };
  const at = doc.text.indexOf('\\sin');
  const hessian = differentiateAt(doc, at, { ...DEFAULT_SETTINGS, defaultOperation: 'hessian' });
  assert.equal(hessian?.kind === 'result' && hessian.result.op, 'hessian');
  const vector = differentiateAt(doc, at, { ...DEFAULT_SETTINGS, vectorNames: ['x'] });
  assert.equal(
    vector?.kind === 'result' && vector.result.wrt.find((v) => v.name === 'x')?.shape,
    'vector(n)',
  );
  const tooLong = differentiateAt(doc, at, { ...DEFAULT_SETTINGS, maxExpressionLength: 5 });
  assert.match(tooLong?.kind === 'error' ? tooLong.message : '', /too long/);
});

test('overrides: variables, layout and a point', () => {
  const doc = { text: '$$ 3x^2y $$', languageId: 'markdown' };
  const o = differentiateAt(doc, 5, DEFAULT_SETTINGS, { wrt: ['y'], at: { x: 2, y: 1 } });
  assert.equal(o?.kind, 'result');
  if (o?.kind !== 'result') return;
  assert.deepEqual(
    o.result.wrt.map((v) => v.name),
    ['y'],
  );
  assert.deepEqual(o.result.value, 12);
});

test('nothing to differentiate at prose, a bare number or a constant formula; a broken one is reported', () => {
  const at = (text: string, needle: string) =>
    differentiateAt({ text, languageId: 'markdown' }, text.indexOf(needle), DEFAULT_SETTINGS);
  assert.equal(at('no math here', 'math'), undefined);
  assert.equal(at('the value $42$ is', '42'), undefined);
  assert.equal(at('half: $\\frac{1}{2}$', 'frac'), undefined);
  const broken = at('unfinished: $\\frac{1}{$ oops', 'frac');
  assert.equal(broken?.kind, 'error');
  assert.match(broken?.kind === 'error' ? broken.message : '', /column \d+$/);
});

test('candidate variables: parameters and free names, without constants and summation indices', () => {
  const math = {
    text: 'f(x, y) = a x + \\sum_i z_i + e^x',
    range: { start: 0, end: 30 },
    base: 0,
    lang: 'latex' as const,
  };
  assert.deepEqual(candidateVariables(math), ['x', 'y', 'a', 'z']);
});

test('readPoint reads JSON and name=value lists, and refuses anything else in words', () => {
  assert.deepEqual(readPoint('x=1, y=[1, 2]'), { ok: true, point: { x: 1, y: [1, 2] } });
  assert.deepEqual(readPoint('{"A": [[1, 2], [3, 4]]}'), {
    ok: true,
    point: {
      A: [
        [1, 2],
        [3, 4],
      ],
    },
  });
  assert.deepEqual(readPoint('  '), { ok: true, point: {} });
  for (const bad of ['x=foo', 'x', '{"x": "1"}', '[1, 2]', 'A=[[1, 2], [3]]', 'x=process.exit()']) {
    const r = readPoint(bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.doesNotMatch(r.message, /\n/);
  }
});

test('readPoint keeps a variable named __proto__ as a value, not as the prototype', () => {
  const r = readPoint('__proto__=[1, 2], constructor=3');
  assert.ok(r.ok);
  assert.deepEqual(Object.entries(r.point), [
    ['__proto__', [1, 2]],
    ['constructor', 3],
  ]);
  assert.equal(Object.getPrototypeOf(r.point), Object.prototype);
});

test('constants are not offered as variables: e, π, the ones and zero vectors, the identity', () => {
  const offered = (text: string) =>
    candidateVariables({ text, range: { start: 0, end: text.length }, base: 0, lang: 'latex' });
  assert.deepEqual(offered('\\mathbf{1}^\\top\\mathbf{x}'), ['x']);
  assert.deepEqual(offered('\\mathbf{1}_n^\\top\\mathbf{x} + \\mathbf{0}^\\top\\mathbf{y}'), ['x', 'y']);
  assert.deepEqual(offered('\\mathbf{x}^\\top (A + I) \\mathbf{x} + \\pi e^{t}'), ['x', 'A', 't']);
  // A bold e is a vector (a basis vector), not Euler's number.
  assert.deepEqual(offered('\\mathbf{e}^\\top\\mathbf{x}'), ['e', 'x']);
});

test('names inside derivative notation and applied functions are offered as variables', () => {
  const offered = (text: string) =>
    candidateVariables({ text, range: { start: 0, end: text.length }, base: 0, lang: 'latex' });
  assert.deepEqual(offered('\\frac{\\partial}{\\partial x} x^2 y + z'), ['x', 'y', 'z']);
  assert.deepEqual(offered('\\nabla_{\\mathbf{w}} \\mathbf{w}^\\top A \\mathbf{w}'), ['w', 'A']);
  assert.deepEqual(offered('f(a, b) + c'), ['a', 'b', 'c']);
});

test('every Greek letter the parser knows gets a hover: \\ell, \\varsigma, pasted ℓ and α', () => {
  for (const letter of ['\\ell', '\\varsigma', '\\varrho', '\\varkappa', 'ℓ', 'α']) {
    const text = `The norm $${letter}^2$ here.`;
    const outcome = differentiateAt({ text, languageId: 'markdown' }, text.indexOf('^2'), DEFAULT_SETTINGS);
    assert.equal(outcome?.kind, 'result', letter);
    if (outcome?.kind === 'result') assert.match(outcome.result.text, /^2[ℓσρκα]$/, letter);
  }
});

test('a document alignat: its column count is not part of the formula', () => {
  const text = '\\begin{alignat}{2}\n  y &= x^3 \\\\\n  z &= x^2\n\\end{alignat}';
  const at = (needle: string) => {
    const o = differentiateAt({ text, languageId: 'latex' }, text.indexOf(needle), DEFAULT_SETTINGS);
    return o?.kind === 'result' ? o.result.text : o?.kind;
  };
  assert.equal(at('x^3'), '3x²');
  assert.equal(at('x^2'), '2x');
});

test('a claim of symmetry in the notes applies: Σ⁻ᵀ reads Σ⁻¹', () => {
  const text = [
    'Let $\\Sigma \\succ 0$ and $P = P^\\top$.',
    '$$\\mathbf{a}^\\top \\Sigma^{-1} \\mathbf{a} + \\operatorname{tr}(P^{-1} \\Sigma)$$',
  ].join('\n');
  assert.deepEqual(
    collectDeclarations(text, 'markdown', text.length).map((d) => [d.name, d.latex]),
    [
      ['Sigma', '\\Sigma \\succ 0'],
      ['P', 'P = P^\\top'],
    ],
  );
  const outcome = differentiateAt(
    { text, languageId: 'markdown' },
    text.indexOf('\\mathbf{a}^'),
    DEFAULT_SETTINGS,
  );
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  // Undeclared, the gradient by Σ would have Σ⁻ᵀ and P⁻ᵀ.
  assert.ok(!outcome.result.text.includes('⁻ᵀ'), outcome.result.text);
  assert.ok(outcome.result.text.includes('⁻¹'), outcome.result.text);
});

test('a later claim of symmetry is kept beside the size declaration of the name, not in place of it', () => {
  const text = [
    'Let $\\Sigma \\in \\mathbb{R}^{k \\times k}$, then $\\Sigma \\succ 0$ and later $\\Sigma \\in \\mathbb{R}^{m \\times m}$.',
    '$$\\ln\\det\\Sigma$$',
  ].join('\n');
  const before = (needle: string) => text.indexOf(needle) + needle.length + 1;
  assert.deepEqual(
    collectDeclarations(text, 'markdown', before('\\succ 0')).map((d) => d.latex),
    ['\\Sigma \\in \\mathbb{R}^{k \\times k}', '\\Sigma \\succ 0'],
  );
  // A later size declaration replaces the earlier size only.
  assert.deepEqual(
    collectDeclarations(text, 'markdown', text.length).map((d) => d.latex),
    ['\\Sigma \\succ 0', '\\Sigma \\in \\mathbb{R}^{m \\times m}'],
  );
  const outcome = differentiateAt({ text, languageId: 'markdown' }, text.indexOf('\\ln'), DEFAULT_SETTINGS);
  assert.equal(outcome?.kind === 'result' && outcome.result.text, 'Σ⁻¹');
  assert.equal(outcome?.kind === 'result' && outcome.result.shape, 'matrix(m×m)');
});

test('Python: a hover in a .py file differentiates the def under the cursor; code in the library it calls', () => {
  const text = 'import jax.numpy as jnp\n\ndef f(x):\n    z = jnp.tanh(x)\n    return jnp.sum(z * z)\n';
  const hover = differentiateAt({ text, languageId: 'python' }, text.indexOf('tanh'), DEFAULT_SETTINGS);
  assert.ok(hover?.kind === 'result');
  assert.equal(hover.result.wrt[0].shape, 'vector(n)');
  const worked = differentiateAt({ text, languageId: 'python' }, text.indexOf('tanh'), DEFAULT_SETTINGS, {
    work: { code: true },
  });
  assert.ok(worked?.kind === 'result');
  assert.match(worked.result.code?.jax ?? '', /import jax\.numpy as jnp/);
  assert.match(worked.result.code?.torch ?? '', /torch\.tanh/);
  // Nothing on a line that is not a formula.
  assert.equal(
    differentiateAt({ text, languageId: 'python' }, text.indexOf('import'), DEFAULT_SETTINGS),
    undefined,
  );
});
