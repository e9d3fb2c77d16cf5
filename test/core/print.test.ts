/**
 * The printers' layout choices that make a result unambiguous and spelled one way:
 * bracketed denominators, outer products without a dot, 𝟏ᵀ𝐲 for a sum of entries,
 * Hadamard powers, and conditions on vectors that say they hold entry by entry.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { differentiate } from '../../src/core';
import { evaluateAll } from '../../src/core/derivation';
import { toLatex, toText } from '../../src/core/print';

/** How the core prints `latex` read as it is (no derivative taken). */
function printed(latex: string, declarations: string[] = []): { latex: string; text: string } {
  const e = evaluateAll([latex], { declarations }).exprs[0];
  return { latex: toLatex(e), text: toText(e) };
}

test('a denominator that is a product is bracketed in text: 1/(x(1 + y²/x²))', () => {
  assert.equal(printed('\\frac{1}{x(1 + y^2/x^2)}').text, '1/(x(1 + y²/x²))');
  assert.equal(printed('\\frac{1}{2 x y}').text, '1/(2xy)');
  // One factor needs no brackets.
  assert.equal(printed('\\frac{1}{\\sin(x)}').text, '1/sin(x)');
});

test('a sum on top of a vector fraction keeps its brackets: (x + 1)𝐯/z', () => {
  assert.deepEqual(printed('\\frac{x + 1}{z}\\mathbf{v}'), {
    latex: '\\frac{\\left(x + 1\\right) \\mathbf{v}}{z}',
    text: '(x + 1)v/z',
  });
});

test('outer products print without a dot', () => {
  assert.deepEqual(printed('\\mathbf{1}\\mathbf{s}^\\top'), {
    latex: '\\mathbf{1} \\mathbf{s}^\\top',
    text: '𝟏sᵀ',
  });
  assert.equal(printed('\\mathbf{u}\\mathbf{v}^\\top').text, 'uvᵀ');
});

test('the sum of entries is 𝟏ᵀ𝐲 wherever it is printed, bracketed before a vector', () => {
  assert.deepEqual(printed('\\sum_i y_i', ['\\mathbf{y} \\in \\mathbb{R}^n']), {
    latex: '\\mathbf{1}^\\top \\mathbf{y}',
    text: '𝟏ᵀy',
  });
  const r = differentiate('\\mathbf{y}^\\top \\ln \\operatorname{softmax}(\\mathbf{x})', { wrt: ['x'] });
  assert.equal(r.text, 'y − (𝟏ᵀy)s');
  assert.equal(r.latex, '\\mathbf{y} - \\left(\\mathbf{1}^\\top \\mathbf{y}\\right) \\mathbf{s}');
  // A matrix's entries: 𝟏ᵀX𝟏.
  assert.equal(printed('\\operatorname{sum}(X)', ['X \\in \\mathbb{R}^{n \\times m}']).text, '𝟏ᵀX𝟏');
});

test('an element-wise power of a matrix is a Hadamard power, not a matrix power', () => {
  assert.deepEqual(printed('X \\odot X', ['X \\in \\mathbb{R}^{n \\times n}']), {
    latex: 'X^{\\circ 2}',
    text: 'X^∘2',
  });
  // A vector's power is element-wise anyway; a row's is written on the column.
  assert.equal(printed('\\mathbf{v} \\odot \\mathbf{v}').text, 'v²');
  assert.equal(printed('(\\mathbf{v} \\odot \\mathbf{v})^\\top').text, '(v²)ᵀ');
});

test('roots: √, ∛, ∜, and a fifth root as a power (5√(x) would read as 5·√(x))', () => {
  assert.equal(printed('\\sqrt[4]{x} + \\sqrt[5]{x}').text, '∜(x) + x^(1/5)');
  assert.equal(printed('\\sqrt[5]{x + 1}').text, '(x + 1)^(1/5)');
});

test('a name with a text subscript is not juxtaposed with the next: w_ij·x', () => {
  assert.equal(printed('w_{ij} x^2').text, 'w_ij·x²');
  assert.equal(printed('2 w_{ij}').text, '2w_ij');
});

test('conditions on vectors and matrices hold entry by entry; a norm is smooth away from 𝟎 as a whole', () => {
  const relu = differentiate('\\operatorname{ReLU}(W\\mathbf{x} + \\mathbf{b})', { wrt: ['W'] });
  assert.deepEqual(relu.conditions, [
    {
      latex: '\\left(W \\mathbf{x} + \\mathbf{b}\\right)_{i} \\neq 0\\ \\text{for each } i',
      text: '(Wx + b)ᵢ ≠ 0 for each i',
    },
  ]);
  assert.ok(relu.assumptions.some((a) => a.text === 'valid where (Wx + b)ᵢ ≠ 0 for each i'));
  assert.deepEqual(differentiate('\\|\\mathbf{x}\\|_1').conditions, [
    { latex: 'x_{i} \\neq 0\\ \\text{for each } i', text: 'xᵢ ≠ 0 for each i' },
  ]);
  // |X| of a matrix is its determinant: abs of each entry is written as a function.
  assert.deepEqual(differentiate('\\operatorname{tr}(\\operatorname{abs}(X))').conditions, [
    { latex: 'X_{ij} \\neq 0\\ \\text{for each } i, j', text: 'Xᵢⱼ ≠ 0 for each i, j' },
  ]);
  assert.deepEqual(differentiate('\\|\\mathbf{x}\\|_2').conditions, [
    { latex: '\\mathbf{x} \\neq \\mathbf{0}', text: 'x ≠ 0' },
  ]);
  // A scalar condition is as it was.
  assert.deepEqual(differentiate('|x|').conditions, [{ latex: 'x \\neq 0', text: 'x ≠ 0' }]);
});

test('a sum with a factor pulled out starts with a positive term: ((𝟏ᵀy)s − y)xᵀ', () => {
  const f = '-\\mathbf{y}^\\top \\ln \\operatorname{softmax}(W\\mathbf{x})';
  assert.equal(differentiate(f, { wrt: ['W'] }).text, '((𝟏ᵀy)s − y)xᵀ');
  assert.equal(differentiate(f, { wrt: ['x'] }).text, 'Wᵀ((𝟏ᵀy)s − y)');
});

test('a vector nonzero as a whole and entry by entry are two conditions', () => {
  const texts = differentiate('\\|\\mathbf{x}\\|_2 + \\|\\mathbf{x}\\|_1').conditions.map((c) => c.text);
  assert.deepEqual(texts, ['x ≠ 0', 'xᵢ ≠ 0 for each i']);
});
