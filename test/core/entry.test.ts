/**
 * One entry of a vector or matrix variable differentiated by: `\frac{\partial f}{\partial X_{ij}}`,
 * `\frac{\partial L}{\partial w_i}`. The value, with its unit vectors 𝐞ᵢ, 𝐞ⱼ set to an entry, is
 * compared with central differences of f in that one entry, in both layouts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate, LensError } from '../../src/core';
import { evaluateAll } from '../../src/core/derivation';
import { evaluate, type Matrix, type Tensor } from '../../src/core/eval';
import { postorder, resolveDim, rows, type Sym } from '../../src/core/expr';
import { randomFunctions } from '../../src/core/abstract';
import type { Layout } from '../../src/core/api';
import { flat, randomPoint } from './numeric';

const DIMS = { n: 3, m: 4, p: 2, k: 2 };
const FUNCTIONS = randomFunctions(5);

function unit(n: number, index: number): Matrix {
  const data = new Float64Array(n);
  data[index - 1] = 1;
  return { m: n, n: 1, data };
}

/**
 * `\frac{\partial}{\partial <entry>} <f>` at entry `at` (1-based) equals central differences of f in
 * that entry of `whole`; returns the derivative's text.
 */
function agreesAtEntry(f: string, entry: string, whole: string, at: readonly number[], layout: Layout): void {
  const { exprs } = evaluateAll([`\\frac{\\partial}{\\partial ${entry}} ${f}`, f], {
    lang: 'latex',
    layout,
    dims: DIMS,
  });
  const [derivative, value] = exprs;
  const syms = postorder(exprs).filter((e): e is Sym => e.type === 'sym');
  const env = randomPoint(syms.filter((s) => s.role === 'var'));
  const units = syms.filter((s) => s.unit !== undefined);
  const indices = /_\{?([A-Za-z0-9])([A-Za-z0-9])?\}?$/.exec(entry)!.slice(1).filter(Boolean);
  for (const u of units) {
    const index = /^[0-9]+$/.test(u.unit!) ? Number(u.unit) : at[indices.indexOf(u.unit!)];
    env.set(u.name, unit(resolveDim(rows(u.shape)) as number, index));
  }
  const x = env.get(whole) as Matrix;
  const offset = at.length === 1 ? at[0] - 1 : (at[0] - 1) * x.n + at[1] - 1;
  const shifted = (h: number): number[] => {
    const data = x.data.slice();
    data[offset] += h;
    return flat(evaluate(value, new Map([...env, [whole, { ...x, data }]]), FUNCTIONS));
  };
  const h = 1e-5;
  const [plus, minus] = [shifted(h), shifted(-h)];
  const numeric = plus.map((p, k) => (p - minus[k]) / (2 * h));
  const got: Tensor = evaluate(derivative, env, FUNCTIONS);
  // In denominator layout a derivative by a scalar is transposed (as the core does for any scalar variable):
  // a vector's entries are the same, a matrix's are read back in its own order.
  const analytic =
    layout === 'denominator' && value.shape.kind === 'matrix' && typeof got !== 'number'
      ? flat(got).map((_, k) => got.data[(k % got.m) * got.n + Math.floor(k / got.m)])
      : flat(got);
  assert.equal(analytic.length, numeric.length, `${entry} of ${f}: size`);
  analytic.forEach((a, k) =>
    assert.ok(
      Math.abs(a - numeric[k]) < 1e-6 * Math.max(1, Math.abs(a)),
      `${entry} of ${f} (${layout}): ${a} vs ${numeric[k]}`,
    ),
  );
  if (layout === 'denominator' && typeof got !== 'number' && value.shape.kind === 'vector')
    assert.equal(got.m, 1, 'a vector by an entry is a row in denominator layout');
}

const text = (input: string) => differentiate(input, { dims: DIMS }).text;

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof LensError) return e.message;
    throw e;
  }
  assert.fail('expected a LensError');
}

describe('∂f/∂x_{ij}: one entry of a matrix or vector variable', () => {
  const cases: [string, string, string, number[]][] = [
    // scalar functions of a vector: the entry of the gradient
    ['\\mathbf{w}^T A \\mathbf{w}', 'w_i', 'w', [2]],
    ['\\|\\mathbf{w}\\|^2', 'w_3', 'w', [3]],
    ['\\ln(1 + \\exp(\\mathbf{a}^T\\mathbf{w}))', 'w_k', 'w', [1]],
    // scalar functions of a matrix
    ['\\operatorname{tr}(A X)', 'X_{ij}', 'X', [2, 1]],
    ['\\mathbf{a}^T X \\mathbf{b}', 'x_{ij}', 'X', [3, 2]],
    ['\\frac{1}{2}\\|X\\mathbf{v} - \\mathbf{y}\\|^2', 'X_{12}', 'X', [1, 2]],
    ['\\log\\det(X)', 'X_{ij}', 'X', [2, 3]],
    // vector and matrix functions: the derivative along 𝐞ᵢ𝐞ⱼᵀ
    ['\\sigma(X\\mathbf{v})', 'X_{ij}', 'X', [1, 2]],
    ['A X \\mathbf{b}', 'X_{ij}', 'X', [3, 1]],
    ['\\tanh(\\mathbf{w}) \\odot \\mathbf{w}', 'w_i', 'w', [2]],
    ['X^T X', 'X_{ij}', 'X', [2, 2]],
    ['\\mathbf{f}(\\mathbf{w})', 'w_j', 'w', [3]],
    // the variable itself: ∂X/∂X_{ij} = 𝐞ᵢ𝐞ⱼᵀ
    ['X', 'X_{ij}', 'X', [2, 1]],
  ];
  for (const layout of ['numerator', 'denominator'] as const)
    for (const [f, entry, whole, at] of cases)
      it(`∂/∂${entry} ${f} agrees with finite differences (${layout} layout)`, () =>
        agreesAtEntry(f, entry, whole, at, layout));

  it('second derivatives by two entries: the entry (i, j) of the Hessian', () => {
    // ∂/∂w_3 of ∂f/∂w_j (its unit vector 𝐞ⱼ at 1): the entry (3, 1) of A + Aᵀ.
    agreesAtEntry(
      '\\frac{\\partial}{\\partial w_1} \\mathbf{w}^T A \\mathbf{w}',
      'w_3',
      'w',
      [3],
      'numerator',
    );
    assert.equal(
      text('\\frac{\\partial^2}{\\partial w_i \\partial w_j} \\mathbf{w}^T A \\mathbf{w}'),
      '(A + Aᵀ)ᵢⱼ',
    );
  });

  it('prints the entry the unit vectors pick: (∇f)ᵢ, M_{ij}, the entry (i, j) of Aᵀ as A_{ji}', () => {
    assert.equal(text('\\frac{\\partial}{\\partial w_i} \\mathbf{w}^T A \\mathbf{w}'), '((A + Aᵀ)w)ᵢ');
    assert.equal(
      differentiate('\\frac{\\partial}{\\partial w_i} \\mathbf{w}^T A \\mathbf{w}').latex,
      '\\left(\\left(A + A^\\top\\right) \\mathbf{w}\\right)_{i}',
    );
    assert.equal(
      differentiate('\\frac{\\partial}{\\partial X_{ij}} \\operatorname{tr}(A X)').latex,
      'A_{ji}',
    );
    assert.equal(text('\\frac{\\partial}{\\partial X_{ij}} \\log\\det X'), '(X⁻ᵀ)ᵢⱼ');
    assert.equal(text('\\frac{\\partial}{\\partial w_k} \\mathbf{a}^T\\mathbf{w}'), 'a_k');
    // A vector or matrix value keeps its unit vectors: the derivative along 𝐞ᵢ𝐞ⱼᵀ.
    assert.equal(text('\\frac{\\partial}{\\partial X_{ij}} A X \\mathbf{b}'), 'Ae_i·e_jᵀ·b');
  });

  it('refuses what it cannot read, with a clear message', () => {
    // x_i as a variable of its own beside the vector x: two readings, no guess.
    assert.match(
      errorOf(() => differentiate('\\frac{\\partial}{\\partial x_i} (x_i^2 + \\mathbf{x}^T\\mathbf{x})')),
      /x_i is a variable of its own here, and also reads as one entry of the vector\(n\) x/,
    );
    assert.match(
      errorOf(() => differentiate('\\frac{\\partial}{\\partial X_{ijk}} \\operatorname{tr}(X)')),
      /X_ijk: an entry of the matrix\(m×m\) X needs two indices/,
    );
    assert.match(
      errorOf(() =>
        differentiate('\\frac{\\partial}{\\partial w_5} \\mathbf{w}^T\\mathbf{w}', { dims: { n: 3 } }),
      ),
      /w_5 is not an entry of the vector\(3\) w/,
    );
    // Not an independent variable (whose derivative would be 0) when its index cannot be read.
    assert.match(
      errorOf(() => differentiate('\\frac{\\partial}{\\partial x_{t+1}} \\mathbf{x}^T\\mathbf{x}')),
      /x_t\+1: cannot read t\+1 as an index of x/,
    );
    assert.match(
      errorOf(() => differentiate('\\frac{\\partial}{\\partial w_i} \\mathbf{w}^T\\mathbf{e}_i')),
      /the unit vector e_i it is read with is a name of this input/,
    );
  });

  it('code export refuses a derivative by one entry rather than use an undefined 𝐞ᵢ', () => {
    for (const emit of ['ts', 'numpy'] as const)
      assert.match(
        errorOf(() =>
          differentiate('\\frac{\\partial}{\\partial w_i} \\mathbf{w}^T A \\mathbf{w}', { emit }),
        ),
        /cannot export: a derivative by one entry \(index i\) has no code form here/,
      );
  });

  it('a component x_1 of a scalar function of scalars is still just a variable', () => {
    assert.equal(text('\\frac{\\partial}{\\partial x_{1}} (x_1^2 + x_2)'), '2x₁');
    assert.equal(text('\\frac{\\partial x_i}{\\partial x_j}'), '0');
  });
});
