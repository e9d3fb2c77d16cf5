/**
 * Presentation of a result the way a textbook writes it: common matrix
 * factors pulled out (`A𝐱 + Aᵀ𝐱` → `(A + Aᵀ)𝐱`) and long repeated
 * subexpressions named (`𝐬 = softmax(𝐱)`).
 */
import {
  type Expr,
  type Sym,
  children,
  isScalar,
  isTree,
  key,
  postorder,
  treeSize,
  withChildren,
  make,
} from './expr';
import { elementwiseNode, simplifyElementwise } from './elementwise';
import { normalize, treeSizeOf } from './rational';
import { add, gcd, matmul, mul, num, rebuild, sym } from './simplify';

export interface Presented {
  readonly expr: Expr;
  readonly definitions: readonly { symbol: Sym; value: Expr }[];
}

/** A term as (scalar coefficients, matrix-product factors); undefined when it is no matrix product. */
function chain(t: Expr): [Expr[], readonly Expr[]] | undefined {
  const scalars = t.type === 'mul' ? t.factors.slice(0, -1) : [];
  const core = t.type === 'mul' ? t.factors[t.factors.length - 1] : t;
  return core.type === 'matmul' ? [scalars, core.factors] : undefined;
}

/**
 * The longest run of factors every term's product ends with (or, `fromStart`, begins
 * with), leaving each term at least one factor of its own: AB + CB = (A + C)B, and
 * (diag(𝐬₂) − 𝐬₂𝐬₂ᵀ)(diag(𝐬₁) − 𝐬₁𝐬₁ᵀ)W rather than that product written out twice.
 */
function commonFactors(terms: readonly Expr[], fromStart: boolean): Expr | undefined {
  const chains = terms.map(chain);
  if (chains.some((c) => c === undefined)) return undefined;
  const lists = chains.map((c) => (fromStart ? c![1] : c![1].slice().reverse()));
  const shortest = Math.min(...lists.map((l) => l.length));
  let n = 0;
  while (n < shortest - 1 && lists.every((l) => key(l[n]) === key(lists[0][n]))) n++;
  if (n === 0) return undefined;
  const rests = (chains as [Expr[], readonly Expr[]][]).map(([scalars, factors]) =>
    mul(...scalars, matmul(...(fromStart ? factors.slice(n) : factors.slice(0, factors.length - n)))),
  );
  const shared = fromStart ? lists[0].slice(0, n) : lists[0].slice(0, n).reverse();
  // The sum left is factored in turn: (A/2 + Aᵀ/2)𝐱 → (A + Aᵀ)𝐱/2 (`matmul` takes the number out), and
  // it starts with a positive term: ((𝟏ᵀ𝐲)𝐬 − 𝐲)𝐱ᵀ rather than (−𝐲 + (𝟏ᵀ𝐲)𝐬)𝐱ᵀ.
  // What is left may be element-wise: (1 − σ(X𝐰)) ⊙ 𝐲 − σ(X𝐰) ⊙ (1 − 𝐲) is 𝐲 − σ(X𝐰) entry by entry.
  const sum = factorSum(simplifyElementwise(add(...plainFirst(rests))));
  return fromStart ? matmul(...shared, sum) : matmul(sum, ...shared);
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
  return make.unary('transpose', factorSum(add(...inner)), e.shape);
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
  const factored = commonFactors(e.terms, false) ?? commonFactors(e.terms, true);
  if (factored) return factored;
  const outer = asOuterProducts(e.terms);
  const collected = outer && commonFactors(outer, false);
  if (collected && treeSize(collected) < treeSize(e)) return collected;
  return factorScalar(e) ?? factorNumber(positiveFirst(e), true);
}

/**
 * The terms of a vector sum as products ending in one vector 𝐱, a scalar (𝐮ᵀ𝐱)𝐯 read as 𝐯𝐮ᵀ𝐱, so that
 * 𝐱 can be taken out: (𝐛ᵀ𝐱)𝐚 + (𝐚ᵀ𝐱)𝐛 = (𝐚𝐛ᵀ + 𝐛𝐚ᵀ)𝐱. Undefined unless every term ends in the same 𝐱.
 */
function asOuterProducts(terms: readonly Expr[]): Expr[] | undefined {
  let x: string | undefined;
  const innerProduct = (f: Expr) => f.type === 'matmul' && isScalar(f);
  const out: Expr[] = [];
  for (const t of terms) {
    const c = chain(t);
    if (c) {
      const last = key(c[1][c[1].length - 1]);
      if ((x ??= last) !== last) return undefined;
      out.push(t);
      continue;
    }
    if (t.type !== 'mul' || t.shape.kind !== 'vector') return undefined;
    const v = t.factors[t.factors.length - 1];
    const inner = t.factors.slice(0, -1).filter(innerProduct) as Extract<Expr, { type: 'matmul' }>[];
    if (inner.length !== 1 || v.shape.kind !== 'vector') return undefined;
    const u = inner[0].factors;
    const last = key(u[u.length - 1]);
    if ((x ??= last) !== last) return undefined;
    const scalars = t.factors.slice(0, -1).filter((f) => f !== inner[0]);
    out.push(mul(...scalars, matmul(v, ...u)));
  }
  return out;
}

/** A term's scalar factors, numbers left out, and what they multiply. */
function scalarFactors(t: Expr): [Expr[], Expr] {
  if (t.type !== 'mul' || isScalar(t)) return [[], t];
  return [t.factors.slice(0, -1).filter((f) => f.type !== 'num'), t.factors[t.factors.length - 1]];
}

/**
 * A scalar every term of a matrix sum is multiplied by, taken out of it as the book does:
 * diag(𝐬)/√d − 𝐬𝐬ᵀ/√d → (diag(𝐬) − 𝐬𝐬ᵀ)/√d, and λA + λAᵀ → λ(A + Aᵀ). Numbers are
 * `factorNumber`'s. Built directly: `mul` would distribute the scalar again.
 */
function factorScalar(e: Extract<Expr, { type: 'add' }>): Expr | undefined {
  const [first] = scalarFactors(e.terms[0]);
  const lists = e.terms.map((t) => scalarFactors(t)[0].map(key));
  const common: Expr[] = [];
  for (const f of first) {
    const k = key(f);
    if (!lists.every((l) => l.includes(k))) continue;
    // One occurrence from each term: λ·λA + λB shares one λ.
    for (const l of lists) l.splice(l.indexOf(k), 1);
    common.push(f);
  }
  if (common.length === 0) return undefined;
  const taken = new Set(common.map(key));
  const rests = e.terms.map((t) => {
    if (t.type !== 'mul') return t;
    const left = new Set(taken);
    return mul(...t.factors.filter((f) => !(f.type !== 'num' && isScalar(f) && left.delete(key(f)))));
  });
  return make.product('mul', [...common, factorSum(add(...plainFirst(rests)))], e.shape);
}

function isNegativeTerm(t: Expr): boolean {
  return (
    (t.type === 'num' && t.p < 0) || (t.type === 'mul' && t.factors[0].type === 'num' && t.factors[0].p < 0)
  );
}

/** wᵀx + b − y rather than −y + wᵀx + b. */
function positiveFirst(e: Extract<Expr, { type: 'add' }>): Extract<Expr, { type: 'add' }> {
  if (!isNegativeTerm(e.terms[0]) || e.terms.every(isNegativeTerm)) return e;
  return make.add([...e.terms.filter((t) => !isNegativeTerm(t)), ...e.terms.filter(isNegativeTerm)], e.shape);
}

/**
 * 2𝐱 − 2𝐚 → 2(𝐱 − 𝐚), and for a matrix sum (`fractions`) a common denominator too:
 * A/2 + Aᵀ/2 → (A + Aᵀ)/2. Built directly, not through `mul`, which would
 * distribute the number again: this form is for display only.
 */
function factorNumber(e: Extract<Expr, { type: 'add' }>, fractions = false): Expr {
  if (e.terms.length < 2) return e;
  const coefs = e.terms.map((t) =>
    t.type === 'mul' && t.factors[0].type === 'num' ? t.factors[0] : undefined,
  );
  const q = coefs[0]?.q ?? 0;
  if (coefs.some((c) => !c || c.q !== q) || q === 0 || (q !== 1 && !fractions)) return e;
  let g = 0;
  for (const c of coefs) g = gcd(g, Math.abs(c!.p));
  if (coefs.every((c) => c!.p < 0)) g = -g;
  if (Math.abs(g) <= 1 && q === 1) return e;
  const inner = add(...e.terms.map((t) => mul(num(q, g), t)));
  return make.product('mul', [num(g, q), inner], e.shape);
}

/**
 * A subexpression printed more than once is named ("where 𝐮₁ = …") once it has at least
 * this many nodes: below it the textbook repeats it (σ(𝐰ᵀ𝐱 + b)(1 − σ(𝐰ᵀ𝐱 + b))); above it
 * the repetition is what makes nested compositions grow exponentially in print.
 */
const SHARED_MIN_SIZE = 20;

/**
 * A part nested deeper than this in print is named too, even if printed once: the
 * printers recurse, and a power tower x ** x ** … a thousand deep would overflow the stack.
 */
const MAX_PRINTED_DEPTH = 150;

type Definition = { symbol: Sym; value: Expr };

export function present(e: Expr): Presented {
  const { exprs, definitions } = presentAll([e]);
  return { expr: exprs[0], definitions };
}

/**
 * Several results shown together (one per variable) with one set of names, so a
 * name means the same thing in all of them. Definitions come in dependency order.
 */
export function presentAll(input: readonly Expr[]): {
  exprs: Expr[];
  definitions: readonly Definition[];
  /** Nodes printed in all of them (the exprs and the definitions' values), names counting as one. */
  printed: number;
} {
  // Scalars in their smallest rational form first (rational.ts), element-wise vectors entry by entry
  // (elementwise.ts), then factored and named. The walk that finds element-wise parts (most results
  // have none) is the order the rest walks in.
  let results = input.map(normalize);
  let order = postorder(results);
  if (order.some(elementwiseNode)) {
    results = results.map(simplifyElementwise);
    order = postorder(results);
  }
  // The names in use and the softmaxes matter only to name something (few results do): found when first asked.
  let used: Set<string> | undefined;
  const fresh = (base: string): string => {
    used ??= new Set(order.flatMap((x) => (x.type === 'sym' ? [x.name] : [])));
    let name = base;
    while (used.has(name)) name = `${name}'`;
    used.add(name);
    return name;
  };
  let softmaxes: number | undefined;
  // softmax is always named, 𝐬 when there is one and 𝐬₁, 𝐬₂, … (innermost first) when nested or several.
  const softmaxDefinitions = new Map<string, Definition>();
  // How each node of `order` is shown, kept only where that is not the node itself (the common case:
  // then nothing is stored per node).
  const changed = new Map<Expr, Expr>();
  const walk = (x: Expr): Expr => changed.get(x) ?? x;
  const shown = (x: Expr): Expr => {
    if (x.type === 'fn' && x.name === 'softmax') {
      const k = key(x);
      let d = softmaxDefinitions.get(k);
      if (!d) {
        const value = rebuild(x, walk);
        // S for the column-wise softmax of a matrix, as a matrix is written.
        const letter = x.shape.kind === 'matrix' ? 'S' : 's';
        softmaxes ??= new Set(order.flatMap((y) => (y.type === 'fn' && y.name === 'softmax' ? [key(y)] : [])))
          .size;
        const name = fresh(softmaxes === 1 ? letter : `${letter}_${softmaxDefinitions.size + 1}`);
        d = { symbol: sym(name, x.shape, 'intermediate'), value };
        softmaxDefinitions.set(k, d);
      }
      return d.symbol;
    }
    // A node whose children are shown as they are is already canonical (built by the smart
    // constructors): rebuilding it would only make a copy.
    return factorSum(changed.size === 0 || children(x).every((c) => walk(c) === c) ? x : rebuild(x, walk));
  };
  // Children before parents (postorder lists each node once), so that each rebuild finds its
  // children done: no recursion as deep as the expression.
  for (const x of order) {
    const r = shown(x);
    if (r !== x) changed.set(x, r);
  }
  const exprs = results.map(walk);
  // Most results are shown as they are: then their postorder is the one just walked.
  const same = softmaxDefinitions.size === 0 && changed.size === 0;
  const named = nameShared(
    [...exprs, ...[...softmaxDefinitions.values()].map((d) => d.value)],
    fresh,
    same ? order : undefined,
  );
  if (named.printed !== undefined) {
    // Nothing more named: the roots are printed as they are, and their size is known.
    return { exprs, definitions: dependencyOrder([...softmaxDefinitions.values()]), printed: named.printed };
  }
  const definitions = [...softmaxDefinitions.values(), ...named.definitions].map((d) => ({
    symbol: d.symbol,
    value: named.substitute(d.value),
  }));
  const final = exprs.map(named.substitute);
  const printed = [...final, ...definitions.map((d) => d.value)].reduce((n, e) => n + treeSize(e), 0);
  return { exprs: final, definitions: dependencyOrder(definitions), printed };
}

/** Shapes a name can stand for in print (a row would need its transpose's name). */
function nameable(x: Expr): boolean {
  return (
    x.shape.kind !== 'row' &&
    x.type !== 'sym' &&
    x.type !== 'num' &&
    x.type !== 'special' &&
    x.type !== 'block' &&
    x.type !== 'piecewise'
  );
}

/**
 * Names each subexpression that would be printed more than once and has at least
 * SHARED_MIN_SIZE nodes in print (named parts counting as one), so that what is
 * printed grows with the DAG, not with the tree it unfolds to.
 */
function nameShared(
  roots: readonly Expr[],
  fresh: (base: string) => string,
  /** `postorder(roots)`, when the caller has it. */
  order: readonly Expr[] = postorder(roots),
): { definitions: Definition[]; substitute: (e: Expr) => Expr; printed?: number } {
  /** Nothing named: `printed` nodes are printed, as the roots are. */
  const unchanged = (printed: number) => ({ definitions: [], substitute: (e: Expr) => e, printed });
  // Nothing printed twice and too few nodes to nest MAX_PRINTED_DEPTH deep: nothing to name.
  const tree = isTree(roots, order);
  if (tree && order.length < MAX_PRINTED_DEPTH) return unchanged(order.length);
  // A part printed twice with SHARED_MIN_SIZE nodes prints twice that in all, and nests no deeper than its
  // size: below that, nothing to name either (the common case for a shared σ(u) or softmax).
  const unfolded = tree ? order.length : roots.reduce((n, r) => n + treeSizeOf(r), 0);
  if (unfolded < 2 * SHARED_MIN_SIZE) return unchanged(unfolded);
  // How many times each node would be printed (capped at 2: only "more than once" matters).
  const times = (isNamed: (x: Expr) => boolean): Map<Expr, number> => {
    const t = new Map<Expr, number>(roots.map((r) => [r, 1]));
    for (let i = order.length - 1; i >= 0; i--) {
      const x = order[i];
      const own = t.get(x);
      if (!own) continue;
      const passed = isNamed(x) ? 1 : own;
      for (const c of children(x)) t.set(c, Math.min(2, (t.get(c) ?? 0) + passed));
    }
    return t;
  };
  const unnamed = times(() => false);
  const named = new Set<Expr>();
  const size = new Map<Expr, number>();
  const depth = new Map<Expr, number>();
  const deep = new Set<Expr>();
  for (const x of order) {
    const cs = children(x);
    const s = cs.reduce((n, c) => n + (named.has(c) ? 1 : size.get(c)!), 1);
    const d = cs.reduce((n, c) => Math.max(n, named.has(c) ? 1 : depth.get(c)!), 0) + 1;
    size.set(x, s);
    depth.set(x, d);
    if (!nameable(x)) continue;
    if (unnamed.get(x)! > 1 && s >= SHARED_MIN_SIZE) named.add(x);
    else if (d >= MAX_PRINTED_DEPTH) {
      named.add(x);
      deep.add(x);
    }
  }
  // Most results share nothing worth a name: they are shown as they are, without another pass.
  if (named.size === 0) return unchanged(unfolded);
  // A name whose parents are all named themselves is printed once after all: inline it again
  // (unless it was named to keep the printed nesting shallow).
  const final = times((x) => named.has(x));
  for (const x of [...named]) if (final.get(x)! < 2 && !deep.has(x)) named.delete(x);
  const symbols = new Map<Expr, Sym>();
  const definitions: Definition[] = [];
  for (const x of order) {
    if (!named.has(x)) continue;
    const symbol = sym(
      fresh(x.shape.kind === 'matrix' ? `U_${symbols.size + 1}` : `u_${symbols.size + 1}`),
      x.shape,
      'intermediate',
    );
    symbols.set(x, symbol);
    definitions.push({ symbol, value: x });
  }
  const memo = new Map<Expr, Expr>();
  const replace = (x: Expr): Expr => {
    let r = memo.get(x);
    if (r === undefined) {
      r = symbols.get(x) ?? withChildren(x, replace);
      memo.set(x, r);
    }
    return r;
  };
  // A root or a definition keeps its own node; what it contains is replaced by names.
  return { definitions, substitute: (e) => withChildren(e, replace) };
}

/** Definitions ordered so that each comes after those it uses. */
function dependencyOrder(definitions: readonly Definition[]): Definition[] {
  const byName = new Map(definitions.map((d) => [d.symbol.name, d]));
  const out: Definition[] = [];
  const placed = new Set<string>();
  const place = (d: Definition) => {
    if (placed.has(d.symbol.name)) return;
    placed.add(d.symbol.name);
    for (const x of postorder([d.value])) {
      const dep = x.type === 'sym' && x.role === 'intermediate' ? byName.get(x.name) : undefined;
      if (dep) place(dep);
    }
    out.push(d);
  };
  definitions.forEach(place);
  return out;
}
