/** Renders one benchmark run as BENCHMARKS.md. */
import { renderAdversarial, type AdversarialRow } from './adversarial';
import { SCALAR_CORPUS } from './corpus';
import type { EditorReport } from './editor-child';
import { packageVersion, PEERS } from './peers';
import type { ToolRun } from './scalar';
import type { ScalingMeasurement } from './scaling';
import { GROWTH_SCENARIOS, GROWTH_TIME_LIMIT_S, type GrowthMeasurement, type GrowthRow } from './growth';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fmtBytes, fmtRatio, fmtUs, geomean, median, p95 } from './stats';
import type { SympyReport } from './sympy';

export interface Check {
  readonly verdict: string;
  readonly detail?: string;
}

export interface MatrixRow {
  readonly id: string;
  readonly latex: string;
  readonly wrt: string;
  readonly size: number;
  ours: { result: string; us?: number | undefined; verdict: string };
  readonly sympy?: { result: string; us?: number | undefined; verdict: string } | undefined;
}

export interface ScalingRow {
  readonly kind: 'jacobian' | 'hessian';
  readonly n: number;
  readonly inputLength: number;
  readonly ours: ScalingMeasurement;
  readonly sympy: ScalingMeasurement;
}

export interface RunReport {
  readonly date: string;
  readonly quick: boolean;
  readonly config: {
    readonly rounds: number;
    readonly repeats: number;
    readonly warmupUs: number;
    readonly sympyRepeats: number;
    readonly editorRuns: number;
    readonly editorRounds: number;
  };
  readonly machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    os: string;
    node: string;
    python: string;
  };
  readonly versions: readonly { name: string; version: string }[];
  readonly tools: readonly ToolRun[];
  readonly sympy?: SympyReport | undefined;
  readonly sympyError?: string | undefined;
  /** SymPy's values (computed in Python at the same points) judged against the same finite differences. */
  readonly sympyChecks: Readonly<Record<string, { diff: Check; simplified: Check }>>;
  readonly points: number;
  readonly matrix: readonly MatrixRow[];
  readonly scaling: readonly ScalingRow[];
  readonly vector: readonly { n: number; us: number; result: string }[];
  readonly growth?: readonly GrowthRow[];
  readonly editor: readonly EditorReport[] | string;
  readonly adversarial: readonly AdversarialRow[] | string;
  readonly artifacts: readonly { file: string; bytes: number }[];
}

export function peerVersions(sympy: SympyReport | undefined): { name: string; version: string }[] {
  const pkgs = [...new Set(PEERS.map((p) => p.pkg))];
  return [
    ...pkgs.map((pkg) => ({ name: pkg, version: packageVersion(pkg) })),
    { name: 'sympy (Python)', version: sympy?.sympy ?? 'not run' },
    { name: 'mathjax-full (hover typesetting)', version: packageVersion('mathjax-full') },
  ];
}

const table = (head: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

/** Inline code that survives a Markdown table (pipes escaped). */
const code = (s: string): string => `\`${s.replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
const clip = (s: string, n = 90): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

interface TimingSummary {
  readonly name: string;
  readonly medians: Map<string, number>;
}

function summarize(name: string, perCase: Iterable<[string, readonly number[]]>): TimingSummary {
  const medians = new Map<string, number>();
  for (const [id, s] of perCase) if (s.length) medians.set(id, median(s));
  return { name, medians };
}

function speedRows(all: readonly TimingSummary[], ours: TimingSummary): string[][] {
  const ourMedian = median([...ours.medians.values()]);
  return all.map((t) => {
    const values = [...t.medians.values()];
    const ratios = [...t.medians]
      .filter(([id]) => ours.medians.has(id))
      .map(([id, v]) => v / ours.medians.get(id)!);
    return [
      t === ours ? `**${t.name}**` : t.name,
      fmtUs(median(values)),
      fmtUs(p95(values)),
      t === ours ? '1×' : fmtRatio(median(values) / ourMedian),
      t === ours ? '1×' : fmtRatio(geomean(ratios)),
      `${t.medians.size}/${SCALAR_CORPUS.length}`,
    ];
  });
}

export function renderReport(r: RunReport): string {
  const ours = r.tools.find((t) => t.ours)!;
  const timings: TimingSummary[] = r.tools.map((t) =>
    summarize(
      t.name,
      Object.entries(t.cases).map(([id, c]) => [id, c.samples]),
    ),
  );
  const ourTiming = timings[r.tools.indexOf(ours)];
  if (r.sympy) {
    timings.push(
      summarize(
        'SymPy `diff` (parse + diff + latex)',
        r.sympy.scalar.map((s) => [s.id, s.diffUs]),
      ),
    );
    timings.push(
      summarize(
        'SymPy `diff` + `simplify` (+ parse, latex)',
        r.sympy.scalar.map((s) => [s.id, s.diffSimplifyUs]),
      ),
    );
  }
  const ourMedian = median([...ourTiming.medians.values()]);
  const jsPeers = r.tools.filter((t) => t.primary).map((t) => timings[r.tools.indexOf(t)]);
  const fastest = jsPeers.reduce((a, b) =>
    median([...a.medians.values()]) <= median([...b.medians.values()]) ? a : b,
  );
  const fastestMedian = median([...fastest.medians.values()]);
  const speedup = fastestMedian / ourMedian;
  // The same comparison restricted to peers right on the whole corpus, reported next to the target.
  const allRight = (t: ToolRun) => Object.values(t.cases).every((c) => c.verdict === 'ok');
  const rightPeers = r.tools.filter((t) => t.primary && allRight(t)).map((t) => timings[r.tools.indexOf(t)]);
  const fastestRight = rightPeers.length
    ? rightPeers.reduce((a, b) =>
        median([...a.medians.values()]) <= median([...b.medians.values()]) ? a : b,
      )
    : undefined;

  const ourCases = Object.entries(ours.cases);
  const ourCorrect = ourCases.filter(([, c]) => c.verdict === 'ok').length;
  const sympySize = new Map(r.sympy?.scalar.map((s) => [s.id, s]) ?? []);
  const larger = ourCases.filter(
    ([id, c]) => c.size !== undefined && sympySize.has(id) && c.size > sympySize.get(id)!.diffSize,
  );

  const editor = typeof r.editor === 'string' ? undefined : r.editor;
  const ed = (f: (e: EditorReport) => number | undefined) => {
    const xs = (editor ?? []).map(f).filter((x): x is number => x !== undefined);
    return xs.length ? median(xs) : NaN;
  };
  const warmP95 = ed((e) => e.warm.p95);
  const activation = ed((e) => e.activationUs);
  const webActivation = ed((e) => e.webActivationUs);

  const out: string[] = [];
  out.push('# Benchmarks');
  out.push('');
  out.push(
    `Generated by \`npm run bench${r.quick ? ' -- --quick' : ''}\` on ${r.date}. Every number below comes from that one run: ` +
      'all tools on the same inputs, timed in interleaved rounds on the same machine, ratios measured in the same run. ' +
      (r.quick ? '**This was a `--quick` run (few repeats): indicative only.** ' : '') +
      'Timings on a shared machine are noisy; medians are used throughout and no test asserts a timing.',
  );
  out.push('');
  out.push('## Where we stand');
  out.push('');
  const yes = (ok: boolean) => (ok ? '✅ met' : '❌ not met');
  out.push(
    table(
      ['Target', 'Measured', ''],
      [
        [
          // In one process the tools share one heap and one JIT; the editor runs the core in a worker
          // of its own, as the section "Speed" (`--speed`) runs each tool in a process of its own.
          'Core median ≥ 10× faster than the fastest JavaScript peer, all tools in one process (each in its own: see "Speed")',
          `ours ${fmtUs(ourMedian)} vs ${fastest.name} ${fmtUs(fastestMedian)}: **${fmtRatio(speedup)}** faster`,
          yes(speedup >= 10),
        ],
        ...(fastestRight && fastestRight !== fastest
          ? [
              [
                '… against the fastest JavaScript peer that is right on the whole corpus',
                `${fastestRight.name} ${fmtUs(median([...fastestRight.medians.values()]))}: ` +
                  `**${fmtRatio(median([...fastestRight.medians.values()]) / ourMedian)}** faster`,
                yes(median([...fastestRight.medians.values()]) / ourMedian >= 10),
              ],
            ]
          : []),
        ['Warm hover p95 < 50 ms', editor ? fmtUs(warmP95) : String(r.editor), yes(warmP95 < 50_000)],
        [
          'Activation < 50 ms',
          Number.isFinite(activation) ? fmtUs(activation) : 'not measured',
          yes(activation < 50_000),
        ],
        [
          'Correct on 100% of the corpus',
          `${ourCorrect}/${ourCases.length} (${r.points} random points each, against finite differences)`,
          yes(ourCorrect === ourCases.length),
        ],
        [
          'Result never larger than SymPy’s `diff` (tree size)',
          r.sympy ? `${ourCases.length - larger.length}/${ourCases.length} not larger` : 'SymPy not run',
          yes(!!r.sympy && larger.length === 0),
        ],
      ],
    ),
  );
  out.push('');

  out.push('## Machine and versions');
  out.push('');
  const m = r.machine;
  out.push(`- CPU: ${m.cpu}, ${m.cores} cores (\`nproc\`); memory ${m.memoryGiB} GiB; ${m.os}`);
  out.push(`- Node ${m.node}; Python ${m.python}`);
  out.push(`- Peers: ${r.versions.map((v) => `${v.name} ${v.version}`).join(', ')}`);
  out.push(
    `- Repeats: every JavaScript tool is first warmed up (passes over the corpus for ${fmtUs(r.config.warmupUs)} of the ` +
      `tool's own time, at least one) so its code is JIT-compiled as in a long-lived editor; then ` +
      `${r.config.rounds} interleaved rounds × up to ${r.config.repeats} samples per expression and tool ` +
      `(slow tools stop early within a round); SymPy ${r.config.sympyRepeats} samples per expression, cache cleared before each.`,
  );
  out.push('');

  out.push(`## Scalar corpus: speed (${SCALAR_CORPUS.length} expressions)`);
  out.push('');
  out.push(
    'Time per derivative for the whole pipeline a user runs: parse the input, differentiate, simplify, produce LaTeX ' +
      '(ours: `differentiate()`, which also prints Unicode text). "Median" and "p95" are taken over the per-expression ' +
      'medians; "× ours" is that median over ours; "per-expression × ours" is the geometric mean of the per-expression ratios.',
  );
  out.push('');
  out.push(
    table(
      ['Tool', 'Median', 'p95', '× ours', 'Per-expression × ours', 'Expressions timed'],
      speedRows(timings, ourTiming),
    ),
  );
  out.push('');
  out.push(
    'Pipelines: math.js `derivative(parse(s), x).toTex()` (simplifies by default); nerdamer `diff(s, x).toTeX()`, with ' +
      '`simplify(…)` on top in the "+ simplify" row; Algebrite `d(s, x)` then `printlatex(last)`, with `simplify(…)` on top in ' +
      'its "+ simplify" row; Compute Engine `box(["D", parse(latex), x]).evaluate().simplify().latex`; SymPy ' +
      '`latex(sympify(s).diff(x))` and `latex(simplify(sympify(s).diff(x)))`. An expression a tool fails on is not timed for it.',
  );
  out.push('');

  out.push('## Correctness');
  out.push('');
  out.push(
    `Each derivative is evaluated at ${r.points} random points (seeded, inside the function's domain) with the tool's own ` +
      "evaluator (math.js `evaluate` on Algebrite's text; SymPy `evalf`; ours: `differentiate(…, { at })`) and compared " +
      'with a fourth-order central difference of the original function evaluated by math.js (relative tolerance 1e-6).',
  );
  out.push('');
  const verdictRows = r.tools.map((t) => {
    const cs = Object.values(t.cases);
    const n = (v: string) => cs.filter((c) => c.verdict === v).length;
    return [t.ours ? `**${t.name}**` : t.name, `${n('ok')}/${cs.length}`, n('wrong'), n('error')];
  });
  if (r.sympy) {
    for (const [name, key] of [
      ['SymPy `diff`', 'diff'],
      ['SymPy `diff` + `simplify`', 'simplified'],
    ] as const) {
      const ok = Object.values(r.sympyChecks).filter((c) => c[key].verdict === 'ok').length;
      verdictRows.push([name, `${ok}/${r.sympy.scalar.length}`, r.sympy.scalar.length - ok, 0]);
    }
  }
  out.push(table(['Tool', 'Correct', 'Wrong', 'Failed (threw / unsupported)'], verdictRows));
  out.push('');
  const wrong = r.tools.flatMap((t) =>
    Object.entries(t.cases)
      .filter(([, c]) => c.verdict !== 'ok')
      .map(([id, c]) => [
        t.name,
        code(exprOf(id)),
        c.verdict,
        c.text ? code(clip(c.text, 120)) : '',
        c.detail ?? '',
      ]),
  );
  for (const s of r.sympy?.scalar ?? []) {
    const check = r.sympyChecks[s.id];
    if (check.diff.verdict !== 'ok')
      wrong.push([
        'SymPy `diff`',
        code(exprOf(s.id)),
        check.diff.verdict,
        code(clip(s.diff, 120)),
        check.diff.detail ?? '',
      ]);
    if (check.simplified.verdict !== 'ok')
      wrong.push([
        'SymPy `simplify`',
        code(exprOf(s.id)),
        check.simplified.verdict,
        code(clip(s.simplified, 120)),
        check.simplified.detail ?? '',
      ]);
  }
  if (wrong.length) {
    out.push('Every wrong or failed answer:');
    out.push('');
    out.push(table(['Tool', 'Expression (d/d·)', 'Verdict', 'Its result', 'Detail'], wrong));
  } else {
    out.push('No tool gave a wrong answer.');
  }
  out.push('');

  out.push('## Simplicity: result size against SymPy');
  out.push('');
  out.push(
    "Tree size (defined below) of each tool's result over the size of SymPy's `diff` result for the same expression: " +
      'below 1 is smaller than SymPy. Wrong answers are left out of the ratios.',
  );
  out.push('');
  if (r.sympy) {
    const rows = r.tools.map((t) => {
      const ratios: number[] = [];
      let bigger = 0;
      let smaller = 0;
      for (const [id, c] of Object.entries(t.cases)) {
        const s = sympySize.get(id);
        if (!s || c.size === undefined || c.verdict !== 'ok') continue;
        ratios.push(c.size / s.diffSize);
        if (c.size > s.diffSize) bigger++;
        if (c.size < s.diffSize) smaller++;
      }
      return [
        t.ours ? `**${t.name}**` : t.name,
        fmtRatio(median(ratios)),
        fmtRatio(geomean(ratios)),
        smaller,
        ratios.length - bigger - smaller,
        bigger,
      ];
    });
    const simp = r.sympy.scalar.map((s) => s.simplifiedSize / s.diffSize);
    rows.push([
      'SymPy `diff` + `simplify`',
      fmtRatio(median(simp)),
      fmtRatio(geomean(simp)),
      simp.filter((x) => x < 1).length,
      simp.filter((x) => x === 1).length,
      simp.filter((x) => x > 1).length,
    ]);
    out.push(
      table(['Tool', 'Median size ÷ SymPy diff', 'Geometric mean', 'Smaller', 'Equal', 'Larger'], rows),
    );
    out.push('');
    out.push("<details><summary>Per expression: our result and SymPy's, with tree sizes</summary>");
    out.push('');
    out.push(
      table(
        ['Expression', 'd/d', 'Ours', 'Size', 'SymPy diff', 'Size', 'SymPy simplify size'],
        SCALAR_CORPUS.map((c) => {
          const o = ours.cases[c.id];
          const s = sympySize.get(c.id);
          const flag = s && o.size !== undefined && o.size > s.diffSize ? ' ⚠️' : '';
          return [
            code(c.latex),
            c.wrt,
            code(clip(o.text ?? o.detail ?? '', 80)),
            `${o.size ?? '—'}${flag}`,
            code(clip(s?.diff ?? '', 80)),
            s?.diffSize ?? '—',
            s?.simplifiedSize ?? '—',
          ];
        }),
      ),
    );
    out.push('');
    out.push('</details>');
  } else {
    out.push(`SymPy did not run: ${r.sympyError ?? 'unknown reason'}.`);
  }
  out.push('');

  out.push('## Matrix calculus against SymPy `MatrixSymbol`');
  out.push('');
  out.push(
    'Symbolic sizes (n) for the derivative; numeric check with random values at n = 3 or 4 (invertible matrices drawn ' +
      'symmetric positive definite), against finite differences over every entry (gradients in denominator layout, ' +
      'the shape of the variable, as SymPy gives them). Time: parse + differentiate + LaTeX, median.',
  );
  out.push('');
  out.push(
    table(
      ['Function', 'wrt', 'Ours', 'Time', 'Correct', 'SymPy', 'Time', 'Correct'],
      r.matrix.map((row) => [
        code(row.latex),
        row.wrt,
        code(clip(row.ours.result, 60)),
        fmtUs(row.ours.us ?? NaN),
        row.ours.verdict,
        code(clip(row.sympy?.result ?? 'not run', 60)),
        fmtUs(row.sympy?.us ?? NaN),
        row.sympy?.verdict ?? '—',
      ]),
    ),
  );
  out.push('');

  out.push('## Scaling');
  out.push('');
  out.push(
    'Written out component by component: the Jacobian of f_i = x_i² x_{i+1} + sin(x_i) (indices cyclic) and the Hessian of ' +
      'the extended Rosenbrock function Σ 100(x_{2i−1}² − x_{2i})² + (1 − x_{2i−1})². Each measurement runs in a fresh process ' +
      '(median of 3 such runs, or fewer once 10 s are spent) ' +
      "warmed up on n = 10 (ours 20 calls, for the JIT; SymPy once); time is parse + differentiate + LaTeX; memory is the growth of the process's peak resident set " +
      'over that warmed-up baseline (same measure for both; 0 means within the baseline).',
  );
  out.push('');
  // A failure is written once, in the time column.
  const cell = (s: ScalingMeasurement, f: (s: ScalingMeasurement) => string, first: boolean) =>
    s.error ? (first ? `fails: ${clip(s.error, 80)}` : '—') : f(s);
  out.push(
    table(
      [
        'System',
        'n',
        'Input (chars)',
        'Ours: time',
        'Ours: peak memory',
        'SymPy: time',
        'SymPy: peak memory',
        'SymPy ÷ ours',
      ],
      r.scaling.map((s) => [
        s.kind === 'jacobian' ? 'Jacobian, explicit system' : 'Hessian, extended Rosenbrock',
        s.n,
        s.inputLength,
        cell(s.ours, (x) => fmtUs(x.us!), true),
        cell(s.ours, (x) => fmtBytes(x.peakBytes!), false),
        cell(s.sympy, (x) => fmtUs(x.us!), true),
        cell(s.sympy, (x) => fmtBytes(x.peakBytes!), false),
        s.ours.us && s.sympy.us ? fmtRatio(s.sympy.us / s.ours.us) : '—',
      ]),
    ),
  );
  out.push('');
  out.push(
    'A symbolic-vector result does not depend on n: `\\nabla_{\\mathbf{x}} \\mathbf{x}^\\top A \\mathbf{x}` with ' +
      '`\\mathbf{x} \\in \\mathbb{R}^{n}`, `A \\in \\mathbb{R}^{n \\times n}` declared:',
  );
  out.push('');
  out.push(
    table(
      ['n', 'Time (median)', 'Result'],
      r.vector.map((v) => [v.n, fmtUs(v.us), code(v.result)]),
    ),
  );
  out.push('');

  if (r.growth) out.push(renderGrowth(r.growth), '');

  out.push('## Editor path');
  out.push('');
  if (editor) {
    out.push(
      `The hover pipeline on the shipped bundles (\`dist/engineWorker.js\`, \`dist/mathjax.js\`) in fresh processes ` +
        `(${editor.length} runs × ${r.config.editorRounds} passes over the corpus, medians of the runs): a request to the ` +
        "engine's worker through the extension's client (the document goes with it) to locate the math under " +
        'the cursor in a Markdown document + collect declarations + differentiate, then TeX → SVG (MathJax) + colour the SVG + ' +
        "data URL + hover Markdown. Only VS Code's own rendering of the hover is outside the measurement.",
    );
    out.push('');
    out.push(
      table(
        ['Measure', 'Time'],
        [
          [
            "Start the engine's worker (1 s after activation), until its first answer",
            fmtUs(ed((e) => e.engineStartUs)),
          ],
          ['Load MathJax (in its worker, started 1 s after activation)', fmtUs(ed((e) => e.mathjaxLoadUs))],
          ['First hover (cold core, MathJax converter created)', fmtUs(ed((e) => e.firstHoverUs))],
          ['Warm hover p50', fmtUs(ed((e) => e.warm.p50))],
          ['Warm hover p95', fmtUs(warmP95)],
          [
            '… of which the engine (worker round trip: locate + differentiate) p50 / p95',
            `${fmtUs(ed((e) => e.warm.coreP50))} / ${fmtUs(ed((e) => e.warm.coreP95))}`,
          ],
          [
            '… of which typesetting (MathJax SVG + Markdown) p50 / p95',
            `${fmtUs(ed((e) => e.warm.typesetP50))} / ${fmtUs(ed((e) => e.warm.typesetP95))}`,
          ],
          [
            'Hover in a TypeScript file: the engine (locate + differentiate) p50 / p95',
            `${fmtUs(ed((e) => e.code?.ts.p50))} / ${fmtUs(ed((e) => e.code?.ts.p95))}`,
          ],
          [
            'Hover in a Python file, the same functions with NumPy: the engine p50 / p95',
            `${fmtUs(ed((e) => e.code?.python.p50))} / ${fmtUs(ed((e) => e.code?.python.p95))}`,
          ],
          [
            'Activation: load `dist/extension.js` + `activate()`',
            Number.isFinite(activation) ? fmtUs(activation) : editor.map((e) => e.activationError).join('; '),
          ],
          [
            'Activation of the web build: load `dist/web/extension.js` + `activate()`, no Node global',
            Number.isFinite(webActivation)
              ? fmtUs(webActivation)
              : editor.map((e) => e.webActivationError).join('; '),
          ],
        ],
      ),
    );
    out.push('');
    out.push(
      'Activation is measured outside VS Code: `activate()` runs with every `vscode` API call answered by a do-nothing ' +
        "stand-in, so it counts the extension's own work (bundle load, registrations), not VS Code's.",
    );
    const failures = [...new Set(editor.flatMap((e) => e.failures))];
    if (failures.length) out.push(`\nHovers that failed: ${failures.map(code).join(', ')}`);
  } else {
    out.push(`Not measured: ${r.editor}`);
  }
  out.push('');
  out.push('### Bundle and package sizes');
  out.push('');
  out.push(
    r.artifacts.length
      ? table(
          ['File', 'Size'],
          r.artifacts.map((a) => [code(a.file), fmtBytes(a.bytes)]),
        )
      : 'No build output found.',
  );
  if (!r.artifacts.some((a) => a.file.endsWith('.vsix')))
    out.push(
      '\nNo `.vsix` in the repository root: run `npm run package` before the benchmark to include it.',
    );
  out.push('');

  out.push(renderAdversarial(r.adversarial));
  out.push(renderFuzz());
  out.push('## Definitions');
  out.push('');
  out.push("**Tree size** — the simplicity measure, counted on each system's own expression tree:");
  out.push('');
  out.push('- a number, a numeric constant (−2, ½) or a symbol is 1 node;');
  out.push('- a function application (sin, exp, σ, …) is 1 node plus its arguments;');
  out.push(
    '- n-ary sums and products are 1 node plus their operands (chains of the same binary operator are flattened first, parentheses are not nodes);',
  );
  out.push(
    '- subtraction, division, negation and roots count as each system stores them: SymPy and our core keep a − b as ' +
      'Add(a, Mul(−1, b)), x/y as Mul(x, Pow(y, −1)) and √x as Pow(x, ½); math.js keeps its own `-`, `/`, unary minus and ' +
      '`sqrt` nodes; Compute Engine its MathJSON (`Divide`, `Negate`, `Sqrt`, …).',
  );
  out.push('');
  out.push(
    "Ours is `treeSize` of the result expression (`src/core/expr.ts`, via `derivation()`), SymPy's is `tree_size` in " +
      '`bench/sympy_bench.py`, math.js and Compute Engine are counted on their result trees and nerdamer and Algebrite on ' +
      'their text results read by math.js (`bench/tree-size.ts`).',
  );
  out.push('');
  out.push('## How to reproduce');
  out.push('');
  out.push('```sh');
  out.push('npm ci                       # peers are devDependencies');
  out.push('pip install sympy==1.14      # or: apt-get install python3-sympy');
  out.push('npm run bench                # full run, rewrites BENCHMARKS.md (about 5 minutes on 2 cores)');
  out.push('npm run bench -- --quick     # about 2 minutes, same tables, indicative numbers');
  out.push(
    'npm run bench -- --sympy-sizes   # regenerate bench/sympy-sizes.json for test/core/simplicity.test.ts',
  );
  out.push(
    'npm run build && node --import tsx bench/growth.ts   # only the "Growth with the answer" section',
  );
  out.push('npm run bench -- --adversarial   # only the adversarial documents (rewrites their section)');
  out.push('```');
  out.push('');
  out.push(
    'Sources: `bench/corpus.ts` (scalar corpus), `bench/matrix-cases.ts`, `bench/scaling.ts`, `bench/peers.ts` (how each ' +
      'peer is driven), `bench/sympy_bench.py` (SymPy side, one process per run plus one per scaling point), ' +
      '`bench/editor-child.ts` (hover path and activation), `bench/growth.ts` (growth cases; `bench/growth-before.json` is ' +
      'the baseline measured on commit 1b76470 with the same script), `bench/adversarial.ts` (adversarial documents; ' +
      '`bench/adversarial-before.json` holds the numbers measured before the scans were made linear).',
  );
  out.push('');
  return out.join('\n');
}

function exprOf(id: string): string {
  const c = SCALAR_CORPUS.find((x) => x.id === id)!;
  return `${c.plain}  (d/d${c.wrt})`;
}

/** What one growth point did: its output, its refusal, or how it died. */
function growthOutcome(m: GrowthMeasurement | undefined): [string, string] {
  if (!m) return ['—', 'not measured'];
  if (m.crashed) return ['—', m.crashed];
  const time = fmtUs(m.us!);
  if (m.refused) return [time, `refused: ${clip(m.refused, 70)}`];
  if (m.check) return [time, `check ${m.check}`];
  const defs = m.definitions ? ` + ${m.definitions} definitions` : '';
  return [time, `${m.latexChars!.toLocaleString('en')} chars of LaTeX${defs}`];
}

/** Measurements of commit 1b76470, before passes were made linear in the shared tree, kept to compare with (bench/growth-before.json). */
interface GrowthBaseline {
  readonly commit: string;
  readonly date: string;
  readonly rows: readonly GrowthRow[];
}

/** The "Growth with the answer" section, each point beside the baseline's. */
export function renderGrowth(rows: readonly GrowthRow[]): string {
  const baseline = JSON.parse(
    readFileSync(path.join(__dirname, 'growth-before.json'), 'utf8'),
  ) as GrowthBaseline;
  const out: string[] = [];
  out.push('## Growth with the answer');
  out.push('');
  out.push(
    'Inputs whose answer is small but whose expression tree, unfolded, is huge, and finite-difference checks at large declared sizes ' +
      '(`bench/growth.ts`). Each point runs in a fresh process (`bench/growth-child.ts`, the bundle, warmed up on the smallest point) with a ' +
      `${GROWTH_TIME_LIMIT_S} s limit and a 2 GB heap; time is the whole \`differentiate\` call (or the time to refuse); output is the LaTeX of the ` +
      `result and its definitions. "Before" is commit ${baseline.commit}, measured the same way on the same machine (${baseline.date}).`,
  );
  out.push('');
  out.push(
    table(
      [
        'Case',
        'Size',
        'Input (chars)',
        'Before: time',
        'Before: output',
        'Now: time',
        'Now: output',
        'Now: peak memory',
      ],
      rows.map((row) => {
        const s = GROWTH_SCENARIOS.find((x) => x.id === row.scenario)!;
        const old = baseline.rows.find((b) => b.scenario === row.scenario && b.n === row.n);
        const [oldTime, oldOut] = growthOutcome(old?.m);
        const [time, result] = growthOutcome(row.m);
        return [
          s.description,
          `${s.parameter} = ${row.n}`,
          row.inputLength,
          oldTime,
          oldOut,
          time,
          result,
          row.m.peakBytes === undefined ? '—' : fmtBytes(row.m.peakBytes),
        ];
      }),
    ),
  );
  return out.join('\n');
}

interface FuzzRecord {
  readonly date: string;
  readonly commit: string;
  readonly runsPerProperty: number;
  readonly inputs: number;
  readonly failures: number;
  readonly seconds: number;
  readonly properties: readonly { name: string; ok: boolean; seconds: number | null }[];
}

/** The latest long fuzz run (`node scripts/fuzz-long.mjs`, which writes bench/fuzz-long.json). */
export function renderFuzz(): string {
  let record: FuzzRecord;
  try {
    record = JSON.parse(readFileSync(path.join(__dirname, 'fuzz-long.json'), 'utf8')) as FuzzRecord;
  } catch {
    return '## Fuzzing\n\nNo long run recorded: run `node scripts/fuzz-long.mjs`.\n';
  }
  const out = ['## Fuzzing', ''];
  out.push(
    `The long run of the fuzz suite (\`test/fuzz/\`, fast-check) on ${record.date}, commit ${record.commit}: ` +
      `${record.runsPerProperty.toLocaleString('en')} inputs per property, ` +
      `**${record.inputs.toLocaleString('en')} inputs** in ${record.seconds.toFixed(0)} s, ` +
      `**${record.failures} failing**. Each property asserts that only a \`LensError\` escapes and each call ` +
      'finishes within its budget; the document properties also that ranges contain the cursor and match a search ' +
      'from scratch, the smooth-function ones that values are finite and the check never disagrees. ' +
      '`npm test` runs the same properties with a few hundred inputs each.',
  );
  out.push('');
  out.push(
    table(
      ['Property', 'Result', 'Time'],
      record.properties.map((p) => [
        p.name,
        p.ok ? 'passed' : '**failed**',
        p.seconds === null ? '—' : `${p.seconds.toFixed(1)} s`,
      ]),
    ),
  );
  out.push('');
  return out.join('\n');
}
