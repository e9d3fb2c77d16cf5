/**
 * Guesses the language of a selection from cheap surface marks. Plain math
 * (`x*y + sin(x)`, `3x^2y`) goes to the LaTeX parser, which also reads it.
 */
import type { Language } from '../api';

/** Marks that only LaTeX writes: a backslash command, `$`, braced scripts. */
const LATEX_MARK = /\\|\$|\^\{|_\{/;

/** Marks that only Python writes: its array libraries, `lambda`, `def`, `@`, NumPy's `.T`. */
const PYTHON_MARK =
  /\b(?:np|numpy|torch|jnp|jax|scipy|math|F)\.|\blambda\b|^\s*(?:def|import|from)\s|@|\.(?:T|mT)\b|\.t\(\)/m;

/** Marks that only TypeScript/JavaScript writes. */
const TS_MARK = /\bMath\.|=>|\*\*|^\s*(?:export\s+)?(?:const|let|var|function|return)\s|;\s*$/;

export function detectLanguage(input: string): Language {
  if (LATEX_MARK.test(input)) return 'latex';
  if (PYTHON_MARK.test(input)) return 'python';
  return TS_MARK.test(input) ? 'ts' : 'latex';
}
