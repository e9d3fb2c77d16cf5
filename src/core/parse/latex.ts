/**
 * The LaTeX front end: formula text → untyped syntax tree (syntax.ts).
 * Tokenizer (latex-lexer), names (latex-names), parser (latex-parser),
 * declarations (latex-declarations), math delimiters (latex-delimiters).
 */
import { errorAt } from '../errors';
import { MAX_INPUT_LENGTH } from '../limits';
import type { ParsedInput } from './syntax';
import { tokenize, type Token } from './latex-lexer';
import { LatexParser } from './latex-parser';
import { stripMathDelimiters } from './latex-delimiters';

export { stripMathDelimiters, type MathRange } from './latex-delimiters';
export { findLatexDeclarations, parseLatexDeclaration, parseLatexDeclarations } from './latex-declarations';

/**
 * Parses one formula: an expression, `f(x, y) = …` (params and body) or
 * `y = …`. Math delimiters and formula environments around it are removed;
 * spans and error columns refer to `input` as given. Throws LensError.
 */
export function parseLatex(input: string): ParsedInput {
  if (input.length > MAX_INPUT_LENGTH) {
    throw errorAt(`expression is too long (${input.length} characters; the limit is ${MAX_INPUT_LENGTH})`, undefined);
  }
  const range = stripMathDelimiters(input);
  let tokens = tokenize(input, range.start, range.end);
  if (range.multiline) tokens = withoutAlignmentMarks(tokens);
  return new LatexParser(tokens, range.multiline).parseInput();
}

/** In `align`, `&` outside matrices only marks the alignment column. */
function withoutAlignmentMarks(tokens: Token[]): Token[] {
  let depth = 0;
  return tokens.filter((t) => {
    if (t.kind === 'cmd' && t.text === 'begin') depth++;
    else if (t.kind === 'cmd' && t.text === 'end') depth--;
    return !(depth === 0 && t.kind === 'sym' && t.text === '&');
  });
}
