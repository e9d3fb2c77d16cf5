/**
 * The scalar corpus through several builds of the core in one process, interleaved:
 * `node --import tsx bench/versions-child.ts <rounds> <core.js>…` prints, as JSON, each build's
 * median time per expression (µs), in the order given. Builds are loaded in that order; the caller
 * runs it again in the reverse order, since the build loaded second runs a few per cent slower.
 */
import { createRequire } from 'node:module';
import type * as Core from '../src/core';
import { SCALAR_CORPUS } from './corpus';
import { scalarOptions } from './ours';
import { median, timeOnce } from './stats';

const [roundsText, ...files] = process.argv.slice(2);
const rounds = Number(roundsText);
const load = createRequire(__filename);
const cores = files.map((f) => load(f) as typeof Core);
const run = (core: typeof Core, i: number) =>
  core.differentiate(SCALAR_CORPUS[i].latex, scalarOptions(SCALAR_CORPUS[i])).latex;

// Warm up every build on the whole corpus, so each is JIT-compiled as in a long-lived editor.
for (let w = 0; w < 30; w++)
  for (const core of cores) for (let i = 0; i < SCALAR_CORPUS.length; i++) run(core, i);
const times = cores.map(() => SCALAR_CORPUS.map((): number[] => []));
for (let r = 0; r < rounds; r++)
  for (let i = 0; i < SCALAR_CORPUS.length; i++)
    // Each round in the other order, so neither build always runs right after the other's garbage.
    for (let j = 0; j < cores.length; j++) {
      const k = r % 2 === 0 ? j : cores.length - 1 - j;
      times[k][i].push(timeOnce(() => run(cores[k], i)));
    }
process.stdout.write(JSON.stringify(times.map((perCase) => perCase.map(median))));
