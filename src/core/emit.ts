/**
 * Code export: the derivative as a TypeScript function over plain arrays
 * (`number[]` for vectors, `number[][]` for matrices, row-major) or as a
 * NumPy function. Shapes are known statically, so each operation is emitted
 * as the right primitive (dot, outer, matrix–vector, element-wise zip) and
 * only the helpers the result needs are included. Subexpressions that occur
 * more than once (softmax(x) in diag(s) − ssᵀ) are computed once.
 */
import type { EmitLanguage, Operation } from './api';
import type { Derivation } from './derivation';
import { LensError } from './errors';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS, elementwise, type Spelling } from './functions';
import {
  type Condition,
  type Dim,
  type Expr,
  type Shape,
  SCALAR,
  children,
  cols,
  key,
  resolveDim,
  rows,
  shapeOf,
} from './expr';
import { toText } from './print';
import { isElementwise, isNum, neg, numValue } from './simplify';
import { nameTable } from './table';

/** Precedence of emitted code, the same in TypeScript and Python for what is emitted here. */
const enum Prec {
  Choice = 1,
  Compare = 3,
  Sum = 4,
  Product = 5,
  Negative = 6,
  Power = 7,
  Atom = 9,
}

interface Code {
  readonly text: string;
  readonly prec: Prec;
}

const atom = (text: string): Code => ({ text, prec: Prec.Atom });
const code = (text: string, prec: Prec): Code => ({ text, prec });
/** `c` as an operand that must bind at least as tightly as `min`. */
const operand = (c: Code, min: Prec = Prec.Atom) => (c.prec < min ? `(${c.text})` : c.text);

type BinaryOp = '+' | '-' | '*' | '**' | 'max' | 'min' | 'atan2';

/** Operator precedence and the minimum precedence of the left and right operands. */
const OPERATOR: Record<'+' | '-' | '*' | '**', [Prec, Prec, Prec]> = {
  '+': [Prec.Sum, Prec.Sum, Prec.Product],
  '-': [Prec.Sum, Prec.Sum, Prec.Product],
  '*': [Prec.Product, Prec.Product, Prec.Negative],
  '**': [Prec.Power, Prec.Atom, Prec.Atom],
};

function infix(op: '+' | '-' | '*' | '**', a: Code, b: Code): Code {
  const [prec, left, right] = OPERATOR[op];
  return code(`${operand(a, left)} ${op} ${operand(b, right)}`, prec);
}

/** What differs between the two targets. */
interface Target {
  readonly comment: string;
  reserved: ReadonlySet<string>;
  number(v: number): string;
  constant(name: 'pi' | 'e'): string;
  /** Size of a dimension read from a parameter: `x.length` or `x.shape[0]`. */
  size(param: string, axis: 0 | 1): string;
  special(name: 'identity' | 'ones' | 'zero', shape: Shape, size: (d: Dim) => string): Code;
  unary(name: string, arg: Code, shape: Shape): Code;
  binary(op: BinaryOp, a: Code, b: Code, shape: Shape): Code;
  negate(a: Code, shape: Shape): Code;
  matmul(a: Code, as: Shape, b: Code, bs: Shape): Code;
  transpose(a: Code, shape: Shape): Code;
  call(name: string, args: Code[], argShapes: Shape[]): Code;
  block(rows: string[][], shape: Shape): Code;
  condition(lhs: Code, op: Condition['op'], rhs: Code, scalar: boolean): string;
  choose(cases: { when: string; value: Code }[]): Code;
  function(
    name: string,
    params: { name: string; shape: Shape }[],
    locals: [string, string][],
    result: string,
    returns: Shape[],
  ): string;
}

// ---------------------------------------------------------------- TypeScript

const TS_HELPERS: Record<string, string> = nameTable({
  // sigmoid … : the element-wise functions' own helpers (functions.ts)
  ...Object.fromEntries(
    ELEMENTWISE_FUNCTIONS.flatMap((f) => {
      const h = ELEMENTWISE[f].ts.helper;
      return h ? [[h.name, h.source]] : [];
    }),
  ),
  vzip: `function vzip(a: number | number[], b: number | number[], f: (p: number, q: number) => number): number[] {
  const n = typeof a === 'number' ? (b as number[]).length : a.length;
  return Array.from({ length: n }, (_, i) => f(typeof a === 'number' ? a : a[i], typeof b === 'number' ? b : b[i]));
}`,
  mzip: `function mzip(a: number | number[][], b: number | number[][], f: (p: number, q: number) => number): number[][] {
  const m = typeof a === 'number' ? (b as number[][]) : a;
  return m.map((row, i) => row.map((_, j) => f(typeof a === 'number' ? a : a[i][j], typeof b === 'number' ? b : b[i][j])));
}`,
  vmap: `function vmap(a: number[], f: (p: number) => number): number[] {
  return a.map((p) => f(p));
}`,
  mmap: `function mmap(a: number[][], f: (p: number) => number): number[][] {
  return a.map((row) => row.map((p) => f(p)));
}`,
  dot: `function dot(a: number[], b: number[]): number {
  return a.reduce((s, p, i) => s + p * b[i], 0);
}`,
  outer: `function outer(a: number[], b: number[]): number[][] {
  return a.map((p) => b.map((q) => p * q));
}`,
  matvec: `function matvec(a: number[][], x: number[]): number[] {
  return a.map((row) => row.reduce((s, p, j) => s + p * x[j], 0));
}`,
  vecmat: `function vecmat(x: number[], a: number[][]): number[] {
  return a[0].map((_, j) => x.reduce((s, p, i) => s + p * a[i][j], 0));
}`,
  matmul: `function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, p, k) => s + p * b[k][j], 0)));
}`,
  transpose: `function transpose(a: number[][]): number[][] {
  return a[0].map((_, j) => a.map((row) => row[j]));
}`,
  vsum: `function vsum(a: number[]): number {
  return a.reduce((s, p) => s + p, 0);
}`,
  msum: `function msum(a: number[][]): number {
  return a.reduce((s, row) => s + row.reduce((t, p) => t + p, 0), 0);
}`,
  logsumexp: `function logsumexp(a: number[]): number {
  const top = Math.max(...a);
  return top + Math.log(a.reduce((s, p) => s + Math.exp(p - top), 0));
}`,
  softmax: `function softmax(a: number[]): number[] {
  const top = Math.max(...a);
  const e = a.map((p) => Math.exp(p - top));
  const total = e.reduce((s, p) => s + p, 0);
  return e.map((p) => p / total);
}`,
  fill: `function fill(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}`,
  fill2: `function fill2(m: number, n: number, value: number): number[][] {
  return Array.from({ length: m }, () => new Array<number>(n).fill(value));
}`,
  eye: `function eye(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}`,
  diag: `function diag(a: number[]): number[][] {
  return a.map((p, i) => a.map((_, j) => (i === j ? p : 0)));
}`,
  diagvec: `function diagvec(a: number[][]): number[] {
  return a.map((row, i) => row[i]);
}`,
  kron: `function kron(a: number[][], b: number[][]): number[][] {
  return a.flatMap((ar) => b.map((br) => ar.flatMap((p) => br.map((q) => p * q))));
}`,
  trace: `function trace(a: number[][]): number {
  return a.reduce((s, row, i) => s + row[i], 0);
}`,
  inverseAndDet: `/** Gauss–Jordan elimination with partial pivoting. */
function inverseAndDet(a: number[][]): { inv: number[][]; det: number } {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (m[p][c] === 0) return { inv: a.map((row) => row.map(() => NaN)), det: 0 };
    if (p !== c) [m[p], m[c], det] = [m[c], m[p], -det];
    const pivot = m[c][c];
    det *= pivot;
    m[c] = m[c].map((q) => q / pivot);
    for (let r = 0; r < n; r++) if (r !== c) m[r] = m[r].map((q, j) => q - m[r][c] * m[c][j]);
  }
  return { inv: m.map((row) => row.slice(n)), det };
}`,
});

/** How a target writes an element-wise function of `p` (functions.ts), or the real cube root that odd roots use. */
function spelling(name: string, language: EmitLanguage): Spelling {
  if (name === 'cbrt') return { code: (p) => `${language === 'ts' ? 'Math' : 'np'}.cbrt(${p})` };
  const phi = elementwise(name);
  if (!phi) throw new Error(`no element-wise function ${name}`);
  return language === 'ts' ? phi.ts : phi.numpy;
}

/** Precedence of a spelling written as an operator expression rather than a call. */
const LOOSE: Record<NonNullable<Spelling['loose']>, Prec> = { product: Prec.Product, choice: Prec.Choice };

/** The function of a scalar operand, bracketed as its spelling needs. */
function applyScalar(s: Spelling, arg: Code): Code {
  return s.loose ? code(s.code(operand(arg)), LOOSE[s.loose]) : atom(s.code(arg.text));
}

const TS_CALL: Record<'max' | 'min' | 'atan2', string> = {
  max: 'Math.max',
  min: 'Math.min',
  atan2: 'Math.atan2',
};

function isCall(op: BinaryOp): op is 'max' | 'min' | 'atan2' {
  return op === 'max' || op === 'min' || op === 'atan2';
}

function tsType(s: Shape): string {
  return s.kind === 'scalar' ? 'number' : s.kind === 'matrix' ? 'number[][]' : 'number[]';
}

function typescript(use: (helper: string) => void): Target {
  const zip = (shape: Shape) => {
    const h = shape.kind === 'matrix' ? 'mzip' : 'vzip';
    use(h);
    return h;
  };
  return {
    comment: '//',
    reserved: new Set([
      'in',
      'of',
      'do',
      'if',
      'for',
      'let',
      'new',
      'var',
      'case',
      'this',
      'void',
      'with',
      'enum',
      'Math',
    ]),
    number: (v) => String(v),
    constant: (name) => (name === 'pi' ? 'Math.PI' : 'Math.E'),
    size: (param, axis) => (axis === 0 ? `${param}.length` : `${param}[0].length`),
    special: (name, shape, size) => {
      if (shape.kind === 'scalar') return atom(name === 'zero' ? '0' : '1');
      if (name === 'identity') {
        use('eye');
        return atom(`eye(${size(rows(shape))})`);
      }
      const value = name === 'zero' ? 0 : 1;
      use(shape.kind === 'matrix' ? 'fill2' : 'fill');
      return atom(
        shape.kind === 'matrix'
          ? `fill2(${size(shape.m)}, ${size(shape.n)}, ${value})`
          : `fill(${size(shape.n)}, ${value})`,
      );
    },
    unary: (name, arg, shape) => {
      const s = spelling(name, 'ts');
      if (s.helper) use(s.helper.name);
      if (shape.kind === 'scalar') return applyScalar(s, arg);
      const h = shape.kind === 'matrix' ? 'mmap' : 'vmap';
      use(h);
      return atom(`${h}(${arg.text}, (p) => ${s.code('p')})`);
    },
    binary: (op, a, b, shape) => {
      const scalar = (p: Code, q: Code) =>
        isCall(op) ? atom(`${TS_CALL[op]}(${p.text}, ${q.text})`) : infix(op, p, q);
      if (shape.kind === 'scalar') return scalar(a, b);
      return atom(`${zip(shape)}(${a.text}, ${b.text}, (p, q) => ${scalar(atom('p'), atom('q')).text})`);
    },
    negate: (a, shape) => {
      if (shape.kind === 'scalar') return code(`-${operand(a)}`, Prec.Negative);
      const h = shape.kind === 'matrix' ? 'mmap' : 'vmap';
      use(h);
      return atom(`${h}(${a.text}, (p) => -p)`);
    },
    matmul: (a, as, b, bs) => {
      const h =
        as.kind === 'row' && bs.kind === 'vector'
          ? 'dot'
          : as.kind === 'vector' && bs.kind === 'row'
            ? 'outer'
            : as.kind === 'matrix' && bs.kind === 'vector'
              ? 'matvec'
              : as.kind === 'row' && bs.kind === 'matrix'
                ? 'vecmat'
                : 'matmul';
      use(h);
      return atom(`${h}(${a.text}, ${b.text})`);
    },
    transpose: (a, shape) => {
      if (shape.kind !== 'matrix') return a;
      use('transpose');
      return atom(`transpose(${a.text})`);
    },
    call: (name, args, shapes) => {
      const a = args[0].text;
      const sumOf = (s: Shape) => (s.kind === 'matrix' ? 'msum' : 'vsum');
      // Kronecker factors may be vectors: lift them to one-row or one-column matrices.
      const asMatrix = (text: string, s: Shape) =>
        s.kind === 'row' ? `[${text}]` : s.kind === 'vector' ? `${text}.map((p) => [p])` : text;
      switch (name) {
        case 'kron':
          use('kron');
          return atom(`kron(${asMatrix(a, shapes[0])}, ${asMatrix(args[1].text, shapes[1])})`);
        case 'sum':
          use(sumOf(shapes[0]));
          return atom(`${sumOf(shapes[0])}(${a})`);
        case 'softmax':
        case 'logsumexp':
        case 'diag':
        case 'diagvec':
          use(name);
          return atom(`${name}(${a})`);
        case 'logsoftmax':
          use('logsumexp');
          use('vzip');
          return atom(`vzip(${a}, logsumexp(${a}), (p, q) => p - q)`);
        case 'norm2':
        case 'normF':
          use(name === 'norm2' ? 'vsum' : 'msum');
          use(name === 'norm2' ? 'vmap' : 'mmap');
          return atom(`Math.sqrt(${name === 'norm2' ? 'vsum(vmap' : 'msum(mmap'}(${a}, (p) => p * p)))`);
        case 'norm1':
          use('vsum');
          use('vmap');
          return atom(`vsum(vmap(${a}, Math.abs))`);
        case 'tr':
          use('trace');
          return atom(`trace(${a})`);
        case 'det':
        case 'logdet':
        case 'inverse':
          use('inverseAndDet');
          return atom(
            name === 'inverse'
              ? `inverseAndDet(${a}).inv`
              : name === 'det'
                ? `inverseAndDet(${a}).det`
                : `Math.log(inverseAndDet(${a}).det)`,
          );
      }
      throw new LensError(`cannot export ${name} as code`);
    },
    block: (cells, shape) =>
      atom(
        shape.kind === 'matrix'
          ? `[${cells.map((r) => `[${r.join(', ')}]`).join(', ')}]`
          : `[${cells.flat().join(', ')}]`,
      ),
    condition: (lhs, op, rhs, scalar) => {
      const js = op === '!=' ? '!==' : op;
      if (scalar) return `${operand(lhs, Prec.Sum)} ${js} ${operand(rhs, Prec.Sum)}`;
      // As the core evaluates a condition on tensors: the sum of lhs − rhs against 0.
      use('vzip');
      use('vsum');
      return `vsum(vzip(${lhs.text}, ${rhs.text}, (p, q) => p - q)) ${js} 0`;
    },
    choose: (cases) =>
      code(
        cases
          .map((c, i) =>
            i === cases.length - 1 ? c.value.text : `${c.when} ? ${operand(c.value, Prec.Compare)} : `,
          )
          .join(''),
        Prec.Choice,
      ),
    function: (name, params, locals, result, returns) => {
      const signature = `function ${name}(${params.map((p) => `${p.name}: ${tsType(p.shape)}`).join(', ')}): ${
        returns.length === 1 ? tsType(returns[0]) : `[${returns.map(tsType).join(', ')}]`
      }`;
      const body = [...locals.map(([n, c]) => `  const ${n} = ${c};`), `  return ${result};`];
      return `export ${signature} {\n${body.join('\n')}\n}`;
    },
  };
}

// ---------------------------------------------------------------- NumPy

const NP_HELPERS: Record<string, string> = nameTable({
  logsumexp: `def _logsumexp(a):
    top = np.max(a)
    return top + np.log(np.sum(np.exp(a - top)))`,
  softmax: `def _softmax(a):
    e = np.exp(a - np.max(a))
    return e / np.sum(e)`,
});

function numpy(use: (helper: string) => void): Target {
  return {
    comment: '#',
    reserved: new Set([
      'in',
      'is',
      'if',
      'or',
      'and',
      'not',
      'def',
      'for',
      'del',
      'try',
      'with',
      'pass',
      'else',
      'from',
      'None',
      'True',
      'False',
      'lambda',
      'global',
      'import',
      'return',
      'yield',
      'np',
    ]),
    number: (v) => String(v),
    constant: (name) => (name === 'pi' ? 'np.pi' : 'np.e'),
    size: (param, axis) => `${param}.shape[${axis}]`,
    special: (name, shape, size) => {
      if (shape.kind === 'scalar') return atom(name === 'zero' ? '0.0' : '1.0');
      if (name === 'identity') return atom(`np.eye(${size(rows(shape))})`);
      const f = name === 'zero' ? 'np.zeros' : 'np.ones';
      return atom(
        shape.kind === 'matrix' ? `${f}((${size(shape.m)}, ${size(shape.n)}))` : `${f}(${size(shape.n)})`,
      );
    },
    unary: (name, arg) => applyScalar(spelling(name, 'numpy'), arg),
    binary: (op, a, b) => {
      if (isCall(op))
        return atom(
          `np.${op === 'atan2' ? 'arctan2' : op === 'max' ? 'maximum' : 'minimum'}(${a.text}, ${b.text})`,
        );
      return infix(op, a, b);
    },
    negate: (a) => code(`-${operand(a)}`, Prec.Negative),
    matmul: (a, as, b, bs) =>
      as.kind === 'vector' && bs.kind === 'row'
        ? atom(`np.outer(${a.text}, ${b.text})`)
        : code(`${operand(a, Prec.Product)} @ ${operand(b, Prec.Negative)}`, Prec.Product),
    transpose: (a, shape) => (shape.kind === 'matrix' ? atom(`${operand(a)}.T`) : a),
    call: (name, args, shapes) => {
      const a = args[0].text;
      const asMatrix = (text: string, s: Shape) =>
        s.kind === 'row' ? `${text}.reshape(1, -1)` : s.kind === 'vector' ? `${text}.reshape(-1, 1)` : text;
      switch (name) {
        case 'kron':
          return atom(`np.kron(${asMatrix(a, shapes[0])}, ${asMatrix(args[1].text, shapes[1])})`);
        case 'sum':
          return atom(`np.sum(${a})`);
        case 'softmax':
        case 'logsumexp':
          use(name);
          return atom(`_${name}(${a})`);
        case 'logsoftmax':
          use('logsumexp');
          return infix('-', args[0], atom(`_logsumexp(${a})`));
        case 'norm2':
        case 'normF':
          return atom(`np.linalg.norm(${a})`);
        case 'norm1':
          return atom(`np.sum(np.abs(${a}))`);
        case 'tr':
          return atom(`np.trace(${a})`);
        case 'det':
          return atom(`np.linalg.det(${a})`);
        case 'logdet':
          return atom(`np.log(np.linalg.det(${a}))`);
        case 'inverse':
          return atom(`np.linalg.inv(${a})`);
        case 'diag':
        case 'diagvec':
          return atom(`np.diag(${a})`);
      }
      throw new LensError(`cannot export ${name} as code`);
    },
    block: (cells, shape) =>
      atom(
        shape.kind === 'matrix'
          ? `np.array([${cells.map((r) => `[${r.join(', ')}]`).join(', ')}])`
          : `np.array([${cells.flat().join(', ')}])`,
      ),
    condition: (lhs, op, rhs, scalar) =>
      scalar
        ? `${operand(lhs, Prec.Sum)} ${op} ${operand(rhs, Prec.Sum)}`
        : `np.sum(${infix('-', lhs, rhs).text}) ${op} 0`,
    choose: (cases) =>
      code(
        cases
          .map((c, i) =>
            i === cases.length - 1 ? c.value.text : `${operand(c.value, Prec.Compare)} if ${c.when} else `,
          )
          .join(''),
        Prec.Choice,
      ),
    function: (name, params, locals, result) => {
      const arrays = params
        .filter((p) => p.shape.kind !== 'scalar')
        .map((p) => `    ${p.name} = np.asarray(${p.name}, dtype=float)`);
      const body = [...arrays, ...locals.map(([n, c]) => `    ${n} = ${c}`), `    return ${result}`];
      return `def ${name}(${params.map((p) => p.name).join(', ')}):\n${body.join('\n')}`;
    },
  };
}

// ---------------------------------------------------------------- generation

const FUNCTION_NAME: Record<Operation, string> = {
  gradient: 'grad_f',
  jacobian: 'jacobian_f',
  hessian: 'hessian_f',
  derivative: 'derivative_f',
  evaluate: 'value_f',
};

function isLeafLike(e: Expr): boolean {
  return (
    e.type === 'num' ||
    e.type === 'sym' ||
    e.type === 'special' ||
    (e.type === 'transpose' && isLeafLike(e.arg))
  );
}

/** The derivative of `d` as a function: `function grad_f(x: number[], A: number[][]): number[]` or `def grad_f(x, A)`. */
export function emit(d: Derivation, language: EmitLanguage): string {
  const helpers = new Set<string>();
  const target = language === 'ts' ? typescript((h) => helpers.add(h)) : numpy((h) => helpers.add(h));
  const variables = d.program.variables.filter((v) => v.role === 'var');
  // Names as written (x_{t+1}, x_{a,b}, theta) become distinct identifiers valid in both languages.
  const identifiers = new Map<string, string>();
  const usedNames = new Set<string>();
  for (const v of variables) {
    let id = v.name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=\d|$)/, '_');
    while (target.reserved.has(id) || usedNames.has(id)) id = `${id}_`;
    usedNames.add(id);
    identifiers.set(v.name, id);
  }
  const safe = (name: string) => identifiers.get(name) ?? name;
  const params = variables.map((v) => ({ name: safe(v.name), shape: v.shape }));

  // Symbolic sizes are read from the arguments that carry them.
  const sizes = new Map<string, string>();
  for (const p of params) {
    const s = p.shape;
    const note = (dim: Dim, axis: 0 | 1) => {
      const r = resolveDim(dim);
      if (typeof r === 'string' && !sizes.has(r)) sizes.set(r, target.size(p.name, axis));
    };
    if (s.kind === 'vector' || s.kind === 'row') note(s.n, 0);
    if (s.kind === 'matrix') {
      note(s.m, 0);
      note(s.n, 1);
    }
  }
  const size = (dim: Dim): string => {
    const r = resolveDim(dim);
    if (typeof r === 'number') return String(r);
    const s = typeof r === 'string' ? sizes.get(r) : undefined;
    if (s === undefined)
      throw new LensError(
        `cannot export: the size ${typeof r === 'string' ? r : '?'} is not carried by any argument`,
      );
    return s;
  };

  // Subexpressions used more than once become locals.
  const counts = new Map<string, number>();
  const count = (e: Expr) => {
    const k = key(e);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    if (n === 1) children(e).forEach(count);
  };
  d.parts.forEach((p) => count(p.expr));
  const locals: [string, string][] = [];
  const localOf = new Map<string, string>();
  const freshLocal = () => {
    let name = `t${locals.length + 1}`;
    while (usedNames.has(name)) name = `${name}_`;
    usedNames.add(name);
    return name;
  };

  const gen = (e: Expr): Code => {
    const k = key(e);
    const known = localOf.get(k);
    if (known) return atom(known);
    const code = node(e);
    if ((counts.get(k) ?? 0) > 1 && !isLeafLike(e)) {
      const name = freshLocal();
      locals.push([name, code.text]);
      localOf.set(k, name);
      return atom(name);
    }
    return code;
  };

  /** a + b − c …: negative terms are subtracted rather than multiplied by −1. */
  const sum = (terms: readonly Expr[], shape: Shape): Code =>
    terms
      .map((t, i) => {
        const negative = i > 0 && isNegative(t);
        return {
          code: gen(negative ? neg(t) : t),
          shape: t.shape,
          op: negative ? ('-' as const) : ('+' as const),
        };
      })
      .reduce((acc, t) => ({
        code: target.binary(
          t.op,
          acc.code,
          t.code,
          acc.shape.kind === 'scalar' && t.shape.kind === 'scalar' ? SCALAR : shape,
        ),
        shape: acc.shape.kind === 'scalar' ? t.shape : acc.shape,
        op: t.op,
      })).code;

  const product = (factors: readonly Expr[], shape: Shape): Code => {
    if (isNum(factors[0], -1)) return target.negate(product(factors.slice(1), shape), shape);
    return factors
      .map((f) => ({ code: gen(f), shape: f.shape }))
      .reduce((acc, f) => ({
        code: target.binary(
          '*',
          acc.code,
          f.code,
          acc.shape.kind === 'scalar' && f.shape.kind === 'scalar' ? SCALAR : shape,
        ),
        shape: acc.shape.kind === 'scalar' ? f.shape : acc.shape,
      })).code;
  };

  /** x^(p/q) with q odd, real for negative x as in evaluation: the real q-th root (cbrt, or sign·|x|^(1/q)) to the p. */
  const oddRoot = (e: Extract<Expr, { type: 'pow' }>): Code | undefined => {
    if (e.exp.type !== 'num' || e.exp.q % 2 === 0 || e.exp.q === 1) return undefined;
    const base = gen(e.base);
    const root =
      e.exp.q === 3
        ? target.unary('cbrt', base, e.shape)
        : target.binary(
            '*',
            target.unary('sign', base, e.shape),
            target.binary(
              '**',
              target.unary('abs', base, e.shape),
              code(`1 / ${e.exp.q}`, Prec.Product),
              e.shape,
            ),
            e.shape,
          );
    const p = e.exp.p;
    return p === 1
      ? root
      : target.binary('**', root, code(target.number(p), p < 0 ? Prec.Negative : Prec.Atom), e.shape);
  };

  const node = (e: Expr): Code => {
    switch (e.type) {
      case 'num': {
        const prec = e.p < 0 ? Prec.Negative : Prec.Atom;
        if (e.q === 0 || e.q === 1) return code(target.number(numValue(e)), prec);
        return code(`${e.p} / ${e.q}`, Prec.Product);
      }
      case 'sym':
        if (e.role === 'const') {
          if (e.name === 'pi' || e.name === 'e') return atom(target.constant(e.name));
          const s = sizes.get(e.name);
          if (s) return atom(s);
        }
        return atom(safe(e.name));
      case 'special':
        return target.special(e.name, e.shape, size);
      case 'add':
        return sum(e.terms, e.shape);
      case 'mul':
      case 'hadamard':
        return e.factors.length === 1 ? gen(e.factors[0]) : product(e.factors, e.shape);
      case 'pow':
        return oddRoot(e) ?? target.binary('**', gen(e.base), gen(e.exp), e.shape);
      case 'matmul':
        return e.factors
          .map((f) => ({ code: gen(f), shape: f.shape }))
          .reduce((a, b) => ({
            code: target.matmul(a.code, a.shape, b.code, b.shape),
            shape: shapeOf(rows(a.shape), cols(b.shape)),
          })).code;
      case 'transpose':
        return target.transpose(gen(e.arg), e.shape);
      case 'inverse':
        return target.call('inverse', [gen(e.arg)], [e.arg.shape]);
      case 'kron':
        return target.call(
          'kron',
          e.factors.map(gen),
          e.factors.map((f) => f.shape),
        );
      case 'block':
        return target.block(
          e.rows.map((r) => r.map((c) => gen(c).text)),
          e.shape,
        );
      case 'piecewise':
        return target.choose(
          e.cases.map((c) => ({
            when: target.condition(
              gen(c.when.lhs),
              c.when.op,
              gen(c.when.rhs),
              c.when.lhs.shape.kind === 'scalar' && c.when.rhs.shape.kind === 'scalar',
            ),
            value: gen(c.value),
          })),
        );
      case 'fn': {
        if (isElementwise(e.name)) return target.unary(e.name, gen(e.args[0]), e.shape);
        if (e.name === 'max' || e.name === 'min' || e.name === 'atan2') {
          return target.binary(e.name, gen(e.args[0]), gen(e.args[1]), e.shape);
        }
        return target.call(
          e.name,
          e.args.map(gen),
          e.args.map((a) => a.shape),
        );
      }
    }
  };

  const results = d.parts.map((p) => gen(p.expr).text);
  const name = FUNCTION_NAME[d.op];
  const returns = d.parts.map((p) => p.expr.shape);
  const fn = target.function(
    name,
    params,
    locals,
    results.length === 1
      ? results[0]
      : language === 'ts'
        ? `[${results.join(', ')}]`
        : `(${results.join(', ')})`,
    returns,
  );
  const what =
    d.parts.length > 1
      ? ` (${d.parts.map((p) => [...p.wrt, ...(p.by ? [p.by] : [])].map((v) => v.name).join(', ')).join('; ')})`
      : '';
  const header = `${target.comment} ${d.op} of f = ${toText(d.program.body)}${what}, exported by Jacobian Lens`;
  if (language === 'ts') {
    const used = [...helpers].sort().map((h) => TS_HELPERS[h]);
    return [header, ...used, fn].join('\n\n') + '\n';
  }
  const used = [...helpers].sort().map((h) => NP_HELPERS[h]);
  return [`${header}\nimport numpy as np`, ...used, fn].join('\n\n') + '\n';
}

function isNegative(e: Expr): boolean {
  if (e.type === 'num') return numValue(e) < 0;
  return e.type === 'mul' && isNum(e.factors[0]) && numValue(e.factors[0]) < 0;
}
