/**
 * Table-driven: every record of the element-wise registry (core/functions.ts)
 * is differentiated, simplified, evaluated, parsed, printed and exported through
 * the core, so a new entry is tested by being added.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { transformSync } from 'esbuild';
import { derivation, type Derivation } from '../../src/core/derivation';
import { differential } from '../../src/core/diff';
import { emit } from '../../src/core/emit';
import { evaluate, fromTensor, type Tensor } from '../../src/core/eval';
import { type Expr, type Sym, type UnaryFn, SCALAR, key, make } from '../../src/core/expr';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from '../../src/core/functions';
import { toLatex, toText } from '../../src/core/print';
import { ONE, fn, num, pow } from '../../src/core/simplify';
import { steps } from '../../src/core/steps';

const x: Sym = make.sym('x', SCALAR, 'var');
const at = (t: number) => new Map<string, Tensor>([['x', t]]);
const valueOf = (e: Expr, t: number) => evaluate(e, at(t)) as number;

/** Points tried in turn; each function is checked at the first two inside its domain. */
const CANDIDATES = [0.3, -0.6, 0.7, 1.6, 2.4];
const H = 1e-5;

function pointsFor(f: UnaryFn, { nonzero = false } = {}): number[] {
  const { value } = ELEMENTWISE[f];
  const inside = (t: number) =>
    [t - H, t, t + H].every((s) => Number.isFinite(value(s))) && !(nonzero && value(t) === 0);
  const points = CANDIDATES.filter(inside).slice(0, 2);
  assert.equal(points.length, 2, `${f}: no two test points in its domain`);
  return points;
}

test('every registry entry is differentiated correctly (central finite differences)', () => {
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const phi = fn(f, x);
    const conditions: never[] = [];
    const dphi = differential(phi, x, ONE, { conditions });
    for (const t of pointsFor(f)) {
      const numeric = (valueOf(phi, t + H) - valueOf(phi, t - H)) / (2 * H);
      const analytic = valueOf(dphi, t);
      assert.ok(
        Math.abs(analytic - numeric) <= 1e-6 * Math.max(1, Math.abs(numeric)),
        `${f}'(${t}): ${analytic} vs ${numeric}`,
      );
    }
    // a kink at 0 is stated as a condition of the result
    assert.equal(conditions.length, ELEMENTWISE[f].kink ? 1 : 0, `${f}: conditions`);
  }
});

test('every registry entry evaluates as its numeric function, element by element on vectors', () => {
  const v: Sym = make.sym('v', { kind: 'vector', n: 3 }, 'var');
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const [a, b] = pointsFor(f);
    assert.equal(valueOf(fn(f, x), a), ELEMENTWISE[f].value(a));
    const env = new Map<string, Tensor>([['v', { m: 3, n: 1, data: Float64Array.from([a, b, a]) }]]);
    assert.deepEqual(
      fromTensor(evaluate(fn(f, v), env), 'vector'),
      [a, b, a].map((t) => ELEMENTWISE[f].value(t)),
    );
  }
});

test("the simplifier's facts about each entry hold numerically", () => {
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const { atZero, cancels, inverse, value } = ELEMENTWISE[f];
    if (atZero) {
      assert.equal(atZero[0] / atZero[1], value(0), `${f}(0)`);
      assert.equal(key(fn(f, num(0))), key(num(atZero[0], atZero[1])), `${f}(0) is simplified`);
    } else {
      assert.equal(fn(f, num(0)).type, 'fn', `${f}(0) is kept`);
    }
    const pairs: [UnaryFn, UnaryFn][] = [];
    if (cancels) pairs.push([f, cancels]);
    if (inverse) pairs.push([inverse, f]);
    for (const [outer, inner] of pairs) {
      // outer(inner(t)) = t on inner's domain
      const t = pointsFor(inner)[0];
      const round = ELEMENTWISE[outer].value(ELEMENTWISE[inner].value(t));
      assert.ok(Math.abs(round - t) < 1e-12, `${outer}(${inner}(${t})) = ${round}`);
    }
  }
});

const body = (expression: string, lang?: 'ts') => key(derivation(expression, { lang }).program.body);

test('every spelling of every entry is read by the parsers', () => {
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const expected = key(fn(f, x));
    const { names, commands, math, inverse } = ELEMENTWISE[f];
    for (const n of names) assert.equal(body(`\\operatorname{${n}}(x)`), expected, n);
    for (const n of names) assert.equal(body(`${n}(x)`), expected, `${n} as letters`);
    for (const c of commands) assert.equal(body(`\\${c}(x)`), expected, `\\${c}`);
    for (const m of math) assert.equal(body(`(x: number) => Math.${m}(x)`, 'ts'), expected, `Math.${m}`);
    if (inverse) assert.equal(body(`\\${commands[0]}^{-1}(x)`), key(fn(inverse, x)), `\\${f}^{-1}`);
  }
});

test('every entry prints in LaTeX that reads back as itself, and in distinct text', () => {
  const latex = new Set<string>();
  const text = new Set<string>();
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const once = fn(f, x);
    const squared = pow(once, num(2));
    latex.add(toLatex(once));
    text.add(toText(once));
    assert.match(toText(once), /x/);
    // the step function is only ever a derivative: printed, never read
    if (ELEMENTWISE[f].names.length === 0) continue;
    assert.equal(body(toLatex(once)), key(once), toLatex(once));
    assert.equal(body(toLatex(squared)), key(squared), toLatex(squared));
  }
  assert.equal(latex.size, ELEMENTWISE_FUNCTIONS.length);
  assert.equal(text.size, ELEMENTWISE_FUNCTIONS.length);
});

test('every entry that can be written is explained as an element-wise step, in its own words', () => {
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const [n] = ELEMENTWISE[f].names;
    if (n === undefined) continue;
    const [first] = steps(derivation(`\\operatorname{${n}}(x)`));
    assert.equal(first.rule, 'elementwise', f);
    const { rule } = ELEMENTWISE[f];
    assert.equal(first.explanation, `Derivative of ${f}${rule ? `: ${rule}` : ''}.`);
  }
});

/** The code export of 1/φ(x) (a loose spelling needs brackets) and φ(v) on a vector, with its inputs and expected values. */
function exported(f: UnaryFn, language: 'ts' | 'numpy') {
  const template = derivation('x + \\operatorname{sum}(\\mathbf{v})', { wrt: ['x', 'v'] });
  const [xs, vs] = template.wrt;
  const parts = [pow(fn(f, xs), num(-1)), fn(f, vs)];
  const d: Derivation = { ...template, parts: parts.map((expr, i) => ({ wrt: [i ? vs : xs], expr })) };
  const [a, b] = pointsFor(f, { nonzero: true });
  const env = new Map<string, Tensor>([
    ['x', a],
    ['v', { m: 3, n: 1, data: Float64Array.from([a, b, a]) }],
  ]);
  const expected = parts.map((p) => fromTensor(evaluate(p, env), p.shape.kind));
  return { source: emit(d, language), inputs: [a, [a, b, a]], expected };
}

function assertClose(f: UnaryFn, got: unknown, expected: unknown): void {
  const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);
  const [g, e] = [flat(got), flat(expected)];
  assert.equal(g.length, e.length, `${f}: ${JSON.stringify(got)}`);
  e.forEach((y, i) =>
    assert.ok(Math.abs(y - g[i]) <= 1e-12 * Math.max(1, Math.abs(y)), `${f}: ${g[i]} vs ${y}`),
  );
}

const work = mkdtempSync(join(tmpdir(), 'jacobian-lens-functions-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('every entry exports to TypeScript that node runs to the core’s values', () => {
  const cases = ELEMENTWISE_FUNCTIONS.map((f) => exported(f, 'ts'));
  cases.forEach((c, i) =>
    writeFileSync(join(work, `f${i}.cjs`), transformSync(c.source, { loader: 'ts', format: 'cjs' }).code),
  );
  writeFileSync(
    join(work, 'run.cjs'),
    `const inputs = ${JSON.stringify(cases.map((c) => c.inputs))};
process.stdout.write(JSON.stringify(inputs.map((args, i) => Object.values(require('./f' + i + '.cjs'))[0](...args))));`,
  );
  const results = JSON.parse(
    execFileSync(process.execPath, [join(work, 'run.cjs')], { encoding: 'utf8' }),
  ) as unknown[];
  ELEMENTWISE_FUNCTIONS.forEach((f, i) => assertClose(f, results[i], cases[i].expected));
});

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

test(
  'every entry exports to NumPy that python3 runs to the core’s values',
  // As in emit.test.ts: skipped only on a developer's machine without numpy; CI installs it.
  { skip: !hasNumpy && !process.env.CI && 'python3-numpy is not installed' },
  () => {
    const cases = ELEMENTWISE_FUNCTIONS.map((f) => exported(f, 'numpy'));
    cases.forEach((c, i) => writeFileSync(join(work, `f${i}.py`), c.source));
    writeFileSync(
      join(work, 'run.py'),
      `import importlib, json, sys
import numpy as np
sys.path.insert(0, ${JSON.stringify(work)})
inputs = json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => c.inputs)))})
out = []
for i, args in enumerate(inputs):
    m = importlib.import_module('f%d' % i)
    f = [getattr(m, n) for n in dir(m) if n.endswith('_f')][0]
    out.append([np.asarray(r, dtype=float).tolist() for r in f(*[np.asarray(a, dtype=float) for a in args])])
print(json.dumps(out))
`,
    );
    const results = JSON.parse(
      execFileSync('python3', [join(work, 'run.py')], { encoding: 'utf8' }),
    ) as unknown[];
    ELEMENTWISE_FUNCTIONS.forEach((f, i) => assertClose(f, results[i], cases[i].expected));
  },
);
