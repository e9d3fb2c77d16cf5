/**
 * `npm run bench -- --speed`: our core against the JavaScript peers on both scalar corpora (the
 * main one and the everyday one written before any speed tuning), each tool in fresh processes,
 * with a cold pass, a short warm-up (5 calls per expression) and a long one; and a CPU profile of
 * ours (`node --cpu-prof`) aggregated by function, with the garbage collector's share. Writes the
 * section "Speed" of BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { casePoints, judge } from './scalar';
import { CORPORA, type CorpusName, speedTools } from './speed-tools';
import { fmtRatio, fmtUs, median } from './stats';

const MODES = ['cold', 'short', 'long'] as const;
type Mode = (typeof MODES)[number];
type Times = Record<string, number | null>;

function runChild(tool: string, corpus: CorpusName, mode: Mode, nodeArgs: string[] = []): Times {
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(__dirname, 'speed-child.ts'), tool, corpus, mode],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`speed-child ${tool} ${corpus} ${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Times;
}

/** Expressions each tool gets right (3 random points against finite differences). */
function correctness(corpus: CorpusName): Map<string, Set<string>> {
  const ok = new Map<string, Set<string>>();
  for (const tool of speedTools()) {
    const right = new Set<string>();
    for (const c of CORPORA[corpus]) {
      try {
        const d = tool.derive(c);
        if (judge(c, casePoints(c, 3), (p) => d.evaluate(p)).verdict === 'ok') right.add(c.id);
      } catch {
        // an error is simply not right
      }
      tool.reset?.();
    }
    ok.set(tool.name, right);
  }
  return ok;
}

interface Row {
  readonly tool: string;
  readonly primary: boolean;
  readonly right: number;
  /** The process's very first call (median over the cold runs). */
  readonly first: number;
  /** Per mode: the tool's median and ours over the expressions both get right. */
  readonly modes: Record<Mode, { tool: number; ours: number }>;
}

function measureCorpus(corpus: CorpusName, coldRuns: number, log: (s: string) => void): Row[] {
  const right = correctness(corpus);
  const tools = speedTools();
  const times = new Map<string, Record<Mode, Times[]>>();
  for (const t of tools) times.set(t.name, { cold: [], short: [], long: [] });
  // Tools alternate within each mode so a change in the machine's load touches all of them.
  for (const mode of MODES)
    for (let run = 0; run < (mode === 'cold' ? coldRuns : 1); run++)
      for (const t of tools) {
        log(`${corpus} ${mode} ${t.name}`);
        times.get(t.name)![mode].push(runChild(t.name, corpus, mode));
      }
  const perCase = (tool: string, mode: Mode, id: string): number | null => {
    const runs = times.get(tool)![mode];
    const xs = runs.map((r) => r[id]).filter((x): x is number => x !== null);
    return xs.length === 0 ? null : median(xs);
  };
  const firstId = CORPORA[corpus][0].id;
  return tools.map((t) => {
    const common = CORPORA[corpus]
      .map((c) => c.id)
      .filter((id) => right.get(t.name)!.has(id) && right.get('ours')!.has(id));
    const modes = {} as Row['modes'];
    for (const mode of MODES) {
      const pairs = common
        .map((id) => [perCase(t.name, mode, id), perCase('ours', mode, id)] as const)
        .filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
      modes[mode] = { tool: median(pairs.map((p) => p[0])), ours: median(pairs.map((p) => p[1])) };
    }
    return {
      tool: t.name,
      primary: t.primary || t.ours,
      right: right.get(t.name)!.size,
      first: perCase(t.name, 'cold', firstId) ?? NaN,
      modes,
    };
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
    runChild('ours', corpus, 'long', ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100']);
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

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function speedSection(quick: boolean, log: (s: string) => void): string {
  const out: string[] = ['## Speed', ''];
  out.push(
    `\`npm run bench -- --speed\` (bench/speed.ts), ${new Date().toISOString().slice(0, 10)}. Each tool in its own fresh processes on each corpus: **cold** is one pass over the corpus, each expression timed once as it comes ("first call" is the process's first derivative, as a hover's first request); **short** is 5 untimed calls per expression, then 20 samples; **long** is up to 30 warm-up passes over the corpus (at most 2 s), then 20 samples. Medians over the expressions both the tool and ours get right (3 random points against finite differences); "× ours" is the tool's median over ours on those expressions. The peers are the primary JavaScript pipelines of the main table (no extra simplify pass).`,
    '',
  );
  const targets: string[] = [];
  for (const corpus of Object.keys(CORPORA) as CorpusName[]) {
    const rows = measureCorpus(corpus, quick ? 1 : 3, log);
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
    out.push(
      `### Profile of ours, ${corpus} corpus (long warm-up; self time as a share of the time in the core and the garbage collector; garbage collector ${pct(p.gc)})`,
      '',
      '| Function | Self time |',
      '|---|---|',
      ...p.top.map((t) => `| \`${t.name}\` | ${pct(t.share)} |`),
      '',
    );
  }
  return out.join('\n');
}
