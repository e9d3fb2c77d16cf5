/**
 * The sides of a claim as the core's expressions, elaborated together so a
 * name means the same thing (and has the same size) on both sides.
 */
import { parseLatex, parseLatexDeclaration } from '../core/parse/latex';
import { elaborate } from '../core/elaborate';
import type { Layout } from '../core/api';
import type { Expr, Sym } from '../core/expr';

export interface SidesOptions {
  readonly layout: Layout;
  readonly declarations: readonly string[];
  readonly definitions: readonly string[];
  readonly dims?: Readonly<Record<string, number>>;
}

export interface Sides {
  readonly exprs: readonly Expr[];
  /** Every variable of the sides. */
  readonly variables: readonly Sym[];
}

// TEMPORARY until the notation helper's evaluateAll lands: each side on its own, no definitions.
export function evaluateSides(latex: readonly string[], options: SidesOptions): Sides {
  const declarations = options.declarations.map(parseLatexDeclaration);
  const programs = latex.map((s) => elaborate(parseLatex(s), { declarations, dims: options.dims }));
  return { exprs: programs.map((p) => p.body), variables: programs.flatMap((p) => p.variables) };
}
