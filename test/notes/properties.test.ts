/**
 * Property: a note stating the core's own derivative of a generated expression
 * is checked as holding, and the same note with the result perturbed (+ 1, × 2)
 * as wrong — the checker agrees with the differentiator, and it notices a change.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { differentiate } from '../../src/core';
import { check } from '../../src/notes/check';

const scalar: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', '2', '3'),
    tie('e').map((a) => `\\sin(${a})`),
    tie('e').map((a) => `\\tanh(${a})`),
    tie('e').map((a) => `\\sigma(${a})`),
    tie('e').map((a) => `\\ln(1 + (${a})^2)`),
    tie('e').map((a) => `(${a})^{2}`),
    tie('e').map((a) => `e^{\\sin(${a})}`),
    tie('e').map((a) => `\\left|${a}\\right|`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} + ${b}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) (${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\frac{${a}}{2 + \\cos(${b})}`),
  ),
})).e;

const vector: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('\\mathbf{x}', 'A\\mathbf{x}', '\\mathbf{b}'),
    tie('v').map((a) => `\\tanh(${a})`),
    tie('v').map((a) => `A^\\top(${a})`),
    fc.tuple(tie('v'), tie('v')).map(([a, b]) => `(${a}) \\odot (${b})`),
    fc.tuple(tie('v'), tie('v')).map(([a, b]) => `${a} - (${b})`),
  ),
})).v;

const DECLARATIONS = '$\\mathbf{x}, \\mathbf{b} \\in \\mathbb{R}^n$, $A \\in \\mathbb{R}^{n \\times n}$\n\n';

function verdict(note: string): string {
  const steps = check(note, 'markdown');
  assert.equal(steps.length, 1, note);
  return `${steps[0].verdict}: ${steps[0].reason}`;
}

test('d/dx E = (our derivative) holds; + 1 or × 2 of it is wrong', () => {
  fc.assert(
    fc.property(
      scalar.filter((e) => e.includes('x')),
      (e) => {
        const d = differentiate(e, { wrt: ['x'] });
        fc.pre(d.latex !== '0' && !d.latex.includes('\\begin{cases}'));
        // The result's named intermediates (u₁ = …) are definitions of the note.
        const where = d.definitions.map((x) => `$${x.definitionLatex}$\n\n`).join('');
        const lhs = `\\frac{\\partial}{\\partial x}\\left(${e}\\right)`;
        const ours = verdict(`${where}$$${lhs} = ${d.latex}$$`);
        // σ far out (σ((x² + 5)²)): a derivative below rounding noise at every point is rightly left unchecked.
        fc.pre(!ours.startsWith('unchecked: the sides are too small'));
        assert.match(ours, /^holds/);
        assert.match(verdict(`${where}$$${lhs} = ${d.latex} + 1$$`), /^wrong/);
        assert.match(verdict(`${where}$$${lhs} = 2\\left(${d.latex}\\right)$$`), /^wrong/);
      },
    ),
    { numRuns: 60 },
  );
});

test('the gradient of a scalar of a vector: our result holds, twice it is wrong', () => {
  fc.assert(
    fc.property(
      vector,
      fc.constantFrom('\\|%\\|^2', '\\mathbf{b}^\\top(%)', '\\operatorname{sum}(%)'),
      (v, wrap) => {
        const e = wrap.replace('%', v);
        fc.pre(e.includes('\\mathbf{x}'));
        const d = differentiate(e, {
          wrt: ['x'],
          declarations: [
            '\\mathbf{x} \\in \\mathbb{R}^n',
            '\\mathbf{b} \\in \\mathbb{R}^n',
            'A \\in \\mathbb{R}^{n \\times n}',
          ],
        });
        fc.pre(d.definitions.length === 0 && !/\\mathbf\{0\}|^0$/.test(d.latex));
        const lhs = `\\nabla_{\\mathbf{x}} ${e}`;
        assert.match(verdict(`${DECLARATIONS}$$${lhs} = ${d.latex}$$`), /^holds/);
        assert.match(verdict(`${DECLARATIONS}$$${lhs} = 2\\left(${d.latex}\\right)$$`), /^wrong/);
      },
    ),
    { numRuns: 40 },
  );
});
