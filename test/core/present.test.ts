/**
 * Presentation of matrix results (issue 13): a scalar shared by every term of a matrix sum is
 * taken out of it, as the book writes it. What is shown must equal the result it presents.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { differentiate, type DifferentiateOptions } from '../../src/core';
import { derivation } from '../../src/core/derivation';
import { evaluate } from '../../src/core/eval';
import { isScalar } from '../../src/core/expr';
import { present } from '../../src/core/present';
import { checkNumerically, flat, randomPoint } from './numeric';

const DIMS = { n: 3, m: 4, k: 2 };

/** The shown form's value equals the result's (the named parts given their values first). */
function presentsTheSame(expression: string, options: DifferentiateOptions): void {
  const d = derivation(expression, { ...options, dims: DIMS });
  for (const part of d.parts) {
    const shown = present(part.expr);
    const env = randomPoint(d.program.declared, 3);
    // Scalars positive, inside √d's domain.
    for (const v of d.program.declared)
      if (isScalar(v)) env.set(v.name, 0.5 + Math.abs(env.get(v.name) as number));
    for (const x of shown.definitions) env.set(x.symbol.name, evaluate(x.value, env));
    const want = flat(evaluate(part.expr, env));
    flat(evaluate(shown.expr, env)).forEach((v, i) =>
      assert.ok(Math.abs(v - want[i]) < 1e-9 * Math.max(1, Math.abs(want[i])), `${expression}: entry ${i}`),
    );
  }
}

const CASES: [string, DifferentiateOptions, string][] = [
  // The attention scores' Jacobian: the issue's example, 1/√d once, after the product.
  ['V^\\top\\operatorname{softmax}(K\\mathbf{q}/\\sqrt{d})', { wrt: ['q'] }, 'Vᵀ(diag(s) − ssᵀ)K/√(d)'],
  ['\\operatorname{softmax}(K\\mathbf{q}/\\sqrt{d})', { wrt: ['q'] }, '(diag(s) − ssᵀ)K/√(d)'],
  [
    '\\mathbf{v}^\\top\\operatorname{softmax}(K\\mathbf{q}/\\sqrt{d})',
    { wrt: ['K'] },
    '(s ⊙ v − ssᵀv)qᵀ/√(d)',
  ],
  ['\\lambda\\mathbf{x}^\\top A\\mathbf{x}', { wrt: ['x'] }, 'λ(A + Aᵀ)x'],
  ['c\\,\\mathbf{a}^\\top X\\mathbf{b} + c\\,\\operatorname{tr}(X)', { wrt: ['X'] }, 'c(abᵀ + I)'],
  [
    '\\lambda\\mathbf{x}^\\top\\mathbf{x} + \\lambda\\mathbf{a}^\\top\\mathbf{x}',
    { wrt: ['x'] },
    'λ(2x + a)',
  ],
];

for (const [expression, options, text] of CASES)
  test(`a scalar shared by a matrix sum's terms is taken out: ${text}`, () => {
    assert.equal(differentiate(expression, options).text, text);
    presentsTheSame(expression, options);
    checkNumerically(expression, options, { positive: true });
  });

test('a scalar in only some terms stays where it is', () => {
  const options = { wrt: ['x'] };
  assert.equal(
    differentiate('\\lambda\\mathbf{x}^\\top\\mathbf{x} + \\mathbf{a}^\\top\\mathbf{x}', options).text,
    '2λx + a',
  );
  presentsTheSame('\\lambda\\mathbf{x}^\\top\\mathbf{x} + \\mathbf{a}^\\top\\mathbf{x}', options);
});

test('a vector sum of (𝐮ᵀ𝐱)𝐯 terms is collected as outer products times 𝐱, where that is smaller', () => {
  const cases: [string, string][] = [
    ['\\mathbf{a}^\\top\\mathbf{x}\\mathbf{x}^\\top\\mathbf{b}', '(abᵀ + baᵀ)x'],
    ['\\mathbf{a}^\\top\\mathbf{x}\\,\\mathbf{x}^\\top A\\mathbf{x}', '(axᵀA + (aᵀx)A + (aᵀx)Aᵀ)x'],
  ];
  for (const [expression, text] of cases) {
    assert.equal(differentiate(expression, { wrt: ['x'] }).text, text);
    presentsTheSame(expression, { wrt: ['x'] });
  }
  // Terms ending in different vectors stay as they are.
  assert.equal(
    differentiate('(\\mathbf{a}^\\top\\mathbf{x})(\\mathbf{b}^\\top\\mathbf{y})', { wrt: ['x'] }).text,
    '(bᵀy)a',
  );
});
