/**
 * `differentiate(expression, options)`: the one entry point the CLI and the
 * extension call. It takes a `Derivation` (derivation.ts) and presents it
 * (named intermediates, factoring, printing), evaluates it, and adds the work
 * asked for (steps, check, code). `resultOf` presents a derivation already
 * made, so a caller can derive once and try each part of the work on its own.
 */
import type {
  Assumption,
  CheckResult,
  Definition,
  DifferentiateOptions,
  DifferentiateResult,
  EmitLanguage,
  Operation,
  Step,
  Value,
  VariableInfo,
} from './api';
import { checkDerivation, withConcreteSizes } from './check';
import { derivation, normalizeName, requireDerivative, type Derivation, type Part } from './derivation';
import type { Elaborated } from './elaborate';
import { emit } from './emit';
import { LensError } from './errors';
import { evaluate, fromTensor, toTensor, type Tensor } from './eval';
import { expandComponents } from './expand';
import {
  type Condition,
  type Dim,
  type Expr,
  type Shape,
  type Sym,
  dimText,
  isScalar,
  resolveDim,
  shapeText,
} from './expr';
import { requirePrintable } from './limits';
import { latex, latexText, text, toLatex, toText } from './print';
import { presentAll } from './present';
import { steps } from './steps';

export function differentiate(expression: string, options: DifferentiateOptions = {}): DifferentiateResult {
  const d = derivation(expression, options);
  return resultOf(d, options, {
    ...(options.steps ? { steps: steps(d) } : {}),
    ...(options.check ? { check: checkOf(d, expression, options) } : {}),
    ...(options.emit ? { code: codeOf(d, options.emit) } : {}),
  });
}

/** The work shown beside a derivative; each part is made from the derivation on its own and may fail on its own. */
export interface WorkDone {
  readonly steps?: readonly Step[];
  readonly check?: CheckResult;
  readonly code?: NonNullable<DifferentiateResult['code']>;
}

/** The derivative of `d` as a function in each of `languages`. */
export function codeOf(
  d: Derivation,
  languages: EmitLanguage | readonly EmitLanguage[],
): NonNullable<DifferentiateResult['code']> {
  const list: readonly EmitLanguage[] = typeof languages === 'string' ? [languages] : languages;
  return Object.fromEntries(list.map((language) => [language, emit(d, language)]));
}

/** The finite-difference check of `d`, at concrete sizes (symbolic ones small and random: see check.ts). */
export function checkOf(d: Derivation, expression: string, options: DifferentiateOptions): CheckResult {
  requireDerivative(d, 'finite-difference checks');
  return checkDerivation(
    withConcreteSizes(d, (dims) =>
      derivation(expression, { ...options, dims: { ...options.dims, ...dims } }),
    ),
    options.at,
  );
}

/** The result for a derivation made with `options`: presented, printed, evaluated at `options.at`, with `work`. */
export function resultOf(
  d: Derivation,
  options: DifferentiateOptions,
  work: WorkDone = {},
): DifferentiateResult {
  const { program, wrt, op, layout, parts, conditions } = d;
  const f = program.body;
  const presented = presentAll(parts.map((p) => p.expr));
  requirePrintable(presented.printed);
  // Part i is shown as presented.exprs[i].
  const shown = presented.exprs;
  const definitions = presented.definitions;
  // Each variable is described once, though the result names it up to three times (wrt, variables, assumptions).
  const infos = new Map<Sym, VariableInfo>();
  const info = (v: Sym): VariableInfo => {
    let i = infos.get(v);
    if (i === undefined) infos.set(v, (i = variableInfo(v)));
    return i;
  };
  // A column-by-column result always says what it is the Jacobian of, and for which columns.
  const joinParts = (print: (e: Expr) => string, label: (p: Part) => string, target: 'latex' | 'text') =>
    parts.length === 1 && !parts[0].columns
      ? print(shown[0])
      : parts.map((p, i) => `${label(p)}${print(shown[i])}${columnRange(p, target)}`).join(', ');

  // A hover reads the derivative's LaTeX; the text, the input and the assumptions are printed
  // when first read, once, as the code export is made only when asked for (see PRINTED_LATER).
  const later: PrintedLater = {
    input: once(() => ({ latex: toLatex(f), text: toText(f), shape: shapeText(f.shape) })),
    text: once(() => joinParts(toText, (p) => `${partLabel(p, op, 'text')} = `, 'text')),
    assumptions: once(() => assumptions(program, parts, wrt, op, layout, conditions, info)),
  };
  const result = {
    op,
    layout,
    wrt: wrt.map(info),
    variables: program.variables.filter((v) => v.role === 'var').map(info),
    latex: joinParts(toLatex, (p) => `${partLabel(p, op, 'latex')} = `, 'latex'),
    shape: parts.map((p) => shapeText(p.expr.shape)).join(', '),
    definitions: definitions.map(({ symbol, value }): Definition => ({
      latex: toLatex(symbol),
      text: `${toText(symbol)} = ${toText(value)}`,
      definitionLatex: `${toLatex(symbol)} = ${toLatex(value)}`,
    })),
    conditions: conditions.map((c) => ({ latex: latex.condition(c), text: text.condition(c) })),
    ...(parts.some((p) => p.columns) ? {} : expandedForm(shown, wrt)),
    ...(options.at ? { value: valueAt(parts, program, options.at) } : {}),
    ...(program.usedDefinitions.length ? { usedDefinitions: program.usedDefinitions } : {}),
    ...work,
  };
  // Not enumerable: a copy (spread, JSON, postMessage, deepEqual) has the printed fields, not their printers.
  Object.defineProperty(result, LATER, { value: later });
  // One defineProperty per field: defineProperties re-reads every descriptor, about twice the time.
  for (const [field, descriptor] of PRINTED_LATER) Object.defineProperty(result, field, descriptor);
  return result as typeof result & Pick<DifferentiateResult, Later>;
}

/**
 * The fields of a result printed on first read, each made by its own function: the larger ones
 * (defining a getter costs about what printing a small field does).
 */
type Later = 'input' | 'text' | 'assumptions';
type PrintedLater = { readonly [K in Later]: () => DifferentiateResult[K] };
const LATER = Symbol('printed later');

/**
 * Own, enumerable getters, so that JSON and structured clone (a worker's postMessage) see every
 * field, and one getter per field shared by all results: getters made per result would give each
 * result a hidden class of its own, which V8 keeps in the old generation, and everything the
 * result reaches would then outlive each young-generation collection (garbage collection grew
 * to a quarter of the time).
 */
const PRINTED_LATER: readonly (readonly [Later, PropertyDescriptor])[] = (
  ['input', 'text', 'assumptions'] satisfies Later[]
).map((field) => [
  field,
  {
    enumerable: true,
    get(this: { readonly [LATER]: PrintedLater }) {
      return this[LATER][field]();
    },
  },
]);

/** `compute()` on the first call, the same value after. */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** The explicit matrices, when sizes are concrete and a result is in matrix form. */
function expandedForm(results: readonly Expr[], wrt: readonly Sym[]): Pick<DifferentiateResult, 'expanded'> {
  if (wrt.every(isScalar)) return {};
  // Expanded after naming, so softmax's Jacobian reads s₁(1 − s₁), −s₁s₂, … as in the notes.
  const expanded = results.map(expandComponents);
  if (expanded.some((e) => e === undefined)) return {};
  const join = (print: (e: Expr) => string) => expanded.map((e) => print(e!)).join(', ');
  return { expanded: { latex: join(toLatex), text: join(toText) } };
}

/** `, j = 1, …, m` after a column-by-column Jacobian: one per column of the variable. */
function columnRange(p: Part, target: 'latex' | 'text'): string {
  const v = p.wrt[0];
  if (!p.columns || v.shape.kind !== 'matrix') return '';
  const count = dimText(v.shape.n);
  return target === 'latex' ? `,\\ j = 1, \\dots, ${count}` : `, j = 1, …, ${count}`;
}

/** ∇ₓ for gradients and Hessians; ∂f/∂x for Jacobians and derivatives (a row in numerator layout is no gradient). */
function partLabel(p: Part, op: Operation, target: 'latex' | 'text'): string {
  if (p.columns) {
    const { output, input } = p.columns;
    return target === 'latex'
      ? `\\frac{\\partial ${toLatex(output)}}{\\partial ${toLatex(input)}}`
      : `∂${toText(output)}/∂${toText(input)}`;
  }
  const names = [...p.wrt, ...(p.by ? [p.by] : [])]
    .map((v) => (target === 'latex' ? toLatex(v) : toText(v)))
    .join(',');
  if (target === 'latex') {
    if (op === 'gradient') return `\\nabla_{${names}}`;
    if (op === 'hessian') return `\\nabla^2_{${names}}`;
    return `\\frac{\\partial f}{\\partial ${names}}`;
  }
  if (op === 'gradient') return `∇_${names}`;
  if (op === 'hessian') return `∇²_${names}`;
  return `∂f/∂${names}`;
}

function variableInfo(v: Sym): VariableInfo {
  const s = v.shape;
  const dims =
    s.kind === 'scalar' ? [1] : s.kind === 'matrix' ? [dimValue(s.m), dimValue(s.n)] : [dimValue(s.n)];
  return { name: v.name, shape: shapeText(s), dims, latex: toLatex(v) };
}

function dimValue(d: Parameters<typeof resolveDim>[0]): number | string {
  const r = resolveDim(d);
  return typeof r === 'object' ? `?${r.id}` : r;
}

/** How a derivative of or by a matrix is arranged, when it is no plain matrix of partial derivatives. */
function formNote(part: Part, f: Expr, op: Operation): string | undefined {
  const v = part.wrt.length === 1 && !part.by ? part.wrt[0] : undefined;
  if (!v) return undefined;
  if (part.columns)
    return `column by column: softmax acts on each column of ${v.name} (a sample) on its own; shown is the Jacobian of column j of the result by column j of ${v.name}, every other block is 0`;
  if (part.entrywise)
    return `entry by entry: entry (i, j) is ∂f_ij/∂${v.name}_ij (f is element-wise in ${v.name}; every other partial derivative is 0)`;
  const vec = 'where vec stacks the columns of a matrix';
  if (v.shape.kind === 'matrix' && op === 'hessian') return `Kronecker form: ∂²f/∂vec(${v.name})², ${vec}`;
  if (v.shape.kind === 'matrix' && !isScalar(f)) return `Kronecker form: ∂vec(f)/∂vec(${v.name}), ${vec}`;
  if (v.shape.kind === 'vector' && f.shape.kind === 'matrix')
    return `Kronecker form: ∂vec(f)/∂${v.name}, ${vec}`;
  return undefined;
}

function assumptions(
  program: Elaborated,
  parts: readonly Part[],
  wrt: readonly Sym[],
  op: Operation,
  layout: string,
  conditions: readonly Condition[],
  info: (v: Sym) => VariableInfo,
): Assumption[] {
  const statement = (s: string): Assumption => ({ latex: latexText(s), text: s });
  const out: Assumption[] = [
    op === 'evaluate'
      ? statement('the derivatives written in the input, evaluated')
      : {
          // The operation and the layout are plain words: nothing in them to escape.
          latex: `\\text{${op} with respect to }${wrt.map((v) => info(v).latex).join(', ')}`,
          text: `${op} with respect to ${wrt.map((v) => v.name).join(', ')}`,
        },
  ];
  for (const v of program.variables) {
    const reason = program.reasons.get(v.name);
    const { shape, latex: name } = info(v);
    out.push({
      latex: `${name} \\in ${shapeLatex(v.shape)}${reason ? `\\ (${latexText(reason)})` : ''}`,
      text: `${v.name}: ${shape}${reason ? ` (${reason})` : ''}`,
      name: v.name,
      shape,
      ...(reason ? { reason } : {}),
    });
  }
  const symmetric = program.variables.filter((v) => program.symmetric.has(v.name)).map((v) => v.name);
  if (symmetric.length)
    out.push(
      statement(
        `${symmetric.join(', ')} symmetric: the derivative is the unconstrained one, simplified with each equal to its transpose`,
      ),
    );
  out.push({ latex: `\\text{layout: ${layout}}`, text: `layout: ${layout}` });
  for (const note of new Set(parts.map((p) => formNote(p, program.body, op))))
    if (note) out.push(statement(note));
  if (conditions.length)
    out.push({
      latex: `${latexText('valid where ')}${conditions.map((c) => latex.condition(c)).join(',\\ ')}`,
      text: `valid where ${conditions.map((c) => text.condition(c)).join(', ')}`,
    });
  return out;
}

/** ℝ, ℝⁿ, ℝ^{m×n}: the set a variable of shape `s` lies in. */
function shapeLatex(s: Shape): string {
  // A size is a number or a name (`n`, `n_1`), which read the same in math; anything else as text.
  const dim = (d: Dim) => {
    const t = dimText(d);
    return /^\w+$/.test(t) ? t : latexText(t);
  };
  switch (s.kind) {
    case 'scalar':
      return '\\mathbb{R}';
    case 'vector':
      return `\\mathbb{R}^{${dim(s.n)}}`;
    case 'row':
      return `\\mathbb{R}^{1 \\times ${dim(s.n)}}`;
    case 'matrix':
      return `\\mathbb{R}^{${dim(s.m)} \\times ${dim(s.n)}}`;
  }
}

function valueAt(parts: readonly Part[], program: Elaborated, at: Readonly<Record<string, Value>>): Value {
  const env = new Map<string, Tensor>();
  for (const [name, v] of Object.entries(at)) env.set(normalizeName(name), toTensor(v));
  // Size names used as numbers (1/N beside \sum_{i=1}^{N}) take the sizes the values fixed.
  for (const v of program.declared) {
    const s = v.shape;
    const sizes = s.kind === 'matrix' ? [s.m, s.n] : s.kind === 'scalar' ? [] : [s.n];
    for (const d of sizes) {
      const size = resolveDim(d);
      if (typeof size !== 'number') continue;
      for (let c: Dim | undefined = d; typeof c === 'object'; c = c.parent)
        if (c.name && !env.has(c.name)) env.set(c.name, size);
    }
  }
  for (const v of program.variables) {
    if (!env.has(v.name)) throw new LensError(`no value given for ${v.name}`);
  }
  if (parts.some((p) => p.columns))
    throw new LensError(
      'the column-by-column Jacobians have no single value to show; ask for a scalar of them',
    );
  const values = parts.map((p) => fromTensor(evaluate(p.expr, env), p.expr.shape.kind));
  return values.length === 1 ? values[0] : (values as Value[] as number[][]);
}
