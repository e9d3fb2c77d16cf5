/**
 * Tokenizer for LaTeX math. Never throws: characters it does not know become
 * `other` tokens, so the parser can report them with a column and
 * `findLatexDeclarations` can walk whole Markdown documents.
 */
import { GREEK_LETTERS } from '../vocabulary';

export type TokenKind = 'num' | 'letter' | 'cmd' | 'sym' | 'other' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Digits, the letter, the command name without `\` (`frac`, `{`, `|`, `\\` for a row break), or the symbol. */
  readonly text: string;
  /** Offsets into the original input. */
  readonly start: number;
  readonly end: number;
}

// prettier-ignore
/** Typesetting-only commands, dropped. */
const IGNORED_COMMANDS = new Set([
  'quad', 'qquad', 'displaystyle', 'textstyle', 'scriptstyle', 'limits', 'nolimits', 'hline', 'nonumber',
  'notag', 'enspace', 'thinspace', 'medspace', 'thickspace', 'negthinspace', 'negmedspace', 'mathstrut', 'strut',
  'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'biggl', 'biggr', 'Biggl', 'Biggr', 'bigm',
  'Bigm', 'middle', 'allowbreak',
]);
/** Typesetting-only commands with a brace argument, dropped together with it. */
const IGNORED_WITH_ARGUMENT = new Set([
  'tag',
  'label',
  'hspace',
  'vspace',
  'phantom',
  'hphantom',
  'vphantom',
]);
/** `\,` `\;` `\:` `\!` `\ ` `\>` `\/` */
const IGNORED_SYMBOL_COMMANDS = new Set([',', ';', ':', '!', ' ', '>', '/', '\t', '\n', '\r']);

/** Unicode math that people paste, mapped to the token its LaTeX spelling gives. */
const UNICODE: ReadonlyMap<string, readonly [TokenKind, string]> = new Map<
  string,
  readonly [TokenKind, string]
>([
  ['\u2212', ['sym', '-']], // minus sign
  ['\u00b7', ['cmd', 'cdot']],
  ['\u22c5', ['cmd', 'cdot']],
  ['\u00d7', ['cmd', 'times']],
  ['\u2032', ['sym', "'"]], // prime
  ['\u2019', ['sym', "'"]], // a typographic apostrophe typed for a prime: g’(x)
  ['\u2208', ['cmd', 'in']],
  ['\u211d', ['cmd', 'R']],
  ['\u2211', ['cmd', 'sum']],
  ['\u221a', ['cmd', 'sqrt']],
  ['\u221e', ['cmd', 'infty']],
  ['\u2299', ['cmd', 'odot']],
  ['\u2207', ['cmd', 'nabla']],
  ['\u2202', ['cmd', 'partial']],
  ['\u2026', ['cmd', 'ldots']],
  ['\u22ef', ['cmd', 'cdots']],
  ['\u2016', ['cmd', '|']],
  ...GREEK_LETTERS.flatMap((g) => (g.unicode ? [[g.unicode, ['cmd', g.command]] as const] : [])),
]);

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xa0 || c === 0x3000;
}

/**
 * Tokens of `input[start, end)`, followed by one `eof` token at `end`.
 * `comments`: treat `%` as a TeX comment to end of line (off for Markdown, where `%` is a percent sign).
 */
export function tokenize(input: string, start = 0, end = input.length, comments = true): Token[] {
  const tokens: Token[] = [];
  let i = start;
  // A TeX argument is one token, so digits after `^`, `_`, `\frac`, `\sqrt` are
  // single: `x^23` is x²·3, `\frac12` is ½, `x_12` is x₁·2.
  let singleDigits = 0;
  while (i < end) {
    const c = input.charCodeAt(i);
    const count = tokens.length;
    if (singleDigits > 0 && isDigit(c)) {
      tokens.push({ kind: 'num', text: input[i], start: i, end: i + 1 });
      i++;
      singleDigits--;
      continue;
    }
    if (isSpace(c) || c === 126 /* ~ */) {
      i++;
    } else if (c === 37 /* % */ && comments) {
      while (i < end && input.charCodeAt(i) !== 10) i++;
    } else if (isDigit(c) || (c === 46 /* . */ && i + 1 < end && isDigit(input.charCodeAt(i + 1)))) {
      const s = i;
      while (i < end && isDigit(input.charCodeAt(i))) i++;
      if (i + 1 < end && input.charCodeAt(i) === 46 && isDigit(input.charCodeAt(i + 1))) {
        i++;
        while (i < end && isDigit(input.charCodeAt(i))) i++;
      }
      tokens.push({ kind: 'num', text: input.slice(s, i), start: s, end: i });
    } else if (isLetter(c)) {
      tokens.push({ kind: 'letter', text: input[i], start: i, end: i + 1 });
      i++;
    } else if (c === 92 /* \ */) {
      i = command(input, i, end, tokens);
    } else if (c < 128) {
      tokens.push({ kind: 'sym', text: input[i], start: i, end: i + 1 });
      i++;
    } else {
      const mapped = UNICODE.get(input[i]);
      if (mapped) {
        tokens.push({ kind: mapped[0], text: mapped[1], start: i, end: i + 1 });
        i++;
      } else {
        // One token for a run of foreign characters (prose in a Markdown document).
        const s = i;
        i++;
        while (
          i < end &&
          input.charCodeAt(i) >= 128 &&
          !UNICODE.has(input[i]) &&
          !isSpace(input.charCodeAt(i))
        )
          i++;
        tokens.push({ kind: 'other', text: input.slice(s, i), start: s, end: i });
      }
    }
    if (tokens.length > count) singleDigits = digitArguments(tokens[tokens.length - 1]);
  }
  tokens.push({ kind: 'eof', text: '', start: end, end });
  return tokens;
}

function digitArguments(t: Token): number {
  if (t.kind === 'sym') return t.text === '^' || t.text === '_' ? 1 : 0;
  if (t.kind !== 'cmd') return 0;
  if (t.text === 'frac' || t.text === 'dfrac' || t.text === 'tfrac' || t.text === 'cfrac') return 2;
  return t.text === 'sqrt' ? 1 : 0;
}

/** Lexes the command at `input[i] === '\\'`; returns the next offset. */
function command(input: string, i: number, end: number, tokens: Token[]): number {
  const s = i;
  i++;
  if (i >= end) {
    tokens.push({ kind: 'other', text: '\\', start: s, end: i });
    return i;
  }
  if (!isLetter(input.charCodeAt(i))) {
    const ch = input[i];
    if (IGNORED_SYMBOL_COMMANDS.has(ch)) return i + 1;
    tokens.push({ kind: 'cmd', text: ch, start: s, end: i + 1 });
    return i + 1;
  }
  while (i < end && isLetter(input.charCodeAt(i))) i++;
  const name = input.slice(s + 1, i);
  if (IGNORED_COMMANDS.has(name)) return i;
  if (IGNORED_WITH_ARGUMENT.has(name)) return skipBraceArgument(input, i, end);
  if (name === 'left' || name === 'right') {
    // `\left.` / `\right.` are invisible delimiters: nothing to parse.
    let j = i;
    while (j < end && isSpace(input.charCodeAt(j))) j++;
    if (j < end && input.charCodeAt(j) === 46) return j + 1;
  }
  tokens.push({ kind: 'cmd', text: name, start: s, end: i });
  return i;
}

/** Skips an optional `*` and one balanced `{…}` after a dropped command such as `\tag`. */
function skipBraceArgument(input: string, i: number, end: number): number {
  let j = i;
  while (j < end && isSpace(input.charCodeAt(j))) j++;
  if (j < end && input[j] === '*') j++;
  while (j < end && isSpace(input.charCodeAt(j))) j++;
  if (j >= end || input[j] !== '{') return i;
  let depth = 0;
  for (; j < end; j++) {
    const ch = input[j];
    if (ch === '\\') j++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return j + 1;
  }
  return i;
}
