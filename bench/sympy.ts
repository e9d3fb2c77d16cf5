/** Runs bench/sympy_bench.py once with a JSON job on stdin and returns its JSON report. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { ScalarCase } from './corpus';
import type { MatrixCase, Values } from './matrix-cases';
import type { ScalingSystem } from './scaling';

export interface SympyScalar {
  readonly id: string;
  readonly parseUs: number[];
  readonly diffUs: number[];
  readonly diffSimplifyUs: number[];
  readonly diff: string;
  readonly diffLatex: string;
  readonly simplified: string;
  readonly simplifiedLatex: string;
  readonly diffSize: number;
  readonly simplifiedSize: number;
  readonly values: (number | null)[];
  readonly simplifiedValues: (number | null)[];
}

export interface SympyMatrix {
  readonly id: string;
  readonly us?: number[];
  readonly result?: string;
  readonly latex?: string;
  readonly value?: (number | null)[];
  readonly error?: string;
  readonly evalError?: string;
}

export interface SympyReport {
  readonly sympy: string;
  readonly python: string;
  readonly scalar: readonly SympyScalar[];
  readonly matrix: readonly SympyMatrix[];
}

export interface SympyJob {
  readonly repeats: number;
  /** Points in the order of each case's `vars`. */
  readonly scalar: readonly (ScalarCase & { readonly points: readonly (readonly number[])[] })[];
  readonly matrix: readonly (MatrixCase & { readonly size: number; readonly values: Values })[];
}

/** `--scaling`: one system (and a small one of the same kind to warm up), in a fresh process. */
export interface SympyScalingJob {
  readonly warmup: ScalingSystem;
  readonly system: ScalingSystem;
}

const SCRIPT = path.join(__dirname, 'sympy_bench.py');

export function runSympy<T = SympyReport>(
  job: SympyJob | SympyScalingJob | SympyTextbookJob,
  args: readonly string[] = [],
): T {
  const r = spawnSync('python3', [SCRIPT, ...args], {
    input: JSON.stringify(job),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`cannot run python3: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`sympy_bench.py failed (exit ${r.status}): ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout) as T;
}

/** `--textbook`: the textbook corpus, each case diff'ed and simplified (bench/textbook.ts). */
export interface SympyTextbookJob {
  readonly repeats: number;
  readonly cases: readonly {
    readonly id: string;
    readonly sympy: string;
    readonly wrt: readonly string[];
    readonly symbols?: Readonly<Record<string, readonly (string | number)[]>> | undefined;
  }[];
}

export interface SympyTextbookCase {
  readonly id: string;
  readonly us?: number[];
  readonly text?: string[];
  readonly size?: number;
  readonly error?: string;
}
