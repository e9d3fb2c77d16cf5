/**
 * Random formulas, exported as NumPy functions of themselves and read back by
 * the Python front end, have the same derivative: the NumPy target and the
 * Python reader agree on what NumPy code means.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DifferentiateOptions } from '../../src/core/api';
import { derivation } from '../../src/core/derivation';
import { emit } from '../../src/core/emit';
import { LensError } from '../../src/core/errors';
import { evaluate } from '../../src/core/eval';
import { formulas, smooth } from '../fuzz/latex-generators';
import { flat, randomPoint } from './numeric';

/** One size for all: the names the two readings give sizes may differ. */
const DIMS = { n: 3, m: 3, k: 3, p: 3, q: 3, r: 3 };

/** Zero, one and identity arrays sized from arguments, step functions, piecewise choices. */
const OUTSIDE_THE_READER = /np\.(?:zeros|ones|eye|heaviside)\(|\.shape\b|\.reshape\(| if /;

/** The function `latex` as NumPy code (`def value_f(x, A): …`), its helpers spelled as library calls. */
function asNumPy(latex: string): string | undefined {
  try {
    const code = emit(derivation(latex, { op: 'evaluate', dims: DIMS }), 'numpy');
    return code
      .slice(code.indexOf('def value_f'))
      .replaceAll('_softmax(', 'scipy.special.softmax(')
      .replaceAll('_logsumexp(', 'scipy.special.logsumexp(');
  } catch (e) {
    if (e instanceof LensError) return undefined;
    throw e;
  }
}

/** Whether the derivative of `latex` and of its NumPy code agree at a random point; undefined when not comparable. */
function sameDerivative(latex: string, options: DifferentiateOptions = {}): boolean | undefined {
  let original;
  try {
    original = derivation(latex, { ...options, dims: DIMS });
  } catch (e) {
    if (e instanceof LensError) return undefined;
    throw e;
  }
  if (original.op === 'evaluate' || original.wrt.length === 0) return undefined;
  const python = asNumPy(latex);
  // Exported code may build constants the reader does not take (it reads formulas, not array plumbing).
  if (python === undefined || OUTSIDE_THE_READER.test(python)) return undefined;
  const wrt = original.wrt.map((v) => v.name);
  const read = derivation(python, { lang: 'python', dims: DIMS, wrt, op: original.op });
  const env = randomPoint(original.program.declared, 3);
  const values = (parts: typeof original.parts) => parts.flatMap((p) => flat(evaluate(p.expr, env)));
  const a = values(original.parts);
  const b = values(read.parts);
  assert.equal(b.length, a.length, `${latex}\n${python}`);
  return a.every((x, i) => {
    const y = b[i];
    return (Number.isNaN(x) && Number.isNaN(y)) || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
  });
}

test('smooth functions of x and y: NumPy code read back has the same gradient', () => {
  let compared = 0;
  fc.assert(
    fc.property(smooth.f, (f) => {
      const same = sameDerivative(f);
      if (same !== undefined) compared++;
      return same !== false;
    }),
    { numRuns: 150, seed: 7 },
  );
  assert.ok(compared > 50, `only ${compared} compared`);
});

test('formulas of the notes (vectors and matrices): NumPy code read back has the same derivative', () => {
  let compared = 0;
  fc.assert(
    fc.property(formulas.formula, (f) => {
      const same = sameDerivative(f);
      if (same !== undefined) compared++;
      return same !== false;
    }),
    { numRuns: 200, seed: 11 },
  );
  assert.ok(compared > 30, `only ${compared} compared`);
});
