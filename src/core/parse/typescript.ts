/**
 * TypeScript/JavaScript front end: reads an expression, arrow function,
 * function or `const f = …` declaration with @babel/parser and maps the
 * numeric subset (Math.*, + - * / **, array literals) onto the shared syntax
 * tree. The text is only parsed, never evaluated.
 */
import type { ParserOptions } from '@babel/parser';
import type * as t from '@babel/types';
import { errorAt, LensError } from '../errors';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from '../functions';
import { callOf, numberOf, readCode } from './code';
import type { ParamSyntax, ParsedInput, Span, Syntax } from './syntax';
import { nameTable } from '../table';

const BABEL_OPTIONS: ParserOptions = {
  plugins: ['typescript'],
  sourceType: 'module',
  allowReturnOutsideFunction: true,
};

/**
 * Babel, loaded on first use: it is half of the core's code, LaTeX input (a hover in Markdown,
 * the CLI) never needs it, and loading it is a third of the core's start-up (a bundler makes
 * this require lazy).
 */
let babel: typeof import('@babel/parser') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const babelParser = () => (babel ??= require('@babel/parser') as typeof import('@babel/parser'));

const STATEMENT_START = /^\s*(?:const|let|var|return|export)\s/;

/** One-argument Math functions and their canonical names: the element-wise functions' own (functions.ts), and sugar. */
const MATH_UNARY = new Map<string, string>([
  ...ELEMENTWISE_FUNCTIONS.flatMap((f) => ELEMENTWISE[f].math.map((name): [string, string] => [name, f])),
  ['log1p', 'log1p'],
  ['log2', 'log2'],
  ['log10', 'log10'],
  ['sqrt', 'sqrt'],
  ['cbrt', 'cbrt'],
]);

/** Math functions taking one or more arguments. */
const MATH_VARIADIC = new Set(['hypot', 'max', 'min']);

const COMPARISONS = new Set(['<', '>', '<=', '>=', '==', '!=', '===', '!==']);
const BITWISE = new Set(['&', '|', '^', '<<', '>>', '>>>', '~']);

/** Plural noun phrases for constructs rejected as a whole (`… are not supported`). */
const UNSUPPORTED: Readonly<Record<string, string>> = nameTable({
  StringLiteral: 'strings',
  TemplateLiteral: 'template strings',
  TaggedTemplateExpression: 'tagged template strings',
  BooleanLiteral: 'booleans',
  NullLiteral: 'null values',
  RegExpLiteral: 'regular expressions',
  BigIntLiteral: 'BigInt literals',
  ObjectExpression: 'object literals',
  NewExpression: 'new expressions',
  ThisExpression: '`this` expressions',
  SpreadElement: 'spread elements (...)',
  ArrowFunctionExpression: 'nested functions',
  FunctionExpression: 'nested functions',
  ClassExpression: 'classes',
  OptionalMemberExpression: 'optional chains (?.)',
  OptionalCallExpression: 'optional chains (?.)',
});

export function parseTypeScript(input: string): ParsedInput {
  // The pre-scan bounds brackets and our tree walk loops over chains, but Babel
  // recurses once per operator: a flat chain of a few thousand terms exhausts its stack.
  return readCode(
    input,
    (text) => new Reader(text).read(),
    'expression is too long a chain of operators for the TypeScript parser; split it into shorter expressions',
  );
}

/** The Syntax operator of a TypeScript arithmetic operator, if it is one. */
function binaryOperator(op: string): '^' | '+' | '-' | '*' | '/' | undefined {
  return op === '**' ? '^' : op === '+' || op === '-' || op === '*' || op === '/' ? op : undefined;
}

interface BabelError {
  readonly message: string;
  readonly pos: number;
}

function isBabelError(e: unknown): e is BabelError {
  return e instanceof SyntaxError && typeof (e as { pos?: unknown }).pos === 'number';
}

class Reader {
  constructor(private readonly input: string) {}

  read(): ParsedInput {
    let expressionError: BabelError | undefined;
    // Declarations can't be expressions; skipping that attempt saves a thrown error (about 20 µs).
    if (!STATEMENT_START.test(this.input)) {
      try {
        return this.top(babelParser().parseExpression(this.input, BABEL_OPTIONS));
      } catch (e) {
        if (!isBabelError(e)) throw e;
        expressionError = e;
      }
    }
    let program: t.Program;
    try {
      program = babelParser().parse(this.input, BABEL_OPTIONS).program;
    } catch (e) {
      if (!isBabelError(e)) throw e;
      // Whichever reading got further saw what the user meant to write.
      const best = !expressionError || e.pos >= expressionError.pos ? e : expressionError;
      const message = best.message.replace(/\s*\(\d+:\d+\)$/, '');
      throw errorAt(message, { start: best.pos, end: best.pos + 1 });
    }
    return this.statements(program.body);
  }

  private statements(body: readonly t.Statement[]): ParsedInput {
    const statements = body.filter((s) => s.type !== 'EmptyStatement');
    if (statements.length === 0) throw new LensError('empty expression');
    if (statements.length > 1) {
      throw errorAt('expected a single expression, function or declaration', this.span(statements[1]));
    }
    const s = statements[0];
    switch (s.type) {
      case 'ExpressionStatement':
        return this.top(s.expression);
      case 'ReturnStatement':
        if (!s.argument) throw errorAt('return needs a value', this.span(s));
        return this.top(s.argument);
      case 'VariableDeclaration': {
        if (s.declarations.length !== 1) {
          throw errorAt('declare one function or value at a time', this.span(s.declarations[1]));
        }
        const { id, init } = s.declarations[0];
        if (id.type !== 'Identifier') throw errorAt('destructuring is not supported', this.span(id));
        if (!init) throw errorAt(`${id.name} has no value`, this.span(id));
        return { ...this.top(init), functionName: id.name };
      }
      case 'FunctionDeclaration':
        return this.fn(s);
      case 'ExportNamedDeclaration':
        if (s.declaration) return this.statements([s.declaration]);
        break;
      case 'ExportDefaultDeclaration': {
        const d = s.declaration;
        if (d.type === 'FunctionDeclaration') return this.fn(d);
        if (d.type !== 'ClassDeclaration' && d.type !== 'TSDeclareFunction') return this.top(d);
        break;
      }
    }
    throw errorAt(`${describe(s.type)} are not supported`, this.span(s));
  }

  /** The outermost expression: a function literal gives parameters, anything else is the body. */
  private top(node: t.Expression): ParsedInput {
    const e = unwrapTypes(node);
    if (e.type === 'ArrowFunctionExpression' || e.type === 'FunctionExpression') return this.fn(e);
    return { body: this.expr(e) };
  }

  private fn(f: t.ArrowFunctionExpression | t.FunctionExpression | t.FunctionDeclaration): ParsedInput {
    if (f.async) throw errorAt('async functions are not supported', this.span(f));
    if (f.generator) throw errorAt('generator functions are not supported', this.span(f));
    const params = f.params.map((p) => this.param(p));
    let result: t.Expression;
    if (f.body.type === 'BlockStatement') {
      const [first, second] = f.body.body.filter((s) => s.type !== 'EmptyStatement');
      if (!first || first.type !== 'ReturnStatement' || !first.argument || second) {
        const offending = !first
          ? f.body
          : first.type !== 'ReturnStatement' || !first.argument
            ? first
            : second;
        throw errorAt('a function body must be a single return statement', this.span(offending));
      }
      result = first.argument;
    } else {
      result = f.body;
    }
    const parsed: ParsedInput = { body: this.expr(result), params };
    return f.type !== 'ArrowFunctionExpression' && f.id ? { ...parsed, functionName: f.id.name } : parsed;
  }

  private param(p: t.Identifier | t.Pattern | t.RestElement | t.TSParameterProperty): ParamSyntax {
    if (p.type === 'Identifier') {
      // The node's range covers `x: number`; the name alone is what gets highlighted.
      const start = p.start ?? 0;
      return { name: p.name, style: 'plain', span: { start, end: start + p.name.length } };
    }
    const what =
      p.type === 'AssignmentPattern'
        ? 'default parameter values are'
        : p.type === 'RestElement'
          ? 'rest parameters are'
          : 'destructured parameters are';
    throw errorAt(`${what} not supported`, this.span(p));
  }

  private expr(node: t.Node): Syntax {
    const span = this.span(node);
    switch (node.type) {
      case 'NumericLiteral':
        return { type: 'number', value: node.value, text: this.numberText(node, span), span };
      case 'Identifier':
        if (node.name === 'undefined' || node.name === 'NaN' || node.name === 'Infinity') {
          throw errorAt(`${node.name} is not supported`, span);
        }
        return { type: 'ident', name: node.name, style: 'plain', span };
      case 'TSAsExpression':
      case 'TSSatisfiesExpression':
      case 'TSNonNullExpression':
      case 'TSTypeAssertion':
        return this.expr(node.expression);
      case 'UnaryExpression':
        return this.unary(node, span);
      case 'BinaryExpression':
        return this.binary(node);
      case 'CallExpression':
        return this.call(node, span);
      case 'MemberExpression':
        return this.member(node, span);
      case 'ArrayExpression':
        return this.array(node, span);
      case 'ConditionalExpression':
        throw errorAt('conditional expressions (?:) are not supported', this.opSpan('?', node.test));
      case 'LogicalExpression':
        throw errorAt(
          `logical operators (${node.operator}) are not supported`,
          this.opSpan(node.operator, node.left),
        );
      case 'AssignmentExpression':
        throw errorAt(
          `assignments (${node.operator}) are not supported`,
          this.opSpan(node.operator, node.left),
        );
      case 'UpdateExpression':
        throw errorAt(
          `increment and decrement (${node.operator}) are not supported`,
          this.opSpan(node.operator, node, 'start'),
        );
      case 'SequenceExpression':
        throw errorAt('comma expressions (a, b) are not supported', this.opSpan(',', node.expressions[0]));
    }
    throw errorAt(`${describe(node.type)} are not supported`, span);
  }

  private unary(node: t.UnaryExpression, span: Span): Syntax {
    switch (node.operator) {
      case '-':
        return { type: 'neg', arg: this.expr(node.argument), span };
      case '+':
        return this.expr(node.argument);
      case '!':
        throw errorAt('logical operators (!) are not supported', span);
      case '~':
        throw errorAt('bitwise operators (~) are not supported', span);
      default:
        throw errorAt(`the ${node.operator} operator is not supported`, span);
    }
  }

  private binary(node: t.BinaryExpression): Syntax {
    // A left-deep chain (x + x + … thousands long) is read in a loop, not by recursion.
    const spine: t.BinaryExpression[] = [];
    let leftmost: t.Node = node;
    while (leftmost.type === 'BinaryExpression' && binaryOperator(leftmost.operator)) {
      spine.push(leftmost);
      leftmost = leftmost.left;
    }
    if (spine.length === 0) throw this.unsupportedOperator(node);
    let acc = this.expr(leftmost);
    for (let i = spine.length - 1; i >= 0; i--) {
      const b = spine[i];
      acc = {
        type: 'binary',
        op: binaryOperator(b.operator)!,
        left: acc,
        right: this.expr(b.right),
        span: this.span(b),
      };
    }
    return acc;
  }

  private unsupportedOperator(node: t.BinaryExpression): LensError {
    const op = node.operator;
    const at = this.opSpan(op, node.left);
    if (COMPARISONS.has(op)) return errorAt(`comparisons (${op}) are not supported`, at);
    if (op === '^') return errorAt('bitwise operators (^) are not supported; write x ** 2 for a power', at);
    if (BITWISE.has(op)) return errorAt(`bitwise operators (${op}) are not supported`, at);
    if (op === '%') return errorAt('the remainder operator (%) is not supported', at);
    return errorAt(`the ${op} operator is not supported`, at);
  }

  private call(node: t.CallExpression, span: Span): Syntax {
    const callee = node.callee;
    const name = this.mathName(callee);
    const args = () =>
      node.arguments.map((a) => {
        if (a.type === 'SpreadElement' || a.type === 'ArgumentPlaceholder') {
          throw errorAt('spread arguments (...) are not supported', this.span(a));
        }
        return this.expr(a);
      });
    if (name === undefined) {
      // f(x), g(x, y): a function the input does not define, abstract as in LaTeX (f'(x) stays symbolic).
      if (callee.type === 'Identifier' && !isMathFunction(callee.name) && node.arguments.length > 0)
        return { type: 'apply', name: callee.name, style: 'plain', args: args(), primes: 0, span };
      const hint =
        callee.type === 'Identifier' && isMathFunction(callee.name)
          ? ` (did you mean Math.${callee.name}?)`
          : '';
      throw errorAt(`call to unknown function ${this.text(callee)}${hint}`, span);
    }
    const calleeSpan = this.span(callee);
    if (!isMathFunction(name)) {
      const isConstant = mathConstant(name, calleeSpan) !== undefined;
      throw errorAt(
        isConstant ? `Math.${name} is not a function` : `Math.${name} is not supported`,
        calleeSpan,
      );
    }
    return this.mathCall(name, args(), span);
  }

  private mathCall(name: string, args: Syntax[], span: Span): Syntax {
    const arity =
      MATH_UNARY.has(name) || name === 'expm1' ? 1 : name === 'pow' || name === 'atan2' ? 2 : undefined;
    if (arity !== undefined && args.length !== arity) {
      const expected = arity === 1 ? '1 argument' : `${arity} arguments`;
      throw errorAt(`Math.${name} takes ${expected}, not ${args.length}`, span);
    }
    if (arity === undefined && args.length === 0)
      throw errorAt(`Math.${name} needs at least 1 argument`, span);

    const canonical = MATH_UNARY.get(name);
    if (canonical) return { type: 'call', fn: canonical, args, span };
    switch (name) {
      case 'pow':
        return { type: 'binary', op: '^', left: args[0], right: args[1], span };
      case 'expm1':
        return {
          type: 'binary',
          op: '-',
          left: callOf('exp', [args[0]], span),
          right: numberOf(1, span),
          span,
        };
      case 'hypot':
        // hypot of one number is its magnitude.
        return args.length === 1 ? callOf('abs', args, span) : callOf('hypot', args, span);
      case 'max':
      case 'min':
        return args.length === 1 ? args[0] : callOf(name, args, span);
      default:
        return callOf(name, args, span); // atan2
    }
  }

  private member(node: t.MemberExpression, span: Span): Syntax {
    const name = this.mathName(node);
    if (name !== undefined) {
      const constant = mathConstant(name, span);
      if (constant) return constant;
      throw errorAt(
        isMathFunction(name) ? `Math.${name} must be called` : `Math.${name} is not supported`,
        span,
      );
    }
    if (node.computed) throw errorAt('indexing (x[i]) is not supported', this.opSpan('[', node.object));
    throw errorAt(`property access (${this.text(node)}) is not supported`, span);
  }

  /** `foo` for `Math.foo`; undefined for anything else. */
  private mathName(node: t.Node): string | undefined {
    if (
      node.type !== 'MemberExpression' ||
      node.object.type !== 'Identifier' ||
      node.object.name !== 'Math'
    ) {
      return undefined;
    }
    if (node.computed || node.property.type !== 'Identifier') return undefined;
    return node.property.name;
  }

  /** `[a, b]` is a column vector, `[[a, b], [c, d]]` a matrix given by rows. */
  private array(node: t.ArrayExpression, span: Span): Syntax {
    const elements = node.elements.map((e) => {
      if (e === null) throw errorAt('empty array elements are not supported', span);
      if (e.type === 'SpreadElement') throw errorAt('spread elements (...) are not supported', this.span(e));
      return e;
    });
    if (elements.length === 0) throw errorAt('empty arrays are not supported', span);
    const nested = elements.map((e) => unwrapTypes(e).type === 'ArrayExpression');
    if (!nested.some(Boolean)) return { type: 'matrix', rows: elements.map((e) => [this.expr(e)]), span };
    const mixed = nested.indexOf(false);
    if (mixed >= 0) {
      throw errorAt('an array mixes rows ([…]) and single entries', this.span(elements[mixed]));
    }
    let width = -1;
    const rows = elements.map((e) => {
      const row = unwrapTypes(e) as t.ArrayExpression;
      const cells = row.elements.map((c) => {
        if (c === null) throw errorAt('empty array elements are not supported', this.span(row));
        if (c.type === 'ArrayExpression')
          throw errorAt('arrays nested more than two levels are not supported', this.span(c));
        return this.expr(c);
      });
      if (width >= 0 && cells.length !== width) {
        throw errorAt(`matrix rows differ in length (${width} and ${cells.length} entries)`, this.span(row));
      }
      width = cells.length;
      return cells;
    });
    if (width === 0) throw errorAt('empty arrays are not supported', span);
    return { type: 'matrix', rows, span };
  }

  private numberText(node: t.NumericLiteral, span: Span): string {
    const raw = this.input.slice(span.start, span.end).replace(/_/g, '');
    // Hex, octal and binary literals are shown as the decimal number they denote.
    return /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? raw : String(node.value);
  }

  /** Where `op` is written after `after` (or from its start). Babel gives no range for operators. */
  private opSpan(op: string, after: t.Node, from: 'start' | 'end' = 'end'): Span {
    const base = (from === 'start' ? after.start : after.end) ?? 0;
    const i = this.input.indexOf(op, base);
    const start = i < 0 ? base : i;
    return { start, end: start + op.length };
  }

  private span(node: t.Node): Span {
    return { start: node.start ?? 0, end: node.end ?? 0 };
  }

  private text(node: t.Node): string {
    return this.input.slice(node.start ?? 0, node.end ?? 0);
  }
}

/** Strips TypeScript-only wrappers (`as`, `satisfies`, `!`, `<T>x`), which have no numeric meaning. */
function unwrapTypes(node: t.Expression): t.Expression {
  let e = node;
  while (
    e.type === 'TSAsExpression' ||
    e.type === 'TSSatisfiesExpression' ||
    e.type === 'TSNonNullExpression' ||
    e.type === 'TSTypeAssertion'
  ) {
    e = e.expression;
  }
  return e;
}

function isMathFunction(name: string): boolean {
  return (
    MATH_UNARY.has(name) || MATH_VARIADIC.has(name) || name === 'pow' || name === 'atan2' || name === 'expm1'
  );
}

function mathConstant(name: string, span: Span): Syntax | undefined {
  switch (name) {
    case 'PI':
      return { type: 'ident', name: 'pi', style: 'plain', span };
    case 'E':
      return { type: 'ident', name: 'e', style: 'plain', span };
    case 'SQRT2':
      return callOf('sqrt', [numberOf(2, span)], span);
    case 'SQRT1_2':
      return callOf(
        'sqrt',
        [{ type: 'binary', op: '/', left: numberOf(1, span), right: numberOf(2, span), span }],
        span,
      );
    case 'LN2':
      return callOf('ln', [numberOf(2, span)], span);
    case 'LN10':
      return callOf('ln', [numberOf(10, span)], span);
    case 'LOG2E':
      return {
        type: 'binary',
        op: '/',
        left: numberOf(1, span),
        right: callOf('ln', [numberOf(2, span)], span),
        span,
      };
    case 'LOG10E':
      return {
        type: 'binary',
        op: '/',
        left: numberOf(1, span),
        right: callOf('ln', [numberOf(10, span)], span),
        span,
      };
    default:
      return undefined;
  }
}

/** `ObjectExpression` → `object expressions`, unless a friendlier name is known. */
function describe(type: string): string {
  return UNSUPPORTED[type] ?? `${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}s`;
}
