/**
 * Kinds of names as people write them: Greek and subscripted capitals are
 * matrices, usage decides ambiguous names, values never silently change a
 * scalar formula into an entry-by-entry one. Every derivative is checked by
 * central finite differences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { LensError } from '../../src/core/errors';
import { checkNumerically } from './numeric';

const GAUSSIAN =
  '-\\frac12 (\\mathbf{x}-\\boldsymbol{\\mu})^\\top\\Sigma^{-1}(\\mathbf{x}-\\boldsymbol{\\mu}) - \\frac12\\log\\det\\Sigma';

function shapeOf(expression: string, name: string): string | undefined {
  return differentiate(expression).variables.find((v) => v.name === name)?.shape;
}

describe('names used as matrices are matrices', () => {
  it('the Gaussian log-likelihood: Σ is a matrix and every gradient agrees with finite differences', () => {
    const bySigma = differentiate(GAUSSIAN, { wrt: ['Sigma'] });
    assert.match(bySigma.shape, /^matrix/);
    assert.ok(bySigma.assumptions.some((a) => /^Sigma: matrix\(n×n\)/.test(a)));
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
    // used as a number they are still numbers
    assert.equal(shapeOf('x^{\\Theta}', 'Theta'), 'scalar');
  });
  it('subscripted and accented capitals are matrices', () => {
    const f = '\\operatorname{sum}(W_2\\tanh(W_1\\mathbf{x} + \\mathbf{b}_{1}))';
    assert.match(shapeOf(f, 'W_1') ?? '', /^matrix/);
    assert.match(shapeOf(f, 'W_2') ?? '', /^matrix/);
    for (const wrt of ['W_1', 'W_2', 'x']) checkNumerically(f, { wrt: [wrt] });
    assert.match(shapeOf('\\mathbf{x}^\\top A_{k}\\mathbf{x}', 'A_k') ?? '', /^matrix/);
    assert.match(shapeOf('\\mathbf{x}^\\top\\hat{\\Sigma}\\mathbf{x}', 'Sigma_hat') ?? '', /^matrix/);
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
