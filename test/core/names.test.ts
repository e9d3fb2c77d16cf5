/**
 * A superscript in brackets is a sample or layer index, part of the name (𝐱^{(j)}, W^{[l]},
 * x^{\{i\}}): printed as written, in LaTeX and in text, and never as a subscript x_(j).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { checkNumerically } from './numeric';

describe('sample and layer indices print as written', () => {
  const cases: [string, string, string, string][] = [
    // [expression, variable, LaTeX of the result, text of the result]
    ['\\mathbf{w}^\\top\\mathbf{x}^{(j)}', 'w', '\\mathbf{x}^{(j)}', 'x^(j)'],
    ['x^{(i)} y', 'y', 'x^{(i)}', 'x^(i)'],
    ['W^{[l]}\\mathbf{a}^{[l-1]}', 'a^{[l-1]}', 'W^{[l]}', 'W^[l]'],
    ['x^{\\{i\\}} y', 'y', 'x^{\\{i\\}}', 'x^{i}'],
    ['(x^{(i)})^2', 'x^{(i)}', '2 x^{(i)}', '2x^(i)'],
    [
      '\\mathbf{s}^{(j)}\\mathbf{s}^{(j)\\top}\\mathbf{v}',
      'v',
      '\\mathbf{s}^{(j)} \\mathbf{s}^{(j)\\top}',
      's^(j)s^(j)ᵀ',
    ],
    [
      '\\mathbf{x}^{(j)\\top} A \\mathbf{x}^{(j)}',
      'x^{(j)}',
      '\\left(A + A^\\top\\right) \\mathbf{x}^{(j)}',
      '(A + Aᵀ)x^(j)',
    ],
  ];
  for (const [f, wrt, latex, text] of cases) {
    it(f, () => {
      const r = differentiate(f, { wrt: [wrt] });
      assert.equal(r.latex, latex);
      assert.equal(r.text, text);
      checkNumerically(f, { wrt: [wrt] });
    });
  }

  it('the input echoes them, a power on one braced', () => {
    assert.equal(differentiate('(x^{(i)})^2').input.latex, '{x^{(i)}}^{2}');
    assert.equal(
      differentiate('\\mathbf{x}^{(j)\\top} A \\mathbf{x}^{(j)}').input.latex,
      '\\mathbf{x}^{(j)\\top} A \\mathbf{x}^{(j)}',
    );
  });

  it('brackets of different kinds are different names', () => {
    const r = differentiate('x^{(l)} + x^{[l]}');
    assert.deepEqual(
      r.variables.map((v) => v.name),
      ['x_(l)', 'x_[l]'],
    );
  });
});
