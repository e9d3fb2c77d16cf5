/**
 * What the editor says about a derivation's steps: the hover on a chain (TeX for MathJax and Markdown), the
 * Diagnostic of a step, and the quick fix of a wrong right side. Pure (no `vscode`), so wording, order and
 * ranges are unit-tested; `hover.ts` and `diagnostics.ts` wrap them in the editor's types.
 */
import type { Value } from '../../core/api';
import type { StepCheck, TextRange, Verdict } from '../../notes/api';
import type { CommandTarget } from '../shared/domain';
import type { ChainModel } from '../../webview/protocol';
import { commandLink, escapeMarkdown, inlineCode, usesLine } from './hoverContent';
import { ThemeKind, themeColour } from './svg';

export const CHECK_COMMAND = 'jacobianLens.checkFile';
/** `Diagnostic.source` of every finding of the check, and the code of those with a quick fix. */
export const DIAGNOSTIC_SOURCE = 'Jacobian Lens';
export const WRONG_STEP_CODE = 'wrong-step';
export const LAYOUT_STEP_CODE = 'layout-only';
export const UNCHECKED_STEP_CODE = 'unchecked';
/** The commands a chain's hover links to. */
export const CHAIN_HOVER_COMMANDS = ['jacobianLens.openPanel', CHECK_COMMAND] as const;

const MARKS: Readonly<Record<Verdict, string>> = { holds: '✓', wrong: '✗', layout: '⇄', unchecked: '?' };
const TEX_MARKS: Readonly<Record<Verdict, string>> = {
  holds: '\\checkmark',
  wrong: '\\times',
  layout: '\\rightleftarrows',
  unchecked: '?',
};

/** The relation of a step as written (`=`, `\in`), without an alignment mark. */
export function relationOf(step: StepCheck, text: string): string {
  const written = text.slice(step.relationRange.start, step.relationRange.end).replace(/&/g, '').trim();
  return written === '' ? '=' : written;
}

/** What a person reads about one step, in one line of plain text (LaTeX kept as written). */
export function verdictText(step: StepCheck): string {
  switch (step.verdict) {
    case 'holds':
      return `holds (${step.reason})`;
    case 'wrong': {
      const right = step.expected === undefined ? '' : `; the right side is ${step.expected}`;
      const at = step.counterexample ? ` (they differ at ${pointText(step.counterexample)})` : '';
      return `does not hold${right}${at}`;
    }
    case 'layout':
      // The checker's reason says the same; the layout it holds in is the news.
      return `holds in ${step.layout ?? 'the other'} layout only`;
    case 'unchecked':
      return `cannot check: ${step.reason}`;
  }
}

function pointText(point: Readonly<Record<string, Value>>): string {
  return Object.entries(point)
    .map(
      ([name, v]) =>
        `${name} = ${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? round(x) : x))}`,
    )
    .join(', ');
}

const round = (x: number): number => Number(x.toPrecision(3));

/** The steps as shown: the first wrong step first, then the others in the order of the note. */
export function shownOrder(steps: readonly StepCheck[]): StepCheck[] {
  const first = steps.findIndex((s) => s.verdict === 'wrong');
  return first < 0 ? [...steps] : [steps[first], ...steps.filter((_, k) => k !== first)];
}

const COUNTED: readonly (readonly [Verdict, string])[] = [
  ['wrong', 'wrong'],
  ['layout', 'in the other layout only'],
  ['unchecked', 'not checked'],
  ['holds', 'hold'],
];

/** `3 steps: 1 wrong, 2 hold`, `2 steps: all hold`. */
export function chainSummary(steps: readonly StepCheck[]): string {
  const total = steps.length === 1 ? '1 step' : `${steps.length} steps`;
  if (steps.every((s) => s.verdict === 'holds'))
    return `${total}: ${steps.length === 1 ? 'holds' : 'all hold'}`;
  const parts = COUNTED.map(([v, what]) => [steps.filter((s) => s.verdict === v).length, what] as const)
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`);
  return `${total}: ${parts.join(', ')}`;
}

/** Colours of the marks in each kind of theme: VS Code's own test-passed/failed and warning colours. */
export function verdictColours(kind: ThemeKind | number): Readonly<Record<Verdict, string>> {
  const light = kind === ThemeKind.Light || kind === ThemeKind.HighContrastLight;
  return {
    holds: light ? '#388a34' : '#73c991',
    wrong: light ? '#e51400' : '#f14c4c',
    layout: light ? '#bf8803' : '#cca700',
    unchecked: themeColour(kind),
  };
}

/**
 * The chain typeset: one row per step in the order shown, `lhs rel rhs` (the left side left out when it is the
 * right side of the row above, as the note writes it), then the coloured mark and, for a wrong step, the
 * correct right side.
 */
export function chainTex(
  steps: readonly StepCheck[],
  text: string,
  colours: Readonly<Record<Verdict, string>>,
): string {
  let previous: string | undefined;
  const rows = shownOrder(steps).map((step) => {
    const lhs = step.lhs === previous ? '' : step.lhs;
    previous = step.rhs;
    const mark = `\\textcolor{${colours[step.verdict]}}{${TEX_MARKS[step.verdict]}}`;
    const note =
      step.verdict === 'wrong' && step.expected !== undefined
        ? `\\ \\text{should be } ${step.expected}`
        : step.verdict === 'layout'
          ? `\\ \\text{(${step.layout ?? 'other'} layout)}`
          : '';
    return `{${lhs}} & ${relationOf(step, text)} {${step.rhs}} & ${mark}${note}`;
  });
  return `\\begin{array}{rll}${rows.join(' \\\\ ')}\\end{array}`;
}

export interface ChainHoverParts {
  readonly steps: readonly StepCheck[];
  /** The note's text (for each step's relation as written). */
  readonly text: string;
  /** A `data:` URL of the typeset chain; absent when typesetting was not ready in time. */
  readonly image?: string;
  readonly target: CommandTarget;
}

/** The hover on a chain: a summary, the typeset chain, one line per step (the first wrong first), the definitions used. */
export function chainMarkdown({ steps, text, image, target }: ChainHoverParts): string {
  const shown = shownOrder(steps);
  const lines = [`**Jacobian Lens · Derivation check** — ${escapeMarkdown(chainSummary(steps))}`];
  if (image) lines.push(`![${escapeMarkdown(chainSummary(steps)).replace(/[[\]]/g, '\\$&')}](${image})`);
  for (const step of shown) {
    const claim = inlineCode(`${step.lhs} ${relationOf(step, text)} ${step.rhs}`);
    lines.push(`${MARKS[step.verdict]} line ${step.line}: ${claim} ${escapeMarkdown(verdictText(step))}`);
  }
  const used = usedDefinitions(steps);
  if (used.length > 0) lines.push(`*${escapeMarkdown(usesLine(used))}*`);
  lines.push(
    [
      commandLink('Open in panel', 'jacobianLens.openPanel', target),
      commandLink('Check Derivations in File', CHECK_COMMAND, target),
    ].join(' · '),
  );
  return lines.join('\n\n');
}

/** The definitions the steps used, each once, by line. */
export function usedDefinitions(steps: readonly StepCheck[]): StepCheck['used'][number][] {
  const byKey = new Map(steps.flatMap((s) => s.used).map((d) => [`${d.line}\u0000${d.latex}`, d]));
  return [...byKey.values()].sort((a, b) => a.line - b.line);
}

export interface StepFinding {
  readonly severity: 'warning' | 'information' | 'hint';
  readonly code: typeof WRONG_STEP_CODE | typeof LAYOUT_STEP_CODE | typeof UNCHECKED_STEP_CODE;
  /** Where the finding is shown: the step's right side. */
  readonly range: TextRange;
  readonly message: string;
}

/**
 * The Diagnostic of a step: a wrong step is a Warning with the correct right side, a step that holds only in
 * the other layout is Information. A step that holds says nothing, nor by default one that could not be
 * checked (its reason is in the hover): the Problems panel lists what needs a change. With `reportUnchecked`
 * (`jacobianLens.check.reportUnchecked`) such a step is a Hint with its reason, on its relation.
 */
export function stepFinding(
  step: StepCheck,
  text: string,
  { reportUnchecked = false }: { readonly reportUnchecked?: boolean } = {},
): StepFinding | undefined {
  const claim = `${step.lhs} ${relationOf(step, text)} ${step.rhs}`;
  switch (step.verdict) {
    case 'wrong':
      return {
        severity: 'warning',
        code: WRONG_STEP_CODE,
        range: step.rhsRange,
        message: `${claim} ${verdictText(step)}`,
      };
    case 'layout':
      return {
        severity: 'information',
        code: LAYOUT_STEP_CODE,
        range: step.rhsRange,
        message: `${claim} ${verdictText(step)}`,
      };
    case 'unchecked':
      return reportUnchecked
        ? {
            severity: 'hint',
            code: UNCHECKED_STEP_CODE,
            range: step.relationRange,
            message: `${claim}: ${verdictText(step)}`,
          }
        : undefined;
    case 'holds':
      return undefined;
  }
}

export interface StepFix {
  readonly title: string;
  readonly range: TextRange;
  readonly newText: string;
}

/**
 * The quick fix of a wrong step: its right side replaced by the correct one. None when the note no longer has
 * the checked right side there (it was edited since the check).
 */
export function stepFix(step: StepCheck, checkedRhs: string, text: string): StepFix | undefined {
  if (step.verdict !== 'wrong' || step.expected === undefined) return undefined;
  if (text.slice(step.rhsRange.start, step.rhsRange.end) !== checkedRhs) return undefined;
  return {
    title: `Replace the right side with ${step.expected}`,
    range: step.rhsRange,
    newText: step.expected,
  };
}

/** The chain as the panel draws it. */
export function chainModel(steps: readonly StepCheck[], text: string): ChainModel {
  return {
    summary: chainSummary(steps),
    steps: shownOrder(steps).map((step) => ({
      verdict: step.verdict,
      line: step.line,
      latex: `${step.lhs} ${relationOf(step, text)} ${step.rhs}`,
      text: verdictText(step),
      ...(step.verdict === 'wrong' && step.expected !== undefined ? { expectedLatex: step.expected } : {}),
    })),
    used: usedDefinitions(steps).map((d) => `${d.latex} (line ${d.line})`),
  };
}
