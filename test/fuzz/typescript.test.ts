/**
 * Fuzzing the TypeScript front end: arrow functions over Math.*, arrays of
 * expressions, and garbage; smooth functions must give finite values and a
 * check that agrees.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { allFinite, differentiateOrRefuse, reportSlowest } from './core';
import { fuzzRuns } from './runs';

after(() => reportSlowest('typescript'));

const name = fc.constantFrom(
  'x',
  'y',
  'w',
  'theta',
  'x1',
  'constructor',
  '__proto__',
  'valueOf',
  'toString',
  '$',
  '_',
);
const literal = fc.oneof(
  fc.integer({ min: -5, max: 20 }).map(String),
  fc.constantFrom('0.5', '1e-3', '1e400', 'Math.PI', 'Math.E', '0', 'NaN', 'Infinity', '2n', '0x10', '1_000'),
);
const unary = fc.constantFrom(
  'Math.sin',
  'Math.cos',
  'Math.tan',
  'Math.exp',
  'Math.log',
  'Math.sqrt',
  'Math.tanh',
  'Math.abs',
  'Math.cbrt',
  'Math.log1p',
  'Math.expm1',
  'Math.atan',
  'Math.sign',
  'Math.floor',
  'Math.random',
  'np.exp',
  'sin',
);

const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small' },
    name,
    literal,
    fc
      .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '**', '%', '^', '&&', '<', ','), tie('expr'))
      .map(([a, o, b]) => `${a} ${o} ${b}`),
    fc.tuple(unary, tie('expr')).map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(
        fc.constantFrom('Math.max', 'Math.min', 'Math.pow', 'Math.atan2', 'Math.hypot'),
        tie('expr'),
        tie('expr'),
      )
      .map(([f, a, b]) => `${f}(${a}, ${b})`),
    tie('expr').map((a) => `(${a})`),
    tie('expr').map((a) => `-${a}`),
    fc.array(tie('expr'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    tie('expr').map((a) => `${a}[0]`),
    tie('expr').map((a) => `${a} as number`),
  ),
}));

const fn = fc.oneof(
  fc.tuple(fc.uniqueArray(name, { maxLength: 3 }), expr).map(([ps, b]) => `(${ps.join(', ')}) => ${b}`),
  fc
    .tuple(fc.uniqueArray(name, { maxLength: 3 }), expr)
    .map(([ps, b]) => `(${ps.map((p) => `${p}: number`).join(', ')}): number => ${b}`),
  fc.tuple(name, expr).map(([p, b]) => `function f(${p}) { return ${b}; }`),
  fc.tuple(name, expr).map(([p, b]) => `const f = (${p}) => { return ${b} }`),
  expr.map((b) => `(x) => ${b}`),
  expr,
);

test('arrow functions over Math.*, arrays and operators: only LensError escapes, within the budget', () => {
  fc.assert(
    fc.property(
      fn,
      fc.constantFrom(undefined, 'gradient', 'jacobian', 'hessian', 'derivative'),
      (source, op) => {
        differentiateOrRefuse(source, { lang: 'ts', ...(op ? { op } : {}) });
      },
    ),
    { numRuns: fuzzRuns(300) },
  );
});

test('garbage around TypeScript tokens: only LensError escapes', () => {
  const token = fc.oneof(
    fc.constantFrom(
      '(',
      ')',
      '=>',
      '{',
      '}',
      '[',
      ']',
      'return',
      'const',
      'function',
      ';',
      ':',
      'number',
      '?.',
      '...',
      '`',
      "'",
      '/*',
      '//',
      '\n',
      'async',
      'yield',
      'new',
      'class',
      'this',
    ),
    name,
    literal,
    unary,
    fc.string({ maxLength: 3 }),
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 14 }), (parts) => {
      differentiateOrRefuse(parts.join(' '), { lang: 'ts' });
    }),
    { numRuns: fuzzRuns(400) },
  );
});

/** Smooth and bounded for |x|, |y| ≤ 2. */
const smooth = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('x', 'y'),
    fc.integer({ min: 1, max: 5 }).map(String),
    fc.tuple(tie('f'), fc.constantFrom('+', '-', '*'), tie('f')).map(([a, o, b]) => `(${a}) ${o} (${b})`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `(${a}) / (1 + (${b}) ** 2)`),
    fc
      .tuple(fc.constantFrom('Math.sin', 'Math.cos', 'Math.tanh', 'Math.atan'), tie('f'))
      .map(([f, a]) => `${f}(${a})`),
    tie('f').map((a) => `Math.sqrt(1 + (${a}) ** 2)`),
    tie('f').map((a) => `Math.log(2 + Math.sin(${a}))`),
    tie('f').map((a) => `Math.exp(Math.cos(${a}))`),
    tie('f').map((a) => `Math.hypot(${a}, 1)`),
  ),
}));
const coordinate = fc.double({ min: -2, max: 2, noNaN: true });

test('smooth functions at random points: finite value, and the check never disagrees', () => {
  fc.assert(
    fc.property(smooth.f, coordinate, coordinate, (f, x, y) => {
      const r = differentiateOrRefuse(`(x, y) => ${f} + x * y`, { at: { x, y }, check: true });
      assert.ok(r, `refused ${f}`);
      assert.ok(allFinite(r.value), `value ${JSON.stringify(r.value)}`);
      assert.notEqual(r.check?.verdict, 'disagrees', r.check?.message ?? 'no check');
    }),
    { numRuns: fuzzRuns(150) },
  );
});
