/**
 * Printers: LaTeX (KaTeX-compatible) and plain Unicode text (code export is `emit.ts`).
 * One walker decides the layout a person writes — negative powers become
 * fractions, x^{1/2} a root, a leading minus instead of −1·, parentheses only
 * where precedence needs them — and a small `Notation` per target spells it.
 */
import { type Apply, type Condition, type Expr, type FnName, isScalar, SCALAR, type Sym, make } from './expr';
import { MINUS_ONE, mulNum, numValue, num, pow } from './simplify';
import { elementwise, type Written } from './functions';
import { GREEK_UNICODE } from './vocabulary';
import { nameTable } from './table';

const enum Prec {
  Add = 1,
  // a leading minus binds like a product
  Mul = 2,
  Pow = 4,
  Atom = 5,
}

interface Notation {
  num(p: number, q: number): string;
  /** `compound`: the denominator is a product of several factors (`x(1 + y²)`), which text must bracket. */
  frac(n: string, d: string, compound: boolean): string;
  /** Joins the factors of a product (already parenthesized). */
  product(factors: string[], leadingNumber: boolean): string;
  matmul(factors: string[]): string;
  hadamard(factors: string[]): string;
  kron(factors: string[]): string;
  pow(base: string, exp: string): string;
  /** The element-wise power of a matrix, A^{∘2}: A^{2} would read as the matrix product AA. */
  hadamardPower(base: string, exp: string): string;
  root(arg: string, n: number): string;
  paren(s: string): string;
  call(name: FnName, args: string[]): string;
  /** How a function applied to a power is written, e.g. \sin^{2}(x); undefined = default. */
  fnPower?(name: FnName, exp: string, arg: string): string | undefined;
  norm(arg: string, sub: string): string;
  transpose(base: string): string;
  inverse(base: string): string;
  inverseTranspose(base: string): string;
  symbol(s: Sym): string;
  /**
   * An abstract function or one of its derivatives, from its printed arguments and, where an
   * argument is a name or another function (`\mathbf{x}`, `\mathbf{g}(…)`), that name: the
   * Jacobian reads ∂𝐟/∂𝐠.
   */
  apply(e: Apply, args: string[], names: (string | undefined)[]): [string, number];
  special(name: 'identity' | 'ones' | 'zero', kind: Expr['shape']['kind']): string;
  block(rows: string[][], isColumn: boolean): string;
  cases(cases: { value: string; when: string }[]): string;
  condition(lhs: string, op: Condition['op'], rhs: string): string;
  /** A condition on a vector or matrix holds entry by entry: `(W𝐱 + 𝐛)ᵢ ≠ 0 for each i`. */
  entrywise(condition: string, indices: string): string;
  /** Entry `indices` of a printed vector or matrix (bracketed unless a plain name). */
  entry(e: string, name: boolean, indices: string): string;
  minus: string;
  plus: string;
}

export class Printer {
  /** The precedence of the node printed last by `node` (set by `out`). */
  private last: number = Prec.Atom;

  constructor(private readonly n: Notation) {}

  print(e: Expr): string {
    return this.p(e, 0);
  }

  condition(c: Condition): string {
    const kind = c.lhs.shape.kind === 'scalar' ? c.rhs.shape.kind : c.lhs.shape.kind;
    if (kind === 'scalar' || c.whole)
      return this.n.condition(this.p(c.lhs, Prec.Add), c.op, this.p(c.rhs, Prec.Add));
    // Entry by entry: a zero side is the number 0, a name its entry xᵢ, anything else (…)ᵢ.
    const indices = kind === 'matrix' ? 'ij' : 'i';
    const side = (e: Expr) =>
      e.type === 'special' && e.name === 'zero'
        ? '0'
        : e.type === 'sym' && !e.name.includes('_')
          ? this.n.entry(this.n.symbol(make.sym(e.name, SCALAR, e.role)), true, indices)
          : this.n.entry(this.print(e), false, indices);
    return this.n.entrywise(this.n.condition(side(c.lhs), c.op, side(c.rhs)), indices);
  }

  /**
   * 𝐞ᵢᵀM𝐞ⱼ and 𝐞ᵢᵀ𝐯, the unit vectors a derivative by one entry (∂f/∂X_{ij}) is read with, as the
   * entry they pick: M_{ij}, (M)_{ij}, (𝐯)ᵢ; Aᵀ's entry (i, j) is A_{ji}.
   */
  private entry(factors: readonly Expr[], scalar: boolean): string | undefined {
    const isUnit = (f: Expr | undefined): f is Sym => f?.type === 'sym' && f.unit !== undefined;
    const [first, ...rest] = factors;
    if (!scalar || first.type !== 'transpose') return undefined;
    // 𝐯ᵀ𝐞ᵢ, as the simplifier may order 𝐞ᵢᵀ𝐯.
    if (rest.length === 1 && isUnit(rest[0]) && !isUnit(first.arg))
      return this.picked([first.arg], [rest[0].unit!]);
    if (!isUnit(first.arg)) return undefined;
    const last = rest[rest.length - 1];
    const middle = isUnit(last) ? rest.slice(0, -1) : rest;
    return middle.length === 0
      ? undefined
      : this.picked(middle, [first.arg.unit!, ...(isUnit(last) ? [last.unit!] : [])]);
  }

  /** Entry `indices` of the product of `middle`. */
  private picked(middle: readonly Expr[], indices: string[]): string {
    let inner = middle[0];
    if (
      middle.length === 1 &&
      inner.type === 'transpose' &&
      inner.arg.type === 'sym' &&
      indices.length === 2
    ) {
      inner = inner.arg;
      indices = indices.reverse();
    }
    const name = middle.length === 1 && inner.type === 'sym' && !inner.name.includes('_');
    const printed = name
      ? this.n.symbol(inner as Sym)
      : middle.length === 1
        ? this.print(inner)
        : this.n.matmul(middle.map((f) => this.p(f, Prec.Pow)));
    const written = indices.some((i) => i.length > 1) ? indices.join(',') : indices.join('');
    return this.out(this.n.entry(printed, name, written), Prec.Atom);
  }

  private wrap(s: string, prec: number, min: number): string {
    return prec < min ? this.n.paren(s) : s;
  }

  private p(e: Expr, min: number): string {
    const s = this.node(e);
    return this.wrap(s, this.last, min);
  }

  /** `s`, the printing of a node binding as tightly as `prec`, noted in `last` (no pair per node). */
  private out(s: string, prec: number): string {
    this.last = prec;
    return s;
  }

  private node(e: Expr): string {
    switch (e.type) {
      case 'num': {
        if (e.q === 0) return this.out(numText(e.p), e.p < 0 ? Prec.Mul : Prec.Atom);
        const s =
          e.q === 1
            ? this.n.num(Math.abs(e.p), 1)
            : this.n.frac(this.n.num(Math.abs(e.p), 1), this.n.num(e.q, 1), false);
        return e.p < 0
          ? this.out(this.n.minus.trim() + s, Prec.Mul)
          : this.out(s, e.q === 1 ? Prec.Atom : Prec.Mul);
      }
      case 'sym':
        return this.out(this.n.symbol(e), Prec.Atom);
      case 'special':
        return this.out(this.n.special(e.name, e.shape.kind), Prec.Atom);
      case 'add':
        return this.out(this.sum(e.terms), Prec.Add);
      case 'mul':
        return this.product(e.factors);
      case 'pow':
        return this.power(e);
      case 'fn':
        // One spelling for the sum of entries, as matrix calculus writes it: 𝟏ᵀ𝐲, 𝟏ᵀX𝟏.
        if (e.name === 'sum' && !isScalar(e.args[0])) {
          const arg = e.args[0];
          const ones = (kind: 'row' | 'vector') => this.n.special('ones', kind);
          const inner = this.p(arg, arg.type === 'matmul' ? Prec.Mul : Prec.Pow);
          const factors =
            arg.shape.kind === 'matrix'
              ? [ones('row'), inner, ones('vector')]
              : arg.shape.kind === 'row'
                ? [inner, ones('vector')]
                : [ones('row'), inner];
          return this.out(this.n.matmul(factors), Prec.Mul);
        }
        return this.out(this.fn(e.name, e.args), Prec.Atom);
      case 'apply':
        return this.apply(e);
      case 'matmul':
        return (
          this.entry(e.factors, isScalar(e)) ??
          this.out(this.n.matmul(e.factors.map((f) => this.p(f, Prec.Pow))), Prec.Mul)
        );
      case 'hadamard':
        return this.out(this.n.hadamard(e.factors.map((f) => this.p(f, Prec.Pow))), Prec.Mul);
      case 'kron':
        return this.out(this.n.kron(e.factors.map((f) => this.p(f, Prec.Pow))), Prec.Mul);
      case 'transpose':
        if (e.arg.type === 'inverse')
          return this.out(this.n.inverseTranspose(this.p(e.arg.arg, Prec.Atom)), Prec.Pow);
        return this.out(this.n.transpose(this.p(e.arg, Prec.Atom)), Prec.Pow);
      case 'inverse':
        return this.out(this.n.inverse(this.p(e.arg, Prec.Atom)), Prec.Pow);
      case 'block':
        return this.out(
          this.n.block(
            e.rows.map((r) => r.map((c) => this.print(c))),
            e.shape.kind === 'vector',
          ),
          Prec.Atom,
        );
      case 'piecewise':
        return this.out(
          this.n.cases(e.cases.map((c) => ({ value: this.print(c.value), when: this.condition(c.when) }))),
          Prec.Atom,
        );
    }
  }

  private apply(e: Apply): string {
    const [s, prec] = this.n.apply(
      e,
      e.args.map((a) => this.print(a)),
      e.args.map((a) =>
        a.type === 'sym' && a.role !== 'differential'
          ? this.n.symbol(a)
          : a.type === 'apply' && a.partials.length === 0
            ? this.n.apply(a, [], [])[0]
            : undefined,
      ),
    );
    // ∂₁h(x, y), ∇²f(𝐱): an operator before the call, bracketed under a transpose or a power.
    const prefixed =
      e.partials.length > 0 &&
      !(e.args.length === 1 && isScalar(e.args[0])) &&
      !(e.style === 'bold' && e.partials.some((i) => !isScalar(e.args[i])));
    return this.out(s, prefixed ? Math.min(prec, Prec.Pow) : prec);
  }

  private sum(terms: readonly Expr[]): string {
    let out = '';
    terms.forEach((t, i) => {
      const negative = isNegative(t);
      const body = negative ? this.negated(t) : this.p(t, i === 0 ? Prec.Add : Prec.Add + 0.5);
      if (i === 0) out = negative ? this.n.minus.trim() + body : body;
      else out += (negative ? this.n.minus : this.n.plus) + body;
    });
    return out;
  }

  /** −t, for t a negative number or a product with a negative number first, printed without building it. */
  private negated(t: Expr): string {
    if (t.type === 'num') return this.p(mulNum(MINUS_ONE, t), Prec.Mul);
    return this.wrap(this.product((t as Extract<Expr, { type: 'mul' }>).factors, true), this.last, Prec.Mul);
  }

  /** The product of `factors`; `negated`: of their negation (the first factor is then a number). */
  private product(factors: readonly Expr[], negated = false): string {
    let coef = factors[0].type === 'num' ? factors[0] : undefined;
    // −(c·…) is (−c)·…, the coefficient a product of −1 and c would have (1 is then written as none).
    if (negated) coef = mulNum(MINUS_ONE, coef!);
    const numer: Expr[] = [];
    const denom: Expr[] = [];
    for (let i = coef ? 1 : 0; i < factors.length; i++) {
      const f = factors[i];
      if (f.type === 'pow' && f.exp.type === 'num' && numValue(f.exp) < 0 && isScalar(f)) {
        denom.push(pow(f.base, num(-f.exp.p, f.exp.q || 1)));
      } else numer.push(f);
    }
    let sign = '';
    if (coef && numValue(coef) < 0) {
      sign = this.n.minus.trim();
      coef = coef.q === 0 ? num(-coef.p) : num(-coef.p, coef.q);
    }
    const numerCoef = coef
      ? coef.q === 0
        ? numText(coef.p)
        : coef.p === 1 && numer.length
          ? ''
          : this.n.num(coef.p, 1)
      : '';
    const denomCoef = coef && coef.q > 1 ? this.n.num(coef.q, 1) : '';
    if (denom.length || denomCoef) {
      // 𝐱/‖𝐱‖ rather than (1/‖𝐱‖)𝐱: the vector or matrix (a product has at most one) goes on top.
      const top = this.factors(numerCoef, numer, true) || this.n.num(1, 1);
      const bottom = this.factors(denomCoef, denom, true);
      return this.out(sign + this.n.frac(top, bottom, denom.length + (denomCoef ? 1 : 0) > 1), Prec.Mul);
    }
    return this.out(sign + this.factors(numerCoef, numer, false), Prec.Mul);
  }

  /** The factors `fs` of a product after `lead` (a number or nothing), bracketed where they need it. */
  private factors(lead: string, fs: readonly Expr[], inFraction: boolean): string {
    // A matrix product needs no brackets as the vector or matrix of a scalar product (2Aᵀ𝐛); an
    // inner product before one does ((𝟏ᵀ𝐲)𝐬), and anything looser does too.
    // Alone in a numerator or denominator, nothing does: \frac{1 - y}{1 - p}.
    const alone = inFraction && fs.length === 1 && !lead;
    // Factors from `tensor` on are vectors or matrices (a product keeps them last).
    let tensor = fs.length;
    while (tensor > 0 && isScalar(fs[tensor - 1])) tensor--;
    const parts: string[] = lead ? [lead] : [];
    for (let i = 0; i < fs.length; i++) {
      const f = fs[i];
      parts.push(
        this.p(
          f,
          alone
            ? 0
            : (fs.length > 1 || lead) && (f.type !== 'matmul' || i < tensor - 1)
              ? Prec.Mul + 0.5
              : Prec.Mul,
        ),
      );
    }
    return parts.length ? this.n.product(parts, lead !== '') : '';
  }

  private power(e: Extract<Expr, { type: 'pow' }>): string {
    const { base, exp } = e;
    if (e.shape.kind === 'matrix')
      return this.out(this.n.hadamardPower(this.p(base, Prec.Atom), this.print(exp)), Prec.Pow);
    // (𝐯²)ᵀ rather than (𝐯ᵀ)²: a row vector has no power to the LaTeX reader.
    if (e.shape.kind === 'row' && base.type === 'transpose') {
      const column: Expr = make.pow(base.arg, exp, base.arg.shape);
      return this.out(this.n.transpose(this.p(column, Prec.Atom)), Prec.Pow);
    }
    if (exp.type === 'num' && exp.q !== 0) {
      // x^{-k} alone is written 1/x^k.
      if (numValue(exp) < 0 && isScalar(e)) return this.product([e]);
      if (exp.p === 1 && exp.q > 1) return this.out(this.n.root(this.print(base), exp.q), Prec.Atom);
      if (base.type === 'fn' && this.n.fnPower && exp.q === 1) {
        const s = this.n.fnPower(base.name, this.print(exp), this.print(base.args[0]));
        if (s) return this.out(s, Prec.Pow);
      }
    }
    return this.out(this.n.pow(this.p(base, Prec.Atom), this.print(exp)), Prec.Pow);
  }

  private fn(name: FnName, args: readonly Expr[]): string {
    const a = args.map((x) => this.print(x));
    switch (name) {
      case 'norm2':
        return this.n.norm(a[0], '2');
      case 'norm1':
        return this.n.norm(a[0], '1');
      case 'normF':
        return this.n.norm(a[0], 'F');
      default:
        return this.n.call(name, a);
    }
  }
}

function numText(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

function isNegative(e: Expr): boolean {
  if (e.type === 'num') return numValue(e) < 0;
  return e.type === 'mul' && e.factors[0].type === 'num' && numValue(e.factors[0]) < 0;
}

// ---------------------------------------------------------------- names

/** Names printed as Greek letters: the ones the LaTeX parser reads (`\theta` → `theta`). */
const GREEK_NAMES: ReadonlySet<string> = new Set(GREEK_UNICODE.keys());

/** A layer or sample index kept in a name by the parser: `W_(1)`, `a_[l]`, `x_{i}` (from W^{(1)}, a^{[l]}, x^{\{i\}}). */
const LAYER = /_([([{])([^()[\]{}]*)[)\]}]$/;

/** A name's base, subscript and layer index (its bracket and text): `x_i_(j)` → x, i, ['(', 'j']. */
function splitName(name: string): [string, string | undefined, [string, string] | undefined] {
  const m = LAYER.exec(name);
  const rest = m && m.index > 0 ? name.slice(0, m.index) : name;
  const layer: [string, string] | undefined = m && m.index > 0 ? [m[1], m[2]] : undefined;
  const i = rest.indexOf('_');
  return i > 0 ? [rest.slice(0, i), rest.slice(i + 1), layer] : [rest, undefined, layer];
}

const LATEX_LAYER: Record<string, [string, string]> = {
  '(': ['(', ')'],
  '[': ['[', ']'],
  '{': ['\\{', '\\}'],
};
const TEXT_LAYER: Record<string, [string, string]> = { '(': ['(', ')'], '[': ['[', ']'], '{': ['{', '}'] };

/** A name in LaTeX, bold for a vector: `\mathbf{x}_{i}`, `\boldsymbol{\theta}`, `W^{[l]}`. */
function latexNameOf(name: string, bold: boolean): string {
  const [base, sub, layer] = splitName(name);
  let b = GREEK_NAMES.has(base) ? `\\${base}` : base.length > 1 ? `\\mathrm{${base}}` : base;
  if (bold) b = GREEK_NAMES.has(base) ? `\\boldsymbol{${b}}` : `\\mathbf{${b}}`;
  const subscripted = sub === undefined ? b : `${b}_{${sub}}`;
  if (!layer) return subscripted;
  const [open, close] = LATEX_LAYER[layer[0]];
  return `${subscripted}^{${open}${layer[1]}${close}}`;
}

/** Names already spelled (bold, plain): a result prints the same few names many times. */
const LATEX_NAMES = [new Map<string, string>(), new Map<string, string>()];
/** Spellings kept per map: a long-lived host sees names from many documents. */
const MAX_KEPT_NAMES = 4096;

function latexName(s: Sym): string {
  const bold = s.shape.kind === 'vector' || s.shape.kind === 'row';
  const names = LATEX_NAMES[bold ? 0 : 1];
  let named = names.get(s.name);
  if (named === undefined) {
    if (names.size >= MAX_KEPT_NAMES) names.clear();
    named = latexNameOf(s.name, bold);
    names.set(s.name, named);
  }
  return s.role === 'differential' ? `\\mathrm{d}${named}` : named;
}

const SUBSCRIPT_DIGITS: Record<string, string> = nameTable({
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
});
/** The entry indices of an entry-by-entry condition. */
const TEXT_SUBSCRIPT: Record<string, string> = nameTable({ i: 'ᵢ', j: 'ⱼ' });
const SUPERSCRIPT: Record<string, string> = nameTable({
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '-': '⁻',
  '−': '⁻',
});

function textNameOf(name: string): string {
  const [base, sub, layer] = splitName(name);
  const b = GREEK_UNICODE.get(base) ?? base;
  const subText =
    sub === undefined
      ? ''
      : /^\d[\d,]*$/.test(sub)
        ? [...sub].map((c) => SUBSCRIPT_DIGITS[c] ?? c).join('')
        : `_${sub}`;
  const layerText = layer ? `^${TEXT_LAYER[layer[0]][0]}${layer[1]}${TEXT_LAYER[layer[0]][1]}` : '';
  return b + subText + layerText;
}

function textName(s: Sym): string {
  return (s.role === 'differential' ? 'd' : '') + textNameOf(s.name);
}

// ---------------------------------------------------------------- abstract functions

/** How a notation spells the pieces of an abstract function's derivative. */
interface ApplySpelling {
  head(name: string, style: Apply['style']): string;
  call(head: string, args: string[]): string;
  /** f′, f″, f‴, f^{(4)}: the k-th derivative of a function of one scalar. */
  primes(k: number): string;
  /** ∂ᵢᵏ: k times by the i-th argument (1-based). */
  partial(i: number, k: number): string;
  /** ∇f, ∇²f (k = 2), or ∇_𝐰 u(𝐰, b, 𝐱) by one argument among several. */
  gradient(by: string | undefined, k: number): string;
  fraction(f: string, by: string): string;
  jacobian(f: string): string;
}

/**
 * The textbook form: f(x), f′(g(x)), f″(x), ∂₁f(x, y), ∂₁²f(x, y), ∇f(𝐱), ∇_𝐰 u(𝐰, b, 𝐱),
 * ∂𝐟/∂𝐠 (the Jacobian at 𝐠(𝐱), named by its argument), J_𝐟(A𝐱) when the argument has no name.
 */
function spellApply(e: Apply, args: string[], names: (string | undefined)[], sp: ApplySpelling): string {
  const head = sp.head(e.name, e.style);
  const p = e.partials;
  if (p.length === 0) return sp.call(head, args);
  if (e.args.length === 1 && isScalar(e.args[0])) return sp.call(head + sp.primes(p.length), args);
  const tensor = p.find((i) => !isScalar(e.args[i]));
  if (e.style === 'bold' && tensor !== undefined) {
    const by = names[tensor];
    if (by !== undefined) return sp.fraction(head, by);
    if (e.args.length === 1) return sp.call(sp.jacobian(head), args);
  }
  let prefix = '';
  for (let i = 0; i < e.args.length; i++) {
    const k = p.filter((j) => j === i).length;
    if (k === 0) continue;
    const by = e.args.length === 1 ? undefined : (names[i] ?? String(i + 1));
    prefix += isScalar(e.args[i]) ? sp.partial(i + 1, k) : sp.gradient(by, k);
  }
  return sp.call(prefix + head, args);
}

function subscriptDigits(s: string): string {
  return [...s].map((c) => SUBSCRIPT_DIGITS[c] ?? c).join('');
}

// ---------------------------------------------------------------- LaTeX

/** LaTeX heads of the structural functions; the element-wise ones are in functions.ts. */
const LATEX_FN: Partial<Record<FnName, string>> = nameTable({
  det: '\\det',
  max: '\\max',
  min: '\\min',
  logdet: '\\log\\det',
  diagvec: '\\operatorname{diag}',
});

/** A function's head or layout; the element-wise ones from functions.ts. */
function latexOf(name: FnName): Written {
  return elementwise(name)?.latex ?? LATEX_FN[name] ?? `\\operatorname{${name}}`;
}

function textOf(name: FnName): Written {
  return elementwise(name)?.text ?? TEXT_FN[name] ?? name;
}

/** A call in a head-and-brackets notation, or in the function's own layout. */
function written(how: Written, args: string[], open: string, close: string): string {
  return typeof how === 'function' ? how(args[0]) : `${how}${open}${args.join(', ')}${close}`;
}

/** A name ending in its layer index, `W^{(1)}`: a transpose joins it (`W^{(1)\\top}`), any other superscript braces it. */
const LAYER_SUPERSCRIPT = /\^\{(?:\(|\[|\\\{)[^{}]*(?:\)|\]|\\\})\}$/;

function endsWithLayer(b: string): boolean {
  // The regex only after a cheap look at the end: it would first flatten a long concatenated base.
  const last = b.charCodeAt(b.length - 2);
  return (
    b.charCodeAt(b.length - 1) === RIGHT_BRACE &&
    (last === RIGHT_PAREN || last === RIGHT_BRACKET || last === RIGHT_BRACE) &&
    LAYER_SUPERSCRIPT.test(b)
  );
}

const RIGHT_PAREN = 0x29;
const RIGHT_BRACKET = 0x5d;
const RIGHT_BRACE = 0x7d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DOT = 0x2e;

/** Whether `s` starts with a digit or a point (a number, which a \\cdot separates from the factor before). */
function startsNumeric(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c >= DIGIT_0 && c <= DIGIT_9) || c === DOT;
}

function superscriptOn(b: string, e: string): string {
  return endsWithLayer(b) ? `{${b}}^{${e}}` : `${b}^{${e}}`;
}

const latexNotation: Notation = {
  num: (p) => String(p),
  frac: (n, d) => `\\frac{${n}}{${d}}`,
  product: (fs) =>
    fs.reduce((acc, f, i) => (i === 0 ? f : startsNumeric(f) ? `${acc} \\cdot ${f}` : `${acc} ${f}`), ''),
  matmul: (fs) => fs.join(' '),
  hadamard: (fs) => fs.join(' \\odot '),
  kron: (fs) => fs.join(' \\otimes '),
  pow: (b, e) => superscriptOn(b, e),
  hadamardPower: (b, e) => superscriptOn(b, `\\circ ${e}`),
  root: (a, n) => (n === 2 ? `\\sqrt{${a}}` : `\\sqrt[${n}]{${a}}`),
  paren: (s) => `\\left(${s}\\right)`,
  call: (name, args) => written(latexOf(name), args, '\\left(', '\\right)'),
  fnPower: (name, exp, arg) => {
    const head = latexOf(name);
    return elementwise(name)?.powerOnName && typeof head === 'string'
      ? `${head}^{${exp}}\\left(${arg}\\right)`
      : undefined;
  },
  norm: (a, sub) => `\\left\\|${a}\\right\\|_{${sub}}`,
  transpose: (b) => (endsWithLayer(b) ? `${b.slice(0, -1)}\\top}` : `${b}^\\top`),
  inverse: (b) => superscriptOn(b, '-1'),
  inverseTranspose: (b) => superscriptOn(b, '-\\top'),
  // The constants print as their names: `\pi` (a Greek letter) and `e`.
  symbol: latexName,
  // ∂𝐟/∂𝐱 is a fraction: bracketed under a transpose or a power, not between matrix factors.
  apply: (e, args, names) => {
    const s = spellApply(e, args, names, {
      head: (name, style) =>
        style === 'word' ? `\\operatorname{${name}}` : latexNameOf(name, style === 'bold'),
      call: (head, a) => (a.length ? `${head}\\left(${a.join(', ')}\\right)` : head),
      primes: (k) => (k <= 3 ? "'".repeat(k) : `^{(${k})}`),
      partial: (i, k) => `\\partial_{${i}}${k > 1 ? `^{${k}}` : ''} `,
      gradient: (by, k) => `\\nabla${k > 1 ? `^{${k}}` : ''}${by === undefined ? '' : `_{${by}}`} `,
      fraction: (f, by) => `\\frac{\\partial ${f}}{\\partial ${by}}`,
      jacobian: (f) => `\\mathbf{J}_{${f}}`,
    });
    return [s, s.startsWith('\\frac') ? Prec.Pow : Prec.Atom];
  },
  special: (name, kind) => {
    if (name === 'identity') return 'I';
    const base = name === 'ones' ? '\\mathbf{1}' : kind === 'matrix' ? '0' : '\\mathbf{0}';
    return kind === 'row' ? `${base}^\\top` : base;
  },
  block: (rows) => `\\begin{bmatrix} ${rows.map((r) => r.join(' & ')).join(' \\\\ ')} \\end{bmatrix}`,
  cases: (cs) =>
    `\\begin{cases} ${cs.map((c) => `${c.value} & \\text{if } ${c.when}`).join(' \\\\ ')} \\end{cases}`,
  condition: (l, op, r) =>
    `${l} ${{ '<': '<', '<=': '\\le', '>': '>', '>=': '\\ge', '!=': '\\neq' }[op]} ${r}`,
  entrywise: (c, indices) => `${c}\\ \\text{for each } ${[...indices].join(', ')}`,
  entry: (e, name, indices) => `${name ? e : `\\left(${e}\\right)`}_{${indices}}`,
  minus: ' - ',
  plus: ' + ',
};

/** Prose as LaTeX: `\text{…}` with the characters text mode treats specially escaped. */
export function latexText(s: string): string {
  // Most prose has nothing to escape: a test is cheaper than a replace with a callback.
  const escaped = TEXT_SPECIAL.test(s)
    ? s.replace(TEXT_SPECIALS, (c) => LATEX_TEXT_ESCAPES[c] ?? `\\${c}`)
    : s;
  return `\\text{${escaped}}`;
}

const TEXT_SPECIAL = /[\\{}$&#^_%~]/;
const TEXT_SPECIALS = new RegExp(TEXT_SPECIAL.source, 'g');

const LATEX_TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}',
  '^': '\\textasciicircum{}',
  '~': '\\textasciitilde{}',
};

// ---------------------------------------------------------------- text

/** Text heads of the structural functions that differ from their names; the element-wise ones are in functions.ts. */
const TEXT_FN: Partial<Record<FnName, string>> = nameTable({
  diagvec: 'diag',
  logdet: 'log det',
});

/** A one-letter name (with sub/superscripts) that is not the start of a function name. */
const STARTS_SHORT = /^(?:\p{L}|𝟏)[₀-₉]*[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]*ᵀ?(?![a-z])/u;
/** Not after a text subscript: `w_ij` then `x` would read as the name `w_ijx`. */
const ENDS_SHORT = /(\d|(?<!_[\p{L}\d]*)(?:\p{L}|𝟏)[₀-₉]*[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]*ᵀ?|\)[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵀ]*)$/u;
/** ENDS_SHORT is tried on this many last characters: an end-anchored regex otherwise scans the whole (growing) product. */
const SHORT_TAIL = 24;

/** Wraps a fraction's part in parentheses unless it is one atom (a name, number, call or bracket). */
/** One unit to the eye: a number, a name, a call or a bracketed group (with superscripts after it). */
function isTextAtom(s: string): boolean {
  if (/^[\d.]+$/.test(s) || /^\p{L}[₀-₉]*[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵀ]*$/u.test(s)) return true;
  const open = s.search(/[([|‖]/);
  if (open < 0 || !/^[\p{L}√∛]*$/u.test(s.slice(0, open))) return false;
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || ((c === '|' || c === '‖') && i === open)) depth++;
    else if (c === ')' || c === ']' || c === '|' || c === '‖') depth--;
    if (depth === 0) return /^[⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵀ₁₂_F]*$/u.test(s.slice(i + 1));
  }
  return false;
}

/** A denominator that is not one unit gets brackets: 1/(2x²), not 1/2x². */
function denominatorPart(s: string): string {
  return isTextAtom(s) ? s : `(${s})`;
}

function fracPart(s: string): string {
  let depth = 0;
  for (const c of s) {
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && /[ ·/+−-]/.test(c)) return `(${s})`;
  }
  return s;
}

/** Juxtapose a number or a one-letter name with a one-letter name or a bracket (6xy, 2(x + 1)); otherwise a dot (x·cos(y)). */
function textJuxtapose(fs: string[]): string {
  return fs.reduce(
    (acc, f, i) =>
      i === 0
        ? f
        : f.startsWith('(') || (STARTS_SHORT.test(f) && ENDS_SHORT.test(acc.slice(-SHORT_TAIL)))
          ? `${acc}${f}`
          : `${acc}·${f}`,
    '',
  );
}

function superscript(e: string): string {
  return /^[-−]?\d+$/.test(e)
    ? [...e].map((c) => SUPERSCRIPT[c]).join('')
    : `^${/^[\w.]+$/.test(e) ? e : `(${e})`}`;
}

const textNotation: Notation = {
  num: (p) => String(p),
  frac: (n, d, compound) => `${fracPart(n)}/${compound ? `(${d})` : denominatorPart(d)}`,
  product: textJuxtapose,
  matmul: textJuxtapose,
  hadamard: (fs) => fs.join(' ⊙ '),
  kron: (fs) => fs.join(' ⊗ '),
  pow: (b, e) => `${b}${superscript(e)}`,
  hadamardPower: (b, e) => `${b}^∘${/^[\w.]+$/.test(e) ? e : `(${e})`}`,
  // A fifth root as x^(1/5): `5√(x)` would read as 5·√(x).
  root: (a, n) => (n <= 4 ? `${['√', '∛', '∜'][n - 2]}(${a})` : `${isTextAtom(a) ? a : `(${a})`}^(1/${n})`),
  paren: (s) => `(${s})`,
  call: (name, args) => written(textOf(name), args, '(', ')'),
  norm: (a, sub) => `‖${a}‖${sub === '2' ? '₂' : sub === '1' ? '₁' : '_F'}`,
  transpose: (b) => `${b}ᵀ`,
  inverse: (b) => `${b}⁻¹`,
  inverseTranspose: (b) => `${b}⁻ᵀ`,
  symbol: (s) => textName(s),
  apply: (e, args, names) => [
    spellApply(e, args, names, {
      head: (name) => textNameOf(name),
      call: (head, a) => (a.length ? `${head}(${a.join(', ')})` : head),
      primes: (k) => (k <= 3 ? ['′', '″', '‴'][k - 1] : `⁽${superscript(String(k))}⁾`),
      partial: (i, k) => `∂${subscriptDigits(String(i))}${k > 1 ? superscript(String(k)) : ''}`,
      gradient: (by, k) => `∇${k > 1 ? superscript(String(k)) : ''}${by === undefined ? '' : `_${by} `}`,
      fraction: (f, by) => `(∂${f}/∂${by})`,
      jacobian: (f) => `J_${f}`,
    }),
    Prec.Atom,
  ],
  special: (name, kind) => {
    if (name === 'identity') return 'I';
    const base = name === 'ones' ? '𝟏' : '0';
    return kind === 'row' ? `${base}ᵀ` : base;
  },
  block: (rows, isColumn) =>
    isColumn
      ? `[${rows.map((r) => r[0]).join(', ')}]`
      : `[${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]`,
  cases: (cs) => `{ ${cs.map((c) => `${c.value} if ${c.when}`).join('; ')} }`,
  condition: (l, op, r) => `${l} ${{ '<': '<', '<=': '≤', '>': '>', '>=': '≥', '!=': '≠' }[op]} ${r}`,
  entrywise: (c, indices) => `${c} for each ${[...indices].join(', ')}`,
  entry: (e, name, indices) =>
    `${name ? e : `(${e})`}${[...indices].map((i) => TEXT_SUBSCRIPT[i] ?? SUBSCRIPT_DIGITS[i] ?? `_${i}`).join('')}`,
  minus: ' − ',
  plus: ' + ',
};

export const latex = new Printer(latexNotation);
export const text = new Printer(textNotation);

export function toLatex(e: Expr): string {
  return latex.print(e);
}
export function toText(e: Expr): string {
  return text.print(e);
}
