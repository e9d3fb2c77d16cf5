/**
 * Kinds of names as people write them: Greek and subscripted capitals are
 * matrices, usage decides ambiguous names, values never silently change a
 * scalar formula into an entry-by-entry one. Every derivative is checked by
 * central finite differences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { derivation } from '../../src/core/derivation';
import { LensError } from '../../src/core/errors';
import { evaluate, type Matrix, type Tensor } from '../../src/core/eval';
import { type Dim, resolveDim } from '../../src/core/expr';
import { checkNumerically, checkVecJacobian, rng } from './numeric';

const GAUSSIAN =
  '-\\frac12 (\\mathbf{x}-\\boldsymbol{\\mu})^\\top\\Sigma^{-1}(\\mathbf{x}-\\boldsymbol{\\mu}) - \\frac12\\log\\det\\Sigma';

function shapeOf(expression: string, name: string): string | undefined {
  return differentiate(expression).variables.find((v) => v.name === name)?.shape;
}

describe('names used as matrices are matrices', () => {
  it('the Gaussian log-likelihood: Σ is a matrix and every gradient agrees with finite differences', () => {
    const bySigma = differentiate(GAUSSIAN, { wrt: ['Sigma'] });
    assert.match(bySigma.shape, /^matrix/);
    assert.ok(bySigma.assumptions.some((a) => /^Sigma: matrix\(n×n\)/.test(a.text)));
    for (const wrt of ['Sigma', 'x', 'mu']) {
      for (const seed of [1, 2]) checkNumerically(GAUSSIAN, { wrt: [wrt] }, { seed });
    }
  });
  it('Greek capitals are matrices like Latin capitals', () => {
    for (const g of ['Sigma', 'Lambda', 'Phi', 'Theta', 'Omega']) {
      const f = `\\mathbf{x}^\\top \\${g}\\mathbf{x}`;
      assert.match(shapeOf(f, g) ?? '', /^matrix/, g);
      checkNumerically(f, { wrt: [g] });
    }
    // used as a number they are still numbers; Δ writes an increment
    assert.equal(shapeOf('x^{\\Theta}', 'Theta'), 'scalar');
    assert.equal(shapeOf('x + v\\Delta t', 'Delta'), 'scalar');
  });
  it('the Jacobian of a row vector is that of its column: ∂(𝐳ᵀW)/∂𝐳 = Wᵀ', () => {
    assert.equal(differentiate('\\mathbf{z}^\\top W', { wrt: ['z'] }).text, 'Wᵀ');
    for (const layout of ['numerator', 'denominator'] as const)
      checkNumerically('\\mathbf{z}^\\top W + \\sigma(\\mathbf{z})^\\top', { wrt: ['z'], layout });
  });
  it('subscripted and accented capitals are matrices', () => {
    const f = '\\operatorname{sum}(W_2\\tanh(W_1\\mathbf{x} + \\mathbf{b}_{1}))';
    assert.match(shapeOf(f, 'W_1') ?? '', /^matrix/);
    assert.match(shapeOf(f, 'W_2') ?? '', /^matrix/);
    for (const wrt of ['W_1', 'W_2', 'x']) checkNumerically(f, { wrt: [wrt] });
    assert.match(shapeOf('\\mathbf{x}^\\top A_{k}\\mathbf{x}', 'A_k') ?? '', /^matrix/);
    assert.match(shapeOf('\\mathbf{x}^\\top\\hat{\\Sigma}\\mathbf{x}', 'Sigma_hat') ?? '', /^matrix/);
  });
  it('bold capitals are matrices too', () => {
    const f =
      '\\mathbf{x}^\\top\\boldsymbol{\\Sigma}^{-1}\\mathbf{x} + \\mathbf{1}^\\top\\mathbf{W}\\mathbf{x}';
    assert.match(shapeOf(f, 'Sigma') ?? '', /^matrix/);
    assert.match(shapeOf(f, 'W') ?? '', /^matrix/);
    for (const wrt of ['Sigma', 'W', 'x']) checkNumerically(f, { wrt: [wrt] });
  });
  it('I_n and I_3 are identities of that size', () => {
    assert.equal(differentiate('I_n\\mathbf{x}', { wrt: ['x'] }).text, 'I');
    assert.throws(
      () => differentiate('I_3\\mathbf{x}', { declarations: ['\\mathbf{x}\\in\\mathbb{R}^{2}'] }),
      LensError,
    );
  });
  it('a plain name inverted between two vectors is a matrix', () => {
    const f = '(\\mathbf{x}-\\mathbf{m})^\\top s^{-1}(\\mathbf{x}-\\mathbf{m})';
    assert.match(shapeOf(f, 's') ?? '', /^matrix/);
    for (const wrt of ['s', 'x', 'm']) checkNumerically(f, { wrt: [wrt] });
    // a scalar elsewhere stays a scalar
    assert.equal(
      shapeOf('\\lambda\\mathbf{x}^\\top\\mathbf{x} + c^{-1}\\mathbf{x}^\\top\\mathbf{x}', 'c'),
      'scalar',
    );
    assert.equal(shapeOf('\\lambda\\mathbf{x}', 'lambda'), 'scalar');
  });
});

describe('values must fit the kind of their name', () => {
  it('a matrix value for a scalar is an error naming the symbol and both shapes', () => {
    assert.throws(
      () =>
        differentiate('\\mathbf{x}^\\top\\mathbf{x}/\\sigma', {
          at: {
            x: [1, 2],
            sigma: [
              [1, 2],
              [3, 4],
            ],
          },
        }),
      (e: unknown) =>
        e instanceof LensError &&
        /sigma is a 2×2 matrix, but sigma is a scalar \(plain name\)/.test(e.message),
    );
    assert.throws(() => differentiate('x^2', { at: { x: [1, 2] } }), /vector of length 2, but x is a scalar/);
  });
  it('a matrix for a vector and a vector for a matrix are errors too, under any spelling of the name', () => {
    assert.throws(
      () => differentiate('\\mathbf{x}^\\top\\mathbf{x}', { at: { '\\mathbf{x}': [[1, 2]] } }),
      /1×2 matrix, but x is a vector/,
    );
    assert.throws(
      () => differentiate('\\mathbf{x}^\\top\\Sigma\\mathbf{x}', { at: { x: [1, 2], '\\Sigma': [1, 2] } }),
      /Sigma is a vector of length 2, but Sigma is a matrix/,
    );
  });
  it('a matrix value for Σ evaluates the matrix formula', () => {
    const r = differentiate(GAUSSIAN, {
      wrt: ['x'],
      at: {
        x: [1, 0],
        mu: [0, 0],
        Sigma: [
          [2, 0],
          [0, 4],
        ],
      },
    });
    // ∇ₓ = −Σ⁻¹(𝐱 − 𝛍)
    assert.deepEqual(
      (r.value as number[]).map((v) => v + 0),
      [-0.5, 0],
    );
  });
});

describe('bold e is a vector, plain e is Euler’s number', () => {
  it('𝐞ᵀ𝐱 has gradients 𝐱 and 𝐞', () => {
    const r = differentiate('\\mathbf{e}^\\top\\mathbf{x}');
    assert.deepEqual(
      r.wrt.map((v) => [v.name, v.shape]),
      [
        ['e', 'vector(n)'],
        ['x', 'vector(n)'],
      ],
    );
    assert.equal(r.text, '∇_e = x, ∇_x = e');
    checkNumerically('\\mathbf{e}^\\top\\mathbf{x}');
  });
  it('both in one formula: e·𝐞ᵀ𝐱 + e^{𝐞ᵀ𝐱}', () => {
    const f = 'e\\,\\mathbf{e}^\\top\\mathbf{x} + e^{\\mathbf{e}^\\top\\mathbf{x}}';
    for (const wrt of ['e', 'x']) checkNumerically(f, { wrt: [wrt] });
    const r = differentiate(f, { wrt: ['x'], at: { e: [1, 0], x: [0, 2] } });
    // ∇ₓ = (e + e^{𝐞ᵀ𝐱}) 𝐞 with 𝐞ᵀ𝐱 = 0
    assert.deepEqual(r.value, [Math.E + 1, 0]);
  });
});

describe('odd roots are real for negative numbers', () => {
  it('∛x, Math.cbrt(x) and ⁵√x: value, derivative and check at x = −8', () => {
    const cases: [string, 'latex' | 'ts', number][] = [
      ['\\sqrt[3]{x}', 'latex', 1 / 12],
      ['Math.cbrt(x)', 'ts', 1 / 12],
      ['\\sqrt[5]{x}', 'latex', 1 / (5 * 8 ** 0.8)],
      ['x^{2/3}', 'latex', -1 / 3],
    ];
    for (const [f, lang, expected] of cases) {
      const r = differentiate(f, { lang, at: { x: -8 }, check: true });
      assert.ok(Math.abs((r.value as number) - expected) < 1e-12, `${f}: ${String(r.value)}`);
      assert.equal(r.check?.verdict, 'agrees', `${f}: ${r.check?.message}`);
    }
    assert.equal(differentiate('\\sqrt[3]{-8}\\,x', { at: { x: 1 } }).value, -2);
  });
  it('element-wise on a vector with negative entries', () => {
    const r = differentiate('\\operatorname{sum}(\\sqrt[3]{\\mathbf{x}})', { at: { x: [-8, 27] } });
    assert.deepEqual(r.value, [1 / 12, 1 / 27]);
  });
});

describe('the Hessian with respect to several vectors is the joint block Hessian', () => {
  it('𝐱ᵀA𝐲 by 𝐱, 𝐲 → [[0, A], [Aᵀ, 0]]', () => {
    const f = '\\mathbf{x}^\\top A\\mathbf{y}';
    const r = differentiate(f, { wrt: ['x', 'y'], op: 'hessian' });
    assert.equal(r.text, '∇²_x,x = 0, ∇²_x,y = A, ∇²_y,x = Aᵀ, ∇²_y,y = 0');
    checkNumerically(f, { wrt: ['x', 'y'], op: 'hessian' }, { tolerance: 1e-3 });
    assert.equal(differentiate(f, { wrt: ['x', 'y'], op: 'hessian', check: true }).check?.verdict, 'agrees');
  });
  it('mixed blocks that are not symmetric on their own, in both layouts, and with a scalar among vectors', () => {
    const f = '\\mathbf{x}^\\top A\\mathbf{y} + \\|\\mathbf{x}\\|^2\\,\\mathbf{1}^\\top\\mathbf{y}';
    for (const layout of ['numerator', 'denominator'] as const) {
      checkNumerically(f, { wrt: ['x', 'y'], op: 'hessian', layout }, { tolerance: 1e-3 });
      const r = differentiate(f, { wrt: ['x', 'y'], op: 'hessian', layout, check: true });
      assert.equal(r.check?.verdict, 'agrees', r.check?.message ?? '');
    }
    const logistic = '\\ln(1 + \\exp(-y(\\mathbf{w}^\\top\\mathbf{x} + b)))';
    for (const seed of [1, 2])
      checkNumerically(logistic, { wrt: ['w', 'b'], op: 'hessian' }, { seed, tolerance: 1e-3 });
  });
  it('the steps derive each gradient once and name each block', () => {
    const r = differentiate('\\mathbf{x}^\\top A\\mathbf{y}', {
      wrt: ['x', 'y'],
      op: 'hessian',
      steps: true,
    });
    const texts = r.steps!.map((s) => s.text);
    assert.equal(texts.filter((t) => t.startsWith('df = ')).length, 2);
    assert.ok(texts.includes('∇²_x,y f = A'));
  });
  it('a matrix among several variables is refused with a message', () => {
    assert.throws(
      () => differentiate('\\mathbf{x}^\\top W\\mathbf{x}', { wrt: ['x', 'W'], op: 'hessian' }),
      /matrix W together with other variables/,
    );
  });
});

/** A random point for every name of a derivation at concrete sizes (square matrices well conditioned). */
function randomPoint(expression: string, options: Parameters<typeof derivation>[1], seed: number) {
  const d = derivation(expression, options);
  const draw = rng(seed);
  const env = new Map<string, Tensor>();
  for (const v of d.program.declared) {
    const s = v.shape;
    const size = (x: Dim) => resolveDim(x) as number;
    if (s.kind === 'scalar') env.set(v.name, 2 * draw() - 1);
    else {
      const m = s.kind === 'matrix' ? size(s.m) : s.kind === 'vector' ? size(s.n) : 1;
      const n = s.kind === 'matrix' || s.kind === 'row' ? size(s.n) : 1;
      env.set(v.name, { m, n, data: Float64Array.from({ length: m * n }, () => 2 * draw() - 1) });
    }
  }
  return { d, env };
}

function shifted(env: Map<string, Tensor>, name: string, moves: [number, number][]): Map<string, Tensor> {
  const t = env.get(name) as Matrix;
  const data = t.data.slice();
  for (const [k, h] of moves) data[k] += h;
  return new Map(env).set(name, { m: t.m, n: t.n, data });
}

/** Column-major (vec) index k of an m×n matrix → its row-major storage index. */
const storage = (k: number, t: Matrix) => (k % t.m) * t.n + Math.floor(k / t.m);

describe('vec (Kronecker) forms of 3rd- and 4th-order derivatives', () => {
  it('∂vec(𝐱𝐱ᵀ)/∂𝐱 = 𝐱 ⊗ I + I ⊗ 𝐱', () => {
    const r = differentiate('\\mathbf{x}\\mathbf{x}^\\top', { op: 'jacobian' });
    assert.equal(r.text, 'x ⊗ I + I ⊗ x');
    assert.ok(
      r.assumptions.some(
        (a) => a.text === 'Kronecker form: ∂vec(f)/∂x, where vec stacks the columns of a matrix',
      ),
    );
    for (const seed of [1, 2]) checkVecJacobian('\\mathbf{x}\\mathbf{x}^\\top', 'x', {}, seed);
    checkVecJacobian('\\mathbf{x}\\mathbf{a}^\\top + 2\\mathbf{x}\\mathbf{x}^\\top', 'x');
  });
  it('∂²/∂vec(W)² ½‖W𝐱 − 𝐲‖² = 𝐱𝐱ᵀ ⊗ I, checked entry by entry in column-major order', () => {
    const f = '\\tfrac12\\|W\\mathbf{x}-\\mathbf{y}\\|^2';
    const r = differentiate(f, { wrt: ['W'], op: 'hessian' });
    assert.equal(r.text, '(xxᵀ) ⊗ I');
    assert.ok(
      r.assumptions.some(
        (a) => a.text === 'Kronecker form: ∂²f/∂vec(W)², where vec stacks the columns of a matrix',
      ),
    );
    // the built-in check differentiates in the same (vec) order
    const checked = differentiate(f, { wrt: ['W'], op: 'hessian', check: true, dims: { n: 2, m: 3 } });
    assert.equal(checked.check?.verdict, 'agrees', checked.check?.message ?? '');
    for (const g of [f, '\\operatorname{tr}(W^\\top A W) + \\mathbf{a}^\\top W\\mathbf{b}']) {
      const { d, env } = randomPoint(g, { wrt: ['W'], op: 'hessian', dims: { n: 3, m: 2 } }, 7);
      const W = env.get('W') as Matrix;
      const H = evaluate(d.parts[0].expr, env) as Matrix;
      const size = W.m * W.n;
      assert.equal(H.m, size);
      const value = (e: Map<string, Tensor>) => evaluate(d.program.body, e) as number;
      const h = 1e-4;
      let worst = 0;
      for (let a = 0; a < size; a++)
        for (let b = 0; b < size; b++) {
          const at = (sa: number, sb: number) =>
            value(
              shifted(env, 'W', [
                [storage(a, W), sa * h],
                [storage(b, W), sb * h],
              ]),
            );
          const numeric = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
          worst = Math.max(worst, Math.abs(H.data[a * size + b] - numeric));
        }
      assert.ok(worst < 1e-5, `${g}: worst ${worst}`);
    }
  });
  it('a Hessian by a matrix without a Kronecker form is still refused', () => {
    assert.throws(() => differentiate('\\log\\det X', { op: 'hessian' }), /4th-order tensor .* no Kronecker/);
  });
});

describe('an element-wise function of a matrix, by that matrix, is its entry-by-entry derivative', () => {
  const cases: [string, string][] = [
    ['\\sigma(X)', 'σ(X) ⊙ (1 − σ(X))'],
    ['\\tanh(X)', '1 − tanh(X)^∘2'],
    ['3\\exp(X) \\odot X', '3(exp(X) ⊙ X + exp(X))'],
  ];
  for (const [f, text] of cases) {
    it(`${f} → ${text}`, () => {
      for (const layout of ['numerator', 'denominator'] as const) {
        const r = differentiate(f, { wrt: ['X'], layout, check: true });
        assert.equal(r.text, text);
        assert.ok(
          r.assumptions.some((a) => a.text.startsWith('entry by entry: entry (i, j) is ∂f_ij/∂X_ij')),
        );
        assert.equal(r.check?.verdict, 'agrees', r.check?.message ?? '');
      }
      // Every partial derivative: ∂f_k/∂X_k is the shown entry, all the others are 0.
      const { d, env } = randomPoint(f, { wrt: ['X'], dims: { n: 3, m: 2 } }, 3);
      const X = env.get('X') as Matrix;
      const D = evaluate(d.parts[0].expr, env) as Matrix;
      const h = 1e-6;
      for (let k = 0; k < X.data.length; k++) {
        const plus = evaluate(d.program.body, shifted(env, 'X', [[k, h]])) as Matrix;
        const minus = evaluate(d.program.body, shifted(env, 'X', [[k, -h]])) as Matrix;
        plus.data.forEach((p, i) => {
          const slope = (p - minus.data[i]) / (2 * h);
          assert.ok(Math.abs(slope - (i === k ? D.data[k] : 0)) < 1e-6, `${f}: entry ${i} by ${k}`);
        });
      }
    });
  }
  it('asked for as a gradient it is refused, as ∇_X of it is: a gradient is of a scalar function', () => {
    // [x] is the scalar x, so [x]ᵀW[x]/x is the matrix xW (its Jacobian by W is xI in Kronecker form).
    const xW = '\\frac{\\begin{bmatrix} x \\end{bmatrix}^\\top W \\begin{bmatrix} x \\end{bmatrix}}{x}';
    for (const [f, v] of [
      ['\\sigma(X)', 'X'],
      [xW, 'W'],
    ]) {
      const refusal = /a gradient needs a scalar function, this one is a matrix\(n×m\)/;
      assert.throws(() => differentiate(f, { wrt: [v], op: 'gradient' }), refusal);
      assert.throws(() => differentiate(`\\nabla_{${v}} \\left(${f}\\right)`), refusal);
    }
  });
  it('a matrix function that is not element-wise and has no Kronecker form is still refused', () => {
    assert.throws(() => differentiate('AX + \\sigma(X)', { wrt: ['X'] }), /3rd- or 4th-order tensor/);
  });
});

describe('layer and sample indices written as superscripts are part of the name', () => {
  it('W^{(2)}σ(W^{(1)}𝐱): two matrices, not W² and W', () => {
    const f = 'W^{(2)}\\sigma(W^{(1)}\\mathbf{x} + \\mathbf{b}^{[1]})';
    const r = differentiate(f, { wrt: ['x'] });
    assert.deepEqual(
      r.variables.map((v) => [v.name, v.shape.split('(')[0]]),
      [
        ['W_(2)', 'matrix'],
        ['W_(1)', 'matrix'],
        ['x', 'vector'],
        ['b_[1]', 'vector'],
      ],
    );
    for (const wrt of ['x', 'b^{[1]}']) checkNumerically(f, { wrt: [wrt] });
    checkVecJacobian(f, 'W_(1)');
    // the name as written selects the variable and takes a value
    const v = differentiate('W^{(1)}\\mathbf{x}', { wrt: ['x'], at: { 'W^{(1)}': [[1, 2]], x: [3, 4] } });
    assert.deepEqual(v.value, [[1, 2]]);
    assert.equal(differentiate('x^{\\{i\\}}y', { wrt: ['x^{\\{i\\}}'] }).text, 'y');
  });
  it('e^{(x)} is still exp, and a parenthesized expression is still a power', () => {
    assert.equal(differentiate('e^{(x)}').text, 'exp(x)');
    assert.equal(differentiate('x^{(n-1)}', { wrt: ['x'] }).text, 'x^(n − 2)(n − 1)');
  });
});

describe('a summation bound is a size wherever it appears', () => {
  it('1/N beside Σ_{i=1}^{N} is the number of terms, not a variable', () => {
    const f = '\\frac{1}{N}\\sum_{i=1}^{N}(y_i - \\mathbf{w}^\\top\\mathbf{x}_i)^2';
    const r = differentiate(f);
    assert.ok(!r.variables.some((v) => v.name === 'N'));
    assert.equal(r.text, '∇_y = 2(y − Xᵀw)/N, ∇_w = −2X(y − Xᵀw)/N');
    checkNumerically(f, { dims: { n: 3, N: 4 } });
    // its value comes from the sizes the values fix: −2(𝐲 − 𝐱)/N with N = 2
    const m = differentiate('f(x) = \\frac{1}{N} \\sum_{i=1}^{N}(y_i - x_i)^2', {
      at: { x: [1, 2], y: [0, 0] },
    });
    assert.deepEqual(m.value, [1, 2]);
  });
});
