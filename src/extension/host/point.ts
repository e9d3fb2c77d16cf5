/**
 * The point the panel evaluates at, as typed in its box. Apart from the
 * engine (no core import but its error type), so the extension host reads it
 * itself.
 */
import type { Value } from '../../core/api';
import { LensError } from '../../core/errors';
import { isValue } from '../../core/value';

/**
 * A point typed by a person: JSON (`{"x": 1, "y": [1, 2]}`) or assignments
 * (`x=1, y=[1, 2]`). Values are numbers, arrays or arrays of rows; nothing is
 * evaluated. Anything else gives a one-line message.
 */
export function readPoint(
  input: string,
): { ok: true; point: Record<string, Value> } | { ok: false; message: string } {
  try {
    return { ok: true, point: parsePoint(input) };
  } catch (e) {
    if (e instanceof LensError) return { ok: false, message: e.message };
    throw e;
  }
}

function parsePoint(input: string): Record<string, Value> {
  const s = input.trim();
  if (s === '') return {};
  if (s.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(s);
    } catch {
      throw new LensError('the point is not valid JSON; write {"x": 1} or x=1, y=2');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new LensError('the point must be an object like {"x": 1}');
    }
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, checkValue(k, v)]));
  }
  // Built from entries: `__proto__=[1, 2]` is a value for a variable, not a new prototype.
  const point: [string, Value][] = [];
  for (const part of splitTopLevel(s)) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq < 0 || name === '') throw new LensError(`expected name=value, not "${part.trim()}"`);
    let value: unknown;
    try {
      value = JSON.parse(part.slice(eq + 1).trim());
    } catch {
      throw new LensError(`the value of ${name} is not a number or an array of numbers`);
    }
    point.push([name, checkValue(name, value)]);
  }
  return Object.fromEntries(point);
}

function checkValue(name: string, v: unknown): Value {
  if (isValue(v)) return v;
  throw new LensError(`the value of ${name} must be a number, a vector [1, 2] or a matrix [[1, 2], [3, 4]]`);
}

/** Splits at commas outside brackets: `x=1, y=[1, 2]` → `x=1`, ` y=[1, 2]`. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']') depth--;
    else if ((s[i] === ',' || s[i] === ';') && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts.filter((p) => p.trim() !== '');
}
