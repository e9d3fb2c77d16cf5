/** The differentiation core: no `vscode` import; used by the CLI, the extension and other tools. */
export { differentiate, resultOf, checkOf, codeOf } from './differentiate';
export { derivation, normalizeName, parseInput, type Derivation, type Part } from './derivation';
export type * from './api';
export { LensError } from './errors';
export { detectLanguage } from './parse/detect';
export { findLatexDeclarations, parseLatexDeclaration } from './parse/latex';
export { MAX_INPUT_LENGTH, MAX_NESTING_DEPTH } from './limits';
export { derivationSteps, steps, type DerivationSteps, type StepRecord, type Claim } from './steps';
export { checkDerivation, withConcreteSizes, DEFAULT_SIZE } from './check';
export { emit } from './emit';
