/**
 * One case of the textbook corpus (test/fixtures/textbook.ts) measured: our result and the
 * textbook form, each presented as the extension shows it and sized by one rule, and both
 * evaluated at random points of several sizes. Shared by test/core/textbook.test.ts (the
 * assertions) and bench/textbook.ts (the report).
 *
 * Both forms go through the same reading and presentation, so the sizes compare the forms
 * and not our parser's canonical order: the textbook's ½(A + Aᵀ) is counted as it is shown.
 */
import { derivation, evaluateAll } from '../src/core/derivation';
import { evaluate, type Tensor } from '../src/core/eval';
import { type Dim, type Expr, type Sym, dimText, isScalar, resolveDim, treeSize } from '../src/core/expr';
import { presentAll } from '../src/core/present';
import { toLatex, toText } from '../src/core/print';
import { random as rng } from '../src/core/check';
import type { TextbookCase } from '../test/fixtures/textbook';

export const TEXTBOOK_DOMAIN: readonly [number, number] = [0.2, 0.9];

/** Two assignments of sizes, so that a form right at one size only (a stray transpose of a square) fails;
 * m > n in both, so that a Gram matrix XᵀX of an m×n X is invertible. */
export const TEXTBOOK_SIZES: readonly Readonly<Record<string, number>>[] = [
  { n: 3, m: 4, k: 2, p: 5, q: 2, r: 3 },
  { n: 2, m: 5, k: 4, p: 3, q: 4, r: 2 },
];

/** For `square` cases: one size for all, two of them. */
const SQUARE_SIZES = [3, 4].map((s) => Object.fromEntries(Object.keys(TEXTBOOK_SIZES[0]).map((k) => [k, s])));

export interface Shown {
  readonly text: string;
  readonly latex: string;
  /** Nodes printed: the results plus each named part `s = value` (1 + its value), as bench/ours.ts counts. */
  readonly size: number;
}

/** Results presented together (one per variable) and sized. */
function shown(exprs: readonly Expr[]): Shown {
  const p = presentAll(exprs);
  const where = p.definitions.map((d) => `${toText(d.symbol)} = ${toText(d.value)}`);
  const whereLatex = p.definitions.map((d) => `${toLatex(d.symbol)} = ${toLatex(d.value)}`);
  const list = (xs: string[]) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);
  return {
    text: list(p.exprs.map(toText)) + (where.length ? ` where ${where.join(', ')}` : ''),
    latex:
      p.exprs.map(toLatex).join(',\\quad ') +
      (whereLatex.length ? `\\quad\\text{where } ${whereLatex.join(',\\ ')}` : ''),
    size:
      p.exprs.reduce((n, e) => n + treeSize(e), 0) +
      p.definitions.reduce((n, d) => n + 1 + treeSize(d.value), 0),
  };
}

export interface Measured {
  readonly ours: Shown;
  readonly textbook: Shown;
}

export function measure(c: TextbookCase): Measured {
  const d = derivation(c.latex, { wrt: c.wrt, declarations: c.declarations });
  const book = evaluateAll([c.latex, ...c.textbook], { declarations: c.declarations });
  return { ours: shown(d.parts.map((p) => p.expr)), textbook: shown(book.exprs.slice(1)) };
}

function randomValue(
  v: Sym,
  random: () => number,
  domain: readonly [number, number],
  symmetric: boolean,
): Tensor {
  const s = v.shape;
  if (s.kind === 'scalar') return domain[0] + (domain[1] - domain[0]) * random();
  const size = (d: Dim) => {
    const r = resolveDim(d);
    if (typeof r !== 'number') throw new Error(`${v.name}: size ${dimText(d)} is not concrete`);
    return r;
  };
  const m = s.kind === 'matrix' || s.kind === 'vector' ? size(s.kind === 'matrix' ? s.m : s.n) : 1;
  const n = s.kind === 'matrix' || s.kind === 'row' ? size(s.n) : 1;
  const data = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) data[i] = 2 * random() - 1;
  // A dominant diagonal: invertible with a positive determinant (inverses, ln det).
  if (m === n && s.kind === 'matrix') for (let i = 0; i < n; i++) data[i * n + i] += n + 1;
  if (symmetric) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) data[i * n + j] = data[j * n + i];
  return { m, n, data };
}

const flat = (t: Tensor): number[] => (typeof t === 'number' ? [t] : Array.from(t.data));

/**
 * The largest relative difference between our result and the textbook form over `seeds`
 * random points at each of TEXTBOOK_SIZES (matrices declared symmetric drawn symmetric).
 */
export function numericGap(c: TextbookCase, seeds = 3): number {
  let gap = 0;
  for (const dims of c.square ? SQUARE_SIZES : TEXTBOOK_SIZES) {
    const d = derivation(c.latex, { wrt: c.wrt, declarations: c.declarations, dims });
    const book = evaluateAll([c.latex, ...c.textbook], { declarations: c.declarations, dims });
    for (let seed = 1; seed <= seeds; seed++) {
      const random = rng(seed);
      const env = new Map<string, Tensor>();
      for (const v of book.program.declared)
        env.set(
          v.name,
          randomValue(v, random, c.domain ?? TEXTBOOK_DOMAIN, book.program.symmetric.has(v.name)),
        );
      d.parts.forEach((part, i) => {
        const ours = flat(evaluate(part.expr, env));
        const theirs = flat(evaluate(book.exprs[i + 1], env));
        if (ours.length !== theirs.length) {
          const what = isScalar(part.expr) ? 'a scalar' : `${ours.length} entries`;
          throw new Error(`${c.id}: our result has ${what}, the textbook form ${theirs.length}`);
        }
        ours.forEach((o, k) => {
          const err = Math.abs(o - theirs[k]) / Math.max(1, Math.abs(theirs[k]));
          gap = Math.max(gap, Number.isNaN(err) ? Infinity : err);
        });
      });
    }
  }
  return gap;
}
