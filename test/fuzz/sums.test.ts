/**
 * Fuzz of `\sum_i` read term by term (src/core/indexed-sum.ts): for generated bodies of entries
 * xᵢ, yᵢ and samples 𝐱ᵢ, 𝐯ᵢ with constants around them, the sum as read must equal the body
 * evaluated index by index, each term read with the entries and samples written out as numbers
 * (no sum involved), and summed. A reading may be refused (a LensError), never wrong.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { evaluateAll } from '../../src/core/derivation';
import { LensError } from '../../src/core/errors';
import { evaluate, type Tensor } from '../../src/core/eval';
import { flat } from '../core/numeric';
import { fuzzRuns } from './runs';

const n = 3;
const N = 4;
const DECLARATIONS = [
  '\\mathbf{w}, \\mathbf{b}, \\mathbf{u} \\in \\mathbb{R}^{n}',
  'W \\in \\mathbb{R}^{n \\times n}',
  'c \\in \\mathbb{R}',
];
const DIMS = { n, N };

/** Bodies: one number per i (`scalar`), one vector of ℝⁿ per i (`vector`) or one n×n matrix per i (`matrix`). */
const body = fc.letrec<{ scalar: string; vector: string; matrix: string }>((tie) => ({
  scalar: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x_i', 'y_i', 'c', '2', 'y^{(i)}'),
    tie('vector').map((v) => `\\mathbf{w}^\\top (${v})`),
    tie('vector').map((v) => `(${v})^\\top \\mathbf{u}`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `(${a} - ${b})`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `(${a})(${b})`),
    tie('scalar').map((a) => `(${a})^2`),
    tie('scalar').map((a) => `\\sigma(${a})`),
    tie('scalar').map((a) => `\\tanh(${a})`),
    tie('vector').map((v) => `\\|${v}\\|^2`),
    fc.tuple(tie('vector'), tie('vector')).map(([a, b]) => `(${a})^\\top (${b})`),
    tie('matrix').map((m) => `\\operatorname{tr}(${m})`),
  ),
  vector: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('\\mathbf{x}_i', '\\mathbf{v}_i', '\\mathbf{b}', '\\mathbf{x}^{(i)}'),
    tie('vector').map((v) => `W (${v})`),
    fc.tuple(tie('vector'), tie('vector')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('vector'), tie('vector')).map(([a, b]) => `(${a} - ${b})`),
    fc.tuple(tie('scalar'), tie('vector')).map(([a, v]) => `(${a}) (${v})`),
    tie('vector').map((v) => `\\sigma(${v})`),
    fc.tuple(tie('vector'), tie('vector')).map(([a, b]) => `(${a}) \\odot (${b})`),
  ),
  matrix: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(tie('vector'), tie('vector')).map(([a, b]) => `(${a})(${b})^\\top`),
    fc.constantFrom('W', 'I_n'),
    tie('matrix').map((m) => `W (${m})`),
    tie('matrix').map((m) => `(${m})^\\top`),
    fc.tuple(tie('matrix'), tie('matrix')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('scalar'), tie('matrix')).map(([a, m]) => `(${a}) (${m})`),
  ),
}));

/** Values of every name: entries x, y ∈ ℝᴺ, samples X, V ∈ ℝⁿˣᴺ, constants. */
function values(seed: number): Map<string, Tensor> {
  let s = seed >>> 0 || 1;
  const draw = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.round((2 * (s / 2 ** 32) - 1) * 100) / 100;
  };
  const tensor = (m: number, k: number): Tensor => ({
    m,
    n: k,
    data: Float64Array.from({ length: m * k }, draw),
  });
  return new Map<string, Tensor>([
    ['x', tensor(N, 1)],
    ['y', tensor(N, 1)],
    ['X', tensor(n, N)],
    ['V', tensor(n, N)],
    ['w', tensor(n, 1)],
    ['b', tensor(n, 1)],
    ['u', tensor(n, 1)],
    ['W', tensor(n, n)],
    ['c', draw()],
  ]);
}

function entry(t: Tensor, row: number, col: number): number {
  return typeof t === 'number' ? t : t.data[row * t.n + col];
}

/** The body at index i: entries and samples written out as numbers. */
function term(body: string, env: Map<string, Tensor>, i: number): string {
  const column = (name: string) =>
    `\\begin{bmatrix} ${Array.from({ length: n }, (_, r) => `(${entry(env.get(name)!, r, i)})`).join(' \\\\ ')} \\end{bmatrix}`;
  return body
    .replaceAll('\\mathbf{x}_i', column('X'))
    .replaceAll('\\mathbf{x}^{(i)}', column('X'))
    .replaceAll('\\mathbf{v}_i', column('V'))
    .replaceAll('x_i', `(${entry(env.get('x')!, i, 0)})`)
    .replaceAll('y_i', `(${entry(env.get('y')!, i, 0)})`)
    .replaceAll('y^{(i)}', `(${entry(env.get('y')!, i, 0)})`);
}

function read(latex: string, env: Map<string, Tensor>): number[] {
  const [e] = evaluateAll([latex], { declarations: DECLARATIONS, dims: DIMS }).exprs;
  return flat(evaluate(e, env));
}

/**
 * The property of both front ends: for each generated body, the sum as read (`whole`) equals its
 * terms read one by one with no sum involved (`term`) and added; a LensError is a refusal.
 */
function agreesTermByTerm(
  bodies: fc.Arbitrary<string>,
  whole: (body: string, env: Map<string, Tensor>) => number[],
  term: (body: string, env: Map<string, Tensor>, i: number) => number[],
  runs: number,
): void {
  let summed = 0;
  let refused = 0;
  fc.assert(
    fc.property(bodies, fc.integer(), (b, seed) => {
      const env = values(seed);
      let got: number[];
      try {
        got = whole(b, env);
      } catch (e) {
        if (!(e instanceof LensError)) throw e;
        refused++;
        return;
      }
      let want = term(b, env, 0);
      for (let i = 1; i < N; i++) want = term(b, env, i).map((v, k) => want[k] + v);
      assert.equal(got.length, want.length, `${b}: ${got.length} entries, the terms have ${want.length}`);
      got.forEach((g, k) =>
        assert.ok(
          Math.abs(g - want[k]) <= 1e-9 * Math.max(1, Math.abs(want[k])),
          `${b}: read ${got}, term by term ${want}`,
        ),
      );
      summed++;
    }),
    { numRuns: runs, verbose: 1 },
  );
  // Most bodies have a reading: refusing everything would pass the property.
  assert.ok(summed > 2 * refused, `${summed} sums read, ${refused} refused`);
}

test('a sum as read equals its terms evaluated one by one and added', () => {
  agreesTermByTerm(
    fc.oneof(body.scalar, body.vector, body.matrix),
    (b, env) => read(`\\sum_{i=1}^{N} \\left(${b}\\right)`, env),
    (b, env, i) => read(term(b, env, i), env),
    fuzzRuns(300),
  );
});

/** Python bodies: x[i], y[i] entries; X[i], V[i] rows (NumPy's samples); constants around them. */
const python = fc.letrec<{ scalar: string; vector: string }>((tie) => ({
  scalar: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x[i]', 'y[i]', 'c', '2'),
    tie('vector').map((v) => `w @ (${v})`),
    tie('vector').map((v) => `(${v}) @ u`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `(${a} - ${b})`),
    fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `(${a}) * (${b})`),
    tie('scalar').map((a) => `(${a}) ** 2`),
    tie('scalar').map((a) => `np.tanh(${a})`),
    tie('vector').map((v) => `np.sum((${v}) ** 2)`),
  ),
  vector: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('X[i]', 'V[i]', 'b'),
    tie('vector').map((v) => `W @ (${v})`),
    fc.tuple(tie('vector'), tie('vector')).map(([a, b]) => `(${a} + ${b})`),
    fc.tuple(tie('scalar'), tie('vector')).map(([a, v]) => `(${a}) * (${v})`),
    tie('vector').map((v) => `np.tanh(${v})`),
  ),
}));

test('a Python generator sum equals its terms evaluated one by one and added', () => {
  const PYTHON_DECLARATIONS = [
    'X, V \\in \\mathbb{R}^{N \\times n}',
    '\\mathbf{w}, \\mathbf{b}, \\mathbf{u} \\in \\mathbb{R}^{n}',
    'W \\in \\mathbb{R}^{n \\times n}',
  ];
  const evaluatePython = (code: string, env: Map<string, Tensor>): number[] => {
    const [e] = evaluateAll([code], { lang: 'python', declarations: PYTHON_DECLARATIONS, dims: DIMS }).exprs;
    return flat(evaluate(e, env));
  };
  const row = (t: Tensor, i: number) =>
    `np.array([${Array.from({ length: n }, (_, k) => `${entry(t, k, i)}`).join(', ')}])`;
  // NumPy's X holds the samples as rows: the transpose of the matrix of columns of `values`.
  const asRows = (env: Map<string, Tensor>) => {
    const rows = new Map(env);
    for (const name of ['X', 'V'] as const) {
      const t = env.get(name) as { m: number; n: number; data: Float64Array };
      rows.set(name, {
        m: t.n,
        n: t.m,
        data: Float64Array.from(
          { length: t.data.length },
          (_, k) => t.data[(k % t.m) * t.n + Math.floor(k / t.m)],
        ),
      });
    }
    return rows;
  };
  agreesTermByTerm(
    fc.oneof(python.scalar, python.vector),
    (b, env) => evaluatePython(`sum(${b} for i in range(N))`, asRows(env)),
    (b, env, i) =>
      evaluatePython(
        b
          .replaceAll('X[i]', row(env.get('X')!, i))
          .replaceAll('V[i]', row(env.get('V')!, i))
          .replaceAll('x[i]', `(${entry(env.get('x')!, i, 0)})`)
          .replaceAll('y[i]', `(${entry(env.get('y')!, i, 0)})`),
        env,
      ),
    fuzzRuns(200),
  );
});
