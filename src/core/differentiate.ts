/**
 * `differentiate(expression, options)`: the one entry point the CLI and the
 * extension call. It takes a `Derivation` (derivation.ts) and presents it
 * (named intermediates, factoring, printing), evaluates it, and adds the work
 * asked for (steps, check, code). `resultOf` presents a derivation already
 * made, so a caller can derive once and try each part of the work on its own.
 */
import type {
  CheckResult,
  Definition,
  DifferentiateOptions,
  DifferentiateResult,
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
import { type Condition, type Dim, type Expr, type Sym, isScalar, resolveDim, shapeText } from './expr';
import { requirePrintable } from './limits';
import { latex, text, toLatex, toText } from './print';
import { presentAll } from './present';
import { steps } from './steps';

export function differentiate(expression: string, options: DifferentiateOptions = {}): DifferentiateResult {
  const d = derivation(expression, options);
  return resultOf(d, options, {
    ...(options.steps ? { steps: steps(d) } : {}),
    ...(options.check ? { check: checkOf(d, expression, options) } : {}),
    ...(options.emit ? { emitted: emit(d, options.emit) } : {}),
  });
}

/** The work shown beside a derivative; each part is made from the derivation on its own and may fail on its own. */
export interface WorkDone {
  readonly steps?: readonly Step[];
  readonly check?: CheckResult;
  readonly emitted?: string;
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
  requirePrintable([...presented.exprs, ...presented.definitions.map((x) => x.value)]);
  const shown = parts.map((p, i) => ({ ...p, shown: { expr: presented.exprs[i] } }));
  const definitions = presented.definitions;
  const joinParts = (print: (e: Expr) => string, label: (p: Part) => string) =>
    shown.length === 1
      ? print(shown[0].shown.expr)
      : shown.map((p) => `${label(p)}${print(p.shown.expr)}`).join(', ');

  let code: string | undefined;
  return {
    op,
    layout,
    // The exported function costs as much as the rest together and a hover never reads it:
    // computed on first access (JSON.stringify still includes it, as an enumerable getter).
    get code() {
      return (code ??= exportedCode(d));
    },
    wrt: wrt.map(variableInfo),
    variables: program.variables.filter((v) => v.role === 'var').map(variableInfo),
    input: { latex: toLatex(f), text: toText(f), shape: shapeText(f.shape) },
    latex: joinParts(toLatex, (p) => `${partLabel(p, op, 'latex')} = `),
    text: joinParts(toText, (p) => `${partLabel(p, op, 'text')} = `),
    shape:
      shown.length === 1
        ? shapeText(shown[0].expr.shape)
        : shown.map((p) => shapeText(p.expr.shape)).join(', '),
    definitions: definitions.map(({ symbol, value }): Definition => ({
      latex: toLatex(symbol),
      text: `${toText(symbol)} = ${toText(value)}`,
      definitionLatex: `${toLatex(symbol)} = ${toLatex(value)}`,
    })),
    conditions: conditions.map((c) => ({ latex: latex.condition(c), text: text.condition(c) })),
    assumptions: assumptions(program, parts, wrt, op, layout, conditions),
    ...expandedForm(
      shown.map((p) => p.shown.expr),
      wrt,
    ),
    ...(options.at ? { value: valueAt(parts, program, options.at) } : {}),
    ...(program.usedDefinitions.length ? { usedDefinitions: program.usedDefinitions } : {}),
    ...work,
  };
}

/** The derivative as a TypeScript function over plain arrays, or why it cannot be exported. */
function exportedCode(d: Derivation): string {
  try {
    return emit(d, 'ts');
  } catch (e) {
    if (e instanceof LensError) return `// ${e.message}`;
    throw e;
  }
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

/** ∇ₓ for gradients and Hessians; ∂f/∂x for Jacobians and derivatives (a row in numerator layout is no gradient). */
function partLabel(p: Part, op: Operation, target: 'latex' | 'text'): string {
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
): string[] {
  const out = [
    op === 'evaluate'
      ? 'the derivatives written in the input, evaluated'
      : `${op} with respect to ${wrt.map((v) => v.name).join(', ')}`,
  ];
  for (const v of program.variables) {
    const why = program.reasons.get(v.name);
    out.push(`${v.name}: ${shapeText(v.shape)}${why ? ` (${why})` : ''}`);
  }
  out.push(`layout: ${layout}`);
  for (const note of new Set(parts.map((p) => formNote(p, program.body, op)))) if (note) out.push(note);
  if (conditions.length) out.push(`valid where ${conditions.map((c) => text.condition(c)).join(', ')}`);
  return out;
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
  const values = parts.map((p) => fromTensor(evaluate(p.expr, env), p.expr.shape.kind));
  return values.length === 1 ? values[0] : (values as Value[] as number[][]);
}
