/**
 * Smart constructors. Every node of the core is built here, and each
 * constructor returns the canonical, simplified form of what it was asked to
 * build (constants folded, 0 and 1 dropped, like terms and powers combined,
 * transposes pushed to the leaves). Simplifying at construction keeps the
 * differentiator's output small as it is produced, instead of cleaning up a
 * large tree afterwards — one linear pass, no rewrite-to-fixpoint loop.
 */
import {
  type Apply,
  type Condition,
  type Dim,
  type Expr,
  type Num,
  type Shape,
  SCALAR,
  cols,
  dimText,
  isScalar,
  key,
  keyWithoutCoefficient,
  sortInPlace,
  resolveDim,
  rows,
  sameDim,
  sameShape,
  shapeOf,
  shapeText,
  transposeShape,
  type FnName,
  type Sym,
  contains,
  make,
  SYMMETRIC_MEMO,
} from './expr';
import { LensError } from './errors';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS, elementwise } from './functions';
import { nameTable } from './table';

// ---------------------------------------------------------------- numbers

/** The greatest common divisor of |a| and |b| (0 when both are 0). */
export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

export const OUT_OF_RANGE = 'a number in this expression is beyond the floating-point range (about ±1.8e308)';

/** p/q reduced; falls back to an inexact float when either part is not a safe integer. */
export function num(p: number, q = 1): Num {
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q) || q === 0) {
    // A constant past ±1.8e308 (10^{200}·10^{200}) would evaluate as Infinity or NaN.
    if (!Number.isFinite(p / q)) throw new LensError(OUT_OF_RANGE);
    return make.num(p / q, 0);
  }
  if (q === 1) return make.num(p, q);
  if (q < 0) {
    p = -p;
    q = -q;
  }
  const g = gcd(p, q) || 1;
  return make.num(p / g, q / g);
}

/** A float from the parser: exact when it is a short decimal (2.5 -> 5/2). */
export function numFromFloat(v: number): Num {
  if (Number.isInteger(v)) return num(v);
  for (let q = 10; q <= 1e6; q *= 10) {
    const p = Math.round(v * q);
    if (Math.abs(p / q - v) < 1e-15 * Math.max(1, Math.abs(v))) return num(p, q);
  }
  return make.num(v, 0);
}

export const ZERO = num(0);
export const ONE = num(1);
export const MINUS_ONE = num(-1);
export const HALF = num(1, 2);

export function numValue(n: Num): number {
  return n.q === 0 ? n.p : n.p / n.q;
}

// Numbers are never changed once made, so 0 + b and 1·b can be b itself: coefficients are
// mostly 0 and 1, and these run for every term and factor built.
export function addNum(a: Num, b: Num): Num {
  if (a.p === 0 && a.q === 1) return b;
  if (b.p === 0 && b.q === 1) return a;
  return a.q && b.q ? num(a.p * b.q + b.p * a.q, a.q * b.q) : num(numValue(a) + numValue(b));
}
export function mulNum(a: Num, b: Num): Num {
  if (a.p === 1 && a.q === 1) return b;
  if (b.p === 1 && b.q === 1) return a;
  return a.q && b.q ? num(a.p * b.p, a.q * b.q) : num(numValue(a) * numValue(b));
}

/** Exact a^k for integer k; exact roots of perfect powers; undefined when not exact. */
export function powNum(a: Num, k: Num): Num | undefined {
  if (a.q === 0 || k.q === 0) return undefined;
  if (k.q === 1) {
    if (Math.abs(k.p) > 64) return undefined;
    if (a.p === 0 && k.p < 0) throw new LensError('division by zero');
    const p = a.p ** Math.abs(k.p);
    const q = a.q ** Math.abs(k.p);
    if (!Number.isSafeInteger(p) || !Number.isSafeInteger(q)) return undefined;
    return k.p >= 0 ? num(p, q) : num(q, p);
  }
  if (a.p < 0) return undefined;
  const root = (v: number) => {
    const r = Math.round(v ** (1 / k.q));
    return r ** k.q === v ? r : undefined;
  };
  const rp = root(a.p);
  const rq = root(a.q);
  if (rp === undefined || rq === undefined) return undefined;
  return powNum(num(rp, rq), num(k.p));
}

export function isNum(e: Expr, v?: number): e is Num {
  return e.type === 'num' && (v === undefined || numValue(e) === v);
}

export function isZero(e: Expr): boolean {
  return (e.type === 'num' && e.p === 0) || (e.type === 'special' && e.name === 'zero');
}

// ---------------------------------------------------------------- leaves

export function sym(name: string, shape: Shape = SCALAR, role: Sym['role'] = 'var'): Sym {
  return make.sym(name, shape, role);
}

export function zero(shape: Shape): Expr {
  return shape.kind === 'scalar' ? ZERO : make.special('zero', shape);
}

export function ones(shape: Shape): Expr {
  return shape.kind === 'scalar' ? ONE : make.special('ones', shape);
}

export function identity(n: Dim): Expr {
  return resolveDim(n) === 1 ? ONE : make.special('identity', { kind: 'matrix', m: n, n });
}

function isSpecial(e: Expr, name: 'identity' | 'ones' | 'zero'): boolean {
  return e.type === 'special' && e.name === name;
}

export function shapeError(op: string, a: Shape, b: Shape): LensError {
  return new LensError(`${op} needs matching shapes, got ${shapeText(a)} and ${shapeText(b)}`);
}

// ---------------------------------------------------------------- sums

/** The rest `xy` of `3xy` (its coefficient is its first factor). */
function withoutCoefficient(e: Expr): Expr {
  if (e.type === 'mul' && e.factors[0].type === 'num') {
    const rest = e.factors.slice(1);
    return rest.length === 1 ? rest[0] : make.product('mul', rest, e.shape);
  }
  return e;
}

/** Like terms of a sum: the first one met, and the sum of their coefficients. */
interface LikeTerms {
  readonly key: string;
  readonly first: Expr;
  coef: Num;
  /** Another term was added: the group is rebuilt from `coef`; else `first` stands as it is. */
  merged: boolean;
}

export function add(...input: Expr[]): Expr {
  if (input.length === 1) return input[0];
  // A sum or a zero among the terms is opened or dropped into a new list; else the arguments are read as they are.
  let flat: readonly Expr[] = input;
  for (const t of input) {
    if (t.type === 'add' || isZero(t)) {
      flat = openSums(input);
      break;
    }
  }
  let shape: Shape = SCALAR;
  for (const t of input) {
    if (t.shape.kind === 'scalar') continue;
    if (shape.kind === 'scalar') shape = t.shape;
    else if (!sameShape(shape, t.shape)) throw shapeError('+', shape, t.shape);
  }
  // A sum of vectors whose zeros are dropped may leave scalars only (𝟎 + s): broadcast them explicitly,
  // s𝟏, or the sum would print as the scalar s while it is a vector.
  if (flat !== input && shape.kind !== 'scalar' && flat.length > 0 && flat.every(isScalar))
    return mul(add(...flat), ones(shape));
  // The most common sums of two terms, built at once: two numbers (2 − 1), and a + b (or 1 + b) of
  // unlike terms, kept in their order.
  if (flat.length === 2) {
    const a = flat[0];
    const b = flat[1];
    if (a.type === 'num' && b.type === 'num' && shape.kind === 'scalar') {
      const c = addNum(a, b);
      return c.p === 0 ? ZERO : c;
    }
    const ca = constantOf(a, shape);
    const cb = constantOf(b, shape);
    if (
      ca === undefined && cb === undefined
        ? keyWithoutCoefficient(a) !== keyWithoutCoefficient(b)
        : (a.type === 'num' && cb === undefined) || (b.type === 'num' && ca === undefined)
    )
      return make.add([a, b], shape);
  }
  let constant: Num = ZERO;
  const order: LikeTerms[] = [];
  // Few terms, the common case, are matched by a scan; a table pays off only for many.
  const groups = flat.length > 8 ? new Map<string, LikeTerms>() : undefined;
  for (const t of flat) {
    const c = constantOf(t, shape);
    if (c) {
      constant = addNum(constant, c);
      continue;
    }
    const coef = t.type === 'mul' && t.factors[0].type === 'num' ? t.factors[0] : ONE;
    const k = keyWithoutCoefficient(t);
    const g = groups ? groups.get(k) : findLike(order, k);
    if (g) {
      g.coef = addNum(g.coef, coef);
      g.merged = true;
    } else {
      const like: LikeTerms = { key: k, first: t, coef, merged: false };
      groups?.set(k, like);
      order.push(like);
    }
  }
  const terms: Expr[] = [];
  // Keep the constant where it first appeared: `1 - σ(x)` reads better than `-σ(x) + 1`.
  const constantFirst = flat.length > 0 && constantOf(flat[0], shape) !== undefined;
  if (constantFirst && constant.p !== 0) terms.push(constant);
  for (const g of order) {
    if (g.coef.p === 0) continue;
    terms.push(g.merged ? mul(g.coef, withoutCoefficient(g.first)) : g.first);
  }
  if (!constantFirst && constant.p !== 0) terms.push(constant);
  if (terms.length === 0) return zero(shape);
  if (terms.length === 1 && sameShape(terms[0].shape, shape)) return terms[0];
  // Only scalars left of a sum of vectors (𝟏 + 𝟏, 𝐱 − 𝐱 + s): s𝟏, keeping the shape.
  if (shape.kind !== 'scalar' && terms.every(isScalar)) return mul(add(...terms), ones(shape));
  return make.add(terms, shape);
}

/** The group of like terms keyed `k` among a few (a loop, not a closure per term for `find`). */
function findLike(order: readonly LikeTerms[], k: string): LikeTerms | undefined {
  for (const o of order) if (o.key === k) return o;
  return undefined;
}

/** The terms of `input` with sums opened and zeros dropped. */
function openSums(input: readonly Expr[]): Expr[] {
  const out: Expr[] = [];
  for (const t of input) {
    if (t.type === 'add') out.push(...t.terms);
    else if (!isZero(t)) out.push(t);
  }
  return out;
}

/** The constant term `t` is, if it is one: in a sum of vectors or matrices c·𝟏 is the constant c, broadcast (𝟏 − 𝐯 and 1 − 𝐯 are one quantity). */
function constantOf(t: Expr, shape: Shape): Num | undefined {
  return t.type === 'num' ? t : shape.kind === 'scalar' ? undefined : onesCoefficient(t);
}

/** c of c𝟏 (𝟏 a ones vector or matrix). */
function onesCoefficient(t: Expr): Num | undefined {
  if (isSpecial(t, 'ones')) return ONE;
  if (
    t.type === 'mul' &&
    t.factors.length === 2 &&
    t.factors[0].type === 'num' &&
    isSpecial(t.factors[1], 'ones')
  )
    return t.factors[0];
  return undefined;
}

export function neg(e: Expr): Expr {
  return mul(MINUS_ONE, e);
}

export function sub(a: Expr, b: Expr): Expr {
  return add(a, neg(b));
}

// ---------------------------------------------------------------- products

/** Ordering of factors in a printed product: numbers, names, functions, sums. */
function factorRank(e: Expr): number {
  const base = e.type === 'pow' ? e.base : e;
  switch (base.type) {
    case 'num':
      return 0;
    case 'sym':
      return 1;
    case 'fn':
      // x e^{−x²} cos(y): an exponential reads best right after the plain factors.
      return base.name === 'exp' ? 2 : 2.5;
    case 'add':
      return 4;
    default:
      return 3;
  }
}

function baseOf(e: Expr): Expr {
  return e.type === 'pow' ? e.base : e;
}

/** Groups factors by base and adds their exponents (shared by scalar and element-wise products). */
function groupPowers(factors: readonly Expr[]): readonly Expr[] {
  // Most products repeat no base: with few factors, pairwise comparisons of (cached) keys find that
  // without a table or an array.
  if (factors.length < 2) return factors;
  if (factors.length <= 8 && !repeatsBase(factors)) return factors;
  const order: string[] = [];
  const groups = new Map<string, { base: Expr; exps: Expr[]; original: Expr }>();
  for (const f of factors) {
    const base = baseOf(f);
    const exp = f.type === 'pow' ? f.exp : ONE;
    const k = key(base);
    const g = groups.get(k);
    if (g) g.exps.push(exp);
    else {
      groups.set(k, { base, exps: [exp], original: f });
      order.push(k);
    }
  }
  return order.map((k) => {
    const g = groups.get(k)!;
    return g.exps.length === 1 ? g.original : pow(g.base, add(...g.exps));
  });
}

function repeatsBase(factors: readonly Expr[]): boolean {
  for (let i = 1; i < factors.length; i++) {
    const k = key(baseOf(factors[i]));
    for (let j = 0; j < i; j++) if (key(baseOf(factors[j])) === k) return true;
  }
  return false;
}

/** The factors of `input` with every product opened, in order (only products nested in products need it). */
function openProducts(input: readonly Expr[], out: Expr[] = []): Expr[] {
  for (const f of input) {
    if (f.type === 'mul') openProducts(f.factors, out);
    else out.push(f);
  }
  return out;
}

export function mul(...input: Expr[]): Expr {
  // Fast paths for the differentiator's most common calls: a product with 1, or a single factor.
  if (input.length === 1) return input[0];
  if (input.length === 2) {
    if (isNum(input[0], 1) && input[1].type !== 'add') return input[1];
    if (isNum(input[1], 1) && input[0].type !== 'add') return input[0];
    // A number times one other factor (−x, 2 sin x): nothing to group or sort.
    const numFirst = input[0].type === 'num';
    const a = numFirst ? input[0] : input[1];
    const b = numFirst ? input[1] : input[0];
    if (a.type === 'num' && b.type !== 'num' && b.type !== 'mul' && b.type !== 'add') {
      if (a.p === 0 || isSpecial(b, 'zero')) return zero(b.shape);
      return make.product('mul', [a, b], b.shape);
    }
  }
  // A product among the factors is opened into a new list; else the arguments are read as they are.
  let items: readonly Expr[] = input;
  for (const f of input) {
    if (f.type === 'mul') {
      items = openProducts(input);
      break;
    }
  }
  let coef: Num = ONE;
  let tensor: Expr | undefined;
  const scalars: Expr[] = [];
  for (const f of items) {
    if (f.type === 'num') coef = mulNum(coef, f);
    else if (isScalar(f)) scalars.push(f);
    else if (tensor === undefined) tensor = f;
    else
      throw new LensError(
        `cannot multiply ${shapeText(tensor.shape)} by ${shapeText(f.shape)} element by element here`,
      );
  }
  const shape = tensor ? tensor.shape : SCALAR;
  if (coef.p === 0 || (tensor && isSpecial(tensor, 'zero'))) return zero(shape);
  // Combine powers of the same base: x·x² = x³, x·x⁻¹ = 1.
  const grouped = groupPowers(scalars);
  let factors: Expr[];
  if (grouped === scalars) factors = scalars;
  else {
    factors = [];
    for (const g of grouped) {
      if (g.type === 'num') coef = mulNum(coef, g);
      else if (g.type === 'mul') {
        for (const inner of g.factors) {
          if (inner.type === 'num') coef = mulNum(coef, inner);
          else factors.push(inner);
        }
      } else factors.push(g);
    }
    if (coef.p === 0) return zero(shape);
  }
  // exp(𝐮)/sum(exp(𝐮)) is softmax(𝐮): notes often define it that way.
  if (tensor && tensor.type === 'fn' && tensor.name === 'exp' && tensor.shape.kind === 'vector') {
    const total = key(fn('sum', tensor));
    const i = factors.findIndex((f) => f.type === 'pow' && isNum(f.exp, -1) && key(f.base) === total);
    if (i >= 0) {
      factors.splice(i, 1);
      tensor = fn('softmax', tensor.args[0]);
    }
  }
  // By rank, then by base, so that x²y reads in alphabetical order like xy does.
  sortInPlace(factors, compareFactors);
  if (tensor) factors.push(tensor);
  // A number times a sum distributes (2(x + y) = 2x + 2y), as SymPy does: it lets like terms meet.
  if (factors.length === 1 && factors[0].type === 'add' && !(coef.p === 1 && coef.q === 1)) {
    return add(...factors[0].terms.map((t) => mul(coef, t)));
  }
  if (!(coef.p === 1 && coef.q === 1)) factors.unshift(coef);
  if (factors.length === 0) return ONE;
  if (factors.length === 1) return factors[0];
  return make.product('mul', factors, shape);
}

const compareFactors = (a: Expr, b: Expr): number =>
  factorRank(a) - factorRank(b) || compareKeys(baseOf(a), baseOf(b)) || compareKeys(a, b);

function compareKeys(a: Expr, b: Expr): number {
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function div(a: Expr, b: Expr): Expr {
  if (isScalar(b)) return mul(a, pow(b, MINUS_ONE));
  return hadamard(a, pow(b, MINUS_ONE));
}

// ---------------------------------------------------------------- powers

export function pow(base: Expr, exp: Expr): Expr {
  if (!isScalar(exp)) throw new LensError(`an exponent must be a scalar, got ${shapeText(exp.shape)}`);
  // A power of a row is the transpose of its column's ((A𝐱)²)ᵀ, not (𝐱ᵀAᵀ)², which reads as no power a person writes.
  if (base.shape.kind === 'row') return transpose(pow(transpose(base), exp));
  if (exp.type === 'num') {
    if (exp.p === 0) return ones(base.shape);
    if (numValue(exp) === 1) return base;
    const logistic = exp.p === -1 && exp.q === 1 ? logisticArgument(base) : undefined;
    if (logistic) return fn('sigma', logistic);
    if (base.type === 'num') {
      const exact = powNum(base, exp);
      if (exact) return exact;
    }
    if (isNum(base, 1) || isSpecial(base, 'ones')) return base;
    if (isZero(base) && numValue(exp) > 0) return base;
    if (base.type === 'pow' && exp.q === 1 && base.exp.type === 'num')
      return pow(base.base, mulNum(base.exp, exp));
    if (base.type === 'pow' && exp.q === 1) return pow(base.base, mul(base.exp, exp));
    if (base.type === 'mul' && exp.q === 1) return mul(...base.factors.map((f) => pow(f, exp)));
    if (base.type === 'fn' && base.name === 'exp') return fn('exp', mul(base.args[0], exp));
  }
  if (base.type === 'fn' && base.name === 'exp' && exp.type !== 'num')
    return fn('exp', mul(base.args[0], exp));
  return make.pow(base, exp, base.shape);
}

/** 1 + e^{−u} → u, so that 1/(1 + e^{−u}) is recognised as the logistic σ(u) (the usual textbook definition). */
function logisticArgument(e: Expr): Expr | undefined {
  if (e.type !== 'add' || e.terms.length !== 2 || !isNum(e.terms[0], 1)) return undefined;
  const t = e.terms[1];
  if (t.type !== 'fn' || t.name !== 'exp') return undefined;
  return neg(t.args[0]);
}

export function sqrt(e: Expr): Expr {
  return pow(e, HALF);
}

// ---------------------------------------------------------------- functions

export function isElementwise(name: FnName): boolean {
  return elementwise(name) !== undefined;
}

/** Exact values at 0 that a person would write as numbers (functions.ts), built once. */
const AT_ZERO: Partial<Record<FnName, Num>> = nameTable(
  Object.fromEntries(
    ELEMENTWISE_FUNCTIONS.flatMap((f) => {
      const v = ELEMENTWISE[f].atZero;
      return v ? [[f, num(v[0], v[1])]] : [];
    }),
  ),
);

function requireKind(name: string, arg: Expr, kinds: Shape['kind'][], what: string): void {
  if (!kinds.includes(arg.shape.kind)) {
    throw new LensError(`${name} needs ${what}, got ${shapeText(arg.shape)}`);
  }
}

export function fn(name: FnName, ...args: Expr[]): Expr {
  const a = args[0];
  const phi = elementwise(name);
  if (phi) {
    if (a.type === 'num' && numValue(a) === 0 && AT_ZERO[name]) return AT_ZERO[name];
    if (name === 'ln' && isNum(a, 1)) return ZERO;
    if (phi.cancels && a.type === 'fn' && a.name === phi.cancels) return a.args[0];
    // log softmax(u) is log-softmax: its derivative du − 𝟏sᵀdu reads better than s⁻¹ ⊙ d softmax.
    if (name === 'ln' && a.type === 'fn' && a.name === 'softmax' && a.shape.kind === 'vector')
      return fn('logsoftmax', a.args[0]);
    // ln det Σ (ln|Σ| of a Gaussian) is log det Σ, as a textbook writes it.
    if (name === 'ln' && a.type === 'fn' && a.name === 'det') return fn('logdet', a.args[0]);
    if (name === 'abs' && a.type === 'num') return num(Math.abs(a.p), a.q);
    if (name === 'sign' && a.type === 'num') return num(Math.sign(a.p));
    if (name === 'abs' && a.type === 'fn' && (a.name === 'abs' || a.name === 'exp')) return a;
    if (isSpecial(a, 'zero')) {
      const v = AT_ZERO[name];
      return v && isNum(v, 0) ? a : make.fn(name, args, a.shape);
    }
    return make.fn(name, args, a.shape);
  }
  switch (name) {
    case 'max':
    case 'min': {
      const [x, y] = args;
      if (x.type === 'num' && y.type === 'num')
        return numValue(x) >= numValue(y) === (name === 'max') ? x : y;
      if (key(x) === key(y)) return x;
      const shape = isScalar(x) ? y.shape : x.shape;
      if (!isScalar(x) && !isScalar(y) && !sameShape(x.shape, y.shape))
        throw shapeError(name, x.shape, y.shape);
      return make.fn(name, args, shape);
    }
    case 'atan2':
      return make.fn(name, args, SCALAR);
    case 'sum':
      if (isScalar(a)) return a;
      // sum(c·v) = c·sum(v): constants leave the sum.
      if (a.type === 'mul') return mul(...a.factors.slice(0, -1), fn('sum', a.factors[a.factors.length - 1]));
      // sum(a ⊙ b) = aᵀb, transposing a factor that is not a sum ((𝐲 − 𝐳)ᵀ would read as 𝐲ᵀ − 𝐳ᵀ).
      if (a.type === 'hadamard' && a.factors.length === 2 && a.shape.kind === 'vector') {
        const [u, v] = a.factors[0].type === 'add' ? [a.factors[1], a.factors[0]] : a.factors;
        if (u.type !== 'add') return matmul(transpose(u), v);
      }
      if (isSpecial(a, 'zero')) return ZERO;
      return make.fn(name, args, SCALAR);
    case 'softmax':
      // Of a matrix whose columns are samples (a mini-batch): softmax of each column.
      requireKind(name, a, ['vector', 'matrix'], 'a vector, or a matrix of column samples');
      return make.fn(name, args, a.shape);
    case 'logsoftmax':
      requireKind(name, a, ['vector'], 'a vector');
      return make.fn(name, args, a.shape);
    case 'logsumexp':
    case 'norm1':
    case 'norm2':
      requireKind(name === 'norm2' ? '‖·‖' : name, a, ['vector', 'row'], 'a vector');
      return make.fn(name, args, SCALAR);
    case 'normF':
      if (a.shape.kind !== 'matrix') return fn('norm2', a.shape.kind === 'row' ? transpose(a) : a);
      return make.fn(name, args, SCALAR);
    case 'tr':
      if (isScalar(a)) return a;
      requireSquare('tr', a);
      if (isZero(a)) return ZERO;
      if (isSpecial(a, 'identity')) return dimExpr(rows(a.shape));
      if (a.type === 'transpose') return fn('tr', a.arg);
      if (a.type === 'add') return add(...a.terms.map((t) => fn('tr', t)));
      if (a.type === 'mul') return mul(...a.factors.slice(0, -1), fn('tr', a.factors[a.factors.length - 1]));
      // tr(u vᵀ) = vᵀu: a trace of an outer product is an inner product.
      if (a.type === 'matmul' && a.factors[0].shape.kind === 'vector') {
        return matmul(...a.factors.slice(1), a.factors[0]);
      }
      return make.fn(name, args, SCALAR);
    case 'det':
    case 'logdet':
      if (isScalar(a)) return name === 'det' ? a : fn('ln', a);
      requireSquare(name === 'det' ? 'det' : 'log det', a);
      if (isSpecial(a, 'identity')) return name === 'det' ? ONE : ZERO;
      if (a.type === 'transpose') return fn(name, a.arg);
      return make.fn(name, args, SCALAR);
    case 'diag': {
      if (isScalar(a)) return a;
      requireKind('diag', a, ['vector', 'row'], 'a vector');
      const v = a.shape.kind === 'row' ? transpose(a) : a;
      const n = rows(v.shape);
      if (isSpecial(v, 'ones')) return identity(n);
      if (isSpecial(v, 'zero')) return zero({ kind: 'matrix', m: n, n });
      return make.fn(name, [v], { kind: 'matrix', m: n, n });
    }
    case 'diagvec':
      requireSquare('diag', a);
      if (a.type === 'fn' && a.name === 'diag') return a.args[0];
      if (isSpecial(a, 'identity')) return ones({ kind: 'vector', n: rows(a.shape) });
      return make.fn(name, args, { kind: 'vector', n: rows(a.shape) });
  }
  throw new LensError(`unknown function ${name}`);
}

function requireSquare(name: string, a: Expr): void {
  if (a.shape.kind !== 'matrix' || !sameDim(a.shape.m, a.shape.n)) {
    throw new LensError(`${name} needs a square matrix, got ${shapeText(a.shape)}`);
  }
}

/** A size as an expression: 3, or the scalar name `n`. */
export function dimExpr(d: Dim): Expr {
  const r = resolveDim(d);
  return typeof r === 'number' ? num(r) : sym(typeof r === 'string' ? r : `?${r.id}`, SCALAR, 'const');
}

// ---------------------------------------------------------------- matrix algebra

/**
 * Transposes already built, by node. `transpose` distributes over sums and
 * products, so without it a shared subexpression (a derivative of nested
 * compositions) is transposed once per path to it: exponentially often.
 */
const transposed = new WeakMap<Expr, Expr>();

export function transpose(e: Expr): Expr {
  let t = transposed.get(e);
  if (t === undefined) {
    t = transposeNode(e);
    transposed.set(e, t);
  }
  return t;
}

function transposeNode(e: Expr): Expr {
  if (isSymmetric(e)) return e;
  switch (e.type) {
    case 'num':
      return e;
    case 'transpose':
      return e.arg;
    case 'special':
      return e.name === 'identity' ? e : make.special(e.name, transposeShape(e.shape));
    case 'add':
      return add(...e.terms.map(transpose));
    case 'mul':
      return mul(...e.factors.map(transpose));
    case 'matmul':
      return matmul(...[...e.factors].reverse().map(transpose));
    case 'hadamard':
      return hadamard(...e.factors.map(transpose));
    case 'kron':
      return kron(transpose(e.factors[0]), transpose(e.factors[1]));
    case 'fn':
      if (e.name === 'diag' || isScalar(e)) return e;
      break;
    case 'block':
      return block(e.rows[0].map((_, j) => e.rows.map((r) => r[j])));
    case 'piecewise':
      return piecewise(e.cases.map((c) => ({ value: transpose(c.value), when: c.when })));
  }
  if (isScalar(e)) return e;
  return make.unary('transpose', e, transposeShape(e.shape));
}

/** The symmetry flag, memoised on the node (in its SYMMETRIC_MEMO slot) like `key`. */
type Flagged = { [SYMMETRIC_MEMO]?: boolean };

/**
 * Whether `e` is a symmetric matrix by its structure: `MᵀM`, `MMᵀ`, `M + Mᵀ`, `diag(·)`, `I`, a name
 * declared symmetric, and sums, scalar multiples, inverses and element-wise functions of symmetric
 * matrices. Computed once per node, so asking for it at every `transpose` costs no extra pass.
 */
export function isSymmetric(e: Expr): boolean {
  if (e.shape.kind !== 'matrix' || !sameDim(e.shape.m, e.shape.n)) return false;
  const flagged = e as Flagged;
  let s = flagged[SYMMETRIC_MEMO];
  if (s === undefined) flagged[SYMMETRIC_MEMO] = s = symmetricNode(e);
  return s;
}

function symmetricNode(e: Expr): boolean {
  switch (e.type) {
    case 'sym':
      return e.symmetric === true;
    case 'special':
      return true;
    case 'fn':
      return e.name === 'diag' || (isElementwise(e.name) && isSymmetric(e.args[0]));
    case 'mul':
      return isSymmetric(e.factors[e.factors.length - 1]);
    case 'inverse':
      return isSymmetric(e.arg);
    case 'pow':
      return isSymmetric(e.base);
    case 'hadamard':
    case 'kron':
      return e.factors.every(isSymmetric);
    case 'piecewise':
      return e.cases.every((c) => isSymmetric(c.value));
    case 'block':
      return e.rows.every((r, i) => r.every((c, j) => key(c) === key(e.rows[j][i])));
    case 'matmul': {
      // A palindrome up to transposes, MᵀAM with A symmetric: (F₁…Fₖ)ᵀ = Fₖᵀ…F₁ᵀ is the product again.
      const f = e.factors;
      const k = f.length;
      for (let i = 0; i < k >> 1; i++) if (key(transpose(f[i])) !== key(f[k - 1 - i])) return false;
      return k % 2 === 0 || isSymmetric(f[k >> 1]);
    }
    case 'add': {
      if (e.terms.every(isSymmetric)) return true;
      // M + Mᵀ: the sum of the transposed terms is the same sum (keys of sums ignore the order of terms).
      const t = add(...e.terms.map(transpose));
      const same = key(t) === key(e);
      if (!same) transposed.set(e, t);
      return same;
    }
    default:
      return false;
  }
}

export function inverse(e: Expr): Expr {
  if (isScalar(e)) return pow(e, MINUS_ONE);
  if (e.shape.kind !== 'matrix' || !sameDim(e.shape.m, e.shape.n)) {
    throw new LensError(`only a square matrix has an inverse, got ${shapeText(e.shape)}`);
  }
  if (e.type === 'inverse') return e.arg;
  if (isSpecial(e, 'identity')) return e;
  if (e.type === 'transpose') return transpose(inverse(e.arg));
  if (e.type === 'mul') return mul(...e.factors.map((f) => (isScalar(f) ? pow(f, MINUS_ONE) : inverse(f))));
  return make.unary('inverse', e, e.shape);
}

function isInversePair(a: Expr, b: Expr): boolean {
  return (a.type === 'inverse' && key(a.arg) === key(b)) || (b.type === 'inverse' && key(b.arg) === key(a));
}

/**
 * The shape of a matrix product, decided by the kinds (row·column is a scalar,
 * column·row a matrix), not by sizes: a vector of length 1 stays a vector.
 */
function productShape(a: Shape, b: Shape): Shape {
  const fail = () =>
    new LensError(`matrix product needs inner sizes to agree, got ${shapeText(a)} times ${shapeText(b)}`);
  // A chain like dxᵀ𝐬𝐬ᵀ passes through a 1×1 partial product: (dxᵀ𝐬)·𝐬ᵀ.
  if (a.kind === 'scalar') return b;
  if (b.kind === 'scalar') return a;
  if (!sameDim(cols(a), rows(b))) throw fail();
  if (a.kind === 'row' && b.kind === 'vector') return SCALAR;
  if (a.kind === 'row' && b.kind === 'matrix') return { kind: 'row', n: b.n };
  if (a.kind === 'vector' && b.kind === 'row') return { kind: 'matrix', m: a.n, n: b.n };
  if (a.kind === 'matrix' && b.kind === 'vector') return { kind: 'vector', n: a.m };
  if (a.kind === 'matrix' && b.kind === 'matrix') return { kind: 'matrix', m: a.m, n: b.n };
  throw fail();
}

export function matmul(...input: Expr[]): Expr {
  const scalars: Expr[] = [];
  const factors: Expr[] = [];
  const visit = (f: Expr) => {
    if (isScalar(f)) scalars.push(f);
    else if (f.type === 'mul') {
      scalars.push(...f.factors.slice(0, -1));
      visit(f.factors[f.factors.length - 1]);
    } else if (f.type === 'matmul') f.factors.forEach(visit);
    else factors.push(f);
  };
  input.forEach(visit);
  if (factors.length === 0) return mul(...scalars);
  const shape = factors.slice(1).reduce((s, f) => productShape(s, f.shape), factors[0].shape);
  if (factors.some((f) => isSpecial(f, 'zero'))) return zero(shape);
  const out: Expr[] = [];
  for (const f of factors) {
    if (isSpecial(f, 'identity') && factors.length > 1) continue;
    const prev = out[out.length - 1];
    if (prev && isInversePair(prev, f)) {
      out.pop();
      continue;
    }
    // diag(a)·diag(b) = diag(a ⊙ b); diag(c)·v = c ⊙ v; 1ᵀ·diag(c) = cᵀ.
    if (prev && prev.type === 'fn' && prev.name === 'diag') {
      if (f.type === 'fn' && f.name === 'diag') {
        out[out.length - 1] = fn('diag', hadamard(prev.args[0], f.args[0]));
        continue;
      }
      if (f.shape.kind === 'vector') {
        out[out.length - 1] = hadamard(prev.args[0], f);
        continue;
      }
    }
    if (
      prev &&
      isSpecial(prev, 'ones') &&
      prev.shape.kind === 'row' &&
      f.type === 'fn' &&
      f.name === 'diag'
    ) {
      out[out.length - 1] = transpose(f.args[0]);
      continue;
    }
    out.push(f);
  }
  // uᵀv and vᵀu are one inner product: keep one orientation so that like terms meet.
  if (
    out.length === 2 &&
    out[0].type === 'transpose' &&
    out[0].arg.shape.kind === 'vector' &&
    out[1].shape.kind === 'vector'
  ) {
    if (out[1].type !== 'add' && key(out[1]) < key(out[0].arg))
      out.splice(0, 2, transpose(out[1]), out[0].arg);
  }
  // 𝟏ᵀv is the sum of v's components.
  // 𝟏ᵀv at the end of a chain (or vᵀ𝟏 at its start) is the scalar sum(v).
  const last = out.length - 1;
  const isOnesRow = (e: Expr) => isSpecial(e, 'ones') && e.shape.kind === 'row';
  const isOnesColumn = (e: Expr) => isSpecial(e, 'ones') && e.shape.kind === 'vector';
  if (last >= 1 && isOnesRow(out[last - 1]) && out[last].shape.kind === 'vector') {
    scalars.push(fn('sum', out[last]));
    out.splice(last - 1, 2);
    if (out.length === 0) return mul(...scalars);
  } else if (last >= 1 && isOnesColumn(out[1]) && out[0].shape.kind === 'row') {
    scalars.push(fn('sum', transpose(out[0])));
    out.splice(0, 2);
    if (out.length === 0) return mul(...scalars);
  }
  let product: Expr;
  // Everything cancelled (X X⁻¹): the identity of the right size.
  if (out.length === 0) product = factors.length ? identity(rows(factors[0].shape)) : ONE;
  else if (out.length === 1) product = out[0];
  else
    product = make.product(
      'matmul',
      out,
      out.slice(1).reduce((s, f) => productShape(s, f.shape), out[0].shape),
    );
  return mul(...scalars, product);
}

export function hadamard(...input: Expr[]): Expr {
  const scalars: Expr[] = [];
  const tensors: Expr[] = [];
  const visit = (f: Expr) => {
    if (isScalar(f)) scalars.push(f);
    else if (f.type === 'hadamard') f.factors.forEach(visit);
    else if (f.type === 'mul') {
      scalars.push(...f.factors.slice(0, -1));
      visit(f.factors[f.factors.length - 1]);
    } else if (!isSpecial(f, 'ones')) tensors.push(f);
    else if (tensors.length === 0 && input.length === 1) tensors.push(f);
  };
  input.forEach(visit);
  const shapeSource = input.find((f) => !isScalar(f));
  if (!shapeSource) return mul(...scalars);
  for (const t of tensors)
    if (!sameShape(t.shape, shapeSource.shape)) throw shapeError('⊙', shapeSource.shape, t.shape);
  if (tensors.some((t) => isSpecial(t, 'zero'))) return zero(shapeSource.shape);
  // Combine like bases into element-wise powers: x ⊙ x = x².
  const factors = groupPowers(tensors).filter((f) => !isSpecial(f, 'ones'));
  let product: Expr;
  if (factors.length === 0) product = ones(shapeSource.shape);
  else if (factors.length === 1) product = factors[0];
  else product = make.product('hadamard', factors, shapeSource.shape);
  return mul(...scalars, product);
}

/** The product of two sizes: 6 from 2 and 3, `mn` from m and n. */
export function dimProduct(a: Dim, b: Dim): Dim {
  const ra = resolveDim(a);
  const rb = resolveDim(b);
  if (typeof ra === 'number' && typeof rb === 'number') return ra * rb;
  if (ra === 1) return b;
  if (rb === 1) return a;
  return `${dimText(a)}${dimText(b)}`;
}

export function kron(a: Expr, b: Expr): Expr {
  if (isScalar(a) || isScalar(b)) return mul(a, b);
  if (isSpecial(a, 'identity') && isSpecial(b, 'identity'))
    return identity(dimProduct(rows(a.shape), rows(b.shape)));
  // Scalars factor out of a Kronecker product: (sA) ⊗ B = s(A ⊗ B).
  const split = (e: Expr): [Expr[], Expr] =>
    e.type === 'mul' ? [e.factors.slice(0, -1), e.factors[e.factors.length - 1]] : [[], e];
  const [sa, ta] = split(a);
  const [sb, tb] = split(b);
  const shape = shapeOf(
    dimProduct(rows(ta.shape), rows(tb.shape)),
    dimProduct(cols(ta.shape), cols(tb.shape)),
  );
  return mul(...sa, ...sb, make.product('kron', [ta, tb], shape));
}

// ---------------------------------------------------------------- structure

export function block(cells: readonly (readonly Expr[])[]): Expr {
  const m = cells.length;
  const n = cells[0]?.length ?? 0;
  for (const row of cells) {
    if (row.length !== n)
      throw new LensError(`every row of a matrix needs ${n} entries, one has ${row.length}`);
    for (const c of row)
      if (!isScalar(c)) throw new LensError(`matrix entries must be scalars, got ${shapeText(c.shape)}`);
  }
  if (m === 1 && n === 1) return cells[0][0];
  return make.block(cells, shapeOf(m, n));
}

export function piecewise(cases: { value: Expr; when: Condition }[]): Expr {
  const first = cases[0].value;
  if (cases.every((c) => key(c.value) === key(first))) return first;
  return make.piecewise(cases, first.shape);
}

// ---------------------------------------------------------------- abstract functions

/** The value of an abstract function itself: a vector for a bold name (its length in the node's rows), else a scalar. */
export function applyValueShape(e: Apply): Shape {
  return e.style === 'bold' ? { kind: 'vector', n: rows(e.shape) } : SCALAR;
}

/**
 * The abstract function `name` (whose value has the shape `value`) applied to `args`,
 * differentiated by the arguments in `partials`. Its shape follows from them: ∂ᵢf of a
 * scalar argument is a scalar, of a vector (or matrix) argument the gradient, of a vector
 * function the Jacobian. Higher derivatives with respect to a vector are tensors: refused.
 */
export function apply(
  name: string,
  style: Apply['style'],
  args: readonly Expr[],
  partials: readonly number[],
  value: Shape,
): Apply {
  const sorted = [...partials].sort((a, b) => a - b);
  const tensorArgs = sorted.filter((i) => !isScalar(args[i]));
  const higher = () =>
    new LensError(
      `derivatives of the abstract function ${name} beyond the Hessian with respect to vectors, or beyond the first with respect to a matrix or of a vector function, are not supported`,
    );
  let shape = value;
  if (value.kind === 'scalar') {
    if (tensorArgs.length === 1) shape = args[tensorArgs[0]].shape;
    if (tensorArgs.length === 2) {
      // A block of the Hessian: rows by the first vector argument, columns by the second.
      const [a, b] = tensorArgs.map((i) => args[i].shape);
      if (a.kind !== 'vector' || b.kind !== 'vector') throw higher();
      shape = { kind: 'matrix', m: a.n, n: b.n };
    }
    if (tensorArgs.length > 2) throw higher();
  } else if (sorted.length > 0) {
    const arg = args[sorted[0]];
    if (sorted.length > 1 || arg.shape.kind === 'matrix' || arg.shape.kind === 'row') throw higher();
    shape = arg.shape.kind === 'vector' ? { kind: 'matrix', m: rows(value), n: arg.shape.n } : value;
  }
  return make.apply(name, style, args, sorted, shape);
}

/** Rebuilds a node from new children with the same smart constructors (used by substitution passes). */
export function rebuild(e: Expr, map: (c: Expr) => Expr): Expr {
  switch (e.type) {
    case 'num':
    case 'sym':
    case 'special':
      return e;
    case 'add':
      return add(...e.terms.map(map));
    case 'mul':
      return mul(...e.factors.map(map));
    case 'matmul':
      return matmul(...e.factors.map(map));
    case 'hadamard':
      return hadamard(...e.factors.map(map));
    case 'kron':
      return kron(map(e.factors[0]), map(e.factors[1]));
    case 'pow':
      return pow(map(e.base), map(e.exp));
    case 'fn':
      return fn(e.name, ...e.args.map(map));
    case 'apply':
      return apply(e.name, e.style, e.args.map(map), e.partials, applyValueShape(e));
    case 'transpose':
      return transpose(map(e.arg));
    case 'inverse':
      return inverse(map(e.arg));
    case 'block':
      return block(e.rows.map((r) => r.map(map)));
    case 'piecewise':
      return piecewise(
        e.cases.map((c) => ({
          value: map(c.value),
          when: { op: c.when.op, lhs: map(c.when.lhs), rhs: map(c.when.rhs) },
        })),
      );
  }
}

/** `e` with the symbols `replace` maps replaced, rebuilt with the smart constructors. */
export function replaceSyms(e: Expr, replace: (s: Sym) => Expr | undefined): Expr {
  const isReplaced = (x: Expr) => x.type === 'sym' && replace(x) !== undefined;
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    if (x.type === 'sym') return replace(x) ?? x;
    let r = memo.get(x);
    if (r === undefined) {
      r = contains(x, isReplaced) ? rebuild(x, go) : x;
      memo.set(x, r);
    }
    return r;
  };
  return go(e);
}

/**
 * `e` read where the matrices named in `names` are symmetric: each is its own transpose there, so
 * Σ⁻ᵀ is Σ⁻¹ and like terms meet. Only a result is read so: the function is differentiated as
 * written, and its derivative (the unconstrained one) evaluated at a symmetric point is this.
 */
export function readSymmetric(e: Expr, names: ReadonlySet<string>): Expr {
  if (names.size === 0) return e;
  const flagged = new Map<string, Sym>();
  return replaceSyms(e, (s) => {
    // A differential dΣ is any direction, not a symmetric one.
    if (s.role === 'differential' || s.symmetric || !names.has(s.name) || s.shape.kind !== 'matrix')
      return undefined;
    let f = flagged.get(s.name);
    if (f === undefined) flagged.set(s.name, (f = make.sym(s.name, s.shape, s.role, { symmetric: true })));
    return f;
  });
}
