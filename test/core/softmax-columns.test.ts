/**
 * softmax of a matrix whose columns are samples (a mini-batch) is softmax of each column: its
 * value, its derivative (one Jacobian per column) and scalars of it, checked numerically.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { derivation } from '../../src/core/derivation';
import { LensError } from '../../src/core/errors';
import { evaluate, type Matrix } from '../../src/core/eval';
import { checkNumerically } from './numeric';

describe('column-wise softmax', () => {
  it('is softmax of each column', () => {
    const body = derivation('\\operatorname{softmax}(X)', { dims: { n: 3, m: 2 } }).program.body;
    const X = { m: 3, n: 2, data: Float64Array.of(1, -2, 0.5, 0, -1, 3) };
    const S = evaluate(body, new Map([['X', X]])) as Matrix;
    for (let j = 0; j < 2; j++) {
      const column = [0, 1, 2].map((i) => X.data[i * 2 + j]);
      const total = column.reduce((s, x) => s + Math.exp(x), 0);
      for (let i = 0; i < 3; i++)
        assert.ok(Math.abs(S.data[i * 2 + j] - Math.exp(column[i]) / total) < 1e-15);
    }
  });

  it('by X: the Jacobian of each column, as the notes write it', () => {
    const r = differentiate('\\operatorname{softmax}(X)');
    assert.equal(
      r.latex,
      '\\frac{\\partial \\mathbf{s}^{(j)}}{\\partial \\mathbf{x}^{(j)}} = \\operatorname{diag}\\left(\\mathbf{s}^{(j)}\\right) - \\mathbf{s}^{(j)} \\mathbf{s}^{(j)\\top},\\ j = 1, \\dots, m',
    );
    assert.equal(r.text, '∂s^(j)/∂x^(j) = diag(s^(j)) − s^(j)s^(j)ᵀ, j = 1, …, m');
    assert.ok(
      r.assumptions.some((a) => a.text.startsWith('column by column: softmax acts on each column of X')),
    );
  });

  it('the per-column Jacobians agree with finite differences, square or not', () => {
    for (const dims of [undefined, { n: 2, m: 4 }, { n: 4, m: 2 }])
      assert.equal(
        differentiate('\\operatorname{softmax}(X)', { check: true, dims }).check?.verdict,
        'agrees',
      );
  });

  it('the steps say it is column by column', () => {
    const steps = differentiate('\\operatorname{softmax}(X)', { steps: true }).steps ?? [];
    assert.ok(steps.some((s) => /each column/.test(s.explanation)));
    assert.match(steps[steps.length - 1].text, /^∂s\^\(j\)\/∂x\^\(j\) = diag\(s\^\(j\)\)/);
  });

  const scalars: [string, string][] = [
    ['\\mathbf{1}^\\top \\operatorname{softmax}(X)\\mathbf{v}', 'X'],
    ['\\operatorname{tr}(A^\\top\\operatorname{softmax}(X))', 'X'],
    ['\\operatorname{tr}(A^\\top\\operatorname{softmax}(W X))', 'W'],
    ['\\|\\operatorname{softmax}(X) - Y\\|_F^2', 'X'],
    ['\\operatorname{tr}(Y^\\top \\ln \\operatorname{softmax}(X))', 'X'],
    ['\\mathbf{a}^\\top \\operatorname{softmax}(X)^\\top \\mathbf{b}', 'X'],
  ];
  for (const [f, wrt] of scalars) {
    it(`${f} by ${wrt}`, () => {
      for (const seed of [1, 2]) checkNumerically(f, { wrt: [wrt] }, { seed });
    });
  }

  it('a scalar of it reads as the textbook gradient', () => {
    const r = differentiate('\\operatorname{tr}(A^\\top\\operatorname{softmax}(X))', { wrt: ['X'] });
    assert.equal(r.text, 'S ⊙ A − S ⊙ (𝟏𝟏ᵀ(S ⊙ A))');
    assert.equal(r.definitions[0].text, 'S = softmax(X)');
  });

  it('of one sample 𝐱^{(j)} it is the vector softmax, not a power', () => {
    const r = differentiate('\\operatorname{softmax}(\\mathbf{x}^{(j)})');
    assert.equal(r.wrt[0].name, 'x_(j)');
    assert.equal(r.text, 'diag(s) − ssᵀ');
    checkNumerically('\\operatorname{softmax}(\\mathbf{x}^{(j)})');
  });

  it('has no single value to show, and no code to export', () => {
    const refuses = (f: () => unknown, message: RegExp) =>
      assert.throws(f, (e: unknown) => e instanceof LensError && message.test(e.message));
    refuses(
      () =>
        differentiate('\\operatorname{softmax}(X)', {
          at: {
            X: [
              [1, 2],
              [3, 4],
            ],
          },
        }),
      /column-by-column Jacobians have no single value/,
    );
    refuses(
      () => differentiate('\\operatorname{softmax}(X)', { emit: 'ts' }),
      /cannot export the column-by-column/,
    );
  });
});
