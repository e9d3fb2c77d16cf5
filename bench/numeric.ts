/**
 * Numerical ground truth: random points and finite differences of the original
 * function, evaluated with math.js (its own expression evaluator; nothing here
 * evaluates JavaScript source).
 */
import { compile } from 'mathjs';
import { DEFAULT_DOMAIN, type ScalarCase } from './corpus';

/** The core's deterministic PRNG, so every run checks the same points. */
import { random as rng } from '../src/core/check';

export { rng };

export type Point = Record<string, number>;

export function randomPoints(c: ScalarCase, count: number, seed: number): Point[] {
  const next = rng(seed);
  const [lo, hi] = c.domain ?? DEFAULT_DOMAIN;
  const pts: Point[] = [];
  for (let i = 0; i < count; i++) {
    const p: Point = {};
    for (const v of c.vars) p[v] = lo + (hi - lo) * next();
    pts.push(p);
  }
  return pts;
}

/**
 * Fourth-order central difference of `shifted(dx) = f(x + dx)` at a coordinate
 * of size `x` (error O(h⁴), so a relative tolerance of 1e-6 separates right from wrong).
 */
export function centralDifference(shifted: (dx: number) => number, x: number): number {
  const h = 1e-3 * Math.max(1, Math.abs(x));
  return (8 * (shifted(h) - shifted(-h)) - (shifted(2 * h) - shifted(-2 * h))) / (12 * h);
}

export function finiteDifference(f: (p: Point) => number, p: Point, v: string): number {
  return centralDifference((dx) => f({ ...p, [v]: p[v] + dx }), p[v]);
}

/** The original function of a corpus case, evaluated by math.js. */
export function originalFunction(c: ScalarCase): (p: Point) => number {
  const code = compile(c.plain);
  return (p) => Number(code.evaluate({ ...p }));
}

export const TOLERANCE = 1e-6;

export function close(actual: number, expected: number, tol = TOLERANCE): boolean {
  return Number.isFinite(actual) && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}
