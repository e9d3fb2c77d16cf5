/**
 * The model a webview draws (`ViewModel`, src/webview/protocol.ts) built from
 * an outcome: the result, its assumptions, the steps, the finite-difference
 * check and the two layouts, worded for the panel. Pure (no `vscode`), so it
 * is unit-tested.
 */
import type { CheckResult, DifferentiateResult, Layout, Value } from '../../core/api';
import type {
  ChainModel,
  CheckModel,
  LayoutForm,
  LayoutsModel,
  StepsModel,
  StepsView,
  Subject,
  ViewModel,
} from '../../webview/protocol';
import { assumptionLines, operationTitle, usesLine, type LineName } from './hoverContent';
import type { Outcome } from '../shared/domain';

/** The Jacobian-form derivative in each layout, for the side-by-side comparison. */
export interface LayoutPair {
  readonly numerator: Outcome;
  readonly denominator: Outcome;
}

/** What the model is built from besides the outcome. */
export interface ModelContext {
  readonly history?: ViewModel['history'];
  /** The panel shows the work (steps, check, layouts); the side view does not. */
  readonly panel?: boolean;
  /** With `subject.layoutsBoth`, when the layout matters. */
  readonly layouts?: LayoutPair;
  /** How the note's lines are named (in a notebook, with their cell). */
  readonly lineName?: LineName;
}

export function emptyModel(message: string, layout: Layout): ViewModel {
  return {
    state: 'empty',
    message,
    definitions: [],
    conditions: [],
    assumptions: [],
    op: 'auto',
    layout,
    variables: [],
    point: '',
    history: [],
  };
}

/** The panel on a chain: its steps and verdicts, nothing to differentiate. */
export function chainViewModel(chain: ChainModel, subject: Subject, layout: Layout): ViewModel {
  return { ...emptyModel('', layout), state: 'result', chain, subject };
}

/**
 * The model for an outcome. `candidates` are the variables offered in the
 * variable choice (the ones differentiated by are ticked).
 */
export function viewModel(
  outcome: Outcome,
  subject: Subject,
  candidates: readonly string[],
  layout: Layout,
  context: ModelContext = {},
): ViewModel {
  const base: ViewModel = {
    ...emptyModel('', layout),
    op: subject.op ?? 'auto',
    point: subject.point ?? '',
    history: context.history ?? [],
    subject,
  };
  if (outcome.kind === 'error') {
    return {
      ...base,
      state: 'error',
      message: `Jacobian Lens: ${outcome.message}`,
      variables: candidates.map((name) => ({ name, chosen: false })),
    };
  }
  const { result, declarations, unavailable = {} } = outcome;
  const chosen = new Map(result.wrt.map((v) => [v.name, v.shape]));
  const names = [...new Set([...result.wrt.map((v) => v.name), ...candidates])];
  return {
    ...base,
    state: 'result',
    title: `${operationTitle(result.op)} (${result.shape})`,
    inputLatex: result.input.latex,
    resultLatex: result.latex,
    resultText: result.text,
    ...(result.code?.ts !== undefined ? { code: result.code.ts } : {}),
    shape: result.shape,
    ...(result.expanded ? { expandedLatex: result.expanded.latex } : {}),
    definitions: result.definitions.map((d) => d.definitionLatex),
    conditions: result.conditions.map((c) => c.latex),
    assumptions: [
      ...assumptionLines(result, declarations, context.lineName),
      ...(outcome.definitions ? [usesLine(outcome.definitions, context.lineName)] : []),
    ],
    layout: result.layout,
    variables: names.map((name) => ({ name, shape: chosen.get(name), chosen: chosen.has(name) })),
    ...(result.value !== undefined ? { valueLatex: valueLatex(result.value) } : {}),
    ...(result.code?.numpy !== undefined ? { numpy: result.code.jax ?? result.code.numpy } : {}),
    ...(result.code?.torch !== undefined ? { torch: result.code.torch } : {}),
    ...(context.panel
      ? {
          steps: stepsModel(result, subject.steps, unavailable.steps),
          check: checkModel(result.check, unavailable.check, subject.point),
          layouts: layoutsModel(result, subject.layoutsBoth === true, context.layouts),
        }
      : {}),
  };
}

function stepsModel(
  result: DifferentiateResult,
  view: StepsView | undefined,
  unavailable: string | undefined,
): StepsModel {
  const all = result.steps ?? [];
  const shown = view === 'all' ? all : all.filter((s) => s.key);
  const message =
    unavailable !== undefined
      ? `No steps: ${unavailable}`
      : view && all.length === 0
        ? 'No steps to show: the derivative comes in one stage.'
        : undefined;
  return {
    view: view ?? 'none',
    stages: view
      ? shown.map(({ rule, latex, explanation, depth }) => ({ rule, latex, explanation, depth }))
      : [],
    detailCount: all.length - all.filter((s) => s.key).length,
    ...(message ? { message } : {}),
  };
}

const VERDICTS: Readonly<Record<CheckModel['verdict'], string>> = {
  agrees: 'Agrees with central finite differences',
  disagrees: 'Disagrees with central finite differences',
  'not-differentiable': 'Not differentiable here',
  unavailable: 'Not checked',
};

/** The check as the panel words it; a point on a kink is its own verdict, not a failure. */
function checkModel(
  check: CheckResult | undefined,
  unavailable: string | undefined,
  typed: string | undefined,
): CheckModel | undefined {
  if (!check) {
    return unavailable === undefined
      ? undefined
      : { verdict: 'unavailable', summary: VERDICTS.unavailable, detail: unavailable };
  }
  const given = (typed ?? '').trim() !== '';
  const point = Object.entries(check.point)
    .map(([name, v]) => `${name} = ${valueText(v)}`)
    .join(', ');
  return {
    verdict: check.verdict,
    summary: VERDICTS[check.verdict],
    ...(Number.isFinite(check.maxRelativeError)
      ? { error: `max relative error ${relativeError(check.maxRelativeError)}` }
      : {}),
    ...(point ? { where: `${given ? 'at the point given' : 'at a random point'}: ${point}` } : {}),
    detail: check.message,
  };
}

/**
 * Whether layout changes the arrangement: not for a Hessian, nor for the derivative of a scalar by one
 * scalar (1×1 either way).
 */
export function layoutMatters(result: DifferentiateResult): boolean {
  if (result.op !== 'gradient' && result.op !== 'jacobian') return false;
  return !(result.input.shape === 'scalar' && result.wrt.length === 1 && result.wrt[0].shape === 'scalar');
}

function layoutsModel(
  result: DifferentiateResult,
  both: boolean,
  pair: LayoutPair | undefined,
): LayoutsModel {
  const matters = layoutMatters(result);
  if (!matters || !both || !pair) return { matters, both };
  const form = (o: Outcome): LayoutForm =>
    o.kind === 'result' ? { latex: o.result.latex, shape: o.result.shape } : { message: o.message };
  const numerator = form(pair.numerator);
  const denominator = form(pair.denominator);
  return { matters, both, numerator, denominator, relation: layoutRelation(result, numerator, denominator) };
}

/** One sentence on how the two layouts relate, with this derivative's shapes. */
function layoutRelation(result: DifferentiateResult, numerator: LayoutForm, denominator: LayoutForm): string {
  const shape = (f: LayoutForm) => ('shape' in f ? ` (${f.shape})` : '');
  const relation = `Numerator layout gives ∂f/∂x one row per entry of f${shape(numerator)}; denominator layout is its transpose${shape(denominator)}`;
  return result.input.shape === 'scalar'
    ? `${relation}; the gradient ∇f is shaped like the variable (a column for a vector) in both.`
    : `${relation}.`;
}

/** `1.5e-7`, or `0` for an exact match. */
function relativeError(e: number): string {
  return e === 0 ? '0' : e.toExponential(1);
}

/** A value in a short line: `[0.2541, -0.9945]`. */
function valueText(v: Value): string {
  const num = (x: number) => String(Number(x.toPrecision(4)));
  if (typeof v === 'number') return num(v);
  return `[${v.map((row) => (Array.isArray(row) ? `[${row.map(num).join(', ')}]` : num(row))).join(', ')}]`;
}

/** A number, vector or matrix as LaTeX (a vector is a column). */
export function valueLatex(v: Value): string {
  const num = (x: number) => {
    const s = Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
    return s.replace(/e\+?(-?\d+)$/, '\\times 10^{$1}');
  };
  if (typeof v === 'number') return num(v);
  const rows = v.map((row) => (Array.isArray(row) ? row.map(num).join(' & ') : num(row)));
  return `\\begin{bmatrix}${rows.join(' \\\\ ')}\\end{bmatrix}`;
}
