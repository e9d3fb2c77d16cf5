/**
 * `\sum_i` read term by term. In the body, xᵢ (plain) stands for the vector 𝐱 of all its values,
 * one entry per i ("entries"), and 𝐱ᵢ (bold, a sample) for the matrix X = [𝐱₁ … 𝐱_N], one column
 * per i ("columns"); its transpose has one row per i ("rows"). Anything else is the same for every
 * i ("constant"). A body built from these by operations that keep one value per i is summed as
 * that value demands: 𝟏ᵀ(entries), (columns)𝟏, 𝟏ᵀ(rows), N·(constant); a matrix for each i only
 * as a product of columns and rows, which sums itself.
 *
 * Shapes alone cannot tell a constant vector from a vector of entries (∑ᵢ xᵢ𝐰 is (∑ᵢ xᵢ)𝐰, not
 * 𝐰ᵀ𝐱), so each node is read for which of these it is, and a body that is none of them (a function
 * of a matrix for each i, σ(𝐱ᵢ𝐱ᵢᵀ)) is refused rather than summed wrongly.
 */
import { type Dim, type Expr, children, cols, dependsOn, isScalar, rows, sameDim } from './expr';
import { add, fn, hadamard, isElementwise, matmul, mul, ones, sqrt, transpose } from './simplify';

/**
 * "summed": a value for each i that is a matrix, already summed over i by a matrix product: the
 * columns of A times the rows of R is AR = Σᵢ 𝐚ᵢ𝐫ᵢᵀ (Σᵢ 𝐱ᵢ𝐱ᵢᵀ is XXᵀ). Only what is linear in it
 * (constants around it, transposes, traces, sums of such) keeps that reading.
 */
export type PerIndex = 'constant' | 'entries' | 'columns' | 'rows' | 'summed';
/** diag(𝐱) of entries xᵢ: a scaling of each column (or row) by its own xᵢ, only as a factor of a product. */
type Reading = PerIndex | 'diagonal' | undefined;

export class IndexedSum {
  /**
   * Names standing for one value per i, each with how the body writes it: 𝐱 of xᵢ ("entries"),
   * X of the samples 𝐱ᵢ ("columns").
   */
  private readonly indexed = new Map<string, { per: 'entries' | 'columns' | 'rows'; written: string }>();
  /** Names the body also uses as themselves (x beside xᵢ): such a body has no reading. */
  private readonly plain = new Set<string>();
  private readonly memo = new Map<Expr, Reading>();
  /** How many times the body has read an entry or a sample so far (see `built`). */
  uses = 0;

  /** 𝟏 of the index's size: Σᵢ of columns is X𝟏, of rows 𝟏ᵀR. */
  private readonly ones: Expr;

  constructor(
    readonly index: string,
    readonly size: Dim,
  ) {
    this.ones = ones({ kind: 'vector', n: size });
  }

  entries(name: string, written: string): void {
    this.indexed.set(name, { per: 'entries', written });
    this.uses++;
  }

  /** X of the samples, holding them as its columns or (a design matrix) its rows. */
  samples(name: string, written: string, per: 'columns' | 'rows'): void {
    this.indexed.set(name, { per, written });
    this.uses++;
  }

  /**
   * Whether `e`, built from entries or samples, kept a value per i. When they cancelled (𝐱ᵢ − 𝐱ᵢ is
   * the n×N zero, xᵢ − xᵢ + c is c𝟏), what is left has the index's size along an axis but no
   * reading: the simplifier rebuilds such a 𝟎 or c𝟏 (transposed, scaled) with nothing left to say
   * that its entries were one per i.
   */
  built(e: Expr): boolean {
    if (this.reading(e) !== 'constant' || e.shape.kind === 'scalar') return true;
    const s = e.shape;
    return !(s.kind === 'matrix' ? [s.m, s.n] : [s.n]).some((d) => sameDim(d, this.size));
  }

  /** `name` (or, for a definition's value, each name in it) used as itself in the body. */
  usedAsItself(e: Expr | string): void {
    if (typeof e === 'string') this.plain.add(e);
    else for (const name of this.indexed.keys()) if (dependsOn(e, name)) this.plain.add(name);
  }

  /** Whether the body uses the index itself as a value (∑_𝐱 f(𝐱): a sum over a set, not over 1…N). */
  usesIndex(): boolean {
    return this.plain.has(this.index);
  }

  /** A name used both with the index and as itself, if any: as the body writes it with the index, and the name. */
  clash(): { written: string; name: string } | undefined {
    for (const [name, { written }] of this.indexed) if (this.plain.has(name)) return { written, name };
    return undefined;
  }

  of(e: Expr): PerIndex | undefined {
    const r = this.reading(e);
    return r === 'diagonal' ? undefined : r;
  }

  /**
   * a·b for each i, when a or b has one value per i (undefined otherwise: the ordinary product).
   * Scalars were multiplied before: here both are vectors or matrices.
   */
  product(a: Expr, b: Expr): Expr | undefined {
    const ta = this.of(a);
    const tb = this.of(b);
    if (ta === undefined || tb === undefined || (ta === 'constant' && tb === 'constant')) return undefined;
    if (ta === 'entries' && tb === 'entries') return hadamard(a, b);
    // 𝐱ᵢ𝐱ᵢᵀyᵢ: the product of samples XXᵀ with each term scaled, X diag(𝐲)Xᵀ.
    if ((ta === 'summed' && tb === 'entries') || (ta === 'entries' && tb === 'summed')) {
      const [outer, x] = ta === 'summed' ? [a, b] : [b, a];
      const product = matmulIn(outer);
      const k = product ? this.outerSplit(product.factors) : -1;
      if (!product || k < 0) return undefined;
      const f = product.factors;
      const scaled = matmul(...f.slice(0, k), fn('diag', x), ...f.slice(k));
      return outer === product
        ? scaled
        : mul(...(outer as Extract<Expr, { type: 'mul' }>).factors.slice(0, -1), scaled);
    }
    // xᵢ times a constant vector 𝐜: the columns 𝐜𝐱ᵀ; times a constant row 𝐫ᵀ: the rows 𝐱𝐫ᵀ.
    if (ta === 'entries' || tb === 'entries') {
      const [x, other, tOther] = ta === 'entries' ? [a, b, tb] : [b, a, ta];
      if (tOther === 'constant') {
        if (other.shape.kind === 'vector') return matmul(other, transpose(x));
        if (other.shape.kind === 'row') return matmul(x, other);
        // xᵢW, a matrix for each i: their sum, (𝟏ᵀ𝐱)W.
        return mul(fn('sum', x), other);
      }
      // xᵢ𝐯ᵢ: each column scaled by its own xᵢ, V diag(𝐱); xᵢ𝐯ᵢᵀ likewise by rows.
      if (tOther === 'columns') return matmul(other, fn('diag', x));
      if (tOther === 'rows') return matmul(fn('diag', x), other);
      return undefined;
    }
    // 𝐱ᵢ𝐛ᵀ, a matrix for each i: X𝟏𝐛ᵀ, their sum (see `matmulReading`).
    if (ta === 'columns' && tb === 'constant' && b.shape.kind === 'row') return matmul(a, this.ones, b);
    // 𝐫ᵢᵀ𝐱ᵢ: the diagonal of RX. yᵢ𝐰ᵀ𝐱ᵢ (rows 𝐲𝐰ᵀ): 𝐲 ⊙ Xᵀ𝐰, as a person writes it.
    if (ta === 'rows' && tb === 'columns') {
      if (a.type === 'matmul' && a.factors.length === 2 && this.of(a.factors[0]) === 'entries')
        return hadamard(a.factors[0], matmul(transpose(b), transpose(a.factors[1])));
      return fn('diagvec', matmul(a, b));
    }
    // W𝐱ᵢ, 𝐱ᵢᵀA, 𝐰ᵀ𝐱ᵢ and 𝐱ᵢ𝐱ᵢᵀ are ordinary matrix products; anything else has no reading (refused when summed).
    return undefined;
  }

  /**
   * The terms of a sum in the body, a constant vector 𝐛 beside samples made the columns 𝐛𝟏ᵀ
   * (W𝐱ᵢ + 𝐛 for each i is WX + 𝐛𝟏ᵀ), a constant row beside rows likewise.
   */
  terms(terms: readonly Expr[]): Expr[] {
    const tags = terms.map((t) => this.of(t));
    const per = tags.find((t) => t === 'columns' || t === 'rows');
    if (!per) return terms.slice();
    return terms.map((t, i) => {
      if (tags[i] !== 'constant') return t;
      if (per === 'columns' && t.shape.kind === 'vector') return matmul(t, transpose(this.ones));
      if (per === 'rows' && t.shape.kind === 'row') return matmul(this.ones, t);
      return t;
    });
  }

  /** The sum of each sample's entries, as entries: Xᵀ𝟏 (R𝟏 of rows). */
  entrySums(x: Expr, per: 'columns' | 'rows'): Expr {
    const all = ones({ kind: 'vector', n: per === 'columns' ? rows(x.shape) : cols(x.shape) });
    return per === 'columns' ? matmul(transpose(x), all) : matmul(x, all);
  }

  /** The per-column Euclidean norms of samples, as entries: √diag(DᵀD). */
  columnNorms(d: Expr): Expr {
    return sqrt(fn('diagvec', matmul(transpose(d), d)));
  }

  /**
   * Whether the body used entries or samples that all cancelled (𝐰ᵀ(𝐱ᵢ − 𝐱ᵢ)): what is left may
   * have lost the shape of a value per i (a zero has no layout to read), so it is not summed.
   */
  cancelled(e: Expr): boolean {
    if (this.uses === 0) return false;
    for (const name of this.indexed.keys()) if (dependsOn(e, name)) return false;
    return true;
  }

  /** The sum over i of the body `e`; undefined when `e` has no value per i that sums. */
  close(e: Expr, count: Expr): Expr | undefined {
    switch (this.of(e)) {
      case 'constant':
        return mul(count, e);
      case 'entries':
        return fn('sum', e.shape.kind === 'row' ? transpose(e) : e);
      case 'columns': {
        if (e.type !== 'matmul') return matmul(e, this.ones);
        const rest = e.factors.slice(0, -1);
        const last = e.factors[e.factors.length - 1];
        // V diag(𝐱)𝟏 = V𝐱; 𝐜𝐱ᵀ𝟏 = (𝟏ᵀ𝐱)𝐜.
        if (isDiagonal(last)) return matmul(...rest, diagonalOf(last));
        if (last.type === 'transpose' && this.of(last.arg) === 'entries')
          return mul(fn('sum', last.arg), matmul(...rest));
        return matmul(e, this.ones);
      }
      case 'summed':
        return e;
      case 'rows': {
        if (e.type !== 'matmul') return matmul(transpose(this.ones), e);
        const [first, ...rest] = e.factors;
        if (isDiagonal(first)) return matmul(transpose(diagonalOf(first)), ...rest);
        if (first.shape.kind === 'vector' && this.of(first) === 'entries')
          return mul(fn('sum', first), matmul(...rest));
        return matmul(transpose(this.ones), e);
      }
      default:
        return e.type === 'add' ? this.summedAndConstant(e.terms, count) : undefined;
    }
  }

  /** Σᵢ(𝐱ᵢ𝐱ᵢᵀ + λI): the summed terms as they are, the constant ones N times. */
  private summedAndConstant(terms: readonly Expr[], count: Expr): Expr | undefined {
    const tags = terms.map((t) => this.of(t));
    if (!tags.includes('summed') || !tags.every((t) => t === 'summed' || t === 'constant')) return undefined;
    return add(...terms.map((t, i) => (tags[i] === 'constant' ? mul(count, t) : t)));
  }

  private reading(e: Expr): Reading {
    if (this.memo.has(e)) return this.memo.get(e);
    const r = this.read(e);
    this.memo.set(e, r);
    return r;
  }

  private read(e: Expr): Reading {
    if (e.type === 'sym') return this.indexed.get(e.name)?.per ?? 'constant';
    const kids = children(e);
    if (kids.length === 0) return 'constant';
    if (e.type === 'matmul') return this.matmulReading(e.factors);
    const product = e.type === 'fn' && e.name === 'diagvec' ? matmulIn(e.args[0]) : undefined;
    if (product && product.factors.length > 1) {
      // diag(RX): 𝐫ᵢᵀ𝐱ᵢ for each i, one entry per i, wherever the product splits into rows and columns.
      const f = product.factors;
      for (let k = 1; k < f.length; k++)
        if (this.matmulReading(f.slice(0, k)) === 'rows' && this.matmulReading(f.slice(k)) === 'columns')
          return 'entries';
    }
    const tags = kids.map((c) => this.reading(c));
    if (tags.every((t) => t === 'constant')) return 'constant';
    if (tags.includes('summed')) return summedReading(e, tags);
    switch (e.type) {
      case 'fn':
        if (e.name === 'diag') return tags[0] === 'entries' ? 'diagonal' : undefined;
        // sum(𝐱) of entries is Σᵢ xᵢ, already summed (the elaborator reads a sum written in the body
        // one value per i: see `entrySums`).
        if (e.name === 'sum') return tags[0] === 'entries' ? 'summed' : undefined;
        if ((e.name === 'softmax' || e.name === 'logsoftmax') && tags[0] === 'columns') return 'columns';
        return isElementwise(e.name) || e.name === 'max' || e.name === 'min' || e.name === 'atan2'
          ? oneReading(kids, tags)
          : undefined;
      case 'mul':
      case 'pow':
      case 'hadamard':
        return oneReading(kids, tags);
      case 'add':
        return this.sumReading(e.terms, tags);
      case 'transpose':
        return tags[0] === 'columns'
          ? 'rows'
          : tags[0] === 'rows'
            ? 'columns'
            : tags[0] === 'entries'
              ? 'entries'
              : undefined;
      default:
        return undefined;
    }
  }

  /** A sum: one reading for its varying terms; constants the same in every entry (a scalar, c𝟏). */
  private sumReading(terms: readonly Expr[], tags: readonly Reading[]): Reading {
    const per = oneReading(
      terms.filter((_, i) => tags[i] !== 'constant'),
      tags.filter((t) => t !== 'constant'),
    );
    if (per === undefined) return undefined;
    const uniform = (t: Expr) =>
      isScalar(t) || isOnes(t) || (t.type === 'mul' && t.factors.every((f) => isScalar(f) || isOnes(f)));
    return terms.every((t, i) => tags[i] !== 'constant' || uniform(t)) ? per : undefined;
  }

  /**
   * Where a product of columns and rows (Σᵢ 𝐚ᵢ𝐫ᵢᵀ) splits into them: where the rows (or a column of
   * entries, or the 𝟏 of 𝐱ᵢ𝐛ᵀ = X𝟏𝐛ᵀ) begin; −1 when it is no such product.
   */
  private outerSplit(factors: readonly Expr[], tags = factors.map((f) => this.reading(f))): number {
    const split = tags.findIndex(
      (t, i) =>
        i > 0 &&
        (t === 'rows' ||
          (t === 'entries' && factors[i].shape.kind === 'vector') ||
          (isOnes(factors[i]) &&
            factors[i].shape.kind === 'vector' &&
            sameDim(rows(factors[i].shape), this.size))),
    );
    return split > 0 &&
      this.matmulReading(factors.slice(0, split)) === 'columns' &&
      this.matmulReading(factors.slice(split)) === 'rows'
      ? split
      : -1;
  }

  /**
   * A product of matrices with one value per i: columns last (W𝐱ᵢ), rows first (𝐱ᵢᵀA), entries as
   * a row last (𝐜xᵢ) or as a column first (xᵢ𝐫ᵀ); a diagonal of entries scales columns after
   * them (V diag(𝐱)) or rows before them.
   */
  private matmulReading(factors: readonly Expr[]): Reading {
    const last = factors.length - 1;
    if (last === 0) return this.reading(factors[0]) === 'diagonal' ? undefined : this.reading(factors[0]);
    // The scaled factors must have one value per i along the same axis: columns or a row of entries
    // before the diagonal (𝐰ᵀV diag(𝐲): wᵀ𝐯ᵢ yᵢ), rows or a column of entries after it.
    if (this.reading(factors[last]) === 'diagonal') {
      const scaled = this.matmulReading(factors.slice(0, -1));
      return scaled === 'columns' || (scaled === 'entries' && factors[0].shape.kind === 'row')
        ? scaled
        : undefined;
    }
    if (this.reading(factors[0]) === 'diagonal') {
      const scaled = this.matmulReading(factors.slice(1));
      return scaled === 'rows' || (scaled === 'entries' && factors[last].shape.kind === 'vector')
        ? scaled
        : undefined;
    }
    const tags = factors.map((f) => this.reading(f));
    if (tags.includes(undefined)) return undefined;
    const varying = tags.flatMap((t, i) => (t === 'constant' ? [] : [i]));
    if (tags.includes('summed')) return varying.length === 1 ? 'summed' : undefined;
    if (this.outerSplit(factors, tags) > 0) return 'summed';
    if (tags.includes('diagonal')) return undefined;
    if (varying.length === 0) {
      // 𝐛𝟏ᵀ beside samples (see `terms`): 𝐛 for each i, as columns; 𝟏𝐫ᵀ beside rows likewise.
      if (isOnesRow(factors[last]) && sameDim(cols(factors[last].shape), this.size)) return 'columns';
      if (isOnes(factors[0]) && factors[0].shape.kind === 'vector' && sameDim(factors[0].shape.n, this.size))
        return 'rows';
      return 'constant';
    }
    if (varying.length > 1) return undefined;
    const [k] = varying;
    const first = factors[0].shape.kind;
    const end = factors[last].shape.kind;
    switch (tags[k]) {
      case 'columns':
        return k !== last ? undefined : first === 'row' ? 'entries' : 'columns';
      case 'rows':
        return k !== 0 ? undefined : end === 'vector' ? 'entries' : 'rows';
      case 'entries':
        // 𝐜xᵢ as the columns 𝐜𝐱ᵀ, 𝐮ᵀ𝐜 xᵢ as the row 𝐮ᵀ𝐜𝐱ᵀ; likewise xᵢ𝐫ᵀ as rows, xᵢ𝐫ᵀ𝐮 as entries.
        if (k === last && end === 'row') return first === 'row' ? 'entries' : 'columns';
        if (k === 0 && first === 'vector') return end === 'vector' ? 'entries' : 'rows';
        return undefined;
      default:
        return undefined;
    }
  }
}

/** A node over a sum already formed: linear in it, or no reading. */
function summedReading(e: Expr, tags: readonly Reading[]): Reading {
  const varying = tags.filter((t) => t !== 'constant');
  if (varying.some((t) => t !== 'summed')) return undefined;
  switch (e.type) {
    case 'transpose':
      return 'summed';
    case 'mul':
      // cΣ and (Σ)W, not (Σ)𝟏: a sum of numbers broadcast to a vector is no sum of its terms.
      return varying.length === 1 && e.factors.every((f, i) => tags[i] === 'summed' || !isFilled(f))
        ? 'summed'
        : undefined;
    case 'add':
      return varying.length === tags.length ? 'summed' : undefined;
    case 'fn':
      return e.name === 'tr' || e.name === 'sum' ? 'summed' : undefined;
    default:
      return undefined;
  }
}

/** The one reading of the varying operands of an entry-by-entry operation (constants must be scalars). */
function oneReading(kids: readonly Expr[], tags: readonly Reading[]): Reading {
  let per: Reading = 'constant';
  for (let i = 0; i < kids.length; i++) {
    const t = tags[i];
    if (t === undefined || t === 'diagonal') return undefined;
    if (t === 'constant') {
      if (!isScalar(kids[i]) && !isOnes(kids[i])) return undefined;
    } else if (per === 'constant') per = t;
    else if (per !== t) return undefined;
  }
  return per;
}

/** 𝟎 or 𝟏 of any shape: the same in every entry. */
function isFilled(e: Expr): boolean {
  return e.type === 'special' && e.name !== 'identity';
}

function isOnes(e: Expr): boolean {
  return e.type === 'special' && e.name === 'ones';
}

function isOnesRow(e: Expr): boolean {
  return e.type === 'transpose' ? isOnes(e.arg) : isOnes(e) && e.shape.kind === 'row';
}

/** The matrix product in `e`, itself or times constant scalars (4XᵀWᵀWX). */
function matmulIn(e: Expr): Extract<Expr, { type: 'matmul' }> | undefined {
  if (e.type === 'matmul') return e;
  if (e.type !== 'mul') return undefined;
  const m = e.factors[e.factors.length - 1];
  return m.type === 'matmul' && e.factors.slice(0, -1).every((f) => f.type === 'num') ? m : undefined;
}

function isDiagonal(e: Expr): boolean {
  return e.type === 'fn' && e.name === 'diag';
}

function diagonalOf(e: Expr): Expr {
  return (e as Extract<Expr, { type: 'fn' }>).args[0];
}
