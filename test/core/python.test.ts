import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { differentiate } from '../../src/core';
import { derivation } from '../../src/core/derivation';
import { toText } from '../../src/core/print';
import { LensError } from '../../src/core/errors';
import { MAX_INPUT_LENGTH } from '../../src/core/limits';
import { detectLanguage } from '../../src/core/parse/detect';
import { parsePython } from '../../src/core/parse/python';
import type { Syntax } from '../../src/core/parse/syntax';
import { checkNumerically } from './numeric';

const PY = { lang: 'python' } as const;

/** Compact s-expression of a tree: `(@ W x)`, `(T x)` for NumPy's .T, matrices as `[a; b]` (rows). */
function sexp(node: Syntax): string {
  switch (node.type) {
    case 'number':
      return node.text;
    case 'ident':
      return node.name;
    case 'binary':
      return `(${node.op} ${sexp(node.left)} ${sexp(node.right)})`;
    case 'neg':
      return `(neg ${sexp(node.arg)})`;
    case 'transpose':
      return `(${node.array ? 'T' : "'"} ${sexp(node.arg)})`;
    case 'norm':
      return `(norm${node.p} ${sexp(node.arg)})`;
    case 'call':
      return `(${node.fn} ${node.args.map(sexp).join(' ')})`;
    case 'matrix':
      return `[${node.rows.map((r) => r.map(sexp).join(' ')).join('; ')}]`;
    default:
      throw new Error(`the Python front end never makes ${node.type}`);
  }
}

const body = (input: string): string => sexp(parsePython(input).body);

/** The shape of the input as understood, sizes named by the core (n, m, …) as `?`. */
const shapeOf = (input: string): string => differentiate(input, PY).input.shape.replace(/\b[a-z]\b/g, '?');

/** Each variable's shape, as the result reports it; sizes named by the core (n, m, …) as `?`. */
function shapes(input: string): Record<string, string> {
  const r = differentiate(input, PY);
  return Object.fromEntries(r.variables.map((v) => [v.name, v.shape.replace(/\b[a-z]\b/g, '?')]));
}

function rejects(input: string, message: string): void {
  let error: unknown;
  try {
    differentiate(input, PY);
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof LensError, `${JSON.stringify(input.slice(0, 60))} should fail with a LensError`);
  assert.equal(error.message, message);
}

describe('Python: derivatives agree with finite differences', () => {
  const cases: readonly string[] = [
    // Generator sums over an index: x[i] an entry, X[i] (or x[i] @ w) a row, NumPy's samples
    'sum(w[i] * x[i] for i in range(3))',
    'sum((X[i] @ w - y[i]) ** 2 for i in range(n))',
    'sum(np.log(1 + np.exp(-y[i] * (w @ X[i]))) for i in range(n))',
    'sum((x[i] @ w - y[i]) ** 2 for i in range(n))',
    // NumPy functions and operators
    'np.sum((W @ x + b) ** 2)',
    'np.exp(-x * x) * np.cos(y)',
    'np.log(x ** 2 + 1) + np.log1p(y ** 2) + np.sqrt(1 + z ** 2)',
    'np.sin(x) + np.tan(x / 4) + np.arctan(x) + np.arcsin(x / 2) + np.sinh(x) + np.cosh(x) + np.tanh(x)',
    'np.abs(x) + np.sign(x) * x',
    'np.maximum(x, 0).sum() + np.minimum(x, 1).sum()',
    'np.mean(x ** 2)',
    'np.mean(A * A)',
    'np.dot(u, v) + np.matmul(W, u).sum()',
    'np.outer(u, v).sum() + np.trace(np.outer(u, u))',
    'np.trace(A @ B)',
    'np.linalg.norm(x - y)',
    'np.linalg.norm(A)',
    'np.linalg.det(S)',
    'np.trace(np.linalg.inv(S) @ B)',
    'np.diag(x) @ y',
    'x @ A @ x',
    'x.T @ A @ x',
    'u @ W',
    'W.T @ u',
    'x.sum() + x.mean() + x.dot(y)',
    'np.sum((A * B + 2 * A) * C)',
    'np.sum(A ** 2 * B)',
    'np.sum(np.exp(W + 1))',
    'x / (1 + y ** 2)',
    'x ** 2 ** 0.5',
    'np.square(x) + np.power(x, 3) + pow(x, 2) + abs(x - 3)',
    'np.expm1(x) + np.exp2(x) + np.log2(x ** 2 + 1) + np.log10(x ** 2 + 1)',
    'np.arctan2(y, x) + np.hypot(x, y)',
    'math.sin(x) * math.pi + math.exp(math.e * x)',
    // SciPy
    'scipy.special.expit(w @ x) + scipy.special.logsumexp(x)',
    'from scipy.special import softmax, log_softmax\nsoftmax(z) + log_softmax(z)',
    // PyTorch
    'torch.sigmoid(w @ x) + torch.relu(w @ x)',
    'torch.softmax(z, dim=0)',
    'torch.log_softmax(z, 0)',
    'torch.logsumexp(z, dim=0)',
    'F.relu(W @ x + b).sum()',
    'F.softmax(W @ x, dim=-1)',
    'F.log_softmax(z, dim=-1)',
    'F.cross_entropy(W @ x, y)',
    'F.mse_loss(W @ x, y)',
    "F.mse_loss(W @ x, y, reduction='sum')",
    'F.softplus(x) + torch.tanh(x) + torch.abs(x)',
    'W.t() @ x + W.mT @ x',
    'x.exp().sum() + x.sigmoid().sum() + x.pow(2).sum() + x.norm()',
    'torch.mm(W, x).sum()'.replace('mm', 'matmul'),
    'torch.inverse(S).sum()',
    // JAX
    'jnp.sum(jax.nn.sigmoid(W @ x))',
    'jax.nn.softmax(z) + jax.nn.relu(z)',
    'jax.nn.logsumexp(z)',
    // functions
    'lambda x, W: np.tanh(W @ x).sum()',
    'lambda x, y=2.0: x * y',
    'def f(x, W, b):\n    z = W @ x + b\n    a = np.tanh(z)\n    return a @ a',
    'def loss(w: np.ndarray, x: np.ndarray, y: float) -> float:\n    """Squared error."""\n    r = w @ x - y\n    return r ** 2',
    'def f(x):\n    z = x * x\n    z = z + 1\n    return np.log(z)',
  ];
  for (const input of cases) {
    test(input.split('\n')[0], () => {
      checkNumerically(input, PY);
    });
  }

  test('softmax over the last axis of a matrix is the softmax of each row', () => {
    for (const axis of ['axis=-1', 'axis=1', 'axis=0']) {
      const f = `np.sum(scipy.special.softmax(X, ${axis}) * B)`;
      checkNumerically(f, { ...PY, wrt: ['X'] });
    }
    const columns = differentiate('np.sum(scipy.special.softmax(X, axis=0) * B)', { ...PY, wrt: ['X'] });
    const rowsResult = differentiate('np.sum(scipy.special.softmax(X, axis=-1) * B)', { ...PY, wrt: ['X'] });
    assert.notEqual(rowsResult.text, columns.text);
  });
});

describe('Python: kinds and sizes', () => {
  test('a name used with @ is a vector, an upper-case letter a matrix; 𝐮 @ 𝐯 is their inner product', () => {
    assert.deepEqual(shapes('W @ x'), { W: 'matrix(?×?)', x: 'vector(?)' });
    const r = differentiate('x @ y', PY);
    assert.equal(r.input.shape, 'scalar');
    assert.deepEqual(shapes('x @ y'), { x: 'vector(?)', y: 'vector(?)' });
  });

  test('.T of a vector is the vector itself, as in NumPy', () => {
    assert.equal(shapeOf('x.T'), 'vector(?)');
    // W.T @ u: u has as many entries as W has rows.
    const [W, u] = differentiate('np.sum(W.T @ u)', PY).variables;
    assert.equal(W.dims[0], u.dims[0]);
    assert.notEqual(W.dims[1], u.dims[0]);
  });

  test('* is element-wise and says nothing of kinds; a scalar multiplies every entry', () => {
    assert.deepEqual(shapes('a * b'), { a: 'scalar', b: 'scalar' });
    assert.equal(shapeOf('2 * W'), 'matrix(?×?)');
    assert.equal(shapeOf('A * B'), 'matrix(?×?)');
  });

  test('** on a matrix is element-wise, not a matrix power', () => {
    // Element-wise: A ** 2 need not be square.
    assert.equal(shapeOf('A ** 2'), 'matrix(?×?)');
  });

  test('a scalar added to a matrix is added to every entry (no ambiguity in NumPy)', () => {
    assert.equal(shapeOf('W + 1'), 'matrix(?×?)');
    assert.throws(() => differentiate('W + 1', { lang: 'latex' }), LensError);
  });

  test('np.sum of a product, difference or power makes its names vectors', () => {
    assert.deepEqual(shapes('np.sum(x * y)'), { x: 'vector(?)', y: 'vector(?)' });
    assert.deepEqual(shapes('np.sum((x - y) ** 2)'), { x: 'vector(?)', y: 'vector(?)' });
    assert.deepEqual(shapes('np.maximum(x, 0).sum()'), { x: 'vector(?)' });
  });

  test('type hints: arrays and scalars', () => {
    const r = differentiate('def f(x: np.ndarray, c: float, W: torch.Tensor):\n    return c * np.sum(x)', PY);
    assert.deepEqual(
      Object.fromEntries(r.variables.map((v) => [v.name, v.shape.replace(/\b[a-z]\b/g, '?')])),
      { x: 'vector(?)', c: 'scalar', W: 'matrix(?×?)' },
    );
    assert.ok(r.assumptions.some((a) => a.name === 'x' && a.reason === 'an array by its type hint'));
  });

  test('shape comments declare sizes', () => {
    const r = differentiate('# W: (m, n), x: (n,)\n# b: (m,)\nnp.sum(np.tanh(W @ x + b))', PY);
    assert.deepEqual(Object.fromEntries(r.variables.map((v) => [v.name, v.shape])), {
      W: 'matrix(m×n)',
      x: 'vector(n)',
      b: 'vector(m)',
    });
    assert.deepEqual(shapes('# a: (3,)\nnp.sum(a)'), { a: 'vector(3)' });
    // A scalar comment keeps a name scalar where usage would make it a vector: then x is the vector summed.
    assert.deepEqual(shapes('np.sum(c * x)'), { c: 'vector(?)', x: 'vector(?)' });
    assert.deepEqual(shapes('# c: ()\nnp.sum(c * x)'), { c: 'scalar', x: 'vector(?)' });
  });

  test('np.zeros((m, n)) and torch.randn(m, n) above declare sizes; the name stays a variable', () => {
    const r = differentiate('import numpy as np\nW = np.zeros((4, 3))\nx = np.ones(3)\nnp.sum(W @ x)', PY);
    assert.deepEqual(Object.fromEntries(r.variables.map((v) => [v.name, v.shape])), {
      W: 'matrix(4×3)',
      x: 'vector(3)',
    });
    const t = differentiate('W = torch.randn(k, 2)\nw = torch.zeros(k)\nw @ W', PY);
    assert.deepEqual(
      t.variables.map((v) => `${v.name}: ${v.shape}`),
      ['w: vector(k)', 'W: matrix(k×2)'],
    );
  });

  test('a constant assigned at the top is a value of the variable, not a constant', () => {
    assert.deepEqual(shapes('x = np.array([1.0, 2.0, 3.0])\nnp.sum(x ** 2)'), { x: 'vector(3)' });
    assert.deepEqual(shapes('c = -0.5\nc * np.sum(x)'), { c: 'scalar', x: 'vector(?)' });
    // A computed constant declares nothing: its shape is the usage's.
    assert.deepEqual(shapes('X = 2 * np.array([[1.0, 2.0], [3.0, 4.0]])\nnp.sum(X @ y)'), {
      X: 'matrix(?×?)',
      y: 'vector(?)',
    });
  });

  test('assignments in a function are substituted, a later one using the earlier', () => {
    assert.equal(body('def f(x):\n    z = x + 1\n    z = z * z\n    return z'), '(.* (+ x 1) (+ x 1))');
    assert.equal(differentiate('def f(x):\n    z = x + 1\n    return z', PY).wrt[0].name, 'x');
  });
});

describe('Python: the parsed tree', () => {
  test('operators', () => {
    assert.equal(body('W @ x + b'), '(+ (@ W x) b)');
    assert.equal(body('a * b / c - d'), '(- (/ (.* a b) c) d)');
    assert.equal(body('x ** 2 ** 3'), '(.^ x (.^ 2 3))');
    assert.equal(body('-x ** 2'), '(neg (.^ x 2))');
    assert.equal(body('+x'), 'x');
  });

  test('attributes and methods', () => {
    assert.equal(body('x.T'), '(T x)');
    assert.equal(body('W.mT'), '(T W)');
    assert.equal(body('W.t()'), '(T W)');
    assert.equal(body('x.sum()'), '(sum x)');
    assert.equal(body('x.mean()'), '(mean x)');
    assert.equal(body('x.dot(y)'), '(@ x y)');
  });

  test('numbers keep their written form; non-decimal literals show their value', () => {
    assert.equal(body('1e-3 * x'), '(.* 1e-3 x)');
    assert.equal(body('1_000 * x'), '(.* 1000 x)');
    assert.equal(body('0x10 * x'), '(.* 16 x)');
  });

  test('array literals', () => {
    assert.equal(body('np.array([[1, 2], [3, 4]]) @ x'), '(@ [1 2; 3 4] x)');
    assert.equal(body('[x, y]'), '[x; y]');
  });

  test('imports and aliases', () => {
    assert.equal(body('import numpy\nnumpy.exp(x)'), '(exp x)');
    assert.equal(body('import torch.nn.functional as fn\nfn.relu(x)'), '(relu x)');
    assert.equal(body('from numpy import exp as e2, log\ne2(x) + log(x)'), '(+ (exp x) (ln x))');
    assert.equal(body('from scipy.special import expit\nexpit(x)'), '(sigma x)');
  });

  test('a def and a lambda give parameters and a name', () => {
    const f = parsePython('def f(x, W=None, *, b: float = 0.0):\n    return W @ x + b');
    assert.deepEqual(
      f.params?.map((p) => p.name),
      ['x', 'W', 'b'],
    );
    assert.equal(f.functionName, 'f');
    const g = parsePython('g = lambda t, u: t * u');
    assert.deepEqual(
      g.params?.map((p) => p.name),
      ['t', 'u'],
    );
    assert.equal(g.functionName, 'g');
  });

  test('spans are offsets into the text', () => {
    const x = parsePython('np.exp(x)').body;
    assert.ok(x.type === 'call');
    assert.deepEqual(x.args[0].span, { start: 7, end: 8 });
  });

  test('the library the input calls', () => {
    assert.equal(parsePython('np.exp(x)').python?.library, 'numpy');
    assert.equal(parsePython('x * y').python?.library, 'numpy');
    assert.equal(parsePython('torch.exp(x)').python?.library, 'torch');
    assert.equal(parsePython('F.relu(x)').python?.library, 'torch');
    assert.equal(parsePython('jnp.exp(x) + jax.nn.relu(x)').python?.library, 'jax');
  });
});

describe('Python: generator sums', () => {
  test('read as the same sums written in LaTeX, with X[i] the rows of X', () => {
    const read = (e: string) =>
      toText(derivation(e, { lang: 'python', op: 'gradient', wrt: ['w'] }).program.body);
    assert.equal(read('sum((X[i] @ w - y[i]) ** 2 for i in range(n))'), '𝟏ᵀ(Xw − y)²');
    assert.equal(read('sum(w[i] * x[i] for i in range(3))'), 'wᵀx');
    assert.equal(
      read('sum(np.log(1 + np.exp(-y[i] * (w @ X[i]))) for i in range(n))'),
      '𝟏ᵀ·ln(1 + exp(−y ⊙ (Xw)))',
    );
  });
});

describe('Python: errors', () => {
  test('syntax errors name the column', () => {
    rejects('x +', 'unexpected end of expression at column 4');
    rejects('x + * 2', 'unexpected "*" at column 5');
  });

  test('constructs outside the numeric subset', () => {
    rejects('x[0]', 'indexing (x[i]) is not supported outside sum(… for i in range(n)) at column 1');
    rejects(
      'sum(x[i] for i in range(1, n))',
      'a generator sum must be sum(… for i in range(n)) at column 19',
    );
    rejects('sum(x[i] for i in xs)', 'a generator sum must be sum(… for i in range(n)) at column 1');
    rejects(
      'sum(x[j] for i in range(n))',
      'indexing (x[i]) is not supported outside sum(… for i in range(n)) at column 5',
    );
    rejects('x.shape', 'property access (x.shape) is not supported at column 1');
    rejects('"a"', 'strings are not supported at column 1');
    rejects('x if x > 0 else 0', 'conditional expressions (a if c else b) are not supported at column 1');
    rejects('x // 2', 'floor division (//) is not supported at column 3');
    rejects('x % 2', 'the remainder operator (%) is not supported at column 3');
    rejects('x ^ 2', 'bitwise operators (^) are not supported; write x ** 2 for a power at column 3');
    rejects('x < y', 'comparisons (<) are not supported at column 3');
    rejects('x and y', 'logical operators (and) are not supported at column 3');
    rejects('not x', 'logical operators (not) are not supported at column 1');
    rejects('1j * x', 'complex numbers are not supported at column 1');
    rejects('(x, y)', 'tuples are not supported at column 1');
    rejects('[[x, y], z]', 'an array mixes rows ([…]) and single entries at column 10');
  });

  test('unknown functions, with a hint when a module is missing', () => {
    rejects('exp(x)', 'call to unknown function exp (did you mean np.exp?) at column 1');
    rejects('foo(x)', 'call to unknown function foo at column 1');
    rejects('np.fft(x)', 'numpy.fft is not supported at column 1');
    rejects('x.view(3)', 'the method .view() is not supported at column 1');
    rejects('np.sum(x, axis=0)', 'sum(…, axis=…) is not supported at column 16');
    rejects('np', 'np is a module, not a value at column 1');
    rejects('np.exp', 'np.exp must be called at column 1');
  });

  test('shapes that do not fit', () => {
    rejects('3 @ x', '@ needs arrays on both sides, got scalar and vector(n) at column 1');
    rejects('np.linalg.inv(np.sum(x))', 'inv needs a square matrix, got scalar at column 1');
    assert.equal(shapes('np.linalg.inv(s) @ y').s, 'matrix(?×?)');
  });

  test('function bodies', () => {
    rejects(
      'def f(x):\n    print(x)\n    return x',
      'a function body must be assignments (z = …) and one return statement at column 15',
    );
    rejects('def f(x):\n    y = x', 'a function body must end with a return statement at column 15');
    rejects('def f(*x):\n    return x', '*args and **kwargs are not supported at column 7');
    rejects('a, b = x, y\na', 'assign one name at a time (z = …) at column 1');
  });

  test('assignments that substitute into an enormous expression are refused', () => {
    const lines = ['def f(x):', '    z = x'];
    for (let i = 0; i < 40; i++) lines.push('    z = z * z');
    lines.push('    return z');
    assert.throws(
      () => parsePython(lines.join('\n')),
      (e) => e instanceof LensError && /more than 20000 terms/.test(e.message),
    );
  });

  test('long and deep inputs answer with a LensError', () => {
    assert.throws(() => parsePython('x' + ' + x'.repeat(MAX_INPUT_LENGTH)), LensError);
    assert.throws(() => parsePython('('.repeat(300) + 'x' + ')'.repeat(300)), LensError);
    assert.throws(() => parsePython('x' + '.T'.repeat(3000)), LensError);
    // A long flat chain is read in a loop (@lezer/python itself stops at about 650 operators in a row).
    assert.equal(parsePython('x' + ' + x'.repeat(500)).body.type, 'binary');
    assert.equal(parsePython('x' + ' ** x'.repeat(1000)).body.type, 'binary');
    assert.throws(() => parsePython('x' + ' + x'.repeat(2000)), LensError);
  });
});

describe('Python: language detection', () => {
  test('marks only Python writes', () => {
    for (const input of [
      'np.exp(x)',
      'torch.sigmoid(x)',
      'jnp.sum(x)',
      'F.relu(x)',
      'math.sin(x)',
      'lambda x: x * x',
      'def f(x):\n    return x',
      'import numpy as np\nx',
      'W @ x',
      'x.T',
      'W.t()',
    ])
      assert.equal(detectLanguage(input), 'python', input);
  });

  test('TypeScript and LaTeX stay theirs', () => {
    assert.equal(detectLanguage('Math.exp(x)'), 'ts');
    assert.equal(detectLanguage('x ** 2'), 'ts');
    assert.equal(detectLanguage('\\mathbf{x}^T A'), 'latex');
  });

  test('differentiate detects Python', () => {
    assert.equal(differentiate('np.sum(x @ x)').text, '2x');
  });
});
