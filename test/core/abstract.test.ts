/**
 * Abstract functions: a name with no definition applied like a function (`f(x)`, `h(x, y)`,
 * `\mathbf{f}(\mathbf{x})`, `\operatorname{target}(\mathbf{x})`). The chain rule keeps their
 * derivatives symbolic; for numbers they become random smooth functions with exact derivatives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
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

  it('in TypeScript too: a call of a function the input does not define is abstract', () => {
    const ts: [string, string, string][] = [
      ['(x) => f(x) * x', 'x', 'f(x) + xf′(x)'],
      ['(x) => f(g(x))', 'x', 'f′(g(x))g′(x)'],
      ['(x, y) => Math.sin(h(x, y))', 'y', 'cos(h(x, y))·∂₂h(x, y)'],
    ];
    for (const [f, wrt, text] of ts) {
      assert.equal(differentiate(f, { lang: 'ts', wrt: [wrt] }).text, text);
      for (const seed of [1, 2]) checkNumerically(f, { lang: 'ts', wrt: [wrt] }, { seed });
    }
  });

  it('second derivatives of a function of two scalars, mixed ones equal', () => {
    const r = differentiate('h(x, y)', { op: 'hessian' });
    assert.equal(r.text, '[[∂₁²h(x, y), ∂₁∂₂h(x, y)], [∂₁∂₂h(x, y), ∂₂²h(x, y)]]');
    checkNumerically('h(x, y)', { op: 'hessian' }, { tolerance: 1e-4 });
  });

  it('Hessians of a function of vectors: ∇²f, and the blocks of u(𝐰, b, 𝐱)', () => {
    assert.equal(differentiate('f(\\mathbf{x})', { op: 'hessian' }).text, '∇²f(x)');
    assert.equal(differentiate('f(A\\mathbf{x})', { op: 'hessian', wrt: ['x'] }).text, 'Aᵀ·∇²f(Ax)A');
    assert.ok(
      differentiate('u(\\mathbf{w}, \\mathbf{x})', { op: 'hessian', wrt: ['x', 'w'] }).latex.includes(
        '\\nabla^2_{\\mathbf{x},\\mathbf{w}} = \\left(\\nabla_{\\mathbf{w}} \\nabla_{\\mathbf{x}} u\\left(\\mathbf{w}, \\mathbf{x}\\right)\\right)^\\top',
      ),
    );
    for (const [f, wrt] of [
      ['f(\\mathbf{x})', ['x']],
      ['f(A\\mathbf{x} + \\mathbf{b})', ['x']],
      ['u(\\mathbf{w}, b, \\mathbf{x})', ['w', 'x']],
      ['u(\\mathbf{w}, b, \\mathbf{x})', ['x', 'b', 'w']],
      ['\\mathbf{y}^\\top\\mathbf{x}\\, f(\\mathbf{x})', ['x']],
    ] as const)
      for (const seed of [1, 2])
        checkNumerically(f, { op: 'hessian', wrt: [...wrt] }, { seed, tolerance: 1e-4 });
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

  it('for any seed, arity and point, each partial derivative is the slope of the one before', () => {
    const h = 1e-6;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(2), { maxLength: 3 }),
        fc.nat(2),
        (seed, point, taken, by) => {
          const fs = randomFunctions(seed);
          const partials = taken.filter((i) => i < point.length);
          const i = by % point.length;
          const at = (xs: number[], ps: number[]) => fs.value('f', false, 1, xs.map(scalarArg), ps).data[0];
          const shifted = (d: number) => point.map((x, j) => (j === i ? x + d : x));
          const slope = (at(shifted(h), partials) - at(shifted(-h), partials)) / (2 * h);
          const exact = at(point, [...partials, i]);
          return Math.abs(slope - exact) <= 1e-5 * Math.max(1, Math.abs(exact));
        },
      ),
      { numRuns: 200 },
    );
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
    refuses(() => differentiate('f(g(x))', { emit: 'numpy' }), /cannot export: f is an abstract function/);
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
    refuses(
      () => differentiate('\\mathbf{f}(x) + f(x)'),
      /f is written both bold \(a vector function\) and not \(a scalar function\) at column 17/,
    );
  });

  it('a prime on a function of several arguments or of a vector', () => {
    refuses(() => differentiate("f'(x, y)"), /f' is the derivative of a function of one scalar/);
    refuses(() => differentiate("f'(\\mathbf{x})"), /f' is the derivative of a function of one scalar/);
  });

  it('derivatives beyond the Hessian with respect to a vector, or a vector function twice', () => {
    refuses(
      () => differentiate('\\nabla^2 f(\\mathbf{x})', { op: 'jacobian', wrt: ['x'] }),
      /derivatives of the abstract function f beyond the Hessian/,
    );
    refuses(
      () => differentiate('\\mathbf{y}^\\top\\mathbf{f}(\\mathbf{x})', { op: 'hessian', wrt: ['x'] }),
      /beyond the first .* of a vector function/,
    );
  });
});

describe('a defined function applied to arguments is its body with the parameters replaced', () => {
  const definitions = [
    'f(x, y) = 3x^2y',
    'g(t) = t^3',
    'h(u) = f(u, u)',
    'k(\\mathbf{v}) = \\mathbf{v}^\\top\\mathbf{v}',
    '\\phi = s^2',
  ];
  const cases: [string, string, string][] = [
    // [expression, its value in text, its derivative in text]
    ['f(a, b)', '3a²b', '[6ab, 3a²]'],
    ['g(s^2)', 's⁶', '6s⁵'],
    ["g'(s)", '3s²', '6s'],
    ["g''(2s)", '12s', '12'],
    ['h(z)', '3z³', '9z²'],
    ['k(A\\mathbf{u})', 'uᵀAᵀAu', '2AᵀAu'],
    // φ defined without parameters, written with its variable (a name that is no function letter, r(s), is r·s)
    ['\\phi(s)', 's²', '2s'],
  ];
  for (const [f, value, derivative] of cases) {
    it(f, () => {
      // A prime makes the input a stated derivative (evaluated); its own derivative is asked for.
      const options = { definitions, op: 'gradient' as const, wrt: f.startsWith('k') ? ['u'] : undefined };
      const r = differentiate(f, options);
      assert.equal(r.input.text, value);
      assert.equal(r.text, derivative);
      checkNumerically(f, options);
    });
  }

  it("g'(s) is the derivative at s, and the parameters are no variables", () => {
    const r = differentiate("g'(s) + f(a, b)", { definitions });
    assert.deepEqual(
      r.variables.map((v) => v.name),
      ['s', 'a', 'b'],
    );
  });

  it('an undefined function keeps the chain rule through derivative notation', () => {
    const r = differentiate('\\frac{d}{dx} f(g(x))');
    assert.equal(r.op, 'evaluate');
    assert.equal(r.latex, "f'\\left(g\\left(x\\right)\\right) g'\\left(x\\right)");
  });

  it('the wrong number of arguments, or of the wrong kind, is said plainly', () => {
    const refuses = (f: string, message: RegExp) =>
      assert.throws(
        () => differentiate(f, { definitions }),
        (e: unknown) => e instanceof LensError && message.test(e.message),
      );
    refuses('f(a)', /f is defined with 2 parameters, here applied to 1 at column 1/);
    refuses('g(\\mathbf{w})', /g's parameter t is a scalar, the argument a vector\(n\) at column 3/);
  });
});

describe('a prime on a known function is its derivative, not an abstract function', () => {
  it("\\sigma'(x) = σ(x)(1 − σ(x)), at any argument and of any order", () => {
    assert.equal(differentiate("\\sigma'(x)").text, 'σ(x)(1 − σ(x))');
    assert.equal(differentiate("\\sigma'(x^2)").text, 'σ(x²)(1 − σ(x²))');
    // σ″ against the derivative of σ′ computed by the core itself.
    const twice = differentiate("\\sigma'(x)", { op: 'gradient', wrt: ['x'] }).latex;
    const draw = rng(5);
    for (let k = 0; k < 5; k++) {
      const x = 4 * draw() - 2;
      assert.ok(Math.abs(valueAt("\\sigma''(x)", { x }, 1) - valueAt(twice, { x }, 1)) < 1e-12);
    }
    checkNumerically("\\sigma'(x)", { op: 'gradient', wrt: ['x'] });
  });

  it("\\sigma'(\\mathbf{z}) of a vector variable is its Jacobian", () => {
    assert.equal(differentiate("\\sigma'(\\mathbf{z})").text, 'diag(σ(z) ⊙ (1 − σ(z)))');
  });
});
