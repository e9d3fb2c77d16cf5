/**
 * What counts as a numeric value given by a person or a caller (`at`, the
 * panel's point): a leaf module, so the extension host can check a typed
 * point without loading the engine.
 */
import type { Value } from './api';

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isNumbers = (x: unknown): x is number[] => Array.isArray(x) && x.length > 0 && x.every(isNumber);

/** A finite number, a non-empty array of them, or a rectangular array of such rows. */
export function isValue(v: unknown): v is Value {
  return (
    isNumber(v) ||
    isNumbers(v) ||
    (Array.isArray(v) &&
      v.length > 0 &&
      v.every(isNumbers) &&
      v.every((r: number[]) => r.length === (v[0] as number[]).length))
  );
}
