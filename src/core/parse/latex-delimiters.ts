import { COLUMN_ENVIRONMENTS, FORMULA_ENVIRONMENTS, MULTILINE_ENVIRONMENTS } from './latex-tables';

/** The formula inside its math delimiters, as offsets into the original input. */
export interface MathRange {
  readonly start: number;
  readonly end: number;
  /** An `align`-like wrapper was removed: `&` are alignment marks and `\\` separates equations. */
  readonly multiline: boolean;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\u00a0';
}

/**
 * Strips `$…$`, `$$…$$`, `\(…\)`, `\[…\]`, `\begin{equation}…\end{equation}`
 * (and `equation*`, `align`, `align*`, `gather`, …, nested in any order),
 * surrounding space and a trailing `.` or `,` (sentence punctuation after a
 * formula). Returns the inner range so spans stay relative to `input`.
 */
export function stripMathDelimiters(input: string): MathRange {
  let s = 0;
  let e = input.length;
  let multiline = false;
  for (;;) {
    while (s < e && isSpace(input[s])) s++;
    while (e > s && isSpace(input[e - 1])) e--;
    while (e > s && (input[e - 1] === '.' || input[e - 1] === ',') && !isEscaped(input, s, e - 1)) {
      e--;
      while (e > s && isSpace(input[e - 1])) e--;
    }
    const len = e - s;
    if (len >= 4 && input.startsWith('$$', s) && input.startsWith('$$', e - 2)) {
      s += 2;
      e -= 2;
    } else if (len >= 2 && input[s] === '$' && input[e - 1] === '$') {
      s += 1;
      e -= 1;
    } else if (len >= 4 && (pair(input, s, e, '\\(', '\\)') || pair(input, s, e, '\\[', '\\]'))) {
      s += 2;
      e -= 2;
    } else {
      const env = environmentAround(input, s, e);
      if (!env) return { start: s, end: e, multiline };
      multiline ||= MULTILINE_ENVIRONMENTS.has(env.name);
      s = env.start;
      e = env.end;
    }
  }
}

function pair(input: string, s: number, e: number, open: string, close: string): boolean {
  return input.startsWith(open, s) && input.startsWith(close, e - 2);
}

/** A `.`/`,` at `i` that belongs to `\,` or `\right.` is not punctuation. */
function isEscaped(input: string, s: number, i: number): boolean {
  if (i > s && input[i - 1] === '\\') return true;
  return (
    (i - 6 >= s && input.startsWith('\\right', i - 6)) || (i - 5 >= s && input.startsWith('\\left', i - 5))
  );
}

const BEGIN = /^\\begin\s*\{\s*([a-zA-Z]+\*?)\s*\}(\s*\{\s*\d+\s*\})?/;

/** `\begin{env} … \end{env}` spanning exactly `[s, e)` with a formula environment: the inside. */
function environmentAround(
  input: string,
  s: number,
  e: number,
): { name: string; start: number; end: number } | null {
  if (!input.startsWith('\\begin', s)) return null;
  const m = BEGIN.exec(input.slice(s, Math.min(e, s + 40)));
  if (!m || !FORMULA_ENVIRONMENTS.has(m[1])) return null;
  const name = m[1];
  // The closing `\end{name}` must be the last thing, spaces allowed inside the braces.
  let j = e;
  if (input[j - 1] !== '}') return null;
  j--;
  while (j > s && isSpace(input[j - 1])) j--;
  if (j - name.length < s || !input.startsWith(name, j - name.length)) return null;
  j -= name.length;
  while (j > s && isSpace(input[j - 1])) j--;
  if (input[j - 1] !== '{') return null;
  j--;
  while (j > s && isSpace(input[j - 1])) j--;
  if (j - 4 < s || !input.startsWith('\\end', j - 4)) return null;
  j -= 4;
  // `\begin{alignat}{2}`: the column count is not part of the formula.
  const start = s + m[0].length - (COLUMN_ENVIRONMENTS.has(name) ? 0 : (m[2]?.length ?? 0));
  return start <= j ? { name, start, end: j } : null;
}
