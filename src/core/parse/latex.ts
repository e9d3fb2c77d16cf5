/**
 * The LaTeX front end: formula text → untyped syntax tree (syntax.ts).
 * Tokenizer (latex-lexer), names (latex-names), parser (latex-parser),
 * declarations (latex-declarations), math delimiters (latex-delimiters).
 */
import { errorAt } from '../errors';
import { requireWithinLength } from '../limits';
import type { DefinitionSyntax, ParsedInput } from './syntax';
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
  return parser(input).parseInput();
}

/**
 * Parses a definition: `z = \mathbf{w}\cdot\mathbf{x} + b`, `f(x, y) = 3x^2y`, `y = f(x) = x + x^2`
 * (one entry per name before the right side, all with its body). Throws LensError.
 */
export function parseLatexDefinition(input: string): DefinitionSyntax[] {
  return parser(input).parseDefinition();
}

function parser(input: string): LatexParser {
  requireWithinLength(input, 'expression');
  const range = stripMathDelimiters(input);
  let tokens = tokenize(input, range.start, range.end);
  if (range.multiline) tokens = singleLine(tokens);
  return new LatexParser(tokens);
}

/**
 * In `align`-like wrappers, `&` outside matrices marks the alignment column
 * and `\\` separates equations: one equation (with an optional trailing `\\`) is accepted.
 */
function singleLine(tokens: Token[]): Token[] {
  let depth = 0;
  return tokens.filter((t, i) => {
    if (t.kind === 'cmd' && t.text === 'begin') depth++;
    else if (t.kind === 'cmd' && t.text === 'end') depth--;
    if (depth !== 0) return true;
    if (t.kind === 'cmd' && t.text === '\\') {
      if (tokens[i + 1].kind !== 'eof') throw errorAt('several equations (\\\\); select one line', t);
      return false;
    }
    return !(t.kind === 'sym' && t.text === '&');
  });
}
