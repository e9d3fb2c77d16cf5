/**
 * Elaboration: untyped syntax → shape-aware expression.
 *
 * Kinds of names are decided first (declarations, then usage, then notation:
 * bold is a vector, a single upper-case letter a matrix, anything else a
 * scalar); then the tree is built with the smart constructors while sizes are
 * unified (`A\mathbf{x}` makes A's column count x's length). Sizes nobody
 * fixed get the names n, m, k, … at the end.
 */
import {
  type Dim,
  type DimVar,
  type Expr,
  sameDim,
  type Shape,
  SCALAR,
  cols,
  dimText,
  isScalar,
  resolveDim,
  rows,
  shapeText,
  type Sym,
  type FnName,
  dependsOn,
  postorder,
  make,
} from './expr';
import { LensError, errorAt, isStackOverflow } from './errors';
import { IndexedSum } from './indexed-sum';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from './functions';
import {
  forEachChild,
  type DeclarationSyntax,
  type DefinitionSyntax,
  type ParsedInput,
  type Span,
  type Syntax,
} from './parse/syntax';
import {
  MINUS_ONE,
  add,
  apply,
  block,
  div,
  fn,
  hadamard,
  identity,
  inverse,
  matmul,
  mul,
  neg,
  num,
  numFromFloat,
  numValue,
  ones,
  pow,
  sqrt,
  sub,
  sym,
  transpose,
  zero,
  ONE,
  dimExpr,
  replaceSyms,
  OUT_OF_RANGE,
} from './simplify';
import type { DifferentiateOptions, Layout, Value } from './api';
import { CONSTANTS, GREEK_COMMANDS, IDENTITY_NAME, isOnesName } from './vocabulary';

type Kind = 'scalar' | 'vector' | 'matrix';

export interface ElaborateOptions {
  readonly declarations?: readonly DeclarationSyntax[] | undefined;
  readonly conventions?: DifferentiateOptions['conventions'] | undefined;
  readonly dims?: Readonly<Record<string, number>> | undefined;
  readonly at?: Readonly<Record<string, Value>> | undefined;
  /** The layout derivative notation is evaluated in (default numerator). */
  readonly layout?: Layout | undefined;
  /** Evaluates derivative notation (derivation.ts passes it: this file must not import the pipeline). */
  readonly derive?: DeriveFunction | undefined;
  /** Names defined in the document, the one in effect for each name. */
  readonly definitions?: ReadonlyMap<string, DefinitionSyntax> | undefined;
  /**
   * Names the document uses as values elsewhere (another step of the chain, a definition in scope):
   * here only differentiated (`\frac{\partial b}{\partial \mathbf{w}}`), they are still variables.
   */
  readonly values?: readonly string[] | undefined;
  /**
   * How the matrix X of the samples 𝐱ᵢ under a sum holds them: as its columns (the default), or as
   * its rows, as a design matrix does (the checker tries both: notes use either).
   */
  readonly samples?: 'columns' | 'rows' | undefined;
}

/**
 * The derivative of `f` by `wrt` (one variable, or several scalars), in the layout in effect; with a
 * `direction` (of wrt[0]'s shape), the derivative along it, Df[direction], as by a scalar.
 */
export type DeriveFunction = (
  f: Expr,
  wrt: readonly Sym[],
  op: 'gradient' | 'jacobian' | 'hessian',
  direction?: Expr,
) => Expr;

export interface Elaborated {
  readonly body: Expr;
  /** Parameters of `f(x, y) = …`, when written. */
  readonly params?: readonly Sym[] | undefined;
  /** Free variables in order of first appearance. */
  readonly variables: readonly Sym[];
  /** Every named symbol, including declared ones the body does not use. */
  readonly declared: readonly Sym[];
  /** How each variable's kind was decided, for the "assumptions" line. */
  readonly reasons: ReadonlyMap<string, string>;
  /** Defined names that were replaced by their definitions, in order of first use. */
  readonly usedDefinitions: readonly string[];
  /** Whether the input states derivatives (derivative notation), which were evaluated. */
  readonly evaluatesDerivatives: boolean;
  /** Matrices declared symmetric (`\Sigma \succ 0`): results are read with Σᵀ = Σ (see `readSymmetric`). */
  readonly symmetric: ReadonlySet<string>;
  /**
   * Notation read one way that a note more likely means another (an increment Δx, read as the
   * product Δ·x): a value that disagrees with the note may come from the reading.
   */
  readonly caveats: readonly string[];
  /** Matrices that stand for the samples 𝐱ᵢ of a sum (X for 𝐱ᵢ). */
  readonly samples: readonly string[];
}

/** Element-wise functions a user can call: those with a spelling (the step function is only ever a derivative). */
const ELEMENTWISE_CALLS = new Set<string>(
  ELEMENTWISE_FUNCTIONS.filter((f) => ELEMENTWISE[f].names.length > 0),
);

/** Calls whose argument must be a vector: they turn a plain name into one. */
const VECTOR_ARGUMENT_CALLS = new Set(['softmax', 'logsoftmax', 'logsumexp', 'sum', 'mean', 'outer']);

/**
 * Greek capitals (`\Sigma`, `\Lambda`) name matrices, as Latin capitals do;
 * not `\Delta`, which writes an increment (`\Delta t`, `\frac{\Delta y}{\Delta x}`).
 */
const GREEK_CAPITALS = [...new Set(GREEK_COMMANDS.values())].filter((g) => /^[A-Z]/.test(g) && g !== 'Delta');

/** `W`, `\Sigma`, `W_1`, `A_{k}`, `\hat{\Sigma}` (`Sigma_hat`): a capital, perhaps subscripted or accented. */
const MATRIX_NAME = new RegExp(`^(?:[A-Z]|${GREEK_CAPITALS.join('|')})(?:_.+)?$`);

/** The names sizes nobody fixed are given, in order. */
const SIZE_NAMES = ['n', 'm', 'k', 'p', 'q', 'r', 'l', 'd', 'h'];

/** Shared empty tables, for the (usual) inputs with no parameters, definitions or type hints. */
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_DEFINITIONS: ReadonlyMap<string, DefinitionSyntax> = new Map();

export function elaborate(input: ParsedInput, options: ElaborateOptions = {}): Elaborated {
  return new Elaborator([input], options).run().program;
}

/**
 * Several expressions with one symbol table: the same name is the same variable
 * with the same size in all of them, and kinds are inferred from all of them at
 * once (the sides of `\nabla_{\mathbf{x}} \|\mathbf{x}\|^2 = 2\mathbf{x}`). A LensError
 * names the expression it is about in `side` (0-based).
 */
export function elaborateAll(
  inputs: readonly ParsedInput[],
  options: ElaborateOptions = {},
): { exprs: readonly Expr[]; program: Elaborated } {
  return new Elaborator(inputs, options).run();
}

class Elaborator {
  // An elaborator is made per call: the tables most inputs never use (symmetry, samples, bounds,
  // abstract functions, definitions, unit vectors …) are made when first written, not up front.
  private readonly kinds = new Map<string, Kind>();
  private readonly reasons = new Map<string, string>();
  private readonly declared = new Map<string, DeclarationSyntax>();
  private symmetricNames: Set<string> | undefined;
  private readonly symbols = new Map<string, Sym>();
  private readonly order: Sym[] = [];
  private readonly paramNames: ReadonlySet<string>;
  private readonly freshDims: DimVar[] = [];
  private namedDims: Map<string, DimVar> | undefined;
  /** Matrices standing for samples 𝐱ᵢ under a sum (their columns). */
  private sampleMatrices: Set<string> | undefined;
  /** Those of them that hold the samples as rows (a design matrix, a NumPy array). */
  private rowSamples: Set<string> | undefined;
  /** Whether the input writes an indexed name bold (𝐱ᵢ): then a plain one (xᵢ, y^{(i)}) is set apart, an entry. */
  private boldIndexed = false;
  /** Names of summation bounds (`N` in \sum_{i=1}^{N}): sizes wherever they appear, as in 1/N. */
  private boundNames: Set<string> | undefined;
  private nextDim = 0;
  /** Abstract functions met so far: a name keeps its number of arguments and its value's size. */
  private functions: Map<string, { arity: number; value: Shape }> | undefined;
  /** Inside a `\sum_i` body: the index, its range, and what in the body has one value per i. */
  private sumIndex: IndexedSum | undefined;
  private readonly definitions: ReadonlyMap<string, DefinitionSyntax>;
  /** Defined names that stand for themselves, not their definitions: the input's parameters, variables differentiated by. */
  private variableNames: ReadonlySet<string>;
  /** Parameters of the definition being built (`x` in `f(x) = x^2`). */
  private localParams: ReadonlySet<string> = NO_NAMES;
  /** Definitions being built, innermost last: a name met again is a cycle. */
  private readonly building: string[] = [];
  /** Built definitions, by name and the names shadowed while building them. */
  private builtDefinitions: Map<string, Expr> | undefined;
  private usedDefinitions: Set<string> | undefined;
  private evaluatesDerivatives = false;
  /** Definitions whose names are in kind inference's current walk (a cycle must not loop it). */
  private kindVisiting: Set<string> | undefined;
  /** Names a Python type hint says are arrays. */
  private readonly arrayHints: ReadonlySet<string>;
  /** Read from Python: a scalar added to a matrix is added to every entry, as NumPy does. */
  private readonly numpy: boolean;

  constructor(
    private readonly inputs: readonly ParsedInput[],
    private readonly options: ElaborateOptions,
  ) {
    // The input's own declarations (Python's shape comments) are nearer than the document's.
    if (options.declarations) for (const d of options.declarations) this.declare(d);
    let params: Set<string> | undefined;
    let arrays: Set<string> | undefined;
    for (const input of inputs) {
      if (input.declarations) for (const d of input.declarations) this.declare(d);
      if (input.params) for (const p of input.params) (params ??= new Set()).add(p.name);
      if (input.python) for (const a of input.python.arrays) (arrays ??= new Set()).add(a);
    }
    this.paramNames = params ?? NO_NAMES;
    this.definitions = options.definitions ?? NO_DEFINITIONS;
    this.variableNames = this.paramNames;
    this.arrayHints = arrays ?? NO_NAMES;
    this.numpy = inputs.some((i) => i.python);
  }

  private declare(d: DeclarationSyntax): void {
    if (d.symmetric) (this.symmetricNames ??= new Set()).add(d.name);
    // A claim of symmetry alone (`\Sigma \succ 0`) declares no kind: the name's is read as usual.
    if (!d.symmetric || d.dims.length > 0) this.declared.set(d.name, d);
  }

  run(): { exprs: Expr[]; program: Elaborated } {
    this.inferKinds();
    const params = this.inputs[0].params?.map((p) => this.symbol(p.name));
    const bodies = this.inputs.map((input, side) => {
      try {
        return this.build(input.body);
      } catch (e) {
        if (e instanceof LensError && this.inputs.length > 1) throw new LensError(e.message, e.span, side);
        throw e;
      }
    });
    const variables = this.order.slice();
    // Declared names that the body does not use are still variables one may differentiate by (giving 0).
    for (const name of this.declared.keys()) if (!this.symbols.has(name)) this.symbol(name);
    this.fixSizesFromValues();
    this.nameSizes();
    this.requireEntriesInRange();
    const exprs = bodies.map((b) => this.withSizeNames(b));
    return {
      exprs,
      program: {
        body: exprs[0],
        params,
        variables,
        declared: [...this.symbols.values()],
        reasons: this.reasons,
        usedDefinitions: this.usedDefinitions ? [...this.usedDefinitions] : [],
        evaluatesDerivatives: this.evaluatesDerivatives,
        symmetric: this.symmetricMatrices(),
        caveats: this.caveats ? [...this.caveats] : [],
        samples: this.sampleMatrices ? [...this.sampleMatrices] : [],
      },
    };
  }

  /** A size used as a number before it had a name (tr(I) = n, built as `?id`) gets its final name or value. */
  private withSizeNames(body: Expr): Expr {
    if (this.freshDims.length === 0) return body;
    const pending = new Map(this.freshDims.map((d) => [`?${d.id}`, d]));
    return replaceSyms(body, (s) => (pending.has(s.name) ? dimExpr(pending.get(s.name)!) : undefined));
  }

  // ------------------------------------------------------------ kinds

  private notationKind(name: string, bold: boolean): [Kind, string] {
    const decl = this.declared.get(name);
    if (decl) return [declaredKind(decl), 'declared'];
    if (this.options.conventions?.vectors?.includes(name)) return ['vector', 'a vector by your conventions'];
    if (this.options.conventions?.matrices?.includes(name)) return ['matrix', 'a matrix by your conventions'];
    if (this.arrayHints.has(name))
      return [MATRIX_NAME.test(name) ? 'matrix' : 'vector', 'an array by its type hint'];
    // Bold capitals (𝐖, 𝚺) are matrices, as plain ones are; other bold names are vectors.
    if (MATRIX_NAME.test(name)) return ['matrix', bold ? 'bold upper-case letter' : 'upper-case letter'];
    if (bold) return ['vector', 'bold'];
    return ['scalar', 'plain name'];
  }

  /** Decides each name's kind: notation first, then usage upgrades to a fixpoint (a few rounds at most). */
  private inferKinds(): void {
    const note = (name: string, bold: boolean) => {
      // Euler's e and π are constants, not names with a kind (a bold 𝐞 is a vector).
      if (!bold && CONSTANTS.has(name) && !this.paramNames.has(name) && !this.declared.has(name)) return;
      if (this.kinds.has(name)) return;
      const [k, why] = this.notationKind(name, bold);
      this.kinds.set(name, k);
      this.reasons.set(name, why);
    };
    const { roots, used } = this.kindRoots();
    for (const input of this.inputs) for (const p of input.params ?? []) note(p.name, p.style === 'bold');
    for (const d of used) for (const p of d.params ?? []) note(p.name, p.style === 'bold');
    // One walk lists the nodes; the notation pass and every round of usage then read the list.
    const nodes = preorder(roots);
    // A defined name has its declaration's kind, else its definition's, not one from how it is written
    // (y = A\mathbf{x} is a vector).
    for (const c of nodes) {
      // Python's row X[i] is a vector (then X[i] @ w is a number).
      if (c.type === 'ident' && c.element === 'row') this.kinds.set(c.name, 'vector');
      if (c.type === 'ident' && (!this.isDefined(c.name) || this.declared.has(c.name)))
        note(c.name, c.style === 'bold');
      if (c.type === 'ident' && c.style === 'bold' && INDEXED_NAME.test(c.name)) this.boldIndexed = true;
    }

    const conventions = this.options.conventions;
    const canChange = (name: string) =>
      !this.declared.has(name) &&
      !conventions?.vectors?.includes(name) &&
      !conventions?.matrices?.includes(name) &&
      !this.arrayHints.has(name) &&
      !CONSTANTS.has(name) &&
      !isOnesName(name);
    let changed = true;
    const set = (s: Syntax, kind: Kind, why: string): void => {
      // exp(x), −x, σ(x): what is required of the result is required of the argument.
      if (s.type === 'neg') return set(s.arg, kind, why);
      if (s.type === 'call' && ELEMENTWISE_CALLS.has(s.fn) && s.args.length === 1)
        return set(s.args[0], kind, why);
      if (s.type === 'binary' && kind !== 'scalar' && this.numpy)
        return this.arrayOperands(s, kind, why, set);
      // np.maximum(x, 0) is an array when x is.
      if (s.type === 'call' && this.numpy && kind !== 'scalar' && ['max', 'min', 'relu'].includes(s.fn)) {
        if (s.args.every((a) => this.kindOf(a) === 'scalar')) for (const a of s.args) set(a, kind, why);
        return;
      }
      if (s.type !== 'ident' || !canChange(s.name) || this.kinds.get(s.name) === kind) return;
      // Usage only ever promotes a scalar (to a vector or matrix), or demotes a matrix letter used as a number.
      const current = this.kinds.get(s.name);
      // A defined name's kind is its definition's (a variable differentiated by takes it when it is made).
      if (current === undefined && this.isDefined(s.name)) return;
      if ((kind === 'vector' || kind === 'matrix') && current !== 'scalar') return;
      if (kind === 'scalar' && current !== 'matrix') return;
      this.kinds.set(s.name, kind);
      this.reasons.set(s.name, why);
      this.kindCache.clear();
      changed = true;
    };
    for (let round = 0; changed && round < 6; round++) {
      changed = false;
      for (const c of nodes) this.usageAt(c, set);
    }
  }

  /** The inputs and the definitions they use, directly or through other definitions (each once). */
  private kindRoots(): { roots: Syntax[]; used: DefinitionSyntax[] } {
    const roots = this.inputs.map((input) => input.body);
    const used: DefinitionSyntax[] = [];
    if (this.definitions.size === 0) return { roots, used };
    const seen = new Set<string>();
    for (let i = 0; i < roots.length; i++) {
      walkSyntax(roots[i], (c) => {
        if ((c.type !== 'ident' && c.type !== 'apply') || seen.has(c.name) || !this.definitions.has(c.name))
          return;
        seen.add(c.name);
        used.push(this.definitions.get(c.name)!);
        roots.push(used[used.length - 1].body);
      });
    }
    return { roots, used };
  }

  /** Whether `name` stands for its definition here. */
  private isDefined(name: string): boolean {
    return this.definitions.has(name) && !this.variableNames.has(name) && !this.localParams.has(name);
  }

  /** Kinds of binary nodes under the current name kinds (cleared when usage changes a kind). */
  private readonly kindCache = new Map<Syntax, Kind | 'row'>();

  /** Coarse kind of a syntax tree under the current name kinds (no sizes). */
  private kindOf(s: Syntax): Kind | 'row' {
    switch (s.type) {
      case 'number':
        return 'scalar';
      case 'ident': {
        const known = this.kinds.get(s.name);
        if (known || !this.isDefined(s.name) || this.kindVisiting?.has(s.name)) return known ?? 'scalar';
        (this.kindVisiting ??= new Set()).add(s.name);
        try {
          return this.kindOf(this.definitions.get(s.name)!.body);
        } finally {
          this.kindVisiting?.delete(s.name);
        }
      }
      case 'neg':
        return this.kindOf(s.arg);
      case 'derivative':
        return this.derivativeKind(s);
      case 'transpose': {
        const k = this.kindOf(s.arg);
        return k === 'vector' ? (s.array ? 'vector' : 'row') : k === 'row' ? 'vector' : k;
      }
      case 'binary': {
        const cached = this.kindCache.get(s);
        if (cached) return cached;
        // A chain a + b + … of thousands of terms is folded in a loop (recursion would overflow),
        // and cached: usage inference asks for the kind of every left operand.
        const spine = leftSpine(s);
        let k = this.kindOf(spine[spine.length - 1].left);
        for (let i = spine.length - 1; i >= 0; i--) {
          k = binaryKind(spine[i].op, k, this.kindOf(spine[i].right));
          this.kindCache.set(spine[i], k);
        }
        return k;
      }
      case 'call':
        if (ELEMENTWISE_CALLS.has(s.fn)) return this.kindOf(s.args[0]);
        if (s.fn === 'softmax' && this.kindOf(s.args[0]) === 'matrix') return 'matrix';
        if (s.fn === 'softmax' || s.fn === 'logsoftmax') return 'vector';
        if (s.fn === 'diag') return this.kindOf(s.args[0]) === 'matrix' ? 'vector' : 'matrix';
        if (s.fn === 'inv' || s.fn === 'outer') return 'matrix';
        if (s.fn === 'max' || s.fn === 'min' || s.fn === 'relu') {
          const ks = s.args.map((a) => this.kindOf(a));
          return ks.find((k) => k !== 'scalar') ?? 'scalar';
        }
        return 'scalar';
      case 'apply':
        // A defined function's value has its body's kind (the ident case looks it up).
        if (this.isDefined(s.name) && s.primes === 0)
          return this.kindOf({ type: 'ident', name: s.name, style: 'plain', span: s.span });
        return s.style === 'bold' ? 'vector' : 'scalar';
      case 'matrix':
        return s.rows.length === 1
          ? s.rows[0].length === 1
            ? 'scalar'
            : 'row'
          : s.rows[0].length === 1
            ? 'vector'
            : 'matrix';
      default:
        return 'scalar';
    }
  }

  /** Coarse kind of a derivative: ∂y/∂x from the kinds of y and x (a row for a scalar by a vector in numerator layout). */
  private derivativeKind(s: DerivativeSyntax): Kind | 'row' {
    const product = this.productD(s);
    if (product) return this.kindOf(product);
    if (s.notation === 'prime' && !this.isDefined(nameOf(s.of))) {
      const k = this.kindOf(s.of);
      return s.order % 2 === 0 || k === 'scalar' || k === 'matrix' ? k : k === 'vector' ? 'row' : 'vector';
    }
    const by = s.wrt.length ? this.kindOf(s.wrt[0]) : 'vector';
    if (by === 'scalar') return this.kindOf(s.of);
    if (by !== 'vector' || s.order > 1) return 'matrix';
    if (s.notation === 'nabla') return 'vector';
    const of = this.kindOf(s.of);
    if (of !== 'scalar') return 'matrix';
    return this.options.layout === 'denominator' ? 'vector' : 'row';
  }

  /** What one node says about the kinds of its operands. */
  private usageAt(s: Syntax, set: (s: Syntax, kind: Kind, why: string) => void): void {
    switch (s.type) {
      case 'transpose':
        set(s.arg, 'vector', 'transposed');
        break;
      case 'norm':
        set(s.arg, 'vector', 'inside a norm');
        break;
      case 'derivative':
        if (s.notation === 'prime' && !this.isDefined(nameOf(s.of))) set(s.of, 'vector', 'transposed');
        break;
      case 'inner':
        set(s.left, 'vector', 'in an inner product');
        set(s.right, 'vector', 'in an inner product');
        break;
      case 'call':
        if (VECTOR_ARGUMENT_CALLS.has(s.fn) || s.fn === 'diag')
          set(s.args[0], 'vector', `argument of ${s.fn}`);
        if (s.fn === 'outer' && s.args[1]) set(s.args[1], 'vector', 'argument of outer');
        if (s.fn === 'inv') set(s.args[0], 'matrix', 'inverted');
        break;
      case 'binary': {
        if (s.op === '^' || s.op === '.^') {
          set(s.right, 'scalar', 'used as an exponent');
          break;
        }
        if (s.op === '@') {
          set(s.left, 'vector', 'used with @');
          set(s.right, 'vector', 'used with @');
        }
        if (s.op === '/') set(s.right, 'scalar', 'used as a divisor');
        if (s.op === 'odot' || s.op === 'oslash') {
          set(s.left, 'vector', 'in an element-wise product');
          set(s.right, 'vector', 'in an element-wise product');
        }
        // The operands' kinds, before any `set` below changes them; only sums and products look.
        const sum = s.op === '+' || s.op === '-';
        const product = s.op === 'implicit' || s.op === '*' || s.op === 'cdot';
        if (!sum && !product) break;
        const l = this.kindOf(s.left);
        const r = this.kindOf(s.right);
        if (sum) {
          if (l === 'vector') set(s.right, 'vector', 'added to a vector');
          if (r === 'vector') set(s.left, 'vector', 'added to a vector');
        }
        if (product) {
          if (r === 'vector') this.invertedBetweenVectors(s.left, set);
          if (l === 'matrix' || l === 'row') set(s.right, 'vector', 'multiplied by a matrix');
          if (s.op === 'cdot' && r === 'vector') set(s.left, 'vector', 'in an inner product');
          if (s.op === 'cdot' && l === 'vector') set(s.right, 'vector', 'in an inner product');
        }
        break;
      }
      case 'sum': {
        if (s.to) set(s.to, 'scalar', 'a summation bound');
        if (s.to?.type === 'ident' && s.to.style === 'plain') (this.boundNames ??= new Set()).add(s.to.name);
        // x_i under \sum_i is the i-th component of the vector x.
        const suffix = `_${s.index}`;
        const visit = (c: Syntax): void => {
          // (A bold 𝐱ᵢ is the i-th sample, a vector: the column of a matrix, decided when it is built.)
          if (
            c.type === 'ident' &&
            c.style !== 'bold' &&
            c.name.endsWith(suffix) &&
            c.name.length > suffix.length
          ) {
            set(
              { ...c, name: c.name.slice(0, -suffix.length) },
              'vector',
              `summed over its components ${c.name}`,
            );
          }
        };
        walkSyntax(s.body, visit);
        break;
      }
    }
  }

  /**
   * NumPy: an array required of `x ** 2` is required of x; of `x * y`, `x - y` or `x / y` with no array
   * among them, of both (`np.sum(x * y)` sums over two vectors).
   */
  private arrayOperands(
    s: BinarySyntax,
    kind: Kind,
    why: string,
    set: (s: Syntax, kind: Kind, why: string) => void,
  ): void {
    if (s.op === '.^') return set(s.left, kind, why);
    if (s.op !== '.*' && s.op !== '+' && s.op !== '-' && s.op !== '/') return;
    if (this.kindOf(s.left) !== 'scalar' || this.kindOf(s.right) !== 'scalar') return;
    set(s.left, kind, why);
    if (s.op !== '/') set(s.right, kind, why);
  }

  /** `𝐮ᵀ S⁻¹ 𝐯`: a name inverted between two vectors is a matrix (a scalar would be written 𝐮ᵀ𝐯/s). */
  private invertedBetweenVectors(left: Syntax, set: (s: Syntax, kind: Kind, why: string) => void): void {
    if (left.type !== 'binary' || (left.op !== 'implicit' && left.op !== '*')) return;
    const factor = left.right;
    if (
      this.kindOf(left.left) === 'row' &&
      factor.type === 'binary' &&
      factor.op === '^' &&
      factor.left.type === 'ident' &&
      factor.left.style === 'plain' &&
      isNegativeNumber(factor.right)
    )
      set(factor.left, 'matrix', 'inverted between two vectors');
  }

  // ------------------------------------------------------------ sizes

  private freshDim(): DimVar {
    const d: DimVar = { id: this.nextDim++ };
    this.freshDims.push(d);
    return d;
  }

  /**
   * A declared size: a number, or one variable per size name, so that every use
   * of `n` is the same size and a value given with --at can fix it.
   */
  private declaredDim(d: number | string): Dim {
    if (typeof d === 'number') return d;
    if (this.options.dims && Object.hasOwn(this.options.dims, d)) return this.options.dims[d];
    let v = this.namedDims?.get(d);
    if (!v) {
      v = { id: this.nextDim++, name: d };
      (this.namedDims ??= new Map()).set(d, v);
      this.freshDims.push(v);
    }
    return v;
  }

  private unify(a: Dim, b: Dim, what: () => string, span: Span): void {
    const ra = resolveDim(a);
    const rb = resolveDim(b);
    if (ra === rb) return;
    // Two sizes declared with different names (n and m) are different sizes.
    if (typeof ra === 'object' && typeof rb === 'object' && ra.name && rb.name) throw errorAt(what(), span);
    if (typeof ra === 'object' && !(ra.name && typeof rb === 'object')) ra.parent = rb;
    else if (typeof rb === 'object') rb.parent = ra;
    else throw errorAt(what(), span);
  }

  private unifyShapes(op: string, a: Shape, b: Shape, span: Span): void {
    const what = () => `${op} needs matching shapes, got ${shapeText(a)} and ${shapeText(b)}`;
    if (a.kind === 'scalar' || b.kind === 'scalar') return;
    if (a.kind !== b.kind) throw errorAt(what(), span);
    this.unify(rows(a), rows(b), what, span);
    this.unify(cols(a), cols(b), what, span);
  }

  private fixSizesFromValues(): void {
    if (!this.options.at) return;
    for (const [name, value] of Object.entries(this.options.at)) {
      const s = this.symbols.get(name);
      if (!s) continue;
      const span = { start: 0, end: 0 };
      const why = this.reasons.get(name) ?? 'declared';
      const what = () =>
        `the value given for ${name} is ${valueShapeText(value)}, but ${name} is a ${shapeText(s.shape)} (${why})` +
        (why === 'declared' ? '' : '; declare its shape to read it otherwise');
      // A matrix value for a scalar must not silently evaluate the scalar formula entry by entry.
      if (s.shape.kind === 'scalar') {
        if (typeof value !== 'number') throw new LensError(what());
        continue;
      }
      if (!Array.isArray(value)) throw new LensError(what());
      if (s.shape.kind === 'matrix') {
        if (!Array.isArray(value[0])) throw new LensError(what());
        this.unify(s.shape.m, value.length, what, span);
        this.unify(s.shape.n, (value[0] as number[]).length, what, span);
      } else {
        if (Array.isArray(value[0])) throw new LensError(what());
        this.unify(s.shape.n, value.length, what, span);
      }
    }
  }

  /**
   * The names declared symmetric that are matrices (`\mathbf{x} \succ 0` of a vector says its entries
   * are positive, not that it is symmetric), each square and with a symmetric value if one is given.
   */
  private symmetricMatrices(): ReadonlySet<string> {
    const names = new Set<string>();
    if (!this.symmetricNames) return NO_NAMES;
    for (const name of this.symmetricNames) {
      const s = this.symbols.get(name);
      if (s?.shape.kind !== 'matrix') continue;
      if (!sameDim(s.shape.m, s.shape.n))
        throw new LensError(`${name} is declared symmetric, but is a ${shapeText(s.shape)}`);
      const value = this.options.at?.[name];
      if (Array.isArray(value) && !isSymmetricValue(value as number[][]))
        throw new LensError(
          `the value given for ${name} is not symmetric, but ${name} is declared symmetric`,
        );
      names.add(name);
    }
    return names;
  }

  /** Sizes nobody fixed are named n, m, k, p, q, r, … in order of appearance. */
  private nameSizes(): void {
    if (this.freshDims.length === 0) return;
    const used = new Set<string>();
    for (const d of this.declared.values()) for (const x of d.dims) if (typeof x === 'string') used.add(x);
    for (const d of this.freshDims) {
      const r = resolveDim(d);
      if (typeof r !== 'object') continue;
      const name = r.name ?? SIZE_NAMES.find((c) => !used.has(c)) ?? `n_${r.id}`;
      used.add(name);
      r.parent = this.options.dims && Object.hasOwn(this.options.dims, name) ? this.options.dims[name] : name;
      r.namedLate = true;
    }
  }

  // ------------------------------------------------------------ names

  private symbol(name: string): Sym {
    let s = this.symbols.get(name);
    if (s) {
      if (s.role === 'var' && !this.order.includes(s)) this.order.push(s);
      return s;
    }
    const kind = this.kinds.get(name) ?? 'scalar';
    const decl = this.declared.get(name);
    let shape: Shape = SCALAR;
    if (decl && declaredKind(decl) === kind) shape = this.declaredShape(decl);
    else if (kind === 'vector') shape = { kind: 'vector', n: this.freshDim() };
    else if (kind === 'matrix') {
      const m = this.freshDim();
      shape = { kind: 'matrix', m, n: this.symmetricNames?.has(name) ? m : this.freshDim() };
    }
    s = sym(name, shape);
    this.symbols.set(name, s);
    this.order.push(s);
    return s;
  }

  private declaredShape(decl: DeclarationSyntax): Shape {
    const [m, n] = decl.dims.map((d) => this.declaredDim(d));
    return decl.dims.length === 0
      ? SCALAR
      : decl.dims.length === 1
        ? { kind: 'vector', n: m }
        : { kind: 'matrix', m, n };
  }

  private ident(s: Extract<Syntax, { type: 'ident' }>): Expr {
    const { name } = s;
    if (this.isDefined(name)) {
      const value = this.definedValue(name, s.span);
      this.sumIndex?.usedAsItself(value);
      return value;
    }
    if (this.functions?.has(name)) throw bothFunctionAndVariable(name, s.span);
    const isParam = this.paramNames.has(name) || this.declared.has(name);
    if (!isParam && CONSTANTS.has(name) && s.style !== 'bold') return sym(name, SCALAR, 'const');
    if (!isParam && name === 'Delta' && s.style === 'plain')
      (this.caveats ??= new Set()).add(
        'an increment such as \\Delta x is read as the product \\Delta \\cdot x',
      );
    if (!isParam && isOnesName(name)) return ones({ kind: 'vector', n: this.freshDim() });
    if (!isParam && name === '0' && s.style === 'bold') return zero({ kind: 'vector', n: this.freshDim() });
    // 1/N beside \sum_{i=1}^{N}: the number of terms, not a variable.
    if (!isParam && this.boundNames?.has(name) && s.style === 'plain')
      return this.sizeSymbol(this.declaredDim(name));
    const eye = isParam ? null : IDENTITY_NAME.exec(name);
    if (eye)
      return identity(
        eye[1] ? this.declaredDim(/^[0-9]/.test(eye[1]) ? Number(eye[1]) : eye[1]) : this.freshDim(),
      );
    const indexed = this.sumIndex && INDEXED_NAME.exec(name);
    if (this.sumIndex && indexed && (indexed[2] ?? indexed[3]) === this.sumIndex.index) {
      const base = indexed[1];
      // 𝐱ᵢ, 𝐱^{(i)}, or a plain x_i used as a vector (𝐰ᵀx_i, θᵀx^{(i)}): the i-th sample; where
      // samples are written bold, a plain xᵢ is set apart by its type: an entry (its kind may come
      // from 𝐱ᵢ's, x_i being one name in both styles).
      const vector = this.kinds.get(name) === 'vector' && !this.boldIndexed;
      // Python's row X[i] is a sample, NumPy keeping samples in rows; its entry x[i] is one of x's.
      if (s.element === 'row') return this.samples(base, s.span, true);
      if (!s.element && (s.style === 'bold' || vector)) return this.samples(base, s.span);
      // x_i, y^{(i)} inside \sum_i: the i-th component of the vector x, so the body is element-wise in x.
      if (!this.kinds.has(base) || this.kinds.get(base) === 'scalar') this.kinds.set(base, 'vector');
      if (!this.reasons.has(base)) this.reasons.set(base, `summed over its components ${name}`);
      const v = this.symbol(base);
      if (v.shape.kind !== 'vector')
        throw errorAt(`${name} needs ${base} to be a vector, it is a ${shapeText(v.shape)}`, s.span);
      this.unify(
        v.shape.n,
        this.sumIndex.size,
        () =>
          `${base} has ${shapeText(v.shape)} but the sum runs to ${String(resolveDim(this.sumIndex!.size))}`,
        s.span,
      );
      this.sumIndex.entries(base, name);
      return v;
    }
    this.sumIndex?.usedAsItself(name);
    return this.symbol(name);
  }

  /**
   * 𝐱ᵢ inside \sum_i is the i-th sample, a vector: the i-th column of the
   * matrix X = [𝐱₁ … 𝐱_N] (or its i-th row, with `samples: 'rows'`). The body then holds one value
   * per sample, so 𝐰·𝐱ᵢ becomes the vector Xᵀ𝐰 (the mean squared loss of a batch, as study notes write it).
   */
  private samples(base: string, span: Span, array = false): Expr {
    // An array x of Python is the matrix itself, its rows the samples x[i].
    const asRows = array || this.options.samples === 'rows';
    const name = array ? base : base.length === 1 ? base.toUpperCase() : `${base}s`;
    if (this.kinds.get(name) !== 'matrix' && this.symbols.has(name)) {
      throw errorAt(
        `the samples ${base}_i would be the columns of ${name}, but ${name} is already used`,
        span,
      );
    }
    this.kinds.set(name, 'matrix');
    this.reasons.set(
      name,
      `the samples ${base}_${this.sumIndex!.index} as its ${asRows ? 'rows' : 'columns'}`,
    );
    const x = this.symbol(name);
    if (x.shape.kind !== 'matrix') throw errorAt(`${name} must be a matrix of samples`, span);
    (this.sampleMatrices ??= new Set()).add(name);
    if (asRows) (this.rowSamples ??= new Set()).add(name);
    this.sumIndex!.samples(name, `${base}_${this.sumIndex!.index}`, asRows ? 'rows' : 'columns');
    const size = this.sumIndex!.size;
    this.unify(
      asRows ? x.shape.m : x.shape.n,
      size,
      () => `${name} has ${shapeText(x.shape)} but the sum runs to ${dimText(size)}`,
      span,
    );
    return asRows ? transpose(x) : x;
  }

  /** A matrix of samples, one column per sample: X, or Xᵀ when X holds them as rows. */
  private isSamples(e: Expr): boolean {
    if (e.type === 'transpose') return e.arg.type === 'sym' && this.rowSamples?.has(e.arg.name) === true;
    return e.type === 'sym' && this.sampleMatrices?.has(e.name) === true && !this.rowSamples?.has(e.name);
  }

  // ------------------------------------------------------------ definitions and derivatives

  /** The value of a defined name: its definition, built once (per set of names that stand for themselves). */
  private definedValue(name: string, span: Span): Expr {
    const memoKey = `${name}|${[...this.variableNames].sort().join(',')}`;
    const built = this.builtDefinitions?.get(memoKey);
    if (built) return built;
    const loop = this.building.indexOf(name);
    if (loop >= 0)
      throw new DefinitionError(
        `${name} is defined in terms of itself (${[...this.building.slice(loop), name].join(' → ')})`,
        span,
      );
    const def = this.definitions.get(name)!;
    const decl = this.declared.get(name);
    let body = def.body;
    // y = f(x) with y ∈ ℝ^q: f is a vector function (as if written 𝐟), with values in ℝ^q.
    if (
      decl?.dims.length === 1 &&
      body.type === 'apply' &&
      body.style !== 'word' &&
      !this.isDefined(body.name)
    ) {
      body = { ...body, style: 'bold' };
      if (!this.functions?.has(body.name))
        (this.functions ??= new Map()).set(body.name, {
          arity: body.args.length,
          value: this.declaredShape(decl),
        });
    }
    (this.usedDefinitions ??= new Set()).add(name);
    this.building.push(name);
    const saved = { params: this.localParams, sum: this.sumIndex };
    this.localParams = new Set(def.params?.map((p) => p.name));
    this.sumIndex = undefined;
    try {
      const value = this.build(body);
      if (decl) this.requireDeclaredShape(name, decl, value, span);
      (this.builtDefinitions ??= new Map()).set(memoKey, value);
      return value;
    } catch (e) {
      // Its column is in the definition's own text: say whose.
      if (e instanceof LensError && !(e instanceof DefinitionError))
        throw new DefinitionError(`the definition of ${name}: ${e.message}`, span);
      throw e;
    } finally {
      this.building.pop();
      this.localParams = saved.params;
      this.sumIndex = saved.sum;
    }
  }

  /**
   * `f(a, b)` with `f(x, y) = …` defined: its body with the arguments for the parameters; `f'(a)`, the
   * derivative of the body by its one parameter, at the argument.
   */
  private appliedDefinition(s: Extract<Syntax, { type: 'apply' }>): Expr {
    const def = this.definitions.get(s.name)!;
    // `y = x^3` then `y(x)`, `y'(x)`: the notes show what y depends on; its value is the definition.
    if (!def.params && s.args.every((a) => a.type === 'ident'))
      return this.dependentValue(
        s,
        s.args.map((a) => this.build(a)),
      );
    const params = def.params ?? [];
    if (params.length !== s.args.length)
      throw errorAt(
        `${s.name} is defined with ${params.length} parameter${params.length === 1 ? '' : 's'}, here applied to ${s.args.length}`,
        s.span,
      );
    const known = new Set(this.order);
    let body = this.definedValue(s.name, s.span);
    const vars = params.map((p) => this.symbol(p.name));
    for (let k = 0; k < s.primes; k++) {
      if (vars.length !== 1 || !isScalar(vars[0]))
        throw errorAt(
          `${s.name}${"'".repeat(s.primes)} needs ${s.name} to be a function of one scalar`,
          s.span,
        );
      body = this.derive(s.span)(body, vars, 'jacobian');
    }
    const args = s.args.map((a, i) => {
      const e = this.build(a);
      this.unifyShapes(`the argument for ${params[i].name}`, vars[i].shape, e.shape, a.span);
      if (e.shape.kind !== vars[i].shape.kind)
        throw errorAt(
          `${s.name}'s parameter ${params[i].name} is a ${shapeText(vars[i].shape)}, the argument a ${shapeText(e.shape)}`,
          a.span,
        );
      return e;
    });
    const byName = new Map(params.map((p, i) => [p.name, args[i]]));
    const value = replaceSyms(body, (x) => (x.role === 'var' ? byName.get(x.name) : undefined));
    this.forgetUnused(vars, known, value);
    return value;
  }

  /** Names that only stood for something substituted away (f's parameters in f(a)) are no variables of the input. */
  private forgetUnused(vars: readonly Sym[], known: ReadonlySet<Sym>, value: Expr): void {
    for (const v of vars) {
      const i = this.order.indexOf(v);
      if (i >= 0 && !known.has(v) && !dependsOn(value, v.name)) this.order.splice(i, 1);
    }
  }

  private derive(span: Span): DeriveFunction {
    const derive = this.options.derive;
    if (!derive) throw errorAt('derivative notation cannot be evaluated here', span);
    this.evaluatesDerivatives = true;
    return derive;
  }

  /** A defined name that is also declared (`y = A\mathbf{x}`, `y \in \mathbb{R}^q`): its value has that shape. */
  private requireDeclaredShape(name: string, decl: DeclarationSyntax, value: Expr, span: Span): void {
    const declared = this.declaredShape(decl);
    const what = () =>
      `${name} is declared a ${shapeText(declared)} but defined as a ${shapeText(value.shape)}`;
    try {
      if (declared.kind !== value.shape.kind) throw errorAt(what(), span);
      this.unifyShapes(name, declared, value.shape, span);
    } catch (e) {
      // About the name where it is used, not inside its definition.
      if (e instanceof LensError) throw new DefinitionError(e.message, e.span);
      throw e;
    }
  }

  /** Derivative notation, evaluated by the pipeline's `derive` in the layout in effect. */
  private derivative(s: DerivativeSyntax): Expr {
    if (s.notation === 'prime' && !this.isDefined(nameOf(s.of))) {
      // x' of a name with no definition is a transpose, as it always was.
      let e = this.build(s.of);
      // (f(x) + g(x))' of a scalar means a derivative (its transpose would be itself).
      if (s.of.type !== 'ident' && isScalar(e)) return this.primedScalar(s, e);
      for (let k = 0; k < s.order; k++) e = transpose(e);
      return e;
    }
    const product = this.productD(s);
    if (product) return this.build(product);
    const derive = this.derive(s.span);
    const names = s.wrt.map((v) => (v.type === 'ident' ? v.name : notAVariable(v)));
    // ∂L/∂z with z defined: z is a variable inside the derivative, which is then taken where z has its value.
    const values = new Map<string, Expr>();
    for (const name of new Set(names))
      if (this.isDefined(name)) values.set(name, this.definedValue(name, s.span));
    for (const [name, value] of values) this.kinds.set(name, shapeKind(value, s.span));
    const known = new Set(this.order);
    const saved = this.variableNames;
    this.variableNames = new Set([...saved, ...values.keys()]);
    let result: Expr;
    try {
      const of = this.build(s.of);
      const wrt = s.wrt.map((v, i) => this.variableToDifferentiateBy(names[i], v.span, of));
      for (const [name, value] of values)
        this.unifyShapes('a defined name', this.symbol(name).shape, value.shape, s.span);
      // ∇f, ∂f/∂x of a name with no definition that is nothing but differentiated: the note means an
      // unknown function, not a variable of its own (whose derivative would be 1, I or 0). A name used
      // as a value elsewhere (∂z/∂x beside x + z) or declared is an independent variable, and so are
      // two components of one vector (∂x_i/∂x_j).
      if (
        s.of.type === 'ident' &&
        of.type === 'sym' &&
        of.role === 'var' &&
        !wrt.some((v) => v === of || (v.type === 'entry' && v.whole === of)) &&
        !wrt.some((v) => sameVector(v.name, of.name)) &&
        !this.independentNames().has(s.of.name)
      )
        throw errorAt(
          `${s.of.name} has no definition here: cannot evaluate ${derivativeText(s, s.of.name, names)}`,
          s.span,
        );
      result = this.evaluateDerivative(s, of, wrt, this.jacobianArguments(s), derive);
    } finally {
      this.variableNames = saved;
    }
    if (!values.size) return result;
    const value = replaceSyms(result, (x) => (x.role === 'var' ? values.get(x.name) : undefined));
    this.forgetUnused(
      [...values.keys()].map((name) => this.symbol(name)),
      known,
      value,
    );
    return value;
  }

  /** `(x^2 + x)'`: the derivative of a scalar expression by its one scalar variable. */
  private primedScalar(s: DerivativeSyntax, e: Expr): Expr {
    const vars = this.variablesOf(e);
    if (vars.length > 1 || vars.some((v) => !isScalar(v)))
      throw errorAt(
        `(…)' of an expression in ${vars.map((v) => v.name).join(', ')}: write \\frac{\\partial}{\\partial ${vars[0].name}}(…) for its derivative`,
        s.span,
      );
    if (!vars.length) return zero(SCALAR);
    const derive = this.derive(s.span);
    let result = e;
    for (let k = 0; k < s.order; k++) result = derive(result, vars, 'jacobian');
    return result;
  }

  private products: Map<DerivativeSyntax, Syntax> | undefined;

  /**
   * `D\mathbf{x}` as the product D·𝐱, where D is declared, defined or used as a value (a matrix or a
   * scalar), or where what follows is a bold name with no definition: D of a vector variable says
   * nothing to evaluate, and notes write D𝐱 for a (diagonal) matrix D times 𝐱. (`D f` stays the
   * derivative of f: there D is the notation.)
   */
  private productD(s: DerivativeSyntax): Syntax | undefined {
    if (!s.bare) return undefined;
    const ofName = s.of.type === 'ident' && s.of.style === 'bold' && !this.isDefined(s.of.name);
    if (!ofName && !(this.declared.has('D') || this.definitions.has('D') || this.independentNames().has('D')))
      return undefined;
    let p = this.products?.get(s);
    if (!p) {
      // One node per derivative, so that the kinds cached for it hold.
      p = { type: 'binary', op: 'implicit', left: s.bare, right: s.of, span: s.span };
      (this.products ??= new Map()).set(s, p);
    }
    return p;
  }

  private independent: Set<string> | undefined;

  /**
   * Names used as values (not only as what a derivative is of, or by) in the inputs or the
   * definitions in effect (`\mathbf{y} = \mathbf{x} + z`), or declared.
   */
  private independentNames(): ReadonlySet<string> {
    if (this.independent) return this.independent;
    const names = new Set([...this.declared.keys(), ...this.paramNames, ...(this.options.values ?? [])]);
    for (const r of [...this.inputs, ...this.definitions.values()]) valueNames(r.body, names);
    this.independent = names;
    return names;
  }

  /**
   * `J_f(\mathbf{x})`, `J_f(x, y)`: the Jacobian is by the arguments, which must be variables (at an
   * expression, J_f(A\mathbf{x}) is f's Jacobian there, not the derivative of f(A𝐱) by 𝐱).
   */
  private jacobianArguments(s: DerivativeSyntax): Sym[] | undefined {
    if (s.notation !== 'jacobian' || s.of.type !== 'apply') return undefined;
    const { name } = s.of;
    return s.of.args.map((a) => {
      const v = a.type === 'ident' ? this.symbols.get(a.name) : undefined;
      if (!v || v.role !== 'var')
        throw errorAt(
          `J_${name}(…) is read with variables as its arguments; for the Jacobian at an expression, name it (\\mathbf{u} = …)`,
          a.span,
        );
      return v;
    });
  }

  private evaluateDerivative(
    s: DerivativeSyntax,
    of: Expr,
    written: readonly (Sym | Entry)[],
    by: readonly Sym[] | undefined,
    derive: DeriveFunction,
  ): Expr {
    const entry = written.find((v): v is Entry => v.type === 'entry');
    if (entry && (s.notation === 'nabla' || s.order > 2))
      throw errorAt(
        `${entry.name} is one entry of ${entry.whole.name}: write its derivative as \\frac{\\partial}{\\partial ${entry.name}}, of order 1 or 2`,
        s.span,
      );
    const wrt = written.filter((v): v is Sym => v.type === 'sym');
    const vars = written.length ? [] : (by ?? defaultVariables(this.variablesOf(of)));
    if (!written.length && !vars.length)
      throw errorAt(
        'this derivative has nothing to differentiate by: the expression has no variables',
        s.span,
      );
    if (s.notation === 'nabla') {
      if (s.order > 2)
        throw errorAt(`\\nabla^${s.order} (a tensor of order ${s.order}) is not supported`, s.span);
      // ∇²ₓ writes x once per order; ∇_{x,y} stacks the gradients by x and by y.
      return derive(of, wrt.length ? [...new Set(wrt)] : vars, s.order === 1 ? 'gradient' : 'hessian');
    }
    if (s.order > 2 && [...wrt, ...vars].some((v) => !isScalar(v)))
      throw errorAt(
        `a derivative of order ${s.order} by a vector or matrix (a tensor) is not supported`,
        s.span,
      );
    // ∂²f/∂x∂y = ∂/∂x (∂f/∂y): the variable nearest f first.
    let result = of;
    for (let k = s.order - 1; k >= 0; k--) {
      const v = written[k];
      result =
        v?.type === 'entry' ? this.byEntry(result, v, derive) : derive(result, v ? [v] : vars, 'jacobian');
    }
    return result;
  }

  /** The free variables of `e`, in order of first appearance in the input. */
  private variablesOf(e: Expr): Sym[] {
    const found = new Set(postorder([e]).filter((x): x is Sym => x.type === 'sym' && x.role === 'var'));
    return this.order.filter((v) => found.has(v));
  }

  /** `x` in ∂f/∂x; `x_{ij}` when f has a matrix X (or `w_i` when it has a vector w) instead: one entry of it. */
  private variableToDifferentiateBy(name: string, span: Span, of: Expr): Sym | Entry {
    // The last subscript, not a layer or sample index (x^{(1)} is the name x_(1), a variable of its own).
    const entry = /^(.+)_([^_([{][^_]*)$/.exec(name);
    if (entry) {
      for (const whole of new Set([entry[1], entry[1].toUpperCase()])) {
        const v = this.symbols.get(whole);
        if (!v || isScalar(v) || !postorder([of]).includes(v)) continue;
        // x_i + ‖𝐱‖²: x_i a variable of its own beside 𝐱 is the notes' other reading; guessing is a wrong answer.
        if (this.independentNames().has(name))
          throw errorAt(
            `${name} is a variable of its own here, and also reads as one entry of the ${shapeText(v.shape)} ${whole}: cannot tell which ∂/∂${name} means`,
            span,
          );
        return this.entryOf(name, v, entry[2], span);
      }
    }
    const v = this.symbol(name);
    if (v.role !== 'var') throw errorAt(`cannot differentiate by ${name}, which is not a variable`, span);
    return v;
  }

  private units: Map<string, Sym> | undefined;
  private caveats: Set<string> | undefined;
  /** `w_3`: checked against w's size once sizes are known. */
  private readonly numberedEntries: { name: string; whole: Sym; index: number; size: Dim; span: Span }[] = [];

  private requireEntriesInRange(): void {
    for (const { name, whole, index, size, span } of this.numberedEntries) {
      const n = resolveDim(size);
      if (typeof n === 'number' && index > n)
        throw errorAt(`${name} is not an entry of the ${shapeText(whole.shape)} ${whole.name}`, span);
    }
  }

  /** `x_{ij}` as the entry (i, j) of the matrix x: its unit vectors 𝐞ᵢ, 𝐞ⱼ (one, 𝐞ᵢ, of a vector). */
  private entryOf(name: string, whole: Sym, subscript: string, span: Span): Entry {
    const dims = whole.shape.kind === 'matrix' ? [whole.shape.m, whole.shape.n] : [rows(whole.shape)];
    const indices =
      dims.length === 1 ? [subscript] : subscript.includes(',') ? subscript.split(',') : [...subscript];
    if (indices.length !== dims.length)
      throw errorAt(
        `${name}: an entry of the ${shapeText(whole.shape)} ${whole.name} needs ${dims.length === 1 ? 'one index' : `two indices (${whole.name}_{ij})`}`,
        span,
      );
    const units = indices.map((index, k) => {
      if (!/^(?:[A-Za-z]|[1-9][0-9]*)$/.test(index))
        throw errorAt(`${name}: cannot read ${index} as an index of ${whole.name}`, span);
      if (/^[0-9]/.test(index))
        this.numberedEntries.push({ name, whole, index: Number(index), size: dims[k], span });
      const unitName = `e_${index}`;
      if (this.independentNames().has(unitName))
        throw errorAt(`${name}: the unit vector ${unitName} it is read with is a name of this input`, span);
      const known = this.units?.get(unitName);
      if (known && !sameDim(rows(known.shape), dims[k]))
        throw errorAt(`${name}: the index ${index} runs over two different sizes`, span);
      const unit: Sym = known ?? make.sym(unitName, { kind: 'vector', n: dims[k] }, 'const', { unit: index });
      (this.units ??= new Map()).set(unitName, unit);
      return unit;
    });
    return { type: 'entry', name, whole, units };
  }

  /** ∂f/∂x_{ij}: of a scalar f the entry 𝐞ᵢᵀ(∇_X f)𝐞ⱼ of its gradient, else the derivative along 𝐞ᵢ𝐞ⱼᵀ. */
  private byEntry(f: Expr, entry: Entry, derive: DeriveFunction): Expr {
    const [ei, ej] = entry.units;
    if (isScalar(f)) {
      const g = derive(f, [entry.whole], 'gradient');
      return ej ? matmul(transpose(ei), g, ej) : matmul(transpose(ei), g);
    }
    return derive(f, [entry.whole], 'jacobian', ej ? matmul(ei, transpose(ej)) : ei);
  }

  // ------------------------------------------------------------ building

  private build(s: Syntax): Expr {
    // A try here, not `located` with a closure: this runs once per node.
    try {
      if (!this.sumIndex) return this.buildNode(s);
      const uses = this.sumIndex.uses;
      return this.fromIndex(this.buildNode(s), uses);
    } catch (e) {
      throw placed(e, s.span);
    }
  }

  /**
   * `e`, built under \sum_i from the entries or samples read since `uses`: refused when they
   * cancelled in it (see `IndexedSum.built`), and one number per i as a column (𝐰ᵀW𝐱ᵢ is the row
   * 𝐰ᵀWX, its entries the numbers: a column adds to yᵢ and has powers).
   */
  private fromIndex(e: Expr, uses: number): Expr {
    const sum = this.sumIndex;
    if (!sum || sum.uses === uses) return e;
    if (!sum.built(e))
      throw new LensError(
        `the terms of this sum that depend on ${sum.index} cancel out here; write the sum without them`,
      );
    return e.shape.kind === 'row' && sum.of(e) === 'entries' ? transpose(e) : e;
  }

  private buildNode(s: Syntax): Expr {
    switch (s.type) {
      case 'number':
        if (!Number.isFinite(s.value)) throw errorAt(OUT_OF_RANGE, s.span);
        return numFromFloat(s.value);
      case 'ident':
        return this.ident(s);
      case 'neg':
        return neg(this.build(s.arg));
      case 'transpose': {
        const a = this.build(s.arg);
        // xᵢᵀ under \sum_i is the number xᵢ.
        if (this.sumIndex?.of(a) === 'entries') return a;
        return s.array && a.shape.kind === 'vector' ? a : transpose(a);
      }
      case 'binary':
        return this.binary(s);
      case 'call':
        return this.call(s);
      case 'apply':
        // f'(x) writes a derivative as much as d/dx f(x) does.
        if (s.primes > 0) this.evaluatesDerivatives = true;
        return this.isDefined(s.name) ? this.appliedDefinition(s) : this.abstractFunction(s);
      case 'norm':
        return this.norm(s);
      case 'inner': {
        const a = this.build(s.left);
        const b = this.build(s.right);
        return this.dot(a, b, s.span, '⟨·,·⟩');
      }
      case 'matrix':
        return block(s.rows.map((r) => r.map((c) => this.build(c))));
      case 'sum':
        return this.sum(s);
      case 'derivative':
        return this.derivative(s);
    }
  }

  private dot(a: Expr, b: Expr, span: Span, op: string): Expr {
    if (this.sumIndex) {
      const ta = this.sumIndex.of(a);
      const tb = this.sumIndex.of(b);
      // xᵢ·𝐰 is a product by a number; 𝐱ᵢ·𝐲ᵢ one inner product per i.
      if (ta === 'entries' || tb === 'entries') return this.product(a, b, op, span);
      if (ta === 'columns' && tb === 'columns') {
        this.unifyShapes(op, a.shape, b.shape, span);
        return this.sumIndex.product(transpose(a), b)!;
      }
    }
    // 𝐰·𝐱ᵢ for every sample i at once: Xᵀ𝐰.
    if (this.isSamples(a) || this.isSamples(b)) return this.sampleProduct(a, b, span, op);
    const av = a.shape.kind === 'row' ? transpose(a) : a;
    const bv = b.shape.kind === 'row' ? transpose(b) : b;
    if (av.shape.kind !== 'vector' || bv.shape.kind !== 'vector') {
      throw errorAt(`${op} needs two vectors, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`, span);
    }
    this.unifyShapes(op, av.shape, bv.shape, span);
    return matmul(transpose(av), bv);
  }

  /** A constant vector against the samples: one inner product per sample, Xᵀ𝐰. */
  private sampleProduct(a: Expr, b: Expr, span: Span, op: string): Expr {
    const [samples, other] = this.isSamples(a) ? [a, b] : [b, a];
    const w = other.shape.kind === 'row' ? transpose(other) : other;
    if (w.shape.kind !== 'vector' || samples.shape.kind !== 'matrix') {
      throw errorAt(`${op} of a sample needs a vector, got ${shapeText(other.shape)}`, span);
    }
    this.unify(
      samples.shape.m,
      w.shape.n,
      () =>
        `${op} needs matching shapes, got ${shapeText(w.shape)} and samples of ${shapeText(samples.shape)}`,
      span,
    );
    return matmul(transpose(samples), w);
  }

  private product(a: Expr, b: Expr, op: string, span: Span): Expr {
    if (isScalar(a) || isScalar(b)) return mul(a, b);
    if (this.sumIndex) {
      const ta = this.sumIndex.of(a);
      const tb = this.sumIndex.of(b);
      if (ta === 'columns' && tb === 'columns' && op === 'cdot') return this.dot(a, b, span, '·');
      if (ta === 'rows' && tb === 'columns')
        this.unify(
          cols(a.shape),
          rows(b.shape),
          () => `${op} needs matching shapes, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`,
          span,
        );
      // xᵢyᵢ, xᵢ𝐰, 𝐫ᵢᵀ𝐱ᵢ: products of values per i (their sizes are the sum's, already one).
      const per = this.sumIndex.product(a, b);
      if (per) return per;
      // 𝐰ᵀ𝐱ᵢ (or 𝐰𝐱ᵢ, as notes also write it); W𝐱ᵢ is the ordinary product WX.
      const other = this.isSamples(a) ? b : this.isSamples(b) ? a : undefined;
      if (other && other.shape.kind !== 'matrix') return this.sampleProduct(a, b, span, op);
    }
    if (op === 'cdot' && a.shape.kind === 'vector' && b.shape.kind === 'vector')
      return this.dot(a, b, span, '·');
    if (op === '*' && a.shape.kind === 'vector' && b.shape.kind === 'vector') {
      throw errorAt(
        `× of two vectors (a cross product) is not supported; write \\mathbf{u}^\\top\\mathbf{v} for an inner product`,
        span,
      );
    }
    if (a.shape.kind === 'vector' && b.shape.kind === 'vector') {
      throw errorAt(
        `cannot multiply ${shapeText(a.shape)} by ${shapeText(b.shape)}; write \\mathbf{u}^\\top\\mathbf{v} or \\mathbf{u}\\cdot\\mathbf{v} for an inner product`,
        span,
      );
    }
    const what = () =>
      `matrix product needs inner sizes to agree, got ${shapeText(a.shape)} times ${shapeText(b.shape)}`;
    if (a.shape.kind === 'vector' && b.shape.kind !== 'row') throw errorAt(what(), span);
    this.unify(cols(a.shape), rows(b.shape), what, span);
    return matmul(a, b);
  }

  /**
   * `@` under a generator sum with a sample X[i] (a column of the samples here), a 1-D array:
   * X[i] @ u and u @ X[i] are inner products, X[i] @ A is Aᵀ𝐱ᵢ, X[i] @ V[i] one inner product per i.
   */
  private samplesAt(a: Expr, b: Expr, span: Span): Expr | undefined {
    const sum = this.sumIndex!;
    const ta = sum.of(a);
    const tb = sum.of(b);
    if (ta !== 'columns' && tb !== 'columns') return undefined;
    const what = () => `@ needs matching sizes, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`;
    if (ta === 'columns' && tb === 'columns') return this.dot(a, b, span, '@');
    const [c, other] = ta === 'columns' ? [a, b] : [b, a];
    if (other.shape.kind === 'vector') {
      this.unify(rows(c.shape), other.shape.n, what, span);
      return matmul(transpose(c), other);
    }
    if (ta !== 'columns' || other.shape.kind !== 'matrix') return undefined;
    this.unify(rows(other.shape), rows(c.shape), what, span);
    return matmul(transpose(other), c);
  }

  /** NumPy's `@`: a vector is a row on the left and a column on the right, and 𝐮 @ A is the vector Aᵀ𝐮. */
  private matmulArrays(a: Expr, b: Expr, span: Span): Expr {
    if (isScalar(a) || isScalar(b))
      throw errorAt(
        `@ needs arrays on both sides, got ${shapeText(a.shape)} and ${shapeText(b.shape)}`,
        span,
      );
    const av = a.shape.kind === 'row' ? transpose(a) : a;
    const bv = b.shape.kind === 'row' ? transpose(b) : b;
    const samples = this.sumIndex && this.samplesAt(av, bv, span);
    if (samples) return samples;
    if (av.shape.kind === 'vector' && bv.shape.kind === 'vector') return this.dot(av, bv, span, '@');
    if (av.shape.kind === 'vector') return transpose(this.product(transpose(av), bv, '@', span));
    return this.product(av, bv, '@', span);
  }

  /**
   * A left-deep chain (a + b − c ⋯ with thousands of terms) is built in a loop, not by recursion,
   * and each run of + and − becomes one n-ary sum (adding a term at a time would be quadratic).
   */
  private binary(s: BinarySyntax): Expr {
    const spine = leftSpine(s);
    // Each partial result under \sum_i, not only the whole chain, may have had its entries cancel.
    const uses = this.sumIndex?.uses ?? 0;
    let acc = this.build(spine[spine.length - 1].left);
    for (let i = spine.length - 1; i >= 0; i--) {
      if (isProductOp(spine[i].op) && isScalar(acc)) {
        // Likewise a run of products of a scalar: one n-ary product, up to the first non-scalar factor.
        const factors = [acc];
        const span = spine[i].span;
        for (let scalar = true; i >= 0 && scalar && isProductOp(spine[i].op); i--) {
          const b = this.build(spine[i].right);
          factors.push(b);
          scalar = isScalar(b);
        }
        i++;
        acc = this.fromIndex(located(span, mul, factors), uses);
        continue;
      }
      if (spine[i].op !== '+' && spine[i].op !== '-') {
        const node = spine[i];
        try {
          acc = this.fromIndex(this.binaryStep(acc, node), uses);
        } catch (e) {
          throw placed(e, node.span);
        }
        continue;
      }
      const built = [acc];
      const steps: BinarySyntax[] = [];
      for (let op = spine[i].op; i >= 0 && (op === '+' || op === '-'); op = spine[--i]?.op) {
        steps.push(spine[i]);
        const b = this.build(spine[i].right);
        built.push(op === '+' ? b : neg(b));
      }
      i++;
      // Under \sum_i, W𝐱ᵢ + 𝐛 adds 𝐛 to every column: WX + 𝐛𝟏ᵀ.
      const terms = this.sumIndex ? this.sumIndex.terms(built) : built;
      let shape = terms[0].shape; // of the sum so far: its first non-scalar term's
      for (let k = 1; k < terms.length; k++) {
        this.sumShape(steps[k - 1].op as '+' | '-', shape, terms[k].shape, steps[k - 1].span);
        if (shape.kind === 'scalar') shape = terms[k].shape;
      }
      acc = this.fromIndex(located(steps[steps.length - 1].span, add, terms), uses);
    }
    return acc;
  }

  private sumShape(op: '+' | '-', a: Shape, b: Shape, span: Span): void {
    this.unifyShapes(op, a, b, span);
    // The notes read a + A as aI + A, NumPy as a added to every entry: guessing either would give
    // half the readers a wrong derivative, so the sum must say which (the core's own trees mean
    // every entry, as eval and diff do).
    if (
      !this.numpy &&
      ((a.kind === 'scalar' && b.kind === 'matrix') || (b.kind === 'scalar' && a.kind === 'matrix'))
    )
      throw errorAt(
        `adding a scalar to a matrix is ambiguous: write aI ${op} A for a multiple of the identity, or a\\mathbf{1}\\mathbf{1}^\\top ${op} A to change every entry`,
        span,
      );
  }

  private binaryStep(a: Expr, s: BinarySyntax): Expr {
    if (s.op === '^' || s.op === '.^') return this.powerChain(a, s);
    const b = this.build(s.right);
    switch (s.op) {
      case '+':
      case '-':
        this.sumShape(s.op, a.shape, b.shape, s.span);
        return s.op === '+' ? add(a, b) : sub(a, b);
      case '*':
      case 'implicit':
      case 'cdot':
        return this.product(a, b, s.op, s.span);
      case 'odot':
      case '.*': {
        // Under \sum_i, NumPy's y[i] * X[i] is a number times a sample: a product.
        const ta = this.sumIndex?.of(a);
        const tb = this.sumIndex?.of(b);
        if ((ta === 'entries') !== (tb === 'entries') && !isScalar(a) && !isScalar(b))
          return this.product(a, b, s.op, s.span);
        // 𝐱ᵢ ⊙ 𝐛 scales every sample: X ⊙ 𝐛𝟏ᵀ.
        const [x, y] = this.sumIndex ? this.sumIndex.terms([a, b]) : [a, b];
        this.unifyShapes(s.op === 'odot' ? '⊙' : '*', x.shape, y.shape, s.span);
        return hadamard(x, y);
      }
      case '@':
        return this.matmulArrays(a, b, s.span);
      case '/':
      case 'oslash':
        if (!isScalar(b)) this.unifyShapes(s.op === '/' ? '/' : '⊘', a.shape, b.shape, s.span);
        return div(a, b);
    }
  }

  /**
   * `a ^ (b ^ (c ^ …))` from the innermost exponent out, in a loop: a power tower (`x ** x ** … ** x`)
   * nests to the right, and building it by recursion would overflow the stack a few hundred levels deep.
   */
  private powerChain(base: Expr, s: BinarySyntax): Expr {
    const chain = [s];
    for (let r = s.right; r.type === 'binary' && r.op === s.op; r = r.right) chain.push(r);
    const innermost = chain[chain.length - 1].right;
    let exp = this.build(innermost);
    let expSpan = innermost.span;
    for (let k = chain.length - 1; k >= 0; k--) {
      const node = chain[k];
      const b = k === 0 ? base : this.build(node.left);
      try {
        exp = this.power(b, exp, expSpan, node.span, s.op === '.^');
      } catch (e) {
        throw placed(e, node.span);
      }
      expSpan = node.span;
    }
    return exp;
  }

  /** `elementwise`: NumPy's `**`, entry by entry even on a matrix. */
  private power(base: Expr, exp: Expr, expSpan: Span, span: Span, elementwise: boolean): Expr {
    if (!isScalar(exp)) throw errorAt(`an exponent must be a scalar, got ${shapeText(exp.shape)}`, expSpan);
    if (base.type === 'sym' && base.role === 'const' && base.name === 'e') return fn('exp', exp);
    if (base.shape.kind === 'matrix' && !elementwise) {
      if (exp.type !== 'num' || exp.q !== 1)
        throw errorAt('a matrix power needs an integer exponent', expSpan);
      const k = numValue(exp);
      this.requireSquare('a matrix power', base, span);
      if (k === -1) return inverse(base);
      if (k >= 1 && k <= 16) return matmul(...Array.from({ length: k }, () => base));
      if (k <= -2 && k >= -16) return inverse(matmul(...Array.from({ length: -k }, () => base)));
      throw errorAt(`matrix power ${k} is not supported`, span);
    }
    if (base.shape.kind === 'row') throw errorAt('a row vector has no power; transpose it first', span);
    // 10^{999} stays symbolic but could only ever evaluate to Infinity.
    if (base.type === 'num' && exp.type === 'num' && !Number.isFinite(numValue(base) ** numValue(exp)))
      throw errorAt(OUT_OF_RANGE, span);
    return pow(base, exp);
  }

  /** tr, det, inverses and powers need a square matrix: unify its two sizes. */
  private requireSquare(what: string, a: Expr, span: Span): void {
    if (a.shape.kind !== 'matrix') return;
    const shape = a.shape;
    this.unify(shape.m, shape.n, () => `${what} needs a square matrix, got ${shapeText(shape)}`, span);
  }

  private norm(s: Extract<Syntax, { type: 'norm' }>): Expr {
    const a = this.build(s.arg);
    const per = this.sumIndex?.of(a);
    // Under \sum_i: |xᵢ| entry by entry, ‖𝐱ᵢ‖ one norm per sample.
    if (isScalar(a) || per === 'entries') return fn('abs', a);
    if ((per === 'columns' || per === 'rows') && (s.p === 2 || s.p === 'F'))
      return this.sumIndex!.columnNorms(per === 'rows' ? transpose(a) : a);
    const v = a.shape.kind === 'row' ? transpose(a) : a;
    if (v.shape.kind === 'matrix') {
      if (s.p === 'F') return fn('normF', v);
      throw errorAt(`the matrix norm ‖·‖_${s.p} is not supported; use the Frobenius norm ‖·‖_F`, s.span);
    }
    if (s.p === 2 || s.p === 'F') return fn('norm2', v);
    if (s.p === 1) return fn('norm1', v);
    throw errorAt('the max-norm ‖·‖_∞ is not differentiable in closed form; it is not supported', s.span);
  }

  private call(s: Extract<Syntax, { type: 'call' }>): Expr {
    const args = s.args.map((a) => this.build(a));
    const name = s.fn;
    // e^A of a matrix is the matrix exponential in a textbook, not e to each entry; |Σ| its determinant.
    if (s.written === '|·|' && args.length === 1 && args[0].shape.kind === 'matrix') {
      this.requireSquare('|·| (the determinant)', args[0], s.span);
      return fn('det', args[0]);
    }
    if (s.written === 'e^' && args[0].shape.kind === 'matrix')
      throw errorAt(
        'e^{A} of a matrix is the matrix exponential, which is not supported; write \\exp(A) for e to the power of each entry',
        s.span,
      );
    if (ELEMENTWISE_CALLS.has(name)) {
      requireArity(s, args.length, 1);
      return fn(name as FnName, args[0]);
    }
    switch (name) {
      case 'log': // log(x, base)
        if (args.length === 1) return fn('ln', args[0]);
        requireArity(s, args.length, 2);
        return div(fn('ln', args[0]), fn('ln', args[1]));
      case 'log2':
      case 'log10':
        requireArity(s, args.length, 1);
        return div(fn('ln', args[0]), fn('ln', num(name === 'log2' ? 2 : 10)));
      case 'log1p':
        requireArity(s, args.length, 1);
        return fn('ln', add(ONE, args[0]));
      case 'sqrt':
        requireArity(s, args.length, 1);
        return sqrt(args[0]);
      case 'cbrt':
        requireArity(s, args.length, 1);
        return pow(args[0], num(1, 3));
      case 'root':
        requireArity(s, args.length, 2);
        return pow(args[0], pow(args[1], MINUS_ONE));
      case 'pow':
        requireArity(s, args.length, 2);
        return pow(args[0], args[1]);
      case 'hypot':
        return sqrt(add(...args.map((a) => pow(a, num(2)))));
      case 'atan2':
        requireArity(s, args.length, 2);
        return fn('atan2', args[0], args[1]);
      case 'relu':
        requireArity(s, args.length, 1);
        return fn('max', zero(SCALAR), args[0]);
      case 'max':
      case 'min': {
        if (args.length < 2) throw errorAt(`${name} needs at least two arguments`, s.span);
        for (const a of args.slice(1)) this.unifyShapes(name, args[0].shape, a.shape, s.span);
        return args.slice(1).reduce((acc, a) => fn(name, acc, a), args[0]);
      }
      case 'softmax':
      case 'logsoftmax':
      case 'logsumexp':
      case 'sum': {
        requireArity(s, args.length, 1);
        const per = name === 'sum' ? this.sumIndex?.of(args[0]) : undefined;
        // Under \sum_i, sum(xᵢ) is the number xᵢ, and sum(𝐱ᵢ) the sum of one sample's entries.
        if (per === 'entries') return args[0];
        if (per === 'columns' || per === 'rows') return this.sumIndex!.entrySums(args[0], per);
        return fn(name, args[0].shape.kind === 'row' ? transpose(args[0]) : args[0]);
      }
      case 'tr':
      case 'det':
      case 'logdet':
        requireArity(s, args.length, 1);
        this.requireSquare(name, args[0], s.span);
        return fn(name, args[0]);
      case 'diag':
        requireArity(s, args.length, 1);
        return args[0].shape.kind === 'matrix' ? fn('diagvec', args[0]) : fn('diag', args[0]);
      case 'exp2':
        requireArity(s, args.length, 1);
        return pow(num(2), args[0]);
      case 'mean': {
        requireArity(s, args.length, 1);
        const x = args[0].shape.kind === 'row' ? transpose(args[0]) : args[0];
        const shape = x.shape;
        // Sizes are named at the end (dimExpr's placeholders): this one may yet be unified with another.
        const count = shape.kind === 'matrix' ? [dimExpr(shape.m), dimExpr(shape.n)] : [];
        if (shape.kind === 'vector') count.push(dimExpr(shape.n));
        return mul(fn('sum', x), ...count.map((c) => pow(c, MINUS_ONE)));
      }
      case 'inv':
        requireArity(s, args.length, 1);
        if (args[0].shape.kind !== 'matrix')
          throw errorAt(`inv needs a square matrix, got ${shapeText(args[0].shape)}`, s.span);
        this.requireSquare('inv', args[0], s.span);
        return inverse(args[0]);
      case 'outer': {
        requireArity(s, args.length, 2);
        const [u, v] = args.map((a) => (a.shape.kind === 'row' ? transpose(a) : a));
        if (u.shape.kind !== 'vector' || v.shape.kind !== 'vector')
          throw errorAt(
            `outer needs two vectors, got ${shapeText(u.shape)} and ${shapeText(v.shape)}`,
            s.span,
          );
        return matmul(u, transpose(v));
      }
    }
    throw errorAt(`unknown function ${name}`, s.span);
  }

  /** `\sigma'(x)`: the derivative of a known function (σ′ = σ(1 − σ)) at the argument, not an abstract function. */
  private knownDerivative(s: Extract<Syntax, { type: 'apply' }>, arg: Expr): Expr {
    const derive = this.derive(s.span);
    // σ′(𝐳) of a vector variable is its Jacobian, diag(σ(𝐳) ⊙ (1 − σ(𝐳))), as the notes write it.
    if (!isScalar(arg)) {
      if (arg.type !== 'sym' || arg.shape.kind !== 'vector' || s.primes > 1)
        throw errorAt(
          `${s.name}' of a ${shapeText(arg.shape)} is read only as the Jacobian by a vector variable`,
          s.span,
        );
      return derive(fn(s.name as FnName, arg), [arg], 'jacobian');
    }
    // Differentiated at a placeholder scalar, which the argument then replaces.
    const at = sym(`?${s.name}`, SCALAR);
    let value = fn(s.name as FnName, at);
    for (let k = 0; k < s.primes; k++) value = derive(value, [at], 'jacobian');
    return replaceSyms(value, (x) => (x === at ? arg : undefined));
  }

  /** A name defined without parameters, written with its variables: `y(x)`, or `y'(x)`, its derivative by x. */
  private dependentValue(s: Extract<Syntax, { type: 'apply' }>, args: readonly Expr[]): Expr {
    let value = this.definedValue(s.name, s.span);
    if (s.primes === 0) return value;
    const by = args[0];
    if (args.length !== 1 || by.type !== 'sym' || !isScalar(by))
      throw errorAt(`${s.name}' is the derivative by one scalar variable`, s.span);
    const derive = this.derive(s.span);
    for (let k = 0; k < s.primes; k++) value = derive(value, [by], 'jacobian');
    return value;
  }

  /**
   * `f(x)`, `\mathbf{f}(\mathbf{x})`, `f''(x)`: an abstract function (no definition) applied to its
   * arguments. A plain or `\operatorname` name's value is a scalar, a bold name's a vector of a size of its own.
   */
  private abstractFunction(s: Extract<Syntax, { type: 'apply' }>): Expr {
    const { name } = s;
    const args = s.args.map((a) => {
      const e = this.build(a);
      return e.shape.kind === 'row' ? transpose(e) : e;
    });
    if (s.primes > 0 && ELEMENTWISE_CALLS.has(name) && args.length === 1)
      return this.knownDerivative(s, args[0]);
    if (this.symbols.has(name)) throw bothFunctionAndVariable(name, s.span);
    let known = this.functions?.get(name);
    if (!known) {
      known = {
        arity: args.length,
        value: s.style === 'bold' ? { kind: 'vector', n: this.freshDim() } : SCALAR,
      };
      (this.functions ??= new Map()).set(name, known);
    }
    if (known.arity !== args.length)
      throw errorAt(
        `${name} is applied to ${known.arity} argument${known.arity === 1 ? '' : 's'} elsewhere, here to ${args.length}`,
        s.span,
      );
    if ((known.value.kind === 'vector') !== (s.style === 'bold'))
      throw errorAt(`${name} is written both bold (a vector function) and not (a scalar function)`, s.span);
    if (s.primes > 0 && (args.length !== 1 || !isScalar(args[0])))
      throw errorAt(
        `${name}${"'".repeat(s.primes)} is the derivative of a function of one scalar; write \\partial or \\nabla for ${name} of ${args.length === 1 ? `a ${shapeText(args[0].shape)}` : 'several arguments'}`,
        s.span,
      );
    const style = s.style === 'word' ? 'word' : s.style === 'bold' ? 'bold' : 'plain';
    return apply(
      name,
      style,
      args,
      Array.from({ length: s.primes }, () => 0),
      known.value,
    );
  }

  private sum(s: Extract<Syntax, { type: 'sum' }>): Expr {
    if (this.sumIndex) throw errorAt('nested sums are not supported', s.span);
    // The bound names a size, not a variable: \sum_{i=1}^{n} does not make n something to differentiate by.
    const upper = s.to && s.to.type !== 'ident' ? this.build(s.to) : undefined;
    const from = s.from ? this.build(s.from) : ONE;
    if (from.type !== 'num' || numValue(from) !== 1)
      throw errorAt('a sum over components must start at 1', s.span);
    let size: Dim;
    if (s.to?.type === 'ident') size = this.declaredDim(s.to.name);
    else if (!upper) size = this.freshDim();
    else if (upper.type === 'num' && upper.q === 1 && upper.p > 0) size = upper.p;
    else throw errorAt('the upper bound of a sum must be a number or a size name', s.to!.span);
    const sum = new IndexedSum(s.index, size);
    this.sumIndex = sum;
    let body: Expr;
    try {
      body = this.build(s.body);
    } finally {
      this.sumIndex = undefined;
    }
    if (sum.usesIndex())
      throw errorAt(
        `the body uses the index ${s.index} itself as a value (as in \\sum_i i, or a sum over a set, \\sum_{\\mathbf{x}} f(\\mathbf{x})), which has no matrix form here: write the values as entries x_i or samples \\mathbf{x}_i`,
        s.span,
      );
    const clash = sum.clash();
    if (clash)
      throw errorAt(
        `${clash.name} is used both as ${clash.written}, one value per ${s.index}, and as ${clash.name} itself in this sum; rename one of them`,
        s.span,
      );
    if (sum.cancelled(body))
      throw errorAt(
        `the terms of this sum that depend on ${s.index} cancel out; write the sum without them`,
        s.span,
      );
    // Σ_{i=1}^{n} c = n·c when the body does not depend on the index; with no n, no count.
    if (!s.to && sum.of(body) === 'constant')
      throw errorAt(
        `the body of this sum does not depend on ${s.index}, and the sum has no upper limit to count its terms: write \\sum_{${s.index}=1}^{N}`,
        s.span,
      );
    const total = sum.close(body, this.sizeSymbol(size));
    if (!total)
      throw errorAt(
        `cannot sum this over ${s.index} term by term: a part of it is not one number, vector or product of samples for each ${s.index} (as a function of a matrix for each ${s.index}, σ(\\mathbf{x}_${s.index}\\mathbf{x}_${s.index}^\\top), or a function the note does not define applied to a whole sample); write it with vectors and matrices`,
        s.span,
      );
    return total;
  }

  private sizeSymbol(d: Dim): Expr {
    const r = resolveDim(d);
    return typeof r === 'number' ? num(r) : sym(dimText(d), SCALAR, 'const');
  }
}

/** A call takes `n` arguments (a function rather than a closure in `call`: it runs for every call node). */
function requireArity(s: Extract<Syntax, { type: 'call' }>, given: number, n: number): void {
  if (given !== n) throw errorAt(`${s.fn} takes ${n} argument${n === 1 ? '' : 's'}, got ${given}`, s.span);
}

/** A name with an index: x_i, and the i-th example of ML notes, x^{(i)} (read as x_(i)), x^{[i]}, x^{\\{i\\}}. */
const INDEXED_NAME = /^(.+)_(?:([A-Za-z])|[([{]([A-Za-z])[)\]}])$/;

function bothFunctionAndVariable(name: string, span: Span): LensError {
  return errorAt(`${name} is used both as a function, ${name}(…), and as a variable`, span);
}

function valueShapeText(v: Value): string {
  if (!Array.isArray(v)) return 'a number';
  const first: unknown = v[0];
  return Array.isArray(first) ? `a ${v.length}×${first.length} matrix` : `a vector of length ${v.length}`;
}

function isNegativeNumber(s: Syntax): boolean {
  return s.type === 'neg' ? s.arg.type === 'number' : s.type === 'number' && s.value < 0;
}

type BinarySyntax = Extract<Syntax, { type: 'binary' }>;

/** `s`, its left operand, its left operand's left operand, … while they are binary (the root first). */
function leftSpine(s: BinarySyntax): BinarySyntax[] {
  const spine = [s];
  for (let l = s.left; l.type === 'binary'; l = l.left) spine.push(l);
  return spine;
}

/** Products that are scalar multiplication when a factor is a scalar (NumPy's `*` too). */
function isProductOp(op: BinarySyntax['op']): boolean {
  return op === '*' || op === 'implicit' || op === 'cdot' || op === '.*';
}

/** The kind of `l op r` from the kinds of its operands. */
function binaryKind(op: BinarySyntax['op'], l: Kind | 'row', r: Kind | 'row'): Kind | 'row' {
  if (op === '^' || op === '.^') return l;
  if (op === '+' || op === '-' || op === 'odot' || op === 'oslash' || op === '/' || op === '.*')
    return l === 'scalar' ? r : l;
  if (op === '@') {
    // A vector (1-D array) is a row on the left and a column on the right.
    const left = l === 'row' ? 'vector' : l;
    const right = r === 'row' ? 'vector' : r;
    if (left === 'scalar') return right;
    if (right === 'scalar') return left;
    if (left === 'vector') return right === 'vector' ? 'scalar' : 'vector';
    return right;
  }
  if (l === 'scalar') return r;
  if (r === 'scalar') return l;
  if (l === 'row' && r === 'vector') return 'scalar';
  if (l === 'vector' && r === 'vector' && op === 'cdot') return 'scalar';
  if (l === 'vector' && r === 'row') return 'matrix';
  if (l === 'matrix' && r === 'vector') return 'vector';
  if (l === 'row' && r === 'matrix') return 'row';
  return 'matrix';
}

/** Adds to `names` the names `root` uses as values: not only as what a derivative is of, or by. */
export function valueNames(root: Syntax, names = new Set<string>()): Set<string> {
  const notation = new Set<Syntax>();
  walkSyntax(root, (s) => {
    if (s.type === 'derivative')
      [s.of, ...s.wrt, ...(s.bare ? [s.bare] : [])].forEach((c) => notation.add(c));
    else if (s.type === 'ident' && !notation.has(s)) names.add(s.name);
  });
  return names;
}

/** Visits every node before its children, left to right, with a stack of its own (chains are deep). */
function walkSyntax(root: Syntax, f: (s: Syntax) => void): void {
  const stack = [root];
  const push = (c: Syntax) => {
    stack.push(c);
  };
  while (stack.length) {
    const s = stack.pop()!;
    f(s);
    // The children go on in order and are then reversed in place, so that the first is popped first.
    const from = stack.length;
    forEachChild(s, push);
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  }
}

/** Every node of `roots`, each root's before the next's, in `walkSyntax`'s order. */
function preorder(roots: readonly Syntax[]): Syntax[] {
  const nodes: Syntax[] = [];
  const add = (s: Syntax) => {
    nodes.push(s);
  };
  for (const root of roots) walkSyntax(root, add);
  return nodes;
}

/** A smart constructor applied to `args` (spread), giving an error without a position the position of `span`. */
function located(span: Span, f: (...args: Expr[]) => Expr, args: readonly Expr[]): Expr {
  try {
    return f(...args);
  } catch (e) {
    throw placed(e, span);
  }
}

/** The error to throw for `e`, raised at `span`: one without a position gets that position. */
function placed(e: unknown, span: Span): unknown {
  if (e instanceof LensError && !e.span) return errorAt(e.message, span);
  if (isStackOverflow(e)) return errorAt('expression is nested too deeply', span);
  return e;
}

type DerivativeSyntax = Extract<Syntax, { type: 'derivative' }>;

/** `x_{ij}` differentiated by, when what is differentiated has the matrix x: one entry of it. */
interface Entry {
  readonly type: 'entry';
  readonly name: string;
  readonly whole: Sym;
  /** 𝐞ᵢ of a vector's entry i; 𝐞ᵢ, 𝐞ⱼ of a matrix's entry (i, j). */
  readonly units: readonly Sym[];
}

function declaredKind(decl: DeclarationSyntax): Kind {
  return decl.dims.length === 0 ? 'scalar' : decl.dims.length === 1 ? 'vector' : 'matrix';
}

/** An error already placed: in a definition, or a definition's cycle (not wrapped again by the names that use it). */
class DefinitionError extends LensError {}

function nameOf(s: Syntax): string {
  return s.type === 'ident' ? s.name : '';
}

/** `x_i` and `x_j`: components of one vector. */
function sameVector(a: string, b: string): boolean {
  const base = (name: string) => /^(.+)_[^_]+$/.exec(name)?.[1];
  const x = base(a);
  return x !== undefined && x === base(b);
}

/** `∂f/∂x`, `∇_x f`, `J_f` as a message shows the derivative notation `s` of the name f. */
function derivativeText(s: DerivativeSyntax, f: string, wrt: readonly string[]): string {
  const by = wrt.length ? `_${wrt[0]}` : '';
  switch (s.notation) {
    case 'nabla':
      return `∇${s.order > 1 ? `^${s.order}` : ''}${by} ${f}`;
    case 'jacobian':
      return `J_${f}`;
    case 'D':
      return `D${by} ${f}`;
    default: {
      const d = s.notation === 'total' ? 'd' : '∂';
      const power = s.order > 1 ? `^${s.order}` : '';
      return `${d}${power}${f}/${wrt.map((v) => `${d}${v}`).join('')}`;
    }
  }
}

function notAVariable(s: Syntax): never {
  throw errorAt('expected a variable to differentiate by', s.span);
}

/** The kind of a name that stands for `value`. */
function shapeKind(value: Expr, span: Span): Kind {
  if (value.shape.kind === 'row') throw errorAt('cannot differentiate by a row vector; transpose it', span);
  return value.shape.kind;
}

/** Which variables a derivative is by when none are named: in 𝐱ᵀA𝐱 or W𝐱 + 𝐛 the matrices are coefficients, unless only matrices vary. */
export function defaultVariables(vars: readonly Sym[]): Sym[] {
  const nonMatrix = vars.filter((v) => v.shape.kind !== 'matrix');
  return nonMatrix.length ? nonMatrix : [...vars];
}

function isSymmetricValue(rows: readonly (readonly number[])[]): boolean {
  return rows.every((r, i) =>
    r.every((x, j) => Math.abs(x - rows[j][i]) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(rows[j][i]))),
  );
}
