import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DifferentiateOptions } from '../../src/core/api';
import { derivation, type Derivation } from '../../src/core/derivation';
import { differentiate } from '../../src/core/differentiate';
import { evaluate, type Tensor } from '../../src/core/eval';
import { type Expr, type Sym, key, resolveDim } from '../../src/core/expr';
import { toText } from '../../src/core/print';
import { mul, num, rebuild, sym } from '../../src/core/simplify';
import { derivationSteps, type Claim, type DerivationSteps } from '../../src/core/steps';
import { rng } from './numeric';

const RELU = '\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)';
const MSE = '(y - \\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b))^2';
const SOFTMAX = '\\operatorname{softmax}(\\mathbf{x})';
const VECTOR_CHAIN = '[\\ln(x^2), \\sin(3x)]';
const SIZES = { n: 3, m: 2 };

function size(d: Parameters<typeof resolveDim>[0]): number {
  const r = resolveDim(d);
  assert.equal(typeof r, 'number', 'sizes must be concrete in these tests');
  return r as number;
}

function randomTensor(s: Expr['shape'], draw: () => number): Tensor {
  if (s.kind === 'scalar') return draw();
  const m = s.kind === 'matrix' ? size(s.m) : s.kind === 'vector' ? size(s.n) : 1;
  const n = s.kind === 'matrix' || s.kind === 'row' ? size(s.n) : 1;
  return { m, n, data: Float64Array.from({ length: m * n }, draw) };
}

function flat(t: Tensor): number[] {
  return typeof t === 'number' ? [t] : Array.from(t.data);
}

function transposed(t: Tensor): Tensor {
  if (typeof t === 'number') return t;
  const data = new Float64Array(t.m * t.n);
  for (let i = 0; i < t.m; i++) for (let j = 0; j < t.n; j++) data[j * t.m + i] = t.data[i * t.n + j];
  return { m: t.n, n: t.m, data };
}

function shifted(t: Tensor, index: number, delta: number): Tensor {
  if (typeof t === 'number') return t + delta;
  const data = t.data.slice();
  data[index] += delta;
  return { m: t.m, n: t.n, data };
}

/** Differentials dX become plain names `d·X`, so a direction can be given for them. */
function withDirections(e: Expr): Expr {
  if (e.type === 'sym' && e.role === 'differential') return sym(`d·${e.name}`, e.shape, 'const');
  return rebuild(e, withDirections);
}

/** Checks one claim d target/d wrt = value against central differences; returns the relative error. */
function claimError(claim: Claim, env: Map<string, Tensor>, draw: () => number): number {
  const h = 1e-6;
  const t = (e: Map<string, Tensor>) => flat(evaluate(claim.target, e));
  let exact: number[];
  let numeric: number[];
  if (claim.form === 'differential') {
    const [v] = claim.wrt;
    const direction = randomTensor(v.shape, draw);
    const withD = new Map(env).set(`d·${v.name}`, direction);
    exact = flat(evaluate(withDirections(claim.value), withD));
    const along = (s: number) => {
      const moved = new Map(env);
      const base = env.get(v.name)!;
      moved.set(
        v.name,
        typeof base === 'number'
          ? base + s * (direction as number)
          : {
              ...base,
              data: base.data.map((x, i) => x + s * (direction as Exclude<Tensor, number>).data[i]),
            },
      );
      return t(moved);
    };
    const plus = along(h);
    const minus = along(-h);
    numeric = plus.map((p, i) => (p - minus[i]) / (2 * h));
  } else {
    const value = evaluate(claim.value, env);
    exact = flat(claim.transposed ? transposed(value) : value);
    const columns = claim.wrt.flatMap((v) =>
      flat(env.get(v.name)!).map((_, index) => {
        const at = (s: number) => t(new Map(env).set(v.name, shifted(env.get(v.name)!, index, s * h)));
        const plus = at(1);
        const minus = at(-1);
        return plus.map((p, i) => (p - minus[i]) / (2 * h));
      }),
    );
    numeric = columns[0].flatMap((_, i) => columns.map((c) => c[i]));
  }
  assert.equal(exact.length, numeric.length, 'the value has as many entries as the derivative');
  return Math.max(...exact.map((a, i) => Math.abs(a - numeric[i]) / Math.max(1, Math.abs(a))));
}

/** Every stage with a claim, at several random points (intermediates set from their definitions). */
function assertStepsConsistent(d: Derivation, s: DerivationSteps, seed = 7): void {
  const draw = rng(seed);
  for (let trial = 0; trial < 4; trial++) {
    const env = new Map<string, Tensor>();
    for (const v of d.program.variables)
      env.set(
        v.name,
        randomTensor(v.shape, () => 2 * draw() - 1),
      );
    for (const i of s.intermediates) {
      env.set(i.symbol.name, evaluate(i.value, env));
      if (i.value.type === 'block')
        i.value.rows.forEach((r, k) => env.set(`${i.symbol.name}_${k + 1}`, evaluate(r[0], env)));
    }
    for (const step of s.steps) {
      if (!step.claim) continue;
      const error = claimError(step.claim, env, draw);
      assert.ok(error < 1e-5, `stage "${step.text}" is off by ${error}`);
    }
  }
}

function stepsOf(
  expression: string,
  options: DifferentiateOptions = {},
): { d: Derivation; s: DerivationSteps } {
  const d = derivation(expression, { dims: SIZES, ...options });
  return { d, s: derivationSteps(d) };
}

function definitions(s: DerivationSteps): string[] {
  return s.intermediates.map((i) => `${toText(i.symbol)} = ${toText(i.definition)}`);
}

/** The last stage states the core's own result for the last part. */
function assertEndsWithCoreResult(d: Derivation, s: DerivationSteps): void {
  const last = s.steps[s.steps.length - 1];
  assert.ok(last.claim, 'the last stage states a result');
  assert.equal(key(last.claim.value), key(d.parts[d.parts.length - 1].expr));
}

test('ReLU neuron: z = w·x + b, max(0, z) as cases, chain rule, result 0ᵀ / xᵀ', () => {
  const { d, s } = stepsOf(RELU, { wrt: ['w'], op: 'derivative' });
  assert.deepEqual(definitions(s), ['z = wᵀx + b']);
  const texts = s.steps.map((x) => x.text);
  assert.ok(texts.includes('∂z/∂w = ∂(wᵀx)/∂w = xᵀ'), texts.join('\n'));
  assert.ok(texts.includes('∂f/∂z = { 0 if z ≤ 0; 1 if z > 0 }'));
  assert.ok(texts.includes('∂f/∂w = ∂f/∂z·∂z/∂w = { 0ᵀ if z ≤ 0; xᵀ if z > 0 }'));
  assert.equal(texts[texts.length - 1], '∂f/∂w = { 0ᵀ if wᵀx + b ≤ 0; xᵀ if wᵀx + b > 0 }');
  assert.deepEqual(
    s.steps.map((x) => x.rule),
    ['intermediate', 'matrix-identity', 'sum', 'piecewise', 'chain', 'result'],
  );
  assertEndsWithCoreResult(d, s);
  assertStepsConsistent(d, s);
});

test('ReLU neuron with respect to b: ∂z/∂b = 1 and the cases 0 / 1', () => {
  const { d, s } = stepsOf(RELU, { wrt: ['b'] });
  const texts = s.steps.map((x) => x.text);
  assert.ok(texts.includes('∂z/∂b = ∂b/∂b = 1'), texts.join('\n'));
  assert.equal(texts[texts.length - 1], '∇_b f = { 0 if wᵀx + b ≤ 0; 1 if wᵀx + b > 0 }');
  assertEndsWithCoreResult(d, s);
  assertStepsConsistent(d, s);
});

test("MSE of one sample: the notes' u = max(0, z) and v = y − u, then 2v·∂v/∂w", () => {
  const { d, s } = stepsOf(MSE, { wrt: ['w', 'b'] });
  assert.deepEqual(definitions(s), ['z = wᵀx + b', 'u = max(0, z)', 'v = y − u']);
  const texts = s.steps.map((x) => x.text);
  assert.ok(texts.includes('∂v/∂w = −∂u/∂w = { 0ᵀ if z ≤ 0; −xᵀ if z > 0 }'), texts.join('\n'));
  assert.ok(texts.includes('∂f/∂v = 2v'));
  assert.ok(texts.includes('∂f/∂w = ∂f/∂v·∂v/∂w = { 0ᵀ if z ≤ 0; −2vxᵀ if z > 0 }'));
  assert.ok(texts.includes('∂v/∂b = −∂u/∂b = { 0 if z ≤ 0; −1 if z > 0 }'));
  // One result per variable, the gradient (a column) last for each.
  assert.equal(s.steps.filter((x) => x.rule === 'result').length, 2);
  assertEndsWithCoreResult(d, s);
  assertStepsConsistent(d, s);
});

test("softmax's Jacobian: ∂sᵢ/∂xⱼ in cases, then diag(s) − ssᵀ", () => {
  const { d, s } = stepsOf(SOFTMAX);
  assert.match(
    s.steps[0].latex,
    /\\frac\{\\partial s_i\}\{\\partial x_j\} = \\begin\{cases\} s_i\(1 - s_i\) & i = j/,
  );
  assert.equal(s.steps[s.steps.length - 1].text, '∂f/∂x = diag(s) − ssᵀ, where s = softmax(x)');
  assertEndsWithCoreResult(d, s);
  assertStepsConsistent(d, s);
});

test('vector chain rule [ln(x²), sin(3x)] through g = [x², 3x]', () => {
  const { d, s } = stepsOf(VECTOR_CHAIN);
  assert.deepEqual(definitions(s), ['g = [x², 3x]']);
  const texts = s.steps.map((x) => x.text);
  assert.ok(texts.includes('∂g/∂x = [2x, 3]'), texts.join('\n'));
  assert.ok(texts.includes('∂f/∂g = [[1/g₁, 0], [0, cos(g₂)]]'));
  assert.ok(texts.some((t) => t.startsWith('∂f/∂x = ∂f/∂g·∂g/∂x = ') && t.endsWith('= [2x/g₁, 3·cos(g₂)]')));
  assert.equal(texts[texts.length - 1], '∂f/∂x = [2/x, 3·cos(3x)]');
  assertEndsWithCoreResult(d, s);
  assertStepsConsistent(d, s);
});

test('scalar examples: constant factors and the power rule, stacked into the gradient', () => {
  for (const [expression, stages] of [
    [
      '3x^2y',
      [
        '∂(x²)/∂x = 2x',
        '∂f/∂x = 3y·∂(x²)/∂x = 6xy',
        '∂f/∂y = 3x²·∂y/∂y = 3x²',
        '∇f = [∂f/∂x, ∂f/∂y] = [6xy, 3x²]',
      ],
    ],
    ['\\sin(x)e^{y}', ['∂(sin(x))/∂x = cos(x)', '∂(exp(y))/∂y = exp(y)']],
  ] as const) {
    const { d, s } = stepsOf(expression);
    const texts = s.steps.map((x) => x.text);
    for (const stage of stages) assert.ok(texts.includes(stage), `${stage} in\n${texts.join('\n')}`);
    assert.ok(texts[texts.length - 1].startsWith('∇f = [∂f/∂x, ∂f/∂y] = '));
    assertEndsWithCoreResult(d, s);
    assertStepsConsistent(d, s);
  }
});

test('matrix examples: product rule in differentials, squared norm through g = Wx + b − y', () => {
  const quadratic = stepsOf('\\mathbf{x}^\\top A\\mathbf{x}');
  assert.equal(quadratic.s.steps[0].text, 'df = dxᵀAx + xᵀA·dx, so ∂f/∂x = xᵀ(A + Aᵀ)');
  assertEndsWithCoreResult(quadratic.d, quadratic.s);
  assertStepsConsistent(quadratic.d, quadratic.s);
  for (const options of [
    { wrt: ['W'] },
    { wrt: ['W'], op: 'derivative' as const },
    { wrt: ['W'], layout: 'denominator' as const },
  ]) {
    const { d, s } = stepsOf('\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', options);
    assert.deepEqual(definitions(s), ['g = Wx + b − y']);
    assert.ok(
      s.steps.some((x) => x.text === 'df = ∂f/∂g·dg = 2gᵀdWx, so ∇_W f = 2·gxᵀ'),
      s.steps.map((x) => x.text).join('\n'),
    );
    assertEndsWithCoreResult(d, s);
    assertStepsConsistent(d, s);
  }
});

test('more shapes stay numerically consistent stage by stage', () => {
  for (const [expression, options] of [
    ['\\sin(x^2) + \\cos(x^3)', {}],
    ['\\frac{x}{1 + e^{-x}}', {}],
    ['\\sigma(\\mathbf{w}^\\top\\mathbf{x})', { wrt: ['w'] }],
    ['\\ln(\\operatorname{sum}(\\exp(A\\mathbf{x})))', { wrt: ['x'] }],
    ['\\tanh(W\\mathbf{x} + \\mathbf{b})', { wrt: ['x'] }],
    ['\\operatorname{tr}(X^\\top A X)', { wrt: ['X'] }],
    ['\\mathbf{x}^\\top A\\mathbf{x}', { op: 'hessian' }],
  ] as [string, DifferentiateOptions][]) {
    const { d, s } = stepsOf(expression, options);
    assert.ok(s.steps.length > 0, expression);
    if (options.op !== 'hessian') assertEndsWithCoreResult(d, s);
    assertStepsConsistent(d, s);
  }
});

test('the stage check is not vacuous: a stage with a wrong value is caught', () => {
  const { d, s } = stepsOf(SOFTMAX);
  const stage = s.steps[s.steps.length - 1];
  const wrong = { ...stage, claim: { ...stage.claim!, value: mul(num(2), stage.claim!.value) } };
  assert.throws(() => assertStepsConsistent(d, { ...s, steps: [wrong] }), /is off by/);
});

test('collapsed view keeps the key stages; detail is available; JSON carries plain strings', () => {
  const result = differentiate(MSE, { wrt: ['w'], steps: true });
  const all = result.steps!;
  const collapsed = all.filter((x) => x.key);
  assert.ok(collapsed.length < all.length);
  assert.ok(collapsed.every((x) => x.depth === 0));
  assert.ok(all.every((x) => x.explanation.length > 0 && !x.explanation.includes('\n')));
  assert.deepEqual(JSON.parse(JSON.stringify(all)), all);
  assert.equal(differentiate(MSE, { wrt: ['w'] }).steps, undefined);
});

test('intermediate names avoid the names already in the expression', () => {
  const { s } = stepsOf('\\sin(z^2 + u)', { wrt: ['z'] });
  const names = s.intermediates.map((i: { symbol: Sym }) => i.symbol.name);
  assert.ok(!names.includes('z') && !names.includes('u'), names.join(', '));
});

test('the stages of a gradient by a declared-symmetric matrix are read with Σᵀ = Σ, as the result is', () => {
  const declarations = ['\\Sigma \\in \\mathbb{S}^n'];
  for (const f of [
    '\\mathbf{a}^\\top\\Sigma^{-1}\\mathbf{b}',
    '-\\frac{1}{2}\\ln\\det\\Sigma - \\frac{1}{2}(\\mathbf{x}-\\boldsymbol{\\mu})^\\top\\Sigma^{-1}(\\mathbf{x}-\\boldsymbol{\\mu})',
  ]) {
    const steps = differentiate(f, { wrt: ['Sigma'], declarations, steps: true }).steps!;
    assert.ok(steps.length > 1, f);
    for (const s of steps) {
      assert.ok(!s.text.includes('Σ⁻ᵀ'), `${f}: ${s.text}`);
      assert.ok(!s.latex.includes('\\Sigma^{-\\top}'), `${f}: ${s.latex}`);
    }
  }
  // Undeclared, the stage keeps the general form.
  const general = differentiate('\\mathbf{a}^\\top\\Sigma^{-1}\\mathbf{b}', {
    wrt: ['Sigma'],
    steps: true,
  }).steps!;
  assert.ok(general.some((s) => s.text.includes('Σ⁻ᵀ')));
});
