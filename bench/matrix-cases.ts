/**
 * Matrix-calculus identities SymPy's `MatrixSymbol` differentiation supports,
 * written three ways: LaTeX for us, SymPy syntax, and a math.js expression of
 * the original function for the finite-difference check.
 */
import { evaluate, matrix, type Matrix } from 'mathjs';
import { centralDifference, rng } from './numeric';

type Dims = readonly ['n' | 1, 'n' | 1];

export interface MatrixCase {
  readonly id: string;
  readonly latex: string;
  readonly declarations: readonly string[];
  readonly wrt: string;
  /** SymPy source over the MatrixSymbols in `symbols` (sizes symbolic in n). */
  readonly sympy: string;
  /** The original scalar function for math.js; vectors are n×1 matrices. */
  readonly mathjs: string;
  readonly symbols: Readonly<Record<string, Dims>>;
  /** Symbols that must be invertible (drawn symmetric positive definite). */
  readonly spd?: readonly string[];
}

const VEC: Dims = ['n', 1];
const MAT: Dims = ['n', 'n'];
const declare = (names: Record<string, Dims>): string[] =>
  Object.entries(names).map(([name, d]) => {
    const written = d[1] === 1 ? `\\mathbf{${name}}` : name;
    return `${written} \\in \\mathbb{R}^{${d[1] === 1 ? 'n' : 'n \\times n'}}`;
  });

function matrixCase(c: Omit<MatrixCase, 'declarations'>): MatrixCase {
  return { ...c, declarations: declare(c.symbols) };
}

export const MATRIX_CORPUS: readonly MatrixCase[] = [
  matrixCase({
    id: 'quadratic form',
    latex: '\\mathbf{x}^\\top A \\mathbf{x}',
    wrt: 'x',
    sympy: 'x.T*A*x',
    mathjs: 'transpose(x) * A * x',
    symbols: { x: VEC, A: MAT },
  }),
  matrixCase({
    id: 'linear form',
    latex: '\\mathbf{a}^\\top \\mathbf{x}',
    wrt: 'x',
    sympy: 'a.T*x',
    mathjs: 'transpose(a) * x',
    symbols: { a: VEC, x: VEC },
  }),
  matrixCase({
    id: 'squared norm',
    latex: '\\mathbf{x}^\\top \\mathbf{x}',
    wrt: 'x',
    sympy: 'x.T*x',
    mathjs: 'transpose(x) * x',
    symbols: { x: VEC },
  }),
  matrixCase({
    id: 'least squares',
    latex: '(A\\mathbf{x} - \\mathbf{b})^\\top (A\\mathbf{x} - \\mathbf{b})',
    wrt: 'x',
    sympy: '(A*x - b).T*(A*x - b)',
    mathjs: 'transpose(A * x - b) * (A * x - b)',
    symbols: { A: MAT, x: VEC, b: VEC },
  }),
  matrixCase({
    id: 'bilinear form',
    latex: '\\mathbf{a}^\\top X \\mathbf{b}',
    wrt: 'X',
    sympy: 'a.T*X*b',
    mathjs: 'transpose(a) * X * b',
    symbols: { a: VEC, X: MAT, b: VEC },
  }),
  matrixCase({
    id: 'trace of product',
    latex: '\\operatorname{tr}(AX)',
    wrt: 'X',
    sympy: 'trace(A*X)',
    mathjs: 'trace(A * X)',
    symbols: { A: MAT, X: MAT },
  }),
  matrixCase({
    id: 'trace quadratic',
    latex: '\\operatorname{tr}(X^\\top A X)',
    wrt: 'X',
    sympy: 'trace(X.T*A*X)',
    mathjs: 'trace(transpose(X) * A * X)',
    symbols: { A: MAT, X: MAT },
  }),
  matrixCase({
    id: 'log determinant',
    latex: '\\ln\\det(X)',
    wrt: 'X',
    sympy: 'log(det(X))',
    mathjs: 'log(det(X))',
    symbols: { X: MAT },
    spd: ['X'],
  }),
  matrixCase({
    id: 'determinant',
    latex: '\\det(X)',
    wrt: 'X',
    sympy: 'det(X)',
    mathjs: 'det(X)',
    symbols: { X: MAT },
    spd: ['X'],
  }),
  matrixCase({
    id: 'trace of inverse product',
    latex: '\\operatorname{tr}(X^{-1}A)',
    wrt: 'X',
    sympy: 'trace(X.I*A)',
    mathjs: 'trace(inv(X) * A)',
    symbols: { A: MAT, X: MAT },
    spd: ['X'],
  }),
];

/** Concrete values: vectors as n×1 arrays (SymPy and math.js) and flat arrays (our `at`). */
export type Values = Record<string, number[][]>;

export function matrixValues(c: MatrixCase, n: number, seed: number): Values {
  const next = rng(seed);
  const random = (r: number, k: number) =>
    Array.from({ length: r }, () =>
      Array.from({ length: k }, () => Math.round((2 * next() - 1) * 1000) / 1000),
    );
  const out: Values = {};
  for (const [name, d] of Object.entries(c.symbols)) {
    const r = n;
    const k = d[1] === 1 ? 1 : n;
    if (c.spd?.includes(name)) {
      // M Mᵀ + n·I is symmetric positive definite, so det > 0 and the inverse exists.
      const m = random(n, n);
      out[name] = m.map((row, i) =>
        m.map((other, j) => row.reduce((s, v, t) => s + v * other[t], 0) + (i === j ? n : 0)),
      );
    } else {
      out[name] = random(r, k);
    }
  }
  return out;
}

/** The derivative of the scalar function with respect to each entry of `wrt`, row-major, by finite differences. */
export function matrixFiniteDifference(c: MatrixCase, values: Values): number[] {
  const f = (vals: Values): number => {
    const scope: Record<string, Matrix> = {};
    for (const [k, v] of Object.entries(vals)) scope[k] = matrix(v);
    const r = evaluate(c.mathjs, scope) as number | Matrix;
    return typeof r === 'number' ? r : (r.toArray().flat(2)[0] as number);
  };
  const base = values[c.wrt];
  const grad: number[] = [];
  for (let i = 0; i < base.length; i++) {
    for (let j = 0; j < base[i].length; j++) {
      const at = (dx: number): number => {
        const shifted = base.map((row) => [...row]);
        shifted[i][j] += dx;
        return f({ ...values, [c.wrt]: shifted });
      };
      grad.push(centralDifference(at, base[i][j]));
    }
  }
  return grad;
}
