/**
 * Fuzzing the Python front end: NumPy/PyTorch expressions, functions and
 * garbage; only a LensError escapes, within the time budget.
 */
import { after, test } from 'node:test';
import fc from 'fast-check';
import { differentiateOrRefuse, reportSlowest } from './core';
import { fuzzRuns } from './runs';

after(() => reportSlowest('python'));

const name = fc.constantFrom('x', 'y', 'W', 'b', 'theta', 'x1', 'np', 'torch', '__class__', 'self', 'print');
const literal = fc.constantFrom(
  '2',
  '0.5',
  '1e-3',
  '1e400',
  '0x10',
  '1_000',
  '1j',
  'True',
  'None',
  '"s"',
  'math.pi',
);
const unary = fc.constantFrom(
  'np.exp',
  'np.log',
  'np.tanh',
  'np.sum',
  'np.mean',
  'np.linalg.norm',
  'np.linalg.det',
  'np.linalg.inv',
  'np.diag',
  'np.trace',
  'torch.sigmoid',
  'F.relu',
  'F.softmax',
  'jax.nn.logsumexp',
  'scipy.special.expit',
  'np.fft',
  'exp',
  'len',
);
const binary = fc.constantFrom(
  'np.dot',
  'np.outer',
  'np.maximum',
  'np.matmul',
  'F.mse_loss',
  'F.cross_entropy',
);

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small' },
    name,
    literal,
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('+', '-', '*', '/', '**', '@', '//', '%', '^', 'and', '<', ','),
        tie('expr'),
      )
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(unary, tie('expr')).map(([f, a]) => `${f}(${a})`),
    fc.tuple(binary, tie('expr'), tie('expr')).map(([f, a, b]) => `${f}(${a}, ${b})`),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('.T', '.mT', '.t()', '.sum()', '.mean()', '.shape', '[0]', '.exp()'),
      )
      .map(([a, m]) => `(${a})${m}`),
    fc
      .tuple(tie('expr'), fc.constantFrom('dim=0', 'dim=-1', 'axis=2', 'ord=1', "reduction='sum'"))
      .map(([a, k]) => `F.softmax(${a}, ${k})`),
    tie('expr').map((a) => `(${a})`),
    tie('expr').map((a) => `-${a}`),
    fc.array(tie('expr'), { maxLength: 3 }).map((xs) => `np.array([${xs.join(', ')}])`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${a} if ${c} else ${b}`),
  ),
}));

const program = fc.oneof(
  expr,
  fc.tuple(fc.uniqueArray(name, { maxLength: 3 }), expr).map(([ps, b]) => `lambda ${ps.join(', ')}: ${b}`),
  fc
    .tuple(fc.uniqueArray(name, { maxLength: 3 }), fc.array(fc.tuple(name, expr), { maxLength: 3 }), expr)
    .map(
      ([ps, assigns, b]) =>
        `def f(${ps.map((p) => `${p}: np.ndarray`).join(', ')}):\n${assigns.map(([n, e]) => `    ${n} = ${e}\n`).join('')}    return ${b}`,
    ),
  fc
    .tuple(name, expr)
    .map(([n, e]) => `import numpy as np\n# ${n}: (n, 3)\n${n} = np.zeros((4, n))\nloss = ${e}`),
);

test('NumPy and PyTorch expressions, lambdas and defs: only LensError escapes, within the budget', () => {
  fc.assert(
    fc.property(program, fc.constantFrom(undefined, 'gradient', 'jacobian', 'hessian'), (source, op) => {
      differentiateOrRefuse(source, { lang: 'python', ...(op ? { op } : {}) });
    }),
    { numRuns: fuzzRuns(300) },
  );
});

test('garbage around Python tokens: only LensError escapes', () => {
  const token = fc.oneof(
    fc.constantFrom(
      '(',
      ')',
      '[',
      ']',
      ':',
      'lambda',
      'def',
      'return',
      '=',
      '\n',
      '    ',
      '#',
      'import',
      'as',
      '.',
      ',',
      '*',
      '**',
      '@',
      'yield',
      'class',
      'async',
      '"""',
      "'",
    ),
    name,
    literal,
    unary,
    fc.string({ maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 14 }), (parts) => {
      differentiateOrRefuse(parts.join(' '), { lang: 'python' });
    }),
    { numRuns: fuzzRuns(400) },
  );
});
