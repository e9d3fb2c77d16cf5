/**
 * Identities a textbook uses on products, as data: each rule rewrites the factors of one
 * monomial (base → integer exponent) and strictly lowers a measure, so applying the rules
 * until none fires ends (the measure of each is in its comment). The rational normal form
 * (rational.ts) applies them to every product it builds.
 */
import { type Expr, type Num, key } from './expr';
import { ONE, add, fn, neg } from './simplify';

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
}

export type Factors = Map<string, Factor>;

/** Multiplies `factors` by base^exp in place (a zero exponent drops the base). */
export function multiplyFactor(factors: Factors, base: Expr, exp: number, poly?: readonly Monomial[]): void {
  const k = key(base);
  const old = factors.get(k);
  const total = (old?.exp ?? 0) + exp;
  if (total === 0) factors.delete(k);
  else {
    const p = old?.poly ?? poly;
    factors.set(
      k,
      p ? { base: old?.base ?? base, exp: total, poly: p } : { base: old?.base ?? base, exp: total },
    );
  }
}

function exponent(factors: Factors, e: Expr): number {
  return factors.get(key(e))?.exp ?? 0;
}

interface Rule {
  /** The identity, as a person writes it. */
  readonly identity: string;
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

export const RULES: readonly Rule[] = [
  {
    // e^{u}/(1 + e^{u}) is σ(u), and σ(−u) = 1/(1 + e^{u}); e^{−u} is (e^{u})⁻¹, so e^{−u}/σ(−u) = 1/σ(u)
    // too. Measure: Σ|exponent| of exp factors.
    identity: 'e^{u} σ(−u) = σ(u)',
    apply: (factors) => {
      for (const v of argumentsOf(factors, 'sigma')) {
        const u = neg(v);
        const b = exponent(factors, fn('sigma', v));
        for (const [e, a] of [
          [fn('exp', u), 1],
          [fn('exp', v), -1],
        ] as const) {
          const k = a * exponent(factors, e);
          if (k === 0 || Math.sign(k) !== Math.sign(b)) continue;
          const t = Math.sign(k) * Math.min(Math.abs(k), Math.abs(b));
          multiplyFactor(factors, e, -a * t);
          multiplyFactor(factors, fn('sigma', v), -t);
          multiplyFactor(factors, fn('sigma', u), t);
          return true;
        }
      }
      return false;
    },
  },
  {
    // Holds at u = 0 too (both sides 0). Measure (here and below): exponents a of sign(u), b of u,
    // c of |u|, as a + |b| + |c|: this rule takes 1 from a and from b ≥ 1, and moves c by 1.
    identity: 'sign(u) u = |u|',
    apply: (factors) => moveSign(factors, (a, b) => a >= 1 && b >= 1, [-1, -1, 1]),
  },
  {
    // Undefined at u = 0 on the left (1/u) as the result it came from is there.
    identity: '|u| / u = sign(u)',
    apply: (factors) => moveSign(factors, (_a, b, c) => c >= 1 && b <= -1, [1, 1, -1]),
  },
  {
    identity: 'sign(u) / |u| = 1/u',
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
    const s = fn('sign', u);
    const m = fn('abs', u);
    if (!fits(exponent(factors, s), exponent(factors, u), exponent(factors, m))) continue;
    multiplyFactor(factors, s, da);
    multiplyFactor(factors, u, db);
    multiplyFactor(factors, m, dc);
    return true;
  }
  return false;
}

/**
 * Applies the rules to `factors` in place until none fits. Each lowers its own measure; the bound
 * guards the odd product where one rule's u is another's base (sign(e^u)·e^u).
 */
export function applyIdentities(factors: Factors): void {
  // Only a product with a σ, sign or |·| factor can match: most products have none.
  if (![...factors.values()].some((f) => f.base.type === 'fn' && TRIGGERS.has(f.base.name))) return;
  for (let i = 0; i < MAX_REWRITES && RULES.some((r) => r.apply(factors)); i++);
}

const MAX_REWRITES = 16;

const TRIGGERS = new Set(['sigma', 'sign', 'abs']);

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
