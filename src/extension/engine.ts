/**
 * Between the editor and the core: locate the math at a position, gather the
 * declarations written before it, apply the settings, differentiate. No
 * `vscode` import, so hover, commands, panel and view share it and it is
 * unit-tested in plain Node.
 */
import {
  detectLanguage,
  differentiate,
  findLatexDeclarations,
  parseInput,
  type DifferentiateOptions,
  type DifferentiateResult,
  type Layout,
  type Operation,
  type Value,
} from '../core';
import { LensError } from '../core/errors';
import type { ParsedInput, Syntax } from '../core/parse/syntax';
import { documentKind } from './documents';
import {
  documentComments,
  locateMath,
  mathRegions,
  mentionsVariable,
  type LocatedMath,
  type OffsetRange,
} from './locate';

// The glue code reaches this through the engine bundle (lazy.ts).
export { locateMath } from './locate';

/** A declaration found in the document, with the 1-based line it is on. */
export interface FoundDeclaration {
  readonly name: string;
  readonly latex: string;
  readonly line: number;
}

export interface EngineSettings {
  readonly defaultOperation: 'auto' | Operation;
  readonly layout: Layout;
  /** Names always read as vectors / matrices unless the document declares them. */
  readonly vectorNames: readonly string[];
  readonly matrixNames: readonly string[];
  readonly maxExpressionLength: number;
}

/** What a command, the panel or the view changes on top of the settings. */
export interface Overrides {
  readonly op?: Operation;
  readonly layout?: Layout;
  readonly wrt?: readonly string[];
  readonly at?: Readonly<Record<string, Value>>;
  /** The work shown beside the derivative (the panel asks for it; hovers never do). */
  readonly work?: Work;
}

/** "Show the work": the derivation's steps, a finite-difference check, NumPy code. */
export interface Work {
  readonly steps?: boolean;
  readonly check?: boolean;
  readonly numpy?: boolean;
}

export type WorkPart = keyof Work;

export type Outcome =
  | {
      readonly kind: 'result';
      readonly math: LocatedMath;
      readonly result: DifferentiateResult;
      readonly declarations: readonly FoundDeclaration[];
      readonly options: DifferentiateOptions;
      /** Why a part of the work asked for is missing (one line each); the derivative is still shown. */
      readonly unavailable?: Readonly<Partial<Record<WorkPart, string>>>;
    }
  /** Bad input: `message` is one line for a person. `internal` is set for a bug in the core (to be logged). */
  | {
      readonly kind: 'error';
      readonly math: LocatedMath;
      readonly message: string;
      readonly internal?: unknown;
    };

export interface DocumentLike {
  readonly text: string;
  readonly languageId: string;
}

/**
 * Differentiates the math at `where` (an offset, or a selection); undefined
 * when there is none, or when it is a formula without variables (`$42$`,
 * `$\frac{1}{2}$`) that parses: nothing to say there. Overrides may depend on
 * the formula found (the variables remembered for it).
 */
export function differentiateAt(
  doc: DocumentLike,
  where: number | OffsetRange,
  settings: EngineSettings,
  overrides: Overrides | ((math: LocatedMath) => Overrides) = {},
): Outcome | undefined {
  const math = locateMath(doc.text, doc.languageId, where);
  if (!math || !worthDifferentiating(math)) return undefined;
  return differentiateMath(
    doc,
    math,
    settings,
    typeof overrides === 'function' ? overrides(math) : overrides,
  );
}

/** A formula without a variable is worth it only to report that it does not parse. */
export function worthDifferentiating(math: LocatedMath): boolean {
  if (math.lang === 'ts' || mentionsVariable(math.text)) return true;
  try {
    parseInput(math.text, math.lang ?? detectLanguage(math.text));
    return false;
  } catch (e) {
    return e instanceof LensError;
  }
}

export function differentiateMath(
  doc: DocumentLike,
  math: LocatedMath,
  settings: EngineSettings,
  overrides: Overrides = {},
): Outcome {
  if (math.text.length > settings.maxExpressionLength) {
    const message = `expression is too long (${math.text.length} characters; jacobianLens.maxExpressionLength is ${settings.maxExpressionLength})`;
    return { kind: 'error', math, message };
  }
  const declarations = collectDeclarations(doc.text, doc.languageId, math.range.start);
  const op = overrides.op ?? (settings.defaultOperation === 'auto' ? undefined : settings.defaultOperation);
  const options: DifferentiateOptions = {
    ...(math.lang ? { lang: math.lang } : {}),
    ...(op ? { op } : {}),
    layout: overrides.layout ?? settings.layout,
    ...(overrides.wrt && overrides.wrt.length > 0 ? { wrt: overrides.wrt } : {}),
    ...(overrides.at ? { at: overrides.at } : {}),
    conventions: { vectors: settings.vectorNames, matrices: settings.matrixNames },
    declarations: declarations.map((d) => d.latex),
  };
  try {
    const { result, unavailable } = withWork(math.text, options, overrides.work ?? {});
    return { kind: 'result', math, result, declarations, options, ...(unavailable ? { unavailable } : {}) };
  } catch (e) {
    if (e instanceof LensError) return { kind: 'error', math, message: columnInMath(e, math) };
    return {
      kind: 'error',
      math,
      message: 'internal error (details in the "Jacobian Lens" output)',
      internal: e,
    };
  }
}

const WORK_OPTIONS: Readonly<Record<WorkPart, DifferentiateOptions>> = {
  steps: { steps: true },
  check: { check: true },
  numpy: { emit: 'numpy' },
};
const WORK_FIELDS = { steps: 'steps', check: 'check', numpy: 'emitted' } as const;

/**
 * The derivative with the work asked for, in one pass. When that fails, the derivative alone decides: its
 * own error is the outcome's, else each part is tried on its own so that one failing (no point where the
 * function is finite, code that cannot be exported) leaves the others and the derivative shown.
 */
function withWork(
  text: string,
  options: DifferentiateOptions,
  work: Work,
): { result: DifferentiateResult; unavailable?: Partial<Record<WorkPart, string>> } {
  const parts = (Object.keys(WORK_OPTIONS) as WorkPart[]).filter((part) => work[part]);
  try {
    return { result: differentiate(text, Object.assign({}, options, ...parts.map((p) => WORK_OPTIONS[p]))) };
  } catch (e) {
    if (!(e instanceof LensError) || parts.length === 0) throw e;
  }
  let result = differentiate(text, options);
  const unavailable: Partial<Record<WorkPart, string>> = {};
  for (const part of parts) {
    const field = WORK_FIELDS[part];
    try {
      result = { ...result, [field]: differentiate(text, { ...options, ...WORK_OPTIONS[part] })[field] };
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
      unavailable[part] = e.message;
    }
  }
  return { result, unavailable };
}

/**
 * Variables offered by "Choose Variables…": the parameters and every free
 * name of the formula (not the constants e and π, not summation indices).
 */
export function candidateVariables(math: LocatedMath): string[] {
  let parsed: ParsedInput;
  try {
    parsed = parseInput(math.text, math.lang ?? detectLanguage(math.text));
  } catch {
    return [];
  }
  const names = new Set<string>(parsed.params?.map((p) => p.name) ?? []);
  const visit = (s: Syntax, bound: ReadonlySet<string>): void => {
    switch (s.type) {
      case 'ident': {
        // Inside \sum_i, x_i is a component of the vector x.
        const sub = /^(.+)_([^_]+)$/.exec(s.name);
        const name = sub && bound.has(sub[2]) ? sub[1] : s.name;
        if (!bound.has(name) && !CONSTANTS.has(name)) names.add(name);
        return;
      }
      case 'number':
        return;
      case 'binary':
      case 'inner':
        visit(s.left, bound);
        visit(s.right, bound);
        return;
      case 'neg':
      case 'transpose':
      case 'norm':
        visit(s.arg, bound);
        return;
      case 'call':
        for (const a of s.args) visit(a, bound);
        return;
      case 'matrix':
        for (const row of s.rows) for (const cell of row) visit(cell, bound);
        return;
      case 'sum':
        if (s.from) visit(s.from, bound);
        if (s.to) visit(s.to, bound);
        visit(s.body, new Set([...bound, s.index]));
        return;
    }
  };
  visit(parsed.body, new Set());
  return [...names];
}

const CONSTANTS = new Set(['e', 'pi']);

/**
 * The core counts columns in the text it was given; for a `return` value that
 * text starts with the function's parameters, so the column is recounted from
 * the start of the math in the document.
 */
function columnInMath(e: LensError, math: LocatedMath): string {
  if (!e.span || math.base === math.range.start) return e.message;
  const column = math.base + e.span.start - math.range.start + 1;
  return column > 0 ? e.message.replace(/at column \d+$/, `at column ${column}`) : e.message;
}

/**
 * Declarations (`\mathbf{x} \in \mathbb{R}^n`) written before `before`: in the
 * math of a Markdown or LaTeX document, in the comments of a TypeScript file.
 * A name declared twice keeps its latest declaration.
 */
export function collectDeclarations(text: string, languageId: string, before: number): FoundDeclaration[] {
  const byName = new Map<string, FoundDeclaration>();
  for (const d of allDeclarations(text, languageId)) {
    if (d.sourceEnd > before) break;
    byName.delete(d.name);
    byName.set(d.name, { name: d.name, latex: d.latex, line: d.line });
  }
  return [...byName.values()];
}

interface PlacedDeclaration extends FoundDeclaration {
  /** End of the formula or comment it is in: it counts for math after that. */
  readonly sourceEnd: number;
}

let declarationCache: { text: string; languageId: string; all: PlacedDeclaration[] } | undefined;

/** Every declaration in the document, in order; cached because hovers repeat on the same text. */
function allDeclarations(text: string, languageId: string): PlacedDeclaration[] {
  if (declarationCache?.text === text && declarationCache.languageId === languageId)
    return declarationCache.all;
  const kind = documentKind(languageId);
  const sources =
    kind === 'markdown' || kind === 'latex'
      ? mathRegions(text, kind).map((r) => ({
          start: r.contentStart,
          end: r.end,
          text: text.slice(r.contentStart, r.contentEnd),
        }))
      : kind === 'ts'
        ? documentComments(text, languageId)
        : [];
  const lines = lineStarts(text);
  const all = sources.flatMap((source) =>
    findLatexDeclarations(source.text).map((d) => ({
      name: d.name,
      latex: source.text.slice(d.span.start, d.span.end),
      line: lineOf(lines, source.start + d.span.start),
      sourceEnd: source.end,
    })),
  );
  declarationCache = { text, languageId, all };
  return all;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line of `offset`. */
function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * A point typed by a person: JSON (`{"x": 1, "y": [1, 2]}`) or assignments
 * (`x=1, y=[1, 2]`). Values are numbers, arrays or arrays of rows; nothing is
 * evaluated. Anything else gives a one-line message.
 */
export function readPoint(
  input: string,
): { ok: true; point: Record<string, Value> } | { ok: false; message: string } {
  try {
    return { ok: true, point: parsePoint(input) };
  } catch (e) {
    if (e instanceof LensError) return { ok: false, message: e.message };
    throw e;
  }
}

function parsePoint(input: string): Record<string, Value> {
  const s = input.trim();
  if (s === '') return {};
  if (s.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      throw new LensError('the point is not valid JSON; write {"x": 1} or x=1, y=2');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new LensError('the point must be an object like {"x": 1}');
    }
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, checkValue(k, v)]));
  }
  // Built from entries: `__proto__=[1, 2]` is a value for a variable, not a new prototype.
  const point: [string, Value][] = [];
  for (const part of splitTopLevel(s)) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq < 0 || name === '') throw new LensError(`expected name=value, not "${part.trim()}"`);
    let value: unknown;
    try {
      value = JSON.parse(part.slice(eq + 1).trim());
    } catch {
      throw new LensError(`the value of ${name} is not a number or an array of numbers`);
    }
    point.push([name, checkValue(name, value)]);
  }
  return Object.fromEntries(point);
}

function checkValue(name: string, v: unknown): Value {
  const isNumbers = (a: unknown): a is number[] =>
    Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (isNumbers(v)) return v;
  if (
    Array.isArray(v) &&
    v.length > 0 &&
    v.every(isNumbers) &&
    v.every((row) => row.length === v[0].length)
  ) {
    return v;
  }
  throw new LensError(`the value of ${name} must be a number, a vector [1, 2] or a matrix [[1, 2], [3, 4]]`);
}

/** Splits at commas outside brackets: `x=1, y=[1, 2]` → `x=1`, ` y=[1, 2]`. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']') depth--;
    else if ((s[i] === ',' || s[i] === ';') && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.filter((p) => p.trim() !== '');
}
