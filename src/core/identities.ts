/**
 * Identities a textbook uses on products, as data: each rule rewrites the factors of one
 * monomial (base → integer exponent) and strictly lowers a measure, so applying the rules
 * until none fires ends (the measure of each is in its comment). The rational normal form
 * (rational.ts) applies them to every product it builds.
 */
import { type Expr, type Num, RELATIVE_KEYS, children, key } from './expr';
import { ONE, add, fn, mul, neg, num } from './simplify';

/** base^exp; `poly` is the base as a polynomial when the base is a sum (rational.ts). */
export interface Factor {
  readonly base: Expr;
  readonly exp: number;
  readonly poly?: readonly Monomial[];
}

/** coef × Π base^exp: a monomial, or a product of powers of sums. */
export interface Monomial {
  readonly coef: Num;
  readonly factors: ReadonlyMap<string, Factor>;
  /**
   * Written back it is the expression it was read from: nothing merged, cancelled or rewritten
   * (rational.ts then need not build it to compare).
   */
  readonly plain: boolean;
}

export type Factors = Map<string, Factor>;

/** base^exp, with `poly` only when there is one (no key set to undefined: every factor then has one of two shapes). */
export function factorOf(base: Expr, exp: number, poly: readonly Monomial[] | undefined): Factor {
  return poly ? { base, exp, poly } : { base, exp };
}

/** Multiplies `factors` by base^exp in place (a zero exponent drops the base); true when the base was there. */
export function multiplyFactor(
  factors: Factors,
  base: Expr,
  exp: number,
  poly?: readonly Monomial[],
): boolean {
  const k = key(base);
  const old = factors.get(k);
  const total = (old?.exp ?? 0) + exp;
  if (total === 0) factors.delete(k);
  else {
    factors.set(k, factorOf(old?.base ?? base, total, old?.poly ?? poly));
  }
  return old !== undefined;
}

/** The exponent of the base with key `k` in `factors` (0 when absent). */
function exponentAt(factors: Factors, k: string): number {
  return factors.get(k)?.exp ?? 0;
}

/** A node a rule looks up beside a factor's argument u: σ(u), e^{u}, e^{−u}, sin(u), …. */
type Relative = (u: Expr) => Expr;
const SIGMA_OF: Relative = (u) => fn('sigma', u);
const EXP_OF: Relative = (u) => fn('exp', u);
const EXP_OF_NEGATED: Relative = (u) => fn('exp', neg(u));
const SIN_OF: Relative = (u) => fn('sin', u);
const COS_OF: Relative = (u) => fn('cos', u);
const SIGN_OF: Relative = (u) => fn('sign', u);
const ABS_OF: Relative = (u) => fn('abs', u);

/**
 * The key of `relative(u)`, kept on u: the rules look the same relatives up at every step of every
 * product with that factor, and building one only to take its key was most of a rule's cost. Only
 * the key is kept (in u's RELATIVE_KEYS slot); a relative that goes into a product is built where the rule fires.
 */
function relativeKey(u: Expr, relative: Relative): string {
  const keys = ((u as { [RELATIVE_KEYS]?: Map<Relative, string> })[RELATIVE_KEYS] ??= new Map());
  let k = keys.get(relative);
  if (k === undefined) keys.set(relative, (k = key(relative(u))));
  return k;
}

interface Rule {
  /** The identity, as a person writes it. */
  readonly identity: string;
  /** The factors it looks at (a `Needs` bit): without one of them it cannot fit. */
  readonly needs: number;
  /** Applies the rule once where it fits; true when it changed `factors`. */
  readonly apply: (factors: Factors) => boolean;
}

/** The argument of each factor whose base is `name`(u). */
function argumentsOf(factors: Factors, name: string): Expr[] {
  const out: Expr[] = [];
  for (const f of factors.values())
    if (f.base.type === 'fn' && f.base.name === name) out.push(f.base.args[0]);
  return out;
}

/**
 * What a product has that some rule looks at, as bits: a σ factor, a sin factor, a sign or |·|
 * factor, two exponentials or one to a power.
 */
const SIGMA = 1;
const SIN = 2;
const SIGN = 4;
const EXPS = 8;

export const RULES: readonly Rule[] = [
  {
    // e^{u}/(1 + e^{u}) is σ(u), and σ(−u) = 1/(1 + e^{u}); e^{−u} is (e^{u})⁻¹, so e^{−u}/σ(−u) = 1/σ(u)
    // too. Measure: Σ|exponent| of exp factors.
    identity: 'e^{u} σ(−u) = σ(u)',
    needs: SIGMA,
    apply: (factors) => {
      for (const v of argumentsOf(factors, 'sigma')) {
        const b = exponentAt(factors, relativeKey(v, SIGMA_OF));
        for (const [relative, a] of [
          [EXP_OF_NEGATED, 1],
          [EXP_OF, -1],
        ] as const) {
          const k = a * exponentAt(factors, relativeKey(v, relative));
          if (k === 0 || Math.sign(k) !== Math.sign(b)) continue;
          const t = Math.sign(k) * Math.min(Math.abs(k), Math.abs(b));
          const u = neg(v);
          multiplyFactor(factors, relative(v), -a * t);
          multiplyFactor(factors, fn('sigma', v), -t);
          multiplyFactor(factors, fn('sigma', u), t);
          return true;
        }
      }
      return false;
    },
  },
  {
    // After the rule above, which needs e^{u} on its own. Measure: Σ (1 + |k − 1|) over factors e^{u}ᵏ.
    identity: 'e^{a} e^{b} = e^{a + b}',
    needs: EXPS,
    apply: (factors) => {
      const exps = [...factors.values()].filter((f) => f.base.type === 'fn' && f.base.name === 'exp');
      if (exps.length === 0 || (exps.length === 1 && exps[0].exp === 1)) return false;
      for (const f of exps) multiplyFactor(factors, f.base, -f.exp);
      const merged = fn('exp', add(...exps.map((f) => mul(num(f.exp), children(f.base)[0]))));
      // e^{x}e^{−x} = e⁰ = 1.
      if (merged.type !== 'num') multiplyFactor(factors, merged, 1);
      return true;
    },
  },
  {
    // Measure: Σ|exponent| of sin factors.
    identity: 'sin(u)/cos(u) = tan(u)',
    needs: SIN,
    apply: (factors) => {
      for (const u of argumentsOf(factors, 'sin')) {
        const a = exponentAt(factors, relativeKey(u, SIN_OF));
        const b = exponentAt(factors, relativeKey(u, COS_OF));
        if (a === 0 || Math.sign(a) !== -Math.sign(b)) continue;
        const t = Math.sign(a) * Math.min(Math.abs(a), Math.abs(b));
        multiplyFactor(factors, fn('sin', u), -t);
        multiplyFactor(factors, fn('cos', u), t);
        multiplyFactor(factors, fn('tan', u), t);
        return true;
      }
      return false;
    },
  },
  {
    // Holds at u = 0 too (both sides 0). Measure (here and below): exponents a of sign(u), b of u,
    // c of |u|, as a + |b| + |c|: this rule takes 1 from a and from b ≥ 1, and moves c by 1.
    identity: 'sign(u) u = |u|',
    needs: SIGN,
    apply: (factors) => moveSign(factors, (a, b) => a >= 1 && b >= 1, [-1, -1, 1]),
  },
  {
    // Undefined at u = 0 on the left (1/u) as the result it came from is there.
    identity: '|u| / u = sign(u)',
    needs: SIGN,
    apply: (factors) => moveSign(factors, (_a, b, c) => c >= 1 && b <= -1, [1, 1, -1]),
  },
  {
    identity: 'sign(u) / |u| = 1/u',
    needs: SIGN,
    apply: (factors) => moveSign(factors, (a, _b, c) => a >= 1 && c <= -1, [-1, -1, 1]),
  },
];

/** For each u with a sign(u) or |u| factor: when `fits(a, b, c)`, multiplies by sign(u)^da u^db |u|^dc. */
function moveSign(
  factors: Factors,
  fits: (a: number, b: number, c: number) => boolean,
  [da, db, dc]: readonly [number, number, number],
): boolean {
  for (const u of [...argumentsOf(factors, 'sign'), ...argumentsOf(factors, 'abs')]) {
    const a = exponentAt(factors, relativeKey(u, SIGN_OF));
    const c = exponentAt(factors, relativeKey(u, ABS_OF));
    if (!fits(a, exponentAt(factors, key(u)), c)) continue;
    multiplyFactor(factors, fn('sign', u), da);
    multiplyFactor(factors, u, db);
    multiplyFactor(factors, fn('abs', u), dc);
    return true;
  }
  return false;
}

/**
 * Applies the rules to `factors` in place until none fits; true when one did. Each lowers its own measure; the bound
 * guards the odd product where one rule's u is another's base (sign(e^u)·e^u).
 */
export function applyIdentities(factors: Factors): boolean {
  let i = 0;
  while (i < MAX_REWRITES && candidates(factors).some((r) => r.apply(factors))) i++;
  return i > 0;
}

const MAX_REWRITES = 16;

/**
 * Whether some rule may look at one of `factors` (a σ, sin, sign, |·| or exponential base): a
 * product of monomials none of which has one has nothing for `applyIdentities` (the rules only
 * rewrite such bases), so it need not be asked at each step.
 */
export function mayRewrite(factors: ReadonlyMap<string, Factor>): boolean {
  for (const f of factors.values()) if (f.base.type === 'fn' && RULE_BASES.has(f.base.name)) return true;
  return false;
}

const RULE_BASES: ReadonlySet<string> = new Set(['sigma', 'sin', 'sign', 'abs', 'exp']);

/**
 * The rules that may fit `factors`, in order, found in one pass without the rules' allocations
 * (most products have none). Conservative: a rule looks up e^{±u} or cos(u) by building it, and fn
 * may cancel it (e^{ln y} is y), so a σ or sin factor alone may be enough.
 */
function candidates(factors: Factors): readonly Rule[] {
  let has = 0;
  let exps = 0;
  for (const f of factors.values()) {
    if (f.base.type !== 'fn') continue;
    switch (f.base.name) {
      case 'sigma':
        has |= SIGMA;
        break;
      case 'sin':
        has |= SIN;
        break;
      case 'sign':
      case 'abs':
        has |= SIGN;
        break;
      case 'exp':
        if (++exps > 1 || f.exp !== 1) has |= EXPS;
    }
  }
  return has === 0 ? [] : RULES.filter((r) => (r.needs & has) !== 0);
}

/**
 * Identities that read one value as a sum, so that it meets its relatives: with σ(−z) read as
 * 1 − σ(z), −σ(−x)(1 − σ(−x)) is −σ(x)(1 − σ(x)). The rational form keeps the reading only
 * where the result comes out smaller, so σ(−z) alone stays as it is.
 */
export const READINGS: readonly {
  readonly identity: string;
  readonly read: (e: Expr) => Expr | undefined;
}[] = [
  {
    identity: 'σ(−z) = 1 − σ(z)',
    read: (e) =>
      e.type === 'fn' && e.name === 'sigma' && isNegative(e.args[0])
        ? add(ONE, neg(fn('sigma', neg(e.args[0]))))
        : undefined,
  },
];

/** −z, or a product with a negative number in front. */
function isNegative(e: Expr): boolean {
  const n = e.type === 'mul' ? e.factors[0] : e;
  return n.type === 'num' && n.p < 0;
}
