/**
 * TypeScript and JavaScript documents: the smallest expression with free
 * variables under the cursor (or a function's return value), from a syntax
 * tree of the top-level piece it is in, parsed once per version; and the
 * comments, where declarations are written.
 */
import { parse, type ParserPlugin } from '@babel/parser';
import type * as t from '@babel/types';
import type { LocatedMath } from '../shared/domain';

/** A top-level part of a TypeScript file with its syntax tree, whose offsets count from `start`. */
interface ParsedPiece extends PieceTree {
  readonly start: number;
  readonly text: string;
}

interface PieceTree {
  /** Undefined when Babel gave up even with broken lines blanked. */
  readonly ast: t.File | undefined;
  /** Whether Babel gave up on the piece as it is (before any blanking). */
  readonly broken: boolean;
}

let parsed: { text: string; languageId: string; pieces: readonly ParsedPiece[] } | undefined;

/** How many broken lines are blanked before giving up on a piece of a file (see `parsePiece`). */
const MAX_BLANKED_LINES = 8;
/** How many following pieces a piece Babel gives up on is joined with (a cut inside a template literal). */
const MAX_JOINED_PIECES = 2;

/**
 * A line at column 0 that starts a top-level statement or a comment (not a
 * keyword continuing the previous line's expression or statement): where the
 * file is cut into pieces parsed on their own.
 */
const TOP_LEVEL_LINE_RE =
  /^(?=[A-Za-z_$@#]|\/[/*])(?!(?:in|instanceof|as|satisfies|extends|implements|else|catch|finally|while)\b)/gm;

/**
 * The file's syntax trees, one per top-level piece; one document is cached
 * since hovers repeat on the same text, and the trees of its pieces are reused
 * for the next version, so an edit costs the parse of the pieces it changed,
 * not of the whole file. A file being edited is often broken somewhere and
 * Babel's error recovery gives up on many errors: then only that piece is
 * lost, or just its offending lines (blanked, see `parsePiece`), and the
 * formulas elsewhere keep their hover.
 */
function parseDocument(text: string, languageId: string): { pieces: readonly ParsedPiece[] } {
  if (parsed?.text === text && parsed.languageId === languageId) return parsed;
  const previous = new Map<string, PieceTree>(
    parsed?.languageId === languageId ? parsed.pieces.map((p) => [p.text, p]) : [],
  );
  const treeOf = (piece: string): PieceTree => previous.get(piece) ?? parsePiece(piece, languageId);
  const cuts = topLevelCuts(text);
  const pieces: ParsedPiece[] = [];
  for (let k = 0; k < cuts.length; k++) {
    const start = cuts[k];
    let end = cuts[k + 1] ?? text.length;
    let tree = treeOf(text.slice(start, end));
    // Babel giving up on a piece may mean the cut was inside a construct (a template literal): join the next.
    for (let extra = 1; tree.broken && extra <= MAX_JOINED_PIECES && k + extra < cuts.length; extra++) {
      const joinedEnd = cuts[k + extra + 1] ?? text.length;
      const joined = text.slice(start, joinedEnd);
      const ast = previous.get(joined)?.ast ?? parseSource(joined, languageId);
      if (typeof ast === 'object') {
        tree = { ast, broken: false };
        end = joinedEnd;
        k += extra;
      }
    }
    pieces.push({ start, text: text.slice(start, end), ast: tree.ast, broken: tree.broken });
  }
  parsed = { text, languageId, pieces };
  return parsed;
}

/** Offsets where pieces start: 0 and each top-level line. */
function topLevelCuts(text: string): number[] {
  const cuts = [0];
  for (const m of text.matchAll(TOP_LEVEL_LINE_RE)) if (m.index > 0) cuts.push(m.index);
  return cuts;
}

/** A piece's tree (offsets from the piece's start), blanking the offending line while Babel gives up (offsets stay put). */
function parsePiece(text: string, languageId: string): PieceTree {
  let source = text;
  for (let attempt = 0; attempt <= MAX_BLANKED_LINES; attempt++) {
    const result = parseSource(source, languageId);
    if (typeof result === 'object') return { ast: result, broken: attempt > 0 };
    if (result === undefined) break;
    const lineStart = source.lastIndexOf('\n', result - 1) + 1;
    const eol = source.indexOf('\n', result);
    const lineEnd = eol < 0 ? source.length : eol;
    if (lineEnd === lineStart) break;
    source = source.slice(0, lineStart) + ' '.repeat(lineEnd - lineStart) + source.slice(lineEnd);
  }
  return { ast: undefined, broken: true };
}

/** Babel's tree of `source`, or the offset of the error it gave up at (undefined when it has none). */
function parseSource(source: string, languageId: string): t.File | number | undefined {
  const plugins: ParserPlugin[] = languageId.startsWith('typescript') ? ['typescript'] : [];
  if (languageId.endsWith('react') || languageId === 'javascript') plugins.push('jsx');
  try {
    return parse(source, {
      sourceType: 'unambiguous',
      plugins,
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
    });
  } catch (e) {
    const pos = (e as { pos?: unknown }).pos;
    return typeof pos === 'number' ? pos : undefined;
  }
}

/** Babel node keys that never lead to the expression under the cursor. */
const SKIPPED_KEYS = new Set([
  'loc',
  'extra',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'errors',
  'tokens',
]);

function isNode(v: unknown): v is t.Node {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

const within = (n: t.Node, offset: number): boolean => (n.start ?? 0) <= offset && offset < (n.end ?? 0);

/** Nodes from the program down to the innermost one containing `offset`. */
function pathTo(root: t.Node, offset: number): t.Node[] {
  const path: t.Node[] = [root];
  let node: t.Node | undefined = root;
  while (node) {
    let next: t.Node | undefined;
    for (const [key, value] of Object.entries(node)) {
      if (SKIPPED_KEYS.has(key)) continue;
      const children: unknown[] = Array.isArray(value) ? value : [value];
      next = children.find((c): c is t.Node => isNode(c) && within(c, offset));
      if (next) break;
    }
    if (next) path.push(next);
    node = next;
  }
  return path;
}

type FunctionNode =
  t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration | t.ObjectMethod | t.ClassMethod;

function isFunction(n: t.Node): n is FunctionNode {
  return (
    n.type === 'ArrowFunctionExpression' ||
    n.type === 'FunctionExpression' ||
    n.type === 'FunctionDeclaration' ||
    n.type === 'ObjectMethod' ||
    n.type === 'ClassMethod'
  );
}

/**
 * The smallest whole formula around the cursor: an expression-bodied arrow
 * function (with its parameters), a `return` value (with the parameters of
 * its function), an initializer, the right side of an assignment, a property
 * value. The cursor must be inside that expression (not on a keyword or the
 * declared name) and the expression must be in the numeric subset the core
 * reads, with at least one variable and one operation.
 */
export function locateTypeScript(text: string, languageId: string, offset: number): LocatedMath | undefined {
  const { pieces } = parseDocument(text, languageId);
  let lo = 0;
  for (let hi = pieces.length - 1; lo < hi;) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const piece = pieces[lo];
  if (!piece.ast) return undefined;
  const found = locateInTree(piece.text, piece.ast, offset - piece.start);
  if (!found || piece.start === 0) return found;
  const range = { start: found.range.start + piece.start, end: found.range.end + piece.start };
  return { ...found, range, base: found.base + piece.start };
}

/** `locateTypeScript` in one parsed piece, in the piece's offsets. */
function locateInTree(text: string, ast: t.File, offset: number): LocatedMath | undefined {
  const path = pathTo(ast.program, offset);
  for (let k = path.length - 1; k > 0; k--) {
    const node = path[k];
    switch (node.type) {
      case 'ArrowFunctionExpression':
        if (node.body.type !== 'BlockStatement') {
          return isMathExpression(node.body, paramNames(node)) ? slice(text, node) : undefined;
        }
        break;
      case 'ReturnStatement':
        if (node.argument && within(node.argument, offset)) {
          const fn = path.slice(0, k).reverse().find(isFunction);
          return returnValue(text, node.argument, fn);
        }
        return undefined;
      case 'VariableDeclarator':
        return node.init && within(node.init, offset) ? mathOrNothing(text, node.init) : undefined;
      case 'AssignmentExpression':
        return within(node.right, offset) ? mathOrNothing(text, node.right) : undefined;
      case 'ObjectProperty':
      case 'ClassProperty':
        return node.value && within(node.value, offset) ? mathOrNothing(text, node.value) : undefined;
    }
    if (isFunction(node) || node.type === 'BlockStatement') return undefined;
  }
  return undefined;
}

function paramNames(fn: FunctionNode): Set<string> {
  return new Set(fn.params.flatMap((p) => (p.type === 'Identifier' ? [p.name] : [])));
}

function slice(text: string, node: t.Node): LocatedMath {
  const range = { start: node.start ?? 0, end: node.end ?? 0 };
  return { text: text.slice(range.start, range.end), range, base: range.start, lang: 'ts' };
}

function mathOrNothing(text: string, node: t.Node): LocatedMath | undefined {
  return isMathExpression(node, new Set()) ? slice(text, node) : undefined;
}

/** `return e` in `function f(x, y)` is given to the core as `(x, y) => e`. */
function returnValue(
  text: string,
  argument: t.Expression,
  fn: FunctionNode | undefined,
): LocatedMath | undefined {
  const params = fn ? paramNames(fn) : new Set<string>();
  if (!isMathExpression(argument, params)) return undefined;
  const expression = slice(text, argument);
  if (!fn || fn.params.length === 0) return expression;
  const prefix = `(${fn.params.map((p) => text.slice(p.start ?? 0, p.end ?? 0)).join(', ')}) => `;
  return { ...expression, text: prefix + expression.text, base: expression.base - prefix.length };
}

/**
 * Whether `node` is in the numeric subset (numbers, names, + - * / **, unary
 * minus, `Math.*`, array literals) and is a formula: it uses a variable and,
 * unless it is a function's parameter, does something with it.
 */
function isMathExpression(node: t.Node, params: ReadonlySet<string>): boolean {
  let variables = 0;
  let operations = 0;
  const ok = (n: t.Node | null | undefined): boolean => {
    if (!n) return false;
    switch (n.type) {
      case 'NumericLiteral':
        return true;
      case 'Identifier':
        if (n.name === 'undefined' || n.name === 'NaN' || n.name === 'Infinity') return false;
        variables++;
        return true;
      case 'ParenthesizedExpression':
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
        return ok(n.expression);
      case 'UnaryExpression':
        operations++;
        return (n.operator === '-' || n.operator === '+') && ok(n.argument);
      case 'BinaryExpression':
        operations++;
        return (
          ['+', '-', '*', '/', '**'].includes(n.operator) &&
          n.left.type !== 'PrivateName' &&
          ok(n.left) &&
          ok(n.right)
        );
      case 'MemberExpression':
        return isMathMember(n);
      case 'CallExpression':
        operations++;
        return (
          n.callee.type === 'MemberExpression' &&
          isMathMember(n.callee) &&
          n.arguments.every((a) => a.type !== 'SpreadElement' && a.type !== 'ArgumentPlaceholder' && ok(a))
        );
      case 'ArrayExpression':
        operations++;
        return (
          n.elements.length > 0 && n.elements.every((e) => e !== null && e.type !== 'SpreadElement' && ok(e))
        );
      default:
        return false;
    }
  };
  if (!ok(node)) return false;
  return variables > 0 && (operations > 0 || (node.type === 'Identifier' && params.has(node.name)));
}

function isMathMember(n: t.MemberExpression): boolean {
  return (
    !n.computed &&
    n.object.type === 'Identifier' &&
    n.object.name === 'Math' &&
    n.property.type === 'Identifier'
  );
}

/** A selection in TypeScript: anything naming something, not a lone literal or keyword. */
export function hasVariable(s: string): boolean {
  return /[A-Za-z_$]/.test(s.replace(/\b(return|const|let|var|function|Math)\b/g, ''));
}

/** Comments of a TypeScript/JavaScript file (where declarations such as `x \in \mathbb{R}^n` may be written). */
export function documentComments(
  text: string,
  languageId: string,
): { start: number; end: number; text: string }[] {
  // `//` and `/*` are both two characters: the comment's text starts right after them.
  return parseDocument(text, languageId).pieces.flatMap(({ start, ast }) =>
    (ast?.comments ?? []).map((c) => ({
      start: start + (c.start ?? 0) + 2,
      end: start + (c.end ?? 0),
      text: c.value,
    })),
  );
}
