/**
 * The typical expression across versions of the core: `npm run bench -- --versions <label>=<core.js>…`
 * times the scalar corpus through each build (the current dist/core.js first, labelled "now") in one
 * process, interleaved, twice with the load order reversed (bench/versions-child.ts), and averages each
 * expression's two medians. Build an older commit with `git archive <commit> | tar -x -C dir` and
 * esbuild's bundle of its src/core/index.ts.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { SCALAR_CORPUS } from './corpus';
import { fmtRatio, fmtUs, geomean, median, quantile } from './stats';

export interface VersionRow {
  readonly label: string;
  readonly medianUs: number;
  readonly p95Us: number;
  /** Geometric mean over the expressions of this build's time over the first build's. */
  readonly perExpression: number;
}

function child(rounds: number, files: readonly string[]): number[][] {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'versions-child.ts'), String(rounds), ...files],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`versions-child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as number[][];
}

export function measureVersions(
  builds: readonly { label: string; file: string }[],
  rounds: number,
): VersionRow[] {
  const files = builds.map((b) => b.file);
  const forward = child(rounds, files);
  const backward = child(rounds, files.slice().reverse()).reverse();
  const perCase = forward.map((f, k) => f.map((us, i) => (us + backward[k][i]) / 2));
  return builds.map((b, k) => ({
    label: b.label,
    medianUs: median(perCase[k]),
    p95Us: quantile(perCase[k], 0.95),
    perExpression: geomean(perCase[k].map((us, i) => us / perCase[0][i])),
  }));
}

export function renderVersions(rows: readonly VersionRow[], date: string): string {
  const first = rows[0];
  return [
    '## Typical case across versions',
    '',
    `The ${SCALAR_CORPUS.length}-expression scalar corpus (\`differentiate(...).latex\`, as in the speed table) through several builds of the core in one process, interleaved expression by expression, measured twice with the load order reversed and averaged (\`npm run bench -- --versions\`, bench/versions.ts), ${date}. This compares builds with each other only: absolute times depend on the machine's load at the time, which on this shared machine varies by tens of per cent between runs.`,
    '',
    '| Build | Median | p95 | × now (median) | Per-expression × now |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fmtUs(r.medianUs)} | ${fmtUs(r.p95Us)} | ${fmtRatio(r.medianUs / first.medianUs)} | ${fmtRatio(r.perExpression)} |`,
    ),
    '',
  ].join('\n');
}
