/**
 * The derivation pipeline: parse → elaborate → differential → extract
 * (gradient, Jacobian, Hessian in the requested layout, or a vec/entry-by-entry
 * form), giving a `Derivation`. Nothing here prints or evaluates: the façade
 * (differentiate.ts) presents a derivation, and the steps, the numeric check
 * and the code export each work from one on their own.
 */
import type { DifferentiateOptions, EmitLanguage, Layout, Operation } from './api';
import { isValue } from './value';
import { differential, type DifferentialContext } from './diff';
import {
  defaultVariables,
  elaborate,
  elaborateAll,
  type DeriveFunction,
  type ElaborateOptions,
  type Elaborated,
} from './elaborate';
import { LensError } from './errors';
import {
  type Condition,
  type Expr,
  type Sym,
  dependsOn,
  dimText,
  isScalar,
  resolveDim,
  shapeText,
} from './expr';
import {
  gradientFromDifferential,
  hasDifferential,
  jacobianFromDifferential,
  vecJacobianFromDifferential,
} from './extract';
import { detectLanguage } from './parse/detect';
import { parseLatex, parseLatexDeclarations, parseLatexDefinition } from './parse/latex';
import { MAX_WRAPPERS } from './parse/latex-names';
import type { DefinitionSyntax, ParsedInput, PythonLibrary } from './parse/syntax';
import { parsePython } from './parse/python';
import { parseTypeScript } from './parse/typescript';
import { liftPiecewise, mayBranch, perBranch } from './piecewise';
import {
  ONE,
  ZERO,
  add,
  block,
  fn,
  hadamard,
  matmul,
  mul,
  ones,
  readSymmetric,
  sub,
  sym,
  transpose,
} from './simplify';
import { ResultSize } from './limits';
import { ACCENTS, alternation, BOLD_COMMANDS, GREEK_COMMANDS, TEXT_COMMANDS } from './vocabulary';

/** A derivative before printing: one expression, or one per variable when they cannot be stacked. */
export interface Part {
  readonly wrt: readonly Sym[];
  readonly expr: Expr;
  /** A block ∂²f/∂wrt∂by of a Hessian with respect to several variables (rows: wrt, columns: by). */
  readonly by?: Sym;
  /** f is element-wise in the matrix wrt: entry (i, j) is ∂f_ij/∂X_ij, every other partial derivative is 0. */
  readonly entrywise?: boolean;
  /**
   * f acts on each column of the matrix wrt on its own (softmax of a matrix whose columns are
   * samples): expr is the Jacobian of column j of f by column j of wrt, written with `output`
   * (column j of f, 𝐬^{(j)}) and `input` (column j of wrt, 𝐱^{(j)}), for every column j; every
   * other block is 0.
   */
  readonly columns?: { readonly output: Sym; readonly input: Sym };
}

/** `functions`: names defined as functions (`k(\mathbf{x}) = …`), so that `k(A\mathbf{u})` is k applied. */
export function parseInput(
  expression: string,
  lang = detectLanguage(expression),
  functions?: ReadonlySet<string>,
): ParsedInput {
  if (lang === 'python') return parsePython(expression);
  return lang === 'ts' ? parseTypeScript(expression) : parseLatex(expression, functions);
}

/** `\mathbf{x}`, `\pmb x`, `\mathrm{x}`, `\hat{z}`: a wrapper around a name (innermost first). */
const WRAPPED_NAME = new RegExp(
  `\\\\(${alternation([...BOLD_COMMANDS, ...TEXT_COMMANDS, ...ACCENTS.keys()])})(?![A-Za-z])\\s*(?:\\{([^{}]*)\\}|(\\\\[A-Za-z]+|[A-Za-z0-9]))`,
  'g',
);

/** `\mathbf{x}` → `x`, `\theta` → `theta`, `\hat{z}` → `z_hat`, `x_{1}` → `x_1`: as the LaTeX parser names them. */
export function normalizeName(name: string): string {
  // Most names are already plain (`x`, `x_1`, `theta`): nothing below would change them.
  if (/^[A-Za-z0-9_]+$/.test(name)) return name;
  let s = name
    .trim()
    // W^{(1)}, a^{[l]}, x^{\{i\}}: a layer or sample index, named W_(1), a_[l], x_{i} (see the LaTeX parser);
    // the braces of x_{i} are held as \u0001 \u0002 until the others are stripped.
    .replace(/\^\{\s*(\(|\[|\\\{)([^()[\]\\{}]*)(?:\)|\]|\\\})\s*\}/g, (_, open: string, index: string) =>
      open === '(' ? `_(${index})` : open === '[' ? `_[${index}]` : `_\u0001${index}\u0002`,
    );
  // A pass per level of nesting; the parser reads no name with more wrappers than this.
  for (let pass = 0, before = ''; pass < MAX_WRAPPERS && before !== s; pass++) {
    before = s;
    s = s.replace(WRAPPED_NAME, (_, command: string, braced?: string, bare?: string) => {
      const inner = braced ?? bare ?? '';
      const accent = ACCENTS.get(command);
      return accent === undefined ? inner : `${inner}_${accent}`;
    });
  }
  return s
    .replace(/\\([A-Za-z]+)/g, (_, command: string) => GREEK_COMMANDS.get(command) ?? command)
    .replace(/\\/g, '')
    .replace(/[{}\s]/g, '')
    .replaceAll('\u0001', '{')
    .replaceAll('\u0002', '}');
}

/** What a value is, for messages: `a string ('x')`, `null`, `an array`. */
function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string ('${v.length > 20 ? `${v.slice(0, 20)}…` : v}')`;
  if (typeof v === 'number') return `the number ${v}`;
  return `${typeof v === 'object' ? 'an' : 'a'} ${typeof v}`;
}

const EMIT_LANGUAGES: readonly EmitLanguage[] = ['ts', 'numpy', 'torch', 'jax'];
// The allowed values, made once (validation runs on every call).
const LANGUAGES: readonly string[] = ['latex', 'ts', 'python'];
const OPERATIONS: readonly string[] = ['gradient', 'jacobian', 'hessian', 'derivative', 'evaluate'];
const LAYOUTS: readonly string[] = ['numerator', 'denominator'];
const FLAGS = ['steps', 'check'] as const;

function requireOneOf(what: string, value: unknown, allowed: readonly string[]): void {
  if (value !== undefined && !allowed.includes(value as string))
    throw new LensError(`${what} must be one of ${allowed.join(', ')}, got ${describeValue(value)}`);
}

function requireStrings(what: string, value: unknown): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((x) => typeof x === 'string'))
    throw new LensError(`${what} must be an array of strings, got ${describeValue(value)}`);
}

function requireRecord(what: string, value: unknown): value is Record<string, unknown> {
  if (value === undefined) return false;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new LensError(`${what} must be an object, got ${describeValue(value)}`);
  return true;
}

/**
 * The API's one check of its arguments: a JavaScript caller (or a settings file)
 * can pass anything, and a wrong type must be a message, not a TypeError deep
 * inside or a value silently read as something else. Unknown keys are ignored.
 */
function validateOptions(expression: unknown, options: unknown): asserts options is DifferentiateOptions {
  if (typeof expression !== 'string')
    throw new LensError(`the expression must be a string, got ${describeValue(expression)}`);
  if (!requireRecord('the options', options)) return;
  const o = options as { [K in keyof DifferentiateOptions]?: unknown };
  requireOneOf('lang', o.lang, LANGUAGES);
  requireOneOf('op', o.op, OPERATIONS);
  requireOneOf('layout', o.layout, LAYOUTS);
  // One language, or a list of them (where undefined is no language).
  if (Array.isArray(o.emit)) {
    for (const language of o.emit)
      if (!EMIT_LANGUAGES.includes(language as EmitLanguage))
        throw new LensError(
          `emit lists languages ${EMIT_LANGUAGES.join(', ')}, got ${describeValue(language)}`,
        );
  } else requireOneOf('emit', o.emit, EMIT_LANGUAGES);
  requireStrings('wrt', o.wrt);
  requireStrings('declarations', o.declarations);
  requireStrings('definitions', o.definitions);
  for (const flag of FLAGS) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean')
      throw new LensError(`${flag} must be true or false, got ${describeValue(o[flag])}`);
  }
  if (requireRecord('conventions', o.conventions)) {
    requireStrings('conventions.vectors', o.conventions.vectors);
    requireStrings('conventions.matrices', o.conventions.matrices);
  }
  if (requireRecord('at', o.at)) {
    for (const [name, v] of Object.entries(o.at)) {
      if (!isValue(v))
        throw new LensError(
          `the value of ${name} must be a number, an array of numbers or a rectangular array of arrays, got ${describeValue(v)}`,
        );
    }
  }
  if (requireRecord('dims', o.dims)) {
    for (const [name, n] of Object.entries(o.dims)) {
      if (!Number.isSafeInteger(n) || (n as number) < 1)
        throw new LensError(`the size ${name} must be a whole number of at least 1, got ${describeValue(n)}`);
    }
  }
}

/** A derivative before presentation: what the CLI's --steps, --check and --emit work from. */
export interface Derivation {
  readonly program: Elaborated;
  readonly wrt: readonly Sym[];
  readonly op: Operation;
  readonly layout: 'numerator' | 'denominator';
  readonly parts: readonly Part[];
  readonly conditions: readonly Condition[];
  /** For Python input: the library it calls, which exported code should use too. */
  readonly library?: PythonLibrary;
}

export function derivation(expression: string, options: DifferentiateOptions = {}): Derivation {
  validateOptions(expression, options);
  const definitions = definitionsOf(options.definitions);
  const parsed = parseInput(expression, options.lang, functionNames(definitions));
  const layout = options.layout ?? 'numerator';
  const ctx: DifferentialContext = { conditions: [] };
  const program = elaborate(
    parsed,
    elaborateOptions(
      options,
      layout,
      ctx,
      definitions,
      options.at && Object.fromEntries(Object.entries(options.at).map(([k, v]) => [normalizeName(k), v])),
    ),
  );
  const library = parsed.python?.library;
  const f = program.body;
  // The input states its derivatives (∂/∂x …, ∇ₓ …): its value is the answer, unless variables are asked for.
  const asked = options.op !== undefined || (options.wrt !== undefined && options.wrt.length > 0);
  if (options.op === 'evaluate' || (!asked && program.evaluatesDerivatives))
    return withLibrary(
      {
        program,
        wrt: [],
        op: 'evaluate',
        layout,
        parts: [{ wrt: [], expr: readSymmetric(f, program.symmetric) }],
        conditions: ctx.conditions,
      },
      library,
    );
  const wrt = chooseVariables(program, options.wrt);
  const op: Operation = options.op ?? (isScalar(f) ? 'gradient' : 'jacobian');
  const parts = derive(f, wrt, op, layout, ctx).map((p) => ({
    ...p,
    expr: readSymmetric(p.expr, program.symmetric),
  }));
  return withLibrary({ program, wrt, op, layout, parts, conditions: ctx.conditions }, library);
}

/** `d`, with the Python library when there is one (no key at all otherwise). */
function withLibrary(d: Derivation, library: PythonLibrary | undefined): Derivation {
  return library === undefined ? d : { ...d, library };
}

/** Steps and checks are of a derivative taken; an input that writes its derivatives (`op` evaluate) has none. */
export function requireDerivative(d: Derivation, work: string): void {
  if (d.op === 'evaluate')
    throw new LensError(
      `${work} are shown for a derivative to take; this expression writes its derivatives and is evaluated`,
    );
}

/** What `evaluateAll` needs of the options: how to read the expressions, not what to compute. */
export type EvaluateOptions = Pick<
  DifferentiateOptions,
  'lang' | 'layout' | 'declarations' | 'conventions' | 'dims' | 'definitions'
> &
  Pick<ElaborateOptions, 'values' | 'samples'>;

export interface Evaluated {
  /** One per expression, derivative notation evaluated and definitions substituted. */
  readonly exprs: readonly Expr[];
  /** The one symbol table they share (variables, sizes, kinds, used definitions); `body` is the first expression. */
  readonly program: Elaborated;
  /** Where the derivatives evaluated hold (away from kinks). */
  readonly conditions: readonly Condition[];
}

/**
 * The sides of `\nabla_{\mathbf{x}} \|\mathbf{x}\|^2 = 2\mathbf{x}`, elaborated together: a name is the
 * same variable, with the same size, in every expression, and kinds are inferred from all of them.
 * A LensError's `side` says which expression (0-based) its column is in.
 */
export function evaluateAll(expressions: readonly string[], options: EvaluateOptions = {}): Evaluated {
  for (const e of expressions) validateOptions(e, options);
  if (expressions.length === 0) throw new LensError('nothing to evaluate: no expressions given');
  const definitions = definitionsOf(options.definitions);
  const functions = functionNames(definitions);
  const parsed = expressions.map((e, side) => {
    try {
      return parseInput(e, options.lang, functions);
    } catch (err) {
      if (err instanceof LensError) throw new LensError(err.message, err.span, side);
      throw err;
    }
  });
  const ctx: DifferentialContext = { conditions: [] };
  const { exprs, program } = elaborateAll(
    parsed,
    elaborateOptions(options, options.layout ?? 'numerator', ctx, definitions),
  );
  return {
    exprs: exprs.map((e) => readSymmetric(e, program.symmetric)),
    program,
    conditions: ctx.conditions,
  };
}

/** The options of elaboration common to `derivation` and `evaluateAll`. */
function elaborateOptions(
  options: EvaluateOptions,
  layout: Layout,
  ctx: DifferentialContext,
  definitions: ReadonlyMap<string, DefinitionSyntax>,
  at?: ElaborateOptions['at'],
): ElaborateOptions {
  // One object literal of one shape (no spreads): this is made on every call.
  return {
    // An entry may declare several names (`A, B \in \mathbb{S}^n`), as a document does.
    declarations: options.declarations?.length
      ? options.declarations.flatMap(parseLatexDeclarations)
      : undefined,
    conventions: options.conventions,
    dims: options.dims,
    at,
    layout,
    derive: deriveFunction(layout, ctx),
    definitions,
    values: options.values,
    samples: options.samples,
  };
}

/** Derivative notation's derivatives: one expression, as the notation denotes it. */
function deriveFunction(layout: Layout, ctx: DifferentialContext): DeriveFunction {
  return (f, wrt, op, direction) => {
    if (direction) return byScalar(liftPiecewise(differential(f, wrt[0], direction, ctx)), layout);
    const parts = derive(f, wrt, op, layout, ctx);
    const names = wrt.map((v) => v.name).join(', ');
    if (parts.length !== 1)
      throw new LensError(
        `the derivative by ${names} has no single matrix form; differentiate by one variable at a time`,
      );
    if (parts[0].entrywise || parts[0].columns) throw tensorError(f, wrt[0]);
    return parts[0].expr;
  };
}

/** The names defined with parameters, `k` of `k(\mathbf{x}) = …`: applied anywhere, they are functions. */
function functionNames(definitions: ReadonlyMap<string, DefinitionSyntax>): ReadonlySet<string> | undefined {
  if (definitions.size === 0) return undefined;
  return new Set([...definitions].filter(([, d]) => d.params).map(([name]) => name));
}

/** No definitions: shared, as most calls have none. */
const NO_DEFINITIONS: ReadonlyMap<string, DefinitionSyntax> = new Map();

/** Each name's definition in effect: the last one (a definition may use the others, functions among them). */
function definitionsOf(
  lines: readonly string[] | undefined,
  functions?: ReadonlySet<string>,
): ReadonlyMap<string, DefinitionSyntax> {
  if (!lines?.length) return NO_DEFINITIONS;
  const byName = new Map<string, DefinitionSyntax>();
  lines.forEach((line, i) => {
    let defs: DefinitionSyntax[];
    try {
      defs = parseLatexDefinition(line, functions);
    } catch (e) {
      if (e instanceof LensError) throw new LensError(`definition ${i + 1}: ${e.message}`);
      throw e;
    }
    for (const d of defs) byName.set(normalizeName(d.name), d);
  });
  // Read again knowing every defined function, when one definition applies another: h(x) = k(x).
  const names = functions ? undefined : functionNames(byName);
  return names?.size ? definitionsOf(lines, names) : byName;
}

function chooseVariables(program: Elaborated, requested: readonly string[] | undefined): Sym[] {
  if (requested && requested.length) {
    const seen = new Set<string>();
    return requested.map((raw) => {
      const name = normalizeName(raw);
      if (seen.has(name)) throw new LensError(`${name} is given twice in the variables to differentiate by`);
      seen.add(name);
      // A variable is also declared: one that is not may still be (declared but unused).
      return (
        program.variables.find((v) => v.name === name) ??
        program.declared.find((v) => v.name === name) ??
        notAVariable(program, name)
      );
    });
  }
  if (program.params) {
    if (program.params.length === 0)
      throw new LensError(
        'nothing to differentiate: the function has no parameters (choose variables with wrt)',
      );
    // f(𝐱) = 3x_1² + 5e^{x_2}: the parameter is the vector, the body uses its components.
    return program.params.flatMap((p) => {
      if (isScalar(p) || dependsOn(program.body, p.name)) return [p];
      const components = program.variables.filter((v) => v.name.startsWith(`${p.name}_`) && isScalar(v));
      components.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
      return components.length ? components : [p];
    });
  }
  const free = program.variables.filter((v) => v.role === 'var');
  if (free.length === 0) throw new LensError('nothing to differentiate: the expression has no variables');
  return defaultVariables(free);
}

function derive(
  f: Expr,
  wrt: readonly Sym[],
  op: Operation,
  layout: 'numerator' | 'denominator',
  ctx: DifferentialContext,
): Part[] {
  const size = new ResultSize();
  if (wrt.every(isScalar)) return [{ wrt, expr: deriveScalars(f, wrt, op, layout, ctx, size) }];
  if (op === 'hessian' && wrt.length > 1) return hessianBlocks(f, wrt, ctx, size);
  return wrt.map((v) => {
    try {
      const expr = deriveOne(f, v, op, layout, ctx, size);
      size.add(expr);
      return { wrt: [v], expr };
    } catch (e) {
      // σ(X) by X has no Kronecker form here, but is simply σ(X) ⊙ (1 − σ(X)) entry by entry: a
      // Jacobian's other form. A gradient (of a scalar) or Hessian it is not, so those stay refused.
      const other = e instanceof LensError && op !== 'hessian' && op !== 'gradient';
      const entrywise = other ? entrywiseDerivative(f, v, ctx) : undefined;
      if (entrywise) {
        size.add(entrywise);
        return { wrt: [v], expr: entrywise, entrywise: true };
      }
      const columns = other ? columnwiseDerivative(f, v) : undefined;
      if (columns) return columns;
      throw e;
    }
  });
}

/**
 * softmax(X) by X, X a matrix of column samples: one Jacobian per column,
 * ∂𝐬^{(j)}/∂𝐱^{(j)} = diag(𝐬^{(j)}) − 𝐬^{(j)}𝐬^{(j)ᵀ} (columns do not mix: every other block is 0).
 */
function columnwiseDerivative(f: Expr, v: Sym): Part | undefined {
  if (v.shape.kind !== 'matrix' || f.type !== 'fn' || f.name !== 'softmax') return undefined;
  const x = f.args[0];
  if (x.type !== 'sym' || x.name !== v.name) return undefined;
  const column = { kind: 'vector', n: v.shape.m } as const;
  const output = sym('s_(j)', column, 'intermediate');
  const input = sym(`${v.name.toLowerCase()}_(j)`, column, 'intermediate');
  return {
    wrt: [v],
    expr: sub(fn('diag', output), matmul(output, transpose(output))),
    columns: { output, input },
  };
}

/** D with df = D ⊙ dX, when f is a matrix function element-wise in the matrix X (every branch). */
function entrywiseDerivative(f: Expr, v: Sym, ctx: DifferentialContext): Expr | undefined {
  if (v.shape.kind !== 'matrix' || f.shape.kind !== 'matrix') return undefined;
  const dv = sym(v.name, v.shape, 'differential');
  let ok = true;
  const d = perBranch(differential(f, v, dv, ctx), (df) => {
    const factor = entrywiseFactor(df, dv);
    if (!factor) ok = false;
    return factor ?? df;
  });
  return ok ? d : undefined;
}

function entrywiseFactor(df: Expr, dv: Expr): Expr | undefined {
  if (df.type === 'sym' && df.role === 'differential') return df === dv ? ones(dv.shape) : undefined;
  if (df.type === 'add') {
    const terms = df.terms.map((t) => entrywiseFactor(t, dv));
    return terms.every((t) => t !== undefined) ? add(...(terms as Expr[])) : undefined;
  }
  if (df.type === 'mul' || df.type === 'hadamard') {
    const i = df.factors.findIndex(hasDifferential);
    const others = df.factors.filter((_, j) => j !== i);
    if (i < 0 || others.some(hasDifferential)) return undefined;
    // Scalars may scale it (3σ(X)); any other factor must multiply entry by entry.
    if (df.type === 'mul' && others.some((o) => !isScalar(o))) return undefined;
    const inner = entrywiseFactor(df.factors[i], dv);
    return inner && (df.type === 'mul' ? mul(...others, inner) : hadamard(...others, inner));
  }
  return undefined;
}

/**
 * The joint Hessian with respect to several variables, not all scalars: one
 * block ∂²f/∂vᵢ∂vⱼ per pair, mixed blocks included (𝐱ᵀA𝐲 → [[0, A], [Aᵀ, 0]]).
 * Block (i, j) is the Jacobian of ∇_{vᵢ}f with respect to vⱼ; the whole is
 * symmetric, so the layout does not change it.
 */
function hessianBlocks(f: Expr, wrt: readonly Sym[], ctx: DifferentialContext, size: ResultSize): Part[] {
  if (!isScalar(f))
    throw new LensError(`the Hessian needs a scalar function, this one is a ${shapeText(f.shape)}`);
  const matrix = wrt.find((v) => v.shape.kind === 'matrix');
  if (matrix)
    throw new LensError(
      `the Hessian with respect to the matrix ${matrix.name} together with other variables has no matrix form to show; ask for it alone`,
    );
  const gradients = wrt.map((v) => deriveOne(f, v, 'gradient', 'numerator', ctx, size));
  return wrt.flatMap((vi, i) =>
    wrt.map((vj) => {
      const expr = deriveOne(gradients[i], vj, 'jacobian', 'numerator', ctx, size);
      size.add(expr);
      return { wrt: [vi], by: vj, expr };
    }),
  );
}

/** Derivatives with respect to several scalar variables, stacked as the textbook does. */
function deriveScalars(
  f: Expr,
  wrt: readonly Sym[],
  op: Operation,
  layout: string,
  ctx: DifferentialContext,
  size: ResultSize,
): Expr {
  // e is f or a derivative of it: none has a piecewise node to lift unless f may branch.
  const lift = mayBranch(f);
  const partial = (e: Expr, v: Sym) => {
    const d = differential(e, v, ONE, ctx);
    return lift ? liftPiecewise(d) : d;
  };
  // Entries are counted as they are made, so a result too large to show is refused early.
  const entry = (e: Expr, v: Sym) => {
    const d = partial(e, v);
    size.add(d);
    return d;
  };
  if (op === 'hessian') {
    if (!isScalar(f))
      throw new LensError(`the Hessian needs a scalar function, this one is a ${shapeText(f.shape)}`);
    const firsts = wrt.map((v) => partial(f, v));
    return block(wrt.map((_, i) => wrt.map((vj) => entry(firsts[i], vj))));
  }
  if (wrt.length === 1) {
    const d = entry(f, wrt[0]);
    if (op === 'gradient' && !isScalar(f)) throw gradientOfVector(f);
    return byScalar(d, layout);
  }
  const columns = wrt.map((v) => entry(f, v));
  if (isScalar(f)) {
    const column = block(columns.map((c) => [c]));
    return op === 'gradient' || layout === 'denominator' ? column : transpose(column);
  }
  if (op === 'gradient') throw gradientOfVector(f);
  if (f.shape.kind !== 'vector' || !columns.every((c) => c.type === 'block' || c.type === 'special')) {
    throw new LensError(
      `the Jacobian of ${shapeText(f.shape)} with respect to several scalars needs the function written out component by component`,
    );
  }
  const m = resolveDim(f.shape.n);
  if (typeof m !== 'number') throw new LensError('the Jacobian needs a known number of components');
  const cell = (c: Expr, i: number): Expr =>
    c.type === 'block' ? c.rows[i][0] : c.type === 'special' && c.name === 'ones' ? ONE : ZERO;
  const jac = block(Array.from({ length: m }, (_, i) => columns.map((c) => cell(c, i))));
  return layout === 'denominator' ? transpose(jac) : jac;
}

/** A derivative by a scalar in `layout`: a vector or matrix value as it is in numerator layout, transposed in denominator layout. */
function byScalar(d: Expr, layout: string): Expr {
  return layout === 'denominator' && !isScalar(d) ? transpose(d) : d;
}

/** `a, b, c` — or the first few and how many more, so that a message stays one line. */
function listOf(names: readonly string[], shown = 12): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')}, … (${names.length - shown} more)`;
}

function notAVariable(program: Elaborated, name: string): never {
  const known = listOf(program.variables.map((x) => x.name)) || 'none';
  throw new LensError(`${name} is not a variable of this expression (its variables: ${known})`);
}

function gradientOfVector(f: Expr): LensError {
  return new LensError(
    `a gradient needs a scalar function, this one is a ${shapeText(f.shape)}; ask for the Jacobian`,
  );
}

function deriveOne(
  f: Expr,
  v: Sym,
  op: Operation,
  layout: string,
  ctx: DifferentialContext,
  size: ResultSize,
): Expr {
  if (isScalar(v)) return deriveScalars(f, [v], op, layout, ctx, size);
  const dv = sym(v.name, v.shape, 'differential');
  const df = differential(f, v, dv, ctx);
  const extract = (branch: Expr) => extractOne(f, v, dv, branch, op, layout, ctx);
  return mayBranch(f) ? perBranch(df, extract) : extract(df);
}

function extractOne(
  f: Expr,
  v: Sym,
  dv: Expr,
  df: Expr,
  op: Operation,
  layout: string,
  ctx: DifferentialContext,
): Expr {
  if (v.shape.kind === 'matrix') {
    if (!isScalar(f)) {
      if (op === 'gradient') throw gradientOfVector(f);
      if (op === 'hessian') throw tensorError(f, v);
      const j = kroneckerForm(df, v, f);
      return layout === 'denominator' ? transpose(j) : j;
    }
    const g = gradientFromDifferential(df, v.shape);
    if (op === 'hessian') return vecHessian(g, v, dv, ctx);
    return op === 'gradient' || layout === 'denominator' ? g : transpose(g);
  }
  if (isScalar(f)) {
    const g = gradientFromDifferential(df, v.shape);
    if (op === 'hessian') return jacobianFromDifferential(differential(g, v, dv, ctx), v.shape);
    return op === 'gradient' || layout === 'denominator' ? g : transpose(g);
  }
  // A row vector's Jacobian is its column's: ∂(𝐳ᵀW)/∂𝐳 = Wᵀ.
  if (f.shape.kind === 'row') return extractOne(transpose(f), v, dv, transpose(df), op, layout, ctx);
  if (f.shape.kind === 'matrix' && op !== 'hessian' && op !== 'gradient') {
    const j = kroneckerForm(df, v, f);
    return layout === 'denominator' ? transpose(j) : j;
  }
  if (f.shape.kind !== 'vector') throw tensorError(f, v);
  if (op === 'gradient') throw gradientOfVector(f);
  if (op === 'hessian')
    throw new LensError(`the Hessian needs a scalar function, this one is a ${shapeText(f.shape)}`);
  const j = jacobianFromDifferential(df, v.shape);
  return layout === 'denominator' ? transpose(j) : j;
}

/**
 * ∂²f/∂vec(X)² = ∂vec(∇_X f)/∂vec(X) in Kronecker form (½‖W𝐱 − 𝐲‖² → 𝐱𝐱ᵀ ⊗ I),
 * or the 4th-order tensor message when there is none.
 */
function vecHessian(g: Expr, v: Sym, dv: Expr, ctx: DifferentialContext): Expr {
  if (v.shape.kind !== 'matrix') throw new LensError(`${v.name} is not a matrix`);
  const shape = v.shape;
  try {
    return perBranch(differential(g, v, dv, ctx), (dg) => vecJacobianFromDifferential(dg, shape));
  } catch (e) {
    if (!(e instanceof LensError)) throw e;
    throw new LensError(
      `the Hessian with respect to the matrix ${v.name} is a 4th-order tensor (${dimText(shape.m)}×${dimText(shape.n)}×${dimText(shape.m)}×${dimText(shape.n)}) with no Kronecker (vec) form here`,
    );
  }
}

/** ∂vec(f)/∂vec(X) in Kronecker form, or the tensor message when there is no unambiguous one. */
function kroneckerForm(df: Expr, v: Sym, f: Expr): Expr {
  try {
    return vecJacobianFromDifferential(df, v.shape);
  } catch (e) {
    if (e instanceof LensError) throw tensorError(f, v);
    throw e;
  }
}

function tensorError(f: Expr, v: Sym): LensError {
  return new LensError(
    `the derivative of a ${shapeText(f.shape)} with respect to the ${shapeText(v.shape)} ${v.name} is a 3rd- or 4th-order tensor with no unambiguous Kronecker (vec) form here; only scalar functions of a matrix have a matrix-shaped derivative`,
  );
}
