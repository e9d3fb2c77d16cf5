/**
 * Component form: with concrete sizes, a matrix-form result written out as the
 * explicit matrix the notes show (A𝐱's Jacobian as [[a₁₁, a₁₂], …]). Each
 * entry is built with the same smart constructors, so entries are simplified.
 */
import { type Expr, type Sym, resolveDim, type Dim, treeSize } from './expr';
import { add, block, fn, mul, num, pow, sym, ONE, ZERO, MINUS_ONE } from './simplify';

/** Entries as rows × columns of scalar expressions (a scalar is 1×1). */
type Grid = Expr[][];

/** Results larger than this are not written out: a 10×10 Jacobian is not read entry by entry. */
const MAX_ENTRIES = 64;
/**
 * Nor are entries this long in all (printed nodes): a product of many matrices written
 * out entry by entry doubles in length with each factor, and nobody reads it.
 */
const MAX_EXPANDED_SIZE = 5_000;

class TooLarge extends Error {}

function size(d: Dim): number {
  const r = resolveDim(d);
  if (typeof r !== 'number') throw new TooLarge();
  return r;
}

function grid(m: number, n: number, f: (i: number, j: number) => Expr): Grid {
  if (m * n > MAX_ENTRIES) throw new TooLarge();
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => f(i, j)));
}

const rowsOf = (g: Grid) => g.length;
const colsOf = (g: Grid) => g[0].length;
const isOne = (g: Grid) => g.length === 1 && g[0].length === 1;

function zip(a: Grid, b: Grid, f: (x: Expr, y: Expr) => Expr): Grid {
  if (isOne(a) && !isOne(b)) return b.map((r) => r.map((y) => f(a[0][0], y)));
  if (isOne(b) && !isOne(a)) return a.map((r) => r.map((x) => f(x, b[0][0])));
  return a.map((r, i) => r.map((x, j) => f(x, b[i][j])));
}

function map(a: Grid, f: (x: Expr) => Expr): Grid {
  return a.map((r) => r.map(f));
}

function product(a: Grid, b: Grid): Grid {
  if (isOne(a) || isOne(b)) return zip(a, b, (x, y) => mul(x, y));
  return grid(rowsOf(a), colsOf(b), (i, j) => add(...a[i].map((x, k) => mul(x, b[k][j]))));
}

function transpose(a: Grid): Grid {
  return grid(colsOf(a), rowsOf(a), (i, j) => a[j][i]);
}

function sumAll(a: Grid): Expr {
  return add(...a.flat());
}

/** Component names: x → x_1…x_n, A → A_11…A_mn. */
function components(s: Sym): Grid {
  const sh = s.shape;
  if (sh.kind === 'scalar') return [[s]];
  // 𝐬₁'s components are s₁,₁ s₁,₂ …: the index goes after the name's own subscript.
  const name = s.name.includes('_') ? `${s.name},` : `${s.name}_`;
  if (sh.kind === 'matrix') return grid(size(sh.m), size(sh.n), (i, j) => sym(`${name}${i + 1}${j + 1}`));
  const n = size(sh.n);
  const col = grid(n, 1, (i) => sym(`${name}${i + 1}`));
  return sh.kind === 'row' ? transpose(col) : col;
}

function determinant(a: Grid): Expr {
  const n = rowsOf(a);
  if (n === 1) return a[0][0];
  if (n > 4) throw new TooLarge();
  // Laplace expansion along the first row.
  return add(
    ...a[0].map((x, j) => {
      const minor = a.slice(1).map((r) => r.filter((_, k) => k !== j));
      return mul(j % 2 ? MINUS_ONE : ONE, x, determinant(minor));
    }),
  );
}

function inverse(a: Grid): Grid {
  const n = rowsOf(a);
  if (n > 3) throw new TooLarge();
  const det = determinant(a);
  // A⁻¹ = adj(A)/det(A), the cofactor formula a reader can check by hand.
  return grid(n, n, (i, j) => {
    const minor = a.filter((_, r) => r !== j).map((r) => r.filter((_, c) => c !== i));
    const cofactor = minor.length ? determinant(minor) : ONE;
    return mul((i + j) % 2 ? MINUS_ONE : ONE, cofactor, pow(det, MINUS_ONE));
  });
}

/** expandGrid once per node: a shared subexpression is expanded once. */
function expandGrid(e: Expr, memo: Map<Expr, Grid>): Grid {
  let g = memo.get(e);
  if (g === undefined) {
    g = expandNode(e, (x) => expandGrid(x, memo));
    memo.set(e, g);
  }
  return g;
}

function expandNode(e: Expr, expandGrid: (e: Expr) => Grid): Grid {
  switch (e.type) {
    case 'num':
      return [[e]];
    case 'sym':
      return components(e);
    case 'special': {
      const sh = e.shape;
      const m = sh.kind === 'matrix' || sh.kind === 'vector' ? size(sh.kind === 'matrix' ? sh.m : sh.n) : 1;
      const n = sh.kind === 'matrix' || sh.kind === 'row' ? size(sh.n) : 1;
      return grid(m, n, (i, j) => (e.name === 'ones' || (e.name === 'identity' && i === j) ? ONE : ZERO));
    }
    case 'add':
      return e.terms.map(expandGrid).reduce((a, b) => zip(a, b, (x, y) => add(x, y)));
    case 'mul':
    case 'hadamard':
      return e.factors.map(expandGrid).reduce((a, b) => zip(a, b, (x, y) => mul(x, y)));
    case 'matmul':
      return e.factors.map(expandGrid).reduce(product);
    case 'kron': {
      const [a, b] = e.factors.map(expandGrid);
      return grid(rowsOf(a) * rowsOf(b), colsOf(a) * colsOf(b), (i, j) =>
        mul(a[Math.floor(i / rowsOf(b))][Math.floor(j / colsOf(b))], b[i % rowsOf(b)][j % colsOf(b)]),
      );
    }
    case 'pow':
      return zip(expandGrid(e.base), expandGrid(e.exp), (x, y) => pow(x, y));
    case 'transpose':
      return transpose(expandGrid(e.arg));
    case 'inverse':
      return inverse(expandGrid(e.arg));
    case 'block':
      return e.rows.map((r) => r.slice());
    case 'piecewise':
      throw new TooLarge();
    case 'apply':
      // An abstract function's value or derivative has no entries to write out, unless it is one number.
      if (e.shape.kind === 'scalar') return [[e]];
      throw new TooLarge();
    case 'fn':
      return expandFn(e, expandGrid);
  }
}

function expandFn(e: Extract<Expr, { type: 'fn' }>, expandGrid: (e: Expr) => Grid): Grid {
  const a = expandGrid(e.args[0]);
  switch (e.name) {
    case 'max':
    case 'min':
    case 'atan2':
      return zip(a, expandGrid(e.args[1]), (x, y) => fn(e.name, x, y));
    case 'sum':
      return [[sumAll(a)]];
    case 'softmax':
    case 'logsoftmax': {
      const total = add(...a.flat().map((x) => fn('exp', x)));
      return map(a, (x) =>
        e.name === 'softmax'
          ? mul(fn('exp', x), pow(total, MINUS_ONE))
          : add(x, mul(MINUS_ONE, fn('ln', total))),
      );
    }
    case 'logsumexp':
      return [[fn('ln', add(...a.flat().map((x) => fn('exp', x))))]];
    case 'norm2':
    case 'normF':
      return [[pow(add(...a.flat().map((x) => pow(x, num(2)))), num(1, 2))]];
    case 'norm1':
      return [[add(...a.flat().map((x) => fn('abs', x)))]];
    case 'tr':
      return [[add(...a.map((r, i) => r[i]))]];
    case 'det':
      return [[determinant(a)]];
    case 'logdet':
      return [[fn('ln', determinant(a))]];
    case 'diag': {
      const v = a.flat();
      return grid(v.length, v.length, (i, j) => (i === j ? v[i] : ZERO));
    }
    case 'diagvec':
      return grid(rowsOf(a), 1, (i) => a[i][i]);
    default:
      return map(a, (x) => fn(e.name, x));
  }
}

/** The component form of `e`, or undefined when a size is symbolic or the result is too large to read. */
export function expandComponents(e: Expr): Expr | undefined {
  try {
    const g = expandGrid(e, new Map());
    const result = isOne(g) ? g[0][0] : block(g);
    return treeSize(result) > MAX_EXPANDED_SIZE ? undefined : result;
  } catch (err) {
    if (err instanceof TooLarge) return undefined;
    throw err;
  }
}
