/**
 * Growth with the size of the answer: nested compositions, long
 * products, power towers and finite-difference checks at declared sizes. Each
 * point runs in a fresh process (bench/growth-child.ts) with a time limit and a
 * heap limit, so a blow-up shows as "out of memory" or "> 60 s" rather than
 * taking the machine down.
 *
 * `node --import tsx bench/growth.ts` (after `npm run build`) prints the section
 * of BENCHMARKS.md that `npm run bench` writes.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { DifferentiateOptions } from '../src/core';

export interface GrowthScenario {
  readonly id: string;
  /** What varies, for the table: `depth`, `factors`, `n`. */
  readonly parameter: string;
  readonly description: string;
  readonly sizes: readonly number[];
  readonly make: (n: number) => { readonly expression: string; readonly options: DifferentiateOptions };
}

const softmaxOf = (depth: number): string =>
  Array.from({ length: depth }).reduce<string>((e) => `\\operatorname{softmax}(${e})`, 'W\\mathbf{x}');

export const GROWTH_SCENARIOS: readonly GrowthScenario[] = [
  {
    id: 'softmax',
    parameter: 'depth',
    description: 'Jacobian of `\\operatorname{softmax}(` nested `depth` times around `W\\mathbf{x}`',
    sizes: [4, 8, 12, 14, 18, 30, 100],
    make: (depth) => ({ expression: softmaxOf(depth), options: {} }),
  },
  {
    id: 'product',
    parameter: 'factors',
    description: 'Hessian of `x_1 x_2 ⋯ x_n` (n distinct factors)',
    sizes: [10, 20, 50, 100, 200],
    make: (n) => ({
      expression: Array.from({ length: n }, (_, i) => `x_{${i + 1}}`).join(' '),
      options: { op: 'hessian' },
    }),
  },
  {
    id: 'tower',
    parameter: 'depth',
    description: 'TypeScript `x ** x ** ⋯ ** x` (`depth` x’s)',
    sizes: [10, 100, 300, 500, 1000],
    make: (depth) => ({
      expression: Array.from({ length: depth }, () => 'x').join(' ** '),
      options: { lang: 'ts' },
    }),
  },
  {
    id: 'check-norm',
    parameter: 'n',
    description:
      'finite-difference check of `\\mathbf{x}^\\top\\mathbf{x}`, `\\mathbf{x}\\in\\mathbb{R}^{n}` declared',
    sizes: [3, 1000, 3000, 100000, 1000000000],
    make: (n) => ({
      expression: '\\mathbf{x}^\\top\\mathbf{x}',
      options: { declarations: [`\\mathbf{x}\\in\\mathbb{R}^{${n}}`], check: true },
    }),
  },
  {
    id: 'check-quadratic',
    parameter: 'n',
    description:
      'finite-difference check of `\\mathbf{x}^\\top A\\mathbf{x}`, `\\mathbf{x}\\in\\mathbb{R}^{n}`, `A\\in\\mathbb{R}^{n\\times n}` declared',
    sizes: [3, 30, 300, 3000],
    make: (n) => ({
      expression: '\\mathbf{x}^\\top A\\mathbf{x}',
      options: {
        declarations: [`\\mathbf{x}\\in\\mathbb{R}^{${n}}`, `A\\in\\mathbb{R}^{${n}\\times ${n}}`],
        check: true,
      },
    }),
  },
];

/** What the child reports for one point. */
export interface GrowthMeasurement {
  readonly us?: number;
  /** Characters of LaTeX shown: the result and its definitions. */
  readonly latexChars?: number;
  readonly definitions?: number;
  /** Growth of the peak resident set over the warmed-up baseline. */
  readonly peakBytes?: number;
  /** The verdict of a finite-difference check. */
  readonly check?: string | undefined;
  /** The LensError message of a refusal (`us` is then the time to refuse). */
  readonly refused?: string;
  /** The process died (out of memory) or ran past the time limit. */
  readonly crashed?: string;
}

export interface GrowthRow {
  readonly scenario: string;
  readonly n: number;
  readonly inputLength: number;
  readonly m: GrowthMeasurement;
}

export const GROWTH_TIME_LIMIT_S = 60;
/** Heap of a child: a blow-up is cut off here instead of swapping. */
const HEAP_MB = 2048;

export function measureGrowth(log: (s: string) => void, root = path.join(__dirname, '..')): GrowthRow[] {
  const rows: GrowthRow[] = [];
  for (const s of GROWTH_SCENARIOS) {
    for (const n of s.sizes) {
      log(`growth: ${s.id} ${s.parameter} = ${n}`);
      const r = spawnSync(
        process.execPath,
        [
          `--max-old-space-size=${HEAP_MB}`,
          '--import',
          'tsx',
          path.join(__dirname, 'growth-child.ts'),
          s.id,
          String(n),
        ],
        { cwd: root, encoding: 'utf8', timeout: GROWTH_TIME_LIMIT_S * 1000, maxBuffer: 16 * 1024 * 1024 },
      );
      const m: GrowthMeasurement =
        r.status === 0
          ? (JSON.parse(r.stdout) as GrowthMeasurement)
          : {
              crashed:
                r.signal === 'SIGTERM'
                  ? `> ${GROWTH_TIME_LIMIT_S} s`
                  : /heap out of memory|Allocation failed/.test(r.stderr)
                    ? `out of memory (${HEAP_MB} MB heap)`
                    : /Maximum call stack size exceeded/.test(r.stderr)
                      ? 'stack overflow (a RangeError; the CLI reports "nested too deeply")'
                      : `exit ${r.status ?? r.signal}`,
            };
      rows.push({ scenario: s.id, n, inputLength: s.make(n).expression.length, m });
    }
  }
  return rows;
}

if (require.main === module) {
  // Imported here, not at the top: report.ts imports this file's types.
  void import('./report').then(({ renderGrowth }) => {
    process.stdout.write(`${renderGrowth(measureGrowth((s) => process.stderr.write(`${s}\n`)))}\n`);
  });
}
