/**
 * Python front end: reads an expression, `lambda`, or `def f(…): return …`
 * (after simple assignments, which are substituted) with @lezer/python and
 * maps the numeric subset of NumPy, `math`, SciPy, PyTorch and JAX onto the
 * shared syntax tree, with NumPy's operators (`@`, element-wise `*` and `**`,
 * `.T`). The text is only parsed, never executed.
 *
 * @lezer/python rather than web-tree-sitter: it is plain JavaScript (about
 * 200 KB with @lezer/lr), starts synchronously and runs in a web worker, where
 * tree-sitter needs a .wasm file loaded by an asynchronous init.
 */
import type { parser as PythonParser } from '@lezer/python';
import { errorAt, LensError } from '../errors';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from '../functions';
import { MAX_NESTING_DEPTH } from '../limits';
import { callOf, numberOf, readCode } from './code';
import {
  forEachChild,
  type DeclarationSyntax,
  type ParamSyntax,
  type ParsedInput,
  type PythonLibrary,
  type Span,
  type Syntax,
} from './syntax';

type Node = ReturnType<typeof PythonParser.parse>['topNode'];

/**
 * The parser, loaded on first use: LaTeX input (a hover in Markdown, the CLI) never needs it,
 * and loading it is a third of the core's start-up (a bundler makes this require lazy).
 */
let python: typeof PythonParser | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pythonParser = () => (python ??= (require('@lezer/python') as typeof import('@lezer/python')).parser);

/** Tokens between the parts of a construct; the parts are what is read. */
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', 'Comment', 'AssignOp']);

/** Names a module is known by before (or without) an import. */
const DEFAULT_ALIASES: ReadonlyMap<string, string> = new Map([
  ['np', 'numpy'],
  ['numpy', 'numpy'],
  ['math', 'math'],
  ['scipy', 'scipy'],
  ['special', 'scipy.special'],
  ['torch', 'torch'],
  ['F', 'torch.nn.functional'],
  ['jax', 'jax'],
  ['jnp', 'jax.numpy'],
]);

/** Modules whose functions are read (by the names below and the element-wise functions' `python` names). */
const MODULES = new Set([
  'numpy',
  'numpy.linalg',
  'math',
  'scipy',
  'scipy.special',
  'scipy.linalg',
  'torch',
  'torch.linalg',
  'torch.special',
  'torch.nn',
  'torch.nn.functional',
  'jax',
  'jax.numpy',
  'jax.numpy.linalg',
  'jax.nn',
  'jax.scipy',
  'jax.scipy.special',
]);

/** Python's own functions that are read without a module. */
const BUILTINS = new Set(['abs', 'max', 'min', 'sum', 'pow']);

/** Element-wise functions by their Python names (functions.ts), and the sugar the elaborator reads. */
const ELEMENTWISE_NAMES = new Map<string, string>([
  ...ELEMENTWISE_FUNCTIONS.flatMap((f) => ELEMENTWISE[f].python.map((name): [string, string] => [name, f])),
  ['log1p', 'log1p'],
  ['log2', 'log2'],
  ['log10', 'log10'],
  ['sqrt', 'sqrt'],
  ['cbrt', 'cbrt'],
  ['exp2', 'exp2'],
  ['relu', 'relu'],
]);

/** Constructors whose arguments are a shape: `x = np.zeros((m, n))` declares x as an m×n matrix. */
const SHAPED = new Set(['zeros', 'ones', 'empty', 'rand', 'randn', 'standard_normal']);

/** Array literals: `np.array([…])`, `torch.tensor([…])`. */
const ARRAY_CONSTRUCTORS = new Set(['array', 'asarray', 'tensor']);

/** Type hints of arrays (`np.ndarray`, `torch.Tensor`, `jax.Array`, `NDArray[np.float64]`, `ArrayLike`). */
const ARRAY_HINT = /(?:ndarray|Tensor|Array|ArrayLike)\b/;
const SCALAR_HINT = /^(?:float|int)$/;

/** Beyond this many nodes, assignments substituted into one another have built an expression nobody reads. */
const MAX_SUBSTITUTED_SIZE = 20_000;

/** Plural noun phrases for constructs rejected as a whole (`… are not supported`). */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  String: 'strings',
  FormatString: 'strings',
  ContinuedString: 'strings',
  Boolean: 'booleans (True, False)',
  None: 'None values',
  Ellipsis: 'ellipses (...)',
  TupleExpression: 'tuples',
  DictionaryExpression: 'dictionaries',
  SetExpression: 'sets',
  ArrayComprehensionExpression: 'comprehensions',
  DictionaryComprehensionExpression: 'comprehensions',
  SetComprehensionExpression: 'comprehensions',
  ComprehensionExpression: 'generator expressions',
  ConditionalExpression: 'conditional expressions (a if c else b)',
  LambdaExpression: 'nested functions',
  AwaitExpression: 'await expressions',
  YieldExpression: 'yield expressions',
  NamedExpression: 'assignment expressions (:=)',
};

export function parsePython(input: string): ParsedInput {
  return readCode(
    input,
    (text) => new Reader(text).read(),
    'expression is nested too deeply for the Python parser; split it into shorter ones',
  );
}

/** The parts of a node, without punctuation and comments. */
function parts(node: Node): Node[] {
  const out: Node[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (!PUNCTUATION.has(c.name)) out.push(c);
  return out;
}

/** A function's arguments: positional in order, keywords by name. */
interface Args {
  readonly positional: readonly Node[];
  readonly keywords: ReadonlyMap<string, Node>;
  readonly span: Span;
}

/** Where a name is defined: a module path (`numpy.linalg`), or a function in one (`scipy.special.expit`). */
type Resolved = { readonly kind: 'module' | 'function'; readonly path: string };

class Reader {
  private readonly aliases = new Map(DEFAULT_ALIASES);
  /** Names imported as functions (`from scipy.special import expit`): their full paths. */
  private readonly imported = new Map<string, string>();
  /** Assigned names and the expressions they stand for, substituted where they are used. */
  private readonly assigned = new Map<string, Syntax>();
  private readonly declarations: DeclarationSyntax[] = [];
  private readonly arrays: string[] = [];
  private readonly sizes = new Map<Syntax, number>();
  private substituted = 0;
  /** The index of the generator sum being read (`i` in `sum(x[i] for i in range(n))`). */
  private loopIndex: string | undefined;
  private depth = 0;
  private readonly libraries = new Set<PythonLibrary>();
  /** Inside `def`: assignments are substituted; at the top level, an assignment of constants declares a shape. */
  private inFunction = false;

  constructor(private readonly input: string) {}

  read(): ParsedInput {
    const tree = pythonParser().parse(this.input);
    this.scan(tree.topNode);
    const statements = this.statements(tree.topNode);
    if (statements.length === 0) throw new LensError('empty expression');
    const last = statements[statements.length - 1];
    for (const s of statements.slice(0, -1)) {
      if (s.name !== 'AssignStatement')
        throw errorAt('expected one expression, function or assignment, after assignments', this.span(s));
      this.assignment(s);
    }
    const parsed = this.target(last);
    const library: PythonLibrary = this.libraries.has('torch')
      ? 'torch'
      : this.libraries.has('jax')
        ? 'jax'
        : 'numpy';
    return {
      ...parsed,
      ...(this.declarations.length > 0 ? { declarations: this.declarations } : {}),
      python: { arrays: this.arrays, library },
    };
  }

  /** One pass over the tree: the first syntax error, and the shapes comments state (`# W: (m, n)`). */
  private scan(top: Node): void {
    const cursor = top.cursor();
    let error: Span | undefined;
    do {
      if (cursor.type.isError && !error)
        error = { start: cursor.from, end: Math.max(cursor.to, cursor.from + 1) };
      if (cursor.name === 'Comment') this.shapeComment(cursor.from, this.input.slice(cursor.from, cursor.to));
    } while (cursor.next());
    if (error) {
      const text = this.input.slice(error.start, error.end).trim();
      throw errorAt(
        error.start >= this.input.trimEnd().length || text === ''
          ? 'unexpected end of expression'
          : `unexpected ${JSON.stringify(text.length > 12 ? `${text.slice(0, 12)}…` : text)}`,
        error,
      );
    }
  }

  /** `# x: (n,)`, `# W: (m, n), b: (m,)`, `# c: ()`: each a declaration. */
  private shapeComment(at: number, text: string): void {
    for (const m of text.matchAll(/([A-Za-z_]\w*)\s*:\s*\(([^()]*)\)/g)) {
      const dims = m[2]
        .split(',')
        .map((d) => d.trim())
        .filter((d) => d !== '');
      if (dims.length > 2 || !dims.every((d) => /^[A-Za-z_]\w*$|^[1-9]\d*$/.test(d))) continue;
      const start = at + (m.index ?? 0);
      this.declare(
        m[1],
        dims.map((d) => (/^\d/.test(d) ? Number(d) : d)),
        { start, end: start + m[1].length },
      );
    }
  }

  private declare(name: string, dims: readonly (number | string)[], span: Span): void {
    this.declarations.push({ name, style: 'plain', dims, span });
  }

  /** The statements of a script or body: imports are recorded, `pass` and a function's docstring skipped. */
  private statements(node: Node): Node[] {
    const out: Node[] = [];
    for (const s of parts(node)) {
      if (s.name === 'ImportStatement') this.importStatement(s);
      else if (s.name === 'PassStatement') continue;
      else if (node.name === 'Body' && out.length === 0 && parts(s)[0]?.name === 'String') continue;
      else out.push(s);
    }
    return out;
  }

  /** `import numpy as np`, `import torch.nn.functional as F`, `from scipy.special import expit as sigmoid`. */
  private importStatement(s: Node): void {
    const names = parts(s);
    const isFrom = names[0]?.name === 'from';
    const words = names.filter((n) => n.name === 'VariableName' || n.name === 'as' || n.name === 'import');
    if (isFrom) {
      const importAt = words.findIndex((w) => w.name === 'import');
      const module = words
        .slice(0, importAt)
        .map((w) => this.text(w))
        .join('.');
      const rest = words.slice(importAt + 1);
      for (let i = 0; i < rest.length; i++) {
        const name = this.text(rest[i]);
        const alias = rest[i + 1]?.name === 'as' ? this.text(rest[(i += 2)]) : name;
        const path = `${module}.${name}`;
        if (MODULES.has(path)) this.aliases.set(alias, path);
        else this.imported.set(alias, path);
      }
      return;
    }
    // import a.b.c [as d], possibly several separated by commas
    let path: string[] = [];
    const done = (alias?: string) => {
      if (path.length === 0) return;
      if (alias) this.aliases.set(alias, path.join('.'));
      else this.aliases.set(path[0], path[0]);
      path = [];
    };
    let prevEnd = -1;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      if (w.name === 'import') continue;
      if (w.name === 'as') {
        done(this.text(words[++i]));
        continue;
      }
      // Dotted parts are contiguous (`a.b`), separate modules are not.
      if (path.length > 0 && this.input.slice(prevEnd, w.from).trim() !== '.') done();
      path.push(this.text(w));
      prevEnd = w.to;
    }
    done();
  }

  /** The statement that is the function: an expression, lambda, `def`, `return`, or an assignment's value. */
  private target(s: Node): ParsedInput {
    switch (s.name) {
      case 'ExpressionStatement':
        return this.top(this.only(s));
      case 'ReturnStatement':
        return { body: this.returned(s) };
      case 'AssignStatement': {
        const { name, value } = this.assignParts(s);
        return { ...this.top(value), functionName: this.text(name) };
      }
      case 'FunctionDefinition':
        return this.def(s);
      case 'DecoratedStatement': {
        const def = parts(s).find((p) => p.name === 'FunctionDefinition');
        if (def) return this.def(def);
        break;
      }
    }
    throw errorAt(`${describeStatement(s.name)} are not supported`, this.span(s));
  }

  private only(s: Node): Node {
    const [first, second] = parts(s);
    if (!first) throw errorAt('empty expression', this.span(s));
    if (second) throw errorAt('expected a single expression', this.span(second));
    return first;
  }

  private top(node: Node): ParsedInput {
    if (node.name === 'LambdaExpression') {
      const all = parts(node);
      const params = all.find((p) => p.name === 'ParamList');
      const body = all[all.length - 1];
      if (!params || body === params) throw errorAt('a lambda needs parameters and a value', this.span(node));
      this.inFunction = true;
      return { params: this.params(params), body: this.expr(body) };
    }
    return { body: this.expr(node) };
  }

  private def(s: Node): ParsedInput {
    const all = parts(s);
    if (all[0]?.name === 'async') throw errorAt('async functions are not supported', this.span(s));
    const name = all.find((p) => p.name === 'VariableName');
    const params = all.find((p) => p.name === 'ParamList');
    const body = all.find((p) => p.name === 'Body');
    if (!name || !params || !body)
      throw errorAt('a function needs a name, parameters and a body', this.span(s));
    this.inFunction = true;
    const paramSyntax = this.params(params);
    const statements = this.statements(body);
    const last = statements[statements.length - 1];
    if (!last || last.name !== 'ReturnStatement')
      throw errorAt('a function body must end with a return statement', this.span(last ?? body));
    for (const st of statements.slice(0, -1)) {
      if (st.name !== 'AssignStatement')
        throw errorAt('a function body must be assignments (z = …) and one return statement', this.span(st));
      this.assignment(st);
    }
    return { params: paramSyntax, body: this.returned(last), functionName: this.text(name) };
  }

  private returned(s: Node): Syntax {
    const [value, extra] = parts(s).filter((p) => p.name !== 'return');
    if (!value) throw errorAt('return needs a value', this.span(s));
    if (extra) throw errorAt('return one value', this.span(extra));
    return this.expr(value);
  }

  /** `(x: np.ndarray, W, b: float = 0.0)`: names; hints declare scalars or arrays, defaults are ignored. */
  private params(list: Node): ParamSyntax[] {
    const out: ParamSyntax[] = [];
    const items = parts(list);
    for (let i = 0; i < items.length; i++) {
      const p = items[i];
      if (p.name === 'VariableName') {
        const span = this.span(p);
        const name = this.text(p);
        out.push({ name, style: 'plain', span });
        const hint = items[i + 1]?.name === 'TypeDef' ? items[++i] : undefined;
        if (hint) this.hint(name, this.text(hint).replace(/^:\s*/, ''), span);
        continue;
      }
      // A bare `*` only marks the parameters after it as keyword-only.
      if (p.name === '*' && /^\s*,/.test(this.input.slice(p.to))) continue;
      if (p.name === '*' || p.name === '**')
        throw errorAt('*args and **kwargs are not supported', this.span(p));
      if (p.name === '/') continue;
      // A default value: written after the name, ignored.
      if (out.length > 0 && this.input.slice(items[i - 1]?.to ?? 0, p.from).includes('=')) continue;
      throw errorAt('a parameter must be a name', this.span(p));
    }
    return out;
  }

  private hint(name: string, type: string, span: Span): void {
    if (SCALAR_HINT.test(type.trim())) this.declare(name, [], span);
    else if (ARRAY_HINT.test(type)) this.arrays.push(name);
  }

  private assignParts(s: Node): { name: Node; value: Node; hint?: Node } {
    const all = parts(s);
    const targets = all.filter((p) => p.name !== 'TypeDef');
    if (targets.length !== 2 || targets[0].name !== 'VariableName')
      throw errorAt('assign one name at a time (z = …)', this.span(s));
    const hint = all.find((p) => p.name === 'TypeDef');
    return { name: targets[0], value: targets[1], ...(hint ? { hint } : {}) };
  }

  /**
   * `z = W @ x + b` is substituted where z is used; `x = np.zeros(n)` declares x a vector of n;
   * outside a function, `x = np.array([1.0, 2.0])` declares x (a value to evaluate at, not a constant).
   */
  private assignment(s: Node): void {
    const { name, value, hint } = this.assignParts(s);
    const n = this.text(name);
    const span = this.span(name);
    if (hint) this.hint(n, this.text(hint).replace(/^:\s*/, ''), span);
    if (this.isConversion(value, n)) return void this.arrays.push(n);
    const shape = this.constructedShape(value);
    if (shape) {
      this.assigned.delete(n);
      return this.declare(n, shape, span);
    }
    const syntax = this.expr(value);
    if (!this.inFunction && !hasNames(syntax)) {
      this.assigned.delete(n);
      const dims = literalShape(syntax);
      if (dims) this.declare(n, dims, span);
      return;
    }
    this.assigned.set(n, syntax);
  }

  /** `x = np.asarray(x, dtype=float)`, `x = torch.as_tensor(x)`: x is an array (as exported code writes). */
  private isConversion(value: Node, name: string): boolean {
    if (value.name !== 'CallExpression') return false;
    const [callee, argList] = parts(value);
    const resolved = this.resolve(callee);
    const fn = resolved?.kind === 'function' ? resolved.path.slice(resolved.path.lastIndexOf('.') + 1) : '';
    if (fn !== 'asarray' && fn !== 'as_tensor' && fn !== 'array' && fn !== 'tensor') return false;
    const [first] = this.args(argList).positional;
    return first?.name === 'VariableName' && this.text(first) === name;
  }

  /** The shape `np.zeros((m, n))`, `torch.randn(m, n)`, `np.random.standard_normal(size=n)` make. */
  private constructedShape(value: Node): (number | string)[] | undefined {
    if (value.name !== 'CallExpression') return undefined;
    const [callee, argList] = parts(value);
    const resolved = this.resolve(callee);
    if (resolved?.kind !== 'function') return undefined;
    const fn = resolved.path.slice(resolved.path.lastIndexOf('.') + 1);
    if (!SHAPED.has(fn)) return undefined;
    const args = this.args(argList);
    const size = args.keywords.get('size') ?? args.keywords.get('shape');
    let dims = size ? [size] : args.positional;
    if (dims.length === 1 && (dims[0].name === 'TupleExpression' || dims[0].name === 'ArrayExpression'))
      dims = parts(dims[0]);
    if (dims.length > 2)
      throw errorAt('arrays of more than two dimensions are not supported', this.span(value));
    return dims.map((d) => {
      const text = this.text(d);
      if (d.name === 'Number' && /^[1-9]\d*$/.test(text)) return Number(text);
      if (d.name === 'VariableName') return text;
      throw errorAt('a size must be a whole number or a name', this.span(d));
    });
  }

  // ------------------------------------------------------------ expressions

  private expr(node: Node): Syntax {
    if (++this.depth > MAX_NESTING_DEPTH * 2)
      throw errorAt(
        `expression is nested too deeply (more than ${MAX_NESTING_DEPTH} levels)`,
        this.span(node),
      );
    try {
      return this.exprNode(node);
    } finally {
      this.depth--;
    }
  }

  private exprNode(node: Node): Syntax {
    const span = this.span(node);
    switch (node.name) {
      case 'Number':
        return this.number(node, span);
      case 'VariableName':
        return this.name(node, span);
      case 'ParenthesizedExpression':
        return this.expr(this.only(node));
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
    }
    throw errorAt(`${UNSUPPORTED[node.name] ?? describeStatement(node.name)} are not supported`, span);
  }

  private number(node: Node, span: Span): Syntax {
    const raw = this.text(node).replace(/_/g, '');
    if (/[jJ]$/.test(raw)) throw errorAt('complex numbers are not supported', span);
    const value = Number(raw);
    if (!Number.isFinite(value)) throw errorAt(`the number ${raw} is out of range`, span);
    // Hex, octal and binary literals are shown as the decimal number they denote.
    const text = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? raw : String(value);
    return { type: 'number', value, text, span };
  }

  private name(node: Node, span: Span): Syntax {
    const name = this.text(node);
    const value = this.assigned.get(name);
    if (value) {
      this.substituted += this.size(value);
      if (this.substituted > MAX_SUBSTITUTED_SIZE)
        throw errorAt(
          `the assignments substituted make an expression of more than ${MAX_SUBSTITUTED_SIZE} terms`,
          span,
        );
      return value;
    }
    if (this.aliases.has(name) || this.imported.has(name))
      throw errorAt(`${name} is a ${this.aliases.has(name) ? 'module' : 'function'}, not a value`, span);
    return { type: 'ident', name, style: 'plain', span };
  }

  /** Nodes in a tree whose subtrees may be shared (substituted assignments), each shared one counted per use. */
  private size(s: Syntax): number {
    const known = this.sizes.get(s);
    if (known !== undefined) return known;
    let n = 1;
    forEachChild(s, (c) => (n += this.size(c)));
    this.sizes.set(s, n);
    return n;
  }

  private unary(node: Node, span: Span): Syntax {
    const [op, arg] = parts(node);
    const text = this.text(op);
    if (text === '-') return { type: 'neg', arg: this.expr(arg), span };
    if (text === '+') return this.expr(arg);
    if (text === 'not') throw errorAt('logical operators (not) are not supported', span);
    throw errorAt(`bitwise operators (${text}) are not supported`, span);
  }

  /** A left-deep chain (x + x + … thousands long) is read in a loop; so is a right-deep power tower. */
  private binary(node: Node): Syntax {
    const spine: { node: Node; op: Syntax & { type: 'binary' } extends { op: infer O } ? O : never }[] = [];
    let leftmost = node;
    while (leftmost.name === 'BinaryExpression') {
      const [left, opNode] = parts(leftmost);
      const op = this.operator(opNode);
      if (op === '.^') break;
      spine.push({ node: leftmost, op });
      leftmost = left;
    }
    let acc = leftmost.name === 'BinaryExpression' ? this.power(leftmost) : this.expr(leftmost);
    for (let i = spine.length - 1; i >= 0; i--) {
      const right = this.expr(parts(spine[i].node)[2]);
      const op = spine[i].op;
      // x[i] @ w: the element of a generator sum is a vector, row i of x.
      const operand = (s: Syntax) =>
        op === '@' && s.type === 'ident' && s.element ? { ...s, element: 'row' as const } : s;
      acc = { type: 'binary', op, left: operand(acc), right: operand(right), span: this.span(spine[i].node) };
    }
    return acc;
  }

  /** `a ** b ** c` is `a ** (b ** c)`: built from the innermost exponent out. */
  private power(node: Node): Syntax {
    const chain: Node[] = [];
    let r = node;
    while (r.name === 'BinaryExpression' && this.operator(parts(r)[1]) === '.^') {
      chain.push(r);
      r = parts(r)[2];
    }
    let exp = this.expr(r);
    for (let k = chain.length - 1; k >= 0; k--) {
      const left = this.expr(parts(chain[k])[0]);
      exp = { type: 'binary', op: '.^', left, right: exp, span: this.span(chain[k]) };
    }
    return exp;
  }

  private operator(opNode: Node): '+' | '-' | '/' | '@' | '.*' | '.^' {
    const op = this.text(opNode);
    const at = this.span(opNode);
    switch (op) {
      case '+':
      case '-':
      case '/':
      case '@':
        return op;
      case '*':
        return '.*';
      case '**':
        return '.^';
      case '//':
        throw errorAt('floor division (//) is not supported', at);
      case '%':
        throw errorAt('the remainder operator (%) is not supported', at);
      case '^':
        throw errorAt('bitwise operators (^) are not supported; write x ** 2 for a power', at);
      case 'and':
      case 'or':
        throw errorAt(`logical operators (${op}) are not supported`, at);
    }
    if (op === '&' || op === '|' || op === '<<' || op === '>>')
      throw errorAt(`bitwise operators (${op}) are not supported`, at);
    throw errorAt(`comparisons (${op}) are not supported`, at);
  }

  private args(list: Node | undefined): Args {
    const positional: Node[] = [];
    const keywords = new Map<string, Node>();
    if (!list) return { positional, keywords, span: { start: 0, end: 0 } };
    const items = parts(list);
    for (let i = 0; i < items.length; i++) {
      const a = items[i];
      const next = items[i + 1];
      if (a.name === 'VariableName' && next && this.input.slice(a.to, next.from).includes('=')) {
        keywords.set(this.text(a), next);
        i++;
      } else if (a.name === '*' || a.name === '**' || a.name === 'ArithOp') {
        throw errorAt('unpacked arguments (*args) are not supported', this.span(a));
      } else {
        if (keywords.size > 0)
          throw errorAt('a positional argument follows a keyword argument', this.span(a));
        positional.push(a);
      }
    }
    return { positional, keywords, span: this.span(list) };
  }

  /** What a name or dotted name refers to, if it is a module or a function of one. */
  private resolve(node: Node | undefined): Resolved | undefined {
    if (!node) return undefined;
    if (node.name === 'VariableName') {
      const name = this.text(node);
      if (this.assigned.has(name)) return undefined;
      const module = this.aliases.get(name);
      if (module) return { kind: 'module', path: module };
      const fn = this.imported.get(name);
      return fn ? { kind: 'function', path: fn } : undefined;
    }
    if (node.name !== 'MemberExpression') return undefined;
    const [object, property] = parts(node);
    if (property?.name !== 'PropertyName') return undefined;
    const base = this.resolve(object);
    if (base?.kind !== 'module') return undefined;
    const path = `${base.path}.${this.text(property)}`;
    return { kind: MODULES.has(path) ? 'module' : 'function', path };
  }

  private call(node: Node, span: Span): Syntax {
    const [callee, argList] = parts(node);
    const resolved = this.resolve(callee);
    if (resolved?.kind === 'function') return this.function(resolved.path, this.args(argList), span);
    if (resolved?.kind === 'module') throw errorAt(`${this.text(callee)} is a module, not a function`, span);
    if (callee.name === 'VariableName') {
      const name = this.text(callee);
      if (
        name === 'sum' &&
        !this.assigned.has(name) &&
        argList &&
        parts(argList).some((p) => p.name === 'for')
      )
        return this.generatorSum(argList, span);
      if (BUILTINS.has(name) && !this.assigned.has(name)) return this.builtin(name, this.args(argList), span);
      const hint = ELEMENTWISE_NAMES.has(name) || STRUCTURAL.has(name) ? ` (did you mean np.${name}?)` : '';
      throw errorAt(`call to unknown function ${name}${hint}`, span);
    }
    if (callee.name === 'MemberExpression') {
      const [object, property] = parts(callee);
      if (property?.name === 'PropertyName') {
        // x.sum(), W.t(), x.dot(y), z.exp(): a method is the function of its receiver.
        const args = this.args(argList);
        return this.method(this.text(property), { ...args, positional: [object, ...args.positional] }, span);
      }
    }
    throw errorAt(`call to unknown function ${this.text(callee)}`, span);
  }

  /**
   * `sum(w[i] * x[i] for i in range(n))`: the sum over an index of the LaTeX reader, `x[i]` an
   * entry of x (or, used as a vector, its i-th row: NumPy keeps samples in rows).
   */
  private generatorSum(list: Node, span: Span): Syntax {
    const items = parts(list);
    const [body, forKeyword, index, inKeyword, range, ...rest] = items;
    const form = 'a generator sum must be sum(… for i in range(n))';
    if (
      forKeyword?.name !== 'for' ||
      index?.name !== 'VariableName' ||
      inKeyword?.name !== 'in' ||
      range?.name !== 'CallExpression' ||
      rest.length > 0
    )
      throw errorAt(form, span);
    const [rangeName, rangeArgs] = parts(range);
    const bounds = rangeArgs ? this.args(rangeArgs).positional : [];
    if (this.text(rangeName) !== 'range' || bounds.length !== 1) throw errorAt(form, this.span(range));
    if (this.loopIndex !== undefined) throw errorAt('nested sums are not supported', span);
    this.loopIndex = this.text(index);
    try {
      return { type: 'sum', index: this.loopIndex, to: this.expr(bounds[0]), body: this.expr(body), span };
    } finally {
      this.loopIndex = undefined;
    }
  }

  private builtin(name: string, args: Args, span: Span): Syntax {
    const values = this.positional(args, name, 1, name === 'max' || name === 'min' ? Infinity : 2);
    switch (name) {
      case 'abs':
        return callOf('abs', this.exactly(values, 1, name, span), span);
      case 'pow':
        this.exactly(values, 2, name, span);
        return { type: 'binary', op: '.^', left: values[0], right: values[1], span };
      case 'sum':
        return callOf('sum', this.exactly(values, 1, name, span), span);
      default:
        if (values.length < 2)
          throw errorAt(`${name} of one array is not supported; write np.${name}imum(a, b)`, span);
        return callOf(name, values, span);
    }
  }

  private method(name: string, args: Args, span: Span): Syntax {
    if (name === 't' || name === 'transpose') {
      const [x] = this.positional(args, name, 1, 1);
      return { type: 'transpose', arg: x, span, array: true };
    }
    if (ELEMENTWISE_NAMES.has(name) || STRUCTURAL.has(name)) return this.named(name, args, span);
    throw errorAt(`the method .${name}() is not supported`, span);
  }

  private function(path: string, args: Args, span: Span): Syntax {
    const dot = path.lastIndexOf('.');
    const module = path.slice(0, dot);
    const name = path.slice(dot + 1);
    if (!MODULES.has(module)) throw errorAt(`call to unknown function ${path}`, span);
    this.libraries.add(libraryOf(module));
    if (ARRAY_CONSTRUCTORS.has(name)) {
      const [literal] = this.positional(args, name, 1, 1);
      if (literal.type !== 'matrix') throw errorAt(`${name} needs a list of numbers here`, span);
      return literal;
    }
    if (name === 'transpose') {
      const [x] = this.positional(args, name, 1, 1);
      return { type: 'transpose', arg: x, span, array: true };
    }
    if (ELEMENTWISE_NAMES.has(name) || STRUCTURAL.has(name)) return this.named(name, args, span);
    throw errorAt(`${path} is not supported`, span);
  }

  /** A function of the vocabulary, called as `np.name(…)` or as a method `x.name(…)`. */
  private named(name: string, args: Args, span: Span): Syntax {
    const canonical = ELEMENTWISE_NAMES.get(name);
    if (canonical) {
      this.noKeywords(args, name);
      return callOf(canonical, this.exactly(this.positional(args, name, 1, 1), 1, name, span), span);
    }
    return STRUCTURAL.get(name)!(this, args, span, name);
  }

  // Helpers the structural functions use.

  /** The positional arguments, read, between `min` and `max` of them. */
  positional(args: Args, name: string, min: number, max: number): Syntax[] {
    if (args.positional.length < min || args.positional.length > max) {
      const count = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw errorAt(
        `${name} takes ${count} argument${count === '1' ? '' : 's'}, got ${args.positional.length}`,
        args.span,
      );
    }
    return args.positional.map((a) => this.expr(a));
  }

  exactly(values: Syntax[], n: number, name: string, span: Span): Syntax[] {
    if (values.length !== n)
      throw errorAt(`${name} takes ${n} argument${n === 1 ? '' : 's'}, got ${values.length}`, span);
    return values;
  }

  noKeywords(args: Args, name: string, allowed: readonly string[] = []): void {
    for (const [k, v] of args.keywords)
      if (!allowed.includes(k)) throw errorAt(`${name}(…, ${k}=…) is not supported`, this.span(v));
  }

  /** An integer argument (an axis), or undefined when it is not written. */
  integer(node: Node | undefined): number | undefined {
    if (!node) return undefined;
    const text = this.text(node).replace(/\s/g, '');
    if (!/^-?\d+$/.test(text)) throw errorAt('an axis must be a whole number', this.span(node));
    return Number(text);
  }

  /** A string argument's text (`reduction='sum'`). */
  string(node: Node): string {
    const m = /^(['"])(\w*)\1$/.exec(this.text(node));
    if (!m) throw errorAt("expected a string such as 'sum'", this.span(node));
    return m[2];
  }

  private member(node: Node, span: Span): Syntax {
    const resolved = this.resolve(node);
    const [object, property] = parts(node);
    if (resolved) {
      const name = resolved.path.slice(resolved.path.lastIndexOf('.') + 1);
      if (resolved.kind === 'function' && (name === 'pi' || name === 'e')) {
        this.libraries.add(libraryOf(resolved.path.slice(0, resolved.path.lastIndexOf('.'))));
        return { type: 'ident', name, style: 'plain', span };
      }
      throw errorAt(
        resolved.kind === 'module'
          ? `${this.text(node)} is a module, not a value`
          : `${this.text(node)} must be called`,
        span,
      );
    }
    if (property?.name !== 'PropertyName') {
      // x[i] by the index of a generator sum: its entry (or row) i, as x_i is under \sum_i.
      if (
        this.loopIndex !== undefined &&
        object.name === 'VariableName' &&
        property?.name === 'VariableName' &&
        this.text(property) === this.loopIndex &&
        !this.assigned.has(this.text(object))
      )
        return {
          type: 'ident',
          name: `${this.text(object)}_${this.loopIndex}`,
          style: 'plain',
          span,
          // X[i] of a matrix (an upper-case name, as a matrix is written) is its row i.
          element: /^[A-Z]/.test(this.text(object)) ? 'row' : 'entry',
        };
      throw errorAt('indexing (x[i]) is not supported outside sum(… for i in range(n))', span);
    }
    const attribute = this.text(property);
    if (attribute === 'T' || attribute === 'mT')
      return { type: 'transpose', arg: this.expr(object), span, array: true };
    throw errorAt(`property access (${this.text(node)}) is not supported`, span);
  }

  /** `[a, b]` is a vector, `[[a, b], [c, d]]` a matrix given by rows. */
  private array(node: Node, span: Span): Syntax {
    const elements = parts(node);
    if (elements.length === 0) throw errorAt('empty arrays are not supported', span);
    const nested = elements.map((e) => e.name === 'ArrayExpression');
    if (!nested.some(Boolean)) return { type: 'matrix', rows: elements.map((e) => [this.expr(e)]), span };
    const mixed = nested.indexOf(false);
    if (mixed >= 0) throw errorAt('an array mixes rows ([…]) and single entries', this.span(elements[mixed]));
    let width = -1;
    const rows = elements.map((row) => {
      const cells = parts(row).map((c) => {
        if (c.name === 'ArrayExpression')
          throw errorAt('arrays nested more than two levels are not supported', this.span(c));
        return this.expr(c);
      });
      if (width >= 0 && cells.length !== width)
        throw errorAt(`matrix rows differ in length (${width} and ${cells.length} entries)`, this.span(row));
      width = cells.length;
      return cells;
    });
    if (width === 0) throw errorAt('empty arrays are not supported', span);
    return { type: 'matrix', rows, span };
  }

  span(node: Node): Span {
    return { start: node.from, end: node.to };
  }

  private text(node: Node): string {
    return this.input.slice(node.from, node.to);
  }
}

type Structural = (r: Reader, args: Args, span: Span, name: string) => Syntax;

/** One argument, no keywords: the core's function of that name. */
const unary =
  (fn: string): Structural =>
  (r, args, span, name) => {
    r.noKeywords(args, name);
    return callOf(fn, r.positional(args, name, 1, 1), span);
  };

/** Two arguments, no keywords. */
const binaryCall =
  (make: (a: Syntax, b: Syntax, span: Span) => Syntax): Structural =>
  (r, args, span, name) => {
    r.noKeywords(args, name);
    const [a, b] = r.positional(args, name, 2, 2);
    return make(a, b, span);
  };

/**
 * softmax, log_softmax, logsumexp over an axis (`dim=`, `axis=`, or the second argument): axis 0 is the
 * core's (down each column of a matrix); the last axis is the same function of the transpose, transposed
 * back (for a vector, which NumPy's .T leaves alone, both are the function itself).
 */
const alongAxis =
  (fn: string): Structural =>
  (r, args, span, name) => {
    r.noKeywords(args, name, ['dim', 'axis']);
    const [x, axisArg] = r.positional(args, name, 1, 2) as [Syntax, Syntax?];
    const axis = r.integer(
      args.keywords.get('dim') ?? args.keywords.get('axis') ?? (axisArg && args.positional[1]),
    );
    if (axis === undefined || axis === 0) return callOf(fn, [x], span);
    if (axis !== 1 && axis !== -1) throw errorAt(`${name} over axis ${axis} is not supported`, span);
    const t = (arg: Syntax): Syntax => ({ type: 'transpose', arg, span, array: true });
    return fn === 'logsumexp' ? callOf(fn, [t(x)], span) : t(callOf(fn, [t(x)], span));
  };

/** Functions beyond the element-wise ones, by their Python names. */
const STRUCTURAL: ReadonlyMap<string, Structural> = new Map<string, Structural>([
  ['sum', unary('sum')],
  ['mean', unary('mean')],
  ['trace', unary('tr')],
  ['diag', unary('diag')],
  ['det', unary('det')],
  ['logdet', unary('logdet')],
  ['inv', unary('inv')],
  ['inverse', unary('inv')],
  ['dot', binaryCall((left, right, span) => ({ type: 'binary', op: '@', left, right, span }))],
  ['matmul', binaryCall((left, right, span) => ({ type: 'binary', op: '@', left, right, span }))],
  ['inner', binaryCall((left, right, span) => ({ type: 'binary', op: '@', left, right, span }))],
  ['outer', binaryCall((a, b, span) => callOf('outer', [a, b], span))],
  ['multiply', binaryCall((left, right, span) => ({ type: 'binary', op: '.*', left, right, span }))],
  ['divide', binaryCall((left, right, span) => ({ type: 'binary', op: '/', left, right, span }))],
  ['add', binaryCall((left, right, span) => ({ type: 'binary', op: '+', left, right, span }))],
  ['subtract', binaryCall((left, right, span) => ({ type: 'binary', op: '-', left, right, span }))],
  ['power', binaryCall((left, right, span) => ({ type: 'binary', op: '.^', left, right, span }))],
  ['pow', binaryCall((left, right, span) => ({ type: 'binary', op: '.^', left, right, span }))],
  ['maximum', binaryCall((a, b, span) => callOf('max', [a, b], span))],
  ['minimum', binaryCall((a, b, span) => callOf('min', [a, b], span))],
  ['arctan2', binaryCall((a, b, span) => callOf('atan2', [a, b], span))],
  ['atan2', binaryCall((a, b, span) => callOf('atan2', [a, b], span))],
  ['hypot', binaryCall((a, b, span) => callOf('hypot', [a, b], span))],
  [
    'square',
    (r, args, span, name) => {
      r.noKeywords(args, name);
      const [x] = r.positional(args, name, 1, 1);
      return { type: 'binary', op: '.^', left: x, right: numberOf(2, span), span };
    },
  ],
  [
    'expm1',
    (r, args, span, name) => {
      r.noKeywords(args, name);
      const [x] = r.positional(args, name, 1, 1);
      return { type: 'binary', op: '-', left: callOf('exp', [x], span), right: numberOf(1, span), span };
    },
  ],
  [
    'softplus',
    (r, args, span, name) => {
      r.noKeywords(args, name);
      const [x] = r.positional(args, name, 1, 1);
      const onePlus: Syntax = {
        type: 'binary',
        op: '+',
        left: numberOf(1, span),
        right: callOf('exp', [x], span),
        span,
      };
      return callOf('ln', [onePlus], span);
    },
  ],
  ['softmax', alongAxis('softmax')],
  ['log_softmax', alongAxis('logsoftmax')],
  ['logsumexp', alongAxis('logsumexp')],
  [
    'norm',
    (r, args, span, name) => {
      r.noKeywords(args, name, ['ord', 'p']);
      const [x, ordArg] = r.positional(args, name, 1, 2) as [Syntax, Syntax?];
      const ord = args.keywords.get('ord') ?? args.keywords.get('p') ?? (ordArg && args.positional[1]);
      const text = ord ? r.span(ord) : undefined;
      const written = ord && text ? (ord.name === 'String' ? r.string(ord) : String(r.integer(ord))) : 'fro';
      // NumPy's default is the 2-norm of a vector and the Frobenius norm of a matrix: the core's 'F'.
      const p = written === 'fro' || written === '2' ? 'F' : written === '1' ? 1 : undefined;
      if (p === undefined) throw errorAt(`the norm ord=${written} is not supported`, span);
      return { type: 'norm', arg: x, p, span };
    },
  ],
  // With class probabilities y (one-hot or soft labels): −Σ y ⊙ log softmax(z).
  [
    'cross_entropy',
    (r, args, span, name) => {
      r.noKeywords(args, name);
      const [z, y] = r.positional(args, name, 2, 2);
      // ⊙ (not NumPy's *): the labels are a vector as the scores are.
      const terms: Syntax = {
        type: 'binary',
        op: 'odot',
        left: y,
        right: callOf('logsoftmax', [z], span),
        span,
      };
      return { type: 'neg', arg: callOf('sum', [terms], span), span };
    },
  ],
  [
    'mse_loss',
    (r, args, span, name) => {
      r.noKeywords(args, name, ['reduction']);
      const [a, b] = r.positional(args, name, 2, 2);
      const reduction = args.keywords.get('reduction');
      const how = reduction ? r.string(reduction) : 'mean';
      if (how !== 'mean' && how !== 'sum')
        throw errorAt(`mse_loss(…, reduction='${how}') is not supported`, span);
      const diff: Syntax = { type: 'binary', op: '-', left: a, right: b, span };
      return callOf(how, [{ type: 'binary', op: '.^', left: diff, right: numberOf(2, span), span }], span);
    },
  ],
]);

function libraryOf(module: string): PythonLibrary {
  return module.startsWith('torch') ? 'torch' : module.startsWith('jax') ? 'jax' : 'numpy';
}

/** Whether a tree names anything (a variable), beyond the constants π and e. */
function hasNames(s: Syntax): boolean {
  if (s.type === 'ident') return s.name !== 'pi' && s.name !== 'e';
  let found = false;
  forEachChild(s, (c) => (found ||= hasNames(c)));
  return found;
}

/** The shape of a literal: [] for a number, [n] for a list, [m, n] for a list of rows; else not known here. */
function literalShape(s: Syntax): number[] | undefined {
  if (s.type === 'matrix')
    return s.rows[0].length === 1 ? [s.rows.length] : [s.rows.length, s.rows[0].length];
  if (s.type === 'neg') return literalShape(s.arg);
  return s.type === 'number' ? [] : undefined;
}

/** `WhileStatement` → `while statements`. */
function describeStatement(type: string): string {
  return `${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}s`;
}
