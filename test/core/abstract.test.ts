/**
 * Abstract functions: a name with no definition applied like a function (`f(x)`, `h(x, y)`,
 * `\mathbf{f}(\mathbf{x})`, `\operatorname{target}(\mathbf{x})`). The chain rule keeps their
 * derivatives symbolic; for numbers they become random smooth functions with exact derivatives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { randomFunctions, type Argument } from '../../src/core/abstract';
import { derivation } from '../../src/core/derivation';
import { LensError } from '../../src/core/errors';
import { evaluate, type Tensor } from '../../src/core/eval';
import { checkNumerically, rng } from './numeric';

/** The value of a LaTeX expression at scalar values, with the abstract functions drawn from `seed`. */
function valueAt(expression: string, values: Record<string, number>, seed: number): number {
  const body = derivation(expression, { wrt: [Object.keys(values)[0]] }).program.body;
  const v = evaluate(body, new Map<string, Tensor>(Object.entries(values)), randomFunctions(seed));
  assert.equal(typeof v, 'number');
  return v as number;
}

function scalarArg(x: number): Argument {
  return { data: Float64Array.of(x), m: 1, n: 1, scalar: true };
}

function vectorArg(xs: number[]): Argument {
  return { data: Float64Array.from(xs), m: xs.length, n: 1, scalar: false };
}

describe('abstract functions differentiate by the chain rule', () => {
  const cases: [string, string, string][] = [
    // [expression, variable, result in text]
    ['f(x)', 'x', 'f′(x)'],
    ['f(g(x))', 'x', 'f′(g(x))g′(x)'],
    ["f'(x)", 'x', 'f″(x)'],
    ["f''(x)", 'x', 'f‴(x)'],
    ["f'''(x)", 'x', 'f⁽⁴⁾(x)'],
    ['f(x)g(x)', 'x', 'f′(x)g(x) + f(x)g′(x)'],
    ['f(x^2)', 'x', '2xf′(x²)'],
    ['\\sin(f(x))', 'x', 'cos(f(x))f′(x)'],
    ['h(x, y)', 'y', '∂₂h(x, y)'],
    ['h(x, x^2)', 'x', '∂₁h(x, x²) + 2x·∂₂h(x, x²)'],
    ['f(x) + f(y)', 'y', 'f′(y)'],
    ['f(\\mathbf{x})', 'x', '∇f(x)'],
    ['\\operatorname{target}(\\mathbf{x})', 'x', '∇target(x)'],
    ['u(\\mathbf{w}, b, \\mathbf{x})', 'w', '∇_w u(w, b, x)'],
    ['u(\\mathbf{w}, b, \\mathbf{x})', 'b', '∂₂u(w, b, x)'],
    ['\\mathbf{f}(\\mathbf{x})', 'x', '(∂f/∂x)'],
    ['\\mathbf{f}(\\mathbf{g}(\\mathbf{x}))', 'x', '(∂f/∂g)(∂g/∂x)'],
    ['\\mathbf{f}(A\\mathbf{x})', 'x', 'J_f(Ax)A'],
    ['\\mathbf{f}(t)', 't', 'f′(t)'],
    ['\\mathbf{y}^\\top\\mathbf{f}(\\mathbf{x})', 'x', '(∂f/∂x)ᵀy'],
    ['f(\\mathbf{x}^\\top\\mathbf{y})', 'x', 'f′(xᵀy)y'],
    ['\\operatorname{target}(X)', 'X', '∇target(X)'],
  ];
  for (const [f, wrt, text] of cases) {
    it(`${f} by ${wrt}`, () => {
      assert.equal(differentiate(f, { wrt: [wrt] }).text, text);
      // The finite differences of the random stand-ins against the rule's closed forms.
      for (const seed of [1, 2, 3]) checkNumerically(f, { wrt: [wrt] }, { seed });
    });
  }

  it('second derivatives of a function of two scalars, mixed ones equal', () => {
    const r = differentiate('h(x, y)', { op: 'hessian' });
    assert.equal(r.text, '[[∂₁²h(x, y), ∂₁∂₂h(x, y)], [∂₁∂₂h(x, y), ∂₂²h(x, y)]]');
    checkNumerically('h(x, y)', { op: 'hessian' }, { tolerance: 1e-4 });
  });

  it('the finite-difference check of the API accepts them', () => {
    for (const f of ['f(g(x))', '\\mathbf{f}(\\mathbf{g}(\\mathbf{x}))', 'h(x, y) g(x)'])
      assert.equal(differentiate(f, { check: true }).check?.verdict, 'agrees', f);
  });

  it('is printed as the textbook writes it in LaTeX', () => {
    assert.equal(
      differentiate('f(g(x))', { wrt: ['x'] }).latex,
      "f'\\left(g\\left(x\\right)\\right) g'\\left(x\\right)",
    );
    assert.equal(
      differentiate('\\mathbf{f}(\\mathbf{g}(\\mathbf{x}))').latex,
      '\\frac{\\partial \\mathbf{f}}{\\partial \\mathbf{g}} \\frac{\\partial \\mathbf{g}}{\\partial \\mathbf{x}}',
    );
    assert.equal(
      differentiate('\\mathbf{y}^\\top\\mathbf{f}(\\mathbf{x})', { wrt: ['x'] }).latex,
      '\\left(\\frac{\\partial \\mathbf{f}}{\\partial \\mathbf{x}}\\right)^\\top \\mathbf{y}',
    );
    assert.equal(differentiate('h(x, y)', { wrt: ['x'] }).latex, '\\partial_{1} h\\left(x, y\\right)');
    assert.equal(
      differentiate('\\operatorname{target}(\\mathbf{x})').latex,
      '\\nabla \\operatorname{target}\\left(\\mathbf{x}\\right)',
    );
  });

  it('the step names the chain rule', () => {
    const steps = differentiate('f(g(x))', { steps: true }).steps ?? [];
    assert.ok(steps.some((s) => s.rule === 'chain' && /f′\(u\)·u′/.test(s.explanation)));
  });

  it('a plain name is a scalar function, a bold one a vector function of a size of its own', () => {
    const r = differentiate('\\mathbf{f}(\\mathbf{x})');
    assert.equal(r.input.shape, 'vector(m)');
    assert.equal(r.shape, 'matrix(m×n)');
  });
});

describe('general rules hold numerically with random functions', () => {
  /** Both sides at several points and seeds: equal for a true rule. */
  const agree = (lhs: string, rhs: string, x = 'x') => {
    const draw = rng(11);
    let worst = 0;
    for (const seed of [1, 2, 3, 4])
      for (let k = 0; k < 5; k++) {
        const at = { [x]: 2 * draw() - 1 };
        const a = valueAt(lhs, at, seed);
        const b = valueAt(rhs, at, seed);
        worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(a)));
      }
    return worst;
  };
  /** The derivative of `f` by x, as LaTeX, to set against a rule written by hand. */
  const derivative = (f: string) => differentiate(f, { wrt: ['x'] }).latex;

  it('h′(x) = f′(g(x)) g′(x) for h = f∘g', () => {
    assert.ok(agree(derivative('f(g(x))'), "f'(g(x)) g'(x)") < 1e-12);
  });

  it('the product rule (fg)′ = f′g + fg′', () => {
    assert.ok(agree(derivative('f(x) g(x)'), "f'(x) g(x) + f(x) g'(x)") < 1e-12);
  });

  it('a wrong rule is told apart: (fg)′ ≠ f′g′, (f∘g)′ ≠ f′(x)g′(x)', () => {
    assert.ok(agree(derivative('f(x) g(x)'), "f'(x) g'(x)") > 1e-3);
    assert.ok(agree(derivative('f(g(x))'), "f'(x) g'(x)") > 1e-3);
    assert.ok(agree('f(x)', 'g(x)') > 1e-3);
  });

  it('the same seed gives the same function, another seed another', () => {
    assert.equal(valueAt('f(x)', { x: 0.3 }, 5), valueAt('f(x)', { x: 0.3 }, 5));
    assert.notEqual(valueAt('f(x)', { x: 0.3 }, 5), valueAt('f(x)', { x: 0.3 }, 6));
  });
});

describe('random smooth functions have exact derivatives', () => {
  const fns = randomFunctions(3);
  const h = 1e-5;

  it('of any order, for a function of one scalar', () => {
    for (const x of [-0.7, 0.1, 0.9])
      for (let k = 0; k < 6; k++) {
        const d = (y: number, order: number) =>
          fns.value('f', false, 1, [scalarArg(y)], Array<number>(order).fill(0)).data[0];
        const central = (d(x + h, k) - d(x - h, k)) / (2 * h);
        assert.ok(Math.abs(central - d(x, k + 1)) < 1e-6, `order ${k + 1} at ${x}`);
      }
  });

  it('mixed partial derivatives of a function of several scalars', () => {
    const at = (x: number, y: number, partials: number[]) =>
      fns.value('h', false, 1, [scalarArg(x), scalarArg(y)], partials).data[0];
    const [x, y] = [0.4, -0.2];
    assert.ok(Math.abs((at(x, y + h, [0]) - at(x, y - h, [0])) / (2 * h) - at(x, y, [0, 1])) < 1e-6);
    assert.ok(Math.abs((at(x + h, y, [1]) - at(x - h, y, [1])) / (2 * h) - at(x, y, [0, 1])) < 1e-6);
    assert.ok(Math.abs((at(x + h, y, []) - at(x - h, y, [])) / (2 * h) - at(x, y, [0])) < 1e-6);
  });

  it('the gradient of a function of a vector and the Jacobian of a vector function', () => {
    const u = [0.3, -0.5, 0.8];
    const grad = fns.value('f', false, 1, [vectorArg(u)], [0]);
    const jac = fns.value('F', true, 2, [vectorArg(u)], [0]);
    assert.deepEqual([grad.m, grad.n, jac.m, jac.n], [3, 1, 2, 3]);
    for (let j = 0; j < 3; j++) {
      const at = (s: number, vector: boolean) => {
        const v = u.slice();
        v[j] += s;
        return fns.value(vector ? 'F' : 'f', vector, 2, [vectorArg(v)], []).data;
      };
      assert.ok(Math.abs((at(h, false)[0] - at(-h, false)[0]) / (2 * h) - grad.data[j]) < 1e-6);
      for (let i = 0; i < 2; i++)
        assert.ok(Math.abs((at(h, true)[i] - at(-h, true)[i]) / (2 * h) - jac.data[i * 3 + j]) < 1e-6);
    }
  });
});

describe('what abstract functions cannot do is said plainly', () => {
  const refuses = (f: () => unknown, message: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof LensError && message.test(e.message));

  it('code export', () => {
    refuses(() => differentiate('f(x)', { emit: 'ts' }), /cannot export: f is an abstract function/);
    assert.match(differentiate('f(g(x))').code ?? '', /cannot export: f is an abstract function/);
  });

  it('a value without random functions', () => {
    refuses(() => differentiate('f(x)', { at: { x: 1 } }), /f is an abstract function .* has no value/);
  });

  it('a name used as a function and a variable, or with different numbers of arguments', () => {
    refuses(
      () => differentiate('f + f(x)'),
      /f is used both as a function, f\(…\), and as a variable at column 5/,
    );
    refuses(() => differentiate('f(x) + f'), /f is used both as a function/);
    refuses(() => differentiate('h(x, y) + h(x)'), /h is applied to 2 arguments elsewhere, here to 1/);
  });

  it('a prime on a function of several arguments or of a vector', () => {
    refuses(() => differentiate("f'(x, y)"), /f' is the derivative of a function of one scalar/);
    refuses(() => differentiate("f'(\\mathbf{x})"), /f' is the derivative of a function of one scalar/);
  });

  it('second derivatives with respect to a vector', () => {
    refuses(
      () => differentiate('f(\\mathbf{x})', { op: 'hessian' }),
      /beyond the first with respect to a vector/,
    );
  });
});
