/**
 * Symmetric matrices in the simplifier: known by structure (MᵀM, MMᵀ, M + Mᵀ, diag, I, and
 * sums, multiples, inverses of symmetric ones), so that Sᵀ is S and like terms meet.
 * Every derivative below is also checked against central finite differences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { key, type Expr } from '../../src/core/expr';
import {
  add,
  fn,
  hadamard,
  identity,
  inverse,
  isSymmetric,
  matmul,
  mul,
  num,
  sym,
  transpose,
} from '../../src/core/simplify';
import { checkNumerically } from './numeric';

const square = { kind: 'matrix', m: 'n', n: 'n' } as const;
const X = sym('X', { kind: 'matrix', m: 'm', n: 'n' });
const A = sym('A', square);
const B = sym('B', square);
const u = sym('u', { kind: 'vector', n: 'n' });
const gram = matmul(transpose(X), X);

describe('symmetric by structure', () => {
  const symmetric: [string, Expr][] = [
    ['XᵀX', gram],
    ['XXᵀ', matmul(X, transpose(X))],
    ['A + Aᵀ', add(A, transpose(A))],
    ['AB + BᵀAᵀ', add(matmul(A, B), matmul(transpose(B), transpose(A)))],
    ['diag(u)', fn('diag', u)],
    ['I', identity('n')],
    ['uuᵀ', matmul(u, transpose(u))],
    ['3XᵀX', mul(num(3), gram)],
    ['XᵀX + I', add(gram, identity('n'))],
    ['(XᵀX)⁻¹', inverse(gram)],
    ['AᵀXᵀXA', matmul(transpose(A), gram, A)],
    ['XᵀX ⊙ XᵀX', hadamard(gram, fn('exp', gram))],
    ['exp(XᵀX)', fn('exp', gram)],
  ];
  for (const [name, e] of symmetric)
    it(`${name} is symmetric: its transpose is itself`, () => {
      assert.ok(isSymmetric(e));
      assert.equal(transpose(e), e);
    });

  const general: [string, Expr][] = [
    ['A', A],
    ['AB', matmul(A, B)],
    ['A + B', add(A, B)],
    ['A + 2Aᵀ', add(A, mul(num(2), transpose(A)))],
    ['XᵀX + A', add(gram, A)],
    ['AᵀXᵀXB', matmul(transpose(A), gram, B)],
    ['A⁻¹', inverse(A)],
    ['XᵀX ⊙ A', hadamard(gram, A)],
  ];
  for (const [name, e] of general)
    it(`${name} is not known symmetric`, () => {
      assert.ok(!isSymmetric(e));
      assert.notEqual(key(transpose(e)), key(e));
    });

  it('a vector or a non-square matrix is never symmetric', () => {
    assert.ok(!isSymmetric(X));
    assert.ok(!isSymmetric(u));
    assert.ok(!isSymmetric(matmul(transpose(u), u)));
  });

  it('(XᵀX)⁻ᵀ is (XᵀX)⁻¹, and the two meet as like terms', () => {
    const inv = inverse(gram);
    assert.equal(transpose(inv), inv);
    assert.equal(key(add(inv, transpose(inv))), key(mul(num(2), inv)));
  });
});

describe('derivatives with symmetric matrices', () => {
  // X is tall for XᵀX and wide for XXᵀ, so that the product is invertible.
  const tall = { n: 4, m: 3 };
  const wide = { n: 3, m: 4 };
  const cases: { f: string; wrt: string; text: string; dims: Record<string, number> }[] = [
    // Was X((XᵀX)⁻¹ + (XᵀX)⁻ᵀ).
    { f: '\\ln\\det(X^\\top X)', wrt: 'X', text: '2X(XᵀX)⁻¹', dims: tall },
    // Was X(−(XᵀX)⁻¹(XᵀX)⁻¹ − (XᵀX)⁻ᵀ(XᵀX)⁻ᵀ).
    { f: '\\operatorname{tr}((X^\\top X)^{-1})', wrt: 'X', text: '−2X(XᵀX)⁻¹(XᵀX)⁻¹', dims: tall },
    {
      f: '\\mathbf{a}^\\top (X^\\top X)^{-1} \\mathbf{a}',
      wrt: 'X',
      text: '−2X(XᵀX)⁻¹·aaᵀ(XᵀX)⁻¹',
      dims: wide,
    },
    { f: '\\ln\\det(X X^\\top)', wrt: 'X', text: '2(XXᵀ)⁻¹·X', dims: wide },
  ];
  for (const c of cases)
    it(`${c.f} by ${c.wrt} = ${c.text}`, () => {
      assert.equal(differentiate(c.f, { wrt: [c.wrt] }).text, c.text);
      checkNumerically(c.f, { wrt: [c.wrt], dims: c.dims });
    });
});
