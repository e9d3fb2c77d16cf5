/**
 * The public contract of the core: `differentiate(expression, options)`.
 * The CLI's `--json` prints exactly a `DifferentiateResult`; the extension
 * renders one. Keep this file free of implementation.
 */

/** `evaluate`: the input states its derivatives (`\frac{\partial}{\partial x} …`, `\nabla_{\mathbf{x}} …`); the result is its value. */
export type Operation = 'gradient' | 'jacobian' | 'hessian' | 'derivative' | 'evaluate';
export type Layout = 'numerator' | 'denominator';
export type Language = 'latex' | 'ts' | 'python';

/** A numeric value: scalar, vector (array) or matrix (array of rows). */
export type Value = number | number[] | number[][];

export interface DifferentiateOptions {
  /** Input language; detected when absent. */
  readonly lang?: Language | undefined;
  /** Default: `evaluate` when the input has derivative notation, else gradient for a scalar function, Jacobian for a vector function. */
  readonly op?: Operation | undefined;
  /** Variables as written (`x`, `x_1`, `theta`, `\mathbf{x}` or `x` for a vector). Default: the parameters, else free variables in order of appearance. */
  readonly wrt?: readonly string[] | undefined;
  readonly layout?: Layout | undefined;
  /** Values of all variables; also fixes sizes. */
  readonly at?: Readonly<Record<string, Value>> | undefined;
  /** LaTeX declarations such as `\mathbf{x} \in \mathbb{R}^{n}`; one may declare several names (`A, B \in \mathbb{S}^n`). */
  readonly declarations?: readonly string[] | undefined;
  /** Symbol conventions: names to read as vectors or matrices (sizes still inferred); declarations override them. */
  readonly conventions?:
    | { readonly vectors?: readonly string[] | undefined; readonly matrices?: readonly string[] | undefined }
    | undefined;
  /** Concrete sizes, e.g. `{ n: 3 }`. */
  readonly dims?: Readonly<Record<string, number>> | undefined;
  /** Record the derivation steps, stage by stage (see steps.ts). */
  readonly steps?: boolean | undefined;
  /** Compare the result with central finite differences at `at` (or a random point). */
  readonly check?: boolean | undefined;
  /** Export the derivative as code, in one language or several (the result's `code`). */
  readonly emit?: EmitLanguage | readonly EmitLanguage[] | undefined;
  /**
   * Definitions from the document, in order, as LaTeX: `z = \mathbf{w}\cdot\mathbf{x} + b`, `f(x, y) = 3x^2y`,
   * `y = f(x) = x + x^2` (every name left of the last `=` is defined by the right side). Defined names in the
   * input stand for their definitions; a later definition of a name replaces an earlier one.
   */
  readonly definitions?: readonly string[] | undefined;
}

/**
 * `ts`: a TypeScript function over plain arrays; `numpy`: a Python function over NumPy arrays; `torch`: over
 * PyTorch tensors; `jax`: over `jax.numpy` arrays (see emit/walk.ts).
 */
export type EmitLanguage = 'ts' | 'numpy' | 'torch' | 'jax';

export type StepRule =
  | 'intermediate'
  | 'sum'
  | 'constant'
  | 'product'
  | 'quotient'
  | 'chain'
  | 'power'
  | 'elementwise'
  | 'piecewise'
  | 'matrix-identity'
  | 'component'
  | 'substitute'
  | 'result';

/** One stage of a derivation, as the notes write it. */
export interface Step {
  readonly rule: StepRule;
  /** The stage as one KaTeX-compatible line, e.g. `\frac{\partial f}{\partial z} = …`. */
  readonly latex: string;
  readonly text: string;
  /** One line: which rule and why. */
  readonly explanation: string;
  /** Part of the collapsed (default) view; the others are detail. */
  readonly key: boolean;
  /** Nesting for indentation: 0 for the main line of the derivation. */
  readonly depth: number;
}

export interface CheckResult {
  /** `not-differentiable`: the point is on a kink (ReLU at 0, |x| at 0); not a failure. */
  readonly verdict: 'agrees' | 'disagrees' | 'not-differentiable';
  /** Largest |exact − numeric| / max(1, |exact|, |numeric|) over all entries (NaN when not compared). */
  readonly maxRelativeError: number;
  /** Where it was checked. */
  readonly point: Readonly<Record<string, Value>>;
  /** One line for people. */
  readonly message: string;
}

export interface VariableInfo {
  /** Name as written in `--wrt` (`x`, `x_1`, `theta`, `W`). */
  readonly name: string;
  /** `scalar`, `vector(n)`, `matrix(m×n)` */
  readonly shape: string;
  /** 1 for a scalar, n for a vector, [m, n] for a matrix; symbolic sizes are strings. */
  readonly dims: readonly (number | string)[];
  readonly latex: string;
}

/** A condition the result holds under, in both printed forms. */
export interface ResultCondition {
  readonly latex: string;
  readonly text: string;
}

/**
 * One statement of what was assumed, in both printed forms: the operation and
 * variables, each name's kind and size, the layout, how a matrix derivative is
 * arranged, where the result is valid. An assumption about one name also has
 * it in parts, so that a caller need not parse `text` back.
 */
export interface Assumption {
  /** e.g. `\mathbf{x} \in \mathbb{R}^{n}\ (\text{declared})` */
  readonly latex: string;
  /** e.g. `x: vector(n) (declared)` */
  readonly text: string;
  /** The name it is about, as in `VariableInfo.name`. */
  readonly name?: string;
  /** With `name`: its shape, as in `VariableInfo.shape`. */
  readonly shape?: string;
  /** With `name`, when there is one: why it has that shape (`declared`, `a vector by your conventions`, …). */
  readonly reason?: string;
}

export interface Definition {
  /** `\mathbf{s}` */
  readonly latex: string;
  /** `s = softmax(x)` as text */
  readonly text: string;
  /** `\mathbf{s} = \operatorname{softmax}(\mathbf{x})` */
  readonly definitionLatex: string;
}

export interface DifferentiateResult {
  readonly op: Operation;
  readonly layout: Layout;
  readonly wrt: readonly VariableInfo[];
  /** Every free variable of the function, in order of appearance (for choosing `wrt`). */
  readonly variables: readonly VariableInfo[];
  /** The function as understood. */
  readonly input: { readonly latex: string; readonly text: string; readonly shape: string };
  /** The derivative, typeset (KaTeX-compatible). For a piecewise result it is a `cases` environment. */
  readonly latex: string;
  /** The derivative as plain Unicode text. */
  readonly text: string;
  /** Shape of the result: `scalar`, `vector(n)`, `matrix(m×n)`, ... */
  readonly shape: string;
  /** Named intermediates used in `latex`/`text` (e.g. `\mathbf{s} = \operatorname{softmax}(\mathbf{x})`). */
  readonly definitions: readonly Definition[];
  /** Where the result holds (away from kinks), e.g. `{ latex: 'x \\neq 0', text: 'x ≠ 0' }`. */
  readonly conditions: readonly ResultCondition[];
  /** What was assumed (kinds of names, sizes, layout), one statement each. */
  readonly assumptions: readonly Assumption[];
  /** Component form when all sizes are known. */
  readonly expanded?: { readonly latex: string; readonly text: string };
  /** The result evaluated at `at`. */
  readonly value?: Value;
  /** With `steps`: the derivation stage by stage. */
  readonly steps?: readonly Step[];
  /** With `check`: the finite-difference comparison. */
  readonly check?: CheckResult;
  /** With `emit`: the derivative as a function in each language asked for. */
  readonly code?: Readonly<Partial<Record<EmitLanguage, string>>>;
  /** The names whose `definitions` the input used (directly or through others), when there are any. */
  readonly usedDefinitions?: readonly string[];
}
