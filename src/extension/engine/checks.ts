/**
 * The derivation checker (src/notes/check.ts) as the editor asks it: a whole note for the diagnostics, the
 * chain of one region for the hover and the panel. Runs in the engine's worker; each region has a budget
 * (`REGION_BUDGET_MS`, less in a hover), past which its steps are `unchecked` ("took too long").
 */
import { check, checkAt } from '../../notes/check';
import type { CheckOptions, NoteFormat, StepCheck } from '../../notes/api';
import { documentRegions, regionAt } from '../../notes/regions';
import { documentKind } from '../shared/documents';
import type { DocumentLike, EngineSettings } from '../shared/domain';
import { REGION_BUDGET_MS, type ChainOutcome } from '../shared/engineProtocol';

/** Markdown and LaTeX notes have derivations; other files none. */
function noteFormat(languageId: string): NoteFormat | undefined {
  const kind = documentKind(languageId);
  return kind === 'markdown' || kind === 'latex' ? kind : undefined;
}

function options(settings: EngineSettings, regionBudgetMs: number): CheckOptions {
  return { layout: settings.layout, regionBudgetMs };
}

/** Every step of every chain of the note; none in a file that is not a note. */
export function checkDocument(doc: DocumentLike, settings: EngineSettings): readonly StepCheck[] {
  const format = noteFormat(doc.languageId);
  return format ? check(doc.text, format, options(settings, REGION_BUDGET_MS)) : [];
}

/** The chain of the math region at `offset`, with the region's content as its range; undefined when it has no step. */
export function chainAt(
  doc: DocumentLike,
  offset: number,
  settings: EngineSettings,
  regionBudgetMs = REGION_BUDGET_MS,
): ChainOutcome | undefined {
  const format = noteFormat(doc.languageId);
  if (!format) return undefined;
  const region = regionAt(documentRegions(doc.text, format), offset);
  if (!region) return undefined;
  const steps = checkAt(doc.text, format, offset, options(settings, regionBudgetMs));
  if (steps.length === 0) return undefined;
  return { kind: 'chain', range: { start: region.contentStart, end: region.contentEnd }, steps };
}
