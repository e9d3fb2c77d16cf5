/**
 * The contract of the derivation checker: what a note (Markdown or LaTeX)
 * claims, step by step, and whether each claim holds. The CLI's
 * `check --json` prints `FileCheck`s; the extension turns `StepCheck`s into
 * hovers, diagnostics and code actions. Types only.
 */
import type { Layout, Value } from '../core/api';

export type NoteFormat = 'markdown' | 'latex';

/**
 * `holds`: both sides agree (symbolically or at several random points);
 * `wrong`: they do not — `expected` is the correct right side;
 * `layout`: they agree only in the other layout (`layout` says which);
 * `unchecked`: the step could not be decided — `reason` says why.
 */
export type Verdict = 'holds' | 'wrong' | 'layout' | 'unchecked';

/** Half-open range of UTF-16 offsets into the note's text. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** A definition (`z = \mathbf{w}^\top\mathbf{x} + b`) or declaration (`\mathbf{x} \in \mathbb{R}^n`) a step relied on. */
export interface UsedDefinition {
  readonly name: string;
  readonly latex: string;
  /** 1-based line of the note it is on. */
  readonly line: number;
}

/** One link `lhs = rhs` of a chain `A = B = C`, or a shape claim `lhs \in \mathbb{R}^{p \times q}`. */
export interface StepCheck {
  /** 1-based line and column of the step's `=` (or `\in`). */
  readonly line: number;
  readonly column: number;
  readonly lhs: string;
  readonly rhs: string;
  readonly verdict: Verdict;
  /** The layout a `layout` step holds in; null for every other verdict. */
  readonly layout: Layout | null;
  /** One line for people: why it holds (`symbolically`, `at 3 random points`, `where x ≠ 0`), or why not, or why it was not checked. */
  readonly reason: string;
  /** LaTeX of the correct right side, for `wrong` steps. */
  readonly expected?: string;
  /** A point where the sides differ, for `wrong` steps. */
  readonly counterexample?: Readonly<Record<string, Value>>;
  /** Where the right side is in the note (what a fix replaces), and where the `=` is. */
  readonly rhsRange: TextRange;
  readonly relationRange: TextRange;
  /** The definitions and declarations of the note that the step used. */
  readonly used: readonly UsedDefinition[];
}

export interface FileCheck {
  readonly file: string;
  readonly steps: readonly StepCheck[];
}

export interface CheckOptions {
  /** The layout in effect (default numerator): a step that holds only in the other one is `layout`. */
  readonly layout?: Layout | undefined;
  /** A region that takes longer than this is `unchecked` ("took too long"); default 2000 ms. */
  readonly regionBudgetMs?: number | undefined;
  /** Seed of the random points (the same note gives the same verdicts). */
  readonly seed?: number | undefined;
}
