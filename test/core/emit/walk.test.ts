import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { transformSync } from 'esbuild';
import type { DifferentiateOptions, EmitLanguage, Value } from '../../../src/core/api';
import { derivation } from '../../../src/core/derivation';
import { differentiate } from '../../../src/core/differentiate';
import { emit } from '../../../src/core/emit';
import { evaluate, fromTensor, toTensor } from '../../../src/core/eval';
import { resolveDim, type Sym } from '../../../src/core/expr';
import { rng } from '../numeric';

/** Expression, options, and the sizes of a test point. */
const CASES: [string, DifferentiateOptions, Record<string, number>][] = [
  ['3x^2y', {}, {}],
  ['\\sin(x)e^{y}', {}, {}],
  ['\\mathbf{x}^\\top A\\mathbf{x}', {}, { n: 3 }],
  ['\\mathbf{x}^\\top A\\mathbf{x}', { op: 'hessian' }, { n: 3 }],
  ['\\operatorname{softmax}(\\mathbf{x})', {}, { n: 4 }],
  // column-wise softmax of a matrix of samples
  ['\\operatorname{tr}(A^\\top\\operatorname{softmax}(X))', { wrt: ['X'] }, { n: 3, m: 2 }],
  ['\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', { wrt: ['W'] }, { n: 3, m: 2 }],
  ['\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', { wrt: ['W'], op: 'derivative' }, { n: 3, m: 2 }],
  ['\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', { wrt: ['w'] }, { n: 3 }],
  ['(y - \\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b))^2', { wrt: ['w', 'b'] }, { n: 3 }],
  ['[\\ln(x^2), \\sin(3x)]', {}, {}],
  ['\\sigma(\\mathbf{w}^\\top\\mathbf{x})', { wrt: ['w'] }, { n: 3 }],
  ['\\operatorname{logsumexp}(A\\mathbf{x})', { wrt: ['x'] }, { n: 3, m: 2 }],
  ['\\frac{\\mathbf{x}}{\\|\\mathbf{x}\\|}', {}, { n: 3 }],
  ['\\ln\\det(X)', { wrt: ['X'] }, { n: 3 }],
  ['\\operatorname{tr}(A X B)', { wrt: ['X'] }, { n: 3, m: 2 }],
  ['\\tanh(W\\mathbf{x} + \\mathbf{b})', { wrt: ['x'] }, { n: 2, m: 3 }],
  // real odd roots: the random points include negative values
  ['\\sqrt[3]{x} + \\sqrt[5]{y}^2 + x^{2/3}', {}, {}],
  ['\\operatorname{sum}(\\sqrt[3]{\\mathbf{x}})', {}, { n: 3 }],
];
const POINTS_PER_CASE = 3;

interface Instance {
  readonly label: string;
  readonly params: string[];
  readonly inputs: Value[][];
  readonly expected: Value[][];
}

function randomValue(v: Sym, dims: Record<string, number>, draw: () => number): Value {
  const size = (d: Parameters<typeof resolveDim>[0]) => {
    const r = resolveDim(d);
    return typeof r === 'number' ? r : (dims[r as string] ?? 2);
  };
  const s = v.shape;
  if (s.kind === 'scalar') return draw();
  if (s.kind === 'matrix') {
    const m = size(s.m);
    const n = size(s.n);
    // A dominant diagonal keeps square matrices invertible with a positive determinant (log det).
    return Array.from({ length: m }, (_, i) =>
      Array.from({ length: n }, (_, j) => draw() + (i === j && m === n ? m + 1 : 0)),
    );
  }
  return Array.from({ length: size(s.n) }, draw);
}

/** Emits each case (with symbolic sizes) and evaluates the core's own result at random points. */
function instances(language: EmitLanguage): { sources: string[]; cases: Instance[] } {
  const draw = rng(11);
  const sources: string[] = [];
  const cases = CASES.map(([expression, options, dims]) => {
    const d = derivation(expression, options);
    sources.push(emit(d, language));
    const variables = d.program.variables.filter((v) => v.role === 'var');
    const inputs: Value[][] = [];
    const expected: Value[][] = [];
    for (let k = 0; k < POINTS_PER_CASE; k++) {
      const point = Object.fromEntries(
        variables.map((v) => [v.name, randomValue(v, dims, () => 2 * draw() - 1)]),
      );
      const concrete = derivation(expression, { ...options, at: point });
      const env = new Map(Object.entries(point).map(([name, v]) => [name, toTensor(v)]));
      inputs.push(variables.map((v) => point[v.name]));
      expected.push(concrete.parts.map((p) => fromTensor(evaluate(p.expr, env), p.expr.shape.kind)));
    }
    return {
      label: `${expression} ${JSON.stringify(options)}`,
      params: variables.map((v) => v.name),
      inputs,
      expected,
    };
  });
  return { sources, cases };
}

function flatten(v: unknown): number[] {
  return Array.isArray(v) ? v.flatMap(flatten) : [v as number];
}

function assertMatches(cases: Instance[], results: unknown[][]): void {
  cases.forEach((c, i) => {
    c.expected.forEach((expected, k) => {
      const got = c.expected[k].length === 1 ? [results[i][k]] : (results[i][k] as unknown[]);
      const a = flatten(expected);
      const b = flatten(got);
      assert.equal(b.length, a.length, `${c.label}: ${JSON.stringify(got)}`);
      a.forEach((x, j) =>
        assert.ok(
          Math.abs(x - b[j]) <= 1e-9 * Math.max(1, Math.abs(x)),
          `${c.label} at ${JSON.stringify(c.inputs[k])}: ${x} vs ${b[j]}`,
        ),
      );
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'jacobian-lens-emit-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('emitted TypeScript type-checks as plain code and agrees with the core', () => {
  const { sources, cases } = instances('ts');
  sources.forEach((source, i) => {
    assert.match(source, /export function (grad|jacobian|hessian|derivative)_f\(/);
    writeFileSync(join(work, `case${i}.cjs`), transformSync(source, { loader: 'ts', format: 'cjs' }).code);
  });
  const runner = `const cases = ${JSON.stringify(cases.map((c) => c.inputs))};
const out = cases.map((inputs, i) => {
  const m = require('./case' + i + '.cjs');
  const f = Object.values(m)[0];
  return inputs.map((args) => f(...args));
});
process.stdout.write(JSON.stringify(out));`;
  writeFileSync(join(work, 'run.cjs'), runner);
  const results = JSON.parse(
    execFileSync(process.execPath, [join(work, 'run.cjs')], { encoding: 'utf8' }),
  ) as unknown[][];
  assertMatches(cases, results);
});

test('emitted TypeScript passes the strict compiler', () => {
  const { sources } = instances('ts');
  const files = sources.map((source, i) => {
    const file = join(work, `strict${i}.ts`);
    writeFileSync(file, source);
    return file;
  });
  const tsc = join(__dirname, '../../../node_modules/typescript/bin/tsc');
  const r = spawnSync(
    process.execPath,
    [tsc, '--strict', '--noEmit', '--target', 'ES2022', '--module', 'esnext', ...files],
    {
      encoding: 'utf8',
      cwd: work,
    },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

test(
  'emitted NumPy runs under python3 and agrees with the core',
  // Skipped only on a developer's machine without numpy; CI installs it, so there it must run.
  { skip: !hasNumpy && !process.env.CI && 'python3-numpy is not installed' },
  () => assertPythonMatches('numpy', /^import numpy as np$/m),
);

/**
 * Stand-ins for jax.numpy and torch, made of NumPy, where neither is installed: JAX's code must be the NumPy
 * code under another name, and PyTorch's must call only functions torch has, with its signatures
 * (`dim=`, `dtype=`, `min=`), as documented.
 */
const STAND_INS: Readonly<Record<string, string>> = {
  'jax/__init__.py': '',
  'jax/numpy.py': 'from numpy import *\nfrom numpy import linalg\n',
  'torch.py': `import numpy as _np
float64 = _np.float64
linalg = _np.linalg
def as_tensor(x, dtype): return _np.asarray(x, dtype=float)
def tensor(x, dtype): return _np.asarray(x, dtype=float)
def eye(n, dtype): return _np.eye(n)
def zeros(shape, dtype): return _np.zeros(shape)
def ones(shape, dtype): return _np.ones(shape)
def stack(tensors): return _np.stack(tensors)
def sigmoid(a): return 1 / (1 + _np.exp(-a))
def softmax(a, dim):
    e = _np.exp(a - _np.max(a, axis=dim, keepdims=True))
    return e / _np.sum(e, axis=dim, keepdims=True)
def log_softmax(a, dim): return _np.log(softmax(a, dim))
def logsumexp(a, dim):
    top = _np.max(a, axis=dim)
    return top + _np.log(_np.sum(_np.exp(a - top), axis=dim))
def clamp(a, min=None, max=None): return _np.clip(a, min, max)
def atan2(a, b): return _np.arctan2(a, b)
def maximum(a, b): return _np.maximum(a, b)
def minimum(a, b): return _np.minimum(a, b)
def heaviside(a, values): return _np.heaviside(a, values)
def zeros_like(a): return _np.zeros_like(a)
def outer(a, b): return _np.outer(a, b)
def kron(a, b): return _np.kron(a, b)
def trace(a): return _np.trace(a)
def diag(a): return _np.diag(a)
def sum(a): return _np.sum(a)
def sign(a): return _np.sign(a)
def abs(a): return _np.abs(a)
def exp(a): return _np.exp(a)
def log(a): return _np.log(a)
def sin(a): return _np.sin(a)
def cos(a): return _np.cos(a)
def tan(a): return _np.tan(a)
def tanh(a): return _np.tanh(a)
def sqrt(a): return _np.sqrt(a)
`,
};

for (const [language, header] of [
  ['jax', /^import jax\.numpy as jnp$/m],
  ['torch', /^import torch$/m],
] as const)
  test(
    `emitted ${language} code runs (on NumPy stand-ins) and agrees with the core`,
    { skip: !hasNumpy && !process.env.CI && 'python3-numpy is not installed' },
    () => {
      const stand = join(work, `stand-in-${language}`);
      mkdirSync(join(stand, 'jax'), { recursive: true });
      for (const [file, text] of Object.entries(STAND_INS)) writeFileSync(join(stand, file), text);
      assertPythonMatches(language, header, stand);
    },
  );

function assertPythonMatches(language: EmitLanguage, header: RegExp, path?: string): void {
  {
    const { sources, cases } = instances(language);
    const dir = join(work, language);
    mkdirSync(dir, { recursive: true });
    sources.forEach((source, i) => {
      assert.match(source, header);
      if (language !== 'numpy') assert.doesNotMatch(source, /\bnp\./);
      writeFileSync(join(dir, `case${i}.py`), source);
    });
    const runner = `import importlib, json, sys
import numpy as np
sys.path.insert(0, ${JSON.stringify(dir)})
${path ? `sys.path.insert(0, ${JSON.stringify(path)})` : ''}
cases = json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c.inputs)))})
def plain(v):
    if isinstance(v, tuple):
        return [plain(x) for x in v]
    return np.asarray(v, dtype=float).tolist()
out = []
for i, inputs in enumerate(cases):
    m = importlib.import_module('case%d' % i)
    f = [getattr(m, n) for n in dir(m) if n.endswith('_f')][0]
    out.append([plain(f(*args)) for args in inputs])
print(json.dumps(out))
`;
    writeFileSync(join(dir, 'run.py'), runner);
    const results = JSON.parse(
      execFileSync('python3', [join(dir, 'run.py')], { encoding: 'utf8' }),
    ) as unknown[][];
    assertMatches(cases, results);
  }
}

test('names that are keywords are renamed; unknown sizes are read from the arguments', () => {
  const ts = emit(derivation('\\lambda x^2', { wrt: ['x'] }), 'numpy');
  assert.match(ts, /def grad_f\(lambda_, x\):/);
  const zeros = emit(derivation('\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', { wrt: ['w'] }), 'ts');
  assert.match(zeros, /fill\(w\.length, 0\)/);
});

test('emit takes one language or several: the result has the code in each', () => {
  const both = differentiate('\\operatorname{softmax}(\\mathbf{x})', { emit: ['ts', 'numpy'] }).code;
  assert.deepEqual(Object.keys(both ?? {}), ['ts', 'numpy']);
  assert.equal(both?.ts, differentiate('\\operatorname{softmax}(\\mathbf{x})', { emit: 'ts' }).code?.ts);
  assert.match(both?.numpy ?? '', /^def _softmax\(a\):$/m);
  assert.equal(differentiate('x^2').code, undefined);
});
