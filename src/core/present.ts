/**
 * Presentation of a result the way a textbook writes it: common matrix
 * factors pulled out (`A𝐱 + Aᵀ𝐱` → `(A + Aᵀ)𝐱`) and long repeated
 * subexpressions named (`𝐬 = softmax(𝐱)`).
 */
import { type Expr, type Sym, isScalar, key, children } from './expr';
import { add, matmul, mul, num, rebuild, sym } from './simplify';
import { nameTable } from './table';

export interface Presented {
  readonly expr: Expr;
  readonly definitions: readonly { symbol: Sym; value: Expr }[];
}

/** Splits a term into (scalar coefficient·prefix, last factor) of a matrix product. */
function splitLast(t: Expr): [Expr, Expr] | undefined {
  const scalars = t.type === 'mul' ? t.factors.slice(0, -1) : [];
  const core = t.type === 'mul' ? t.factors[t.factors.length - 1] : t;
  if (core.type !== 'matmul') return undefined;
  return [mul(...scalars, matmul(...core.factors.slice(0, -1))), core.factors[core.factors.length - 1]];
}

function splitFirst(t: Expr): [Expr, Expr] | undefined {
  const scalars = t.type === 'mul' ? t.factors.slice(0, -1) : [];
  const core = t.type === 'mul' ? t.factors[t.factors.length - 1] : t;
  if (core.type !== 'matmul') return undefined;
  return [core.factors[0], mul(...scalars, matmul(...core.factors.slice(1)))];
}

/**
 * (𝐲 − 𝐳)ᵀ rather than 𝐲ᵀ − 𝐳ᵀ: a sum of transposes is shown as the transpose of
 * the sum. Built directly, since `transpose` would distribute it again.
 */
function collectTranspose(e: Extract<Expr, { type: 'add' }>): Expr | undefined {
  const inner: Expr[] = [];
  for (const t of e.terms) {
    const [coef, core] =
      t.type === 'mul' && t.factors.length === 2 ? [t.factors[0], t.factors[1]] : [undefined, t];
    if (core.type !== 'transpose') return undefined;
    inner.push(coef ? mul(coef, core.arg) : core.arg);
  }
  return { type: 'transpose', arg: factorSum(add(...inner)), shape: e.shape };
}

/** A + Aᵀ rather than Aᵀ + A: plain terms before transposed ones. */
function plainFirst(terms: Expr[]): Expr[] {
  const transposed = (t: Expr) => (t.type === 'transpose' ? 1 : 0);
  return terms.slice().sort((a, b) => transposed(a) - transposed(b));
}

/** Pulls a factor shared by every term of a non-scalar sum out of it: AB + CB = (A + C)B. */
function factorSum(e: Expr): Expr {
  if (e.type !== 'add') return e;
  if (isScalar(e)) return factorNumber(positiveFirst(e));
  const transposed = collectTranspose(e);
  if (transposed) return transposed;
  const lasts = e.terms.map(splitLast);
  if (lasts.every((p) => p && key(p[1]) === key(lasts[0]![1]))) {
    return matmul(add(...plainFirst(lasts.map((p) => p![0]))), lasts[0]![1]);
  }
  const firsts = e.terms.map(splitFirst);
  if (firsts.every((p) => p && key(p[0]) === key(firsts[0]![0]))) {
    return matmul(firsts[0]![0], add(...plainFirst(firsts.map((p) => p![1]))));
  }
  return factorNumber(positiveFirst(e));
}

function isNegativeTerm(t: Expr): boolean {
  return (
    (t.type === 'num' && t.p < 0) || (t.type === 'mul' && t.factors[0].type === 'num' && t.factors[0].p < 0)
  );
}

/** wᵀx + b − y rather than −y + wᵀx + b. */
function positiveFirst(e: Extract<Expr, { type: 'add' }>): Extract<Expr, { type: 'add' }> {
  if (!isNegativeTerm(e.terms[0]) || e.terms.every(isNegativeTerm)) return e;
  return {
    type: 'add',
    terms: [...e.terms.filter((t) => !isNegativeTerm(t)), ...e.terms.filter(isNegativeTerm)],
    shape: e.shape,
  };
}

/**
 * 2𝐱 − 2𝐚 → 2(𝐱 − 𝐚). Built directly, not through `mul`, which would
 * distribute the number again: this form is for display only.
 */
function factorNumber(e: Extract<Expr, { type: 'add' }>): Expr {
  if (e.terms.length < 2) return e;
  const coefs = e.terms.map((t) =>
    t.type === 'mul' && t.factors[0].type === 'num' ? t.factors[0] : undefined,
  );
  if (coefs.some((c) => !c || c.q !== 1)) return e;
  let g = 0;
  for (const c of coefs) g = gcd(g, Math.abs(c!.p));
  if (coefs.every((c) => c!.p < 0)) g = -g;
  if (Math.abs(g) <= 1) return e;
  const inner = add(...e.terms.map((t) => mul(num(1, g), t)));
  return { type: 'mul', factors: [num(g), inner], shape: e.shape };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

const NAMED: Partial<Record<string, string>> = nameTable({ softmax: 's' });

export function present(e: Expr): Presented {
  const definitions = new Map<string, { symbol: Sym; value: Expr }>();
  const used = new Set<string>();
  const collectNames = (x: Expr) => {
    if (x.type === 'sym') used.add(x.name);
    children(x).forEach(collectNames);
  };
  collectNames(e);
  const walk = (x: Expr): Expr => {
    if (x.type === 'fn' && NAMED[x.name]) {
      const k = key(x);
      let d = definitions.get(k);
      if (!d) {
        let name = NAMED[x.name]!;
        while (used.has(name)) name = `${name}'`;
        used.add(name);
        d = { symbol: sym(name, x.shape, 'intermediate'), value: x };
        definitions.set(k, d);
      }
      return d.symbol;
    }
    return factorSum(rebuild(x, walk));
  };
  return { expr: walk(e), definitions: [...definitions.values()] };
}
