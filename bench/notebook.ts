/**
 * What a notebook adds to a hover: joining its Markdown cells (once per version of the notebook, so after
 * each edit) and mapping the cursor into the joined text and the answer back. Each seed note is cut into one
 * cell per paragraph, with a code cell after every third; the joined text is then the note itself, so the
 * hover's own work is the file's (bench/seed-hovers.ts). Also all the seeds as one notebook, ×10 and ×100.
 * `npm run bench -- --notebook` rewrites its section of BENCHMARKS.md; `node --import tsx bench/notebook.ts`
 * prints it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fromNotebook, notebookText, toNotebook, type NotebookCell } from '../src/extension/shared/notebook';
import { fmtUs, median, samples } from './stats';

const SEEDS = path.join(__dirname, '..', 'test', 'fixtures', 'seeds');

export interface NotebookRow {
  readonly name: string;
  readonly cells: number;
  /** Length of the joined text, UTF-16 characters. */
  readonly chars: number;
  /** Joining the Markdown cells, µs (median). */
  readonly joinUs: number;
  /** A cursor into the joined text and back, µs (median, per cell). */
  readonly mapUs: number;
}

function cellsOf(text: string): NotebookCell[] {
  return text
    .split('\n\n')
    .flatMap((paragraph, k) => [
      { text: paragraph, joined: true },
      ...(k % 3 === 2 ? [{ text: 'y = np.tanh(W @ x + b)', joined: false }] : []),
    ]);
}

function measure(name: string, cells: readonly NotebookCell[], repeats: number): NotebookRow {
  const joined = notebookText(cells);
  const markdown = cells.flatMap((c, k) => (c.joined ? [k] : []));
  const mapAll = () => {
    for (const k of markdown) {
      const at = toNotebook(joined, k, cells[k].text.length >> 1);
      fromNotebook(joined, { start: at, end: at });
    }
  };
  return {
    name,
    cells: cells.length,
    chars: joined.text.length,
    joinUs: median(samples(() => notebookText(cells), repeats)),
    mapUs: median(samples(mapAll, repeats)) / markdown.length,
  };
}

export function measureNotebooks(repeats: number): NotebookRow[] {
  const rows: NotebookRow[] = [];
  const all: NotebookCell[] = [];
  for (const file of readdirSync(SEEDS).sort()) {
    const text = readFileSync(path.join(SEEDS, file), 'utf8');
    const cells = cellsOf(text);
    if (notebookText(cells).text !== text) throw new Error(`${file}: the joined cells are not the note`);
    rows.push(measure(file, cells, repeats));
    all.push(...cells);
  }
  rows.push(measure('all seeds as one notebook', all, repeats));
  for (const times of [10, 100])
    rows.push(measure(`all seeds ×${times}`, Array.from({ length: times }, () => all).flat(), repeats));
  return rows;
}

export function renderNotebooks(rows: readonly NotebookRow[]): string {
  return [
    '## Notebooks',
    '',
    "What a notebook adds to the hover of a Markdown cell (`src/extension/shared/notebook.ts`; `bench/notebook.ts`; run alone with `npm run bench -- --notebook`): the host joins the notebook's Markdown cells once per version (after an edit; hovers on an unchanged notebook reuse it) and maps the cursor into the joined text and the answer back. Each seed note (`test/fixtures/seeds/`) is cut into one cell per paragraph with a code cell after every third, so the joined text is the note itself and the engine's work is the file's (see the derivation checker and `bench/seed-hovers.ts`). Medians.",
    '',
    '| Notebook | Cells | Characters | Join | Map a cursor and back |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.cells} | ${(r.chars / 1000).toFixed(1)}k | ${fmtUs(r.joinUs)} | ${fmtUs(r.mapUs)} |`,
    ),
    '',
  ].join('\n');
}

if (require.main === module) process.stdout.write(`${renderNotebooks(measureNotebooks(21))}\n`);
