/**
 * The shape-aware expression tree. Every node carries its shape (scalar,
 * column vector, row vector or matrix); sizes may be symbolic (`n`) or still
 * unknown while the elaborator unifies them (a `DimVar`).
 *
 * Nodes are immutable and built only through the smart constructors in
 * `simplify.ts`, so every tree in the core is already in canonical form; those
 * build them with `make` (below), which gives every node one layout.
 */

/** A size still being inferred; `resolveDim` follows `parent` links (union–find). */
export interface DimVar {
  readonly id: number;
  parent?: Dim;
  /** A size declared by name (`\mathbf{x} \in \mathbb{R}^n`): values may fix it, another name may not. */
  readonly name?: string;
  /**
   * Named (or given a value) only once elaboration was over: keys made before still read it as
   * this unknown size, and so must keys made after (see `dimKey`).
   */
  namedLate?: boolean;
}
export type Dim = number | string | DimVar;

export type Shape =
  | { readonly kind: 'scalar' }
  | { readonly kind: 'vector'; readonly n: Dim } // column vector
  | { readonly kind: 'row'; readonly n: Dim }
  | { readonly kind: 'matrix'; readonly m: Dim; readonly n: Dim };

export const SCALAR: Shape = { kind: 'scalar' };

export function resolveDim(d: Dim): number | string | DimVar {
  let cur = d;
  while (typeof cur === 'object' && cur.parent !== undefined) cur = cur.parent;
  return cur;
}

/** Names for sizes still unknown when a message is written (they get their final names after elaboration). */
const PENDING_NAMES = ['n', 'm', 'k', 'p', 'q', 'r'];

export function dimText(d: Dim): string {
  const r = resolveDim(d);
  return typeof r === 'object' ? (r.name ?? PENDING_NAMES[r.id] ?? `n${r.id}`) : String(r);
}

/**
 * A size in a structural key: a number or a declared name as itself, a size still unknown by its
 * id (distinct unknown sizes must not meet on one key, as their pending names `n`, `m` would).
 * A size named after elaboration keeps its id: keys are cached on nodes, and those made before
 * the naming must agree with those made after it, or like terms stop meeting.
 */
export function dimKey(d: Dim): string {
  let cur = d;
  while (typeof cur === 'object') {
    if (cur.namedLate || cur.parent === undefined) return `?${cur.id}`;
    cur = cur.parent;
  }
  return String(cur);
}

export function sameDim(a: Dim, b: Dim): boolean {
  return resolveDim(a) === resolveDim(b);
}

export function rows(s: Shape): Dim {
  return s.kind === 'scalar' || s.kind === 'row' ? 1 : s.kind === 'vector' ? s.n : s.m;
}
export function cols(s: Shape): Dim {
  return s.kind === 'scalar' || s.kind === 'vector' ? 1 : s.n;
}

export function isScalar(e: Expr): boolean {
  return e.shape.kind === 'scalar';
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'scalar') return true;
  if (a.kind === 'matrix') return b.kind === 'matrix' && sameDim(a.m, b.m) && sameDim(a.n, b.n);
  return sameDim(a.n, (b as { n: Dim }).n);
}

/** Shape from a row and column count, folding 1s into vector/row/scalar. */
export function shapeOf(m: Dim, n: Dim): Shape {
  const rm = resolveDim(m);
  const rn = resolveDim(n);
  if (rm === 1 && rn === 1) return SCALAR;
  if (rn === 1) return { kind: 'vector', n: m };
  if (rm === 1) return { kind: 'row', n };
  return { kind: 'matrix', m, n };
}

export function transposeShape(s: Shape): Shape {
  switch (s.kind) {
    case 'scalar':
      return s;
    case 'vector':
      return { kind: 'row', n: s.n };
    case 'row':
      return { kind: 'vector', n: s.n };
    case 'matrix':
      return { kind: 'matrix', m: s.n, n: s.m };
  }
}

export function shapeText(s: Shape): string {
  switch (s.kind) {
    case 'scalar':
      return 'scalar';
    case 'vector':
      return `vector(${dimText(s.n)})`;
    case 'row':
      return `row vector(${dimText(s.n)})`;
    case 'matrix':
      return `matrix(${dimText(s.m)}×${dimText(s.n)})`;
  }
}

/** Element-wise functions of one argument (applied per component on vectors/matrices); each has a record in functions.ts. */
export type UnaryFn =
  | 'exp'
  | 'ln'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'cot'
  | 'sec'
  | 'csc'
  | 'arcsin'
  | 'arccos'
  | 'arctan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'arsinh'
  | 'arcosh'
  | 'artanh'
  | 'sigma'
  | 'abs'
  | 'sign'
  /** Heaviside step 1[u > 0]: the derivative of ReLU on vectors. */
  | 'step';

/** Functions that are not element-wise, or take several arguments. */
export type StructFn =
  | 'max' // element-wise max of two arguments
  | 'min'
  | 'atan2' // atan2(y, x)
  | 'sum' // sum of all components -> scalar
  | 'softmax'
  | 'logsoftmax'
  | 'logsumexp'
  | 'norm1'
  | 'norm2' // Euclidean norm of a vector
  | 'normF' // Frobenius norm of a matrix
  | 'tr'
  | 'det'
  | 'logdet'
  | 'diag' // vector -> diagonal matrix
  | 'diagvec'; // matrix -> its diagonal as a vector

export type FnName = UnaryFn | StructFn;

export type Expr =
  | Num
  | Sym
  | Special
  | Add
  | Mul
  | Pow
  | Fn
  | MatMul
  | Transpose
  | Inverse
  | Hadamard
  | Block
  | Piecewise
  | Kron
  | Apply;

/** A rational p/q (q > 0, integers) or, when q is 0, an inexact float stored in p. */
export interface Num {
  readonly type: 'num';
  readonly p: number;
  readonly q: number;
  readonly shape: Shape;
}

export interface Sym {
  readonly type: 'sym';
  /** Canonical name: `x`, `x_1`, `w_ij`, `theta`, `W`. */
  readonly name: string;
  readonly shape: Shape;
  /** A differential `dX` (a placeholder the extraction step reads), or a named intermediate. */
  readonly role: 'var' | 'const' | 'differential' | 'intermediate';
  /**
   * Declared symmetric (`\Sigma \in \mathbb{S}^n`): its transpose is itself. Only names in a
   * result carry it: the function is differentiated as written (the unconstrained derivative),
   * and the result, a value at a symmetric point, is then read with Σᵀ = Σ.
   */
  readonly symmetric?: true;
  /**
   * A standard basis vector 𝐞ᵢ (role `const`), which reads one entry of a variable: `∂f/∂X_{ij}` is
   * 𝐞ᵢᵀ(∇_X f)𝐞ⱼ. Its index: a name (`i`, any in-range value: the checker draws one) or digits.
   */
  readonly unit?: string;
}

/** Structured constants: the identity, a ones vector/matrix, a zero of any shape. */
export interface Special {
  readonly type: 'special';
  readonly name: 'identity' | 'ones' | 'zero';
  readonly shape: Shape;
}

export interface Add {
  readonly type: 'add';
  readonly terms: readonly Expr[];
  readonly shape: Shape;
}

/** Commutative product: scalar factors and at most one non-scalar factor (scaling), kept last. */
export interface Mul {
  readonly type: 'mul';
  readonly factors: readonly Expr[];
  readonly shape: Shape;
}

/** Power with a scalar exponent; element-wise when the base is a vector or matrix. */
export interface Pow {
  readonly type: 'pow';
  readonly base: Expr;
  readonly exp: Expr;
  readonly shape: Shape;
}

export interface Fn {
  readonly type: 'fn';
  readonly name: FnName;
  readonly args: readonly Expr[];
  readonly shape: Shape;
}

/** Non-commutative matrix product of two or more non-scalar factors. */
export interface MatMul {
  readonly type: 'matmul';
  readonly factors: readonly Expr[];
  readonly shape: Shape;
}

export interface Transpose {
  readonly type: 'transpose';
  readonly arg: Expr;
  readonly shape: Shape;
}

export interface Inverse {
  readonly type: 'inverse';
  readonly arg: Expr;
  readonly shape: Shape;
}

export interface Hadamard {
  readonly type: 'hadamard';
  readonly factors: readonly Expr[];
  readonly shape: Shape;
}

/** An explicit matrix/vector of scalar cells (`\begin{bmatrix}…`, `[f1, f2]`). */
export interface Block {
  readonly type: 'block';
  readonly rows: readonly (readonly Expr[])[];
  readonly shape: Shape;
}

/** Kronecker product A ⊗ B: the matrix form of a linear map between matrices, vec(AXB) = (Bᵀ ⊗ A) vec(X). */
export interface Kron {
  readonly type: 'kron';
  readonly factors: readonly [Expr, Expr];
  readonly shape: Shape;
}

/**
 * An abstract function (`f(x)`, `\mathbf{f}(\mathbf{x})`, `\operatorname{target}(\mathbf{x})`:
 * a name with no definition applied to arguments), or one of its partial derivatives.
 * A plain name's value is a scalar, a bold name's a vector. `partials` lists the arguments
 * differentiated by, sorted (the functions are smooth, so mixed partials commute):
 * [] is f itself, [0, 0] is f'' of a one-argument f, [0] of a vector argument is ∇f, and of a
 * vector function its Jacobian with respect to that argument.
 */
export interface Apply {
  readonly type: 'apply';
  readonly name: string;
  readonly style: 'plain' | 'bold' | 'word';
  readonly args: readonly Expr[];
  readonly partials: readonly number[];
  readonly shape: Shape;
}

export interface Condition {
  readonly op: '<' | '<=' | '>' | '>=' | '!=';
  readonly lhs: Expr;
  readonly rhs: Expr;
  /**
   * On a vector or matrix, the condition holds of it as a whole (‖𝐮‖ is smooth where 𝐮 ≠ 𝟎)
   * rather than entry by entry (|𝐮| where each uᵢ ≠ 0, the default).
   */
  readonly whole?: true;
}

export interface Piecewise {
  readonly type: 'piecewise';
  readonly cases: readonly { readonly value: Expr; readonly when: Condition }[];
  readonly shape: Shape;
}

/**
 * Caches that other modules keep on a node (rational.ts, identities.ts, simplify.ts), beside the
 * structural key kept here: on the node rather than in a weak table, since nodes are many and
 * short-lived and weak tables make every garbage collection pay for them. Declared with the
 * node's layout (see `Node`), so that filling one does not change the node's hidden class.
 */
export const RATIONAL_MEMO = Symbol('rational form');
export const RELATIVE_KEYS = Symbol('relative keys');
export const SYMMETRIC_MEMO = Symbol('symmetric');
const KEY = Symbol('key');

/**
 * The one runtime layout of every node, whatever its type: every field of every node type, in
 * one order, unset ones undefined. V8 gives all objects of one layout one hidden class, so that
 * reading `e.type` or `e.factors` where any kind of node may come is a load at a fixed offset.
 * Built as object literals, each node type (and each cache added later) had a hidden class of
 * its own, and those reads went through V8's megamorphic lookup: 12–19% of all the core's time
 * (perf on the bench corpora), and a quarter of the everyday corpus's time once removed.
 * So nodes are built only by `make` (below), never as literals or by spreading another node.
 */
class Node {
  declare type: Expr['type'];
  declare shape: Shape;
  declare p: number | undefined;
  declare q: number | undefined;
  declare name: string | undefined;
  declare role: Sym['role'] | undefined;
  declare symmetric: true | undefined;
  declare unit: string | undefined;
  declare style: Apply['style'] | undefined;
  declare terms: readonly Expr[] | undefined;
  declare factors: readonly Expr[] | undefined;
  declare base: Expr | undefined;
  declare exp: Expr | undefined;
  declare args: readonly Expr[] | undefined;
  declare partials: readonly number[] | undefined;
  declare arg: Expr | undefined;
  declare rows: Block['rows'] | undefined;
  declare cases: Piecewise['cases'] | undefined;
  declare [KEY]: string | undefined;
  declare [RATIONAL_MEMO]: unknown;
  declare [RELATIVE_KEYS]: unknown;
  declare [SYMMETRIC_MEMO]: boolean | undefined;

  constructor(type: Expr['type'], shape: Shape) {
    // Every field, always in this order: the order is the layout.
    this.type = type;
    this.shape = shape;
    this.p = undefined;
    this.q = undefined;
    this.name = undefined;
    this.role = undefined;
    this.symmetric = undefined;
    this.unit = undefined;
    this.style = undefined;
    this.terms = undefined;
    this.factors = undefined;
    this.base = undefined;
    this.exp = undefined;
    this.args = undefined;
    this.partials = undefined;
    this.arg = undefined;
    this.rows = undefined;
    this.cases = undefined;
    this[KEY] = undefined;
    this[RATIONAL_MEMO] = undefined;
    this[RELATIVE_KEYS] = undefined;
    this[SYMMETRIC_MEMO] = undefined;
  }
}

/** A node typed as what it is (its fields are set by the `make` function that built it). */
const as = <T extends Expr>(n: Node): T => n as unknown as T;

/**
 * The nodes exactly as given, with no simplification: the smart constructors of simplify.ts
 * (`add`, `mul`, …) build the simplified ones through these, and display forms that they would
 * undo are built with these directly.
 */
export const make = {
  num(p: number, q: number): Num {
    const n = new Node('num', SCALAR);
    n.p = p;
    n.q = q;
    return as(n);
  },
  sym(name: string, shape: Shape, role: Sym['role'], more?: { symmetric?: true; unit?: string }): Sym {
    const n = new Node('sym', shape);
    n.name = name;
    n.role = role;
    n.symmetric = more?.symmetric;
    n.unit = more?.unit;
    return as(n);
  },
  special(name: Special['name'], shape: Shape): Special {
    const n = new Node('special', shape);
    n.name = name;
    return as(n);
  },
  add(terms: readonly Expr[], shape: Shape): Add {
    const n = new Node('add', shape);
    n.terms = terms;
    return as(n);
  },
  /** A product of `type` (commutative `mul`, matrix `matmul`, element-wise `hadamard`, Kronecker `kron`). */
  product<T extends 'mul' | 'matmul' | 'hadamard' | 'kron'>(
    type: T,
    factors: readonly Expr[],
    shape: Shape,
  ): Extract<Expr, { type: T }> {
    const n = new Node(type, shape);
    n.factors = factors;
    return as(n);
  },
  pow(base: Expr, exp: Expr, shape: Shape): Pow {
    const n = new Node('pow', shape);
    n.base = base;
    n.exp = exp;
    return as(n);
  },
  fn(name: FnName, args: readonly Expr[], shape: Shape): Fn {
    const n = new Node('fn', shape);
    n.name = name;
    n.args = args;
    return as(n);
  },
  apply(
    name: string,
    style: Apply['style'],
    args: readonly Expr[],
    partials: readonly number[],
    shape: Shape,
  ): Apply {
    const n = new Node('apply', shape);
    n.name = name;
    n.style = style;
    n.args = args;
    n.partials = partials;
    return as(n);
  },
  /** A transpose or an inverse of `arg`. */
  unary<T extends 'transpose' | 'inverse'>(type: T, arg: Expr, shape: Shape): Extract<Expr, { type: T }> {
    const n = new Node(type, shape);
    n.arg = arg;
    return as(n);
  },
  block(rows: Block['rows'], shape: Shape): Block {
    const n = new Node('block', shape);
    n.rows = rows;
    return as(n);
  },
  piecewise(cases: Piecewise['cases'], shape: Shape): Piecewise {
    const n = new Node('piecewise', shape);
    n.cases = cases;
    return as(n);
  },
};

/** Direct children, in order. */
export function children(e: Expr): readonly Expr[] {
  switch (e.type) {
    case 'num':
    case 'sym':
    case 'special':
      return [];
    case 'add':
      return e.terms;
    case 'mul':
    case 'matmul':
    case 'hadamard':
    case 'kron':
      return e.factors;
    case 'pow':
      return [e.base, e.exp];
    case 'fn':
    case 'apply':
      return e.args;
    case 'transpose':
    case 'inverse':
      return [e.arg];
    case 'block':
      return e.rows.flat();
    case 'piecewise':
      return e.cases.flatMap((c) => [c.value, c.when.lhs, c.when.rhs]);
  }
}

/**
 * Number of nodes in the tree (the simplicity measure compared with SymPy's),
 * counting a shared subexpression once per occurrence, computed once per node.
 */
export function treeSize(e: Expr): number {
  const order = postorder([e]);
  // Most results share nothing: then the tree is the DAG, and no sizes need keeping.
  if (isTree([e], order)) return order.length;
  const size = new Map<Expr, number>();
  for (const x of order)
    size.set(
      x,
      children(x).reduce((n, c) => n + size.get(c)!, 1),
    );
  return size.get(e)!;
}

/**
 * Whether `order`, the postorder of `roots`, reaches no node twice: as many edges (roots counted as
 * one each) as nodes, so each node occurs once in the tree the DAG unfolds to.
 */
export function isTree(roots: readonly Expr[], order: readonly Expr[]): boolean {
  let edges = roots.length;
  for (const x of order) edges += children(x).length;
  return edges === order.length;
}

/** Up to this many nodes, a walk remembers the nodes it has met in a list scanned by identity rather than a set or map. */
export const FEW_NODES = 32;

/**
 * Every distinct node (by identity) reachable from `roots`, children before
 * parents. Iterative, so a deep chain cannot overflow the stack, and linear in
 * the DAG: a subexpression shared by many parents is visited once.
 */
export function postorder(
  roots: readonly Expr[],
  childrenOf: (e: Expr) => readonly Expr[] = children,
  /** Nodes already listed by an earlier call, skipped with everything below them. */
  seen?: Set<Expr>,
): Expr[] {
  const out: Expr[] = [];
  // Without a caller's set, the first nodes met are kept in a list scanned by identity: hashing
  // a node into a set costs more than the scan while the list is short, and most results are small.
  const few: Expr[] = [];
  // Parallel stacks rather than one object per node, and no closure: this runs on every result, and
  // small results are the common case, where allocation is most of the cost. The bottom frame lists
  // the roots; every frame above it is a node whose children are being visited.
  const nodes: Expr[] = [];
  const kids: (readonly Expr[])[] = [roots];
  const next: number[] = [0];
  while (kids.length) {
    const top = kids.length - 1;
    const cs = kids[top];
    if (next[top] < cs.length) {
      const c = cs[next[top]++];
      if (seen === undefined && few.length < FEW_NODES) {
        if (few.includes(c)) continue;
        few.push(c);
      } else {
        seen ??= new Set(few);
        if (seen.has(c)) continue;
        seen.add(c);
      }
      nodes.push(c);
      kids.push(childrenOf(c));
      next.push(0);
    } else {
      kids.pop();
      next.pop();
      if (top > 0) out.push(nodes.pop()!);
    }
  }
  return out;
}

/**
 * `e` with each child replaced by `map(child)`, built as is (no simplification:
 * for display forms that the smart constructors would undo). `e` itself when
 * nothing changed.
 */
export function withChildren(e: Expr, map: (c: Expr) => Expr): Expr {
  const old = children(e);
  const mapped = old.map(map);
  if (mapped.every((c, i) => c === old[i])) return e;
  const next = () => mapped.shift()!;
  switch (e.type) {
    case 'num':
    case 'sym':
    case 'special':
      return e;
    case 'add':
      return make.add(mapped, e.shape);
    case 'mul':
    case 'matmul':
    case 'hadamard':
      return make.product(e.type, mapped, e.shape);
    case 'kron':
      return make.product('kron', [mapped[0], mapped[1]], e.shape);
    case 'pow':
      return make.pow(mapped[0], mapped[1], e.shape);
    case 'fn':
      return make.fn(e.name, mapped, e.shape);
    case 'apply':
      return make.apply(e.name, e.style, mapped, e.partials, e.shape);
    case 'transpose':
    case 'inverse':
      return make.unary(e.type, mapped[0], e.shape);
    case 'block':
      return make.block(
        e.rows.map((r) => r.map(next)),
        e.shape,
      );
    case 'piecewise':
      return make.piecewise(
        e.cases.map((c) => ({
          value: next(),
          when: { op: c.when.op, lhs: next(), rhs: next() },
        })),
        e.shape,
      );
  }
}

/**
 * A structural key: equal keys mean equal expressions up to the order of
 * commutative operands. Used to combine like terms and powers.
 */
export function key(e: Expr): string {
  const cached = (e as unknown as Node)[KEY];
  if (cached !== undefined) return cached;
  let k: string;
  switch (e.type) {
    case 'num':
      k = e.q === 0 ? `#${e.p}` : `#${e.p}/${e.q}`;
      break;
    case 'sym':
      k = `${e.role === 'differential' ? 'd' : '$'}${e.name}`;
      break;
    case 'special': {
      const sh = e.shape;
      const dims =
        sh.kind === 'scalar' ? '' : sh.kind === 'matrix' ? `${dimKey(sh.m)}×${dimKey(sh.n)}` : dimKey(sh.n);
      k = `@${e.name}:${sh.kind}(${dims})`;
      break;
    }
    case 'add':
    case 'mul':
    case 'hadamard': {
      const items = e.type === 'add' ? e.terms : e.factors;
      // Two operands, the most common case, ordered without an array.
      if (items.length === 2) {
        const a = key(items[0]);
        const b = key(items[1]);
        k = a <= b ? `(${e.type} ${a} ${b})` : `(${e.type} ${b} ${a})`;
        break;
      }
      const parts = items.map(key);
      sortInPlace(parts, compareStrings);
      k = `(${e.type} ${parts.join(' ')})`;
      break;
    }
    case 'matmul':
      k = `(@ ${e.factors.map(key).join(' ')})`;
      break;
    case 'kron':
      k = `(kron ${e.factors.map(key).join(' ')})`;
      break;
    case 'pow':
      k = `(^ ${key(e.base)} ${key(e.exp)})`;
      break;
    case 'fn':
      k = `(${e.name} ${e.args.length === 1 ? key(e.args[0]) : e.args.map(key).join(' ')})`;
      break;
    case 'apply':
      k = `(${e.style}:${e.name}'${e.partials.join(',')} ${e.args.map(key).join(' ')})`;
      break;
    case 'transpose':
      k = `(T ${key(e.arg)})`;
      break;
    case 'inverse':
      k = `(inv ${key(e.arg)})`;
      break;
    case 'block':
      k = `[${e.rows.map((r) => r.map(key).join(',')).join(';')}]`;
      break;
    case 'piecewise':
      k = `{${e.cases.map((c) => `${key(c.value)}|${c.when.op}:${key(c.when.lhs)}:${key(c.when.rhs)}`).join(';')}}`;
      break;
  }
  if (k.length > MAX_KEY_LENGTH) k = `~${hash128(k)}`;
  (e as unknown as Node)[KEY] = k;
  return k;
}

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `items.sort(compare)`, without the work array Array.prototype.sort allocates: keys and products
 * sort a few items at a time, on every node built, where that allocation was a tenth of all.
 * Insertion sort, stable like Array.prototype.sort; long arrays (rare) still go to it.
 */
export function sortInPlace<T>(items: T[], compare: (a: T, b: T) => number): void {
  if (items.length > 16) {
    items.sort(compare);
    return;
  }
  for (let i = 1; i < items.length; i++) {
    const x = items[i];
    let j = i - 1;
    while (j >= 0 && compare(items[j], x) > 0) {
      items[j + 1] = items[j];
      j--;
    }
    items[j + 1] = x;
  }
}

/**
 * The key of `3xy` without its coefficient, `key(xy)`, read off the product's own (cached) key
 * rather than built for a new node: a sum groups its terms by it, and a new node's key would be
 * built anew on every sum. A number's key is the only one starting with `#` (so it sorts first)
 * and has no space.
 */
export function keyWithoutCoefficient(e: Expr): string {
  if (e.type !== 'mul' || e.factors[0].type !== 'num') return key(e);
  if (e.factors.length === 2) return key(e.factors[1]);
  const whole = key(e);
  const rest = whole.startsWith('(mul #') ? whole.indexOf(' ', 6) : -1;
  if (rest < 0) return key(make.product('mul', e.factors.slice(1), e.shape));
  const k = `(mul ${whole.slice(rest + 1)}`;
  return k.length > MAX_KEY_LENGTH ? `~${hash128(k)}` : k;
}

/**
 * A key longer than this is replaced by a hash of itself. A key spells out its
 * whole tree, so for an expression that shares subexpressions (a derivative of
 * nested compositions) it would grow exponentially with nesting; bounded, a
 * node's key costs time proportional to its number of children. Short keys stay
 * readable and keep their order (the order of factors in a printed product).
 */
const MAX_KEY_LENGTH = 400;

/**
 * 128 bits of four independent 32-bit FNV-1a-style lanes: two different
 * expressions meeting on one key would merge them, so a short hash will not do;
 * at 2⁻⁶⁴ for a billion keys the chance is far below a wrong answer's other causes.
 */
function hash128(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  let c = 0x9e3779b9;
  let d = 0x85ebca6b;
  for (let i = 0; i < s.length; i++) {
    const x = s.charCodeAt(i);
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ x, 0x5bd1e995);
    c = Math.imul(c ^ x, 0xcc9e2d51);
    d = Math.imul(d ^ x, 0x1b873593);
    b ^= b >>> 15;
    c ^= c >>> 13;
    d ^= d >>> 16;
  }
  return [a, b, c, d, s.length].map((v) => (v >>> 0).toString(36)).join('.');
}

/** Does `e` contain a node satisfying `pred`? Each shared subexpression is looked at once. */
export function contains(e: Expr, pred: (x: Expr) => boolean): boolean {
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x)) continue;
    seen.add(x);
    if (pred(x)) return true;
    stack.push(...children(x));
  }
  return false;
}

export function dependsOn(e: Expr, name: string): boolean {
  return contains(e, (x) => x.type === 'sym' && x.name === name && x.role !== 'differential');
}
