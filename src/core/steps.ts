/**
 * Step-by-step derivations, the way the notes write them: name the inner
 * parts of a composite (`z = 𝐰·𝐱 + b`, `u = max(0, z)`, `v = y − u`), take
 * each local derivative, and combine them link by link with the chain rule.
 *
 * Every local derivative is computed by the core (`differential` with the
 * intermediate as a fresh variable), never written by hand, and every stage
 * carries a `claim` (d target / d wrt = value) that tests check numerically.
 * Internally a derivative is a differential linear in dv (dv = 1 for a scalar
 * variable): sums, products and the chain rule are then plain substitutions
 * whatever the shapes; a stage shows it as a Jacobian or gradient when it has one.
 */
import type { Step, StepRule } from './api';
import type { Derivation, Part } from './differentiate';
import { differential } from './diff';
import { LensError } from './errors';
import { type Expr, type Sym, children, dependsOn, isScalar, key } from './expr';
import { gradientFromDifferential, jacobianFromDifferential } from './extract';
import { liftPiecewise, perBranch } from './piecewise';
import { present } from './present';
import { toLatex, toText } from './print';
import {
  ONE,
  add,
  block,
  hadamard,
  isElementwise,
  isNum,
  isZero,
  matmul,
  mul,
  neg,
  numValue,
  rebuild,
  sym,
  transpose,
  zero,
} from './simplify';

/** How a stage's value relates to d(target)/d(wrt): Jacobian (numerator layout), gradient (wrt's shape) or a differential in d(wrt). */
export type ClaimForm = 'jacobian' | 'gradient' | 'differential';

export interface Claim {
  /** In the variables, or (for a local derivative) with intermediates as independent names. */
  readonly target: Expr;
  /** Several scalars are stacked in order. */
  readonly wrt: readonly Sym[];
  readonly value: Expr;
  readonly form: ClaimForm;
  /** The value is the transpose of the stated form (denominator layout, ∇ of a matrix in numerator layout). */
  readonly transposed?: boolean;
}

export interface StepRecord extends Step {
  readonly claim?: Claim;
}

export interface Intermediate {
  readonly symbol: Sym;
  /** What it names, in the original variables. */
  readonly value: Expr;
  /** As shown: in terms of the other intermediates. */
  readonly definition: Expr;
}

export interface DerivationSteps {
  /** Innermost first, so each can be evaluated from the ones before it. */
  readonly intermediates: readonly Intermediate[];
  readonly steps: readonly StepRecord[];
}

// ---------------------------------------------------------------- naming intermediates

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
interface BlockIntermediate {
  readonly vector: Sym;
  readonly components: readonly Sym[];
  readonly args: readonly Expr[];
}

class Naming {
  readonly list: Intermediate[] = [];
  /** Node key → its name (scalar components of a block intermediate included). */
  readonly byKey = new Map<string, Sym>();
  readonly values = new Map<string, Expr>();
  readonly blocks = new Map<string, BlockIntermediate>();
  private readonly used: Set<string>;
  private readonly depMemo = new Map<Expr, boolean>();

  constructor(
    root: Expr,
    private readonly wrt: ReadonlySet<string>,
  ) {
    this.used = new Set(['f']);
    const collect = (e: Expr) => {
      if (e.type === 'sym') this.used.add(e.name);
      children(e).forEach(collect);
    };
    collect(root);
    this.visit(root, false, true);
  }

  dep(e: Expr): boolean {
    let r = this.depMemo.get(e);
    if (r === undefined) {
      r = [...this.wrt].some((n) => dependsOn(e, n));
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
    const args = e.type === 'block' && this.wrt.size > 0 ? this.blockArgs(e) : undefined;
    if (args && [...this.wrt].every((n) => this.scalarWrt.has(n))) {
      args.forEach((a) => this.visit(a, true, true));
      const vector = this.fresh({ kind: 'vector', n: args.length });
      const components = args.map((_, i) => this.fresh(undefined, `${vector.name}_${i + 1}`));
      args.forEach((a, i) => this.byKey.set(key(a), components[i]));
      components.forEach((c, i) => this.values.set(c.name, args[i]));
      const value = block(args.map((a) => [a]));
      this.values.set(vector.name, value);
      this.list.push({ symbol: vector, value, definition: block(args.map((a) => [this.display(a)])) });
      this.blocks.set(key(e), { vector, components, args });
      return;
    }
    for (const c of children(e)) this.visit(c, inDefinition, false);
  }

  /** Scalar variables only: the vector-of-arguments form is the notes' single-variable vector chain rule. */
  scalarWrt = new Set<string>();

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

// ---------------------------------------------------------------- rendering

interface Label {
  readonly latex: string;
  readonly text: string;
  /** A single name (f, z, 𝐠) rather than an expression. */
  readonly atom: boolean;
}

function nameLabel(s: Sym): Label {
  return { latex: toLatex(s), text: toText(s), atom: true };
}

function exprLabel(e: Expr): Label {
  return { latex: toLatex(e), text: toText(e), atom: false };
}

function partialOf(l: Label, wrt: readonly Sym[], form: ClaimForm): { latex: string; text: string } {
  const x = wrt.map((v) => toLatex(v)).join(', ');
  const xt = wrt.map((v) => toText(v)).join(', ');
  switch (form) {
    case 'jacobian':
      return l.atom
        ? { latex: `\\frac{\\partial ${l.latex}}{\\partial ${x}}`, text: `∂${l.text}/∂${xt}` }
        : {
            latex: `\\frac{\\partial}{\\partial ${x}}\\left(${l.latex}\\right)`,
            text: `∂(${l.text})/∂${xt}`,
          };
    case 'gradient':
      return l.atom
        ? { latex: `\\nabla_{${x}} ${l.latex}`, text: `∇_${xt} ${l.text}` }
        : { latex: `\\nabla_{${x}}\\left(${l.latex}\\right)`, text: `∇_${xt}(${l.text})` };
    case 'differential':
      return l.atom
        ? { latex: `\\mathrm{d}${l.latex}`, text: `d${l.text}` }
        : { latex: `\\mathrm{d}\\left(${l.latex}\\right)`, text: `d(${l.text})` };
  }
}

/** A value as the notes would write it (common factors pulled out, softmax named). */
function shown(e: Expr): { latex: string; text: string } {
  const p = present(e);
  const where = p.definitions.map((d) => ({
    latex: `${toLatex(d.symbol)} = ${toLatex(d.value)}`,
    text: `${toText(d.symbol)} = ${toText(d.value)}`,
  }));
  return {
    latex: toLatex(p.expr) + (where.length ? `,\\quad ${where.map((w) => w.latex).join(',\\ ')}` : ''),
    text: toText(p.expr) + (where.length ? `, where ${where.map((w) => w.text).join(', ')}` : ''),
  };
}

const FN_RULE: Partial<Record<string, string>> = {
  exp: '(e^u)′ = e^u',
  ln: '(ln u)′ = 1/u',
  sin: '(sin u)′ = cos u',
  cos: '(cos u)′ = −sin u',
  tan: '(tan u)′ = 1/cos²u',
  sigma: 'σ′(u) = σ(u)(1 − σ(u))',
  tanh: '(tanh u)′ = 1 − tanh²u',
  abs: '|u|′ = sign u, for u ≠ 0',
  softmax: '∂sᵢ/∂xⱼ = sᵢ(δᵢⱼ − sⱼ), so the Jacobian is diag(s) − s sᵀ',
  logsoftmax: 'd logsoftmax(u) = du − 𝟏 softmax(u)ᵀ du',
  logsumexp: 'd logsumexp(u) = softmax(u)ᵀ du',
  norm2: 'd‖u‖ = uᵀdu / ‖u‖, for u ≠ 0',
  norm1: 'd‖u‖₁ = sign(u)ᵀ du',
  normF: 'd‖X‖_F = tr(Xᵀ dX) / ‖X‖_F',
  tr: 'the trace is linear: d tr(A) = tr(dA)',
  det: "Jacobi's formula: d det A = det A · tr(A⁻¹ dA)",
  logdet: 'd log det A = tr(A⁻¹ dA)',
  sum: 'd sum(u) = 𝟏ᵀ du',
  diag: 'diag is linear: d diag(u) = diag(du)',
};

function ruleOf(e: Expr): StepRule {
  if (e.type === 'pow') return 'power';
  if (e.type === 'fn' && (e.name === 'max' || e.name === 'min')) return 'piecewise';
  if (e.type === 'fn' && isElementwise(e.name)) return 'elementwise';
  return 'matrix-identity';
}

function localExplanation(e: Expr, shownE: Expr): string {
  if (e.type === 'pow') {
    if (e.base.type === 'fn' && e.base.name === 'norm2') return `Squared norm: d‖g‖² = 2gᵀdg.`;
    return `Power rule: (uⁿ)′ = n uⁿ⁻¹, here n = ${toText(e.exp)}.`;
  }
  if (e.type === 'fn') {
    if (e.name === 'max' || e.name === 'min') {
      return `${toText(shownE)} follows whichever argument is ${e.name === 'max' ? 'larger' : 'smaller'}, so its slope is piecewise (the notes take the left branch at the tie).`;
    }
    const rule = FN_RULE[e.name];
    const each =
      isElementwise(e.name) && !isScalar(e) ? ', applied element by element (a diagonal Jacobian)' : '';
    if (rule) return `Derivative of ${e.name}: ${rule}${each}.`;
    return `Derivative of ${e.name}${each}.`;
  }
  return 'Matrix differential of this operation.';
}

// ---------------------------------------------------------------- derivatives as shown

/** What a derivative of a `shape`-valued expression with respect to `x` is shown as. */
function formFor(shape: Expr['shape'], x: Sym): ClaimForm {
  if (isScalar(x)) return 'jacobian';
  if (x.shape.kind === 'vector' && (shape.kind === 'scalar' || shape.kind === 'vector')) return 'jacobian';
  if (x.shape.kind === 'matrix' && shape.kind === 'scalar') return 'gradient';
  return 'differential';
}

/** Reads the shown derivative out of a differential `r` (linear in dx; dx = 1 for a scalar x). */
function readOff(r: Expr, shape: Expr['shape'], x: Sym): { value: Expr; form: ClaimForm } {
  const form = formFor(shape, x);
  try {
    if (form === 'jacobian' && isScalar(x))
      return { value: liftPiecewise(replaceDifferential(r, x.name, ONE)), form };
    if (form === 'jacobian' && shape.kind === 'scalar') {
      return { value: perBranch(r, (b) => transpose(gradientFromDifferential(b, x.shape))), form };
    }
    if (form === 'jacobian')
      return { value: perBranch(r, (b) => jacobianFromDifferential(b, x.shape)), form };
    if (form === 'gradient')
      return { value: perBranch(r, (b) => gradientFromDifferential(b, x.shape)), form };
  } catch (e) {
    if (!(e instanceof LensError)) throw e;
  }
  return { value: liftPiecewise(r), form: 'differential' };
}

function replaceDifferential(e: Expr, name: string, value: Expr): Expr {
  if (e.type === 'sym') return e.role === 'differential' && e.name === name ? value : e;
  return rebuild(e, (c) => replaceDifferential(c, name, value));
}

function differentialOf(x: Sym): Expr {
  return sym(x.name, x.shape, 'differential');
}

/** A k×k Jacobian block times a k-component column block, multiplied out cell by cell. */
function blockTimesColumn(a: Extract<Expr, { type: 'block' }> | Expr, b: Expr): Expr {
  const rowsOf = (e: Expr): Expr[][] => (e.type === 'block' ? e.rows.map((r) => [...r]) : [[e]]);
  const ar = rowsOf(a);
  const bc = rowsOf(b).flat();
  return block(ar.map((r) => [add(...r.map((c, j) => mul(c, bc[j])))]));
}

// ---------------------------------------------------------------- the walk

export function derivationSteps(d: Derivation): DerivationSteps {
  const f = d.program.body;
  const wrtNames = new Set(d.parts.flatMap((p) => p.wrt.map((v) => v.name)));
  const naming = new Naming(f, new Set());
  // The naming depends on the variables; build it once they are known (scalarWrt first, for block intermediates).
  const scalarWrt = new Set(d.parts.flatMap((p) => p.wrt.filter(isScalar).map((v) => v.name)));
  const named = buildNaming(f, wrtNames, scalarWrt) ?? naming;
  const steps: StepRecord[] = [];
  const fLabel: Label = { latex: isScalar(f) ? 'f' : '\\mathbf{f}', text: 'f', atom: true };

  if (named.list.length) {
    const defs = named.list.map((i) => ({
      latex: `${toLatex(i.symbol)} = ${toLatex(i.definition)}`,
      text: `${toText(i.symbol)} = ${toText(i.definition)}`,
    }));
    const top = named.display(f);
    steps.push({
      rule: 'intermediate',
      latex: `${defs.map((x) => x.latex).join(',\\quad ')},\\quad ${fLabel.latex} = ${toLatex(top)}`,
      text: `${defs.map((x) => x.text).join(', ')}; ${fLabel.text} = ${toText(top)}`,
      explanation: `Name the inner parts (${named.list.map((i) => toText(i.symbol)).join(', ')}) and differentiate link by link.`,
      key: true,
      depth: 0,
    });
  }

  for (const part of d.parts) {
    const partials = part.wrt.map((v) => explainVariable(d, named, f, fLabel, v, steps));
    steps.push(resultStep(d, part, f, fLabel, partials));
  }
  return { intermediates: named.list, steps };
}

function buildNaming(f: Expr, wrt: ReadonlySet<string>, scalarWrt: ReadonlySet<string>): Naming {
  // scalarWrt must be set before the walk; the constructor walks, so subclass the field in.
  const proto = Object.create(Naming.prototype) as Naming;
  proto.scalarWrt = new Set(scalarWrt);
  return Reflect.construct(Naming, [f, wrt], Object.getPrototypeOf(proto).constructor) as Naming;
}
