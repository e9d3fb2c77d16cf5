/**
 * This project's core, driven through its public entry point exactly as the
 * CLI and the extension drive it: `differentiate` (parse → differentiate →
 * simplify → LaTeX, text and code). Timed and checked on the shipped bundle
 * `dist/core.js` (`npm run build`), like the peers' published builds; the
 * result's size is read from the sources' `derivation` (not timed).
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { derivation, type DifferentiateOptions } from '../src/core';
import type * as Core from '../src/core';
import { treeSize } from '../src/core/expr';
import { present } from '../src/core/present';
import type { ScalarCase } from './corpus';
import type { Point } from './numeric';

export const CORE_BUNDLE = path.join(__dirname, '..', 'dist', 'core.js');

let bundle: typeof Core | undefined;
/** The built core; bench/run.ts builds it first. */
export function core(): typeof Core {
  bundle ??= createRequire(__filename)(CORE_BUNDLE) as typeof Core;
  return bundle;
}

export const scalarOptions = (c: ScalarCase): DifferentiateOptions => ({ op: 'derivative', wrt: [c.wrt] });

export function ourPipeline(c: ScalarCase): string {
  return core().differentiate(c.latex, scalarOptions(c)).latex;
}

/**
 * Nodes of our result as shown (after presentation, which factors `x(2a − 2b)`
 * into `2x(a − b)`), plus each named intermediate `s = value` it refers to;
 * counted as SymPy's are (see bench/tree-size.ts).
 */
export function ourSize(c: ScalarCase): number {
  let size = 0;
  for (const part of derivation(c.latex, scalarOptions(c)).parts) {
    const shown = present(part.expr);
    size += treeSize(shown.expr);
    for (const d of shown.definitions) size += 1 + treeSize(d.value);
  }
  return size;
}

export interface OurResult {
  readonly text: string;
  readonly latex: string;
  readonly size: number;
  readonly evaluate: (p: Point) => number;
}

export function ourResult(c: ScalarCase): OurResult {
  const r = core().differentiate(c.latex, scalarOptions(c));
  return {
    text: r.text,
    latex: r.latex,
    size: ourSize(c),
    // Our own evaluator: the value of the derivative at `at`.
    evaluate: (p) => {
      const value = core().differentiate(c.latex, { ...scalarOptions(c), at: p }).value;
      if (typeof value !== 'number') throw new Error(`expected a number, got ${JSON.stringify(value)}`);
      return value;
    },
  };
}
