/**
 * `npm run bench -- --speed`: our core against the JavaScript peers on both scalar corpora (the
 * main one and the everyday one written before any speed tuning), each tool in fresh processes,
 * with a cold pass, a short warm-up (5 calls per expression) and a long one; and a CPU profile of
 * ours (`node --cpu-prof`) aggregated by function, with the garbage collector's share. Writes the
 * section "Speed" of BENCHMARKS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { CORPORA, type CorpusName, speedTools } from './speed-tools';
import { fmtRatio, fmtUs, median } from './stats';

const MODES = ['cold', 'short', 'long'] as const;
type Mode = (typeof MODES)[number];
type Times = Map<string, number>;

/** A tool that takes longer than this on one expression is stopped and not right on it. */
const JUDGE_LIMIT_MS = 30_000;

/** Runs the child on `ids` and returns its lines of `{id, value}`. */
function runChild(
  tool: string,
  corpus: CorpusName,
  mode: Mode | 'alloc',
  ids: readonly string[],
  nodeArgs: string[] = [],
): { id: string; value: unknown }[] {
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(__dirname, 'speed-child.ts'), tool, corpus, mode, ...ids],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const lines = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { id: string; value: unknown });
  if (r.status !== 0) throw new Error(`speed-child ${tool} ${corpus} ${mode} failed: ${r.stderr}`);
  return lines;
}

/**
 * The expressions `tool` is right on. The child judges them in order, one line each; when one takes
 * longer than JUDGE_LIMIT_MS the child is killed, that expression counts as not right, and a new
 * child goes on after it.
 */
async function rightOn(tool: string, corpus: CorpusName, log: (s: string) => void): Promise<Set<string>> {
  const right = new Set<string>();
  let rest = CORPORA[corpus].map((c) => c.id);
  while (rest.length > 0) {
    const done = await judgeUntilStuck(tool, corpus, rest);
    for (const l of done.lines) if (l.value === true) right.add(l.id);
    if (done.finished) break;
    log(`${tool} stopped on ${corpus}/${rest[done.lines.length]} (over ${JUDGE_LIMIT_MS / 1000} s)`);
    rest = rest.slice(done.lines.length + 1);
  }
  return right;
}

function judgeUntilStuck(
  tool: string,
  corpus: CorpusName,
  ids: readonly string[],
): Promise<{ lines: { id: string; value: unknown }[]; finished: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      path.join(__dirname, 'speed-child.ts'),
      tool,
      corpus,
      'judge',
      ...ids,
    ]);
    const lines: { id: string; value: unknown }[] = [];
    let buffer = '';
    let timer = setTimeout(() => child.kill(), JUDGE_LIMIT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        lines.push(JSON.parse(buffer.slice(0, nl)) as { id: string; value: unknown });
        buffer = buffer.slice(nl + 1);
        clearTimeout(timer);
        timer = setTimeout(() => child.kill(), JUDGE_LIMIT_MS);
      }
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ lines, finished: code === 0 });
    });
  });
}

interface Row {
  readonly tool: string;
  readonly right: number;
  /** The process's very first call (median over the cold runs). */
  readonly first: number;
  /** Per mode: the tool's median and ours over the expressions both get right. */
  readonly modes: Record<Mode, { tool: number; ours: number }>;
}

async function measureCorpus(corpus: CorpusName, runs: number, log: (s: string) => void): Promise<Row[]> {
  const tools = speedTools().map((t) => t.name);
  const right = new Map<string, Set<string>>();
  for (const t of tools) right.set(t, await rightOn(t, corpus, log));
  const times = new Map(tools.map((t) => [t, { cold: [], short: [], long: [] } as Record<Mode, Times[]>]));
  // Tools alternate within each mode so a change in the machine's load touches all of them; each
  // expression's time is the median over the runs (a run in a fresh process varies by 10–30% here).
  for (const mode of MODES)
    for (let run = 0; run < runs; run++)
      for (const t of tools) {
        log(`${corpus} ${mode} ${t}`);
        const lines = runChild(t, corpus, mode, [...right.get(t)!]);
        times.get(t)![mode].push(new Map(lines.map((l) => [l.id, l.value as number])));
      }
  const perCase = (tool: string, mode: Mode, id: string): number | undefined => {
    const xs = times.get(tool)![mode].flatMap((r) => r.get(id) ?? []);
    return xs.length === 0 ? undefined : median(xs);
  };
  const firstId = CORPORA[corpus][0].id;
  return tools.map((t) => {
    const common = CORPORA[corpus]
      .map((c) => c.id)
      .filter((id) => right.get(t)!.has(id) && right.get('ours')!.has(id));
    const modes = {} as Row['modes'];
    for (const mode of MODES) {
      const pairs = common.map((id) => [perCase(t, mode, id)!, perCase('ours', mode, id)!] as const);
      modes[mode] = { tool: median(pairs.map((p) => p[0])), ours: median(pairs.map((p) => p[1])) };
    }
    return { tool: t, right: right.get(t)!.size, first: perCase(t, 'cold', firstId) ?? NaN, modes };
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function from `node --cpu-prof` of ours (long warm-up) on a corpus: top entries and GC share. */
function profile(corpus: CorpusName): { top: { name: string; share: number }[]; gc: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'jl-prof-'));
  try {
    const ids = CORPORA[corpus].map((c) => c.id);
    runChild('ours', corpus, 'long', ids, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
    // One profile per thread (tsx runs its loader hooks in a thread of their own): the main
    // thread's is the one that ran our core.
    const nodes = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { nodes: ProfileNode[] }).nodes)
      .find((ns) => ns.some((n) => n.callFrame.url.endsWith('/dist/core.js')))!;
    // Shares of the time spent in the core's bundle and in the garbage collector (module loading
    // and the bench's own loop are left out).
    const self = new Map<string, number>();
    let total = 0;
    let gc = 0;
    for (const n of nodes) {
      const hits = n.hitCount ?? 0;
      const f = n.callFrame;
      if (f.functionName === '(garbage collector)') gc += hits;
      else if (!f.url.endsWith('/dist/core.js')) continue;
      else {
        const name = `${f.functionName || '(anonymous)'} (core.js:${f.lineNumber + 1})`;
        self.set(name, (self.get(name) ?? 0) + hits);
      }
      total += hits;
    }
    const top = [...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, hits]) => ({ name, share: hits / total }));
    return { top, gc: gc / total };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bytes allocated per expression by ours (long warm-up), and the functions allocating most of them. */
function allocations(corpus: CorpusName): { perExpression: number; top: { name: string; share: number }[] } {
  const [line] = runChild(
    'ours',
    corpus,
    'alloc',
    CORPORA[corpus].map((c) => c.id),
  );
  return line.value as { perExpression: number; top: { name: string; share: number }[] };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export async function speedSection(quick: boolean, log: (s: string) => void): Promise<string> {
  const out: string[] = ['## Speed', ''];
  out.push(
    `\`npm run bench -- --speed\` (bench/speed.ts), ${new Date().toISOString().slice(0, 10)}${quick ? ' (`--quick`: one run of each mode per tool)' : ", three runs of each mode per tool, alternated (each expression's time is its median over the runs)"}, load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores at the start. Each tool in its own fresh processes on each corpus: **cold** is one pass over the corpus, each expression timed once as it comes ("first call" is the process's first derivative, as a hover's first request, including the lazy load of the tool's modules where the tool loads them on first use, as our \`dist/core.js\` is); **short** is 5 untimed calls per expression, then 20 samples; **long** is warm-up passes over the corpus for 2 s of the tool's time (at least one pass; a fixed number of passes would leave a fast tool's JIT colder than a slow one's), then 20 samples: the steady state of an editor open for a while. Medians over the expressions both the tool and ours get right (3 random points against finite differences); "× ours" is the tool's median over ours on those expressions. The peers are the primary JavaScript pipelines of the main table (no extra simplify pass).`,
    '',
  );
  const targets: string[] = [];
  for (const corpus of Object.keys(CORPORA) as CorpusName[]) {
    const rows = await measureCorpus(corpus, quick ? 1 : 3, log);
    out.push(
      `### ${corpus === 'main' ? 'Main corpus' : 'Everyday corpus (never tuned on)'} (${CORPORA[corpus].length} expressions)`,
      '',
    );
    out.push('| Tool | Right | First call | Cold median | Short median | × ours | Long median | × ours |');
    out.push('|---|---|---|---|---|---|---|---|');
    for (const r of rows)
      out.push(
        `| ${r.tool === 'ours' ? '**Jacobian Lens (ours)**' : r.tool} | ${r.right}/${CORPORA[corpus].length} | ${fmtUs(r.first)} | ${fmtUs(r.modes.cold.tool)} | ${fmtUs(r.modes.short.tool)} | ${fmtRatio(r.modes.short.tool / r.modes.short.ours)} | ${fmtUs(r.modes.long.tool)} | ${fmtRatio(r.modes.long.tool / r.modes.long.ours)} |`,
      );
    out.push('');
    for (const mode of ['short', 'long'] as const) {
      const peers = rows.filter((r) => r.tool !== 'ours');
      const fastest = peers.reduce((a, b) => (b.modes[mode].tool < a.modes[mode].tool ? b : a));
      const ratio = fastest.modes[mode].tool / fastest.modes[mode].ours;
      targets.push(
        `| ${corpus}, ${mode} warm-up | ${fastest.tool} ${fmtUs(fastest.modes[mode].tool)} vs ours ${fmtUs(fastest.modes[mode].ours)}: **${fmtRatio(ratio)}** | ${ratio >= 10 ? '✅ met' : '❌ not met'} |`,
      );
    }
  }
  out.push(
    '### Target: ≥ 10× the fastest JavaScript peer',
    '',
    '| Corpus | Fastest peer vs ours (median) | |',
    '|---|---|---|',
    ...targets,
    '',
  );
  for (const corpus of Object.keys(CORPORA) as CorpusName[]) {
    log(`profile ${corpus}`);
    const p = profile(corpus);
    const a = allocations(corpus);
    out.push(
      `### Profile of ours, ${corpus} corpus (long warm-up; self time as a share of the time in the core and the garbage collector; garbage collector ${pct(p.gc)}; ${(a.perExpression / 1024).toFixed(1)} KiB allocated per expression)`,
      '',
      '| Function | Self time | | Allocates (garbage included) | Share of bytes |',
      '|---|---|---|---|---|',
      ...p.top.map(
        (t, i) =>
          `| \`${t.name}\` | ${pct(t.share)} | | ${a.top[i] ? `\`${a.top[i].name}\` | ${pct(a.top[i].share)}` : ' | '} |`,
      ),
      '',
    );
  }
  return out.join('\n');
}
