/**
 * Finds the math under the cursor in a document: delimited math in Markdown
 * and LaTeX, the enclosing expression in TypeScript/JavaScript, the selection
 * anywhere. Pure (no `vscode` import) so it is unit-tested in plain Node.
 *
 * Offsets are UTF-16 offsets into the document text, as `TextDocument.offsetAt`
 * gives them. Cosmetic pieces (`&`, `\label{…}`, a trailing comma) are blanked
 * with spaces rather than removed, so a column the core reports in `text`
 * still points at the same character of the document.
 */
import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import { MAX_INPUT_LENGTH } from '../core/limits';
import {
  ACCENTS,
  alternation,
  BOLD_COMMANDS,
  environmentNames,
  GREEK_COMMANDS,
  GREEK_LETTERS,
  TEXT_COMMANDS,
} from '../core/vocabulary';
import { documentKind } from './documents';
import type { DocumentKind, LocatedMath, OffsetRange } from './domain';

/** A delimited piece of math: `start`/`end` include the delimiters, `content*` exclude them. */
export interface MathRegion {
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  /** The environment name for `\begin{env}` regions. */
  readonly env?: string;
}

/**
 * The math at `where`: a non-empty range is a selection and is taken as it is
 * (minus math delimiters); an offset (or empty range) looks for the math
 * around it. Undefined when there is nothing to differentiate there.
 */
export function locateMath(
  text: string,
  languageId: string,
  where: number | OffsetRange,
): LocatedMath | undefined {
  const kind = documentKind(languageId);
  const range = typeof where === 'number' ? { start: where, end: where } : where;
  if (range.end > range.start) return fromSelection(text, kind, range);
  const offset = range.start;
  switch (kind) {
    case 'markdown':
    case 'latex': {
      const region = regionAt(documentRegions(text, kind), offset);
      return region && fromRegion(text, region, offset);
    }
    case 'ts':
      return locateTypeScript(text, languageId, offset);
    default:
      return undefined;
  }
}

function fromSelection(text: string, kind: DocumentKind, range: OffsetRange): LocatedMath | undefined {
  const selected = text.slice(range.start, range.end);
  if (kind === 'ts')
    return hasVariable(selected) ? { text: selected, range, base: range.start, lang: 'ts' } : undefined;
  const inner = stripDelimiters(selected);
  const start = range.start + inner.start;
  const located = { range: { start, end: range.start + inner.end }, base: start };
  const raw = selected.slice(inner.start, inner.end);
  const delimited = inner.start > 0 && selected.trimStart().length > raw.length;
  // In LaTeX, or between math delimiters, it is LaTeX; elsewhere the core tells TypeScript from LaTeX.
  if (kind === 'latex' || delimited) {
    const content = cleanLatex(raw);
    return isDifferentiableLatex(content) ? { ...located, text: content, lang: 'latex' } : undefined;
  }
  return hasVariable(raw) ? { ...located, text: raw } : undefined;
}

const DELIMITER_PAIRS: readonly (readonly [string, string])[] = [
  ['$$', '$$'],
  ['\\[', '\\]'],
  ['\\(', '\\)'],
  ['$', '$'],
];

/** Offsets of the selection without surrounding whitespace and math delimiters. */
function stripDelimiters(s: string): { start: number; end: number } {
  let start = s.length - s.trimStart().length;
  let end = s.trimEnd().length;
  for (const [open, close] of DELIMITER_PAIRS) {
    if (end - start >= open.length + close.length && s.startsWith(open, start) && s.endsWith(close, end)) {
      start += open.length;
      end -= close.length;
      break;
    }
  }
  return { start, end };
}

// ---------------------------------------------------------------------------
// Markdown and LaTeX

/** Environments a document's display math starts with. */
const MATH_ENVIRONMENTS = environmentNames((e) => e.display);
/** Environments whose rows (`\\`) are separate equations. */
const ROW_ENVIRONMENTS = environmentNames((e) => e.rows);
/** Content that is one environment laid out in lines (`$$\begin{aligned}…\end{aligned}$$`). */
const INNER_ENVIRONMENT_RE = new RegExp(
  `^(\\s*)(\\\\begin\\{(${alternation(environmentNames((e) => !e.display && e.lines))})\\}(\\{\\d+\\})?)([^]*)(\\\\end\\{\\3\\})(\\s*)$`,
);

const BEGIN_RE = /\\begin\{([a-zA-Z]+)(\*?)\}(\s*\{\d+\})?/y;
/** Environments whose `{n}` argument (a column count) comes before the formula. */
const COLUMN_ENVIRONMENTS = environmentNames((e) => e.columns);
/** Sticky: matched only at a line start, never searched forward (that would be quadratic). */
const FENCE_RE = / {0,3}(`{3,}|~{3,})[ \t]*([^\n]*)$/my;

/**
 * Math regions in document order that start at or before `limit`. Markdown
 * skips code spans and fenced code blocks and reads ```math fences; LaTeX
 * skips `%` comments. Inline `$` follows Pandoc's rule (no space inside the
 * delimiters, no digit right after the closing one) so prices like "$5 and
 * $10" are not math. The whole document is scanned once per text (cached).
 */
export function mathRegions(text: string, kind: 'markdown' | 'latex', limit = text.length): MathRegion[] {
  const regions = documentRegions(text, kind);
  return regions.slice(0, firstStartingAfter(regions, limit));
}

let regionCache: { text: string; kind: 'markdown' | 'latex'; regions: readonly MathRegion[] } | undefined;

/** Every math region of the document; one entry is cached since hovers repeat on the same text. */
function documentRegions(text: string, kind: 'markdown' | 'latex'): readonly MathRegion[] {
  // Different texts almost always differ in length, so `===` rarely compares contents.
  if (regionCache?.kind === kind && regionCache.text === text) return regionCache.regions;
  const regions = scanRegions(text, kind);
  regionCache = { text, kind, regions };
  return regions;
}

/** Index of the first region starting after `offset` (regions are sorted and disjoint). */
function firstStartingAfter(regions: readonly MathRegion[], offset: number): number {
  let lo = 0;
  let hi = regions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (regions[mid].start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function regionAt(regions: readonly MathRegion[], offset: number): MathRegion | undefined {
  const region = regions[firstStartingAfter(regions, offset) - 1];
  return region && offset < region.end ? region : undefined;
}

/**
 * Remembers, per kind of search, the last answer of a forward search: the
 * scan only moves forward, so the next search from a later position has the
 * same answer while that answer is still ahead. Without it each unclosed
 * `\(` or `\begin{equation}` would rescan to the end of the document.
 * Valid for searches whose answer from `from` is the first position at or
 * after `from` with a property of its own (see each caller).
 */
class ForwardSearches {
  private readonly last = new Map<string, { from: number; at: number }>();

  constructor(private readonly text: string) {}

  find(key: string, from: number, search: (text: string, from: number, key: string) => number): number {
    const last = this.last.get(key);
    if (last && last.from <= from && (last.at < 0 || last.at >= from)) return last.at;
    const at = search(this.text, from, key);
    if (last) {
      last.from = from;
      last.at = at;
    } else {
      this.last.set(key, { from, at });
    }
    return at;
  }
}

const indexOfKey = (text: string, from: number, key: string): number => text.indexOf(key, from);

/** The characters the scan acts on; it jumps over everything else. */
const SCAN_STOPS = { markdown: /[\\`$\n]/g, latex: /[\\%$]/g } as const;
/** `SCAN_STOPS` for one character code: `\`, `$`, and `` ` `` and line breaks in Markdown, `%` in LaTeX. */
const isStop = (code: number, kind: 'markdown' | 'latex'): boolean =>
  code === 92 || code === 36 || (kind === 'markdown' ? code === 96 || code === 10 : code === 37);

function scanRegions(text: string, kind: 'markdown' | 'latex'): MathRegion[] {
  const regions: MathRegion[] = [];
  const searches = new ForwardSearches(text);
  let runs: BacktickRuns | undefined;
  const stops = SCAN_STOPS[kind];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (kind === 'markdown' && (i === 0 || text[i - 1] === '\n')) {
      const fence = fenceAt(text, i);
      if (fence) {
        if (fence.region) regions.push(fence.region);
        i = fence.end;
        continue;
      }
    }
    if (!isStop(text.charCodeAt(i), kind)) {
      stops.lastIndex = i;
      if (!stops.exec(text)) break;
      i = stops.lastIndex - 1;
    }
    const c = text[i];
    if (c === '\\') {
      const region = backslashRegion(text, i, searches);
      if (region) {
        regions.push(region);
        i = region.end;
      } else {
        i += 2; // an escaped character (`\$`, `\%`) or a command
      }
    } else if (c === '%') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
    } else if (c === '`') {
      i = skipCodeSpan(text, i, (runs ??= new BacktickRuns(text)));
    } else if (c === '$') {
      const region = dollarRegion(text, i, searches);
      if (region) {
        regions.push(region);
        i = region.end;
      } else {
        i += text[i + 1] === '$' ? 2 : 1;
      }
    } else {
      i++; // a line break: the next line may open a fence
    }
  }
  return regions;
}

/** A fenced code block starting at line `i`: skipped, or a region when it is a ```math fence. */
function fenceAt(text: string, i: number): { end: number; region?: MathRegion } | undefined {
  FENCE_RE.lastIndex = i;
  const m = FENCE_RE.exec(text);
  if (!m) return undefined;
  const marker = m[1];
  if (marker[0] === '`' && m[2].includes('`')) return undefined; // an inline code span, not a fence
  const contentStart = Math.min(text.length, i + m[0].length + 1);
  let lineStart = contentStart;
  while (lineStart < text.length) {
    const eol = text.indexOf('\n', lineStart);
    const lineEnd = eol < 0 ? text.length : eol;
    const line = text.slice(lineStart, lineEnd);
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (close && close[1][0] === marker[0] && close[1].length >= marker.length) {
      const end = Math.min(text.length, lineEnd + 1);
      return {
        end,
        region: isMathFence(m[2])
          ? { start: i, end: lineEnd, contentStart, contentEnd: lineStart }
          : undefined,
      };
    }
    lineStart = lineEnd + 1;
  }
  // An unclosed fence runs to the end of the document (CommonMark).
  return {
    end: text.length,
    region: isMathFence(m[2])
      ? { start: i, end: text.length, contentStart, contentEnd: text.length }
      : undefined,
  };
}

function isMathFence(info: string): boolean {
  return info.trim().split(/\s+/)[0] === 'math';
}

/** Every maximal run of backticks by its length: a code span's closing run is found by binary search. */
class BacktickRuns {
  private readonly byLength = new Map<number, number[]>();

  constructor(text: string) {
    for (let i = text.indexOf('`'); i >= 0;) {
      let k = i + 1;
      while (text[k] === '`') k++;
      const starts = this.byLength.get(k - i);
      if (starts) starts.push(i);
      else this.byLength.set(k - i, [i]);
      i = text.indexOf('`', k);
    }
  }

  /** Start of the first run of exactly `length` backticks at or after `from`, or -1. */
  next(length: number, from: number): number {
    const starts = this.byLength.get(length) ?? [];
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < starts.length ? starts[lo] : -1;
  }
}

/** After the code span opened by the backticks at `i`; just after them when it is not closed. */
function skipCodeSpan(text: string, i: number, runs: BacktickRuns): number {
  let k = i;
  while (text[k] === '`') k++;
  const close = runs.next(k - i, k);
  return close < 0 ? k : close + (k - i);
}

/** `\(…\)`, `\[…\]` or a math environment starting at the backslash at `i`. */
function backslashRegion(text: string, i: number, searches: ForwardSearches): MathRegion | undefined {
  const next = text[i + 1];
  if (next === '(' || next === '[') {
    const close = next === '(' ? '\\)' : '\\]';
    const j = searches.find(close, i + 2, indexOfKey);
    return j < 0 ? undefined : { start: i, end: j + 2, contentStart: i + 2, contentEnd: j };
  }
  if (next !== 'b') return undefined;
  BEGIN_RE.lastIndex = i;
  const m = BEGIN_RE.exec(text);
  if (!m || !MATH_ENVIRONMENTS.has(m[1] + m[2])) return undefined;
  const env = m[1] + m[2];
  const endTag = `\\end{${env}}`;
  // `\begin{alignat}{2}`: the column count is not part of the formula.
  const contentStart = i + m[0].length - (COLUMN_ENVIRONMENTS.has(env) ? 0 : (m[3]?.length ?? 0));
  const j = searches.find(endTag, contentStart, indexOfKey);
  if (j < 0) return undefined;
  return { start: i, end: j + endTag.length, contentStart, contentEnd: j, env };
}

function dollarRegion(text: string, i: number, searches: ForwardSearches): MathRegion | undefined {
  if (text[i + 1] === '$') {
    // From just after `$$`, never a character escaped by a backslash the search skips, so the
    // remembered search (which passed this position) continues exactly as a new one would.
    const j = searches.find('$$', i + 2, findUnescaped);
    return j < 0 ? undefined : { start: i, end: j + 2, contentStart: i + 2, contentEnd: j };
  }
  if (i > 0 && text[i - 1] === '$') return undefined;
  if (/\s/.test(text[i + 1] ?? ' ')) return undefined;
  // Likewise from just after `$`: a search that passed `i` either stopped there or skipped it as escaped.
  const j = searches.find('$', i + 1, inlineMathEnd);
  if (j < 0 || text[j] !== '$') return undefined;
  if (/\s/.test(text[j - 1]) || /[0-9]/.test(text[j + 1] ?? '')) return undefined;
  return { start: i, end: j + 1, contentStart: i + 1, contentEnd: j };
}

/** Where inline math from `from` stops: the next unescaped `$`, or a paragraph break (its `\n`); -1 for neither. */
function inlineMathEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') {
      j++;
    } else if (c === '$' || (c === '\n' && PARAGRAPH_BREAK_RE.test(text.slice(j, j + 80)))) {
      return j;
    }
  }
  return -1;
}

const PARAGRAPH_BREAK_RE = /^\n[ \t]*(\n|$)/;

/**
 * The next `needle` from `from` that a left-to-right scan skipping each
 * character after a backslash would reach: an occurrence preceded (since
 * `from`) by an even run of backslashes. Found with `indexOf`, not character by character.
 */
function findUnescaped(text: string, from: number, needle: string): number {
  for (let p = text.indexOf(needle, from); p >= 0; p = text.indexOf(needle, p + 1)) {
    let k = p;
    while (k > from && text[k - 1] === '\\') k--;
    if ((p - k) % 2 === 0) return p;
  }
  return -1;
}

interface Piece {
  readonly text: string;
  readonly start: number;
}

interface RegionEquations {
  /** The region's equations in order (one unless its rows are separate equations). */
  readonly pieces: readonly Piece[];
  /** What each piece gives the core, worked out on the first hover over it (null: not yet). */
  readonly located: (LocatedMath | undefined | null)[];
}

/** Per region of the cached regions (so per document text): hovers over one formula share the work. */
const regionEquations = new WeakMap<MathRegion, RegionEquations>();

function fromRegion(text: string, region: MathRegion, offset: number): LocatedMath | undefined {
  let equations = regionEquations.get(region);
  if (!equations) {
    const pieces = splitEquations(text.slice(region.contentStart, region.contentEnd), region.env);
    equations = { pieces, located: pieces.map(() => null) };
    regionEquations.set(region, equations);
  }
  const { pieces, located } = equations;
  // The row at the cursor: the last one starting at or before it (the first when on the delimiter).
  const at = offset - region.contentStart;
  let k = 0;
  for (let hi = pieces.length - 1; k < hi;) {
    const mid = (k + hi + 1) >> 1;
    if (pieces[mid].start <= at) k = mid;
    else hi = mid - 1;
  }
  let found = located[k];
  if (found === null) {
    const piece = pieces[k];
    const start = region.contentStart + piece.start;
    const range = { start, end: start + piece.text.length };
    if (piece.text.length > MAX_INPUT_LENGTH) {
      // Longer than the core accepts: refused for its length (which cleaning keeps), so not worth cleaning.
      found = { text: piece.text, range, base: start, lang: 'latex' };
    } else {
      const cleaned = cleanLatex(piece.text);
      found = isDifferentiableLatex(cleaned)
        ? { text: cleaned, range, base: start, lang: 'latex' }
        : undefined;
    }
    located[k] = found;
  }
  return found;
}

/**
 * A region's equations: the rows of an alignment (`align`, or
 * `$$\begin{aligned}…\end{aligned}$$`), else the whole content. `multline`
 * rows are one equation, so its `\\` are blanked.
 */
function splitEquations(content: string, env: string | undefined): Piece[] {
  let body = content;
  let rows = env !== undefined && ROW_ENVIRONMENTS.has(env);
  const inner = INNER_ENVIRONMENT_RE.exec(content);
  if (inner) {
    body = inner[1] + blank(inner[2]) + inner[5] + blank(inner[6]) + inner[7];
    rows = ROW_ENVIRONMENTS.has(inner[3]);
  }
  const breaks = topLevel(body).breaks;
  if (!rows) return [{ text: blankAt(body, breaks, 2), start: 0 }];
  const pieces: Piece[] = [];
  let start = 0;
  for (const b of breaks) {
    pieces.push({ text: body.slice(start, b), start });
    start = b + 2;
  }
  pieces.push({ text: body.slice(start), start });
  return pieces;
}

/** Positions (in `s`) of `\\` row breaks and `&` column marks outside braces and inner environments. */
function topLevel(s: string): { breaks: number[]; ampersands: number[]; relations: number[] } {
  const breaks: number[] = [];
  const ampersands: number[] = [];
  const relations: number[] = [];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      if (s[i + 1] === '\\') {
        if (depth === 0) breaks.push(i);
        i++;
        continue;
      }
      ENVIRONMENT_RE.lastIndex = i;
      const env = ENVIRONMENT_RE.exec(s);
      if (env) {
        depth += s[i + 1] === 'b' ? 1 : -1;
        i += env[0].length - 1;
      } else {
        RELATION_RE.lastIndex = i;
        if (depth === 0 && RELATION_RE.test(s)) relations.push(i);
        i++; // skips the command's first letter or an escaped character such as \{
      }
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
    } else if (depth === 0 && c === '&') {
      ampersands.push(i);
    } else if (depth === 0 && (c === '<' || c === '>')) {
      relations.push(i);
    }
  }
  return { breaks, ampersands, relations };
}

/** Relations that make a formula a statement (membership, maps, inequalities), not a function to differentiate. */
const RELATION_RE =
  /\\(in|notin|to|rightarrow|Rightarrow|leftarrow|Leftarrow|leftrightarrow|Leftrightarrow|mapsto|subset|subseteq|supset|forall|exists|iff|implies|le|leq|ge|geq|lt|gt|neq|ne|approx|sim|simeq|propto|equiv|leqslant|geqslant)(?![a-zA-Z])/y;
/** `\begin{…}`/`\end{…}` of an inner environment (names of up to 32/34 characters). */
const ENVIRONMENT_RE = /\\(?:begin\{[^{}]{0,32}|end\{[^{}]{0,34})\}/y;

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/** `s` with `width` characters blanked at each of the sorted `positions`, in one pass. */
function blankAt(s: string, positions: readonly number[], width: number): string {
  if (positions.length === 0) return s;
  const parts: string[] = [];
  let from = 0;
  for (const p of positions) {
    parts.push(s.slice(from, p), ' '.repeat(width));
    from = p + width;
  }
  parts.push(s.slice(from));
  return parts.join('');
}

/**
 * Blanks what a formula carries for the typesetter but is not part of the
 * expression: labels and tags, alignment marks, a trailing `\\` or
 * punctuation, and a leading `=` of a continued alignment row.
 */
export function cleanLatex(s: string): string {
  let out = s.replace(
    /\\(label|tag\*?|eqref)\{[^{}]*\}|\\(nonumber|notag|displaystyle|textstyle)(?![a-zA-Z])/g,
    blank,
  );
  const { ampersands, breaks } = topLevel(out);
  out = blankAt(blankAt(out, ampersands, 1), breaks, 2);
  out = out.replace(/^(\s*)(=)/, (_, space: string) => space + ' ');
  out = out.replace(/[,.;](\s*)$/, (_, space: string) => ' ' + space);
  return out;
}

/**
 * Whether a formula may be worth a hover: not empty, not a lone symbol (`x`,
 * `\mathbf{x}`, `x_1`) and not a statement about sets and maps
 * (`x \in \mathbb{R}^n`, `f: \mathbb{R}^n \to \mathbb{R}`). Whether it has a
 * variable at all is `mentionsVariable`'s question (the engine asks it: a
 * formula without one is shown only when it fails to parse).
 */
export function isDifferentiableLatex(s: string): boolean {
  const t = s.trim();
  if (t === '') return false;
  if (topLevel(t).relations.length > 0) return false;
  return !LONE_SYMBOL_RE.test(t);
}

/** Whether LaTeX has a letter outside command names (Greek letters count, as commands or characters): `\frac{1}{2}` has none. */
export function mentionsVariable(latex: string): boolean {
  const withoutCommands = latex
    .replace(/\\(mathbb|mathrm|text|operatorname|mathcal)\{[^{}]*\}/g, ' ')
    .replace(/\\[a-zA-Z]+/g, (cmd) => (GREEK_COMMANDS.has(cmd.slice(1)) ? 'g' : ' '));
  return LETTER_RE.test(withoutCommands);
}

/** A Latin letter or a pasted Greek one (`α`, `ℓ`, which the parser reads as its command). */
const LETTER_RE = new RegExp(`[a-zA-Z${GREEK_LETTERS.flatMap((g) => g.unicode ?? []).join('')}]`);

/** `x`, `x_1`, `x_{ij}`, `\theta`, `\mathbf{x}`, `\vec{v}`, `A^\top`, `f(x)` — naming something, not an expression. */
const LONE_SYMBOL_RE = new RegExp(
  `^((\\\\(${alternation([...BOLD_COMMANDS, ...ACCENTS.keys(), ...TEXT_COMMANDS])})\\{\\\\?[a-zA-Z]+\\}|\\\\[a-zA-Z]+|[a-zA-Z])('|_\\{?[a-zA-Z0-9,]+\\}?|\\^\\{?(\\\\top|T|\\\\mathsf\\{T\\}|\\*)\\}?)*|[a-zA-Z](_\\{?[a-zA-Z0-9,]+\\}?)?\\s*\\([^()]*\\))$`,
);

// ---------------------------------------------------------------------------
// TypeScript / JavaScript

/** A top-level part of a TypeScript file with its syntax tree, whose offsets count from `start`. */
interface ParsedPiece extends PieceTree {
  readonly start: number;
  readonly text: string;
}

interface PieceTree {
  /** Undefined when Babel gave up even with broken lines blanked. */
  readonly ast: t.File | undefined;
  /** Whether Babel gave up on the piece as it is (before any blanking). */
  readonly broken: boolean;
}

let parsed: { text: string; languageId: string; pieces: readonly ParsedPiece[] } | undefined;

/** How many broken lines are blanked before giving up on a piece of a file (see `parsePiece`). */
const MAX_BLANKED_LINES = 8;
/** How many following pieces a piece Babel gives up on is joined with (a cut inside a template literal). */
const MAX_JOINED_PIECES = 2;

/**
 * A line at column 0 that starts a top-level statement or a comment (not a
 * keyword continuing the previous line's expression or statement): where the
 * file is cut into pieces parsed on their own.
 */
const TOP_LEVEL_LINE_RE =
  /^(?=[A-Za-z_$@#]|\/[/*])(?!(?:in|instanceof|as|satisfies|extends|implements|else|catch|finally|while)\b)/gm;

/**
 * The file's syntax trees, one per top-level piece; one document is cached
 * since hovers repeat on the same text, and the trees of its pieces are reused
 * for the next version, so an edit costs the parse of the pieces it changed,
 * not of the whole file. A file being edited is often broken somewhere and
 * Babel's error recovery gives up on many errors: then only that piece is
 * lost, or just its offending lines (blanked, see `parsePiece`), and the
 * formulas elsewhere keep their hover.
 */
function parseDocument(text: string, languageId: string): { pieces: readonly ParsedPiece[] } {
  if (parsed?.text === text && parsed.languageId === languageId) return parsed;
  const previous = new Map<string, PieceTree>(
    parsed?.languageId === languageId ? parsed.pieces.map((p) => [p.text, p]) : [],
  );
  const treeOf = (piece: string): PieceTree => previous.get(piece) ?? parsePiece(piece, languageId);
  const cuts = topLevelCuts(text);
  const pieces: ParsedPiece[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const start = cuts[k];
    let end = cuts[k + 1] ?? text.length;
    let tree = treeOf(text.slice(start, end));
    // Babel giving up on a piece may mean the cut was inside a construct (a template literal): join the next.
    for (let extra = 1; tree.broken && extra <= MAX_JOINED_PIECES && k + extra < cuts.length; extra++) {
      const joinedEnd = cuts[k + extra + 1] ?? text.length;
      const joined = text.slice(start, joinedEnd);
      const ast = previous.get(joined)?.ast ?? parseSource(joined, languageId);
      if (typeof ast === 'object') {
        tree = { ast, broken: false };
        end = joinedEnd;
        k += extra;
      }
    }
    pieces.push({ start, text: text.slice(start, end), ast: tree.ast, broken: tree.broken });
  }
  parsed = { text, languageId, pieces };
  return parsed;
}

/** Offsets where pieces start: 0 and each top-level line. */
function topLevelCuts(text: string): number[] {
  const cuts = [0];
  for (const m of text.matchAll(TOP_LEVEL_LINE_RE)) if (m.index > 0) cuts.push(m.index);
  return cuts;
}

/** A piece's tree (offsets from the piece's start), blanking the offending line while Babel gives up (offsets stay put). */
function parsePiece(text: string, languageId: string): PieceTree {
  let source = text;
  for (let attempt = 0; attempt <= MAX_BLANKED_LINES; attempt++) {
    const result = parseSource(source, languageId);
    if (typeof result === 'object') return { ast: result, broken: attempt > 0 };
    if (result === undefined) break;
    const lineStart = source.lastIndexOf('\n', result - 1) + 1;
    const eol = source.indexOf('\n', result);
    const lineEnd = eol < 0 ? source.length : eol;
    if (lineEnd === lineStart) break;
    source = source.slice(0, lineStart) + ' '.repeat(lineEnd - lineStart) + source.slice(lineEnd);
  }
  return { ast: undefined, broken: true };
}

/** Babel's tree of `source`, or the offset of the error it gave up at (undefined when it has none). */
function parseSource(source: string, languageId: string): t.File | number | undefined {
  const plugins: ParserPlugin[] = languageId.startsWith('typescript') ? ['typescript'] : [];
  if (languageId.endsWith('react') || languageId === 'javascript') plugins.push('jsx');
  try {
    return parse(source, {
      sourceType: 'unambiguous',
      plugins,
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
    });
  } catch (e) {
    const pos = (e as { pos?: unknown }).pos;
    return typeof pos === 'number' ? pos : undefined;
  }
}

/** Babel node keys that never lead to the expression under the cursor. */
const SKIPPED_KEYS = new Set([
  'loc',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'errors',
  'tokens',
]);

function isNode(v: unknown): v is t.Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

const within = (n: t.Node, offset: number): boolean => (n.start ?? 0) <= offset && offset < (n.end ?? 0);

/** Nodes from the program down to the innermost one containing `offset`. */
function pathTo(root: t.Node, offset: number): t.Node[] {
  const path: t.Node[] = [root];
  let node: t.Node | undefined = root;
  while (node) {
    let next: t.Node | undefined;
    for (const [key, value] of Object.entries(node)) {
      if (SKIPPED_KEYS.has(key)) continue;
      const children: unknown[] = Array.isArray(value) ? value : [value];
      next = children.find((c): c is t.Node => isNode(c) && within(c, offset));
      if (next) break;
    }
    if (next) path.push(next);
    node = next;
  }
  return path;
}

type FunctionNode =
  t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration | t.ObjectMethod | t.ClassMethod;

function isFunction(n: t.Node): n is FunctionNode {
  return (
    n.type === 'ArrowFunctionExpression' ||
    n.type === 'FunctionExpression' ||
    n.type === 'FunctionDeclaration' ||
    n.type === 'ObjectMethod' ||
    n.type === 'ClassMethod'
  );
}

/**
 * The smallest whole formula around the cursor: an expression-bodied arrow
 * function (with its parameters), a `return` value (with the parameters of
 * its function), an initializer, the right side of an assignment, a property
 * value. The cursor must be inside that expression (not on a keyword or the
 * declared name) and the expression must be in the numeric subset the core
 * reads, with at least one variable and one operation.
 */
function locateTypeScript(text: string, languageId: string, offset: number): LocatedMath | undefined {
  const { pieces } = parseDocument(text, languageId);
  let lo = 0;
  for (let hi = pieces.length - 1; lo < hi;) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const piece = pieces[lo];
  if (!piece.ast) return undefined;
  const found = locateInTree(piece.text, piece.ast, offset - piece.start);
  if (!found || piece.start === 0) return found;
  const range = { start: found.range.start + piece.start, end: found.range.end + piece.start };
  return { ...found, range, base: found.base + piece.start };
}

/** `locateTypeScript` in one parsed piece, in the piece's offsets. */
function locateInTree(text: string, ast: t.File, offset: number): LocatedMath | undefined {
  const path = pathTo(ast.program, offset);
  for (let k = path.length - 1; k > 0; k--) {
    const node = path[k];
    switch (node.type) {
      case 'ArrowFunctionExpression':
        if (node.body.type !== 'BlockStatement') {
          return isMathExpression(node.body, paramNames(node)) ? slice(text, node) : undefined;
        }
        break;
      case 'ReturnStatement':
        if (node.argument && within(node.argument, offset)) {
          const fn = path.slice(0, k).reverse().find(isFunction);
          return returnValue(text, node.argument, fn);
        }
        return undefined;
      case 'VariableDeclarator':
        return node.init && within(node.init, offset) ? mathOrNothing(text, node.init) : undefined;
      case 'AssignmentExpression':
        return within(node.right, offset) ? mathOrNothing(text, node.right) : undefined;
      case 'ObjectProperty':
      case 'ClassProperty':
        return node.value && within(node.value, offset) ? mathOrNothing(text, node.value) : undefined;
    }
    if (isFunction(node) || node.type === 'BlockStatement') return undefined;
  }
  return undefined;
}

function paramNames(fn: FunctionNode): Set<string> {
  return new Set(fn.params.flatMap((p) => (p.type === 'Identifier' ? [p.name] : [])));
}

function slice(text: string, node: t.Node): LocatedMath {
  const range = { start: node.start ?? 0, end: node.end ?? 0 };
  return { text: text.slice(range.start, range.end), range, base: range.start, lang: 'ts' };
}

function mathOrNothing(text: string, node: t.Node): LocatedMath | undefined {
  return isMathExpression(node, new Set()) ? slice(text, node) : undefined;
}

/** `return e` in `function f(x, y)` is given to the core as `(x, y) => e`. */
function returnValue(
  text: string,
  argument: t.Expression,
  fn: FunctionNode | undefined,
): LocatedMath | undefined {
  const params = fn ? paramNames(fn) : new Set<string>();
  if (!isMathExpression(argument, params)) return undefined;
  const expression = slice(text, argument);
  if (!fn || fn.params.length === 0) return expression;
  const prefix = `(${fn.params.map((p) => text.slice(p.start ?? 0, p.end ?? 0)).join(', ')}) => `;
  return { ...expression, text: prefix + expression.text, base: expression.base - prefix.length };
}

/**
 * Whether `node` is in the numeric subset (numbers, names, + - * / **, unary
 * minus, `Math.*`, array literals) and is a formula: it uses a variable and,
 * unless it is a function's parameter, does something with it.
 */
function isMathExpression(node: t.Node, params: ReadonlySet<string>): boolean {
  let variables = 0;
  let operations = 0;
  const ok = (n: t.Node | null | undefined): boolean => {
    if (!n) return false;
    switch (n.type) {
      case 'NumericLiteral':
        return true;
      case 'Identifier':
        if (n.name === 'undefined' || n.name === 'NaN' || n.name === 'Infinity') return false;
        variables++;
        return true;
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
        return ok(n.expression);
      case 'UnaryExpression':
        operations++;
        return (n.operator === '-' || n.operator === '+') && ok(n.argument);
      case 'BinaryExpression':
        operations++;
        return (
          ['+', '-', '*', '/', '**'].includes(n.operator) &&
          n.left.type !== 'PrivateName' &&
          ok(n.left) &&
          ok(n.right)
        );
      case 'MemberExpression':
        return isMathMember(n);
      case 'CallExpression':
        operations++;
        return (
          n.callee.type === 'MemberExpression' &&
          isMathMember(n.callee) &&
          n.arguments.every((a) => a.type !== 'SpreadElement' && a.type !== 'ArgumentPlaceholder' && ok(a))
        );
      case 'ArrayExpression':
        operations++;
        return (
          n.elements.length > 0 && n.elements.every((e) => e !== null && e.type !== 'SpreadElement' && ok(e))
        );
      default:
        return false;
    }
  };
  if (!ok(node)) return false;
  return variables > 0 && (operations > 0 || (node.type === 'Identifier' && params.has(node.name)));
}

function isMathMember(n: t.MemberExpression): boolean {
  return (
    !n.computed &&
    n.object.type === 'Identifier' &&
    n.object.name === 'Math' &&
    n.property.type === 'Identifier'
  );
}

/** A selection in TypeScript: anything naming something, not a lone literal or keyword. */
function hasVariable(s: string): boolean {
  return /[A-Za-z_$]/.test(s.replace(/\b(return|const|let|var|function|Math)\b/g, ''));
}

/** Comments of a TypeScript/JavaScript file (where declarations such as `x \in \mathbb{R}^n` may be written). */
export function documentComments(
  text: string,
  languageId: string,
): { start: number; end: number; text: string }[] {
  // `//` and `/*` are both two characters: the comment's text starts right after them.
  return parseDocument(text, languageId).pieces.flatMap(({ start, ast }) =>
    (ast?.comments ?? []).map((c) => ({
      start: start + (c.start ?? 0) + 2,
      end: start + (c.end ?? 0),
      text: c.value,
    })),
  );
}
