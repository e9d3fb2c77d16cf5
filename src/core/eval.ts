/**
 * Numeric evaluation by walking the tree (no eval, no code generation from
 * user text). Non-scalars are dense row-major matrices; a vector is n×1.
 */
import type { Value } from './api';
import type { AbstractFunctions } from './abstract';
import { type Condition, type Dim, type Expr, resolveDim, rows } from './expr';
import { LensError } from './errors';
import { elementwise } from './functions';
import { numericCost, requireNumericWork } from './limits';
import { numValue } from './simplify';

export interface Matrix {
  readonly m: number;
  readonly n: number;
  readonly data: Float64Array;
}
export type Tensor = number | Matrix;

function matrix(m: number, n: number, f: (i: number, j: number) => number): Matrix {
  const data = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = f(i, j);
  return { m, n, data };
}

const at = (t: Matrix, i: number, j: number) => t.data[i * t.n + j];

function map(t: Tensor, f: (x: number) => number): Tensor {
  return typeof t === 'number' ? f(t) : { m: t.m, n: t.n, data: t.data.map(f) };
}

/**
 * x^(p/q) with q odd is real for negative x, as ∛x is (∛−8 = −2): the real
 * q-th root raised to p. Math.pow would give NaN there.
 */
function realPower(exp: Expr): (x: number, y: number) => number {
  if (exp.type !== 'num' || exp.q % 2 === 0 || exp.q === 1) return Math.pow;
  const { p, q } = exp;
  return (x) => (q === 3 ? Math.cbrt(x) : Math.sign(x) * Math.abs(x) ** (1 / q)) ** p;
}

/** Element-wise combination with scalar broadcasting. */
function zip(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  if (typeof a === 'number') return map(b, (y) => f(a, y));
  if (typeof b === 'number') return map(a, (x) => f(x, b));
  if (a.m !== b.m || a.n !== b.n) throw new LensError(`sizes do not match: ${a.m}×${a.n} and ${b.m}×${b.n}`);
  return { m: a.m, n: a.n, data: a.data.map((x, i) => f(x, b.data[i])) };
}

function asMatrix(t: Tensor): Matrix {
  return typeof t === 'number' ? { m: 1, n: 1, data: Float64Array.of(t) } : t;
}

function matmul2(a: Tensor, b: Tensor): Tensor {
  if (typeof a === 'number' || typeof b === 'number') return zip(a, b, (x, y) => x * y);
  if (a.n !== b.m) throw new LensError(`sizes do not match for a product: ${a.m}×${a.n} times ${b.m}×${b.n}`);
  const r = matrix(a.m, b.n, (i, j) => {
    let s = 0;
    for (let k = 0; k < a.n; k++) s += at(a, i, k) * at(b, k, j);
    return s;
  });
  return r.m === 1 && r.n === 1 ? r.data[0] : r;
}

function softmaxColumns(a: Matrix): Matrix {
  const out = new Float64Array(a.data.length);
  for (let j = 0; j < a.n; j++) {
    let top = -Infinity;
    for (let i = 0; i < a.m; i++) top = Math.max(top, at(a, i, j));
    let total = 0;
    for (let i = 0; i < a.m; i++) total += out[i * a.n + j] = Math.exp(at(a, i, j) - top);
    for (let i = 0; i < a.m; i++) out[i * a.n + j] /= total;
  }
  return { m: a.m, n: a.n, data: out };
}

function transpose(t: Tensor): Tensor {
  return typeof t === 'number' ? t : matrix(t.n, t.m, (i, j) => at(t, j, i));
}

function sumAll(t: Tensor): number {
  return typeof t === 'number' ? t : t.data.reduce((s, x) => s + x, 0);
}

/** LU decomposition with partial pivoting: returns det and the inverse. */
function luInverse(a: Matrix): { det: number; inv: Matrix } {
  const n = a.m;
  const m = Array.from({ length: n }, (_, i) =>
    Array.from({ length: 2 * n }, (_, j) => (j < n ? at(a, i, j) : j - n === i ? 1 : 0)),
  );
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (m[p][c] === 0) return { det: 0, inv: matrix(n, n, () => NaN) };
    if (p !== c) {
      [m[p], m[c]] = [m[c], m[p]];
      det = -det;
    }
    const piv = m[c][c];
    det *= piv;
    for (let j = 0; j < 2 * n; j++) m[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return { det, inv: matrix(n, n, (i, j) => m[i][j + n]) };
}

export type Environment = ReadonlyMap<string, Tensor>;

export function toTensor(v: Value): Tensor {
  if (typeof v === 'number') return v;
  if (v.length === 0) throw new LensError('empty arrays have no value');
  if (Array.isArray(v[0])) {
    const rows = v as number[][];
    return matrix(rows.length, rows[0].length, (i, j) => rows[i][j]);
  }
  const col = v as number[];
  return matrix(col.length, 1, (i) => col[i]);
}

export function fromTensor(t: Tensor, kind: Expr['shape']['kind']): Value {
  if (typeof t === 'number') return t;
  if (kind === 'vector' || kind === 'row') return Array.from(t.data);
  return Array.from({ length: t.m }, (_, i) => Array.from(t.data.subarray(i * t.n, (i + 1) * t.n)));
}

function sizeOf(d: Dim): number {
  const r = resolveDim(d);
  if (typeof r !== 'number')
    throw new LensError(
      `the size ${typeof r === 'string' ? r : '?'} is not known; give values with --at or sizes with --dims`,
    );
  return r;
}

/**
 * The value of `e` with the variables of `env`; abstract functions (`f(x)`) take their values from
 * `functions` (random smooth functions, for a check), and without it have none.
 */
export function evaluate(e: Expr, env: Environment, functions?: AbstractFunctions): Tensor {
  requireNumericWork(numericCost(e), 'evaluating this');
  const memo = new Map<Expr, Tensor>();
  const ev = (x: Expr): Tensor => {
    let r = memo.get(x);
    if (r === undefined) {
      r = node(x);
      memo.set(x, r);
    }
    return r;
  };
  const cond = (c: Condition): boolean => {
    const d = sumAll(zip(ev(c.lhs), ev(c.rhs), (a, b) => a - b));
    switch (c.op) {
      case '<':
        return d < 0;
      case '<=':
        return d <= 0;
      case '>':
        return d > 0;
      case '>=':
        return d >= 0;
      case '!=':
        return d !== 0;
    }
  };
  const node = (x: Expr): Tensor => {
    switch (x.type) {
      case 'num':
        return numValue(x);
      case 'sym': {
        if (x.role === 'const') {
          if (x.name === 'pi') return Math.PI;
          if (x.name === 'e') return Math.E;
        }
        const v = env.get(x.name);
        if (v === undefined) throw new LensError(`no value given for ${x.name}`);
        return v;
      }
      case 'special': {
        const s = x.shape;
        const m = s.kind === 'matrix' || s.kind === 'vector' ? sizeOf(s.kind === 'matrix' ? s.m : s.n) : 1;
        const n = s.kind === 'matrix' || s.kind === 'row' ? sizeOf(s.n) : 1;
        return matrix(m, n, (i, j) => (x.name === 'ones' ? 1 : x.name === 'identity' && i === j ? 1 : 0));
      }
      case 'add':
        return x.terms.map(ev).reduce((a, b) => zip(a, b, (p, q) => p + q));
      case 'mul':
      case 'hadamard':
        return x.factors.map(ev).reduce((a, b) => zip(a, b, (p, q) => p * q));
      case 'matmul':
        return x.factors.map(ev).reduce(matmul2);
      case 'kron': {
        const a = asMatrix(ev(x.factors[0]));
        const b = asMatrix(ev(x.factors[1]));
        return matrix(
          a.m * b.m,
          a.n * b.n,
          (i, j) => at(a, Math.floor(i / b.m), Math.floor(j / b.n)) * at(b, i % b.m, j % b.n),
        );
      }
      case 'pow':
        return zip(ev(x.base), ev(x.exp), realPower(x.exp));
      case 'transpose':
        return transpose(ev(x.arg));
      case 'inverse': {
        const a = ev(x.arg);
        return typeof a === 'number' ? 1 / a : luInverse(a).inv;
      }
      case 'block':
        return matrix(x.rows.length, x.rows[0].length, (i, j) => {
          const v = ev(x.rows[i][j]);
          if (typeof v !== 'number') throw new LensError('matrix entries must be scalars');
          return v;
        });
      case 'piecewise': {
        for (const c of x.cases) if (cond(c.when)) return ev(c.value);
        return NaN;
      }
      case 'apply': {
        if (!functions)
          throw new LensError(`${x.name} is an abstract function (it has no definition), so it has no value`);
        const args = x.args.map((a) => {
          const t = asMatrix(ev(a));
          return { data: t.data, m: t.m, n: t.n, scalar: a.shape.kind === 'scalar' };
        });
        const outputs = x.style === 'bold' ? sizeOf(rows(x.shape)) : 1;
        const r = functions.value(x.name, x.style === 'bold', outputs, args, x.partials);
        return x.shape.kind === 'scalar' ? r.data[0] : r;
      }
      case 'fn': {
        const a = ev(x.args[0]);
        const phi = elementwise(x.name);
        if (phi) return map(a, phi.value);
        switch (x.name) {
          case 'max':
            return zip(a, ev(x.args[1]), Math.max);
          case 'min':
            return zip(a, ev(x.args[1]), Math.min);
          case 'atan2':
            return zip(a, ev(x.args[1]), Math.atan2);
          case 'sum':
            return sumAll(a);
          case 'softmax':
            // Column by column: of a matrix, each column (a sample) is one softmax.
            return typeof a === 'number' ? 1 : softmaxColumns(a);
          case 'logsoftmax':
          case 'logsumexp': {
            const top = typeof a === 'number' ? a : Math.max(...a.data);
            const lse = top + Math.log(sumAll(map(a, (v) => Math.exp(v - top))));
            if (x.name === 'logsumexp') return lse;
            return map(a, (v) => (x.name === 'softmax' ? Math.exp(v - lse) : v - lse));
          }
          case 'norm2':
          case 'normF':
            return Math.sqrt(sumAll(map(a, (v) => v * v)));
          case 'norm1':
            return sumAll(map(a, Math.abs));
          case 'tr': {
            const t = asMatrix(a);
            let s = 0;
            for (let i = 0; i < Math.min(t.m, t.n); i++) s += at(t, i, i);
            return s;
          }
          case 'det':
            return typeof a === 'number' ? a : luInverse(a).det;
          case 'logdet':
            return Math.log(typeof a === 'number' ? a : luInverse(a).det);
          case 'diag': {
            const t = asMatrix(a);
            const n = t.m * t.n;
            return matrix(n, n, (i, j) => (i === j ? t.data[i] : 0));
          }
          case 'diagvec': {
            const t = asMatrix(a);
            return matrix(t.m, 1, (i) => at(t, i, i));
          }
        }
        throw new LensError(`cannot evaluate ${x.name}`);
      }
    }
  };
  return ev(e);
}
