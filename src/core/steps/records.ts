/** What a derivation's steps are made of: stages with the claims tests check, and the named intermediates. */
import type { Step } from '../api';
import type { Expr, Sym } from '../expr';

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
