/** Step-by-step derivations: the walk (walk.ts) over named intermediates (naming.ts), worded by wording.ts. */
export { derivationSteps, steps } from './walk';
export type { Claim, ClaimForm, DerivationSteps, Intermediate, StepRecord } from './records';
