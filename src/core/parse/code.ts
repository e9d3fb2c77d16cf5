/** What the front ends for code (TypeScript, Python) share. */
import { errorAt, isStackOverflow, LensError } from '../errors';
import { MAX_NESTING_DEPTH, requireWithinLength } from '../limits';
import type { ParsedInput, Span, Syntax } from './syntax';

/**
 * A code front end's entry: the text's length, emptiness and nesting checked before `read`
 * parses it, and a parser's stack overflow (`overflow` says why it can still happen) turned
 * into a message.
 */
export function readCode(input: string, read: (input: string) => ParsedInput, overflow: string): ParsedInput {
  requireWithinLength(input, 'expression');
  if (input.trim() === '') throw new LensError('empty expression');
  checkNesting(input);
  try {
    return read(input);
  } catch (e) {
    if (isStackOverflow(e)) throw new LensError(overflow);
    throw e;
  }
}

function tooDeep(span: Span): LensError {
  return errorAt(`expression is nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`, span);
}

/**
 * Refuses deep nesting before a parser sees the text, so that 20,000 parentheses
 * answer at once instead of overflowing the stack. Depth counts open brackets
 * plus runs of prefix `-`/`+`/`~` (each of which nests its operand); a run
 * ends at the next operand, so `-a + -b` stays at depth 1.
 */
function checkNesting(input: string): void {
  const opened: number[] = []; // depth each open bracket added
  let depth = 0;
  let prefixRun = 0;
  let operandEnded = false; // whether the previous significant character ends an operand
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '(' || c === '[' || c === '{') {
      opened.push(prefixRun + 1);
      depth += prefixRun + 1;
      prefixRun = 0;
      operandEnded = false;
      if (depth > MAX_NESTING_DEPTH) throw tooDeep({ start: i, end: i + 1 });
    } else if (c === ')' || c === ']' || c === '}') {
      depth -= opened.pop() ?? 0;
      prefixRun = 0;
      operandEnded = true;
    } else if ((c === '-' || c === '+' || c === '~') && !operandEnded) {
      prefixRun++;
      if (depth + prefixRun > MAX_NESTING_DEPTH) throw tooDeep({ start: i, end: i + 1 });
    } else {
      operandEnded = /[\w$.!]/.test(c);
      if (operandEnded) prefixRun = 0;
    }
  }
}

export function callOf(fn: string, args: readonly Syntax[], span: Span): Syntax {
  return { type: 'call', fn, args, span };
}

export function numberOf(value: number, span: Span): Syntax {
  return { type: 'number', value, text: String(value), span };
}
