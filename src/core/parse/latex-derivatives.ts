/**
 * Token patterns of derivative notation, for the parser: the differential
 * marks `\partial`, `d`, `\mathrm{d}` and the extent of a `{…}` group. They
 * never throw; the parser decides what a failed match means.
 */
import type { Token } from './latex-lexer';
import { isCmd, isSym } from './latex-names';
import { TEXT_COMMANDS } from '../vocabulary';

export interface Differential {
  readonly notation: 'partial' | 'total';
  /** As messages show it. */
  readonly display: string;
  /** Index of the first token after the mark. */
  readonly next: number;
}

/** `\partial`, `d`, `\mathrm{d}`, `\mathrm d`, `\text{d}`, `\operatorname{d}` at token i, or null. */
export function differentialAt(tokens: readonly Token[], i: number): Differential | null {
  const t = tokens[i];
  if (isCmd(t, 'partial')) return { notation: 'partial', display: '\\partial', next: i + 1 };
  if (t.kind === 'letter' && t.text === 'd') return { notation: 'total', display: 'd', next: i + 1 };
  if (t.kind !== 'cmd' || !TEXT_COMMANDS.has(t.text)) return null;
  const a = tokens[i + 1];
  if (a.kind === 'letter' && a.text === 'd') return { notation: 'total', display: 'd', next: i + 2 };
  if (isSym(a, '{') && isLetterD(tokens[i + 2]) && isSym(tokens[i + 3], '}'))
    return { notation: 'total', display: 'd', next: i + 4 };
  return null;
}

function isLetterD(t: Token): boolean {
  return t.kind === 'letter' && t.text === 'd';
}

/** Index of the `}` closing the `{` at token i, or -1 when it is not closed. */
export function closingBrace(tokens: readonly Token[], i: number): number {
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    const t = tokens[j];
    if (isSym(t, '{')) depth++;
    else if (isSym(t, '}') && --depth === 0) return j;
    else if (t.kind === 'eof') return -1;
  }
  return -1;
}
