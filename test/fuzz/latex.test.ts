/**
 * Fuzzing the LaTeX front end: formulas as the notes write them, fragments of
 * them glued together at random, and smooth scalar functions whose value and
 * finite-difference check must come out finite and agreeing.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { allFinite, differentiateOrRefuse, reportSlowest } from './core';
import { fuzzRuns } from './runs';
import {
  matrixName,
  number,
  prototypeName,
  scalarName,
  smooth,
  vectorName,
  formulas,
} from './latex-generators';

const { formula } = formulas;

after(() => reportSlowest('latex'));

/** Pieces of LaTeX that break parsers: unbalanced groups, missing arguments, stray scripts, environments. */
const fragment = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '(',
    ')',
    '[',
    ']',
    '\\{',
    '\\}',
    '\\left(',
    '\\right)',
    '\\left.',
    '\\right|',
    '\\|',
    '|',
    '\\frac',
    '\\frac{',
    '\\frac{1}',
    '\\sqrt',
    '\\sqrt[3]',
    '^',
    '_',
    '^^',
    '__',
    '^{',
    '_{',
    "'",
    '!',
    '\\begin{bmatrix}',
    '\\end{bmatrix}',
    '\\begin{pmatrix}',
    '\\begin{cases}',
    '\\end{cases}',
    '&',
    '\\\\',
    '\\operatorname',
    '\\operatorname{',
    '\\mathbf',
    '\\mathbf{',
    '\\text{',
    '\\mathbb{R}',
    '\\in',
    ',',
    ';',
    '=',
    '\\sum',
    '\\sum_{i=1}^{n}',
    '\\prod',
    '\\int',
    '\\partial',
    '\\nabla',
    '\\frac{\\partial}{\\partial x}',
    '\\frac{\\partial',
    '}{\\partial',
    '\\frac{d}{dx}',
    '\\frac{d',
    '}{d',
    '\\mathrm{d}',
    '\\partial^2',
    '/\\partial x',
    '\\partial_',
    '\\nabla_{\\mathbf{x}}',
    '\\nabla^2',
    '\\nabla_',
    '\\triangledown',
    'J_f',
    '\\mathbf{J}_',
    'D_x',
    'D',
    "y'",
    "''",
    '\\langle',
    '\\rangle',
    '\\cdot',
    '\\odot',
    '\\otimes',
    '\\top',
    '\\intercal',
    'T',
    '\\dots',
    '\\ldots',
    '$',
    '$$',
    '\\(',
    '\\)',
    '%',
    '#',
    '\\',
    '\\\\\\',
    '\\max',
    '\\min',
    '\\det',
    '\\operatorname{tr}',
    '\\operatorname{diag}',
    '\\mathbf{1}',
    '\\mathbf{0}',
    'I',
    'e^',
    '\\exp',
    '\\ln',
    '\\log_2',
    '10^{999}',
    '1e400',
    '0^',
    '-',
    '+',
    '*',
    '/',
    '\\!',
    '\\,',
    '\\quad',
    '~',
    '\u00a0',
    'α',
    'ℝ',
    '∑',
    '−',
    '×',
    '\u0000',
    '\ud800',
    '😀',
  ),
  scalarName,
  vectorName,
  matrixName,
  number,
  prototypeName,
);

test('formulas as the notes write them: only LensError escapes, each call within its budget', () => {
  fc.assert(
    fc.property(
      formula,
      fc.constantFrom(undefined, 'gradient', 'jacobian', 'hessian', 'derivative'),
      (e, op) => {
        differentiateOrRefuse(e, op ? { op } : {});
      },
    ),
    { numRuns: fuzzRuns(150) },
  );
});

test('fragments glued together at random: only LensError escapes', () => {
  fc.assert(
    fc.property(fc.array(fragment, { maxLength: 14 }), fc.constantFrom('', ' '), (parts, sep) => {
      differentiateOrRefuse(parts.join(sep));
    }),
    { numRuns: fuzzRuns(400) },
  );
});

test('arbitrary text, including unicode: only LensError escapes', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
      differentiateOrRefuse(s);
    }),
    { numRuns: fuzzRuns(300) },
  );
});

const coordinate = fc.double({ min: -2, max: 2, noNaN: true });

test('smooth scalar functions at random points: finite value, and the check never disagrees', () => {
  fc.assert(
    fc.property(smooth.f, coordinate, coordinate, (f, x, y) => {
      const r = differentiateOrRefuse(`${f} + x y`, { at: { x, y }, check: true });
      assert.ok(r, `refused ${f}`);
      assert.ok(allFinite(r.value), `value ${JSON.stringify(r.value)}`);
      assert.notEqual(r.check?.verdict, 'disagrees', r.check?.message ?? 'no check');
    }),
    { numRuns: fuzzRuns(150) },
  );
});
