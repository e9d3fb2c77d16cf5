import { LensError } from './errors';
import {
  type Dim,
  type Expr,
  children,
  cols,
  postorder,
  resolveDim,
  rows,
  shapeText,
  treeSize,
} from './expr';

/**
 * Bounds on what the core accepts. A hover runs the core on whatever is under
 * the mouse, so pathological input must be refused quickly with a message,
 * never by exhausting the stack or the event loop.
 */
export const MAX_INPUT_LENGTH = 10_000;
/** Nesting depth of brackets/groups/calls accepted by the parsers. */
export const MAX_NESTING_DEPTH = 200;

/** Refuses text over MAX_INPUT_LENGTH before any linear-or-worse work is done on it. */
export function requireWithinLength(text: string, what: 'expression' | 'declaration'): void {
  if (text.length > MAX_INPUT_LENGTH) {
    throw new LensError(`${what} is too long (${text.length} characters; the limit is ${MAX_INPUT_LENGTH})`);
  }
}

/**
 * Nodes in a printed result (each named subexpression counted once, in its
 * definition). A result is shown to a person: past this it is a wall of symbols
 * nobody reads (about 1 MB of LaTeX), and building it costs seconds and memory.
 * High enough for the largest results that are still read as a whole: the
 * Hessian of the extended Rosenbrock function in 200 variables (40,000 entries)
 * stays under it; the Hessian of a product of 100 factors (10⁴ entries of 98
 * factors each) does not.
 */
export const MAX_RESULT_SIZE = 100_000;

export function resultTooLarge(): LensError {
  return new LensError(
    `the result has more than ${MAX_RESULT_SIZE} terms, too many to show; ask for less (fewer variables, one entry)`,
  );
}

/**
 * A lower bound of the printed size of a result, counted while its parts are
 * built so that a result too large to show is refused before all of it exists:
 * every reference from a node to a child is printed at least once (written out,
 * or as a name), so their number cannot exceed the printed size.
 */
export class ResultSize {
  /** The nodes counted, once counting is exact. */
  private seen: Set<Expr> | undefined;
  /** The parts added while counted along every path, to count again exactly past SMALL_RESULT. */
  private readonly added: Expr[] = [];
  private references = 0;

  add(e: Expr): void {
    if (!this.seen) {
      // A shared node counted once per path gives an upper bound: while it is small, no set is needed.
      const n = pathReferences(e, SMALL_RESULT - this.references);
      if (n !== undefined) {
        this.references += n;
        this.added.push(e);
        return;
      }
      this.seen = new Set();
      this.references = 0;
      for (const x of this.added) this.count(x);
    }
    this.count(e);
    if (this.references > MAX_RESULT_SIZE) throw resultTooLarge();
  }

  /** Counts the references from the nodes of `e` not counted yet. */
  private count(e: Expr): void {
    const seen = this.seen!;
    const stack = [e];
    while (stack.length) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      const cs = children(x);
      this.references += cs.length;
      for (let i = 0; i < cs.length; i++) stack.push(cs[i]);
    }
  }
}

/** References up to which a result is counted along every path (far under MAX_RESULT_SIZE). */
const SMALL_RESULT = 4096;

/** The references of `e` counted along every path (a shared node once per path), or undefined past `budget`. */
function pathReferences(e: Expr, budget: number): number | undefined {
  let n = 0;
  const stack = [e];
  while (stack.length) {
    const cs = children(stack.pop()!);
    n += cs.length;
    if (n > budget) return undefined;
    for (let i = 0; i < cs.length; i++) stack.push(cs[i]);
  }
  return n;
}

/** Refuses a presented result (expressions and definitions) that prints more than MAX_RESULT_SIZE nodes. */
export function requirePrintable(printed: number): void {
  if (printed > MAX_RESULT_SIZE) throw resultTooLarge();
}

/**
 * Entries of any one array a numeric evaluation may hold (8 MB of doubles). A
 * declared size like ℝ^{10⁹} is fine for symbolic work; evaluating at it would
 * exhaust memory, so it is refused before anything is allocated.
 */
export const MAX_NUMERIC_ENTRIES = 1_000_000;
/**
 * Arithmetic operations (about 1 s of this evaluator) one numeric request may
 * take: a finite-difference check evaluates the function twice per entry of
 * the variables, so ℝ^{3000} with a 3000×3000 matrix is 10¹⁰ operations.
 */
export const MAX_NUMERIC_WORK = 50_000_000;

const numericCosts = new WeakMap<Expr, number>();

/** A size as a number for estimates; a symbolic one counts 1 (evaluating then says it is not known). */
function count(d: Dim): number {
  const r = resolveDim(d);
  return typeof r === 'number' ? r : 1;
}

/** Entries of `e`'s value (symbolic sizes counting 1). */
export function numericEntries(e: Expr): number {
  return count(rows(e.shape)) * count(cols(e.shape));
}

/**
 * Operations to evaluate `e` once, refusing first any array over
 * MAX_NUMERIC_ENTRIES: every node's value is an array of its shape, and a
 * matrix product, inverse or determinant costs more than its entries.
 */
export function numericCost(e: Expr): number {
  const known = numericCosts.get(e);
  if (known !== undefined) return known;
  let total = 0;
  for (const x of postorder([e])) {
    const entries = numericEntries(x);
    if (entries > MAX_NUMERIC_ENTRIES) {
      throw new LensError(
        `evaluating this needs a ${shapeText(x.shape)} (${entries} entries), more than the limit of ${MAX_NUMERIC_ENTRIES}; use smaller sizes`,
      );
    }
    let cost = entries;
    if (x.type === 'matmul') {
      // Evaluated left to right: (m×k)(k×n) costs m·k·n.
      const m = count(rows(x.factors[0].shape));
      let k = count(cols(x.factors[0].shape));
      for (const f of x.factors.slice(1)) {
        const n = count(cols(f.shape));
        cost += m * k * n;
        k = n;
      }
    } else if (x.type === 'inverse' || (x.type === 'fn' && (x.name === 'det' || x.name === 'logdet'))) {
      const n = count(rows(children(x)[0].shape));
      cost += n * n * n;
    } else if (x.type === 'fn' && x.name === 'diag') cost += entries;
    total += cost;
  }
  numericCosts.set(e, total);
  return total;
}

/** Refuses a numeric request of `operations` (an estimate from `numericCost`) over MAX_NUMERIC_WORK. */
export function requireNumericWork(operations: number, what: string): void {
  if (operations > MAX_NUMERIC_WORK) {
    throw new LensError(
      `${what} would take about ${operations.toPrecision(2)} operations, more than the limit of ${MAX_NUMERIC_WORK}; use smaller sizes`,
    );
  }
}

/**
 * Nodes of a derivative written out in full (shared parts repeated) up to which its
 * steps are shown. Each step restates part of the derivative without the names of
 * the final result, so the steps cost grows with this size, not with the result's.
 */
export const MAX_STEPS_SIZE = 10_000;

/** Refuses the steps of a derivative whose parts, written out in full, exceed MAX_STEPS_SIZE nodes. */
export function requireExplainable(parts: readonly Expr[]): void {
  const size = parts.reduce((n, e) => n + treeSize(e), 0);
  if (size > MAX_STEPS_SIZE) {
    throw new LensError(
      `the steps are not shown for a derivative this large (more than ${MAX_STEPS_SIZE} terms written out in full)`,
    );
  }
}
