/**
 * Finds the math under the cursor in a document: delimited math in Markdown
 * and LaTeX, the enclosing expression in TypeScript/JavaScript and Python, the selection
 * anywhere. Pure (no `vscode` import) so it is unit-tested in plain Node.
 *
 * Offsets are UTF-16 offsets into the document text, as `TextDocument.offsetAt`
 * gives them. Cosmetic pieces (`&`, `\label{…}`, a trailing comma) are blanked
 * with spaces rather than removed, so a column the core reports in `text`
 * still points at the same character of the document.
 */
import { documentKind } from '../shared/documents';
import { cleanLatex, documentRegions, isDifferentiableLatex, regionAt } from '../../notes/regions';
import { fromRegion } from './mathRegions';
import { hasVariable, locateTypeScript } from './locateTypeScript';
import { locatePython } from './locatePython';
import type { DocumentKind, LocatedMath, OffsetRange } from '../shared/domain';

/**
 * The math at `where`: a non-empty range is a selection and is taken as it is
 * (minus math delimiters); an offset (or empty range) looks for the math
 * around it. Undefined when there is nothing to differentiate there.
 */
export function locateMath(
  text: string,
  languageId: string,
  where: number | OffsetRange,
): LocatedMath | undefined {
  const kind = documentKind(languageId);
  const range = typeof where === 'number' ? { start: where, end: where } : where;
  if (range.end > range.start) return fromSelection(text, kind, range);
  const offset = range.start;
  switch (kind) {
    case 'markdown':
    case 'latex': {
      const region = regionAt(documentRegions(text, kind), offset);
      return region && fromRegion(text, region, offset);
    }
    case 'ts':
      return locateTypeScript(text, languageId, offset);
    case 'python':
      return locatePython(text, offset);
    default:
      return undefined;
  }
}

function fromSelection(text: string, kind: DocumentKind, range: OffsetRange): LocatedMath | undefined {
  const selected = text.slice(range.start, range.end);
  if (kind === 'ts' || kind === 'python')
    return hasVariable(selected) ? { text: selected, range, base: range.start, lang: kind } : undefined;
  const inner = stripDelimiters(selected);
  const start = range.start + inner.start;
  const located = { range: { start, end: range.start + inner.end }, base: start };
  const raw = selected.slice(inner.start, inner.end);
  const delimited = inner.start > 0 && selected.trimStart().length > raw.length;
  // In LaTeX, or between math delimiters, it is LaTeX; elsewhere the core tells TypeScript from LaTeX.
  if (kind === 'latex' || delimited) {
    const content = cleanLatex(raw);
    return isDifferentiableLatex(content) ? { ...located, text: content, lang: 'latex' } : undefined;
  }
  return hasVariable(raw) ? { ...located, text: raw } : undefined;
}

const DELIMITER_PAIRS: readonly (readonly [string, string])[] = [
  ['$$', '$$'],
  ['\\[', '\\]'],
  ['\\(', '\\)'],
  ['$', '$'],
];

/** Offsets of the selection without surrounding whitespace and math delimiters. */
function stripDelimiters(s: string): { start: number; end: number } {
  let start = s.length - s.trimStart().length;
  let end = s.trimEnd().length;
  for (const [open, close] of DELIMITER_PAIRS) {
    if (end - start >= open.length + close.length && s.startsWith(open, start) && s.endsWith(close, end)) {
      start += open.length;
      end -= close.length;
      break;
    }
  }
  return { start, end };
}
