import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from '../functions';
import { environmentNames } from '../vocabulary';

/**
 * Vocabulary of the LaTeX front end: which commands name letters, styles,
 * functions and operators. Kept apart from the parser so the tables read as data.
 */

/* Greek letters, bold, text and accent commands: ../vocabulary.ts, shared with the printers and the extension. */
export const BLACKBOARD_COMMANDS = new Set(['mathbb', 'Bbb', 'mathbbm']);
/**
 * Function names (of `\cmd`, `\operatorname{…}` or a plain letter run before
 * `(`), lower-cased, to the canonical names of syntax.ts. `log` is natural.
 */
export const FUNCTION_NAMES: ReadonlyMap<string, string> = new Map([
  // the element-wise functions' own spellings (functions.ts)
  ...ELEMENTWISE_FUNCTIONS.flatMap((f) => ELEMENTWISE[f].names.map((name): [string, string] => [name, f])),
  ['relu', 'relu'],
  ['sqrt', 'sqrt'],
  ['cbrt', 'cbrt'],
  ['softmax', 'softmax'],
  ['logsoftmax', 'logsoftmax'],
  ['logsumexp', 'logsumexp'],
  ['lse', 'logsumexp'],
  ['sum', 'sum'],
  ['diag', 'diag'],
  ['tr', 'tr'],
  ['trace', 'tr'],
  ['det', 'det'],
  ['logdet', 'logdet'],
  ['max', 'max'],
  ['min', 'min'],
  ['hypot', 'hypot'],
  ['atan2', 'atan2'],
  ['pow', 'pow'],
  ['log1p', 'log1p'],
  ['norm', 'norm'],
]);

/** Backslash commands that are functions (LaTeX's own operators plus common macros). */
export const FUNCTION_COMMANDS = new Set<string>([
  // \exp, \ln, \sin … \artanh, \sigmoid: the element-wise functions that are written as commands
  ...ELEMENTWISE_FUNCTIONS.flatMap((f) => ELEMENTWISE[f].commands),
  'det',
  'max',
  'min',
  'tr',
  'Tr',
  'trace',
  'diag',
  'softmax',
  'relu',
  'ReLU',
  'logsumexp',
]);

/** Canonical functions taking several arguments; all others take exactly one. */
export const MULTI_ARG_FUNCTIONS: ReadonlyMap<string, number> = new Map([
  ['max', 1],
  ['min', 1],
  ['hypot', 1],
  ['atan2', 2],
  ['pow', 2],
]);

/** `\sin^{-1}` is the inverse function, not a reciprocal. */
export const INVERSE_FUNCTIONS: ReadonlyMap<string, string> = new Map(
  ELEMENTWISE_FUNCTIONS.flatMap((f): [string, string][] => {
    const inverse = ELEMENTWISE[f].inverse;
    return inverse ? [[f, inverse]] : [];
  }),
);

/** Binary operators of the product level. */
export const PRODUCT_OPERATORS: ReadonlyMap<string, 'cdot' | '*' | '/' | 'odot' | 'oslash'> = new Map([
  ['cdot', 'cdot'],
  ['times', '*'],
  ['div', '/'],
  ['odot', 'odot'],
  ['circ', 'odot'],
  ['oslash', 'oslash'],
]);

/** Commands that elide terms. */
export const DOTS = new Set([
  'dots',
  'cdots',
  'ldots',
  'vdots',
  'ddots',
  'dotsb',
  'dotsc',
  'dotsm',
  'dotsi',
  'dotso',
]);

/** Commands with a specific refusal, so the message says what was meant. */
export const UNSUPPORTED: ReadonlyMap<string, string> = new Map([
  ['int', '\\int (an integral) is not supported'],
  ['iint', '\\iint (an integral) is not supported'],
  ['oint', '\\oint (an integral) is not supported'],
  ['lim', '\\lim (a limit) is not supported'],
  ['prod', '\\prod (a product over an index) is not supported; write the factors out'],
  ['otimes', '\\otimes (Kronecker/outer product) is not supported; write \\mathbf{u}\\mathbf{v}^\\top'],
  ['infty', '\\infty is not a value that can be differentiated'],
  ['binom', '\\binom is not supported'],
  ['pm', '\\pm is not supported; write the two expressions separately'],
  ['mp', '\\mp is not supported; write the two expressions separately'],
]);

/** Formula environments whose `&` are alignment marks. */
export const MULTILINE_ENVIRONMENTS = environmentNames((e) => e.lines);

/** Wrappers around a whole formula that `stripMathDelimiters` removes. */
export const FORMULA_ENVIRONMENTS = environmentNames(() => true);

/** Formula environments whose `{n}` argument (a column count) comes before the formula. */
export const COLUMN_ENVIRONMENTS = environmentNames((e) => e.columns);

export const MATRIX_ENVIRONMENTS = new Set([
  'matrix',
  'pmatrix',
  'bmatrix',
  'Bmatrix',
  'vmatrix',
  'smallmatrix',
  'array',
]);
