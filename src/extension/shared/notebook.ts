/**
 * A notebook read as one document: its Markdown cells joined in cell order, so that a formula in a cell sees the
 * declarations and definitions of the cells above it and the derivation check reads the whole notebook; likewise
 * its Python cells, so that a code cell sees the notebook's imports. The engine gets this text like any
 * document's (the protocol is unchanged); the host maps offsets between a cell and the joined text with this
 * map. Pure (no `vscode`), so the mapping is unit-tested.
 */
import type { OffsetRange } from './domain';

export interface NotebookCell {
  readonly text: string;
  /** Part of the joined text (a Markdown cell for the note; a Python cell for code). */
  readonly joined: boolean;
}

export interface NotebookText {
  /** The joined cells in order, each after a blank line (a paragraph or statement ends where its cell does). */
  readonly text: string;
  /** Per cell: where its text starts in `text`, or -1 for a cell not joined. */
  readonly starts: readonly number[];
  /** The cells in `text` (their indices), in order: the offset of a result is found among them by bisection. */
  readonly inText: readonly number[];
  /** Per cell: the length of its text. */
  readonly lengths: readonly number[];
  /** Per cell: the 1-based line of `text` its first line is, or -1 for a cell not joined. */
  readonly firstLines: readonly number[];
}

/** Between two cells: a blank line, so that inline math or a paragraph never runs from one cell into the next. */
const SEPARATOR = '\n\n';

/** The joined text and its map; linear in the notebook's length. */
export function notebookText(cells: readonly NotebookCell[]): NotebookText {
  const parts: string[] = [];
  const starts: number[] = [];
  const inText: number[] = [];
  const firstLines: number[] = [];
  let length = 0;
  let line = 1;
  cells.forEach((cell, k) => {
    if (!cell.joined) {
      starts.push(-1);
      firstLines.push(-1);
      return;
    }
    if (parts.length > 0) {
      parts.push(SEPARATOR);
      length += SEPARATOR.length;
      line += 2;
    }
    starts.push(length);
    firstLines.push(line);
    inText.push(k);
    parts.push(cell.text);
    length += cell.text.length;
    line += lineBreaks(cell.text);
  });
  return { text: parts.join(''), starts, inText, lengths: cells.map((c) => c.text.length), firstLines };
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The offset in the joined text of `offset` in cell `cell` (a joined cell). */
export function toNotebook(notebook: NotebookText, cell: number, offset: number): number {
  return notebook.starts[cell] + Math.min(Math.max(0, offset), notebook.lengths[cell]);
}

/** The cell a range of the joined text lies in, with the range in that cell; undefined when it is in none. */
export function fromNotebook(
  notebook: NotebookText,
  range: OffsetRange,
): { readonly cell: number; readonly range: OffsetRange } | undefined {
  const cell = cellAt(notebook, range.start);
  if (cell === undefined) return undefined;
  const start = notebook.starts[cell];
  const end = start + notebook.lengths[cell];
  // A range may run on into the blank line after its cell (a Python block ends with its line break): it ends
  // with the cell. One reaching into the next cell is in none.
  if (range.end > end + SEPARATOR.length) return undefined;
  return { cell, range: { start: range.start - start, end: Math.min(range.end, end) - start } };
}

/** The cell whose text holds `offset` (its end included), or undefined when `offset` is between cells. */
function cellAt(notebook: NotebookText, offset: number): number | undefined {
  const { inText, starts, lengths } = notebook;
  let lo = 0;
  let hi = inText.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[inText[mid]] <= offset) lo = mid + 1;
    else hi = mid;
  }
  const cell = inText[lo - 1];
  return cell !== undefined && offset <= starts[cell] + lengths[cell] ? cell : undefined;
}

/**
 * Where a 1-based line of the joined text is, for a person: the 1-based cell (counting every cell, as the
 * notebook numbers them) and the line in it. Undefined for a line between cells.
 */
export function cellLine(
  notebook: NotebookText,
  line: number,
): { readonly cell: number; readonly line: number } | undefined {
  const { inText, firstLines } = notebook;
  let lo = 0;
  let hi = inText.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (firstLines[inText[mid]] <= line) lo = mid + 1;
    else hi = mid;
  }
  const cell = inText[lo - 1];
  if (cell === undefined) return undefined;
  // The blank line after a cell (before the next) belongs to no cell.
  const next = inText[lo];
  if (next !== undefined && line > firstLines[next] - 2) return undefined;
  return { cell: cell + 1, line: line - firstLines[cell] + 1 };
}
