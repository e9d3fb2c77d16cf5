/**
 * Fuzzing the LaTeX front end: formulas as the notes write them, fragments of
 * them glued together at random, and smooth scalar functions whose value and
 * finite-difference check must come out finite and agreeing.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { allFinite, differentiateOrRefuse, reportSlowest } from './core';
import { fuzzRuns } from './runs';

after(() => reportSlowest('latex'));

const scalarName = fc.constantFrom(
  'x',
  'y',
  'z',
  't',
  'a',
  'b',
  '\\theta',
  '\\alpha',
  'x_1',
  'x_{2}',
  'w_{ij}',
);
const vectorName = fc.constantFrom(
  '\\mathbf{x}',
  '\\mathbf{w}',
  '\\mathbf{b}',
  '\\boldsymbol{\\mu}',
  '\\vec{v}',
);
const matrixName = fc.constantFrom('A', 'W', 'X', '\\Sigma', 'B');
const number = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map(String),
  fc.constantFrom('0.5', '\\pi', 'e', '\\frac{1}{2}', '1e400', '10^{999}', '0', '2.5'),
);
const prototypeName = fc.constantFrom(
  '\\mathrm{constructor}',
  '\\operatorname{toString}',
  '\\text{valueOf}',
  '\\mathbf{__proto__}',
  '\\hasOwnProperty',
  'x_{constructor}',
);

/** Realistic formulas: scalars, vectors and matrices combined as the notes combine them. */
const { formula } = fc.letrec<{ formula: string; scalar: string; vector: string; matrix: string }>((tie) => ({
  scalar: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarName,
    number,
    fc
      .tuple(tie('scalar'), fc.constantFrom('+', '-', '', '\\cdot ', '*'), tie('scalar'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `\\frac{${a}}{${b}}`),
    fc
      .tuple(tie('scalar'), fc.constantFrom('2', '3', '-1', '{1/2}', 'x', '{n}'))
      .map(([a, p]) => `(${a})^${p}`),
    fc
      .tuple(
        fc.constantFrom(
          '\\sin',
          '\\cos',
          '\\exp',
          '\\ln',
          '\\log',
          '\\tanh',
          '\\sigma',
          '\\sqrt',
          '\\arctan',
        ),
        tie('scalar'),
      )
      .map(([f, a]) => (f === '\\sqrt' ? `\\sqrt{${a}}` : `${f}\\left(${a}\\right)`)),
    tie('vector').map((v) => `\\|${v}\\|^2`),
    fc.tuple(tie('vector'), tie('vector')).map(([u, v]) => `${u}^\\top ${v}`),
    fc.tuple(tie('vector'), tie('matrix'), tie('vector')).map(([u, m, v]) => `${u}^\\top ${m} ${v}`),
    fc
      .tuple(fc.constantFrom('\\operatorname{tr}', '\\det', '\\log\\det'), tie('matrix'))
      .map(([f, m]) => `${f}(${m})`),
    tie('vector').map((v) => `\\operatorname{logsumexp}(${v})`),
    tie('vector').map((v) => `\\sum_i ${v}_i`),
  ),
  vector: fc.oneof(
    { depthSize: 'small' },
    vectorName,
    fc.tuple(tie('matrix'), tie('vector')).map(([m, v]) => `${m}${v}`),
    fc
      .tuple(tie('vector'), fc.constantFrom('+', '-', '\\odot'), tie('vector'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('scalar'), tie('vector')).map(([s, v]) => `${s} ${v}`),
    fc
      .tuple(
        fc.constantFrom('\\sigma', '\\tanh', '\\exp', '\\operatorname{softmax}', '\\operatorname{ReLU}'),
        tie('vector'),
      )
      .map(([f, v]) => `${f}(${v})`),
    fc
      .array(tie('scalar'), { minLength: 1, maxLength: 3 })
      .map((xs) => `\\begin{bmatrix} ${xs.join(' \\\\ ')} \\end{bmatrix}`),
  ),
  matrix: fc.oneof(
    { depthSize: 'small' },
    matrixName,
    fc
      .tuple(tie('matrix'), fc.constantFrom('+', '-', '', '\\odot'), tie('matrix'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(tie('matrix'), fc.constantFrom('^\\top', '^{-1}', '^2')).map(([m, p]) => `(${m})${p}`),
    fc.tuple(tie('vector'), tie('vector')).map(([u, v]) => `${u}${v}^\\top`),
    fc.tuple(tie('scalar'), tie('matrix')).map(([s, m]) => `${s}I + ${m}`),
  ),
  formula: fc.oneof(
    tie('scalar'),
    tie('vector'),
    tie('matrix'),
    fc
      .tuple(fc.constantFrom('f(x)', 'f(x, y)', 'L(\\mathbf{w})', 'f(W)'), tie('scalar'))
      .map(([h, b]) => `${h} = ${b}`),
  ),
}));

/** Pieces of LaTeX that break parsers: unbalanced groups, missing arguments, stray scripts, environments. */
const fragment = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '(',
    ')',
    '[',
    ']',
    '\\{',
    '\\}',
    '\\left(',
    '\\right)',
    '\\left.',
    '\\right|',
    '\\|',
    '|',
    '\\frac',
    '\\frac{',
    '\\frac{1}',
    '\\sqrt',
    '\\sqrt[3]',
    '^',
    '_',
    '^^',
    '__',
    '^{',
    '_{',
    "'",
    '!',
    '\\begin{bmatrix}',
    '\\end{bmatrix}',
    '\\begin{pmatrix}',
    '\\begin{cases}',
    '\\end{cases}',
    '&',
    '\\\\',
    '\\operatorname',
    '\\operatorname{',
    '\\mathbf',
    '\\mathbf{',
    '\\text{',
    '\\mathbb{R}',
    '\\in',
    ',',
    ';',
    '=',
    '\\sum',
    '\\sum_{i=1}^{n}',
    '\\prod',
    '\\int',
    '\\partial',
    '\\nabla',
    '\\langle',
    '\\rangle',
    '\\cdot',
    '\\odot',
    '\\otimes',
    '\\top',
    '\\intercal',
    'T',
    '\\dots',
    '\\ldots',
    '$',
    '$$',
    '\\(',
    '\\)',
    '%',
    '#',
    '\\',
    '\\\\\\',
    '\\max',
    '\\min',
    '\\det',
    '\\operatorname{tr}',
    '\\operatorname{diag}',
    '\\mathbf{1}',
    '\\mathbf{0}',
    'I',
    'e^',
    '\\exp',
    '\\ln',
    '\\log_2',
    '10^{999}',
    '1e400',
    '0^',
    '-',
    '+',
    '*',
    '/',
    '\\!',
    '\\,',
    '\\quad',
    '~',
    '\u00a0',
    'α',
    'ℝ',
    '∑',
    '−',
    '×',
    '\u0000',
    '\ud800',
    '😀',
  ),
  scalarName,
  vectorName,
  matrixName,
  number,
  prototypeName,
);

test('formulas as the notes write them: only LensError escapes, each call within its budget', () => {
  fc.assert(
    fc.property(
      formula,
      fc.constantFrom(undefined, 'gradient', 'jacobian', 'hessian', 'derivative'),
      (e, op) => {
        differentiateOrRefuse(e, op ? { op } : {});
      },
    ),
    { numRuns: fuzzRuns(150) },
  );
});

test('fragments glued together at random: only LensError escapes', () => {
  fc.assert(
    fc.property(fc.array(fragment, { maxLength: 14 }), fc.constantFrom('', ' '), (parts, sep) => {
      differentiateOrRefuse(parts.join(sep));
    }),
    { numRuns: fuzzRuns(400) },
  );
});

test('arbitrary text, including unicode: only LensError escapes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      differentiateOrRefuse(s);
    }),
    { numRuns: fuzzRuns(300) },
  );
});

/** Smooth functions of x and y, bounded so that no value overflows for |x|, |y| ≤ 2. */
const smooth = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('x', 'y'),
    fc.integer({ min: 1, max: 5 }).map(String),
    fc
      .tuple(tie('f'), fc.constantFrom('+', '-', '\\cdot'), tie('f'))
      .map(([a, o, b]) => `(${a}) ${o} (${b})`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `\\frac{${a}}{1 + (${b})^2}`),
    fc
      .tuple(fc.constantFrom('\\sin', '\\cos', '\\tanh', '\\sigma', '\\arctan'), tie('f'))
      .map(([f, a]) => `${f}\\left(${a}\\right)`),
    tie('f').map((a) => `\\sqrt{1 + (${a})^2}`),
    tie('f').map((a) => `\\ln\\left(2 + \\sin(${a})\\right)`),
    tie('f').map((a) => `e^{\\cos(${a})}`),
  ),
}));
const coordinate = fc.double({ min: -2, max: 2, noNaN: true });

test('smooth scalar functions at random points: finite value, and the check never disagrees', () => {
  fc.assert(
    fc.property(smooth.f, coordinate, coordinate, (f, x, y) => {
      const r = differentiateOrRefuse(`${f} + x y`, { at: { x, y }, check: true });
      assert.ok(r, `refused ${f}`);
      assert.ok(allFinite(r.value), `value ${JSON.stringify(r.value)}`);
      assert.notEqual(r.check?.verdict, 'disagrees', r.check?.message ?? 'no check');
    }),
    { numRuns: fuzzRuns(150) },
  );
});
