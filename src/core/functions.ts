/**
 * Every element-wise function of one argument, one record each: everything
 * about a function in one place, as SymPy keeps `fdiff`, `eval` and the
 * printers' names on its `Function` class. The differential rules (diff.ts),
 * the simplifier, evaluation, the printers, code export, the steps' wording and
 * both parsers read this table; adding a function is one entry here and its
 * name in `UnaryFn` (expr.ts), which makes the compiler ask for the entry.
 * Structural operations (softmax, det, norms, trace, max/min) stay explicit
 * rules in diff.ts.
 */
import type { Expr, Num, Shape, UnaryFn } from './expr';
import { nameTable } from './table';

/**
 * The simplifier's constructors, handed to each derivative by diff.ts: this
 * table cannot import them, because the simplifier reads the table.
 */
export interface Builders {
  readonly ONE: Num;
  readonly MINUS_ONE: Num;
  num(p: number, q?: number): Num;
  fn(name: UnaryFn, u: Expr): Expr;
  add(...terms: Expr[]): Expr;
  sub(a: Expr, b: Expr): Expr;
  neg(a: Expr): Expr;
  mul(...factors: Expr[]): Expr;
  pow(base: Expr, exp: Expr): Expr;
  zero(shape: Shape): Expr;
  /** a·b for scalars, a ⊙ b otherwise. */
  times(a: Expr, b: Expr): Expr;
}

/** How a printer writes the function: a head before the bracketed argument, or the whole layout around it. */
export type Written = string | ((arg: string) => string);

/** How exported code writes the function of a scalar `p`. */
export interface Spelling {
  readonly code: (p: string) => string;
  /** An operator expression rather than a call, binding as loosely as this (so operands get brackets). */
  readonly loose?: 'product' | 'choice';
  /** A helper function the code calls, which the export then defines: a function of emit/runtime.ts. */
  readonly helper?: string;
}

export interface ElementwiseFunction {
  /** φ′(u) from u and φ(u) itself (`self`), with its formula in a comment. */
  readonly derivative: (u: Expr, self: Expr, b: Builders) => Expr;
  /** The derivative holds only where u ≠ 0 (a kink or a jump there): a condition of the result. */
  readonly kink?: true;
  /** φ(0) as an exact fraction [p, q], when a person would write it as a number. */
  readonly atZero?: readonly [number, number];
  /** φ(ψ(u)) = u on ψ's whole range: the simplifier cancels the pair. */
  readonly cancels?: UnaryFn;
  /** The numeric function (eval.ts). */
  readonly value: (x: number) => number;
  /** LaTeX, as a head written before `\left(…\right)`; `\operatorname{name}` when absent. */
  readonly latex?: Written;
  /** A power of it is written on the name, as in \sin^{2}(x) (the LaTeX is a head). */
  readonly powerOnName?: true;
  /** Unicode text, as a head written before `(…)`; the name when absent. */
  readonly text?: Written;
  readonly ts: Spelling;
  readonly numpy: Spelling;
  /** Lower-case names the LaTeX parser reads as this function (`\cmd`, `\operatorname{…}`, letters before `(`). */
  readonly names: readonly string[];
  /** Of `names`, the backslash commands (`\sin`); `\sigma` is the Greek letter, read by the parser itself. */
  readonly commands: readonly string[];
  /** `Math.*` names the TypeScript parser reads as this function. */
  readonly math: readonly string[];
  /** Names the Python parser reads as this function, after a module (`np.`, `torch.`, `math.`, `scipy.special.`) or as a method (`x.exp()`). */
  readonly python: readonly string[];
  /** The function `\name^{-1}` means. */
  readonly inverse?: UnaryFn;
  /** The rule as the steps word it. */
  readonly rule?: string;
}

const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

const ZERO_AT_ZERO: readonly [number, number] = [0, 1];
const ONE_AT_ZERO: readonly [number, number] = [1, 1];

/** A function spelled `np.<name>(p)`, `Math.<name>(p)`. */
const call =
  (name: string) =>
  (p: string): string =>
    `${name}(${p})`;

/** A trigonometric or hyperbolic function LaTeX has a command for, read and written under its own name. */
function command(name: string): Pick<ElementwiseFunction, 'latex' | 'names' | 'commands'> {
  return { latex: `\\${name}`, names: [name], commands: [name] };
}

export const ELEMENTWISE: Readonly<Record<UnaryFn, ElementwiseFunction>> = nameTable<
  Record<UnaryFn, ElementwiseFunction>
>({
  exp: {
    derivative: (_u, self) => self, // (eᵘ)' = eᵘ
    atZero: ONE_AT_ZERO,
    cancels: 'ln',
    value: Math.exp,
    latex: (a) => `e^{${a}}`,
    ts: { code: call('Math.exp') },
    numpy: { code: call('np.exp') },
    names: ['exp'],
    commands: ['exp'],
    math: ['exp'],
    python: ['exp'],
    rule: '(e^u)′ = e^u',
  },
  ln: {
    derivative: (u, _self, b) => b.pow(u, b.MINUS_ONE), // (ln u)' = 1/u
    cancels: 'exp',
    value: Math.log,
    latex: '\\ln',
    powerOnName: true,
    ts: { code: call('Math.log') },
    numpy: { code: call('np.log') },
    // `log` is natural; `\log_b` and log(x, b) are the parser's own
    names: ['ln', 'log'],
    commands: ['ln', 'log'],
    math: ['log'],
    python: ['log'],
    rule: '(ln u)′ = 1/u',
  },
  sin: {
    derivative: (u, _self, b) => b.fn('cos', u), // (sin u)' = cos u
    atZero: ZERO_AT_ZERO,
    value: Math.sin,
    ...command('sin'),
    powerOnName: true,
    ts: { code: call('Math.sin') },
    numpy: { code: call('np.sin') },
    math: ['sin'],
    python: ['sin'],
    inverse: 'arcsin',
    rule: '(sin u)′ = cos u',
  },
  cos: {
    derivative: (u, _self, b) => b.neg(b.fn('sin', u)), // (cos u)' = −sin u
    atZero: ONE_AT_ZERO,
    value: Math.cos,
    ...command('cos'),
    powerOnName: true,
    ts: { code: call('Math.cos') },
    numpy: { code: call('np.cos') },
    math: ['cos'],
    python: ['cos'],
    inverse: 'arccos',
    rule: '(cos u)′ = −sin u',
  },
  tan: {
    derivative: (u, _self, b) => b.pow(b.fn('cos', u), b.num(-2)), // (tan u)' = 1/cos²u
    atZero: ZERO_AT_ZERO,
    value: Math.tan,
    ...command('tan'),
    powerOnName: true,
    ts: { code: call('Math.tan') },
    numpy: { code: call('np.tan') },
    math: ['tan'],
    python: ['tan'],
    inverse: 'arctan',
    rule: '(tan u)′ = 1/cos²u',
  },
  cot: {
    derivative: (u, _self, b) => b.neg(b.pow(b.fn('sin', u), b.num(-2))), // (cot u)' = −1/sin²u
    value: (x) => 1 / Math.tan(x),
    ...command('cot'),
    powerOnName: true,
    ts: { code: (p) => `1 / Math.tan(${p})`, loose: 'product' },
    numpy: { code: (p) => `1 / np.tan(${p})`, loose: 'product' },
    math: [],
    python: [],
  },
  sec: {
    derivative: (u, self, b) => b.mul(self, b.fn('tan', u)), // (sec u)' = sec u tan u
    value: (x) => 1 / Math.cos(x),
    ...command('sec'),
    powerOnName: true,
    ts: { code: (p) => `1 / Math.cos(${p})`, loose: 'product' },
    numpy: { code: (p) => `1 / np.cos(${p})`, loose: 'product' },
    math: [],
    python: [],
  },
  csc: {
    derivative: (u, self, b) => b.neg(b.mul(self, b.fn('cot', u))), // (csc u)' = −csc u cot u
    value: (x) => 1 / Math.sin(x),
    ...command('csc'),
    powerOnName: true,
    ts: { code: (p) => `1 / Math.sin(${p})`, loose: 'product' },
    numpy: { code: (p) => `1 / np.sin(${p})`, loose: 'product' },
    math: [],
    python: [],
  },
  arcsin: {
    derivative: (u, _self, b) => b.pow(b.sub(b.ONE, b.pow(u, b.num(2))), b.num(-1, 2)), // 1/√(1−u²)
    atZero: ZERO_AT_ZERO,
    value: Math.asin,
    latex: '\\arcsin',
    names: ['arcsin', 'asin'],
    commands: ['arcsin'],
    ts: { code: call('Math.asin') },
    numpy: { code: call('np.arcsin') },
    math: ['asin'],
    python: ['arcsin', 'asin'],
  },
  arccos: {
    derivative: (u, _self, b) => b.neg(b.pow(b.sub(b.ONE, b.pow(u, b.num(2))), b.num(-1, 2))), // −1/√(1−u²)
    value: Math.acos,
    latex: '\\arccos',
    names: ['arccos', 'acos'],
    commands: ['arccos'],
    ts: { code: call('Math.acos') },
    numpy: { code: call('np.arccos') },
    math: ['acos'],
    python: ['arccos', 'acos'],
  },
  arctan: {
    derivative: (u, _self, b) => b.pow(b.add(b.ONE, b.pow(u, b.num(2))), b.MINUS_ONE), // 1/(1+u²)
    atZero: ZERO_AT_ZERO,
    value: Math.atan,
    latex: '\\arctan',
    names: ['arctan', 'atan'],
    commands: ['arctan'],
    ts: { code: call('Math.atan') },
    numpy: { code: call('np.arctan') },
    math: ['atan'],
    python: ['arctan', 'atan'],
  },
  sinh: {
    derivative: (u, _self, b) => b.fn('cosh', u), // (sinh u)' = cosh u
    atZero: ZERO_AT_ZERO,
    value: Math.sinh,
    ...command('sinh'),
    powerOnName: true,
    ts: { code: call('Math.sinh') },
    numpy: { code: call('np.sinh') },
    math: ['sinh'],
    python: ['sinh'],
    inverse: 'arsinh',
  },
  cosh: {
    derivative: (u, _self, b) => b.fn('sinh', u), // (cosh u)' = sinh u
    atZero: ONE_AT_ZERO,
    value: Math.cosh,
    ...command('cosh'),
    powerOnName: true,
    ts: { code: call('Math.cosh') },
    numpy: { code: call('np.cosh') },
    math: ['cosh'],
    python: ['cosh'],
    inverse: 'arcosh',
  },
  tanh: {
    derivative: (_u, self, b) => b.sub(b.ONE, b.pow(self, b.num(2))), // (tanh u)' = 1 − tanh²u
    atZero: ZERO_AT_ZERO,
    value: Math.tanh,
    ...command('tanh'),
    powerOnName: true,
    ts: { code: call('Math.tanh') },
    numpy: { code: call('np.tanh') },
    math: ['tanh'],
    python: ['tanh'],
    inverse: 'artanh',
    rule: '(tanh u)′ = 1 − tanh²u',
  },
  arsinh: {
    derivative: (u, _self, b) => b.pow(b.add(b.pow(u, b.num(2)), b.ONE), b.num(-1, 2)), // 1/√(u²+1)
    atZero: ZERO_AT_ZERO,
    value: Math.asinh,
    names: ['arsinh', 'arcsinh', 'asinh'],
    commands: ['arsinh'],
    ts: { code: call('Math.asinh') },
    numpy: { code: call('np.arcsinh') },
    math: ['asinh'],
    python: ['arcsinh', 'asinh'],
  },
  arcosh: {
    derivative: (u, _self, b) => b.pow(b.sub(b.pow(u, b.num(2)), b.ONE), b.num(-1, 2)), // 1/√(u²−1)
    value: Math.acosh,
    names: ['arcosh', 'arccosh', 'acosh'],
    commands: ['arcosh'],
    ts: { code: call('Math.acosh') },
    numpy: { code: call('np.arccosh') },
    math: ['acosh'],
    python: ['arccosh', 'acosh'],
  },
  artanh: {
    derivative: (u, _self, b) => b.pow(b.sub(b.ONE, b.pow(u, b.num(2))), b.MINUS_ONE), // 1/(1−u²)
    atZero: ZERO_AT_ZERO,
    value: Math.atanh,
    names: ['artanh', 'arctanh', 'atanh'],
    commands: ['artanh'],
    ts: { code: call('Math.atanh') },
    numpy: { code: call('np.arctanh') },
    math: ['atanh'],
    python: ['arctanh', 'atanh'],
  },
  sigma: {
    derivative: (_u, self, b) => b.times(self, b.sub(b.ONE, self)), // σ' = σ(1−σ)
    atZero: [1, 2],
    value: sigmoid,
    latex: '\\sigma',
    text: 'σ',
    ts: {
      code: call('sigmoid'),
      helper: 'sigmoid',
    },
    numpy: { code: (p) => `1 / (1 + np.exp(-${p}))`, loose: 'product' },
    names: ['sigma', 'sigmoid', 'logistic'],
    commands: ['sigmoid'],
    math: [],
    python: ['sigmoid', 'expit'],
    rule: 'σ′(u) = σ(u)(1 − σ(u))',
  },
  abs: {
    derivative: (u, _self, b) => b.fn('sign', u), // |u|' = sign u   (u ≠ 0)
    kink: true,
    atZero: ZERO_AT_ZERO,
    value: Math.abs,
    latex: (a) => `\\left|${a}\\right|`,
    text: (a) => `|${a}|`,
    ts: { code: call('Math.abs') },
    numpy: { code: call('np.abs') },
    names: ['abs'],
    commands: [],
    math: ['abs'],
    python: ['abs', 'absolute', 'fabs'],
    rule: '|u|′ = sign u, for u ≠ 0',
  },
  sign: {
    derivative: (u, _self, b) => b.zero(u.shape), // sign' = 0      (u ≠ 0)
    kink: true,
    atZero: ZERO_AT_ZERO,
    value: Math.sign,
    ts: { code: call('Math.sign') },
    numpy: { code: call('np.sign') },
    names: ['sign', 'sgn'],
    commands: ['sgn'],
    math: ['sign'],
    python: ['sign', 'sgn'],
  },
  /** Heaviside step 1[u > 0]: only ever a derivative (of ReLU on vectors), never read. */
  step: {
    derivative: (u, _self, b) => b.zero(u.shape), // step' = 0      (u ≠ 0)
    kink: true,
    atZero: ZERO_AT_ZERO,
    value: (x) => (x > 0 ? 1 : 0),
    latex: (a) => `\\mathbb{1}\\left[${a} > 0\\right]`,
    text: (a) => `1[${a} > 0]`,
    ts: { code: (p) => `(${p} > 0 ? 1 : 0)`, loose: 'choice' },
    numpy: { code: (p) => `np.heaviside(${p}, 0.0)` },
    names: [],
    commands: [],
    math: [],
    python: [],
  },
});

/** The element-wise functions' names, in the table's order. */
export const ELEMENTWISE_FUNCTIONS = Object.keys(ELEMENTWISE) as readonly UnaryFn[];

/** The record of an element-wise function, or undefined for a structural one (or any other name). */
export function elementwise(name: string): ElementwiseFunction | undefined {
  return ELEMENTWISE[name as UnaryFn];
}
