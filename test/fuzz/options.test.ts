/**
 * Fuzzing the options of `differentiate`: every field at random, right types
 * and wrong ones (a JavaScript caller can pass anything), over expressions of
 * scalars, vectors and matrices.
 */
import { after, test } from 'node:test';
import fc from 'fast-check';
import { differentiateOrRefuse, reportSlowest } from './core';
import { fuzzRuns } from './runs';

after(() => reportSlowest('options'));

const expressions = fc.constantFrom(
  'f(x,y) = 3x^2y',
  '\\mathbf{x}^\\top A \\mathbf{x}',
  '\\|W\\mathbf{x} + \\mathbf{b} - \\mathbf{y}\\|^2',
  '\\operatorname{softmax}(\\mathbf{x})',
  '\\sigma(W\\mathbf{x})',
  '\\ln\\det(X)',
  'AB',
  '\\operatorname{tr}(aI + A)',
  '\\max(0, x)',
  '(x, y) => Math.sin(x) * y',
  '(w: number[]) => w',
  'x_{t+1}^2 + x_{a,b}',
  '\\frac{\\partial z}{\\partial \\mathbf{w}}',
  '\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2',
  "y' + z",
);

/** Anything a caller might put in a field by mistake. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.double(),
  fc.string({ maxLength: 6 }),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 3 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const or = <T>(good: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: junk });

const variable = fc.constantFrom(
  'x',
  'y',
  'a',
  'A',
  'W',
  'X',
  'b',
  'w',
  '\\mathbf{x}',
  'x_{t+1}',
  'constructor',
  '__proto__',
  'z',
);
const entry = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 1, -1));
const value = fc.oneof(
  entry,
  fc.array(entry, { minLength: 1, maxLength: 4 }),
  fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .chain(([m, n]) =>
      fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: m, maxLength: m }),
    ),
  fc.constantFrom([], [[]], [[1], [1, 2]], Number.NaN, Number.POSITIVE_INFINITY, 1e308),
);
const size = fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, -1, 1.5, Number.NaN));

const options = fc.record(
  {
    lang: or(fc.constantFrom('latex', 'ts')),
    op: or(fc.constantFrom('gradient', 'jacobian', 'hessian', 'derivative', 'evaluate', 'curl')),
    wrt: or(fc.array(variable, { maxLength: 3 })),
    layout: or(fc.constantFrom('numerator', 'denominator', 'denominatr')),
    at: or(fc.dictionary(variable, value, { maxKeys: 4 })),
    declarations: or(
      fc.array(
        fc.constantFrom(
          '\\mathbf{x} \\in \\mathbb{R}^{n}',
          'W \\in \\mathbb{R}^{m \\times n}',
          'a \\in \\mathbb{R}',
          'A \\in',
          '\\in \\mathbb{R}^3',
          'x',
        ),
        { maxLength: 2 },
      ),
    ),
    conventions: or(
      fc.record(
        {
          vectors: or(fc.array(variable, { maxLength: 2 })),
          matrices: or(fc.array(variable, { maxLength: 2 })),
        },
        { requiredKeys: [] },
      ),
    ),
    dims: or(fc.dictionary(fc.constantFrom('n', 'm', 'k', 'constructor'), size, { maxKeys: 3 })),
    definitions: or(
      fc.array(
        fc.constantFrom(
          'z = \\mathbf{w}\\cdot\\mathbf{x} + b',
          'y = f(x) = x + x^2',
          'f(x, y) = 3x^2y',
          'z = z + 1',
          'x = ',
          '\\mathbf{y} = A\\mathbf{x}',
        ),
        { maxLength: 3 },
      ),
    ),
    steps: or(fc.boolean()),
    check: or(fc.boolean()),
    emit: or(fc.constantFrom('ts', 'numpy', 'c')),
    colour: fc.string({ maxLength: 3 }),
  },
  { requiredKeys: [] },
);

test('random options, right and wrong types: only LensError escapes, each call within its budget', () => {
  fc.assert(
    fc.property(expressions, options, (e, o) => {
      differentiateOrRefuse(e, o);
    }),
    { numRuns: fuzzRuns(300) },
  );
});

test('options that are not an object: only LensError escapes', () => {
  fc.assert(
    fc.property(expressions, junk, (e, o) => {
      differentiateOrRefuse(e, o);
    }),
    { numRuns: fuzzRuns(100) },
  );
});
