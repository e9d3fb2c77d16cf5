/**
 * What the engine reads for an editor's document, and how offsets map between the two. A file is read as it
 * is; a Markdown cell of a notebook is read within its notebook's Markdown cells joined in order
 * (shared/notebook.ts), so that declarations and definitions of the cells above apply, and the derivation
 * check reads a notebook as one note whose findings go on its cells. A Python cell is read within the
 * notebook's Python cells, whose imports (usually in a cell of their own) say what its names are.
 */
import * as vscode from 'vscode';
import { documentKind } from '../shared/documents';
import { cellLine, fromNotebook, notebookText, toNotebook, type NotebookText } from '../shared/notebook';
import { lineName, type LineName } from './hoverContent';
import type { DocumentLike, OffsetRange } from '../shared/domain';

/** The scheme of a notebook cell's document. */
export const CELL_SCHEME = 'vscode-notebook-cell';

/** A document as the engine reads it. */
export interface EngineView {
  readonly doc: DocumentLike;
  /** An offset of the document in `doc.text`. */
  toEngine(offset: number): number;
  /** A range of `doc.text` in the document; undefined when it is outside it (in another cell). */
  fromEngine(range: OffsetRange): OffsetRange | undefined;
  /** A line of `doc.text` as a person finds it: `line 4`, in a notebook `cell 2, line 1`. */
  readonly lineName: LineName;
}

/** A file as it is (also a document that is gone: an empty one). */
export function plainView(doc: DocumentLike): EngineView {
  return { doc, toEngine: (offset) => offset, fromEngine: (range) => range, lineName };
}

interface JoinedNotebook {
  readonly text: NotebookText;
  /** The cells' documents and versions it was built from: any edit or move of a cell makes a new one. */
  readonly documents: readonly vscode.TextDocument[];
  readonly versions: readonly number[];
}

/** The cells of a notebook that are read together: its Markdown cells, or its Python cells. */
type Joined = 'markdown' | 'python';

const joined: Record<Joined, WeakMap<vscode.NotebookDocument, JoinedNotebook>> = {
  markdown: new WeakMap(),
  python: new WeakMap(),
};

const isMarkdownCell = (cell: vscode.NotebookCell): boolean =>
  cell.kind === vscode.NotebookCellKind.Markup && documentKind(cell.document.languageId) === 'markdown';

/** The kind of cells `cell` is read with, if any. */
function joinedKind(cell: vscode.NotebookCell): Joined | undefined {
  if (isMarkdownCell(cell)) return 'markdown';
  return cell.kind === vscode.NotebookCellKind.Code && documentKind(cell.document.languageId) === 'python'
    ? 'python'
    : undefined;
}

/** The notebook's cells of a kind joined, built once per version of its cells (hovers repeat on the same text). */
function joinedNotebook(notebook: vscode.NotebookDocument, kind: Joined): JoinedNotebook {
  const cells = notebook.getCells();
  const cached = joined[kind].get(notebook);
  if (
    cached &&
    cached.documents.length === cells.length &&
    cells.every((c, k) => c.document === cached.documents[k] && c.document.version === cached.versions[k])
  )
    return cached;
  const fresh: JoinedNotebook = {
    text: notebookText(cells.map((c) => ({ text: c.document.getText(), joined: joinedKind(c) === kind }))),
    documents: cells.map((c) => c.document),
    versions: cells.map((c) => c.document.version),
  };
  joined[kind].set(notebook, fresh);
  return fresh;
}

/** The open notebook `document` is a cell of, and the cell's index. */
export function cellOf(
  document: vscode.TextDocument,
): { readonly notebook: vscode.NotebookDocument; readonly index: number } | undefined {
  if (document.uri.scheme !== CELL_SCHEME) return undefined;
  for (const notebook of vscode.workspace.notebookDocuments) {
    // A cell's URI has its notebook's path: other notebooks are passed over without listing their cells.
    if (notebook.uri.path !== document.uri.path) continue;
    const index = notebook.getCells().findIndex((c) => c.document === document);
    if (index >= 0) return { notebook, index };
  }
  return undefined;
}

export function engineView(document: vscode.TextDocument): EngineView {
  const found = cellOf(document);
  const kind = found && joinedKind(found.notebook.cellAt(found.index));
  if (!found || !kind) return plainView({ text: document.getText(), languageId: document.languageId });
  const { text } = joinedNotebook(found.notebook, kind);
  return {
    doc: { text: text.text, languageId: kind },
    toEngine: (offset) => toNotebook(text, found.index, offset),
    fromEngine: (range) => {
      const inCell = fromNotebook(text, range);
      return inCell?.cell === found.index ? inCell.range : undefined;
    },
    lineName: (line) => {
      const at = cellLine(text, line);
      return at ? `cell ${at.cell}, line ${at.line}` : lineName(line);
    },
  };
}

/** `where` (an offset or a selection of the document) in the engine's text. */
export function engineWhere(view: EngineView, where: number | OffsetRange): number | OffsetRange {
  return typeof where === 'number'
    ? view.toEngine(where)
    : { start: view.toEngine(where.start), end: view.toEngine(where.end) };
}

/** A note whose derivations are checked: a Markdown or LaTeX file, or a notebook's Markdown cells. */
export interface CheckedNote {
  readonly doc: DocumentLike;
  /** The documents its findings go on: a new check replaces the findings of each. */
  readonly documents: readonly vscode.TextDocument[];
  /** Whether the note still has the text checked (offsets of an older text would point at wrong places). */
  unchanged(): boolean;
  /** The document a range of `doc.text` is in, and the range there. */
  place(
    range: OffsetRange,
  ): { readonly document: vscode.TextDocument; readonly range: vscode.Range } | undefined;
}

export function fileNote(document: vscode.TextDocument): CheckedNote {
  const version = document.version;
  return {
    doc: { text: document.getText(), languageId: document.languageId },
    documents: [document],
    unchanged: () => !document.isClosed && document.version === version,
    place: (range) => ({ document, range: rangeIn(document, range) }),
  };
}

export function notebookNote(notebook: vscode.NotebookDocument): CheckedNote {
  const checked = joinedNotebook(notebook, 'markdown');
  const cells = notebook.getCells();
  return {
    doc: { text: checked.text.text, languageId: 'markdown' },
    documents: cells.filter(isMarkdownCell).map((c) => c.document),
    unchanged: () => !notebook.isClosed && joinedNotebook(notebook, 'markdown') === checked,
    place: (range) => {
      const inCell = fromNotebook(checked.text, range);
      const document = inCell && cells[inCell.cell].document;
      return document && inCell && { document, range: rangeIn(document, inCell.range) };
    },
  };
}

/** Whether the notebook has a Markdown cell (a note to check). */
export function hasMarkdown(notebook: vscode.NotebookDocument): boolean {
  return notebook.getCells().some(isMarkdownCell);
}

export function rangeIn(document: vscode.TextDocument, range: OffsetRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
}
