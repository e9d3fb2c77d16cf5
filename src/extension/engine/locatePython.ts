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

let parsed: { text: string; tree: Tree; imports: string } | undefined;

function parseDocument(text: string): { tree: Tree; imports: string } {
  if (parsed?.text !== text) {
    const tree = parser.parse(text);
    // The file's imports (`import torch.nn.functional as F`) say what its names are: they go with every formula.
    const imports = tree.topNode
      .getChildren('ImportStatement')
      .map((s) => `${text.slice(s.from, s.to)}\n`)
      .join('');
    parsed = { text, tree, imports };
  }
  return parsed;
}

export function locatePython(text: string, offset: number): LocatedMath | undefined {
  const { tree, imports } = parseDocument(text);
  let statement: Node | undefined;
  for (let n: Node | null = tree.resolveInner(offset, 1); n; n = n.parent) {
    if (n.name === 'LambdaExpression') return formula(text, n, n, imports);
    if (n.name === 'FunctionDefinition')
      return (
        formula(text, n, n, imports) ?? (statement && formula(text, statement, value(statement), imports))
      );
    if (!statement && STATEMENTS.has(n.name)) statement = n;
  }
  return statement && formula(text, statement, value(statement), imports);
}

const STATEMENTS = new Set(['ExpressionStatement', 'AssignStatement', 'ReturnStatement']);

/** The expression of a statement: its value (`z = …`, `return …`) or itself. */
function value(statement: Node): Node | undefined {
  if (statement.name === 'ExpressionStatement') return statement.firstChild ?? undefined;
  let last: Node | null = statement.lastChild;
  while (last && last.name === 'Comment') last = last.prevSibling;
  return last ?? undefined;
}

/** `node`'s text as the core reads it, with the file's imports before it, if it is a formula. */
function formula(text: string, at: Node, node: Node | undefined, imports: string): LocatedMath | undefined {
  if (!node || (at !== node && node.from <= at.from)) return undefined;
  const range: OffsetRange = { start: node.from, end: node.to };
  const source = imports + text.slice(range.start, range.end);
  try {
    const read = parsePython(source);
    if (read.body.type === 'number' || (read.body.type === 'ident' && !read.params)) return undefined;
  } catch (e) {
    if (e instanceof LensError) return undefined;
    throw e;
  }
  return { text: source, range, base: range.start - imports.length, lang: 'python' };
}
