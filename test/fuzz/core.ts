/**
 * What every fuzz property of the core's front ends asserts about one call of
 * `differentiate`: it returns or throws a LensError (anything else fails with
 * the input printed by fast-check), within a generous time budget.
 */
import assert from 'node:assert/strict';
import {
  differentiate,
  LensError,
  type DifferentiateOptions,
  type DifferentiateResult,
} from '../../src/core';

/** Per call; far above the typical millisecond, far below a hang. */
export const BUDGET_MS = 2000;

/** The slowest call so far, reported by each file at its end. */
export const slowest = { ms: 0, input: '' };

/** Calls the core (asking for the TypeScript code too, unless the options say); undefined when it refused with a LensError. */
export function differentiateOrRefuse(
  expression: string,
  options?: unknown,
): DifferentiateResult | undefined {
  const start = performance.now();
  try {
    const withCode =
      typeof options === 'object' && options !== null && !('emit' in options)
        ? { ...options, emit: 'ts' }
        : options;
    return differentiate(expression, withCode as DifferentiateOptions);
  } catch (e) {
    if (e instanceof LensError) return undefined;
    throw e;
  } finally {
    const ms = performance.now() - start;
    if (ms > slowest.ms) Object.assign(slowest, { ms, input: `${expression} ${JSON.stringify(options)}` });
    assert.ok(ms < BUDGET_MS, `took ${ms.toFixed(0)} ms`);
  }
}

/** Every entry of a value is a finite number. */
export function allFinite(v: unknown): boolean {
  return typeof v === 'number' ? Number.isFinite(v) : Array.isArray(v) && v.every(allFinite);
}

/** One line per file on stderr, so that a long run's report can quote it. */
export function reportSlowest(file: string): void {
  process.stderr.write(
    `${file}: slowest call ${slowest.ms.toFixed(0)} ms (${slowest.input.slice(0, 120)})\n`,
  );
}
