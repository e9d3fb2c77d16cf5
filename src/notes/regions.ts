/**
 * Math in Markdown and LaTeX documents: the delimited regions (`$…$`, `$$…$$`,
 * `\(…\)`, `\[…\]`, math fences, display environments), found in one pass
 * per text and cached, and the formula of a region at an offset (one equation
 * of an `align`, with `&`, `\\` and `\label{…}` blanked to spaces so that
 * columns still point at the document).
 */
import {
  ACCENTS,
  alternation,
  BOLD_COMMANDS,
  environmentNames,
  GREEK_COMMANDS,
  GREEK_LETTERS,
  TEXT_COMMANDS,
} from '../core/vocabulary';

/** A delimited piece of math: `start`/`end` include the delimiters, `content*` exclude them. */
export interface MathRegion {
  readonly start: number;
  readonly end: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  /** The environment name for `\begin{env}` regions. */
  readonly env?: string;
}

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
export function documentRegions(text: string, kind: 'markdown' | 'latex'): readonly MathRegion[] {
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

export function regionAt(regions: readonly MathRegion[], offset: number): MathRegion | undefined {
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
function fenceAt(text: string, i: number): { end: number; region?: MathRegion | undefined } | undefined {
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

/** One equation of a region: its text and where it starts in the region's content. */
export interface Piece {
  readonly text: string;
  readonly start: number;
}

/**
 * A region's equations: the rows of an alignment (`align`, or
 * `$$\begin{aligned}…\end{aligned}$$`), else the whole content. `multline`
 * rows are one equation, so its `\\` are blanked.
 */
export function splitEquations(content: string, env: string | undefined): Piece[] {
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
export function topLevel(s: string): { breaks: number[]; ampersands: number[]; relations: number[] } {
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
export const RELATION_RE =
  /\\(in|notin|to|rightarrow|Rightarrow|leftarrow|Leftarrow|leftrightarrow|Leftrightarrow|mapsto|subset|subseteq|supset|forall|exists|iff|implies|le|leq|ge|geq|lt|gt|neq|ne|approx|sim|simeq|propto|equiv|leqslant|geqslant)(?![a-zA-Z])/y;
/** `\begin{…}`/`\end{…}` of an inner environment (names of up to 32/34 characters). */
export const ENVIRONMENT_RE = /\\(?:begin\{[^{}]{0,32}|end\{[^{}]{0,34})\}/y;

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
