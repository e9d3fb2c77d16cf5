/**
 * One scaling measurement in a fresh process, so that its peak memory is its
 * own: `node --import tsx bench/scaling-child.ts jacobian|hessian <n>` prints
 * one JSON `ScalingMeasurement`.
 */
import { core } from './ours';
import { explicitSystem, extendedRosenbrock, type ScalingMeasurement, type ScalingSystem } from './scaling';
import { timeOnce } from './stats';

const [kind, nText] = process.argv.slice(2);
const n = Number(nText);
const make = kind === 'jacobian' ? explicitSystem : extendedRosenbrock;
const run = (s: ScalingSystem) => core().differentiate(s.latex, { op: s.kind, wrt: s.wrt }).latex;

let out: ScalingMeasurement;
try {
  // Warm the code paths on a small system so the baseline includes the loaded, JIT-compiled core.
  const small = make(10);
  for (let i = 0; i < 20; i++) run(small);
  const system = make(n);
  const before = process.resourceUsage().maxRSS;
  const us = timeOnce(() => run(system));
  const peakBytes = Math.max(0, process.resourceUsage().maxRSS - before) * 1024;
  out = { n, us, peakBytes };
} catch (e) {
  out = { n, error: e instanceof Error ? e.message : String(e) };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
