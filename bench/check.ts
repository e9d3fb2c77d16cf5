/**
 * The derivation checker on the seed notes (test/fixtures/seeds/): the time to
 * check each whole note, the time of the hover's question (the steps of the
 * region at an offset, `checkAt`) per region with steps, and what the
 * checker says: regions with steps, steps by verdict.
 *
 * The reading of a note is cached per text (as hovers repeat on one text), so the region times
 * are the checking alone. `npm run bench -- --check` runs only this and rewrites its section of
 * BENCHMARKS.md; `node --import tsx bench/check.ts` prints the section.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { check, checkAt } from '../src/notes/check';
import { readNote } from '../src/notes/note';
import type { Verdict } from '../src/notes/api';
import { fmtUs, median, p95, samples, timeOnce } from './stats';

const SEEDS = path.join(__dirname, '..', 'test', 'fixtures', 'seeds');

export interface CheckRow {
  readonly note: string;
  readonly bytes: number;
  readonly regions: number;
  /** Regions with at least one step (a chain or a shape claim). */
  readonly withSteps: number;
  /** Regions with at least one step decided (holds, wrong or layout). */
  readonly decided: number;
  readonly verdicts: Readonly<Record<Verdict, number>>;
  /** Whole-note check, µs. */
  readonly note50: number;
  readonly note95: number;
  /** The hover's question per region with steps (first call on the text, the reading included), µs. */
  readonly regionTimes: readonly number[];
}

export function measureCheck(repeats: number): CheckRow[] {
  return readdirSync(SEEDS)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(SEEDS, f), 'utf8');
      const note = readNote(text, 'markdown');
      const steps = check(text, 'markdown');
      const verdicts: Record<Verdict, number> = { holds: 0, wrong: 0, layout: 0, unchecked: 0 };
      for (const s of steps) verdicts[s.verdict]++;
      const times = samples(() => check(text, 'markdown'), repeats);
      const regions = [...new Set(note.claims.map((c) => c.region))];
      const decided = new Set(
        steps.flatMap((s, i) => (s.verdict === 'unchecked' ? [] : [note.claims[i].region])),
      ).size;
      const regionTimes = regions.map((r) =>
        timeOnce(() => checkAt(text, 'markdown', note.regions[r].start)),
      );
      return {
        note: f,
        bytes: Buffer.byteLength(text),
        regions: note.regions.length,
        withSteps: regions.length,
        decided,
        verdicts,
        note50: median(times),
        note95: p95(times),
        regionTimes,
      };
    });
}

export function renderCheck(rows: readonly CheckRow[]): string {
  const all = rows.flatMap((r) => r.regionTimes);
  const sum = (f: (r: CheckRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const lines = [
    '## Derivation checker',
    '',
    "The checker (`src/notes/check.ts`, `jacobian-lens check`) on the five seed notes (`test/fixtures/seeds/`, Markdown; `bench/check.ts`; run alone with `npm run bench -- --check`). **Note**: the whole note checked (median / p95 of repeated runs); **region**: the hover's question, the steps of the region at an offset (`checkAt`; the note's reading is cached from the previous call, as for repeated hovers on one text), for each region with steps. **Decided**: regions with at least one step that holds, is wrong or holds in the other layout only. Steps by verdict: ✓ holds, ✗ wrong, layout (holds in the other layout only), unchecked (a reason given).",
    '',
    '| Note | Size | Regions | With steps | Decided | ✓ | ✗ | layout | unchecked | Note p50 / p95 | Region p50 / p95 / max |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.note} | ${(r.bytes / 1024).toFixed(1)} KB | ${r.regions} | ${r.withSteps} | ${r.decided} | ${r.verdicts.holds} | ${r.verdicts.wrong} | ${r.verdicts.layout} | ${r.verdicts.unchecked} | ${fmtUs(r.note50)} / ${fmtUs(r.note95)} | ${fmtUs(median(r.regionTimes))} / ${fmtUs(p95(r.regionTimes))} / ${fmtUs(Math.max(...r.regionTimes))} |`,
    ),
    `| **all** | ${(sum((r) => r.bytes) / 1024).toFixed(1)} KB | ${sum((r) => r.regions)} | ${sum((r) => r.withSteps)} | ${sum((r) => r.decided)} | ${sum((r) => r.verdicts.holds)} | ${sum((r) => r.verdicts.wrong)} | ${sum((r) => r.verdicts.layout)} | ${sum((r) => r.verdicts.unchecked)} | ${fmtUs(sum((r) => r.note50))} (sum of medians) | ${fmtUs(median(all))} / ${fmtUs(p95(all))} / ${fmtUs(Math.max(...all))} |`,
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) process.stdout.write(`${renderCheck(measureCheck(10))}\n`);
