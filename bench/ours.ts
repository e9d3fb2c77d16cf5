/**
 * This project's core, driven through its public entry points exactly as the
 * CLI and the extension drive it: `differentiate` for the timed pipeline
 * (parse → differentiate → simplify → LaTeX, text and code), `derivation` for
 * the result expression whose size is compared with SymPy's.
 */
import { derivation, differentiate, type DifferentiateOptions } from '../src/core';
import { treeSize } from '../src/core/expr';
import type { ScalarCase } from './corpus';
import type { Point } from './numeric';

export const scalarOptions = (c: ScalarCase): DifferentiateOptions => ({ op: 'derivative', wrt: [c.wrt] });

export function ourPipeline(c: ScalarCase): string {
  return differentiate(c.latex, scalarOptions(c)).latex;
}

/** Nodes of our result expression(s), counted as SymPy's are (see bench/tree-size.ts). */
export function ourSize(c: ScalarCase): number {
  return derivation(c.latex, scalarOptions(c)).parts.reduce((s, p) => s + treeSize(p.expr), 0);
}

export interface OurResult {
  readonly text: string;
  readonly latex: string;
  readonly size: number;
  readonly evaluate: (p: Point) => number;
}

export function ourResult(c: ScalarCase): OurResult {
  const r = differentiate(c.latex, scalarOptions(c));
  return {
    text: r.text,
    latex: r.latex,
    size: ourSize(c),
    // Our own evaluator: the value of the derivative at `at`.
    evaluate: (p) => {
      const value = differentiate(c.latex, { ...scalarOptions(c), at: p }).value;
      if (typeof value !== 'number') throw new Error(`expected a number, got ${JSON.stringify(value)}`);
      return value;
    },
  };
}
