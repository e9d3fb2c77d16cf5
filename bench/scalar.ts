/**
 * The scalar corpus on our core and the JavaScript peers: correctness against
 * finite differences, result size, and interleaved timing rounds.
 */
import { SCALAR_CORPUS, type ScalarCase } from './corpus';
import { close, finiteDifference, originalFunction, randomPoints, type Point } from './numeric';
import { ourPipeline, ourResult } from './ours';
import { PEERS, packageVersion, type Derived } from './peers';
import { timeOnce } from './stats';
import { version as ourVersion } from '../package.json';

export type Verdict = 'ok' | 'wrong' | 'error';

export interface CaseOutcome {
  readonly verdict: Verdict;
  readonly text?: string;
  readonly size?: number;
  /** For a wrong answer: where, what it gave and what finite differences give. */
  readonly detail?: string;
  readonly samples: number[];
}

export interface ToolRun {
  readonly name: string;
  readonly version: string;
  readonly ours: boolean;
  /** Counts towards "the fastest JavaScript peer". */
  readonly primary: boolean;
  readonly cases: Record<string, CaseOutcome>;
}

interface Tool {
  readonly name: string;
  readonly version: string;
  readonly ours: boolean;
  readonly primary: boolean;
  readonly derive: (c: ScalarCase) => Derived;
  readonly pipeline: (c: ScalarCase) => string;
  readonly reset?: () => void;
}

export const POINT_SEED = 20240611;

export function casePoints(c: ScalarCase, count: number): Point[] {
  return randomPoints(c, count, POINT_SEED + c.id.length);
}

/** The verdict on a derivative's values at `points`, against finite differences of the original. */
export function judge(
  c: ScalarCase,
  points: readonly Point[],
  value: (p: Point, i: number) => number | null,
): { verdict: Verdict; detail?: string } {
  const f = originalFunction(c);
  for (const [i, p] of points.entries()) {
    const expected = finiteDifference(f, p, c.wrt);
    const got = value(p, i);
    if (got === null || !close(got, expected)) {
      const at = Object.entries(p)
        .map(([k, v]) => `${k}=${v.toFixed(3)}`)
        .join(', ');
      return {
        verdict: 'wrong',
        detail: `at ${at}: gives ${got ?? 'no number'}, expected ${expected.toPrecision(6)}`,
      };
    }
  }
  return { verdict: 'ok' };
}

function tools(): Tool[] {
  const ours: Tool = {
    name: 'Jacobian Lens (ours)',
    version: ourVersion,
    ours: true,
    primary: false,
    derive: ourResult,
    pipeline: ourPipeline,
  };
  return [ours, ...PEERS.map((p) => ({ ...p, version: packageVersion(p.pkg), ours: false }))];
}

/** Up to `repeats` samples of `fn`, stopping early once `budgetUs` is spent (slow tools get fewer). */
function budgetedSamples(fn: () => unknown, repeats: number, budgetUs: number): number[] {
  const out: number[] = [];
  let spent = 0;
  while (out.length < repeats && (out.length === 0 || spent < budgetUs)) {
    const t = timeOnce(fn);
    out.push(t);
    spent += t;
  }
  return out;
}

export interface ScalarOptions {
  readonly rounds: number;
  readonly repeats: number;
  readonly points: number;
  readonly budgetUs: number;
  readonly warmupUs: number;
  readonly log: (line: string) => void;
}

export function runScalar(opts: ScalarOptions): ToolRun[] {
  const all = tools();
  const runs: ToolRun[] = all.map((t) => ({
    name: t.name,
    version: t.version,
    ours: t.ours,
    primary: t.primary,
    cases: {},
  }));
  // Correctness and size first; this also warms every tool up on every case.
  for (const c of SCALAR_CORPUS) {
    const points = casePoints(c, opts.points);
    all.forEach((tool, k) => {
      let outcome: CaseOutcome;
      try {
        const d = tool.derive(c);
        const v = judge(c, points, (p) => d.evaluate(p));
        outcome = { ...v, text: d.text, size: d.size, samples: [] };
      } catch (e) {
        outcome = { verdict: 'error', detail: firstLine(e), samples: [] };
      }
      tool.reset?.();
      runs[k].cases[c.id] = outcome;
    });
  }
  // Warm-up so every tool is timed with its code compiled by the JIT, as in a long-lived editor:
  // passes over the corpus for `warmupUs` of each tool's own time (at least one pass). A fixed number
  // of passes would leave a fast tool's JIT colder than a slow one's: V8 optimises a function after
  // it has run a given amount of its own code, and 30 passes are 25 ms of ours against 0.4 s of nerdamer's.
  // A tool wrong on every expression has nothing to time, and no warm-up.
  all.forEach((tool, k) => {
    const timed = SCALAR_CORPUS.filter((c) => runs[k].cases[c.id].verdict !== 'error');
    let spent = 0;
    if (timed.length > 0)
      do {
        for (const c of timed) {
          spent += timeOnce(() => tool.pipeline(c));
          tool.reset?.();
        }
      } while (spent < opts.warmupUs);
  });
  // Interleaved rounds: every tool sees the same machine state within a round.
  for (let round = 0; round < opts.rounds; round++) {
    opts.log(`scalar timing round ${round + 1}/${opts.rounds}`);
    for (const c of SCALAR_CORPUS) {
      const order = all.map((_, k) => (k + round) % all.length);
      for (const k of order) {
        const outcome = runs[k].cases[c.id];
        if (outcome.verdict === 'error') continue;
        const tool = all[k];
        outcome.samples.push(...budgetedSamples(() => tool.pipeline(c), opts.repeats, opts.budgetUs));
        tool.reset?.();
      }
    }
  }
  return runs;
}

export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
}
