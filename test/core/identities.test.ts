/**
 * A table of matrix-calculus identities (The Matrix Cookbook, Wikipedia's
 * "Matrix calculus", Parr & Howard). Each row is checked two ways: the printed
 * result is the textbook form (where one is given), and its value agrees with
 * central finite differences at random sizes and values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DifferentiateOptions } from '../../src/core/api';
import { differentiate } from '../../src/core';
import { checkNumerically, checkVecJacobian } from './numeric';

interface Identity {
  readonly f: string;
  readonly wrt: string;
  readonly op?: DifferentiateOptions['op'];
  /** Expected plain-text result, when the textbook form is pinned. */
  readonly text?: string;
  readonly positive?: boolean;
}

const identities: Identity[] = [
  // scalar by vector (gradients)
  { f: '\\mathbf{a}^\\top\\mathbf{x}', wrt: 'x', text: 'a' },
  { f: '\\mathbf{x}^\\top\\mathbf{a}', wrt: 'x', text: 'a' },
  { f: '\\mathbf{x}^\\top\\mathbf{x}', wrt: 'x', text: '2x' },
  { f: '\\mathbf{x}^\\top A\\mathbf{x}', wrt: 'x', text: '(A + Aᵀ)x' },
  { f: '\\mathbf{a}^\\top A\\mathbf{x}', wrt: 'x', text: 'Aᵀa' },
  { f: '\\|\\mathbf{x}\\|^2', wrt: 'x', text: '2x' },
  { f: '\\|\\mathbf{x}\\|_2', wrt: 'x', text: 'x/‖x‖₂' },
  { f: '\\|\\mathbf{x} - \\mathbf{a}\\|^2', wrt: 'x', text: '2(x − a)' },
  { f: '\\|A\\mathbf{x} - \\mathbf{b}\\|^2', wrt: 'x', text: '2Aᵀ(Ax − b)' },
  { f: '\\tfrac12\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', wrt: 'x', text: 'Wᵀ(Wx + b − y)' },
  { f: '\\operatorname{sum}(\\mathbf{x})', wrt: 'x', text: '𝟏' },
  { f: '\\operatorname{sum}(\\exp(\\mathbf{x}))', wrt: 'x', text: 'exp(x)' },
  { f: '\\operatorname{logsumexp}(\\mathbf{x})', wrt: 'x', text: 's' },
  { f: '\\sum_i w_i x_i', wrt: 'x', text: 'w' },
  { f: '\\sum_{i=1}^{n} e^{x_i}', wrt: 'x', text: 'exp(x)' },
  { f: '\\|\\mathbf{x}\\|_1', wrt: 'x', text: 'sign(x)' },
  { f: '(\\mathbf{a}^\\top\\mathbf{x})^2', wrt: 'x' },
  { f: '\\sigma(\\mathbf{w}^\\top\\mathbf{x})', wrt: 'w' },
  { f: '\\ln(1 + \\exp(\\mathbf{w}^\\top\\mathbf{x}))', wrt: 'w' },
  { f: '\\mathbf{a}^\\top \\sigma(\\mathbf{x})', wrt: 'x', text: 'σ(x) ⊙ (1 − σ(x)) ⊙ a' },
  { f: '\\operatorname{sum}(\\tanh(A\\mathbf{x}))', wrt: 'x' },
  { f: '\\frac{\\mathbf{x}^\\top A \\mathbf{x}}{\\mathbf{x}^\\top\\mathbf{x}}', wrt: 'x' },
  { f: 'e^{\\mathbf{a}^\\top\\mathbf{x}}', wrt: 'x' },
  { f: '-\\mathbf{y}^\\top \\operatorname{logsoftmax}(W\\mathbf{x})', wrt: 'x' },
  { f: '-\\mathbf{t}^\\top\\log\\operatorname{softmax}(\\mathbf{z})', wrt: 'z', text: '(𝟏ᵀt)s − t' },
  { f: '\\langle \\mathbf{u}, \\mathbf{v} \\rangle', wrt: 'u', text: 'v' },
  { f: '\\mathbf{w} \\cdot \\mathbf{x} + b', wrt: 'w', text: 'x' },
  // vector by vector (Jacobians, numerator layout)
  { f: 'A\\mathbf{x}', wrt: 'x', text: 'A' },
  { f: '\\mathbf{x}', wrt: 'x', text: 'I' },
  { f: '\\sigma(\\mathbf{x})', wrt: 'x', text: 'diag(σ(x) ⊙ (1 − σ(x)))' },
  { f: '\\operatorname{softmax}(\\mathbf{x})', wrt: 'x', text: 'diag(s) − ssᵀ' },
  { f: '\\exp(\\mathbf{x})', wrt: 'x', text: 'diag(exp(x))' },
  { f: 'A\\mathbf{x} + \\mathbf{b}', wrt: 'b', text: 'I' },
  { f: '\\tanh(W\\mathbf{x})', wrt: 'x', text: 'diag(1 − tanh(Wx)²)W' },
  { f: '\\mathbf{x} \\odot \\mathbf{y}', wrt: 'x', text: 'diag(y)' },
  { f: 's\\mathbf{x}', wrt: 'x', text: 'sI' },
  { f: '\\mathbf{x} (\\mathbf{a}^\\top \\mathbf{x})', wrt: 'x' },
  { f: '\\operatorname{softmax}(W\\mathbf{x})', wrt: 'x', text: '(diag(s) − ssᵀ)W' },
  { f: '\\operatorname{logsoftmax}(\\mathbf{x})', wrt: 'x' },
  { f: '\\max(0, \\mathbf{x})', wrt: 'x', text: 'diag(1[x > 0])' },
  { f: '\\frac{\\mathbf{x}}{\\|\\mathbf{x}\\|}', wrt: 'x' },
  { f: '(A\\mathbf{x}) \\odot \\mathbf{x}', wrt: 'x' },
  { f: 'W\\sigma(V\\mathbf{x})', wrt: 'x', text: 'W·diag(σ(Vx) ⊙ (1 − σ(Vx)))V' },
  // scalar by matrix (gradients have the matrix's shape)
  { f: '\\operatorname{tr}(X)', wrt: 'X', text: 'I' },
  { f: '\\operatorname{tr}(AX)', wrt: 'X', text: 'Aᵀ' },
  { f: '\\operatorname{tr}(X^\\top A)', wrt: 'X', text: 'A' },
  { f: '\\operatorname{tr}(AXB)', wrt: 'X', text: 'AᵀBᵀ' },
  { f: '\\operatorname{tr}(X^\\top X)', wrt: 'X', text: '2X' },
  { f: '\\operatorname{tr}(XAX^\\top)', wrt: 'X', text: 'X(A + Aᵀ)' },
  { f: '\\mathbf{a}^\\top X\\mathbf{b}', wrt: 'X', text: 'abᵀ' },
  { f: '\\mathbf{a}^\\top X^\\top\\mathbf{b}', wrt: 'X', text: 'baᵀ' },
  { f: '\\det X', wrt: 'X', text: 'det(X)X⁻ᵀ' },
  { f: '\\log\\det X', wrt: 'X', text: 'X⁻ᵀ' },
  { f: '\\operatorname{tr}(X^{-1})', wrt: 'X' },
  { f: '\\|X\\|_F^2', wrt: 'X', text: '2X' },
  { f: '\\|X\\|_F', wrt: 'X', text: 'X/‖X‖_F' },
  { f: '\\mathbf{a}^\\top X^{-1}\\mathbf{b}', wrt: 'X', text: '−X⁻ᵀabᵀX⁻ᵀ' },
  { f: '\\tfrac12\\|W\\mathbf{x} - \\mathbf{y}\\|^2', wrt: 'W', text: '(Wx − y)xᵀ' },
  { f: '\\operatorname{tr}(A X^{-1} B)', wrt: 'X' },
  { f: '\\mathbf{y}^\\top\\operatorname{logsoftmax}(W\\mathbf{x})', wrt: 'W' },
  { f: '\\operatorname{sum}(\\sigma(W\\mathbf{x} + \\mathbf{b}))', wrt: 'W' },
  // Hessians
  { f: '\\mathbf{x}^\\top A\\mathbf{x}', wrt: 'x', op: 'hessian', text: 'A + Aᵀ' },
  { f: '\\|\\mathbf{x}\\|^2', wrt: 'x', op: 'hessian', text: '2I' },
  { f: '\\|A\\mathbf{x} - \\mathbf{b}\\|^2', wrt: 'x', op: 'hessian', text: '2AᵀA' },
  { f: '\\operatorname{logsumexp}(\\mathbf{x})', wrt: 'x', op: 'hessian', text: 'diag(s) − ssᵀ' },
  { f: '\\operatorname{sum}(\\exp(\\mathbf{x}))', wrt: 'x', op: 'hessian', text: 'diag(exp(x))' },
  { f: '\\ln(1 + \\exp(\\mathbf{w}^\\top\\mathbf{x}))', wrt: 'w', op: 'hessian' },
];

describe('matrix-calculus identities', () => {
  it('the table has at least 40 identities', () => assert.ok(identities.length >= 40));
  identities.forEach((id, i) => {
    const options: DifferentiateOptions = { wrt: [id.wrt], op: id.op };
    it(`${id.op ?? 'd'}/d${id.wrt} ${id.f}`, () => {
      if (id.text !== undefined) assert.equal(differentiate(id.f, options).text, id.text);
      for (const seed of [i + 1, i + 101]) {
        checkNumerically(id.f, options, {
          seed,
          positive: id.positive,
          tolerance: id.op === 'hessian' ? 1e-3 : 1e-5,
        });
      }
    });
  });
});

describe('Kronecker forms of matrix-by-matrix derivatives (vec stacks columns)', () => {
  const forms: [string, string][] = [
    ['X\\mathbf{b}', 'bᵀ ⊗ I'],
    ['AXB', 'Bᵀ ⊗ A'],
    ['AX', 'I ⊗ A'],
    ['XB', 'Bᵀ ⊗ I'],
    ['X^{-1}', '−X⁻ᵀ ⊗ X⁻¹'],
    ['X^2', 'Xᵀ ⊗ I + I ⊗ X'],
  ];
  for (const [f, text] of forms) {
    it(`∂vec(${f})/∂vec(X) = ${text}`, () => {
      assert.equal(differentiate(f, { wrt: ['X'] }).text, text);
      checkVecJacobian(f, 'X', f === 'X^{-1}' || f === 'X^2' ? { dims: { n: 3, m: 3 } } : {});
    });
  }
  it('Xᵀ would need a commutation matrix: refused with what the object is', () => {
    assert.throws(() => differentiate('X^\\top', { wrt: ['X'] }), /3rd- or 4th-order tensor/);
  });
});
