/**
 * Scalar results as a textbook writes them: a rational normal form (common denominator,
 * cancelling, `1/(x(1 + y²/x²))` → `x/(x² + y²)`) and the identities of identities.ts,
 * kept only where they make a result smaller (fewer tree nodes). One bounded pass over a
 * result, children first, each node's form memoised on the node: no rewriting to a fixpoint.
 *
 * A scalar is read as coef × Π baseᵉ (a `Monomial`): the bases are atoms (names, function
 * values, anything but sums, products and integer powers) and sums, each sum a primitive
 * polynomial over atoms (integer coefficients without common divisor, no monomial common to
 * its terms), so that equal sums meet as one base and cancel.
 */
import {
  type Add,
  type Expr,
  type Num,
  RATIONAL_MEMO,
  children,
  isScalar,
  key,
  postorder,
  sortInPlace,
} from './expr';
import {
  type Factor,
  type Factors,
  type Monomial,
  READINGS,
  applyIdentities,
  factorOf,
  mayRewrite,
  multiplyFactor,
} from './identities';
import { ONE, ZERO, add, addNum, gcd, mul, mulNum, num, numValue, pow, powNum, rebuild } from './simplify';

/**
 * Most terms a sum may expand to: past it the sum stays one base (expanding (a + b)¹⁰ is never
 * the smaller form, and this bounds the work per node).
 */
const MAX_TERMS = 32;

/**
 * What this module memoises about a node, kept on the node itself in its RATIONAL_MEMO slot, as
 * `key` is (expr.ts): a weak table would make every garbage collection pay for the many short-lived nodes.
 */
class Memo {
  // Every field declared up front, so that all memos share one shape (fast property reads).
  form: Monomial | undefined = undefined;
  settled: boolean | undefined = undefined;
  /**
   * Set with `settled` on a sum: its form, read on its own, is the sum as written but for its
   * content and sign (2x − 2y, 5x − 7), which `mul` distributes back: the sum is its own smallest form.
   */
  alone = false;
  normal: Expr | undefined = undefined;
  size: number | undefined = undefined;
  /** Set with `size`. */
  fractions = 0;
}

type Holder = { [RATIONAL_MEMO]?: Memo };

/** Reading allocates nothing (for a node that may have none yet). */
const memoOf = (e: Expr): Memo | undefined => (e as Holder)[RATIONAL_MEMO];
/** A node's memo, made if it has none: one property lookup on the node, then plain field reads and writes. */
const memoFor = (e: Expr): Memo => ((e as Holder)[RATIONAL_MEMO] ??= new Memo());

/** A field of `Memo` that `childrenFirst` fills. */
type Walked = 'form' | 'normal' | 'size';

/**
 * `compute(e, of)` memoised in the `field` of each node's memo, as a function of `e`, where `of`
 * gives a child's value (children first; `of` is the returned function itself, so no closure is
 * made per node). Recursive while shallow, the common case; past MAX_DEPTH iterative, so that a
 * deep chain of sums and products cannot overflow the stack (an iterative walk costs a Set and
 * three stacks).
 */
function childrenFirst<K extends Walked>(
  field: K,
  compute: (x: Expr, of: (c: Expr) => NonNullable<Memo[K]>) => NonNullable<Memo[K]>,
  childrenOf: (x: Expr) => readonly Expr[] = children,
  /** The value at a leaf (a number, name or special), cheaper than a memo (about half the nodes are leaves). */
  leaf?: (x: Expr) => NonNullable<Memo[K]>,
): (e: Expr) => NonNullable<Memo[K]> {
  type T = NonNullable<Memo[K]>;
  const known = (c: Expr) => memoOf(c)![field] as T;
  const iterative = (e: Expr): T => {
    for (const x of postorder([e], (y) => (memoOf(y)?.[field] !== undefined ? [] : childrenOf(y)))) {
      const m = memoFor(x);
      if (m[field] === undefined) m[field] = compute(x, known);
    }
    return known(e);
  };
  const of = (e: Expr): T => {
    if (leaf && (e.type === 'num' || e.type === 'sym' || e.type === 'special')) return leaf(e);
    const m = memoFor(e);
    const v = m[field];
    if (v !== undefined) return v as T;
    if (depth >= MAX_DEPTH) return iterative(e);
    depth++;
    try {
      const computed = compute(e, of);
      m[field] = computed;
      return computed;
    } finally {
      depth--;
    }
  };
  return of;
}

const MAX_DEPTH = 200;
let depth = 0;

const ZERO_FORM: Monomial = { coef: ZERO, factors: new Map(), plain: false };
const ONE_FORM: Monomial = { coef: ONE, factors: new Map(), plain: true };

function atom(e: Expr): Monomial {
  return { coef: ONE, factors: new Map<string, Factor>().set(key(e), { base: e, exp: 1 }), plain: true };
}

/** A copy of `factors` to change: entry by entry, about twice as fast as `new Map(factors)` for a few entries. */
function copy(factors: ReadonlyMap<string, Factor>): Factors {
  const out: Factors = new Map();
  for (const [k, f] of factors) out.set(k, f);
  return out;
}

function times(a: Monomial, b: Monomial): Monomial {
  return product([a, b]);
}

/**
 * ((m₀ × m₁) × m₂) × …, identities applied after each step as `times` does, into one copy of the
 * factors rather than a copy per step.
 */
function product(ms: readonly Monomial[]): Monomial {
  let factors: Factors | undefined;
  let coef = ms[0].coef;
  let plain = ms[0].plain;
  // Merging adds no base: until a factor an identity looks at comes in, none can fit.
  let rules = mayRewrite(ms[0].factors);
  for (let i = 1; i < ms.length; i++) {
    const b = ms[i];
    if (b.factors.size === 0 && numValue(b.coef) === 1) continue;
    factors ??= copy(ms[0].factors);
    let merged = false;
    for (const f of b.factors.values()) merged = multiplyFactor(factors, f.base, f.exp, f.poly) || merged;
    rules ||= mayRewrite(b.factors);
    if (rules) merged = applyIdentities(factors) || merged;
    coef = mulNum(coef, b.coef);
    plain = !merged && plain && b.plain;
  }
  return factors ? { coef, factors, plain } : ms[0];
}

function power(a: Monomial, k: number): Monomial | undefined {
  if (a.coef.p === 0 && k < 0) return undefined;
  const coef = powNum(a.coef, num(k));
  if (!coef) return undefined;
  const factors: Factors = new Map();
  for (const [k2, f] of a.factors) factors.set(k2, factorOf(f.base, f.exp * k, f.poly));
  return { coef, factors, plain: a.plain };
}

/** `a` divided by the factors `g` (whose exponents are at most `a`'s). */
function quotient(a: Monomial, g: Factors): Monomial {
  const factors = copy(a.factors);
  for (const f of g.values()) multiplyFactor(factors, f.base, -f.exp, f.poly);
  return { coef: a.coef, factors, plain: a.plain };
}

/** A key for a monomial up to its coefficient. */
function monomialKey(m: Monomial): string {
  const holder = m as { [MONOMIAL_KEY]?: string };
  let k = holder[MONOMIAL_KEY];
  if (k === undefined) {
    const parts: string[] = [];
    for (const [b, f] of m.factors) parts.push(`${b}^${f.exp}`);
    sortInPlace(parts, compare);
    holder[MONOMIAL_KEY] = k = parts.join('*');
  }
  return k;
}

/** Monomials are never changed once built, so the key is kept on each (cheaper than a WeakMap). */
const MONOMIAL_KEY = Symbol('monomialKey');

/** Adds `terms` into `into` by monomial, dropping what cancels; true when something cancelled. */
function collect(into: Map<string, Monomial>, terms: readonly Monomial[]): boolean {
  let cancelled = false;
  for (const t of terms) {
    const k = monomialKey(t);
    const old = into.get(k);
    const coef = old ? addNum(old.coef, t.coef) : t.coef;
    if (coef.p === 0) {
      into.delete(k);
      cancelled = true;
    } else into.set(k, old ? { coef, factors: t.factors, plain: false } : t);
  }
  return cancelled;
}

/** `m` multiplied out into monomials over atoms (its sums' exponents are positive); undefined past MAX_TERMS. */
function expand(m: Monomial): Monomial[] | undefined {
  let sums: Factor[] | undefined;
  let sumKeys: string[] | undefined;
  for (const [k, f] of m.factors) {
    const poly = f.poly ?? readAsSum(f.base);
    if (poly) {
      (sums ??= []).push({ base: f.base, exp: f.exp, poly });
      (sumKeys ??= []).push(k);
    }
  }
  // Nothing to multiply out (the common case): no copy.
  if (!sums || !sumKeys) return [m];
  const atoms = copy(m.factors);
  for (const k of sumKeys) atoms.delete(k);
  let terms: Monomial[] = [{ coef: m.coef, factors: atoms, plain: m.plain }];
  for (const s of sums) {
    for (let i = 0; i < s.exp; i++) {
      if (terms.length * s.poly!.length > MAX_TERMS) return undefined;
      const next = new Map<string, Monomial>();
      for (const a of terms)
        collect(
          next,
          s.poly!.map((b) => times(a, b)),
        );
      terms = [...next.values()];
    }
  }
  return terms;
}

/**
 * The sum of `terms` (monomials over atoms) as content × common monomial × primitive polynomial.
 * `written`: the sum as an expression, when it is these terms as they are.
 */
function fromPolynomial(terms: readonly Monomial[], written?: Expr): Monomial {
  if (terms.length === 0) return ZERO_FORM;
  // What was a sum is one term now: something cancelled.
  if (terms.length === 1) return { ...terms[0], plain: false };
  // The monomial common to every term: each base at its least exponent.
  const common: Factors = new Map();
  for (const [k, f] of terms[0].factors) {
    let least = f.exp;
    for (const t of terms) least = Math.min(least, t.factors.get(k)?.exp ?? 0);
    if (least > 0) common.set(k, { base: f.base, exp: least });
  }
  // The content: gcd of numerators over lcm of denominators (1 when a coefficient is inexact).
  let content: Num = ONE;
  if (terms.every((t) => t.coef.q !== 0)) {
    let p = 0;
    let q = 1;
    for (const t of terms) {
      p = gcd(p, Math.abs(t.coef.p));
      q = (q / gcd(q, t.coef.q)) * t.coef.q;
    }
    content = num(p, q);
  }
  const unit = numValue(content) === 1;
  let rest: Monomial[];
  if (!unit || common.size > 0) {
    const divisor = powNum(content, num(-1))!;
    rest = terms.map((t) => {
      const scaled = { coef: mulNum(t.coef, divisor), factors: t.factors, plain: t.plain };
      return common.size > 0 ? quotient(scaled, common) : scaled;
    });
  } else rest = terms.slice();
  sortInPlace(rest, byMonomialKey);
  // A sum and its negation are one base: keep the one with more positive terms (on a tie, the first positive).
  let negatives = 0;
  for (const t of rest) if (t.coef.p < 0) negatives++;
  if (2 * negatives > rest.length || (2 * negatives === rest.length && rest[0].coef.p < 0)) {
    content = mulNum(content, num(-1));
    rest = rest.map(negated);
  }
  // Already primitive, as written: then it is its own base, and needs no building.
  const plain = written !== undefined && common.size === 0 && numValue(content) === 1;
  const out = copy(common);
  multiplyFactor(out, plain ? written : add(...rest.map(toExpr)), 1, rest);
  return { coef: content, factors: out, plain };
}

function negated(m: Monomial): Monomial {
  return { coef: mulNum(m.coef, num(-1)), factors: m.factors, plain: m.plain };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byMonomialKey(a: Monomial, b: Monomial): number {
  return compare(monomialKey(a), monomialKey(b));
}

/**
 * An atom that a reading (identities.ts) writes as a sum, as that sum's terms: in a sum,
 * σ(−z) is 1 − σ(z) so that it meets σ(z); in a product it stays σ(−z), where e^{z}σ(−z) = σ(z).
 */
function readAsSum(e: Expr): readonly Monomial[] | undefined {
  for (const r of READINGS) {
    const reading = r.read(e);
    if (reading) return expand(formOf(reading));
  }
  return undefined;
}

/**
 * Σ terms over a common denominator; undefined when multiplying out would pass MAX_TERMS, or
 * when it multiplied out a product with no denominator to clear and nothing cancelled: then the
 * sum is kept as written (x³ + 3x²(z − x), a first-order approximation, is not x²(3z − 2x)).
 */
function sum(terms: readonly Monomial[], written?: Expr): Monomial | undefined {
  const nonzero = terms.filter((t) => t.coef.p !== 0);
  if (nonzero.length <= 1) return nonzero[0] ?? ZERO_FORM;
  // Each base at its least exponent over the terms (0 where absent): a negative one is the
  // common denominator, a positive one a factor every term shares.
  const g: Factors = new Map();
  for (const t of nonzero)
    for (const [k, f] of t.factors) {
      if (g.has(k)) continue;
      let least = Infinity;
      for (const u of nonzero) least = Math.min(least, u.factors.get(k)?.exp ?? 0);
      if (least !== 0) g.set(k, factorOf(f.base, least, f.poly));
    }
  const expanded = new Map<string, Monomial>();
  let count = 0;
  let cancelled = false;
  for (const t of nonzero) {
    const e = expand(g.size === 0 ? t : quotient(t, g));
    if (!e || (count += e.length) > MAX_TERMS) return undefined;
    cancelled = collect(expanded, e) || cancelled;
  }
  let denominator = false;
  for (const f of g.values()) if (f.exp < 0) denominator = true;
  if (count > nonzero.length && !denominator && !cancelled) return undefined;
  const asWritten =
    g.size === 0 && count === nonzero.length && expanded.size === count && nonzero.every((t) => t.plain);
  const total = fromPolynomial([...expanded.values()], asWritten ? written : undefined);
  return g.size === 0 ? total : times({ coef: ONE, factors: g, plain: false }, total);
}

/** The rational form of a scalar, memoised (nodes are immutable, so a node's form never changes). */
const formOf: (e: Expr) => Monomial = childrenFirst('form', (e) => readForm(e), rationalChildren);

/** The children `readForm` reads the forms of. */
function rationalChildren(e: Expr): readonly Expr[] {
  return isRational(e) ? children(e) : [];
}

/** A scalar sum, product or power: a node the rational form looks into. */
function isRational(e: Expr): boolean {
  return (e.type === 'add' || e.type === 'mul' || e.type === 'pow') && isScalar(e);
}

/**
 * A quick, conservative test that `e`'s rational form is `e` as written (so no form need be read):
 * no denominator in a sum, no product of sums to multiply out, no content or factor common to a
 * sum's terms, no σ, sign or |·| that an identity could rewrite. Memoised on the node.
 */
function isSettled(e: Expr): boolean {
  if (!isRational(e)) return true;
  const m = memoFor(e);
  return (m.settled ??= settledNode(e));
}

function settledNode(e: Expr): boolean {
  if (e.type === 'pow') return isSettled(e.base);
  if (e.type === 'mul') {
    // −(μ − x) may read better as x − μ: a minus and a sum to take it into.
    const minus = e.factors[0].type === 'num' && e.factors[0].p < 0;
    if (minus && e.factors.some((f) => f.type === 'add' || (f.type === 'pow' && f.base.type === 'add')))
      return false;
    return e.factors.every(isSettled) && !triggers(e.factors);
  }
  if (e.type !== 'add') return true;
  const written = sumAsWritten(e);
  if (!written) return false;
  memoFor(e).alone = true;
  const { negatives, content } = written;
  if (content !== 1 || 2 * negatives > e.terms.length) return false;
  if (2 * negatives < e.terms.length) return true;
  // Half the terms negative: the form keeps the sum whose first term (in monomialKey's order) is positive.
  const keyed = e.terms.map((t) => {
    const factors = t.type === 'mul' ? t.factors : [t];
    const parts = factors
      .filter((f) => f.type !== 'num')
      .map((f) =>
        f.type === 'pow' && f.exp.type === 'num' && f.exp.q === 1
          ? `${key(f.base)}^${f.exp.p}`
          : `${key(f)}^1`,
      );
    sortInPlace(parts, compare);
    return { k: parts.join('*'), negative: factors[0].type === 'num' && factors[0].p < 0 };
  });
  sortInPlace(keyed, (x, y) => compare(x.k, y.k));
  return !keyed[0].negative;
}

/**
 * A sum whose form is its terms as written (settled terms with integer coefficients, no sum or
 * denominator among their factors, no factor common to all): its content and how many terms are
 * negative, which alone may still differ in its form. Otherwise undefined.
 */
function sumAsWritten(e: Add): { negatives: number; content: number } | undefined {
  let negatives = 0;
  let content = 0;
  for (const t of e.terms) {
    const factors = t.type === 'mul' ? t.factors : [t];
    for (const f of factors) {
      if (f.type === 'num') {
        if (f.q !== 1) return undefined;
        content = gcd(content, Math.abs(f.p));
        if (f.p < 0) negatives++;
      } else if (
        f.type === 'add' ||
        (f.type === 'pow' && (f.base.type === 'add' || !(f.exp.type === 'num' && f.exp.p > 0))) ||
        READINGS.some((r) => r.read(f) !== undefined)
      )
        return undefined;
    }
    if (factors[0].type !== 'num') content = 1;
    if (!isSettled(t)) return undefined;
  }
  // A common factor: the first term's bases all appear elsewhere only in some terms.
  const first = e.terms[0].type === 'mul' ? e.terms[0].factors : [e.terms[0]];
  for (const f of first) {
    const k = key(f.type === 'pow' ? f.base : f);
    if (f.type === 'num') continue;
    if (
      e.terms.every((t) =>
        (t.type === 'mul' ? t.factors : [t]).some((g) => key(g.type === 'pow' ? g.base : g) === k),
      )
    )
      return undefined;
  }
  return { negatives, content };
}

/**
 * Factors of a product that an identity (identities.ts) may rewrite: σ with an exponential,
 * sign or |·| with another factor, two exponentials, sin with cos.
 */
function triggers(factors: readonly Expr[]): boolean {
  let sigma = 0;
  let sign = 0;
  let exp = 0;
  let trig = 0;
  let other = 0;
  for (const f of factors) {
    const b = f.type === 'pow' ? f.base : f;
    if (b.type === 'num') continue;
    if (b.type !== 'fn') other++;
    else if (b.name === 'sigma') sigma++;
    else if (b.name === 'exp') exp++;
    else if (b.name === 'sin' || b.name === 'cos') trig++;
    else if (b.name === 'sign' || b.name === 'abs') sign++;
    else other++;
  }
  return (sigma > 0 && exp > 0) || (sign > 0 && sigma + sign + exp + trig + other > 1) || exp > 1 || trig > 1;
}

function readForm(e: Expr): Monomial {
  switch (e.type) {
    case 'num':
      return { coef: e, factors: ONE_FORM.factors, plain: true };
    case 'add':
      return sum(e.terms.map(formOf), e) ?? atom(e);
    case 'mul':
      return product(e.factors.map(formOf));
    case 'pow':
      if (e.exp.type === 'num' && e.exp.q === 1) return power(formOf(e.base), e.exp.p) ?? atom(e);
      return atom(e);
    default:
      return atom(e);
  }
}

/**
 * A form as an expression. A negative coefficient is taken into a sum (raised to an odd power)
 * when that is no larger: exp(…)(x − μ) rather than −exp(…)(μ − x), (x² − 2x − 1) rather than
 * −(1 + 2x − x²); but not into 1 − t, the form a person recognises (1 − σ(z), 1 − tanh²z).
 */
function isOneMinus(poly: readonly Monomial[]): boolean {
  return poly.length === 2 && poly.some((t) => t.factors.size === 0 && numValue(t.coef) === 1);
}

/** The sum `poly` negated, highest terms first so that a constant goes last: x² − 2x − 1. */
function negatedSum(poly: readonly Monomial[]): Expr {
  // Kept on the (never changed) array: a squared denominator is weighed at every node above it.
  const holder = poly as { [NEGATED]?: Expr };
  return (holder[NEGATED] ??= add(...poly.map(negated).map(toExpr).reverse()));
}

const NEGATED = Symbol('negatedSum');

function toExpr(m: Monomial): Expr {
  if (m.coef.p === 0) return ZERO;
  // A sum to an even power is the smaller of it and its negation: (x − 1)² rather than (1 − x)².
  const factors = [...m.factors.values()].map((f) => {
    if (!f.poly || f.exp % 2 !== 0) return f;
    const other = negatedSum(f.poly);
    return size(other) < size(f.base) ? { base: other, exp: f.exp } : f;
  });
  const build = (coef: Num, fs: readonly Factor[]) => mul(coef, ...fs.map((f) => pow(f.base, num(f.exp))));
  const plain = build(m.coef, factors);
  const i =
    numValue(m.coef) < 0 ? factors.findIndex((f) => f.poly && f.exp % 2 !== 0 && !isOneMinus(f.poly)) : -1;
  if (i < 0) return plain;
  const flipped = factors.slice();
  flipped[i] = { base: negatedSum(factors[i].poly!), exp: factors[i].exp };
  const other = build(mulNum(m.coef, num(-1)), flipped);
  return size(other) <= size(plain) ? other : plain;
}

/**
 * Tree size of a node, as `treeSize` counts them; once per node. `measureNode` also keeps how
 * many of the nodes are fractions (`Memo.fractions`): two numbers on the memo, no pair per node.
 */
const size: (e: Expr) => number = childrenFirst('size', measureNode, children, () => 1);

function measureNode(x: Expr, of: (c: Expr) => number): number {
  let n = 1;
  let fractions = 0;
  for (const c of children(x)) {
    n += of(c);
    fractions += fractionsOf(c);
  }
  memoFor(x).fractions = fractions;
  return n;
}

/** `treeSize(e)`, memoised on the nodes (where the rational form keeps the sizes it weighs). */
export function treeSizeOf(e: Expr): number {
  return size(e);
}

/** How many nodes of `e` are fractions, once `size(e)` is known (a leaf has no memo for it). */
function fractionsOf(e: Expr): number {
  return e.type === 'num' ? (e.q !== 1 ? 1 : 0) : (memoOf(e)?.fractions ?? 0);
}

/** The candidate when it has fewer nodes, or as many and fewer fractions: 2/(4 + x²) rather than 1/(2 + x²/2). */
function smaller(current: Expr, candidate: Expr): Expr {
  const n = size(current);
  const cn = size(candidate);
  return cn < n || (cn === n && fractionsOf(candidate) < fractionsOf(current)) ? candidate : current;
}

/** A term as its scalar coefficients and the rest (a non-scalar factor, or the term). */
function split(t: Expr): [readonly Expr[], Expr] {
  return t.type === 'mul' && !isScalar(t)
    ? [t.factors.slice(0, -1), t.factors[t.factors.length - 1]]
    : [[], t];
}

/** The product of scalar `factors` in rational form. */
function productForm(factors: readonly Expr[]): Monomial {
  return product([ONE_FORM, ...factors.map(formOf)]);
}

/**
 * `e` (whose children are normalised) in the smallest of its forms: for a scalar, its rational
 * form; for a scaled matrix, with its scalar factors in rational form; for a sum of matrices,
 * with the coefficients of each matrix collected: σ(z)(1 − y)𝐱 − y(1 − σ(z))𝐱 = (σ(z) − y)𝐱.
 */
function normalizeNode(e: Expr): Expr {
  if (isScalar(e)) {
    if (isSettled(e) || memoOf(e)!.alone) return e;
    const form = formOf(e);
    return form.plain ? e : smaller(e, toExpr(form));
  }
  if (e.type === 'mul') {
    const [scalars, rest] = split(e);
    if (scalars.every(isSettled) && !triggers(scalars)) return e;
    const form = productForm(scalars);
    return form.plain ? e : smaller(e, mul(toExpr(form), rest));
  }
  if (e.type === 'add') {
    const groups = new Map<string, { rest: Expr; coefs: (readonly Expr[])[] }>();
    for (const t of e.terms) {
      const [scalars, rest] = split(t);
      const k = key(rest);
      const g = groups.get(k);
      if (g) g.coefs.push(scalars);
      else groups.set(k, { rest, coefs: [scalars] });
    }
    if (groups.size === e.terms.length) return e;
    const terms = [...groups.values()].map(({ rest, coefs: scalars }) => {
      const coefs = scalars.map(productForm);
      const total = sum(coefs);
      return total ? mul(toExpr(total), rest) : add(...coefs.map((c) => mul(toExpr(c), rest)));
    });
    return smaller(e, add(...terms));
  }
  return e;
}

/**
 * `e` with each subexpression in its smallest form (see `normalizeNode`): equal to `e`
 * wherever `e` is defined. Children first, so a node is weighed with its children settled.
 */
export const normalize: (e: Expr) => Expr = childrenFirst(
  'normal',
  (x, of) => {
    const best = normalizeNode(unchanged(x, of) ? x : rebuild(x, of));
    // `x` itself is marked by the walk.
    if (best !== x) memoFor(best).normal = best;
    return best;
  },
  children,
  // A leaf (a number, a name) is in its smallest form: `normalizeNode` returns it as it is.
  (x) => x,
);

/** Whether `of` maps every child of `x` to itself (no array or closure made). */
function unchanged(x: Expr, of: (c: Expr) => Expr): boolean {
  for (const c of children(x)) if (of(c) !== c) return false;
  return true;
}
