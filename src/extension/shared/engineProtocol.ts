/**
 * What the extension host asks the engine worker (`engineWorker.ts`) and what
 * comes back. Everything here crosses a thread by structured clone: plain data
 * only, no functions, no getters. No `vscode` and no Node import, so the same
 * protocol serves a browser Web Worker.
 */
import type { StepCheck } from '../../notes/api';
import type { DocumentLike, EngineSettings, LocatedMath, OffsetRange, Outcome, Overrides } from './domain';

/** The variables chosen with "Choose Variables…", by `expressionKey` of their formula. */
export type RememberedVariables = Readonly<Record<string, readonly string[]>>;

/** The engine's time for a hover (locate, declarations, differentiate); past it the hover says so in one line. */
export const HOVER_BUDGET_MS = 300;
/** The engine's time for the panel, the side view and the commands: a person asked and waits for it. */
export const COMMAND_BUDGET_MS = 5000;
/**
 * A chain's time within a hover's budget: the rest is for reading the note (the first hover after an edit:
 * 90–160 ms for a 30 kB seed note on a busy 2-core machine, bench/seed-hovers.ts) and finding the chain.
 * Steps past it are `unchecked` ("took too long").
 */
export const HOVER_REGION_BUDGET_MS = 150;
/** Each region's time in a whole-note check and in the panel, which a person asked for and waits on. */
export const REGION_BUDGET_MS = 500;
/**
 * The engine's time for checking a whole note. The seed notes (up to 180 regions) take under 0.4 s
 * (bench/seed-hovers.ts); this leaves room for a long note whose regions each use part of their budget.
 */
export const CHECK_BUDGET_MS = 10_000;

/**
 * Where: an offset, or a selection. The whole document goes with each request: posting 1 MB of text to the
 * worker and back takes ~2.5 ms (measured round trip, Node 20, a busy 2-core machine), far inside a hover's
 * budget, so the worker keeps no copy that could go stale.
 */
export type EngineRequest =
  | {
      readonly kind: 'hover';
      readonly doc: DocumentLike;
      readonly where: number | OffsetRange;
      readonly settings: EngineSettings;
      readonly remembered: RememberedVariables;
    }
  | { readonly kind: 'locate'; readonly doc: DocumentLike; readonly where: number | OffsetRange }
  | {
      readonly kind: 'differentiate';
      readonly doc: DocumentLike;
      readonly math: LocatedMath;
      readonly settings: EngineSettings;
      readonly overrides: Overrides;
    }
  | { readonly kind: 'candidates'; readonly math: LocatedMath }
  /** Every step of every chain of a Markdown or LaTeX note (the command and the check on save). */
  | { readonly kind: 'check'; readonly doc: DocumentLike; readonly settings: EngineSettings }
  /** The chain of the region at `where` (the panel). The hover asks `hover`, which answers a chain this way too. */
  | {
      readonly kind: 'chain';
      readonly doc: DocumentLike;
      readonly where: number;
      readonly settings: EngineSettings;
    };

export type RequestKind = EngineRequest['kind'];

type Found = Extract<Outcome, { kind: 'result' }>;
type Failed = Extract<Outcome, { kind: 'error' }>;

/** An outcome as it crosses the thread: a core bug (`internal`) travels as its stack text. */
export type SentOutcome = Found | (Omit<Failed, 'internal'> & { readonly internal?: string });

/** The steps of the chain (`A = B = C`, `&=` rows) in the math region `range`, each with its verdict. */
export interface ChainOutcome {
  readonly kind: 'chain';
  readonly range: OffsetRange;
  readonly steps: readonly StepCheck[];
}

/** A hover on a chain shows its verdicts; on other math, the derivative (or why not). */
export type HoverOutcome = SentOutcome | ChainOutcome;

/** The answer to each kind of request. */
export interface EngineAnswers {
  /** Undefined where there is no math, or math without variables (see `differentiateAt`). */
  readonly hover: HoverOutcome | undefined;
  readonly locate: { readonly math: LocatedMath; readonly worth: boolean } | undefined;
  readonly differentiate: SentOutcome;
  readonly candidates: readonly string[];
  readonly check: readonly StepCheck[];
  /** Undefined where there is no chain. */
  readonly chain: ChainOutcome | undefined;
}

export interface WorkerRequest {
  readonly id: number;
  readonly request: EngineRequest;
}

/**
 * `ready`: sent once, when the engine is loaded (the time to start a worker is not counted in any request's
 * budget). `ok: false`: the worker caught an unexpected error (a bug) and is still running.
 */
export type WorkerReply =
  | { readonly ready: true }
  | { readonly id: number; readonly ok: true; readonly answer: EngineAnswers[RequestKind] }
  | { readonly id: number; readonly ok: false; readonly why: string };

/** What a caller of the client gets: the answer, or why there is none. */
export type EngineReply<T> =
  | { readonly kind: 'done'; readonly answer: T }
  | { readonly kind: 'timeout'; readonly budgetMs: number }
  /** The worker died while on this request (`outOfMemory` when it hit its memory limit). */
  | { readonly kind: 'crashed'; readonly why: string; readonly outOfMemory: boolean }
  /** The worker threw on this request: a bug, details in `why`. */
  | { readonly kind: 'failed'; readonly why: string }
  | { readonly kind: 'cancelled' };

export type Trouble = Exclude<EngineReply<unknown>, { kind: 'done' }>;

/** One line for a person on why there is no answer (a failure's details go to the log instead). */
export function troubleMessage(trouble: Trouble): string {
  switch (trouble.kind) {
    case 'timeout':
      return `took too long (more than ${durationText(trouble.budgetMs)})`;
    case 'crashed':
      return trouble.outOfMemory
        ? 'ran out of memory working on this formula'
        : `the engine stopped (${trouble.why})`;
    case 'failed':
      return 'internal error (details in the "Jacobian Lens" output)';
    case 'cancelled':
      return 'cancelled';
  }
}

function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
