/**
 * `\sum_i` read term by term (src/core/indexed-sum.ts): each reading is checked against the sum
 * computed index by index at a random point, and its derivative against finite differences; a
 * body with no value per index that sums is refused, never summed wrongly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { derivation } from '../../src/core/derivation';
import { elaborate } from '../../src/core/elaborate';
import { parseLatex } from '../../src/core/parse/latex';
import { evaluate, type Tensor } from '../../src/core/eval';
import { LensError } from '../../src/core/errors';
import { checkNumerically, flat, randomPoint } from './numeric';

const DIMS = { n: 3, m: 4, k: 2, p: 5, q: 2, r: 3, N: 4 };

type Vec = number[];

/** Column j of a matrix (row-major data), or a vector's entries (j = 0). */
function column(t: Tensor, j: number): Vec {
  if (typeof t === 'number') return [t];
  return Array.from({ length: t.m }, (_, i) => t.data[i * t.n + j]);
}
const entries = (t: Tensor): Vec => column(t, 0);
const width = (t: Tensor): number => (typeof t === 'number' ? 1 : t.n);
const dot = (a: Vec, b: Vec): number => a.reduce((s, x, i) => s + x * b[i], 0);
const plus = (a: Vec, b: Vec): Vec => a.map((x, i) => x + b[i]);
const scaled = (c: number, a: Vec): Vec => a.map((x) => c * x);
/** A matrix times a vector. */
function times(a: Tensor, v: Vec): Vec {
  if (typeof a === 'number') return scaled(a, v);
  return Array.from({ length: a.m }, (_, i) => dot(Array.from(a.data.slice(i * a.n, (i + 1) * a.n)), v));
}
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const rowsOf = (t: Tensor): number => (typeof t === 'number' ? 1 : t.m);
const rowsOfMatrix = (t: Tensor): Vec[] =>
  Array.from({ length: rowsOf(t) }, (_, i) => Array.from({ length: width(t) }, (_, j) => entry(t, i, j)));
const entry = (t: Tensor, i: number, j: number): number => (typeof t === 'number' ? t : t.data[i * t.n + j]);
/** Σᵢ cᵢ 𝐚ᵢ𝐛ᵢᵀ of the columns of A and B (or a fixed 𝐛), row by row. */
function outerSum(a: Tensor, b: Tensor, c: (i: number) => number, fixed?: Vec): Vec {
  return total(width(a), (i) => {
    const right = fixed ?? column(b, i);
    return column(a, i).flatMap((x) => right.map((y) => c(i) * x * y));
  });
}
/** Σ over i of `term(i)`, entry by entry. */
function total(count: number, term: (i: number) => Vec): Vec {
  let acc = term(0);
  for (let i = 1; i < count; i++) acc = plus(acc, term(i));
  return acc;
}

/** Each formula with its sum computed index by index from the values of its names. */
const READINGS: [string, (v: (name: string) => Tensor) => Vec][] = [
  // No index in the body: N copies of it (a vector stays a vector).
  ['\\sum_{i=1}^{n} \\mathbf{x}', (v) => scaled(3, entries(v('x')))],
  ['\\sum_{i=1}^{n} A\\mathbf{x}', (v) => scaled(3, times(v('A'), entries(v('x'))))],
  // Samples: the sum of the columns.
  ['\\sum_i \\mathbf{x}_i', (v) => total(width(v('X')), (i) => column(v('X'), i))],
  [
    '\\sum_i \\alpha_i \\mathbf{v}_i',
    (v) => total(width(v('V')), (i) => scaled(entries(v('alpha'))[i], column(v('V'), i))),
  ],
  [
    '\\sum_i x_i \\mathbf{w}',
    (v) => total(entries(v('x')).length, (i) => scaled(entries(v('x'))[i], entries(v('w')))),
  ],
  // x_i in an inner product is a vector: the i-th sample.
  [
    '\\sum_i x_i \\cdot \\mathbf{w}',
    (v) => total(width(v('X')), (i) => [dot(column(v('X'), i), entries(v('w')))]),
  ],
  ['\\sum_i W x_i', (v) => total(width(v('X')), (i) => times(v('W'), column(v('X'), i)))],
  // A number for each i times a matrix: a matrix for each i, summed.
  [
    '\\sum_i x_i W',
    (v) => rowsOfMatrix(v('W')).flatMap((r) => r.map((w) => w * entries(v('x')).reduce((a, b) => a + b, 0))),
  ],
  [
    '\\sum_i \\sigma(W\\mathbf{x}_i + \\mathbf{b})',
    (v) => total(width(v('X')), (i) => plus(times(v('W'), column(v('X'), i)), entries(v('b'))).map(sigmoid)),
  ],
  [
    '\\sum_i \\mathbf{x}_i^\\top A',
    (v) => {
      const s = total(width(v('X')), (i) => column(v('X'), i));
      return Array.from({ length: width(v('A')) }, (_, j) => dot(s, column(v('A'), j)));
    },
  ],
  // One number per index, summed.
  [
    '\\sum_i y_i \\mathbf{w}^\\top\\mathbf{x}_i',
    (v) => [total(width(v('X')), (i) => [entries(v('y'))[i] * dot(entries(v('w')), column(v('X'), i))])[0]],
  ],
  [
    '\\sum_i \\log(1 + e^{-y_i \\mathbf{w}^\\top\\mathbf{x}_i})',
    (v) =>
      total(width(v('X')), (i) => [
        Math.log(1 + Math.exp(-entries(v('y'))[i] * dot(entries(v('w')), column(v('X'), i)))),
      ]),
  ],
  [
    '\\sum_i \\|\\mathbf{x}_i - \\mathbf{c}\\|^2',
    (v) =>
      total(width(v('X')), (i) => {
        const d = plus(column(v('X'), i), scaled(-1, entries(v('c'))));
        return [dot(d, d)];
      }),
  ],
  [
    '\\sum_i \\|\\mathbf{x}_i\\|',
    (v) => total(width(v('X')), (i) => [Math.sqrt(dot(column(v('X'), i), column(v('X'), i)))]),
  ],
  [
    '\\sum_i \\mathbf{x}_i \\cdot \\mathbf{x}_i',
    (v) => total(width(v('X')), (i) => [dot(column(v('X'), i), column(v('X'), i))]),
  ],
  // A matrix for each i, as a product of columns and rows: the product sums them (XXᵀ).
  ['\\sum_i \\mathbf{x}_i \\mathbf{x}_i^\\top', (v) => outerSum(v('X'), v('X'), () => 1)],
  [
    '\\sum_{i=1}^{N} (\\mathbf{x}_i - \\boldsymbol{\\mu})(\\mathbf{x}_i - \\boldsymbol{\\mu})^\\top',
    (v) => {
      const mu = entries(v('mu'));
      const centred = (i: number) => plus(column(v('X'), i), scaled(-1, mu));
      return total(width(v('X')), (i) => centred(i).flatMap((a) => centred(i).map((b) => a * b)));
    },
  ],
  [
    '\\sum_i y_i \\mathbf{x}_i \\mathbf{x}_i^\\top',
    (v) => outerSum(v('X'), v('X'), (i) => entries(v('y'))[i]),
  ],
  [
    '\\sum_i \\mathbf{x}_i \\mathbf{x}_i^\\top y_i',
    (v) => outerSum(v('X'), v('X'), (i) => entries(v('y'))[i]),
  ],
  [
    '\\sum_{i=1}^{N} (\\mathbf{x}_i \\mathbf{x}_i^\\top + \\lambda I)',
    (v) => {
      const lambda = v('lambda') as number;
      return outerSum(v('X'), v('X'), () => 1).map(
        (s, k) => s + (k % (rowsOf(v('X')) + 1) === 0 ? 4 * lambda : 0),
      );
    },
  ],
  [
    '\\sum_i \\operatorname{tr}(\\mathbf{x}_i \\mathbf{x}_i^\\top)',
    (v) => [
      outerSum(v('X'), v('X'), () => 1)
        .filter((_, k) => k % (rowsOf(v('X')) + 1) === 0)
        .reduce((a, b) => a + b, 0),
    ],
  ],
  [
    '\\sum_i \\mathbf{x}_i \\mathbf{b}^\\top',
    (v) => outerSum(v('X'), { m: width(v('X')), n: 1, data: new Float64Array(0) }, () => 1, entries(v('b'))),
  ],
  // The i-th example of ML notes, x^{(i)}, and a plain x_i used as a vector: samples too.
  [
    '\\sum_{i=1}^{m} (\\theta^T x^{(i)} - y^{(i)})^2',
    (v) =>
      total(width(v('X')), (i) => [(dot(entries(v('theta')), column(v('X'), i)) - entries(v('y'))[i]) ** 2]),
  ],
  [
    '\\sum_i (\\mathbf{w}^\\top x_i - y_i)^2',
    (v) => total(width(v('X')), (i) => [(dot(entries(v('w')), column(v('X'), i)) - entries(v('y'))[i]) ** 2]),
  ],
  ['\\sum_i x_i y_i', (v) => [dot(entries(v('x')), entries(v('y')))]],
  ['\\sum_i (x_i + 1)', (v) => [entries(v('x')).reduce((s, x) => s + x + 1, 0)]],
  ['\\sum_i |x_i|', (v) => [entries(v('x')).reduce((s, x) => s + Math.abs(x), 0)]],
];

test('each reading of a sum is the sum computed index by index', () => {
  for (const [formula, expected] of READINGS) {
    const program = elaborate(parseLatex(formula), { dims: DIMS });
    const env = randomPoint(program.declared, 5);
    const value = (name: string): Tensor => {
      const t = env.get(name);
      assert.ok(t !== undefined, `${formula}: no ${name} among ${[...env.keys()].join(', ')}`);
      return t;
    };
    const got = flat(evaluate(program.body, env));
    const want = expected(value);
    assert.equal(got.length, want.length, `${formula}: ${got.length} entries, expected ${want.length}`);
    got.forEach((g, i) =>
      assert.ok(
        Math.abs(g - want[i]) < 1e-9 * Math.max(1, Math.abs(want[i])),
        `${formula}: ${got} vs ${want}`,
      ),
    );
  }
});

/**
 * Derivatives the core refuses (no matrix form: the Jacobian of σ(WX + 𝐛𝟏ᵀ)𝟏 by 𝐛 is
 * diag(σ'(WX + 𝐛𝟏ᵀ)𝟏), which it does not find), with the reason it gives.
 */
const REFUSED_DERIVATIVES = new Map([['\\sum_i \\sigma(W\\mathbf{x}_i + \\mathbf{b}) by b', /matrix form/]]);

test('the derivatives of every reading agree with finite differences', () => {
  let checked = 0;
  for (const [reading] of READINGS) {
    // A matrix-valued sum is checked through the scalar tr(CF), its derivatives being tensors.
    const matrix = elaborate(parseLatex(reading), { dims: DIMS }).body.shape.kind === 'matrix';
    const formula = matrix ? `\\operatorname{tr}\\left(C \\left(${reading}\\right)\\right)` : reading;
    const program = elaborate(parseLatex(formula), { dims: DIMS });
    const scalar = program.body.shape.kind === 'scalar';
    for (const v of program.declared) {
      // A vector function of a matrix has a tensor derivative (refused): by its vectors only.
      if (v.shape.kind === 'matrix' && !scalar) continue;
      const options = { wrt: [v.name], dims: DIMS, op: scalar ? 'gradient' : 'jacobian' } as const;
      const refused = REFUSED_DERIVATIVES.get(`${formula} by ${v.name}`);
      if (refused) {
        assert.throws(() => checkNumerically(formula, options), refused, formula);
        continue;
      }
      checkNumerically(formula, options);
      checked++;
    }
  }
  assert.ok(checked >= 30, `${checked} derivatives checked`);
});

test('a body with no value per index that sums is refused with the reason', () => {
  const refused: [string, RegExp][] = [
    // A function of a matrix for each i.
    ['\\sum_i \\sigma(\\mathbf{x}_i \\mathbf{x}_i^\\top)', /cannot sum this over i term by term/],
    // Terms with i that cancel: what is left has no value per i to read.
    ['\\sum_i (x_i - x_i)', /the terms of this sum that depend on i cancel out/],
    ['\\sum_i (\\mathbf{w}^\\top(\\mathbf{x}_i - \\mathbf{x}_i) + y_i)', /cancel out/],
    ['\\sum_{i,j} W_{ij}', /a sum over several indices \(\\sum_\{i,j\}\) is not supported/],
    // The index as a value; a body without the index and no count of its terms.
    ['\\sum_{i=1}^{n} i x', /uses the index i itself as a value/],
    ['\\sum_{\\mathbf{x}} f(\\mathbf{x})', /uses the index x itself as a value/],
    ['\\sum_i 2y', /no upper limit to count its terms/],
    // x beside xᵢ: the vector, or its entries?
    ['\\sum_i x_i x', /x is used both as x_i, one value per i, and as x itself/],
  ];
  for (const [formula, message] of refused) {
    assert.throws(
      () => derivation(formula, { dims: DIMS }),
      (e: unknown) => e instanceof LensError && message.test(e.message),
      formula,
    );
  }
});
