/**
 * `npm run bench [-- --quick]`: every benchmark side by side in one run, then
 * BENCHMARKS.md is rewritten with the numbers.
 * `npm run bench -- --sympy-sizes` only regenerates bench/sympy-sizes.json
 * (the fixture of test/core/simplicity.test.ts).
 * `npm run bench -- --adversarial` only measures the adversarial documents and
 * rewrites their section of BENCHMARKS.md; `npm run bench -- --fuzz` only
 * rewrites the fuzzing section from bench/fuzz-long.json (scripts/fuzz-long.mjs);
 * `npm run bench -- --versions old=dir/core.js …` only times the scalar corpus through the
 * current build and the given ones (bench/versions.ts) and rewrites that section;
 * `npm run bench -- --check` only measures the derivation checker on the seed notes.
 * `npm run bench -- --textbook` only measures the textbook corpus (bench/textbook.ts), prints the
 * cases where ours is larger beside the textbook's form and rewrites that section.
 * `npm run bench -- --speed` only compares speed on both scalar corpora (cold, short and long
 * warm-ups) and profiles ours (bench/speed.ts).
 * `npm run bench -- --notebook` only measures joining a notebook's Markdown cells.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCALAR_CORPUS } from './corpus';
import { renderAdversarial, type AdversarialRow } from './adversarial';
import { measureCheck, renderCheck } from './check';
import { measureNotebooks, renderNotebooks } from './notebook';
import type { EditorReport } from './editor-child';
import {
  MATRIX_CORPUS,
  matrixFiniteDifference,
  matrixValues,
  type MatrixCase,
  type Values,
} from './matrix-cases';
import { close } from './numeric';
import { core } from './ours';
import {
  peerVersions,
  renderFuzz,
  renderReport,
  type Check,
  type MatrixRow,
  type RunReport,
  type ScalingRow,
} from './report';
import { casePoints, firstLine, judge, runScalar } from './scalar';
import { explicitSystem, extendedRosenbrock, type ScalingMeasurement, type ScalingSystem } from './scaling';
import { measureGrowth } from './growth';
import { median, samples } from './stats';
import { runSympy, type SympyReport } from './sympy';
import { measureVersions, renderVersions } from './versions';
import { measureTextbook, renderTextbook, sideBySide } from './textbook';
import { speedSection } from './speed';

const ROOT = path.join(__dirname, '..');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const CONFIG = quick
  ? {
      rounds: 2,
      repeats: 3,
      points: 2,
      budgetUs: 50_000,
      warmupUs: 500_000,
      sympyRepeats: 2,
      editorRuns: 1,
      editorRounds: 2,
      adversarialCold: 10,
      jacobian: [10, 100],
      hessian: [10, 50],
      vector: [10, 100, 1000],
    }
  : {
      rounds: 5,
      repeats: 10,
      points: 3,
      budgetUs: 200_000,
      warmupUs: 2_000_000,
      sympyRepeats: 5,
      editorRuns: 3,
      editorRounds: 5,
      adversarialCold: 30,
      jacobian: [10, 100, 1000],
      hessian: [10, 50, 100, 200],
      vector: [10, 100, 1000, 10000],
    };

function sympySizes(): void {
  const report = runSympy<unknown>(
    { repeats: 0, scalar: SCALAR_CORPUS.map((c) => ({ ...c, points: [] })), matrix: [] },
    ['--sizes'],
  );
  const file = path.join(__dirname, 'sympy-sizes.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${path.relative(ROOT, file)}`);
}

/** Runs a TypeScript child (fresh process) and parses its one JSON line. */
function child<T>(script: string, childArgs: readonly string[]): T {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...childArgs], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  return JSON.parse(r.stdout) as T;
}

function adversarial(): AdversarialRow[] | string {
  log('adversarial documents (1 MB each)');
  try {
    return child<AdversarialRow[]>('adversarial.ts', [
      '--cold',
      String(CONFIG.adversarialCold),
      '--warm',
      '300',
    ]);
  } catch (e) {
    return firstLine(e);
  }
}

/** Replaces the section of BENCHMARKS.md headed `heading` (or adds it before the definitions). */
const VERSIONS_HEADING = '## Typical case across versions';

/** The section of `text` under `heading`, up to the next section; undefined when there is none. */
function sectionOf(text: string, heading: string): string | undefined {
  const start = text.indexOf(heading);
  if (start < 0) return undefined;
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end + 1).trimEnd() + '\n';
}

function replaceSection(heading: string, section: string): void {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const old = readFileSync(file, 'utf8');
  const start = old.indexOf(heading);
  const end = start < 0 ? old.indexOf('## Definitions') : old.indexOf('\n## ', start + 1) + 1;
  const next =
    start < 0
      ? `${old.slice(0, end)}${section}\n${old.slice(end)}`
      : `${old.slice(0, start)}${section}\n${old.slice(end)}`;
  writeFileSync(file, next);
  log(`wrote the section "${heading.replace(/^#+ /, '')}" of BENCHMARKS.md`);
}

/** `--versions label=core.js …`: the current build (built first) against the others on the scalar corpus. */
function versions(): void {
  build();
  const builds = [
    { label: 'now', file: path.join(ROOT, 'dist', 'core.js') },
    ...process.argv
      .slice(process.argv.indexOf('--versions') + 1)
      .filter((a) => !a.startsWith('--'))
      .map((a) => {
        const [label, file] = a.split('=');
        return { label, file: path.resolve(file) };
      }),
  ];
  log(`scalar corpus through ${builds.map((b) => b.label).join(', ')}`);
  const rows = measureVersions(builds, quick ? 5 : 30);
  replaceSection(VERSIONS_HEADING, renderVersions(rows, new Date().toISOString().slice(0, 10)));
}

/** The shipped bundles are what is measured (ours and the editor path). */
function build(): void {
  log('npm run build');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr.trim().split('\n').pop()}`);
}

function editorPath(): EditorReport[] {
  const runs: EditorReport[] = [];
  for (let i = 0; i < CONFIG.editorRuns; i++) {
    log(`editor path, run ${i + 1}/${CONFIG.editorRuns}`);
    runs.push(child<EditorReport>('editor-child.ts', [String(CONFIG.editorRounds)]));
  }
  return runs;
}

/** Our value at `at` is a number, a vector or a matrix; compared entry by entry, row-major. */
const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flat(2) : [v]) as number[];

function matchesAll(got: readonly (number | null)[] | undefined, expected: readonly number[]): boolean {
  return !!got && got.length === expected.length && got.every((g, i) => g !== null && close(g, expected[i]));
}

/** Our `at` takes vectors as flat arrays; the SymPy/math.js side keeps them as n×1 matrices. */
function ourValues(c: MatrixCase, values: Values): Record<string, number[] | number[][]> {
  return Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, c.symbols[k][1] === 1 ? v.map((r) => r[0]) : v]),
  );
}

function matrixBench(
  sympy: SympyReport | undefined,
  sizes: readonly number[],
  valuesOf: readonly Values[],
): MatrixRow[] {
  return MATRIX_CORPUS.map((c, i) => {
    const values = valuesOf[i];
    const expected = matrixFiniteDifference(c, values);
    const options = { declarations: c.declarations, wrt: [c.wrt], layout: 'denominator' as const };
    const s = sympy?.matrix.find((m) => m.id === c.id);
    const row: MatrixRow = {
      id: c.id,
      latex: c.latex,
      wrt: c.wrt,
      size: sizes[i],
      sympy: s && {
        result: s.result ?? s.error ?? '',
        us: s.us ? median(s.us) : undefined,
        verdict: s.error
          ? 'error'
          : s.evalError
            ? `unevaluated`
            : matchesAll(s.value, expected)
              ? 'ok'
              : 'wrong',
      },
      ours: { result: '', verdict: 'error' },
    };
    try {
      const r = core().differentiate(c.latex, options);
      const us = median(samples(() => core().differentiate(c.latex, options).latex, CONFIG.repeats * 3, 20));
      const at = ourValues(c, values);
      const value = core().differentiate(c.latex, { ...options, at, dims: { n: sizes[i] } }).value;
      row.ours = { result: r.text, us, verdict: matchesAll(flat(value), expected) ? 'ok' : 'wrong' };
    } catch (e) {
      row.ours = { result: firstLine(e), verdict: 'error' };
    }
    return row;
  });
}

/** Up to three fresh-process runs (fewer once 10 s are spent), medians of time and memory. */
function repeatedMeasurement(n: number, measure: () => ScalingMeasurement): ScalingMeasurement {
  const runs: ScalingMeasurement[] = [];
  let spentUs = 0;
  while (runs.length < 3 && spentUs < 10_000_000) {
    let m: ScalingMeasurement;
    try {
      m = measure();
    } catch (e) {
      m = { n, error: firstLine(e) };
    }
    if (m.error !== undefined) return m;
    runs.push(m);
    spentUs += m.us!;
  }
  return { n, us: median(runs.map((m) => m.us!)), peakBytes: median(runs.map((m) => m.peakBytes!)) };
}

function scaling(): ScalingRow[] {
  const rows: ScalingRow[] = [];
  const kinds: [ScalingSystem['kind'], readonly number[], (n: number) => ScalingSystem][] = [
    ['jacobian', CONFIG.jacobian, explicitSystem],
    ['hessian', CONFIG.hessian, extendedRosenbrock],
  ];
  for (const [kind, ns, make] of kinds) {
    for (const n of ns) {
      log(`scaling: ${kind} n = ${n}`);
      const ours = repeatedMeasurement(n, () =>
        child<ScalingMeasurement>('scaling-child.ts', [kind, String(n)]),
      );
      const sympy = repeatedMeasurement(n, () =>
        runSympy<ScalingMeasurement>({ warmup: make(10), system: make(n) }, ['--scaling']),
      );
      rows.push({ kind, n, inputLength: make(n).latex.length, ours, sympy });
    }
  }
  return rows;
}

/** `\nabla \mathbf{x}^\top A \mathbf{x}` with concrete sizes: the result is symbolic, so its cost must not grow with n. */
function symbolicVector(): { n: number; us: number; result: string }[] {
  return CONFIG.vector.map((n) => {
    const options = {
      declarations: [`\\mathbf{x} \\in \\mathbb{R}^{${n}}`, `A \\in \\mathbb{R}^{${n} \\times ${n}}`],
    };
    const run = () => core().differentiate('\\mathbf{x}^\\top A \\mathbf{x}', options);
    return { n, us: median(samples(run, CONFIG.repeats * 5)), result: run().latex };
  });
}

function artifactSizes(): { file: string; bytes: number }[] {
  const out: { file: string; bytes: number }[] = [];
  const dist = path.join(ROOT, 'dist');
  if (existsSync(dist)) {
    // The desktop build's bundles and the web build's (dist/web/).
    for (const folder of ['', 'web/'].filter((f) => existsSync(path.join(dist, f)))) {
      for (const f of readdirSync(path.join(dist, folder)).filter((f) => f.endsWith('.js'))) {
        out.push({ file: `dist/${folder}${f}`, bytes: statSync(path.join(dist, folder, f)).size });
      }
    }
  }
  for (const f of readdirSync(ROOT).filter((f) => f.endsWith('.vsix'))) {
    out.push({ file: f, bytes: statSync(path.join(ROOT, f)).size });
  }
  return out;
}

function machine(): RunReport['machine'] {
  const sh = (cmd: string, a: string[]) => {
    try {
      return execFileSync(cmd, a, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  const model = /Model name:\s*(.+)/.exec(sh('lscpu', []))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    cpu: model,
    cores: Number(sh('nproc', [])) || os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    python: sh('python3', ['--version']).replace('Python ', ''),
  };
}

function main(): void {
  if (args.has('--sympy-sizes')) return sympySizes();
  if (args.has('--adversarial'))
    return replaceSection('## Adversarial documents', renderAdversarial(adversarial()));
  if (args.has('--fuzz')) return replaceSection('## Fuzzing', renderFuzz());
  if (args.has('--versions')) return versions();
  if (args.has('--textbook')) {
    const rows = measureTextbook(quick ? 5 : 20, log);
    process.stdout.write(`${sideBySide(rows)}\n`);
    return replaceSection('## Textbook corpus', renderTextbook(rows, new Date().toISOString().slice(0, 10)));
  }
  if (args.has('--speed')) {
    build();
    void speedSection(quick, log).then((section) => replaceSection('## Speed', section));
    return;
  }
  if (args.has('--check'))
    return replaceSection('## Derivation checker', renderCheck(measureCheck(quick ? 3 : 10)));
  if (args.has('--notebook'))
    return replaceSection('## Notebooks', renderNotebooks(measureNotebooks(quick ? 5 : 21)));
  const started = new Date();
  build();
  let editor: EditorReport[] | string;
  try {
    editor = editorPath();
  } catch (e) {
    editor = firstLine(e);
  }
  log('scalar corpus: correctness, sizes, timing');
  const tools = runScalar({ ...CONFIG, log });

  const matrixSizes = MATRIX_CORPUS.map((_, i) => 3 + (i % 2));
  const matrixVals = MATRIX_CORPUS.map((c, i) => matrixValues(c, matrixSizes[i], 1000 + i));
  log('SymPy: scalar corpus and matrix calculus');
  let sympy: SympyReport | undefined;
  let sympyError: string | undefined;
  try {
    sympy = runSympy({
      repeats: CONFIG.sympyRepeats,
      scalar: SCALAR_CORPUS.map((c) => ({
        ...c,
        points: casePoints(c, CONFIG.points).map((p) => c.vars.map((v) => p[v])),
      })),
      matrix: MATRIX_CORPUS.map((c, i) => ({ ...c, size: matrixSizes[i], values: matrixVals[i] })),
    });
  } catch (e) {
    sympyError = firstLine(e);
    log(sympyError);
  }
  const sympyChecks: Record<string, { diff: Check; simplified: Check }> = {};
  for (const s of sympy?.scalar ?? []) {
    const c = SCALAR_CORPUS.find((x) => x.id === s.id)!;
    const points = casePoints(c, CONFIG.points);
    sympyChecks[s.id] = {
      diff: judge(c, points, (_p, i) => s.values[i]),
      simplified: judge(c, points, (_p, i) => s.simplifiedValues[i]),
    };
  }
  log('matrix calculus (ours)');
  const matrix = matrixBench(sympy, matrixSizes, matrixVals);
  const scalingRows = scaling();
  const vector = symbolicVector();
  const growth = measureGrowth(log, ROOT);

  const report: RunReport = {
    date: started.toISOString().slice(0, 10),
    quick,
    config: CONFIG,
    machine: machine(),
    versions: peerVersions(sympy),
    tools,
    sympy,
    sympyError,
    sympyChecks,
    points: CONFIG.points,
    matrix,
    scaling: scalingRows,
    vector,
    growth,
    editor,
    adversarial: adversarial(),
    artifacts: artifactSizes(),
  };
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, renderReport(report));
  // The sections measured by runs of their own (--versions, --check, --speed, --textbook, --notebook)
  // are not in this report: each is kept as recorded.
  const headings = (text: string) => text.match(/^## .*$/gm) ?? [];
  const written = new Set(headings(readFileSync(file, 'utf8')));
  for (const heading of headings(before).filter((h) => !written.has(h)))
    replaceSection(heading, sectionOf(before, heading)!);
  log(`wrote BENCHMARKS.md (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
}

main();
