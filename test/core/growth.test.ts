/**
 * Work and output grow with the answer, not with the tree a shared expression
 * unfolds to; what cannot be shown or evaluated is refused with a message.
 * No timings here (see bench/growth.ts): an exponential pass simply never finishes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { run } from '../../src/cli/main';
import { checkDerivation, withConcreteSizes } from '../../src/core/check';
import { derivation } from '../../src/core/derivation';
import { differentiate } from '../../src/core/differentiate';
import { LensError } from '../../src/core/errors';
import { evaluate, toTensor, type Tensor } from '../../src/core/eval';
import { key, treeSize } from '../../src/core/expr';
import { MAX_NUMERIC_ENTRIES, MAX_RESULT_SIZE } from '../../src/core/limits';
import { presentAll } from '../../src/core/present';
import { identity, kron, transpose } from '../../src/core/simplify';
import { toLatex } from '../../src/core/print';

const nestedSoftmax = (depth: number, inner = 'W\\mathbf{x}') =>
  Array.from({ length: depth }).reduce<string>((e) => `\\operatorname{softmax}(${e})`, inner);
const tower = (depth: number) => Array.from({ length: depth }, () => 'x').join(' ** ');
const product = (n: number) => Array.from({ length: n }, (_, i) => `x_{${i + 1}}`).join(' ');

/** Everything a reader sees: the result and its definitions. */
function shownLength(r: ReturnType<typeof differentiate>): number {
  return r.latex.length + r.definitions.reduce((n, d) => n + d.definitionLatex.length, 0);
}

function flat(t: Tensor): number[] {
  return typeof t === 'number' ? [t] : Array.from(t.data);
}

/**
 * The presented result, its names replaced by their definitions' values, equals
 * the derivative: the definitions are right and in dependency order.
 */
function assertPresentationAgrees(expression: string, options: Parameters<typeof derivation>[1], at: object) {
  const d = derivation(expression, options);
  const env = new Map(Object.entries(at).map(([k, v]) => [k, toTensor(v)]));
  const presented = presentAll(d.parts.map((p) => p.expr));
  for (const def of presented.definitions) env.set(def.symbol.name, evaluate(def.value, env));
  d.parts.forEach((p, i) => {
    const exact = flat(evaluate(p.expr, env));
    const shown = flat(evaluate(presented.exprs[i], env));
    assert.equal(shown.length, exact.length);
    shown.forEach((v, j) =>
      assert.ok(Math.abs(v - exact[j]) <= 1e-9 * Math.max(1, Math.abs(v)), `${v} vs ${exact[j]}`),
    );
  });
  return presented;
}

describe('nested compositions grow linearly', () => {
  it('softmax nested 14 and 30 deep: output proportional to depth, and agrees with finite differences', () => {
    for (const depth of [14, 30]) {
      const r = differentiate(nestedSoftmax(depth), { check: true });
      // Each level adds one factor (diag(𝐬ₖ) − 𝐬ₖ𝐬ₖᵀ) and one definition 𝐬ₖ = softmax(𝐬ₖ₋₁).
      assert.ok(shownLength(r) < 250 * depth, `${depth}: ${shownLength(r)} characters`);
      assert.equal(r.definitions.length, depth);
      assert.equal(r.check!.verdict, 'agrees', r.check!.message);
    }
  });

  it('the nested softmax Jacobian is the chain of factors, the definitions innermost first', () => {
    const r = differentiate(nestedSoftmax(3));
    assert.equal(r.text, '(diag(s₃) − s₃s₃ᵀ)(diag(s₂) − s₂s₂ᵀ)(diag(s₁) − s₁s₁ᵀ)W');
    assert.deepEqual(
      r.definitions.map((d) => d.text),
      ['s₁ = softmax(Wx)', 's₂ = softmax(s₁)', 's₃ = softmax(s₂)'],
    );
  });

  it("with concrete sizes, 𝐬₁'s components are written s₁,₁, s₁,₂ (one softmax keeps s₁, s₂)", () => {
    const nested = differentiate(nestedSoftmax(2), { dims: { n: 2, m: 2 } }).expanded!.text;
    assert.match(nested, /s₁,₁/);
    assert.doesNotMatch(nested, /s_1/);
    assert.equal(
      differentiate('\\operatorname{softmax}(\\mathbf{x})', { dims: { n: 2 } }).expanded!.text,
      '[[s₁ − s₁², −s₁s₂], [−s₁s₂, s₂ − s₂²]]',
    );
  });

  it('the denominator layout transposes each shared part once', () => {
    const r = differentiate(nestedSoftmax(30), { layout: 'denominator' });
    assert.ok(r.text.startsWith('Wᵀ(diag(s₁) − s₁s₁ᵀ)(diag(s₂) − s₂s₂ᵀ)'), r.text.slice(0, 80));
    assert.ok(shownLength(r) < 250 * 30);
  });

  it('a derivative whose tree has 2⁶⁰ nodes is built, presented and counted in linear time', () => {
    const d = derivation(nestedSoftmax(60, '\\mathbf{x}'));
    assert.ok(treeSize(d.parts[0].expr) > 2 ** 60);
    assert.ok(key(d.parts[0].expr).length < 1000);
    assert.ok(toLatex(presentAll([d.parts[0].expr]).exprs[0]).length < 250 * 60);
  });

  it('a gradient through shared subexpressions (reverse mode over the DAG) agrees with finite differences', () => {
    const c = differentiate(`\\mathbf{a}^\\top ${nestedSoftmax(25)}`, { wrt: ['x'], check: true }).check!;
    assert.equal(c.verdict, 'agrees', c.message);
  });

  it('a shared subexpression too large to repeat is named once, and the names evaluate to the derivative', () => {
    const presented = assertPresentationAgrees(tower(30), { lang: 'ts' }, { x: 1.1 });
    assert.ok(presented.definitions.length > 0);
    assertPresentationAgrees(
      nestedSoftmax(6),
      {},
      {
        W: [
          [0.3, -0.2],
          [0.1, 0.5],
          [-0.4, 0.2],
        ],
        x: [0.7, -1.2],
      },
    );
    // Names of both kinds (𝐬ₖ for softmax, 𝐮ₖ for shared parts), the latter defined through the former.
    const mixed = assertPresentationAgrees(
      `\\mathbf{a}^\\top ${nestedSoftmax(8, '\\mathbf{x}')}`,
      { wrt: ['x'] },
      {
        a: [0.5, -1, 2],
        x: [0.3, -0.7, 1.1],
      },
    );
    assert.ok(mixed.definitions.some((d) => d.symbol.name.startsWith('u_')));
    assert.ok(mixed.definitions.some((d) => d.symbol.name.startsWith('s_')));
    const c = differentiate(tower(30), { lang: 'ts', check: true, at: { x: 1.1 } }).check!;
    assert.equal(c.verdict, 'agrees', c.message);
  });

  it('x ** x ** … ** x 500 and 1000 deep answer with output linear in depth', () => {
    for (const depth of [500, 1000]) {
      const r = differentiate(tower(depth), { lang: 'ts' });
      assert.ok(shownLength(r) < 200 * depth, `${shownLength(r)} characters`);
    }
  });
});

describe('result size is capped', () => {
  it('the Hessian of a product of 100 factors (10⁴ entries of 98 factors) is refused with the size', () => {
    for (const n of [100, 200]) {
      assert.throws(
        () => differentiate(product(n), { op: 'hessian' }),
        (e: unknown) =>
          e instanceof LensError && e.message.startsWith(`the result has more than ${MAX_RESULT_SIZE} terms`),
      );
    }
  });

  it('a Hessian under the cap is given', () => {
    const r = differentiate(product(20), { op: 'hessian', check: true });
    assert.ok(r.text.startsWith('[[0, x₁₀x₁₁'));
    assert.equal(r.check!.verdict, 'agrees', r.check!.message);
  });
});

describe('steps are bounded', () => {
  it('the steps of a derivative that unfolds to a huge formula are refused; small ones are given', () => {
    assert.throws(
      () => differentiate(nestedSoftmax(14), { steps: true }),
      (e: unknown) =>
        e instanceof LensError && /^the steps are not shown for a derivative this large/.test(e.message),
    );
    assert.ok(differentiate(nestedSoftmax(3), { steps: true }).steps!.length > 3);
  });
});

describe('numeric work is bounded', () => {
  const isLimit = (pattern: RegExp) => (e: unknown) => e instanceof LensError && pattern.test(e.message);

  it('a check at a declared size of 10⁹ is refused before anything is allocated', () => {
    assert.throws(
      () =>
        differentiate('\\mathbf{x}^\\top\\mathbf{x}', {
          declarations: ['\\mathbf{x}\\in\\mathbb{R}^{1000000000}'],
          check: true,
        }),
      isLimit(
        new RegExp(
          `vector\\(1000000000\\) \\(1000000000 entries\\), more than the limit of ${MAX_NUMERIC_ENTRIES}`,
        ),
      ),
    );
  });

  it('a check whose finite differences would take too long is refused; a small one runs', () => {
    const declarations = ['\\mathbf{x}\\in\\mathbb{R}^{3000}', 'A\\in\\mathbb{R}^{3000\\times 3000}'];
    assert.throws(
      () => differentiate('\\mathbf{x}^\\top A\\mathbf{x}', { declarations, check: true }),
      isLimit(/^evaluating this needs a matrix\(3000×3000\)/),
    );
    assert.throws(
      () =>
        differentiate('\\mathbf{x}^\\top\\mathbf{x}', {
          declarations: ['\\mathbf{x}\\in\\mathbb{R}^{100000}'],
          check: true,
        }),
      isLimit(/^the finite-difference check would take about .* operations, more than the limit/),
    );
    const small = differentiate('\\mathbf{x}^\\top A\\mathbf{x}', {
      declarations: ['\\mathbf{x}\\in\\mathbb{R}^{30}', 'A\\in\\mathbb{R}^{30\\times 30}'],
      check: true,
    });
    assert.equal(small.check!.verdict, 'agrees');
  });

  it('the CLI refuses --dims and --check at a size too large to evaluate, exit 2', () => {
    const err: string[] = [];
    const code = run(
      [
        '--check',
        '--dims',
        'n=1000000000',
        '--let',
        '\\mathbf{x}\\in\\mathbb{R}^{n}',
        '\\mathbf{x}^\\top\\mathbf{x}',
      ],
      () => {},
      (s) => err.push(s),
    );
    assert.equal(code, 2);
    assert.match(err.join('\n'), /^jacobian-lens: evaluating this needs a vector\(1000000000\)/);
  });
});

describe('--check on Kronecker (vec) forms', () => {
  it('agrees on AB with respect to A and B and on W𝐱 with respect to W, in both layouts', () => {
    for (const layout of ['numerator', 'denominator'] as const) {
      for (const [expression, wrt] of [
        ['AB', ['A', 'B']],
        ['W\\mathbf{x}', ['W']],
        ['AXB', ['X']],
      ] as const) {
        const c = differentiate(expression, {
          wrt: [...wrt],
          layout,
          check: true,
          dims: { n: 2, m: 3 },
        }).check!;
        assert.equal(c.verdict, 'agrees', `${expression} (${layout}): ${c.message}`);
      }
    }
    const out: string[] = [];
    assert.equal(
      run(
        ['--check', '--wrt', 'A,B', 'AB'],
        (s) => out.push(s),
        () => {},
      ),
      0,
    );
    assert.match(out.join('\n'), /check: agrees/);
  });

  it('still disagrees on the row-major (wrong) Kronecker order', () => {
    const d = withConcreteSizes(derivation('W\\mathbf{x}', { wrt: ['W'] }), (dims) =>
      derivation('W\\mathbf{x}', { wrt: ['W'], dims }),
    );
    const [part] = d.parts;
    const x = d.program.variables.find((v) => v.name === 'x')!;
    // I ⊗ 𝐱ᵀ is the Jacobian with W's entries taken row by row: the same numbers, in the wrong order.
    const wrong = {
      ...d,
      parts: [
        {
          ...part,
          expr: kron(identity(part.expr.shape.kind === 'matrix' ? part.expr.shape.m : 1), transpose(x)),
        },
      ],
    };
    assert.equal(checkDerivation(wrong).verdict, 'disagrees');
  });
});
