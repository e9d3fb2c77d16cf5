import type { Span } from './parse/syntax';

/**
 * The one error type the core throws on bad input. Its message is meant for a
 * person (one line, with the column) and never carries a stack trace out of
 * the CLI or the extension.
 */
export class LensError extends Error {
  constructor(
    message: string,
    readonly span?: Span,
    /** Which of several expressions elaborated together (`evaluateAll`) the span is in, 0-based. */
    readonly side?: number,
  ) {
    super(message);
    this.name = 'LensError';
  }
}

/** `message at column N` (1-based) when a position is known. */
export function errorAt(message: string, span: Span | undefined): LensError {
  return new LensError(span ? `${message} at column ${span.start + 1}` : message, span);
}

/**
 * Whether `e` is the engine running out of stack (deep nesting), as opposed to
 * another RangeError (an invalid array length, a bad precision) which is a bug
 * and must be reported as what it is.
 */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}
