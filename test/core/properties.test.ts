/**
 * Property tests (fast-check): for generated expressions, the derivative agrees
 * with central finite differences, and printing to LaTeX then parsing back
 * gives the same function.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { derivation } from '../../src/core/derivation';
import { elaborate } from '../../src/core/elaborate';
import { evaluate, type Tensor } from '../../src/core/eval';
import type { Expr } from '../../src/core/expr';
import { parseLatex } from '../../src/core/parse/latex';
import { toLatex } from '../../src/core/print';
import { checkNumerically } from './numeric';

const scalarExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'y', 'z', '2', '3', '\\pi'),
    tie('e').map((a) => `\\sin\\left(${a}\\right)`),
    tie('e').map((a) => `\\cos(${a})`),
    tie('e').map((a) => `\\tanh(${a})`),
    tie('e').map((a) => `\\sigma(${a})`),
    tie('e').map((a) => `\\arctan(${a})`),
    tie('e').map((a) => `\\ln(1 + (${a})^2)`),
    tie('e').map((a) => `\\sqrt{1 + (${a})^2}`),
    tie('e').map((a) => `(${a})^{3}`),
    tie('e').map((a) => `e^{\\sin(${a})}`),
    tie('e').map((a) => `-(${a})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} + ${b}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a} - (${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `(${a}) \\cdot (${b})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `\\frac{${a}}{1 + (${b})^2}`),
  ),
})).e;

/** Vector expressions of 𝐱 ∈ ℝⁿ with a matrix A and a vector 𝐛. */
const vectorExpr: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('\\mathbf{x}', 'A\\mathbf{x}', '\\mathbf{b}'),
    tie('v').map((a) => `\\sigma(${a})`),
    tie('v').map((a) => `\\tanh(${a})`),
    tie('v').map((a) => `\\sin(${a})`),
    tie('v').map((a) => `A(${a})`),
    tie('v').map((a) => `A^\\top(${a})`),
    tie('v').map((a) => `3(${a})`),
    tie('v').map((a) => `\\operatorname{softmax}(${a})`),
    fc.tuple(tie('v'), tie('v')).map(([a, b]) => `(${a}) \\odot (${b})`),
    fc.tuple(tie('v'), tie('v')).map(([a, b]) => `${a} + ${b}`),
    fc.tuple(tie('v'), tie('v')).map(([a, b]) => `${a} - (${b})`),
  ),
})).v;

/** A function of nothing has no derivative to check. */
const withVariable = scalarExpr.filter((e) => /[xyz]/.test(e));

const scalarOfVector: fc.Arbitrary<string> = fc.oneof(
  vectorExpr.map((v) => `\\operatorname{sum}(${v})`),
  vectorExpr.map((v) => `\\|${v}\\|^2`),
  vectorExpr.map((v) => `\\mathbf{b}^\\top(${v})`),
  vectorExpr.map((v) => `\\operatorname{logsumexp}(${v})`),
  fc.tuple(vectorExpr, vectorExpr).map(([a, b]) => `(${a})^\\top(${b})`),
);

const declarations = [
  '\\mathbf{x} \\in \\mathbb{R}^{n}',
  '\\mathbf{b} \\in \\mathbb{R}^{n}',
  'A \\in \\mathbb{R}^{n \\times n}',
];

function valuesEqual(a: Tensor, b: Tensor): boolean {
  const fa = typeof a === 'number' ? [a] : Array.from(a.data);
  const fb = typeof b === 'number' ? [b] : Array.from(b.data);
  return (
    fa.length === fb.length &&
    fa.every(
      (x, i) =>
        Math.abs(x - fb[i]) <= 1e-9 * Math.max(1, Math.abs(x)) || (Number.isNaN(x) && Number.isNaN(fb[i])),
    )
  );
}

/** Parses LaTeX printed by the core back into an expression over the same variables. */
function reparse(latex: string, dims: Record<string, number>): Expr {
  return elaborate(parseLatex(latex), { dims }).body;
}

describe('property: derivatives agree with finite differences', () => {
  it('scalar expressions in x, y, z (gradient)', () => {
    fc.assert(
      fc.property(withVariable, fc.integer({ min: 1, max: 1000 }), (e, seed) => {
        checkNumerically(e, {}, { seed, tolerance: 1e-4 });
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('scalar functions of a vector (gradient with respect to the vector)', () => {
    fc.assert(
      fc.property(
        scalarOfVector,
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 5 }),
        (e, seed, n) => {
          checkNumerically(e, { wrt: ['x'], declarations, dims: { n } }, { seed, tolerance: 1e-4 });
        },
      ),
      { numRuns: 120, seed: 7 },
    );
  });

  it('vector functions of a vector (Jacobian, both layouts)', () => {
    fc.assert(
      fc.property(
        vectorExpr,
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        (e, seed, n, denominator) => {
          checkNumerically(
            e,
            { wrt: ['x'], declarations, dims: { n }, layout: denominator ? 'denominator' : 'numerator' },
            { seed, tolerance: 1e-4 },
          );
        },
      ),
      { numRuns: 120, seed: 11 },
    );
  });
});

describe('property: LaTeX printing round-trips', () => {
  it('input and derivative print to LaTeX that parses back to the same function', () => {
    fc.assert(
      fc.property(
        withVariable,
        fc.double({ min: -1, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (e, x, y) => {
          const d = derivation(e);
          const env = new Map<string, Tensor>([
            ['x', x],
            ['y', y],
            ['z', 0.3],
          ]);
          for (const original of [d.program.body, ...d.parts.map((p) => p.expr)]) {
            const back = reparse(toLatex(original), {});
            assert.ok(
              valuesEqual(evaluate(original, env), evaluate(back, env)),
              `${toLatex(original)} did not round-trip`,
            );
          }
        },
      ),
      { numRuns: 150, seed: 3 },
    );
  });
});
