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
