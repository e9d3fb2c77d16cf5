/**
 * What the hover says on the seed notes: every `$…$` / `$$…$$` region hovered at its middle through the
 * engine (as the editor asks), counted as a result, a chain's verdicts, an error, or silence; with the time of
 * each hover (the first on a note includes reading it) and of checking each whole note ("Check Derivations").
 * `node --import tsx bench/seed-hovers.ts [seeds folder] [--list error|silence|result|verdicts]`
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer } from '../src/extension/engine/engineWorker';
import { mathRegions } from '../src/notes/regions';
import { DEFAULT_SETTINGS } from '../src/extension/shared/documents';
import { HOVER_BUDGET_MS } from '../src/extension/shared/engineProtocol';
import { fmtUs, median, nowUs, p95, timeOnce } from './stats';

type Kind = 'result' | 'verdicts' | 'error' | 'silence';

const args = process.argv.slice(2);
const listAt = args.indexOf('--list');
const list = listAt >= 0 ? (args.splice(listAt, 2)[1] as Kind) : undefined;
// The seed notes sit beside the main checkout (`../shared/seeds`).
const folder = args[0] ?? join('..', 'shared', 'seeds');

const totals: Record<Kind, number> = { result: 0, verdicts: 0, error: 0, silence: 0 };
const hoverUs: number[] = [];
for (const file of readdirSync(folder).sort()) {
  const text = readFileSync(join(folder, file), 'utf8');
  const doc = { text, languageId: 'markdown' };
  const counts: Record<Kind, number> = { result: 0, verdicts: 0, error: 0, silence: 0 };
  for (const region of mathRegions(text, 'markdown')) {
    const middle = (region.contentStart + region.contentEnd) >> 1;
    const started = nowUs();
    const outcome = answer({ kind: 'hover', doc, where: middle, settings: DEFAULT_SETTINGS, remembered: {} });
    hoverUs.push(nowUs() - started);
    const kind: Kind =
      outcome === undefined ? 'silence' : outcome.kind === 'chain' ? 'verdicts' : outcome.kind;
    counts[kind]++;
    if (kind === list) {
      const source = text.slice(region.contentStart, region.contentEnd).replace(/\s+/g, ' ').trim();
      const said = outcome?.kind === 'error' ? ` → ${outcome.message}` : '';
      console.log(
        `${file}:${text.slice(0, region.start).split('\n').length}: ${source.slice(0, 100)}${said}`,
      );
    }
  }
  for (const k of Object.keys(totals) as Kind[]) totals[k] += counts[k];
  // A new text each time, so that the note is read again as after an edit.
  const checkUs = timeOnce(() =>
    answer({ kind: 'check', doc: { ...doc, text: `${text}\n` }, settings: DEFAULT_SETTINGS }),
  );
  if (!list) console.log(file, JSON.stringify(counts), `check ${fmtUs(checkUs)}`);
}
if (!list) {
  console.log('total', JSON.stringify(totals));
  const over = hoverUs.filter((us) => us > HOVER_BUDGET_MS * 1000).length;
  console.log(
    `hover: median ${fmtUs(median(hoverUs))}, p95 ${fmtUs(p95(hoverUs))}, max ${fmtUs(Math.max(...hoverUs))}, ${over} of ${hoverUs.length} over the ${HOVER_BUDGET_MS} ms budget`,
  );
}
