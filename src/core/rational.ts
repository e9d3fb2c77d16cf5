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
import { type Expr, type Num, children, isScalar, key, postorder } from './expr';
import {
  type Factor,
  type Factors,
  type Monomial,
  READINGS,
  applyIdentities,
  multiplyFactor,
} from './identities';
import { ONE, ZERO, add, addNum, mul, mulNum, num, numValue, pow, powNum, rebuild } from './simplify';

/**
 * Most terms a sum may expand to: past it the sum stays one base (expanding (a + b)¹⁰ is never
 * the smaller form, and this bounds the work per node).
 */
const MAX_TERMS = 32;

const ZERO_FORM: Monomial = { coef: ZERO, factors: new Map() };
const ONE_FORM: Monomial = { coef: ONE, factors: new Map() };

function atom(e: Expr): Monomial {
  return { coef: ONE, factors: new Map([[key(e), { base: e, exp: 1 }]]) };
}

function times(a: Monomial, b: Monomial, identities = true): Monomial {
  if (b.factors.size === 0 && numValue(b.coef) === 1) return a;
  const factors: Factors = new Map(a.factors);
  for (const f of b.factors.values()) multiplyFactor(factors, f.base, f.exp, f.poly);
  if (identities) applyIdentities(factors);
  return { coef: mulNum(a.coef, b.coef), factors };
}

function power(a: Monomial, k: number): Monomial | undefined {
  if (a.coef.p === 0 && k < 0) return undefined;
  const coef = powNum(a.coef, num(k));
  if (!coef) return undefined;
  const factors: Factors = new Map();
  for (const [k2, f] of a.factors) factors.set(k2, { ...f, exp: f.exp * k });
  return { coef, factors };
}

/** `a` divided by the factors `g` (whose exponents are at most `a`'s). */
function quotient(a: Monomial, g: Factors): Monomial {
  const factors: Factors = new Map(a.factors);
  for (const f of g.values()) multiplyFactor(factors, f.base, -f.exp, f.poly);
  return { coef: a.coef, factors };
}

/** A key for a monomial up to its coefficient. */
function monomialKey(m: Monomial): string {
  const parts = [...m.factors].map(([k, f]) => `${k}^${f.exp}`);
  if (parts.length > 1) parts.sort();
  return parts.join('*');
}

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
    } else into.set(k, { coef, factors: t.factors });
  }
  return cancelled;
}

/** `m` multiplied out into monomials over atoms (its sums' exponents are positive); undefined past MAX_TERMS. */
function expand(m: Monomial): Monomial[] | undefined {
  const atoms: Factors = new Map();
  const sums: Factor[] = [];
  for (const [k, f] of m.factors) {
    const poly = f.poly ?? readAsSum(f.base);
    if (poly) sums.push({ base: f.base, exp: f.exp, poly });
    else atoms.set(k, f);
  }
  let terms: Monomial[] = [{ coef: m.coef, factors: atoms }];
  for (const s of sums) {
    for (let i = 0; i < s.exp; i++) {
      if (terms.length * s.poly!.length > MAX_TERMS) return undefined;
      const next = new Map<string, Monomial>();
      for (const a of terms)
        collect(
          next,
          s.poly!.map((b) => times(a, b, false)),
        );
      terms = [...next.values()];
    }
  }
  return terms;
}

/** The sum of `terms` (monomials over atoms) as content × common monomial × primitive polynomial. */
function fromPolynomial(terms: readonly Monomial[]): Monomial {
  if (terms.length === 0) return ZERO_FORM;
  if (terms.length === 1) return terms[0];
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
  let rest = terms
    .map((t) => quotient({ coef: mulNum(t.coef, powNum(content, num(-1))!), factors: t.factors }, common))
    .sort((a, b) => compare(monomialKey(a), monomialKey(b)));
  // A sum and its negation are one base: keep the one with more positive terms (on a tie, the first positive).
  const negatives = rest.filter((t) => t.coef.p < 0).length;
  if (2 * negatives > rest.length || (2 * negatives === rest.length && rest[0].coef.p < 0)) {
    content = mulNum(content, num(-1));
    rest = rest.map(negated);
  }
  const sum = add(...rest.map(toExpr));
  const out: Factors = new Map(common);
  multiplyFactor(out, sum, 1, rest);
  return { coef: content, factors: out };
}

function negated(m: Monomial): Monomial {
  return { coef: mulNum(m.coef, num(-1)), factors: m.factors };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
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
function sum(terms: readonly Monomial[]): Monomial | undefined {
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
      if (least !== 0) g.set(k, { ...f, exp: least });
    }
  const expanded = new Map<string, Monomial>();
  let count = 0;
  let cancelled = false;
  for (const t of nonzero) {
    const e = expand(quotient(t, g));
    if (!e || (count += e.length) > MAX_TERMS) return undefined;
    cancelled = collect(expanded, e) || cancelled;
  }
  const denominator = [...g.values()].some((f) => f.exp < 0);
  if (count > nonzero.length && !denominator && !cancelled) return undefined;
  return times({ coef: ONE, factors: g }, fromPolynomial([...expanded.values()]));
}

/** Forms already read, by node (nodes are immutable, so a node's form never changes). */
const forms = new WeakMap<Expr, Monomial>();

/** The rational form of a scalar. */
function formOf(e: Expr): Monomial {
  let f = forms.get(e);
  if (f === undefined) {
    f = readForm(e);
    forms.set(e, f);
  }
  return f;
}

function readForm(e: Expr): Monomial {
  switch (e.type) {
    case 'num':
      return { coef: e, factors: ONE_FORM.factors };
    case 'add':
      return sum(e.terms.map(formOf)) ?? atom(e);
    case 'mul':
      return e.factors.map(formOf).reduce((a, b) => times(a, b));
    case 'pow':
      if (e.exp.type === 'num' && e.exp.q === 1) return power(formOf(e.base), e.exp.p) ?? atom(e);
      return atom(e);
    default:
      return atom(e);
  }
}

/**
 * A form as an expression. A negative coefficient is taken into a sum (raised to an odd power)
 * when that is no larger: exp(…)(x − μ) rather than −exp(…)(μ − x); but not into a sum with a
 * constant, whose written form (1 − σ(z), 1 − tanh²z) is how a person recognises it.
 */
function toExpr(m: Monomial): Expr {
  if (m.coef.p === 0) return ZERO;
  const factors = [...m.factors.values()];
  const build = (coef: Num, fs: readonly Factor[]) => mul(coef, ...fs.map((f) => pow(f.base, num(f.exp))));
  const plain = build(m.coef, factors);
  const i =
    numValue(m.coef) < 0
      ? factors.findIndex((f) => f.poly && f.exp % 2 !== 0 && f.poly.every((t) => t.factors.size > 0))
      : -1;
  if (i < 0) return plain;
  const flipped = factors.slice();
  flipped[i] = { base: add(...factors[i].poly!.map(negated).map(toExpr)), exp: factors[i].exp };
  const other = build(mulNum(m.coef, num(-1)), flipped);
  return size(other) <= size(plain) ? other : plain;
}

/** Tree sizes by node, as `treeSize` counts them, and how many of the nodes are fractions; once per node. */
const sizes = new WeakMap<Expr, readonly [number, number]>();

function measure(e: Expr): readonly [number, number] {
  const known = sizes.get(e);
  if (known !== undefined) return known;
  for (const x of postorder([e], (y) => (sizes.has(y) ? [] : children(y)))) {
    if (sizes.has(x)) continue;
    let n = 1;
    let fractions = x.type === 'num' && x.q !== 1 ? 1 : 0;
    for (const c of children(x)) {
      const [cn, cf] = sizes.get(c)!;
      n += cn;
      fractions += cf;
    }
    sizes.set(x, [n, fractions]);
  }
  return sizes.get(e)!;
}

function size(e: Expr): number {
  return measure(e)[0];
}

/** The candidate when it has fewer nodes, or as many and fewer fractions: 2/(4 + x²) rather than 1/(2 + x²/2). */
function smaller(current: Expr, candidate: Expr): Expr {
  const [n, f] = measure(current);
  const [cn, cf] = measure(candidate);
  return cn < n || (cn === n && cf < f) ? candidate : current;
}

/** A term as its scalar coefficients and the rest (a non-scalar factor, or the term). */
function split(t: Expr): [readonly Expr[], Expr] {
  return t.type === 'mul' && !isScalar(t)
    ? [t.factors.slice(0, -1), t.factors[t.factors.length - 1]]
    : [[], t];
}

/** The product of scalar `factors` in rational form. */
function productForm(factors: readonly Expr[]): Monomial {
  return factors.map(formOf).reduce((a, b) => times(a, b), ONE_FORM);
}

/**
 * `e` (whose children are normalised) in the smallest of its forms: for a scalar, its rational
 * form; for a scaled matrix, with its scalar factors in rational form; for a sum of matrices,
 * with the coefficients of each matrix collected: σ(z)(1 − y)𝐱 − y(1 − σ(z))𝐱 = (σ(z) − y)𝐱.
 */
function normalizeNode(e: Expr): Expr {
  if (isScalar(e)) {
    if (e.type !== 'add' && e.type !== 'mul' && e.type !== 'pow') return e;
    return smaller(e, toExpr(formOf(e)));
  }
  if (e.type === 'mul') {
    const [scalars, rest] = split(e);
    return smaller(e, mul(toExpr(productForm(scalars)), rest));
  }
  if (e.type === 'add') {
    const groups = new Map<string, { rest: Expr; coefs: Monomial[] }>();
    for (const t of e.terms) {
      const [scalars, rest] = split(t);
      const k = key(rest);
      const g = groups.get(k);
      if (g) g.coefs.push(productForm(scalars));
      else groups.set(k, { rest, coefs: [productForm(scalars)] });
    }
    if (groups.size === e.terms.length) return e;
    const terms = [...groups.values()].map(({ rest, coefs }) => {
      const total = sum(coefs);
      return total ? mul(toExpr(total), rest) : add(...coefs.map((c) => mul(toExpr(c), rest)));
    });
    return smaller(e, add(...terms));
  }
  return e;
}

const normalized = new WeakMap<Expr, Expr>();

/**
 * `e` with each subexpression in its smallest form (see `normalizeNode`): equal to `e`
 * wherever `e` is defined. Children first, so a node is weighed with its children settled.
 */
export function normalize(e: Expr): Expr {
  const cached = normalized.get(e);
  if (cached !== undefined) return cached;
  const get = (x: Expr) => normalized.get(x)!;
  for (const x of postorder([e], (y) => (normalized.has(y) ? [] : children(y)))) {
    if (normalized.has(x)) continue;
    const rebuilt = children(x).every((c) => get(c) === c) ? x : rebuild(x, get);
    const best = normalizeNode(rebuilt);
    normalized.set(x, best);
    normalized.set(best, best);
  }
  return get(e);
}
