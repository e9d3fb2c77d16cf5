/**
 * The sides of a claim as the core's expressions, elaborated together so a
 * name means the same thing (and has the same size) on both sides.
 */
import { evaluateAll } from '../core/derivation';
import type { Layout } from '../core/api';
import type { Condition, Expr, Sym } from '../core/expr';

export interface SidesOptions {
  readonly layout: Layout;
  readonly declarations: readonly string[];
  readonly definitions: readonly string[];
  readonly dims?: Readonly<Record<string, number>>;
  /** Names the note uses as values elsewhere: only differentiated in a step, they are still variables. */
  readonly values?: readonly string[];
  /** How a matrix X of samples 𝐱ᵢ holds them (see `ElaborateOptions.samples`). */
  readonly samples?: 'columns' | 'rows';
}

export interface Sides {
  readonly exprs: readonly Expr[];
  /** Every variable of the sides. */
  readonly variables: readonly Sym[];
  /** Where the derivatives evaluated hold (away from kinks). */
  readonly conditions: readonly Condition[];
  /** The matrices declared symmetric. */
  readonly symmetric: ReadonlySet<string>;
  /** Notation the core read otherwise than a note may mean (see `Elaborated.caveats`). */
  readonly caveats: readonly string[];
  /** Matrices standing for the samples 𝐱ᵢ of a sum. */
  readonly samples: readonly string[];
}

export function evaluateSides(latex: readonly string[], options: SidesOptions): Sides {
  const { exprs, program, conditions } = evaluateAll(latex, { lang: 'latex', ...options });
  return {
    exprs,
    variables: [...program.declared, ...program.variables],
    conditions,
    symmetric: program.symmetric,
    caveats: program.caveats,
    samples: program.samples,
  };
}
