/**
 * Naming the inner parts of a composite, as the notes do (`z = 𝐰·𝐱 + b`,
 * `u = max(0, z)`, `𝐠 = [x², 3x]`): which subexpressions get a name, which
 * name, and the expression rewritten in those names.
 */
import { type Expr, type Sym, children, key } from '../expr';
import { block, isNum, rebuild, sym } from '../simplify';
import type { Intermediate } from './records';

const SCALAR_NAMES = ['z', 'u', 'v', 'p', 'q', 't', 'r', 's'];
const VECTOR_NAMES = ['g', 'h', 'r', 'p', 'q', 'u', 'v'];
const MATRIX_NAMES = ['U', 'V', 'Z', 'P', 'Q'];

/** A variable itself (or its transpose) needs no name of its own. */
function isTrivial(e: Expr): boolean {
  return (
    e.type === 'sym' ||
    e.type === 'num' ||
    e.type === 'special' ||
    (e.type === 'transpose' && isTrivial(e.arg))
  );
}

function isEvenPower(e: Expr): boolean {
  return isNum(e) && e.q === 1 && e.p > 0 && e.p % 2 === 0;
}

/** A vector of inner arguments, as in 𝐟(𝐠(x)) = [ln g₁, sin g₂] with 𝐠 = [x², 3x]. */
export interface BlockIntermediate {
  readonly vector: Sym;
  readonly components: readonly Sym[];
  readonly args: readonly Expr[];
}

export class Naming {
  readonly list: Intermediate[] = [];
  /** Node key → its name (scalar components of a block intermediate included). */
  readonly byKey = new Map<string, Sym>();
  readonly values = new Map<string, Expr>();
  readonly blocks = new Map<string, BlockIntermediate>();
  /** Names of the scalar components of block intermediates (detail, not main-line stages). */
  readonly components = new Set<string>();
  private readonly used: Set<string>;
  private readonly depMemo = new Map<Expr, boolean>();

  constructor(
    root: Expr,
    private readonly wrt: ReadonlySet<string>,
    /** The vector-of-arguments form is the notes' vector chain rule for one scalar variable. */
    private readonly scalarOnly: boolean,
  ) {
    this.used = new Set(['f']);
    const collect = (e: Expr) => {
      if (e.type === 'sym') this.used.add(e.name);
      children(e).forEach(collect);
    };
    collect(root);
    this.visit(root, false, true);
  }

  /** Whether `e` depends on the variables, from its children's answers (linear over a shared DAG). */
  dep(e: Expr): boolean {
    let r = this.depMemo.get(e);
    if (r === undefined) {
      r =
        (e.type === 'sym' && e.role !== 'differential' && this.wrt.has(e.name)) ||
        children(e).some((c) => this.dep(c));
      this.depMemo.set(e, r);
    }
    return r;
  }

  /** The non-trivial arguments of a composite (function of a function, power of a sum) that depend on the variables. */
  innerArgs(e: Expr): Expr[] {
    if (e.type === 'fn') return e.args.filter((a) => this.dep(a) && !isTrivial(a));
    if (e.type === 'pow' && !this.dep(e.exp)) {
      // ‖𝐠‖² is one smooth function of 𝐠, as the core treats it.
      const base =
        e.base.type === 'fn' && e.base.name === 'norm2' && isEvenPower(e.exp) ? e.base.args[0] : e.base;
      return this.dep(base) && !isTrivial(base) ? [base] : [];
    }
    return [];
  }

  private blockArgs(e: Expr): Expr[] | undefined {
    if (e.type !== 'block') return undefined;
    const cells = e.rows.flat().filter((c) => this.dep(c));
    const args = cells.map((c) => this.innerArgs(c));
    return cells.length > 1 && args.every((a) => a.length === 1) ? args.map((a) => a[0]) : undefined;
  }

  private visit(e: Expr, inDefinition: boolean, isRoot: boolean): void {
    if (!this.dep(e)) return;
    const inner = this.innerArgs(e);
    if (inner.length) {
      // Inside a named definition, a composite term is named too: v = y − u with u = max(0, z).
      if (inDefinition && !isRoot) this.name(e);
      else inner.forEach((a) => this.name(a));
      return;
    }
    const args = this.blockArgs(e);
    if (args && this.scalarOnly) {
      args.forEach((a) => this.visit(a, true, true));
      const vector = this.fresh({ kind: 'vector', n: args.length });
      const components = args.map((_, i) => this.fresh(undefined, `${vector.name}_${i + 1}`));
      args.forEach((a, i) => this.byKey.set(key(a), components[i]));
      components.forEach((c, i) => this.values.set(c.name, args[i]));
      const value = block(args.map((a) => [a]));
      this.values.set(vector.name, value);
      this.list.push({ symbol: vector, value, definition: block(args.map((a) => [this.display(a, true)])) });
      components.forEach((c) => this.components.add(c.name));
      this.blocks.set(key(e), { vector, components, args });
      return;
    }
    for (const c of children(e)) this.visit(c, inDefinition, false);
  }

  private name(e: Expr): void {
    const k = key(e);
    if (this.byKey.has(k)) return;
    this.visit(e, true, true);
    const s = this.fresh(e.shape);
    this.byKey.set(k, s);
    this.values.set(s.name, e);
    this.list.push({ symbol: s, value: e, definition: this.display(e, true) });
  }

  private fresh(shape: Expr['shape'] | undefined, exact?: string): Sym {
    if (exact !== undefined) {
      this.used.add(exact);
      return sym(exact);
    }
    const s = shape ?? { kind: 'scalar' };
    const pool = s.kind === 'scalar' ? SCALAR_NAMES : s.kind === 'matrix' ? MATRIX_NAMES : VECTOR_NAMES;
    let name = pool.find((n) => !this.used.has(n));
    for (let i = 1; name === undefined; i++) if (!this.used.has(`${pool[0]}_${i}`)) name = `${pool[0]}_${i}`;
    this.used.add(name);
    return sym(name, s);
  }

  /** `e` with every named part replaced by its name (the root kept when asked). */
  display(e: Expr, keepRoot = false): Expr {
    const memo = new Map<Expr, Expr>();
    const walk = (x: Expr, root: boolean): Expr => {
      const named = root ? undefined : this.byKey.get(key(x));
      if (named) return named;
      let r = memo.get(x);
      if (r === undefined) {
        r = rebuild(x, (c) => walk(c, false));
        memo.set(x, r);
      }
      return r;
    };
    return walk(e, keepRoot);
  }

  /** Replaces every intermediate by what it names. */
  expand(e: Expr): Expr {
    if (e.type === 'sym' && e.role !== 'differential') return this.values.get(e.name) ?? e;
    return rebuild(e, (c) => this.expand(c));
  }
}
