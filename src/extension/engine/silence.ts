/**
 * Math that is not a function to differentiate: a list (`x_1, \dots, x_K`), a set (`\{1, 1/2, \cdots\}`,
 * `\mathbb{R}^{m \times n}`), a limit, text (`$SGD, Adam$`, prose between two stray dollars), a statement (`i \not= j`). The hover says
 * nothing on it when the core cannot read it; a command still says why. Pure, no `vscode`.
 */
import type { LocatedMath } from '../shared/domain';

/** Elision between list entries: `, \dots,`, `, \cdots` (the entries are listed, not summed). */
const LISTED_ELISION_RE = /,\s*\\[lc]?dots\b|\\[lc]?dots\s*,/;
/** A set: `\{…\}` (maybe in a group), or a number set `\mathbb{R}^n`, `\R^{m \times n}`. */
const SET_RE = /^[\s{]*(\\\{|\\mathbb\{|\\[RNZQC](?![a-zA-Z]))/;
const LIMIT_RE = /\\lim(?![a-zA-Z])/;
/** `i \not= j`: a statement (the core has no `\not`). */
const NEGATED_RE = /\\not(?![a-zA-Z])/;
/** What math is written in: ASCII, Greek letters, letterlike symbols (`ℝ`, `ℓ`), mathematical alphanumerics (`𝑥`). */
const MATH_CHARS_RE = /[\p{ASCII}\p{Script=Greek}\u2100-\u214f\u{1d400}-\u{1d7ff}]/gu;
/** Beyond those, a letter of a natural language's script or its punctuation (`，`, `。`) is prose. */
const PROSE_RE = /[\p{L}\u3000-\u303f\uff00-\uffef]/u;
/** `\text{…}` (and its kin) holding words rather than a name such as `\text{softmax}`. */
const TEXT_ARGUMENT_RE = /\\(?:text|textrm|textit|textbf|mbox|mathrm)\{([^{}]*)\}/g;
const NAME_RE = /^\s*[A-Za-z][A-Za-z0-9_-]*\s*$/;

/**
 * Why `math` is not an expression to differentiate (`a list`, `a set`, `a limit`, `text`, `a statement`), or undefined when
 * it may be one. Asked only of math the core could not read: what it reads is worth a hover whatever it is.
 */
export function notAnExpression(math: LocatedMath): string | undefined {
  if (math.lang === 'ts' || math.lang === 'python') return undefined;
  const t = math.text;
  if (
    PROSE_RE.test(t.replace(MATH_CHARS_RE, '')) ||
    [...t.matchAll(TEXT_ARGUMENT_RE)].some((m) => !NAME_RE.test(m[1] ?? ''))
  )
    return 'text';
  if (LIMIT_RE.test(t)) return 'a limit';
  if (NEGATED_RE.test(t)) return 'a statement';
  if (SET_RE.test(t)) return 'a set';
  if (hasTopLevelComma(t) || LISTED_ELISION_RE.test(t)) return 'a list';
  return undefined;
}

/** A `,` outside every bracket, brace and `\{…\}`: `a, b` is a list; `f(a, b)` and `[a, b]` are not. */
function hasTopLevelComma(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '{') depth++;
      else if (next === '}') depth--;
      i++; // an escaped character, or the first letter of a command
    } else if (c === '{' || c === '(' || c === '[') {
      depth++;
    } else if (c === '}' || c === ')' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 0) {
      return true;
    }
  }
  return false;
}
