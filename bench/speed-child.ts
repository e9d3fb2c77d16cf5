/**
 * One tool on one corpus in a fresh process (so no other tool's JIT or garbage is in the way):
 * `speed-child.ts <tool> <corpus> <mode> [id…]` prints one JSON line per expression:
 * - `judge`: whether the tool is right on each expression (3 random points against finite
 *   differences), a line as each one finishes, so the parent can stop a tool that hangs on one;
 * - `cold`: one pass, each expression timed once as it comes (the first is the very first call
 *   of the process, as a hover's first request after activation);
 * - `short`: for each expression, 5 untimed calls then the timed samples (a hover session's state);
 * - `long`: warm-up passes over the corpus for 2 s (at least one), then the samples;
 * - `alloc`: after the long warm-up, the bytes allocated per expression (garbage included, from
 *   V8's sampling heap profiler) and the functions that allocate them.
 * The timing modes take the ids to time (those the tool is right on); `judge` takes the ids to judge.
 */
import { Session } from 'node:inspector';
import { casePoints, judge } from './scalar';
import { CORPORA, type SpeedTool, speedTools } from './speed-tools';
import { median } from './stats';

const [toolName, corpusName, mode, ...ids] = process.argv.slice(2);
const SAMPLES = 20;
const LONG_WARM_UP_MS = 2000;
const tool: SpeedTool | undefined = speedTools(toolName !== 'ours').find((t) => t.name === toolName);
const all = CORPORA[corpusName as keyof typeof CORPORA];
if (!tool || !all || !['judge', 'cold', 'short', 'long', 'alloc'].includes(mode)) {
  process.stderr.write(`usage: speed-child.ts <tool> <corpus> judge|cold|short|long|alloc [id…]\n`);
  process.exit(2);
}
const corpus = all.filter((c) => ids.includes(c.id));
const emit = (id: string, value: unknown) => process.stdout.write(`${JSON.stringify({ id, value })}\n`);

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

const time = (fn: () => unknown): number => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1000;
};

if (mode === 'judge') {
  for (const c of corpus) {
    let right = false;
    try {
      const d = tool.derive(c);
      right = judge(c, casePoints(c, 3), (p) => d.evaluate(p)).verdict === 'ok';
    } catch {
      // an error is simply not right
    }
    tool.reset?.();
    emit(c.id, right);
  }
} else if (mode === 'cold') {
  for (const c of corpus)
    emit(
      c.id,
      time(() => tool.pipeline(c)),
    );
} else if (mode === 'alloc') {
  const started = Date.now();
  do for (const c of corpus) tool.pipeline(c);
  while (Date.now() - started < LONG_WARM_UP_MS);
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  const PASSES = 50;
  void (async () => {
    await post('HeapProfiler.startSampling', {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    for (let pass = 0; pass < PASSES; pass++) for (const c of corpus) tool.pipeline(c);
    const { profile } = (await post('HeapProfiler.stopSampling')) as { profile: { head: AllocationNode } };
    const bytes = new Map<string, number>();
    let total = 0;
    const walk = (n: AllocationNode, caller: string) => {
      const f = n.callFrame;
      const own = f.url.endsWith('/dist/core.js')
        ? `${f.functionName || '(anonymous)'} (core.js:${f.lineNumber + 1})`
        : undefined;
      // Allocations by built-ins (Map, Array.prototype.sort, …) count for the core function calling them.
      const name =
        own ?? (f.url === '' && caller ? `${f.functionName || '(native)'} in ${caller}` : undefined);
      if (name) {
        bytes.set(name, (bytes.get(name) ?? 0) + n.selfSize);
        total += n.selfSize;
      }
      for (const child of n.children) walk(child, own ?? caller);
    };
    walk(profile.head, '');
    const top = [...bytes.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([name, b]) => ({ name, share: b / total }));
    emit('alloc', { perExpression: total / PASSES / corpus.length, top });
  })();
} else {
  if (mode === 'long') {
    // Steady state, as in an editor that has been open a while: passes over the corpus for 2 s of
    // every tool's time (a pass count would leave a fast tool's JIT colder than a slow one's).
    const started = Date.now();
    do for (const c of corpus) tool.pipeline(c);
    while (Date.now() - started < LONG_WARM_UP_MS);
  }
  for (const c of corpus) {
    for (let i = 0; i < (mode === 'short' ? 5 : 0); i++) tool.pipeline(c);
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(time(() => tool.pipeline(c)));
    emit(c.id, median(samples));
    tool.reset?.();
  }
}
