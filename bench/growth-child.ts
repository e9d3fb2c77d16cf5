/**
 * One growth measurement in a fresh process, so that its peak memory is its own:
 * `node --import tsx bench/growth-child.ts <scenario> <n>` prints one JSON `GrowthMeasurement`.
 */
import { core } from './ours';
import { GROWTH_SCENARIOS, type GrowthMeasurement } from './growth';
import { nowUs } from './stats';

const [id, nText] = process.argv.slice(2);
const scenario = GROWTH_SCENARIOS.find((s) => s.id === id);
if (!scenario) throw new Error(`no growth scenario ${id}`);
const run = (n: number) => {
  const { expression, options } = scenario.make(n);
  return core().differentiate(expression, options);
};

// Warm the code paths on the smallest point, so the time is the JIT-compiled core's.
for (let i = 0; i < 5; i++) run(scenario.sizes[0]);
const before = process.resourceUsage().maxRSS;
let out: GrowthMeasurement;
const t0 = nowUs();
try {
  const r = run(Number(nText));
  const us = nowUs() - t0;
  const latexChars = r.latex.length + r.definitions.reduce((s, d) => s + d.definitionLatex.length, 0);
  out = { us, latexChars, definitions: r.definitions.length, check: r.check?.verdict };
} catch (e) {
  // The bundle has its own LensError class: recognised by name.
  if (!(e instanceof Error) || e.name !== 'LensError') throw e;
  out = { us: nowUs() - t0, refused: e.message };
}
out = { ...out, peakBytes: Math.max(0, process.resourceUsage().maxRSS - before) * 1024 };
process.stdout.write(`${JSON.stringify(out)}\n`);
