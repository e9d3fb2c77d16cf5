/**
 * One tool on one corpus in a fresh process (so no other tool's JIT or garbage is in the way):
 * `speed-child.ts <tool> <corpus> <mode>` prints one JSON line of per-expression times in µs.
 * - `cold`: one pass, each expression timed once as it comes (the first is the very first call
 *   of the process, as a hover's first request after activation);
 * - `short`: for each expression, 5 untimed calls then the timed samples (a hover session's state);
 * - `long`: warm-up passes over the whole corpus first (up to 30, at most 2 s), then the samples.
 */
import { CORPORA, type SpeedTool, speedTools } from './speed-tools';
import { median } from './stats';

const [toolName, corpusName, mode] = process.argv.slice(2);
const SAMPLES = 20;
const tool: SpeedTool | undefined = speedTools(toolName !== 'ours').find((t) => t.name === toolName);
const corpus = CORPORA[corpusName as keyof typeof CORPORA];
if (!tool || !corpus || !['cold', 'short', 'long'].includes(mode)) {
  process.stderr.write(`usage: speed-child.ts <tool> <corpus> cold|short|long\n`);
  process.exit(2);
}

const time = (fn: () => unknown): number => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1000;
};
/** A failing call is reported as null: the parent excludes that expression for this tool. */
const attempt = (fn: () => unknown): number | null => {
  try {
    return time(fn);
  } catch {
    return null;
  }
};

const out: Record<string, number | null> = {};
if (mode === 'cold') {
  for (const c of corpus) out[c.id] = attempt(() => tool.pipeline(c));
} else {
  if (mode === 'long') {
    const started = Date.now();
    for (let pass = 0; pass < 30 && Date.now() - started < 2000; pass++)
      for (const c of corpus) attempt(() => tool.pipeline(c));
  }
  for (const c of corpus) {
    const warm = mode === 'short' ? 5 : 0;
    let failed = false;
    for (let i = 0; i < warm && !failed; i++) failed = attempt(() => tool.pipeline(c)) === null;
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES && !failed; i++) {
      const t = attempt(() => tool.pipeline(c));
      if (t === null) failed = true;
      else samples.push(t);
    }
    out[c.id] = failed ? null : median(samples);
    tool.reset?.();
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
