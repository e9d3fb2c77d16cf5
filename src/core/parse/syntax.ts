/**
 * The syntax tree the front ends (LaTeX, TypeScript, Python) produce.
 *
 * It is deliberately untyped: it records what was written and where. Shapes
 * (scalar / vector / matrix) are decided afterwards by `elaborate`, which sees
 * the whole expression and the user's declarations at once — notation alone
 * (`\mathbf{x}`, `A`) and usage (`x^\top`, `Wx`) both feed that decision.
 */

/** Half-open range of UTF-16 offsets into the text the user gave (before `$…$` stripping). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** How a name was written; decides its default kind. */
export type NameStyle =
  | 'plain' // x, theta, x_1, W
  | 'bold' // \mathbf{x}, \boldsymbol{x}, \bm{x}, \vec{x}, \textbf{x}
  | 'blackboard'; // \mathbb{1} and friends (rare)

/**
 * Function names are canonical and shared by both front ends:
 *  elementwise: the names of core/functions.ts (exp ln sin … sigma sign abs), and
 *               the sugar log2 log10 relu sqrt
 *  binary:      log (args [x, base]), root (args [x, n]), pow (args [b, e]),
 *               atan2 (args [y, x]), max, min (2+ args), hypot (2+ args), log1p, cbrt
 *  vector:      softmax logsoftmax logsumexp sum diag tr det logdet norm (see NormSyntax)
 * Unknown `\operatorname{foo}` names are passed through as `fn: 'foo'`; the
 * elaborator reports them.
 */
export type Syntax =
  | { readonly type: 'number'; readonly value: number; readonly text: string; readonly span: Span }
  | {
      readonly type: 'ident';
      /** Canonical name: `x`, `x_1`, `x_12`, `w_ij`, `theta`, `W`, `e` (Euler's number is the elaborator's call). */
      readonly name: string;
      readonly style: NameStyle;
      readonly span: Span;
      /**
       * `x[i]` of Python in `sum(… for i in range(n))` (named `x_i`): an entry of the array x, or its
       * row i (X[i] of a matrix, x[i] @ w).
       */
      readonly element?: 'entry' | 'row';
    }
  | {
      readonly type: 'binary';
      /**
       * `*` explicit scalar/matrix product (`*`, `\times`, juxtaposition is 'implicit'),
       * `cdot` is `\cdot` (a product, or the inner product of two vectors),
       * `odot` element-wise product, `oslash` element-wise division.
       * NumPy's operators (Python): `@` matrix product, where a vector (1-D array) is a row on the left
       * and a column on the right (so 𝐮 @ 𝐯 is their inner product); `.*` is `*`, element-wise, a scalar
       * multiplying every entry; `.^` is `**`, element-wise even on a matrix.
       */
      readonly op: '+' | '-' | '*' | 'implicit' | 'cdot' | '/' | '^' | 'odot' | 'oslash' | '@' | '.*' | '.^';
      readonly left: Syntax;
      readonly right: Syntax;
      readonly span: Span;
    }
  | { readonly type: 'neg'; readonly arg: Syntax; readonly span: Span }
  | {
      readonly type: 'call';
      readonly fn: string;
      readonly args: readonly Syntax[];
      readonly span: Span;
      /**
       * How `exp` and `abs` were written, where a matrix argument changes their meaning: `e^{A}` (the
       * matrix exponential) and `|A|` (the determinant), not entry by entry as \exp(A) and abs(A).
       */
      readonly written?: 'e^' | '|·|';
    }
  /**
   * A name with no definition applied as a function (an abstract function): `f(x)`, `h(x, y)`,
   * `\mathbf{f}(\mathbf{x})`, `\operatorname{target}(\mathbf{x})` (style `word`); `primes`
   * counts the derivatives written on it, `f''(x)`.
   */
  | {
      readonly type: 'apply';
      readonly name: string;
      readonly style: NameStyle | 'word';
      readonly args: readonly Syntax[];
      readonly primes: number;
      readonly span: Span;
    }
  /** `x^\top`, `x^T`, `x^{\mathsf T}`, `x'`; `array`: NumPy's `.T`, under which a vector (1-D array) is itself. */
  | { readonly type: 'transpose'; readonly arg: Syntax; readonly span: Span; readonly array?: true }
  /** `|x|` is `call abs`; `\|x\|_p` is this. p: 2 (default), 1, 'inf', 'F' (Frobenius). */
  | { readonly type: 'norm'; readonly arg: Syntax; readonly p: 1 | 2 | 'inf' | 'F'; readonly span: Span }
  /** `\langle u, v \rangle` */
  | { readonly type: 'inner'; readonly left: Syntax; readonly right: Syntax; readonly span: Span }
  /** bmatrix / pmatrix / array / TS array literal: rows of cells. A column vector has one cell per row. */
  | { readonly type: 'matrix'; readonly rows: readonly (readonly Syntax[])[]; readonly span: Span }
  /** `\sum_{i=1}^{n} body` or `\sum_i body`; from/to absent when not written. */
  | {
      readonly type: 'sum';
      readonly index: string;
      readonly from?: Syntax;
      readonly to?: Syntax;
      readonly body: Syntax;
      readonly span: Span;
    }
  /**
   * Derivative notation, evaluated to the derivative: `\frac{\partial y}{\partial x}`, `\frac{d}{dx} E`,
   * `\partial E / \partial x`, `\nabla_{\mathbf{x}} E`, `\nabla^2 E`, `J_f`, `D_{\mathbf{x}} E`, `y'`.
   */
  | {
      readonly type: 'derivative';
      readonly notation: DerivativeNotation;
      readonly of: Syntax;
      /**
       * The variables, innermost derivative last, one per order (`∂²f/∂x²` → [x, x]); for ∇ of several
       * (`\nabla_{x,y}`) those, stacked; empty: the variables of `of`.
       */
      readonly wrt: readonly Syntax[];
      /** How many times: `wrt.length` when variables are written, else from `\nabla^2` or the primes of `y''`. */
      readonly order: number;
      /** `D E` with no subscript: the name D, for the product D·E when the input uses D as a name. */
      readonly bare?: Extract<Syntax, { type: 'ident' }>;
      readonly span: Span;
    };

/**
 * `partial` ∂y/∂x and `total` dy/dx (the Jacobian in the layout in effect), `nabla` (the gradient, the
 * Hessian for order 2), `jacobian` (J_f), `D` (D_x f, Df(x)), `prime` (y' of a defined name; x' is a transpose).
 */
export type DerivativeNotation = 'partial' | 'total' | 'nabla' | 'jacobian' | 'D' | 'prime';

/** What a front end returns. */
export interface ParsedInput {
  /** The expression to differentiate (right side of a definition, if one was written). */
  readonly body: Syntax;
  /** Parameters of `f(x, y) = …` or `(x, y) => …`, in order; absent when none were written. */
  readonly params?: readonly ParamSyntax[];
  /** Name of the defined function (`f` in `f(x) = …`), when written. */
  readonly functionName?: string | undefined;
  /** Shapes the input itself states (Python: `# W: (m, n)`, `x = np.zeros(n)`, `b: float`). */
  readonly declarations?: readonly DeclarationSyntax[];
  /** Read from Python: NumPy's rules apply (a scalar added to a matrix is added to every entry). */
  readonly python?: PythonReading;
}

/** The Python libraries an expression can be written with. */
export type PythonLibrary = 'numpy' | 'torch' | 'jax';

export interface PythonReading {
  /** Names a type hint says are arrays (`x: np.ndarray`, `W: torch.Tensor`): vectors, or matrices if written as one. */
  readonly arrays: readonly string[];
  /** The library the input calls (NumPy when it calls none), which exported code uses too. */
  readonly library: PythonLibrary;
}

/** A name defined in the document: `z = …`, `f(x, y) = …` (`y = f(x) = …` defines both y and f). */
export interface DefinitionSyntax {
  readonly name: string;
  /** Parameters of `f(x, y) = …`: inside the body they are those variables, not other definitions. */
  readonly params?: readonly ParamSyntax[];
  readonly body: Syntax;
}

export interface ParamSyntax {
  readonly name: string;
  readonly style: NameStyle;
  readonly span: Span;
}

/** `\mathbf{x} \in \mathbb{R}^{n}`, `A \in \mathbb{R}^{m \times n}`, `b \in \mathbb{R}`. */
export interface DeclarationSyntax {
  readonly name: string;
  readonly style: NameStyle;
  /**
   * [] scalar, [n] vector, [m, n] matrix. Sizes are numbers or size names (`n`, `m`, `k`).
   * With `symmetric`, [] declares no kind or size: `\Sigma \succ 0` only says Σ is symmetric.
   */
  readonly dims: readonly (number | string)[];
  readonly span: Span;
  /** A symmetric matrix: `\Sigma \in \mathbb{S}^n`, `\Sigma = \Sigma^\top`, `\Sigma \succ 0`. */
  readonly symmetric?: true;
}

/** Calls `f` on each direct child of `s`: the one walk over syntax the parsers and the elaborator share. */
export function forEachChild(s: Syntax, f: (c: Syntax) => void): void {
  switch (s.type) {
    case 'binary':
      f(s.left);
      f(s.right);
      break;
    case 'neg':
    case 'transpose':
    case 'norm':
      f(s.arg);
      break;
    case 'inner':
      f(s.left);
      f(s.right);
      break;
    case 'call':
    case 'apply':
      s.args.forEach(f);
      break;
    case 'matrix':
      s.rows.forEach((r) => r.forEach(f));
      break;
    case 'sum':
      if (s.from) f(s.from);
      if (s.to) f(s.to);
      f(s.body);
      break;
    case 'derivative':
      if (s.bare) f(s.bare);
      f(s.of);
      s.wrt.forEach(f);
      break;
  }
}
