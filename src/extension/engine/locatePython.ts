/**
 * Python documents: the function under the cursor (a `lambda`, or a `def`
 * whose body the core reads: assignments and a return), else the expression of
 * the statement there, when the core reads it as a formula. The file is parsed
 * once per version (@lezer/python, linear in its length).
 */
import { parser } from '@lezer/python';
import { LensError } from '../../core/errors';
import { parsePython } from '../../core/parse/python';
import type { LocatedMath, OffsetRange } from '../shared/domain';

type Tree = ReturnType<typeof parser.parse>;
type Node = Tree['topNode'];

interface ParsedFile {
  readonly text: string;
  readonly tree: Tree;
  /** The file's imports (`import torch.nn.functional as F`): they say what its names are. */
  readonly imports: string;
  /** Its top-level shape comments (`# W: (m, n)`), with where they end, in order. */
  readonly shapes: readonly { readonly end: number; readonly text: string }[];
  /** Formulas found, by node (`from:to`): hovers repeat on one function, and reading it costs a parse. */
  readonly formulas: Map<string, LocatedMath | undefined>;
}

let parsed: ParsedFile | undefined;

function parseDocument(text: string): ParsedFile {
  if (parsed?.text !== text) {
    const tree = parser.parse(text);
    const line = (n: Node) => `${text.slice(n.from, n.to)}\n`;
    const imports = tree.topNode.getChildren('ImportStatement').map(line).join('');
    const shapes = tree.topNode
      .getChildren('Comment')
      .filter((c) => /:\s*\(/.test(text.slice(c.from, c.to)))
      .map((c) => ({ end: c.to, text: line(c) }));
    parsed = { text, tree, imports, shapes, formulas: new Map() };
  }
  return parsed;
}

export function locatePython(text: string, offset: number): LocatedMath | undefined {
  const file = parseDocument(text);
  let statement: Node | undefined;
  for (let n: Node | null = file.tree.resolveInner(offset, 1); n; n = n.parent) {
    if (n.name === 'LambdaExpression') return formula(file, n, n);
    if (n.name === 'FunctionDefinition')
      return formula(file, n, n) ?? (statement && formula(file, statement, value(statement)));
    if (!statement && STATEMENTS.has(n.name)) statement = n;
  }
  return statement && formula(file, statement, value(statement));
}

const STATEMENTS = new Set(['ExpressionStatement', 'AssignStatement', 'ReturnStatement']);

/** The expression of a statement: its value (`z = …`, `return …`) or itself. */
function value(statement: Node): Node | undefined {
  if (statement.name === 'ExpressionStatement') return statement.firstChild ?? undefined;
  let last: Node | null = statement.lastChild;
  while (last && last.name === 'Comment') last = last.prevSibling;
  return last ?? undefined;
}

/** `node`'s text as the core reads it, after the file's imports and the shape comments above it, if it is a formula. */
function formula(file: ParsedFile, at: Node, node: Node | undefined): LocatedMath | undefined {
  if (!node || (at !== node && node.from <= at.from)) return undefined;
  const key = `${node.from}:${node.to}`;
  if (!file.formulas.has(key)) file.formulas.set(key, read(file, node));
  return file.formulas.get(key);
}

function read(file: ParsedFile, node: Node): LocatedMath | undefined {
  const range: OffsetRange = { start: node.from, end: node.to };
  const above = file.shapes
    .filter((c) => c.end <= range.start)
    .map((c) => c.text)
    .join('');
  const prefix = file.imports + above;
  const source = prefix + file.text.slice(range.start, range.end);
  try {
    const read = parsePython(source);
    if (read.body.type === 'number' || (read.body.type === 'ident' && !read.params)) return undefined;
  } catch (e) {
    if (e instanceof LensError) return undefined;
    throw e;
  }
  return { text: source, range, base: range.start - prefix.length, lang: 'python' };
}
