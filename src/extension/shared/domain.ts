/**
 * The extension's vocabulary: what a located formula, a range, the settings,
 * an outcome and a command's target are. Types only, and a leaf: every other
 * module of the extension may import it, it imports nothing but the core's
 * contract (api.ts, itself a leaf), so no cycle can pass through it.
 */
import type { DifferentiateOptions, DifferentiateResult, Layout, Operation, Value } from '../../core/api';

/** How a document's language is read: math between delimiters, TypeScript expressions, or selections only. */
export type DocumentKind = 'markdown' | 'latex' | 'ts' | 'python' | 'other';

export type MathLanguage = 'latex' | 'ts' | 'python';

export interface OffsetRange {
  readonly start: number;
  readonly end: number;
}

export interface LocatedMath {
  /** What is given to the core. */
  readonly text: string;
  /** The math in the document (delimiters excluded); the hover's range. */
  readonly range: OffsetRange;
  /** Document offset that `text[0]` corresponds to (columns in core errors count from here). */
  readonly base: number;
  /** Absent for a selection in a file of another language: the core detects it. */
  readonly lang?: MathLanguage;
}

/** A declaration (or definition) found in the document, with the 1-based line it is on. */
export interface FoundDeclaration {
  readonly name: string;
  readonly latex: string;
  readonly line: number;
}

export interface EngineSettings {
  readonly defaultOperation: 'auto' | Operation;
  readonly layout: Layout;
  /** Names always read as vectors / matrices unless the document declares them. */
  readonly vectorNames: readonly string[];
  readonly matrixNames: readonly string[];
  readonly maxExpressionLength: number;
}

/** What a command, the panel or the view changes on top of the settings. */
export interface Overrides {
  readonly op?: Operation | undefined;
  readonly layout?: Layout | undefined;
  readonly wrt?: readonly string[] | undefined;
  readonly at?: Readonly<Record<string, Value>> | undefined;
  /** The work shown beside the derivative (the panel asks for it; hovers never do). */
  readonly work?: Work | undefined;
}

/** "Show the work": the derivation's steps, a finite-difference check, the code (TypeScript, NumPy, PyTorch). */
export interface Work {
  readonly steps?: boolean;
  readonly check?: boolean;
  readonly code?: boolean;
}

export type WorkPart = keyof Work;

export type Outcome =
  | {
      readonly kind: 'result';
      readonly math: LocatedMath;
      readonly result: DifferentiateResult;
      readonly declarations: readonly FoundDeclaration[];
      /** The note's definitions (`z = \mathbf{w}^\top\mathbf{x} + b`) the formula used, with their lines. */
      readonly definitions?: readonly FoundDeclaration[];
      readonly options: DifferentiateOptions;
      /** Why a part of the work asked for is missing (one line each); the derivative is still shown. */
      readonly unavailable?: Readonly<Partial<Record<WorkPart, string>>>;
    }
  /** Bad input: `message` is one line for a person. `internal` is set for a bug in the core (to be logged). */
  | {
      readonly kind: 'error';
      readonly math: LocatedMath;
      readonly message: string;
      readonly internal?: unknown;
    };

export interface DocumentLike {
  readonly text: string;
  readonly languageId: string;
}

/** Where a hover's command links point: the document and the math (or selection) they act on. */
export interface CommandTarget {
  readonly uri: string;
  readonly start: number;
  readonly end: number;
}
