/**
 * Between the editor and the core: locate the math at a position, gather the
 * declarations written before it, apply the settings, differentiate. No
 * `vscode` import, so hover, commands, panel and view share it and it is
 * unit-tested in plain Node.
 */
import {
  checkOf,
  derivation,
  detectLanguage,
  codeOf,
  resultOf,
  steps,
  findLatexDeclarations,
  parseInput,
  type DifferentiateOptions,
  type DifferentiateResult,
} from '../../core';
import { LensError } from '../../core/errors';
import { isConstantName } from '../../core/vocabulary';
import type { ParsedInput, Syntax } from '../../core/parse/syntax';
import { documentKind } from '../shared/documents';
import { locateMath } from './locate';
import { documentRegions, mathRegions, mentionsVariable, regionAt } from '../../notes/regions';
import { notAnExpression } from './silence';
import { mentionedNames, readNote, scopeAt } from '../../notes/note';
import { lineStarts, position } from '../../notes/lines';
import { documentComments } from './locateTypeScript';
import type {
  DocumentLike,
  EngineSettings,
  FoundDeclaration,
  LocatedMath,
  OffsetRange,
  Outcome,
  Overrides,
  Work,
  WorkPart,
} from '../shared/domain';

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
  const outcome = differentiateMath(
    doc,
    math,
    settings,
    typeof overrides === 'function' ? overrides(math) : overrides,
  );
  return outcome.kind === 'error' && !outcome.internal && nothingToSay(doc, where, math)
    ? undefined
    : outcome;
}

/**
 * Whether a hover keeps silent on math the core could not differentiate: it is not meant as an expression
 * (a list, a set, a limit, text), it states a value (`m = 1`: no variable), or it is prose selected outside
 * the math of a Markdown note. An error hover is for an expression that does not parse.
 */
function nothingToSay(doc: DocumentLike, where: number | OffsetRange, math: LocatedMath): boolean {
  if (notAnExpression(math) !== undefined || readsWithoutVariables(math)) return true;
  if (typeof where === 'number' || math.lang !== undefined || documentKind(doc.languageId) !== 'markdown')
    return false;
  const region = regionAt(documentRegions(doc.text, 'markdown'), where.start);
  return !region || where.start < region.contentStart || where.end > region.contentEnd;
}

/** A formula without a variable is worth it only to report that it does not parse. */
export function worthDifferentiating(math: LocatedMath): boolean {
  if (math.lang === 'ts' || math.lang === 'python' || mentionsVariable(math.text)) return true;
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
  const inScope = definitionsFor(math.text, definitionsInScope(doc, math.range.start));
  const op = overrides.op ?? (settings.defaultOperation === 'auto' ? undefined : settings.defaultOperation);
  const plain: DifferentiateOptions = {
    ...(math.lang ? { lang: math.lang } : {}),
    ...(op ? { op } : {}),
    layout: overrides.layout ?? settings.layout,
    ...(overrides.wrt && overrides.wrt.length > 0 ? { wrt: overrides.wrt } : {}),
    ...(overrides.at ? { at: overrides.at } : {}),
    conventions: { vectors: settings.vectorNames, matrices: settings.matrixNames },
    declarations: declarations.map((d) => d.latex),
  };
  try {
    const { result, unavailable, options } = withDefinitions(
      math.text,
      plain,
      [...new Set(inScope.map((d) => d.latex))],
      overrides.work ?? {},
    );
    const used = new Set(result.usedDefinitions ?? []);
    const definitions = inScope.filter((d) => used.has(d.name));
    return {
      kind: 'result',
      math,
      result,
      declarations,
      ...(definitions.length > 0 ? { definitions } : {}),
      options,
      ...(unavailable ? { unavailable } : {}),
    };
  } catch (e) {
    if (e instanceof LensError) {
      const what = notAnExpression(math);
      const message = columnInMath(e, math);
      return {
        kind: 'error',
        math,
        message: what ? `${what}, not an expression to differentiate (${message})` : message,
      };
    }
    return {
      kind: 'error',
      math,
      message: 'internal error (details in the "Jacobian Lens" output)',
      internal: e,
    };
  }
}

/**
 * The note's definitions that apply at `offset` (from their line to the end of their section), one entry per
 * name, in the note's order; a later definition of a name replaces an earlier one.
 */
function definitionsInScope(doc: DocumentLike, offset: number): FoundDeclaration[] {
  const kind = documentKind(doc.languageId);
  if (kind !== 'markdown' && kind !== 'latex') return [];
  const byName = new Map<string, FoundDeclaration>();
  for (const d of scopeAt(readNote(doc.text, kind), offset).definitions)
    for (const name of d.names) {
      byName.delete(name);
      byName.set(name, { name, latex: d.latex, line: d.line });
    }
  return [...byName.values()].sort((a, b) => a.line - b.line);
}

/**
 * The derivative with the note's definitions; without them when the core cannot use them (a line the note
 * reads as a definition may not be one the core reads): a definition helps a formula, it never breaks it.
 */
function withDefinitions(
  text: string,
  plain: DifferentiateOptions,
  definitions: readonly string[],
  work: Work,
): ReturnType<typeof withWork> & { options: DifferentiateOptions } {
  if (definitions.length > 0) {
    const options = { ...plain, definitions };
    try {
      return { ...withWork(text, options, work), options };
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
    }
  }
  return { ...withWork(text, plain, work), options: plain };
}

/** The definitions `latex` relies on: those of the names it mentions, and of the names those mention. */
function definitionsFor(latex: string, inScope: readonly FoundDeclaration[]): FoundDeclaration[] {
  const needed = new Set(mentionedNames(latex));
  const taken = new Set<FoundDeclaration>();
  for (let grew = true; grew;) {
    grew = false;
    for (const d of inScope) {
      if (taken.has(d) || !needed.has(d.name)) continue;
      taken.add(d);
      for (const name of mentionedNames(d.latex)) needed.add(name);
      grew = true;
    }
  }
  return inScope.filter((d) => taken.has(d));
}

/**
 * The derivative with the work asked for. The derivation is made once; its own error is the outcome's,
 * while each part of the work (steps, check, NumPy code) is made from it on its own, so that one failing
 * (no point where the function is finite, code that cannot be exported) leaves the others shown.
 */
function withWork(
  text: string,
  options: DifferentiateOptions,
  work: Work,
): { result: DifferentiateResult; unavailable?: Partial<Record<WorkPart, string>> } {
  const d = derivation(text, options);
  const unavailable: Partial<Record<WorkPart, string>> = {};
  const attempt = <T>(part: WorkPart, make: () => T): T | undefined => {
    if (!work[part]) return undefined;
    try {
      return make();
    } catch (e) {
      if (!(e instanceof LensError)) throw e;
      unavailable[part] = e.message;
      return undefined;
    }
  };
  const stepList = attempt('steps', () => steps(d));
  const check = attempt('check', () => checkOf(d, text, options));
  // JAX's NumPy (jax.numpy) for input that calls JAX: code in the library the input used.
  const code = attempt('code', () =>
    codeOf(d, ['ts', 'numpy', 'torch', ...(d.library === 'jax' ? ['jax' as const] : [])]),
  );
  const result = resultOf(d, options, {
    ...(stepList ? { steps: stepList } : {}),
    ...(check ? { check } : {}),
    ...(code ? { code } : {}),
  });
  return Object.keys(unavailable).length > 0 ? { result, unavailable } : { result };
}

/**
 * Variables offered by "Choose Variables…": the parameters and every free
 * name of the formula (not the constants e, π, 𝟏, 0 and I, not summation indices).
 */
export function candidateVariables(math: LocatedMath): string[] {
  const parsed = parsedOrUndefined(math);
  return parsed ? variablesOf(parsed, true) : [];
}

/**
 * Math that the core reads and that has nothing to vary: `m = 1`, `\frac{1}{2}`, and derivative notation of
 * names alone (`\frac{df}{dx}` in prose, f defined nowhere), which has no value to show.
 */
function readsWithoutVariables(math: LocatedMath): boolean {
  const parsed = parsedOrUndefined(math);
  return parsed !== undefined && variablesOf(parsed, false).length === 0;
}

function parsedOrUndefined(math: LocatedMath): ParsedInput | undefined {
  try {
    return parseInput(math.text, math.lang ?? detectLanguage(math.text));
  } catch {
    return undefined;
  }
}

/** The free names of `parsed`; `inNotation`: those inside derivative notation too. */
function variablesOf(parsed: ParsedInput, inNotation: boolean): string[] {
  const names = new Set<string>(parsed.params?.map((p) => p.name) ?? []);
  const visit = (s: Syntax, bound: ReadonlySet<string>): void => {
    switch (s.type) {
      case 'ident': {
        // Inside \sum_i, x_i is a component of the vector x.
        const sub = /^(.+)_([^_]+)$/.exec(s.name);
        const name = sub && bound.has(sub[2]) ? sub[1] : s.name;
        if (!bound.has(name) && !isConstantName(name, s.style === 'bold')) names.add(name);
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
      case 'apply':
        for (const a of s.args) visit(a, bound);
        return;
      case 'matrix':
        for (const row of s.rows) for (const cell of row) visit(cell, bound);
        return;
      case 'derivative':
        if (!inNotation) return;
        visit(s.of, bound);
        for (const v of s.wrt) visit(v, bound);
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
 * A name declared twice keeps its latest declaration; a claim of symmetry alone (`\Sigma \succ 0`)
 * is kept beside the name's size declaration, not in place of it.
 */
export function collectDeclarations(text: string, languageId: string, before: number): FoundDeclaration[] {
  const byName = new Map<string, FoundDeclaration>();
  for (const d of allDeclarations(text, languageId)) {
    if (d.sourceEnd > before) break;
    const slot = d.symmetryClaim ? `${d.name} ≻` : d.name;
    byName.delete(slot);
    byName.set(slot, { name: d.name, latex: d.latex, line: d.line });
  }
  return [...byName.values()];
}

interface PlacedDeclaration extends FoundDeclaration {
  /** End of the formula or comment it is in: it counts for math after that. */
  readonly sourceEnd: number;
  readonly symmetryClaim: boolean;
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
  const all = sources.filter(mayDeclare).flatMap((source) =>
    findLatexDeclarations(source.text).map((d) => ({
      name: d.name,
      latex: source.text.slice(d.span.start, d.span.end),
      line: position(lines, source.start + d.span.start).line,
      sourceEnd: source.end,
      symmetryClaim: d.symmetric === true && d.dims.length === 0,
    })),
  );
  declarationCache = { text, languageId, all };
  return all;
}

/**
 * Only text with `\in` (or `∈`), `\succ`, or `=` beside a transpose (`\Sigma = \Sigma^\top`) declares
 * anything: most formulas are skipped without being tokenized.
 */
const mayDeclare = (source: { text: string }): boolean =>
  source.text.includes('\\in') ||
  source.text.includes('\u2208') ||
  source.text.includes('\\succ') ||
  (source.text.includes('=') && TRANSPOSE.test(source.text));

const TRANSPOSE = /\^\s*\{?\s*(?:\\top|\\intercal|T|\\mathsf)/;
