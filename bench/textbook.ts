/**
 * `npm run bench -- --textbook`: the textbook corpus (test/fixtures/textbook.ts) measured — our
 * result against the textbook form (size, and both forms side by side where ours is larger),
 * and against SymPy's `simplify` of its own `diff` (size and time) where the case has a SymPy
 * form. Prints the side-by-side list and returns the BENCHMARKS.md section.
 */
import { differentiate } from '../src/core';
import { TEXTBOOK_CORPUS, type Source, type TextbookCase } from '../test/fixtures/textbook';
import { measure, numericGap, type Measured } from './textbook-measure';
import { fmtUs, median, samples } from './stats';
import { runSympy, type SympyTextbookCase } from './sympy';

interface Row {
  readonly c: TextbookCase;
  readonly m: Measured;
  /** Median time of `differentiate` (parse, derive, simplify, LaTeX and text), µs. */
  readonly us: number;
  readonly sympy?: SympyTextbookCase | undefined;
}

const pct = (k: number, n: number) => `${k}/${n} (${((100 * k) / n).toFixed(0)}%)`;
const code = (s: string) => `\`${s.replace(/`/g, 'ˋ').replace(/\|/g, '\\|')}\``;

export function measureTextbook(repeats: number, log: (line: string) => void): Row[] {
  log(`textbook corpus: ${TEXTBOOK_CORPUS.length} cases (ours)`);
  const rows = TEXTBOOK_CORPUS.map((c) => {
    // The report is of right answers only: a result that differs from the book is an error here.
    const gap = numericGap(c);
    if (!(gap < 1e-8)) throw new Error(`${c.id}: our result differs from the textbook form by ${gap}`);
    const options = { wrt: c.wrt, declarations: c.declarations };
    return { c, m: measure(c), us: median(samples(() => differentiate(c.latex, options), repeats)) };
  });
  log('textbook corpus: SymPy diff + simplify');
  const withSympy = TEXTBOOK_CORPUS.filter((c) => c.sympy);
  const report = runSympy<{ sympy: string; cases: SympyTextbookCase[] }>(
    {
      repeats: Math.max(1, Math.round(repeats / 4)),
      cases: withSympy.map((c) => ({ id: c.id, sympy: c.sympy!, wrt: c.wrt, symbols: c.symbols })),
    },
    ['--textbook'],
  );
  const byId = new Map(report.cases.map((s) => [s.id, s]));
  return rows.map((r) => ({ ...r, sympy: byId.get(r.c.id) }));
}

/** The cases where ours is larger, both forms side by side (for the terminal). */
export function sideBySide(rows: readonly Row[]): string {
  return rows
    .filter((r) => r.m.ours.size > r.m.textbook.size)
    .map(
      (r) =>
        `${r.c.id} (${r.m.ours.size} vs ${r.m.textbook.size})\n  ours  ${r.m.ours.text}\n  book  ${r.m.textbook.text}`,
    )
    .join('\n');
}

export function renderTextbook(rows: readonly Row[], date: string): string {
  const n = rows.length;
  const noLarger = (rs: readonly Row[]) => rs.filter((r) => r.m.ours.size <= r.m.textbook.size).length;
  const sources: Source[] = ['calculus', 'seeds', 'cookbook', 'deep learning'];
  const bySource = sources.map((s) => {
    const rs = rows.filter((r) => r.c.source === s);
    return `| ${s} | ${rs.length} | ${pct(noLarger(rs), rs.length)} |`;
  });
  const compared = rows.filter((r) => r.sympy?.size !== undefined);
  const failed = rows.filter((r) => r.sympy?.error);
  const sympyNoLarger = compared.filter((r) => r.sympy!.size! <= r.m.textbook.size).length;
  const oursNoLargerThanSympy = compared.filter((r) => r.m.ours.size <= r.sympy!.size!).length;
  const larger = rows.filter((r) => r.m.ours.size > r.m.textbook.size);
  return [
    '## Textbook corpus',
    '',
    `Measured ${date} by \`npm run bench -- --textbook\` (bench/textbook.ts). ${n} expressions (test/fixtures/textbook.ts)`,
    'from scalar calculus, the seed notes, The Matrix Cookbook and deep learning, each with its derivative as a',
    'textbook writes it, by hand. Every result equals its textbook form at random points of two sizes',
    '(test/core/textbook.test.ts). Sizes are tree nodes (see Definitions), both forms read and presented alike.',
    '',
    `Our result is no larger than the textbook's in **${pct(noLarger(rows), n)}** of the cases.`,
    '',
    '| source | cases | ours ≤ textbook |',
    '|---|---:|---:|',
    ...bySource,
    '',
    `SymPy ${'`simplify(diff(f))`'} on the ${compared.length} cases with a SymPy form (scalars, and \`MatrixSymbol\``,
    `expressions of the Cookbook)${failed.length ? `; ${failed.length} more raise in SymPy` : ''}: SymPy's result is no larger than the`,
    `textbook's in ${pct(sympyNoLarger, compared.length)}, ours no larger than SymPy's in ${pct(oursNoLargerThanSympy, compared.length)}.`,
    `Median time per case: ours ${fmtUs(median(compared.map((r) => r.us)))} (\`differentiate\`: parse, derive,`,
    `simplify, print), SymPy ${fmtUs(median(compared.map((r) => median(r.sympy!.us!))))} (diff + simplify + latex, cache cleared).`,
    '',
    `Where ours is larger (${larger.length}):`,
    '',
    '| case | ours | textbook | sizes |',
    '|---|---|---|---:|',
    ...larger.map(
      (r) =>
        `| ${r.c.id} | ${code(r.m.ours.text)} | ${code(r.m.textbook.text)} | ${r.m.ours.size} vs ${r.m.textbook.size} |`,
    ),
    '',
    '<details><summary>Every case with SymPy: sizes and times</summary>',
    '',
    '| case | ours | textbook | SymPy simplify | ours µs | SymPy µs |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows
      .filter((r) => r.sympy)
      .map((r) =>
        r.sympy!.error
          ? `| ${r.c.id} | ${r.m.ours.size} | ${r.m.textbook.size} | raises: ${code(r.sympy!.error)} | ${fmtUs(r.us)} | — |`
          : `| ${r.c.id} | ${r.m.ours.size} | ${r.m.textbook.size} | ${r.sympy!.size} | ${fmtUs(r.us)} | ${fmtUs(median(r.sympy!.us!))} |`,
      ),
    '',
    '</details>',
    '',
  ].join('\n');
}
