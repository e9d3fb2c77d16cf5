/**
 * The formula of a document's math region at an offset, for the hover: one
 * equation of an alignment, cleaned for the core (the scanner itself is
 * src/notes/regions.ts, shared with the derivation checker and the CLI).
 */
import { MAX_INPUT_LENGTH } from '../../core/limits';
import {
  cleanLatex,
  isDifferentiableLatex,
  splitEquations,
  type MathRegion,
  type Piece,
} from '../../notes/regions';
import type { LocatedMath } from '../shared/domain';

interface RegionEquations {
  /** The region's equations in order (one unless its rows are separate equations). */
  readonly pieces: readonly Piece[];
  /** What each piece gives the core, worked out on the first hover over it (null: not yet). */
  readonly located: (LocatedMath | undefined | null)[];
}

/** Per region of the cached regions (so per document text): hovers over one formula share the work. */
const regionEquations = new WeakMap<MathRegion, RegionEquations>();

export function fromRegion(text: string, region: MathRegion, offset: number): LocatedMath | undefined {
  let equations = regionEquations.get(region);
  if (!equations) {
    const pieces = splitEquations(text.slice(region.contentStart, region.contentEnd), region.env);
    equations = { pieces, located: pieces.map(() => null) };
    regionEquations.set(region, equations);
  }
  const { pieces, located } = equations;
  // The row at the cursor: the last one starting at or before it (the first when on the delimiter).
  const at = offset - region.contentStart;
  let k = 0;
  for (let hi = pieces.length - 1; k < hi;) {
    const mid = (k + hi + 1) >> 1;
    if (pieces[mid].start <= at) k = mid;
    else hi = mid - 1;
  }
  let found = located[k];
  if (found === null) {
    const piece = pieces[k];
    const start = region.contentStart + piece.start;
    const range = { start, end: start + piece.text.length };
    if (piece.text.length > MAX_INPUT_LENGTH) {
      // Longer than the core accepts: refused for its length (which cleaning keeps), so not worth cleaning.
      found = { text: piece.text, range, base: start, lang: 'latex' };
    } else {
      const cleaned = cleanLatex(piece.text);
      found = isDifferentiableLatex(cleaned)
        ? { text: cleaned, range, base: start, lang: 'latex' }
        : undefined;
    }
    located[k] = found;
  }
  return found;
}
