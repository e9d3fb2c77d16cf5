/**
 * Recognizing names in a token stream: `x`, `x_1`, `w_{ij}`, `\theta`,
 * `\mathbf{x}_i`, `\vec 1`, `\hat{z}`, `\text{logistic}`. Shared by the
 * expression parser and the declaration scanner, so it never throws: a
 * non-name is `null` and the caller decides what to report.
 */
import type { NameStyle } from './syntax';
import type { Token } from './latex-lexer';
import { BLACKBOARD_COMMANDS } from './latex-tables';
import { ACCENTS, BOLD_COMMANDS, GREEK_COMMANDS, TEXT_COMMANDS } from '../vocabulary';

export interface NameMatch {
  readonly name: string;
  readonly style: NameStyle;
  /** Written inside `\text{…}`/`\operatorname{…}`/`\mathrm{…}` with several letters: a function name. */
  readonly word: boolean;
  readonly start: number;
  readonly end: number;
  /** Index of the first token after the name. */
  readonly next: number;
}

/** How many wrappers (`\hat{\mathbf{…}}`) a name may have. */
export const MAX_WRAPPERS = 8;

export function isSym(t: Token, text: string): boolean {
  return t.kind === 'sym' && t.text === text;
}
export function isCmd(t: Token, text: string): boolean {
  return t.kind === 'cmd' && t.text === text;
}

/**
 * The name starting at token `i`, or null.
 * `subscript`: also read a following `_…` into the name (`x_1`); the parser
 * reads subscripts itself so that `x^2_1` works.
 */
export function readName(tokens: readonly Token[], i: number, subscript: boolean): NameMatch | null {
  const first = tokens[i];
  let style: NameStyle = 'plain';
  let textual = false;
  let opens = 0;
  let accents: string[] | undefined;
  // Wrappers nest (`\overrightarrow{\mathbf{1}}`, `\overrightarrow{{1}}`): walk in, count braces, walk out.
  for (let wrappers = 0; ; wrappers++) {
    const t = tokens[i];
    // Real names have a few wrappers; the bound keeps scanning a document linear.
    if (wrappers > MAX_WRAPPERS) return null;
    if (t.kind === 'cmd' && BOLD_COMMANDS.has(t.text)) style = 'bold';
    else if (t.kind === 'cmd' && BLACKBOARD_COMMANDS.has(t.text)) style = 'blackboard';
    else if (t.kind === 'cmd' && TEXT_COMMANDS.has(t.text)) textual = true;
    else if (t.kind === 'cmd' && ACCENTS.has(t.text)) (accents ??= []).push(ACCENTS.get(t.text) as string);
    else if (isSym(t, '{')) opens++;
    else break;
    i++;
    if (t.kind === 'cmd' && t.text === 'operatorname' && isSym(tokens[i], '*')) i++;
  }
  const atom = tokens[i];
  let name: string;
  let word = false;
  if (atom.kind === 'letter') {
    name = atom.text;
    i++;
    // Inside \text{…} letters and digits run together into one word.
    if (textual && opens > 0) {
      while (tokens[i].kind === 'letter' || tokens[i].kind === 'num') name += tokens[i++].text;
      word = name.length > 1;
    }
  } else if (atom.kind === 'cmd' && GREEK_COMMANDS.has(atom.text)) {
    name = GREEK_COMMANDS.get(atom.text) as string;
    i++;
  } else if (
    atom.kind === 'num' &&
    (atom.text === '1' || atom.text === '0') &&
    (style !== 'plain' || opens > 0)
  ) {
    // \mathbf{1}, \vec 1, \overrightarrow{0}: the ones / zeros vector.
    name = atom.text;
    style = style === 'blackboard' ? 'blackboard' : 'bold';
    i++;
  } else {
    return null;
  }
  for (; opens > 0; opens--, i++) if (!isSym(tokens[i], '}')) return null;
  if (accents) for (const a of accents) name += '_' + a;
  if (subscript && isSym(tokens[i], '_')) {
    const sub = readSubscript(tokens, i + 1);
    if (!sub) return null;
    name += '_' + sub.text;
    i = sub.next;
  }
  return { name, style, word, start: first.start, end: tokens[i - 1].end, next: i };
}

/**
 * The text of a subscript starting at token `i` (just after `_`): one token
 * (`x_1`, `x_i`, `x_\alpha`) or a group of letters, digits, Greek, `,` `+` `-`
 * and `\text{…}` (`w_{ij}` → `ij`, `x_{t+1}` → `t+1`). A multi-digit number
 * token is refused here: `x_12` is `x_1·2` in TeX and the parser splits it.
 */
export function readSubscript(tokens: readonly Token[], i: number): { text: string; next: number } | null {
  const t = tokens[i];
  if (t.kind === 'letter') return { text: t.text, next: i + 1 };
  if (t.kind === 'num') return t.text.length === 1 ? { text: t.text, next: i + 1 } : null;
  if (t.kind === 'cmd') {
    const g = GREEK_COMMANDS.get(t.text) ?? (t.text === 'infty' ? 'infty' : undefined);
    return g === undefined ? null : { text: g, next: i + 1 };
  }
  if (!isSym(t, '{')) return null;
  let text = '';
  i++;
  for (;;) {
    const u = tokens[i];
    if (isSym(u, '}')) return text === '' ? null : { text, next: i + 1 };
    if (u.kind === 'letter' || u.kind === 'num') text += u.text;
    else if (isSym(u, ',') || isSym(u, '+') || isSym(u, '-')) text += u.text;
    else if (u.kind === 'cmd' && GREEK_COMMANDS.has(u.text)) text += GREEK_COMMANDS.get(u.text);
    else if (isCmd(u, 'infty')) text += 'infty';
    else if (u.kind === 'cmd' && TEXT_COMMANDS.has(u.text) && isSym(tokens[i + 1], '{')) {
      i += 2;
      while (tokens[i].kind === 'letter' || tokens[i].kind === 'num') text += tokens[i++].text;
      if (!isSym(tokens[i], '}')) return null;
    } else return null;
    i++;
  }
}

/** `\\top`, `\\intercal`, `T`, `\\mathsf T`, `\\mathsf{T}`, `\\prime` at token i (after `^`): the index after it, else -1. */
export function transposeMarkAt(tokens: readonly Token[], i: number): number {
  const t = tokens[i];
  if (t.kind === 'letter') return t.text === 'T' ? i + 1 : -1;
  if (t.kind !== 'cmd') return -1;
  if (t.text === 'top' || t.text === 'intercal' || t.text === 'prime') return i + 1;
  if (!TEXT_COMMANDS.has(t.text) && t.text !== 'rm' && t.text !== 'sf') return -1;
  const a = tokens[i + 1];
  if (a.kind === 'letter' && a.text === 'T') return i + 2;
  if (isSym(a, '{') && tokens[i + 2].text === 'T' && isSym(tokens[i + 3], '}')) return i + 4;
  return -1;
}
