import { LensError } from './errors';

/**
 * Bounds on what the core accepts. A hover runs the core on whatever is under
 * the mouse, so pathological input must be refused quickly with a message,
 * never by exhausting the stack or the event loop.
 */
export const MAX_INPUT_LENGTH = 10_000;
/** Nesting depth of brackets/groups/calls accepted by the parsers. */
export const MAX_NESTING_DEPTH = 200;

/** Refuses text over MAX_INPUT_LENGTH before any linear-or-worse work is done on it. */
export function requireWithinLength(text: string, what: 'expression' | 'declaration'): void {
  if (text.length > MAX_INPUT_LENGTH) {
    throw new LensError(`${what} is too long (${text.length} characters; the limit is ${MAX_INPUT_LENGTH})`);
  }
}
