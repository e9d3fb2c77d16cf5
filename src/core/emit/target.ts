/** What the two targets share: emitted code with its precedence, and the interface each target implements. */
import type { EmitLanguage } from '../api';
import type { Condition, Dim, Shape } from '../expr';
import { elementwise, type Spelling } from '../functions';

/** Precedence of emitted code, the same in TypeScript and Python for what is emitted here. */
export const enum Prec {
  Choice = 1,
  Compare = 3,
  Sum = 4,
  Product = 5,
  Negative = 6,
  Power = 7,
  Atom = 9,
}

export interface Code {
  readonly text: string;
  readonly prec: Prec;
}

export const atom = (text: string): Code => ({ text, prec: Prec.Atom });
export const code = (text: string, prec: Prec): Code => ({ text, prec });
/** `c` as an operand that must bind at least as tightly as `min`. */
export const operand = (c: Code, min: Prec = Prec.Atom) => (c.prec < min ? `(${c.text})` : c.text);

export type BinaryOp = '+' | '-' | '*' | '**' | 'max' | 'min' | 'atan2';

/** Operator precedence and the minimum precedence of the left and right operands. */
const OPERATOR: Record<'+' | '-' | '*' | '**', [Prec, Prec, Prec]> = {
  '+': [Prec.Sum, Prec.Sum, Prec.Product],
  '-': [Prec.Sum, Prec.Sum, Prec.Product],
  '*': [Prec.Product, Prec.Product, Prec.Negative],
  '**': [Prec.Power, Prec.Atom, Prec.Atom],
};

export function infix(op: '+' | '-' | '*' | '**', a: Code, b: Code): Code {
  const [prec, left, right] = OPERATOR[op];
  return code(`${operand(a, left)} ${op} ${operand(b, right)}`, prec);
}

/** What differs between the two targets. */
export interface Target {
  readonly comment: string;
  reserved: ReadonlySet<string>;
  number(v: number): string;
  constant(name: 'pi' | 'e'): string;
  /** Size of a dimension read from a parameter: `x.length` or `x.shape[0]`. */
  size(param: string, axis: 0 | 1): string;
  special(name: 'identity' | 'ones' | 'zero', shape: Shape, size: (d: Dim) => string): Code;
  unary(name: string, arg: Code, shape: Shape): Code;
  binary(op: BinaryOp, a: Code, b: Code, shape: Shape): Code;
  negate(a: Code, shape: Shape): Code;
  matmul(a: Code, as: Shape, b: Code, bs: Shape): Code;
  transpose(a: Code, shape: Shape): Code;
  call(name: string, args: Code[], argShapes: Shape[]): Code;
  block(rows: string[][], shape: Shape): Code;
  condition(lhs: Code, op: Condition['op'], rhs: Code, scalar: boolean): string;
  choose(cases: { when: string; value: Code }[]): Code;
  /** The whole file: the header comment, the helpers it calls (runtime.ts or runtime.py, by name), the function. */
  file(header: string, helpers: readonly string[], fn: string): string;
  function(
    name: string,
    params: { name: string; shape: Shape }[],
    locals: [string, string][],
    result: string,
    returns: Shape[],
  ): string;
}

/** How a target writes an element-wise function of `p` (functions.ts), or the real cube root that odd roots use. */
export function spelling(name: string, language: EmitLanguage): Spelling {
  if (name === 'cbrt') return { code: (p) => `${language === 'ts' ? 'Math' : 'np'}.cbrt(${p})` };
  const phi = elementwise(name);
  if (!phi) throw new Error(`no element-wise function ${name}`);
  return language === 'ts' ? phi.ts : phi.numpy;
}

/** Precedence of a spelling written as an operator expression rather than a call. */
const LOOSE: Record<NonNullable<Spelling['loose']>, Prec> = { product: Prec.Product, choice: Prec.Choice };

/** The function of a scalar operand, bracketed as its spelling needs. */
export function applyScalar(s: Spelling, arg: Code): Code {
  return s.loose ? code(s.code(operand(arg)), LOOSE[s.loose]) : atom(s.code(arg.text));
}

export function isCall(op: BinaryOp): op is 'max' | 'min' | 'atan2' {
  return op === 'max' || op === 'min' || op === 'atan2';
}
