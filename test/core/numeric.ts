/**
 * Finite-difference oracle for the tests: instantiate sizes and random values,
 * then compare a derivative's value with central differences of the original
 * function. Independent of the differentiation rules it checks.
 */
import assert from 'node:assert/strict';
import type { DifferentiateOptions } from '../../src/core/api';
import { derivation } from '../../src/core/derivation';
import { evaluate, fromTensor, type Tensor, type Matrix } from '../../src/core/eval';
import { type Expr, type Sym, resolveDim } from '../../src/core/expr';
import { random as rng } from '../../src/core/check';
import { randomFunctions } from '../../src/core/abstract';

/** Abstract functions (`f(g(x))`) are evaluated as these random smooth functions. */
const FUNCTIONS = randomFunctions(7);

export { rng };

function size(d: Parameters<typeof resolveDim>[0]): number {
  const r = resolveDim(d);
  if (typeof r !== 'number') throw new Error(`size ${String(r)} not concrete`);
  return r;
}

function randomValue(v: Sym, random: () => number, positive: boolean, symmetric = false): Tensor {
  const draw = () => (positive ? 0.5 + random() : 2 * random() - 1);
  const s = v.shape;
  if (s.kind === 'scalar') return draw();
  const m = s.kind === 'matrix' ? size(s.m) : s.kind === 'vector' ? size(s.n) : 1;
  const n = s.kind === 'matrix' ? size(s.n) : s.kind === 'row' ? size(s.n) : 1;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) data[i] = draw();
  // Square matrices get a dominant diagonal: invertible with a positive determinant (for inverses and log det).
  if (s.kind === 'matrix' && m === n) for (let i = 0; i < n; i++) data[i * n + i] += n + 1;
  // A matrix declared symmetric is checked at a symmetric point, where its results are read.
  if (symmetric) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) data[i * n + j] = data[j * n + i];
  return { m, n, data };
}

/** Random values for `vars` (one per name: a name listed twice keeps its first value), reproducible from `seed`. */
export function randomPoint(vars: readonly Sym[], seed = 1): Map<string, Tensor> {
  const random = rng(seed);
  const env = new Map<string, Tensor>();
  for (const v of vars) if (!env.has(v.name)) env.set(v.name, randomValue(v, random, false));
  return env;
}

export function flat(t: Tensor): number[] {
  return typeof t === 'number' ? [t] : Array.from(t.data);
}

function perturbed(t: Tensor, j: number, h: number): Tensor {
  if (typeof t === 'number') return t + h;
  const data = t.data.slice();
  data[j] += h;
  return { m: t.m, n: t.n, data } as Matrix;
}

export interface NumericCheck {
  readonly maxError: number;
  readonly analytic: number[];
  readonly numeric: number[];
}

/**
 * Differentiates `expression` and checks every part numerically at a random
 * point; throws (assert) when any entry disagrees beyond `tolerance`.
 */
export function checkNumerically(
  expression: string,
  options: DifferentiateOptions = {},
  {
    seed = 1,
    positive = false,
    tolerance = 1e-5,
    /** Applied to each part before it is evaluated: checks a form of the result (as shown) instead. */
    transform = (e: Expr): Expr => e,
  } = {},
): NumericCheck {
  const dims = options.dims ?? { n: 3, m: 4, k: 2, p: 5, q: 2, r: 3 };
  const d = derivation(expression, { ...options, dims });
  const random = rng(seed);
  const env = new Map<string, Tensor>();
  for (const v of d.program.declared)
    env.set(v.name, randomValue(v, random, positive, d.program.symmetric.has(v.name)));
  const f = d.program.body;
  const h = 1e-5;
  const analytic: number[] = [];
  const numeric: number[] = [];
  for (const part of d.parts) {
    const value = evaluate(transform(part.expr), env, FUNCTIONS);
    analytic.push(...flat(value));
    numeric.push(...expected(f, part.wrt, env, d.op, d.layout, h, part.by));
  }
  assert.equal(
    analytic.length,
    numeric.length,
    `${expression}: result has ${analytic.length} entries, expected ${numeric.length}`,
  );
  let maxError = 0;
  analytic.forEach((a, i) => {
    const err = Math.abs(a - numeric[i]) / Math.max(1, Math.abs(numeric[i]));
    maxError = Math.max(maxError, err);
  });
  assert.ok(
    maxError < tolerance,
    `${expression}: max relative error ${maxError}\n analytic ${analytic.map((x) => x.toFixed(6))}\n numeric  ${numeric.map((x) => x.toFixed(6))}`,
  );
  return { maxError, analytic, numeric };
}

/** Central differences of f, arranged as the core arranges the op in the given layout. */
function expected(
  f: Expr,
  wrt: readonly Sym[],
  env: Map<string, Tensor>,
  op: string,
  layout: string,
  h: number,
  /** The column variable of one block of a Hessian with respect to several variables. */
  by?: Sym,
): number[] {
  const at = (e: Map<string, Tensor>) => flat(evaluate(f, e, FUNCTIONS));
  const entriesOf = (vs: readonly Sym[]) =>
    vs.flatMap((v) => flat(env.get(v.name)!).map((_, j) => ({ name: v.name, j })));
  const inputs = entriesOf(wrt);
  const shifted = (shifts: { name: string; j: number; h: number }[]) => {
    const e = new Map(env);
    for (const s of shifts) e.set(s.name, perturbed(e.get(s.name)!, s.j, s.h));
    return at(e);
  };
  if (op === 'hessian') {
    const out: number[] = [];
    const hh = 1e-4;
    for (const a of inputs) {
      for (const b of by ? entriesOf([by]) : inputs) {
        const pp = shifted([
          { ...a, h: hh },
          { ...b, h: hh },
        ])[0];
        const pm = shifted([
          { ...a, h: hh },
          { ...b, h: -hh },
        ])[0];
        const mp = shifted([
          { ...a, h: -hh },
          { ...b, h: hh },
        ])[0];
        const mm = shifted([
          { ...a, h: -hh },
          { ...b, h: -hh },
        ])[0];
        out.push((pp - pm - mp + mm) / (4 * hh * hh));
      }
    }
    return out;
  }
  // J[i][k] = ∂f_i/∂input_k
  const columns = inputs.map((inp) => {
    const plus = shifted([{ ...inp, h }]);
    const minus = shifted([{ ...inp, h: -h }]);
    return plus.map((p, i) => (p - minus[i]) / (2 * h));
  });
  const outputs = columns[0]?.length ?? 0;
  const out: number[] = [];
  const transposed = layout === 'denominator' && outputs > 1;
  if (transposed) for (const col of columns) out.push(...col);
  else for (let i = 0; i < outputs; i++) for (const col of columns) out.push(col[i]);
  return out;
}

export { fromTensor };

/** Central differences of vec(f) with respect to vec(X), vec stacking columns (the Kronecker convention). */
export function checkVecJacobian(
  expression: string,
  x: string,
  options: DifferentiateOptions = {},
  seed = 1,
): number {
  const dims = options.dims ?? { n: 3, m: 2, k: 4, p: 2 };
  const d = derivation(expression, { ...options, wrt: [x], dims });
  const random = rng(seed);
  const env = new Map<string, Tensor>();
  for (const v of d.program.declared) env.set(v.name, randomValue(v, random, false));
  const vecOf = (t: Tensor): number[] => {
    if (typeof t === 'number') return [t];
    const out: number[] = [];
    for (let j = 0; j < t.n; j++) for (let i = 0; i < t.m; i++) out.push(t.data[i * t.n + j]);
    return out;
  };
  const X = env.get(x) as Matrix;
  const h = 1e-6;
  const columns: number[][] = [];
  for (let j = 0; j < X.n; j++) {
    for (let i = 0; i < X.m; i++) {
      const shifted = (s: number) => {
        const e = new Map(env);
        e.set(x, perturbed(X, i * X.n + j, s));
        return vecOf(evaluate(d.program.body, e, FUNCTIONS));
      };
      const plus = shifted(h);
      const minus = shifted(-h);
      columns.push(plus.map((p, r) => (p - minus[r]) / (2 * h)));
    }
  }
  const j = evaluate(d.parts[0].expr, env, FUNCTIONS) as Matrix;
  let maxError = 0;
  columns.forEach((col, c) =>
    col.forEach((v, r) => {
      maxError = Math.max(maxError, Math.abs(j.data[r * j.n + c] - v) / Math.max(1, Math.abs(v)));
    }),
  );
  assert.ok(maxError < 1e-5, `${expression}: max relative error ${maxError}`);
  return maxError;
}
