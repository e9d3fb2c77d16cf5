/**
 * Element-wise vector results simplified entry by entry (src/core/elementwise.ts), and one
 * spelling of a broadcast constant: 𝟏 − 𝐯 and 1 − 𝐯 are the same quantity (issue 13).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { differentiate, type DifferentiateOptions } from '../../src/core';
import { evaluateAll } from '../../src/core/derivation';
import { key } from '../../src/core/expr';
import { checkNumerically } from './numeric';

const CASES: [string, DifferentiateOptions, string][] = [
  [
    '-\\mathbf{y}^\\top\\ln\\sigma(\\mathbf{z}) - (\\mathbf{1} - \\mathbf{y})^\\top\\ln(\\mathbf{1} - \\sigma(\\mathbf{z}))',
    { wrt: ['z'] },
    'σ(z) − y',
  ],
  [
    '-\\mathbf{y}^\\top\\ln\\sigma(X\\mathbf{w}) - (\\mathbf{1} - \\mathbf{y})^\\top\\ln(\\mathbf{1} - \\sigma(X\\mathbf{w}))',
    { wrt: ['w'] },
    'Xᵀ(σ(Xw) − y)',
  ],
  ['\\mathbf{1}^\\top\\ln(\\mathbf{1} + e^{\\mathbf{x}})', { wrt: ['x'] }, 'σ(x)'],
  // Nothing element-wise to gain, and the shape is kept: −𝟏, not the scalar −1.
  ['\\mathbf{1}^\\top(\\mathbf{1} - \\mathbf{x})', { wrt: ['x'] }, '−𝟏'],
];

for (const [expression, options, text] of CASES)
  test(`an element-wise result is simplified entry by entry: ${text}`, () => {
    const r = differentiate(expression, options);
    assert.equal(r.text, text);
    assert.match(r.shape, /^vector/);
    checkNumerically(expression, options);
  });

test('𝟏 − 𝐯 and 1 − 𝐯 are one quantity (so that they cancel and collect)', () => {
  const [a, b] = evaluateAll(['\\mathbf{1} - \\sigma(\\mathbf{z})', '1 - \\sigma(\\mathbf{z})']).exprs;
  assert.equal(key(a), key(b));
  // 2·𝟏 + 𝐱 − 𝟏 keeps its one constant.
  const [c] = evaluateAll(['2\\mathbf{1} + \\mathbf{x} - \\mathbf{1}']).exprs;
  assert.equal(c.type === 'add' && c.terms.length, 2);
  checkNumerically(
    '(\\mathbf{1} - \\sigma(\\mathbf{z})) \\odot (1 - \\sigma(\\mathbf{z}))^{-1} \\odot \\mathbf{z}',
    {},
  );
});
