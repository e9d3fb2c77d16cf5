/**
 * Small helpers the activation-time code needs without loading the engine
 * (the core and Babel, in a worker of their own: see engineClient.ts).
 */
import type { DocumentKind, EngineSettings, LocatedMath } from './domain';

const MARKDOWN_LANGUAGES = new Set(['markdown', 'mdx', 'quarto', 'rmd']);
const LATEX_LANGUAGES = new Set(['latex', 'tex', 'context', 'doctex']);
const TS_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);

export function documentKind(languageId: string): DocumentKind {
  if (MARKDOWN_LANGUAGES.has(languageId)) return 'markdown';
  if (LATEX_LANGUAGES.has(languageId)) return 'latex';
  if (TS_LANGUAGES.has(languageId)) return 'ts';
  if (languageId === 'python') return 'python';
  return 'other';
}

/** Key under which a variable choice is remembered: the formula with its spacing normalised. */
export function expressionKey(math: LocatedMath): string {
  return math.text.replace(/\s+/g, ' ').trim();
}

export const DEFAULT_SETTINGS: EngineSettings = {
  defaultOperation: 'auto',
  layout: 'numerator',
  vectorNames: [],
  matrixNames: [],
  maxExpressionLength: 2000,
};

/**
 * The remembered choices with `wrt` for `key` (none when empty) as the newest, keeping the `max` newest.
 * Built from entries, so that a formula such as `__proto__` is an ordinary key, never a prototype.
 */
export function withChoice(
  stored: Readonly<Record<string, readonly string[]>>,
  key: string,
  wrt: readonly string[],
  max: number,
): Record<string, readonly string[]> {
  const entries = Object.entries(stored).filter(([k]) => k !== key);
  if (wrt.length > 0) entries.push([key, [...wrt]]);
  return Object.fromEntries(entries.slice(Math.max(0, entries.length - max)));
}
