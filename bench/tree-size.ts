/**
 * The simplicity measure: nodes of each system's own expression tree, counted
 * by one rule (BENCHMARKS.md, "Tree size"):
 *  - a number, a numeric constant (-2, 1/2) or a symbol is one node;
 *  - a function application is one node plus its arguments;
 *  - n-ary sums and products count once plus their operands (chains of the
 *    same binary operator are flattened first);
 *  - subtraction, division and negation count as the system stores them.
 * Our trees are counted by `treeSize` in src/core/expr.ts and SymPy's by
 * `tree_size` in bench/sympy_bench.py; this file covers the JavaScript peers.
 */
import { parse, type MathNode } from 'mathjs';

type OpNode = MathNode & { op: string; fn: string; args: MathNode[] };

function isNumeric(node: MathNode): boolean {
  if (node.type === 'ParenthesisNode') return isNumeric((node as MathNode & { content: MathNode }).content);
  if (node.type === 'ConstantNode') return true;
  if (node.type !== 'OperatorNode') return false;
  const op = node as OpNode;
  return (op.fn === 'unaryMinus' || op.fn === 'divide') && op.args.every(isNumeric);
}

/** Operands of a chain of the same associative operator, parentheses looked through. */
function flatten(node: MathNode, fn: string): MathNode[] {
  const inner = node.type === 'ParenthesisNode' ? (node as MathNode & { content: MathNode }).content : node;
  if (inner.type === 'OperatorNode' && (inner as OpNode).fn === fn) {
    return (inner as OpNode).args.flatMap((a) => flatten(a, fn));
  }
  return [inner];
}

/** Size of a math.js tree (math.js stores a − b, x/y and −x as their own operators). */
export function mathjsSize(node: MathNode): number {
  if (node.type === 'ParenthesisNode') return mathjsSize((node as MathNode & { content: MathNode }).content);
  if (isNumeric(node)) return 1;
  if (node.type === 'OperatorNode') {
    const op = node as OpNode;
    const operands = op.fn === 'add' || op.fn === 'multiply' ? flatten(op, op.fn) : op.args;
    return 1 + operands.reduce((s, a) => s + mathjsSize(a), 0);
  }
  if (node.type === 'FunctionNode') {
    return 1 + (node as MathNode & { args: MathNode[] }).args.reduce((s, a) => s + mathjsSize(a), 0);
  }
  return 1;
}

/** Size of a peer's plain-text result, read by math.js (used for nerdamer and Algebrite). */
export function textSize(text: string): number {
  return mathjsSize(parse(text));
}

/** A MathJSON expression: number, symbol string, or [head, ...args]. */
export type MathJson = number | string | readonly MathJson[] | { readonly [k: string]: unknown };

const NUMERIC_HEADS = new Set(['Rational', 'Negate', 'Divide', 'Half']);

function isNumericJson(e: MathJson): boolean {
  if (typeof e === 'number') return true;
  if (typeof e === 'string') return /^-?\d/.test(e);
  if (Array.isArray(e)) return NUMERIC_HEADS.has(e[0] as string) && e.slice(1).every(isNumericJson);
  return 'num' in e;
}

/** Size of a Compute Engine result (MathJSON is already n-ary). */
export function mathJsonSize(e: MathJson): number {
  if (isNumericJson(e) || !Array.isArray(e)) return 1;
  return 1 + e.slice(1).reduce((s: number, a: MathJson) => s + mathJsonSize(a), 0);
}
