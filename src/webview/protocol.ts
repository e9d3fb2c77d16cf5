/**
 * Everything the extension host and the webviews (panel and side view) say to
 * each other, in one place: the messages both ways, the model a webview
 * draws, and the state it saves. The host imports it for `session.ts`, the
 * webview script (`panel.ts`) for drawing; neither can drift from the other.
 *
 * Messages from a webview are untrusted input (its script runs beside
 * rendered document text): the host reads them only through
 * `readWebviewMessage`, which checks every field.
 */
import type { CheckResult, Layout, Operation, StepRule } from '../core/api';
import type { Verdict } from '../notes/api';

// ------------------------------------------------------------------ the model

/** What the extension keeps about a webview's subject; also the panel's saved state (it survives a reload). */
export interface Subject {
  readonly uri: string;
  readonly languageId: string;
  readonly math: {
    readonly text: string;
    readonly range: { start: number; end: number };
    readonly base: number;
    readonly lang?: 'latex' | 'ts' | 'python';
  };
  readonly op?: Operation | undefined;
  readonly layout?: Layout;
  /** The point as the person typed it. */
  readonly point?: string;
  /** The panel's steps section: open with the key stages or every stage; closed (not computed) when absent. */
  readonly steps?: StepsView | undefined;
  /** The panel shows ∂f/∂x in both layouts side by side. */
  readonly layoutsBoth?: boolean;
}

export type StepsView = 'key' | 'all';

export interface VariableChoice {
  readonly name: string;
  readonly shape?: string | undefined;
  readonly chosen: boolean;
}

/** The operation menu: `auto` lets the core choose (gradient of a scalar, Jacobian of a vector). */
export type OperationChoice = 'auto' | Exclude<Operation, 'derivative'>;

/** What the webview script renders (message `{ type: 'show', model }`). */
export interface ViewModel {
  readonly state: 'result' | 'error' | 'empty';
  /** The error, or why there is nothing to show. */
  readonly message?: string;
  readonly title?: string;
  readonly inputLatex?: string;
  readonly resultLatex?: string;
  readonly resultText?: string;
  readonly code?: string;
  readonly shape?: string;
  readonly expandedLatex?: string;
  readonly definitions: readonly string[];
  readonly conditions: readonly string[];
  readonly assumptions: readonly string[];
  readonly op: 'auto' | Operation;
  readonly layout: Layout;
  readonly variables: readonly VariableChoice[];
  readonly point: string;
  readonly valueLatex?: string | undefined;
  readonly history: readonly HistoryItem[];
  /** The derivative as a NumPy function (the TypeScript one is `code`). */
  readonly numpy?: string | undefined;
  /** The derivative as a PyTorch function. */
  readonly torch?: string | undefined;
  /** The panel's steps section; absent in the side view. */
  readonly steps?: StepsModel | undefined;
  /** The finite-difference check; absent in the side view. */
  readonly check?: CheckModel | undefined;
  /** The panel's layout comparison; absent in the side view. */
  readonly layouts?: LayoutsModel | undefined;
  /** The panel opened on a chain `A = B = C`: each step with its verdict (nothing else is shown then). */
  readonly chain?: ChainModel;
  /** Saved with `setState` by the webview; handed back to the serializer after a reload. */
  readonly subject?: Subject;
}

/** A derivation chain's steps with their verdicts, in the order shown (the first wrong step first). */
export interface ChainModel {
  /** `3 steps: 1 wrong, 2 hold`. */
  readonly summary: string;
  readonly steps: readonly ChainStepModel[];
  /** `z = \mathbf{w}^\top\mathbf{x} (line 4)` for each definition of the note the steps used. */
  readonly used: readonly string[];
}

export interface ChainStepModel {
  readonly verdict: Verdict;
  /** 1-based line of the note. */
  readonly line: number;
  /** The line as a person reads it: `line 4`, in a notebook `cell 2, line 1`. */
  readonly place: string;
  /** The claim as written: `lhs = rhs`. */
  readonly latex: string;
  /** One line: `holds (symbolically)`, `does not hold; the right side is …`, `cannot check: …`. */
  readonly text: string;
  /** The correct right side of a wrong step. */
  readonly expectedLatex?: string;
}

export interface HistoryItem {
  readonly latex: string;
  readonly text: string;
}

export interface StepsModel {
  /** `none`: the section is closed. */
  readonly view: 'none' | StepsView;
  /** The stages shown (the key ones, or all). */
  readonly stages: readonly {
    readonly rule: StepRule;
    readonly latex: string;
    readonly explanation: string;
    readonly depth: number;
  }[];
  /** How many stages the key view leaves out. */
  readonly detailCount: number;
  /** Why there are no steps. */
  readonly message?: string;
}

export interface CheckModel {
  readonly verdict: CheckResult['verdict'] | 'unavailable';
  /** "Agrees with central finite differences", "Not differentiable here", … */
  readonly summary: string;
  /** "max relative error 1.5e-7", when it was compared. */
  readonly error?: string;
  /** Where: "at the point given: x = 1" or "at a random point: …". */
  readonly where?: string;
  /** The core's one-line account. */
  readonly detail: string;
}

export interface LayoutsModel {
  /** The derivative's arrangement depends on the layout (a Jacobian, or a scalar by a vector or matrix). */
  readonly matters: boolean;
  readonly both: boolean;
  /** With `both`: ∂f/∂x in each layout, and how they relate. */
  readonly numerator?: LayoutForm;
  readonly denominator?: LayoutForm;
  readonly relation?: string;
}

export type LayoutForm = { readonly latex: string; readonly shape: string } | { readonly message: string };

/** What a webview keeps with `setState` (VS Code hands it back to the panel's serializer after a reload). */
export interface SavedState {
  readonly model?: ViewModel;
}

// ------------------------------------------------------------------ messages

/** Host → webview. */
export interface ShowMessage {
  readonly type: 'show';
  readonly model: ViewModel;
  /** Scroll that section into view. */
  readonly reveal?: 'steps';
}

export const COPY_FORMATS = ['latex', 'text', 'code', 'numpy', 'torch'] as const;
export type CopyFormat = (typeof COPY_FORMATS)[number];

/** Webview → host. */
export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'op'; readonly op: OperationChoice }
  | { readonly type: 'layout'; readonly layout: Layout }
  | { readonly type: 'wrt'; readonly wrt: readonly string[] }
  | { readonly type: 'at'; readonly point: string }
  | { readonly type: 'copy'; readonly format: CopyFormat }
  | { readonly type: 'steps'; readonly view: 'none' | StepsView }
  | { readonly type: 'layouts'; readonly both: boolean }
  | { readonly type: 'history'; readonly index: number };

const OPERATION_CHOICES: readonly string[] = ['auto', 'gradient', 'jacobian', 'hessian'];
const LAYOUTS: readonly string[] = ['numerator', 'denominator'];
const STEPS_VIEWS: readonly string[] = ['none', 'key', 'all'];
/** Far more than anyone types; keeps a hostile message from costing the host anything. */
const MAX_TEXT = 10_000;
const MAX_NAMES = 100;

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;
const oneOf = <T extends string>(choices: readonly string[], v: unknown): v is T =>
  typeof v === 'string' && choices.includes(v);

/**
 * The message if it is one the webview script sends, with every field of
 * the right type and range; undefined for anything else (ignored).
 */
export function readWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'op':
      return oneOf<OperationChoice>(OPERATION_CHOICES, m.op) ? { type: 'op', op: m.op } : undefined;
    case 'layout':
      return oneOf<Layout>(LAYOUTS, m.layout) ? { type: 'layout', layout: m.layout } : undefined;
    case 'wrt':
      return Array.isArray(m.wrt) && m.wrt.length <= MAX_NAMES && m.wrt.every(isText)
        ? { type: 'wrt', wrt: m.wrt }
        : undefined;
    case 'at':
      return isText(m.point) ? { type: 'at', point: m.point } : undefined;
    case 'copy':
      return oneOf<CopyFormat>(COPY_FORMATS, m.format) ? { type: 'copy', format: m.format } : undefined;
    case 'steps':
      return oneOf<'none' | StepsView>(STEPS_VIEWS, m.view) ? { type: 'steps', view: m.view } : undefined;
    case 'layouts':
      return typeof m.both === 'boolean' ? { type: 'layouts', both: m.both } : undefined;
    case 'history':
      return Number.isSafeInteger(m.index) && (m.index as number) >= 0
        ? { type: 'history', index: m.index as number }
        : undefined;
    default:
      return undefined;
  }
}
