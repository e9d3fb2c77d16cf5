/**
 * Numeric check: the exact derivative against central finite differences of
 * the function at one point (the user's, or a random one).
 *
 * Where a piecewise condition or a kink condition of the derivation holds
 * (nearly) with equality — ReLU at 𝐰·𝐱 + b = 0, |x| at 0 — the one-sided
 * differences are compared first: when they differ the function has no
 * derivative there, which is reported as such rather than as a failure.
 */
import type { CheckResult, Value } from './api';
import type { Derivation, Part } from './derivation';
import { LensError } from './errors';
import { evaluate, toTensor, type Environment, type Tensor } from './eval';
import { normalizeName } from './derivation';
import { type Condition, type Dim, type Expr, type Sym, cols, postorder, resolveDim, rows } from './expr';
import { toText } from './print';
import { random } from './random';
import { type AbstractFunctions, randomFunctions } from './abstract';

// Re-exported for the tests and benches that draw their points the same way.
export { random };
import { numericCost, numericEntries, requireNumericWork } from './limits';

/** Symbolic sizes get this many entries for a random point. */
export const DEFAULT_SIZE = 3;

const TOLERANCE = 1e-5;
const HESSIAN_TOLERANCE = 1e-3;
/** One-sided slopes further apart than this (relative) mean a kink. */
const KINK_JUMP = 1e-3;

/** Flattened row-major entries. */
function flat(t: Tensor): number[] {
  return typeof t === 'number' ? [t] : Array.from(t.data);
}

function dims(t: Tensor): [number, number] {
  return typeof t === 'number' ? [1, 1] : [t.m, t.n];
}

function transposeFlat(values: readonly number[], m: number, n: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) out.push(values[i * n + j]);
  return out;
}

/** The sizes a derivation leaves symbolic (`n`, `m`), which a random point must fix. */
export function symbolicSizes(d: Derivation): string[] {
  const names = new Set<string>();
  const note = (dim: Dim) => {
    const r = resolveDim(dim);
    if (typeof r === 'string') names.add(r);
  };
  // The variables', and the sizes of vector functions' values (𝐟(𝐱) has a length of its own).
  const abstract = postorder([d.program.body]).filter((e) => e.type === 'apply');
  for (const v of [...d.program.variables, ...abstract]) {
    if (v.shape.kind === 'vector' || v.shape.kind === 'row') note(v.shape.n);
    if (v.shape.kind === 'matrix') {
      note(v.shape.m);
      note(v.shape.n);
    }
  }
  return [...names];
}

function sizeOf(d: Dim): number {
  const r = resolveDim(d);
  if (typeof r !== 'number') throw new LensError(`the size ${typeof r === 'string' ? r : '?'} is not known`);
  return r;
}

/** A random value of v's shape; symmetric for a matrix declared so (results are read at symmetric points). */
export function randomValue(v: Sym, draw: () => number, symmetric = v.symmetric === true): Value {
  const s = v.shape;
  if (s.kind === 'scalar') return draw();
  if (s.kind === 'matrix') {
    const rows = Array.from({ length: sizeOf(s.m) }, () => Array.from({ length: sizeOf(s.n) }, draw));
    if (symmetric) for (let i = 0; i < rows.length; i++) for (let j = 0; j < i; j++) rows[i][j] = rows[j][i];
    return rows;
  }
  return Array.from({ length: sizeOf(s.n) }, draw);
}

function allFinite(t: Tensor): boolean {
  return flat(t).every(Number.isFinite);
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4).replace(/\.?0+(e|$)/, '$1');
}

function formatPoint(point: Readonly<Record<string, Value>>): string {
  const show = (v: Value): string =>
    typeof v === 'number'
      ? formatNumber(v)
      : `[${(v as (number | number[])[]).map((x) => show(x as Value)).join(', ')}]`;
  return Object.entries(point)
    .map(([k, v]) => `${k} = ${show(v)}`)
    .join(', ');
}

/** Every condition a result depends on: the core's kink conditions and the conditions of piecewise branches. */
function conditionsOf(d: Derivation): Condition[] {
  const out: Condition[] = [...d.conditions];
  for (const e of postorder(d.parts.map((p) => p.expr)))
    if (e.type === 'piecewise') out.push(...e.cases.map((c) => c.when));
  return out;
}

interface Probe {
  readonly env: Map<string, Tensor>;
  readonly f: (env: Environment) => number[];
}

/** Central, forward and backward differences of f in the direction of one entry. */
function slopes(
  probe: Probe,
  name: string,
  index: number,
  h: number,
): { central: number[]; forward: number[]; backward: number[] } {
  const base = probe.env.get(name)!;
  const at = (delta: number): number[] => {
    const env = new Map(probe.env);
    if (typeof base === 'number') env.set(name, base + delta);
    else {
      const data = base.data.slice();
      data[index] += delta;
      env.set(name, { m: base.m, n: base.n, data });
    }
    return probe.f(env);
  };
  const f0 = probe.f(probe.env);
  const plus = at(h);
  const minus = at(-h);
  return {
    central: plus.map((p, i) => (p - minus[i]) / (2 * h)),
    forward: plus.map((p, i) => (p - f0[i]) / h),
    backward: minus.map((m, i) => (f0[i] - m) / h),
  };
}

function step(x: number, scale: number): number {
  return scale * Math.max(1, Math.abs(x));
}

function entries(
  env: ReadonlyMap<string, Tensor>,
  wrt: readonly Sym[],
): { name: string; index: number; x: number }[] {
  return wrt.flatMap((v) => flat(env.get(v.name)!).map((x, index) => ({ name: v.name, index, x })));
}

/** Like `entries`, in vec order (a matrix's columns stacked), the order of ∂²f/∂vec(X)². */
function vecEntries(
  env: ReadonlyMap<string, Tensor>,
  wrt: readonly Sym[],
): { name: string; index: number; x: number }[] {
  return wrt.flatMap((v) => {
    const t = env.get(v.name)!;
    const values = flat(t);
    const [m, n] = dims(t);
    return values.map((_, k) => {
      const index = (k % m) * n + Math.floor(k / m);
      return { name: v.name, index, x: values[index] };
    });
  });
}

/** Column-major (vec) position of the row-major entry `i` of an m×n array: vec stacks columns. */
function vecIndex(i: number, m: number, n: number): number {
  return (i % n) * m + Math.floor(i / n);
}

/** The exact derivative's entries in the order the finite differences produce them (rows of f, columns of the variables). */
function expectedOrder(d: Derivation, part: Part, exact: Tensor, fShape: Expr['shape']): number[] {
  const values = flat(exact);
  if (part.entrywise) return values;
  const [m, n] = dims(exact);
  const single = part.wrt.length === 1 ? part.wrt[0] : undefined;
  if (single?.shape.kind === 'matrix' && fShape.kind !== 'scalar') {
    // Kronecker form ∂vec(f)/∂vec(X): both indices are column-major, the differences' row-major.
    const jacobian = d.layout === 'denominator' ? transposeFlat(values, m, n) : values;
    const [fm, fn] = [sizeOf(rows(fShape)), sizeOf(cols(fShape))];
    const [xm, xn] = [sizeOf(single.shape.m), sizeOf(single.shape.n)];
    const width = xm * xn;
    const out: number[] = [];
    for (let i = 0; i < fm * fn; i++)
      for (let j = 0; j < width; j++) out.push(jacobian[vecIndex(i, fm, fn) * width + vecIndex(j, xm, xn)]);
    return out;
  }
  const matrixOfScalar = single?.shape.kind === 'matrix' && fShape.kind === 'scalar';
  const scalarOfMatrix = single?.shape.kind === 'scalar' && fShape.kind === 'matrix';
  // A Hessian (and each of its blocks) is the same in both layouts: it is symmetric as a whole.
  const transposed =
    d.op !== 'gradient' &&
    d.op !== 'hessian' &&
    (matrixOfScalar
      ? d.layout === 'numerator'
      : (scalarOfMatrix || (m > 1 && n > 1)) && d.layout === 'denominator');
  return transposed ? transposeFlat(values, m, n) : values;
}

/**
 * The exact side of a column-by-column part: the Jacobian of column j of f = value by column j
 * of the variable, for every j (each with `output` set to column j of the value), row by row.
 */
function columnJacobians(
  jacobian: Expr,
  output: string,
  env: Environment,
  value: Tensor,
  functions: AbstractFunctions,
): number[] {
  if (typeof value === 'number')
    return flat(evaluate(jacobian, new Map([...env, [output, value]]), functions));
  const out: number[] = [];
  for (let j = 0; j < value.n; j++) {
    const column = Float64Array.from({ length: value.m }, (_, i) => value.data[i * value.n + j]);
    const columnEnv = new Map([...env, [output, { m: value.m, n: 1, data: column }]]);
    out.push(...flat(evaluate(jacobian, columnEnv, functions)));
  }
  return out;
}

/** The same entries from the differences: ∂f_ij/∂X_kj, for each column j, row i, entry k (`slopes[e]` is by the e-th entry of X, row by row). */
function columnSlopes(slopes: readonly number[][], shape: Expr['shape']): number[] {
  const [m, n] = [sizeOf(rows(shape)), sizeOf(cols(shape))];
  const out: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) out.push(slopes[k * n + j][i * n + j]);
  return out;
}

function compare(exact: readonly number[], numeric: readonly number[]): { error: number; worst: number } {
  let error = 0;
  let worst = -1;
  exact.forEach((a, i) => {
    const b = numeric[i];
    const e = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
    if (!(e <= error)) {
      error = e;
      worst = i;
    }
  });
  return { error, worst };
}

/**
 * Checks every part of `d` at `point` (all variables) or at a random point.
 * `d` must have concrete sizes; `differentiate` re-derives with DEFAULT_SIZE when they are symbolic.
 */
export function checkDerivation(
  d: Derivation,
  point?: Readonly<Record<string, Value>>,
  seed = 1,
): CheckResult {
  // A declared variable the body does not use (derivative 0) still needs a value to be probed.
  const variables = [...new Set([...d.program.variables.filter((v) => v.role === 'var'), ...d.wrt])];
  const f = d.program.body;
  // Abstract functions (f(g(x))) are checked as random smooth functions drawn from the same seed.
  const functions = randomFunctions(seed);
  const evalF = (env: Environment) => flat(evaluate(f, env, functions));
  requireNumericWork(checkCost(d), 'the finite-difference check');
  let chosen: Record<string, Value> | undefined;
  let env = new Map<string, Tensor>();
  const draw = random(seed);
  for (let attempt = 0; attempt < 20 && chosen === undefined; attempt++) {
    // Alternate signed and positive ranges: ln and √ need positive arguments, ReLU both signs.
    const lo = attempt % 2 === 0 ? -1 : 0.1;
    // Built from entries: a variable named __proto__ is an entry, not the object's prototype.
    const candidate: Record<string, Value> = Object.fromEntries(
      variables.map((v) => {
        const given = point && Object.entries(point).find(([k]) => normalizeName(k) === v.name);
        const value = () => randomValue(v, () => lo + (1 - lo) * draw(), d.program.symmetric.has(v.name));
        return [v.name, given ? given[1] : value()];
      }),
    );
    env = new Map(Object.entries(candidate).map(([k, v]) => [k, toTensor(v)]));
    try {
      if (
        allFinite(evaluate(f, env, functions)) &&
        d.parts.every((p) => p.columns !== undefined || allFinite(evaluate(p.expr, env, functions)))
      )
        chosen = candidate;
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
    }
    if (point) break;
  }
  if (!chosen) {
    if (point) {
      return {
        verdict: 'not-differentiable',
        maxRelativeError: NaN,
        point,
        message: 'the function or its derivative is not finite at this point',
      };
    }
    throw new LensError('found no point where the function and its derivative are finite');
  }
  const where = formatPoint(chosen);

  const kinks = conditionsOf(d).filter((c) => {
    const lhs = flat(evaluate(c.lhs, env, functions));
    const rhs = flat(evaluate(c.rhs, env, functions));
    return lhs.some((l, i) => {
      const r = rhs.length === 1 ? rhs[0] : rhs[i];
      return Math.abs(l - r) <= 1e-4 * Math.max(1, Math.abs(l), Math.abs(r));
    });
  });

  let maxError = 0;
  for (const part of d.parts) {
    const exact = part.columns
      ? columnJacobians(part.expr, part.columns.output.name, env, evaluate(f, env, functions), functions)
      : expectedOrder(d, part, evaluate(part.expr, env, functions), f.shape);
    const probe: Probe = { env, f: evalF };
    let numeric: number[];
    if (d.op === 'hessian') numeric = hessian(probe, part.wrt, part.by ? [part.by] : part.wrt);
    else {
      const columns = entries(env, part.wrt).map(({ name, index, x }) => {
        const s = slopes(probe, name, index, step(x, 6e-6));
        if (kinks.length) {
          const one = slopes(probe, name, index, step(x, 1e-7));
          const jump = one.forward.some(
            (a, i) =>
              Math.abs(a - one.backward[i]) > KINK_JUMP * Math.max(1, Math.abs(a), Math.abs(one.backward[i])),
          );
          if (jump) return undefined;
        }
        return s.central;
      });
      if (columns.some((c) => c === undefined)) {
        const at = [...new Set(kinks.map((c) => `${toText(c.lhs)} = ${toText(c.rhs)}`))].join(', ');
        return {
          verdict: 'not-differentiable',
          maxRelativeError: NaN,
          point: chosen,
          message: `not differentiable here (${at}): the one-sided slopes differ, at ${where}`,
        };
      }
      const cols = columns as number[][];
      // Rows of f, columns of the variables' entries; entry by entry, only ∂f_k/∂X_k.
      if (part.entrywise) numeric = cols.map((c, k) => c[k]);
      else if (part.columns) numeric = columnSlopes(cols, f.shape);
      else numeric = cols.length ? cols[0].flatMap((_, i) => cols.map((c) => c[i])) : [];
    }
    const { error, worst } = compare(exact, numeric);
    const tolerance = d.op === 'hessian' ? HESSIAN_TOLERANCE : TOLERANCE;
    if (!(error <= tolerance)) {
      const exactValues = exact;
      return {
        verdict: 'disagrees',
        maxRelativeError: error,
        point: chosen,
        message: `disagrees with finite differences: relative error ${formatNumber(error)} (entry ${worst + 1} of ∂f/∂${part.wrt.map((v) => v.name).join(',')}: exact ${formatNumber(exactValues[worst])}, numeric ${formatNumber(numeric[worst])}) at ${where}`,
      };
    }
    maxError = Math.max(maxError, error);
  }
  return {
    verdict: 'agrees',
    maxRelativeError: maxError,
    point: chosen,
    message: `agrees with central finite differences (max relative error ${maxError.toExponential(1)}) at ${where}`,
  };
}

/** Operations of a check: f twice per entry of the variables (four times per pair for a Hessian block), each part once. */
function checkCost(d: Derivation): number {
  const perEvaluation = numericCost(d.program.body);
  let total = 0;
  for (const part of d.parts) {
    const entries = part.wrt.reduce((n, v) => n + numericEntries(v), 0);
    const columns = part.by ? numericEntries(part.by) : entries;
    const evaluations = d.op === 'hessian' ? 4 * entries * columns : 4 * entries + 1;
    total += evaluations * perEvaluation + numericCost(part.expr);
  }
  return total;
}

/** Second central differences of f: H[i][j] = ∂²f/∂vᵢ∂wⱼ (vᵢ entries of `wrt`, wⱼ of `by`), rows then columns. */
function hessian(probe: Probe, wrt: readonly Sym[], by: readonly Sym[]): number[] {
  const list = vecEntries(probe.env, wrt);
  const columns = vecEntries(probe.env, by);
  const shifted = (moves: { name: string; index: number; delta: number }[]): number => {
    const env = new Map(probe.env);
    for (const { name, index, delta } of moves) {
      const t = env.get(name)!;
      if (typeof t === 'number') env.set(name, t + delta);
      else {
        const data = t.data.slice();
        data[index] += delta;
        env.set(name, { m: t.m, n: t.n, data });
      }
    }
    return probe.f(env)[0];
  };
  return list.flatMap((a) =>
    columns.map((b) => {
      const ha = step(a.x, 1e-4);
      const hb = step(b.x, 1e-4);
      const at = (sa: number, sb: number) =>
        shifted([
          { name: a.name, index: a.index, delta: sa * ha },
          { name: b.name, index: b.index, delta: sb * hb },
        ]);
      return (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * ha * hb);
    }),
  );
}

/** `d` itself when its sizes are known, else `rederive` with every symbolic size set to DEFAULT_SIZE. */
export function withConcreteSizes(
  d: Derivation,
  rederive: (dims: Record<string, number>) => Derivation,
): Derivation {
  const names = symbolicSizes(d);
  return names.length ? rederive(Object.fromEntries(names.map((n) => [n, DEFAULT_SIZE]))) : d;
}
