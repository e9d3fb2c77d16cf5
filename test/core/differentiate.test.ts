import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { checkNumerically } from './numeric';

const latexOf = (e: string, o = {}) => differentiate(e, o).latex;
const textOf = (e: string, o = {}) => differentiate(e, o).text;

describe('worked examples of the study notes (scalar variables)', () => {
  it('f(x, y) = 3x²y has gradient [6xy, 3x²]', () => {
    const r = differentiate('f(x,y) = 3x^2y');
    assert.equal(r.text, '[6xy, 3x²]');
    assert.equal(r.latex, '\\begin{bmatrix} 6 x y \\\\ 3 x^{2} \\end{bmatrix}');
    assert.deepEqual(
      r.wrt.map((w) => w.name),
      ['x', 'y'],
    );
    assert.deepEqual(differentiate('f(x,y) = 3x^2y', { at: { x: 2, y: 5 } }).value, [60, 12]);
  });

  it('the Jacobian of [3x²y, 2x + y⁸] stacks the two gradients (numerator layout)', () => {
    const r = differentiate('\\begin{bmatrix} 3x^2y \\\\ 2x+y^8 \\end{bmatrix}');
    assert.equal(r.op, 'jacobian');
    assert.equal(r.text, '[[6xy, 3x²], [2, 8y⁷]]');
    const d = differentiate('\\begin{bmatrix} 3x^2y \\\\ 2x+y^8 \\end{bmatrix}', {
      layout: 'denominator',
      at: { x: 1, y: 1 },
    });
    assert.deepEqual(d.value, [
      [6, 2],
      [3, 8],
    ]);
  });

  it('[ln(x²), sin(3x)] → [2/x, 3cos(3x)]', () => {
    assert.equal(textOf('\\begin{bmatrix} \\ln(x^2) \\\\ \\sin(3x) \\end{bmatrix}'), '[2/x, 3·cos(3x)]');
    assert.equal(
      latexOf('\\begin{bmatrix} \\ln(x^2) \\\\ \\sin(3x) \\end{bmatrix}'),
      '\\begin{bmatrix} \\frac{2}{x} \\\\ 3 \\cos\\left(3 x\\right) \\end{bmatrix}',
    );
  });

  it('f(𝐱) = 3x₁² + 5e^{x₂} → [6x₁, 5e^{x₂}]', () => {
    const r = differentiate('f(\\mathbf{x}) = 3x_1^2 + 5e^{x_2}');
    assert.equal(r.latex, '\\begin{bmatrix} 6 x_{1} \\\\ 5 e^{x_{2}} \\end{bmatrix}');
    assert.deepEqual(
      r.wrt.map((w) => w.name),
      ['x_1', 'x_2'],
    );
  });

  it("the sigmoid's derivative is σ(x)(1 − σ(x)), also from 1/(1 + e^{−x})", () => {
    assert.equal(latexOf('\\sigma(x)'), '\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)');
    assert.equal(textOf('\\frac{1}{1 + e^{-x}}'), 'σ(x)(1 − σ(x))');
  });

  it('y = x + x² (total derivative through two paths) → 1 + 2x', () => {
    assert.equal(textOf('y = x + x^2'), '1 + 2x');
  });

  it('the composite (4, 3)·[[2, 4, 7], [3, 5, 4]] gives (17, 31, 40)', () => {
    const z = '\\begin{bmatrix} 2x_1 + 4x_2 + 7x_3 \\\\ 3x_1 + 5x_2 + 4x_3 \\end{bmatrix}';
    const r = differentiate(`4(2x_1 + 4x_2 + 7x_3) + 3(3x_1 + 5x_2 + 4x_3)`, {
      at: { x_1: 0, x_2: 0, x_3: 0 },
    });
    assert.deepEqual(r.value, [17, 31, 40]);
    assert.equal(r.text, '[17, 31, 40]');
    assert.deepEqual(differentiate(z, { at: { x_1: 1, x_2: 1, x_3: 1 } }).value, [
      [2, 4, 7],
      [3, 5, 4],
    ]);
  });

  it('y = w₁x₁ + w₂x₂ + b: dy/dw = (x₁, x₂), dy/db = 1', () => {
    assert.equal(textOf('w_1 x_1 + w_2 x_2 + b', { wrt: ['w_1', 'w_2'] }), '[x₁, x₂]');
    assert.equal(textOf('w_1 x_1 + w_2 x_2 + b', { wrt: ['b'] }), '1');
  });

  it('results are written as a person would: √ in the denominator, no 1· or ^1', () => {
    assert.equal(latexOf('\\sqrt{x^2+y^2}', { wrt: ['x'] }), '\\frac{x}{\\sqrt{x^{2} + y^{2}}}');
    assert.equal(textOf('x^3', {}), '3x²');
    assert.equal(textOf('\\frac{x}{y}', { wrt: ['y'] }), '−x/y²');
  });
});

describe('matrix calculus results of the issue', () => {
  it('∂(𝐱 𝐲ᵀ𝐳)/∂𝐱 = (𝐲ᵀ𝐳)I: the number after the vector moves to the front', () => {
    for (const f of ['\\mathbf{x}\\mathbf{y}^\\top\\mathbf{z}', 'W\\mathbf{x}\\mathbf{y}^\\top\\mathbf{z}']) {
      for (const wrt of ['x', 'y', 'z']) checkNumerically(f, { op: 'jacobian', wrt: [wrt] });
    }
    assert.equal(differentiate('\\mathbf{x}\\mathbf{y}^\\top\\mathbf{z}', { wrt: ['x'] }).text, '(yᵀz)I');
  });
  it('∇ 𝐱ᵀA𝐱 = (A + Aᵀ)𝐱 and its Hessian A + Aᵀ', () => {
    assert.equal(latexOf('\\mathbf{x}^\\top A\\mathbf{x}'), '\\left(A + A^\\top\\right) \\mathbf{x}');
    assert.equal(latexOf('\\mathbf{x}^\\top A\\mathbf{x}', { op: 'hessian' }), 'A + A^\\top');
  });
  it('∂(A𝐱)/∂𝐱 = A; denominator layout Aᵀ', () => {
    assert.equal(latexOf('A\\mathbf{x}'), 'A');
    assert.equal(latexOf('A\\mathbf{x}', { layout: 'denominator' }), 'A^\\top');
  });
  it('∇‖𝐱‖₂ = 𝐱/‖𝐱‖₂ (x ≠ 0), ∇‖𝐱‖² = 2𝐱', () => {
    const r = differentiate('\\|\\mathbf{x}\\|_2');
    assert.equal(r.text, 'x/‖x‖₂');
    assert.deepEqual(r.conditions, [{ latex: '\\mathbf{x} \\neq \\mathbf{0}', text: 'x ≠ 0' }]);
    assert.equal(latexOf('\\|\\mathbf{x}\\|^2'), '2 \\mathbf{x}');
    assert.equal(differentiate('\\|\\mathbf{x}\\|^2').conditions.length, 0);
  });
  it("softmax's Jacobian is diag(𝐬) − 𝐬𝐬ᵀ with 𝐬 named", () => {
    const r = differentiate('\\operatorname{softmax}(\\mathbf{x})');
    assert.equal(r.latex, '\\operatorname{diag}\\left(\\mathbf{s}\\right) - \\mathbf{s} \\mathbf{s}^\\top');
    assert.equal(
      r.definitions[0].definitionLatex,
      '\\mathbf{s} = \\operatorname{softmax}\\left(\\mathbf{x}\\right)',
    );
  });
  it("an element-wise sigmoid's Jacobian is diag(σ(𝐱) ⊙ (1 − σ(𝐱)))", () => {
    assert.equal(textOf('\\sigma(\\mathbf{x})'), 'diag(σ(x) ⊙ (1 − σ(x)))');
  });
  it('∇_W ½‖W𝐱 + 𝐛 − 𝐲‖² = (W𝐱 + 𝐛 − 𝐲)𝐱ᵀ', () => {
    assert.equal(
      textOf('\\tfrac12\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', { wrt: ['W'] }),
      '(Wx + b − y)xᵀ',
    );
  });
  it('∇_X tr(AX) = Aᵀ and ∇_X log det X = X^{−⊤}', () => {
    assert.equal(latexOf('\\operatorname{tr}(AX)', { wrt: ['X'] }), 'A^\\top');
    assert.equal(latexOf('\\log\\det X'), 'X^{-\\top}');
  });
  it('the ReLU neuron: ∂/∂𝐰 max(0, 𝐰·𝐱 + b) is 𝟎ᵀ / 𝐱ᵀ by cases', () => {
    const r = differentiate('\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', { wrt: ['w'], op: 'derivative' });
    assert.equal(
      r.latex,
      '\\begin{cases} \\mathbf{0}^\\top & \\text{if } \\mathbf{w}^\\top \\mathbf{x} + b \\le 0 \\\\ \\mathbf{x}^\\top & \\text{if } \\mathbf{w}^\\top \\mathbf{x} + b > 0 \\end{cases}',
    );
    assert.equal(
      textOf('\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', { wrt: ['b'] }),
      '{ 0 if wᵀx + b ≤ 0; 1 if wᵀx + b > 0 }',
    );
  });
  it('max and min read as a person writes them: x ≥ 0 by cases, 1[𝐱 > 0] entry by entry', () => {
    assert.equal(textOf('\\max(x, 0)', { wrt: ['x'] }), '{ 1 if x ≥ 0; 0 if x < 0 }');
    assert.equal(textOf('\\min(x, 1)', { wrt: ['x'] }), '{ 1 if x ≤ 1; 0 if x > 1 }');
    // Each branch reads the max as the side that wins there, with the condition written either way round.
    assert.equal(textOf('\\max(x, 0)^2', { wrt: ['x'] }), '{ 2x if x ≥ 0; 0 if x < 0 }');
    for (const relu of ['\\max(\\mathbf{x}, 0)', '\\max(0, \\mathbf{x})']) {
      const r = differentiate(relu, { wrt: ['x'] });
      assert.equal(r.text, 'diag(1[x > 0])');
      assert.deepEqual(
        r.conditions.map((c) => c.text),
        ['xᵢ ≠ 0 for each i'],
      );
    }
    assert.equal(
      textOf('\\min(\\mathbf{w}, \\mathbf{x})'),
      '∂f/∂w = diag(1[x − w > 0]), ∂f/∂x = diag(1[w − x > 0])',
    );
    // Entry by entry, against finite differences (random points are off the kinks).
    for (const e of [
      '\\max(\\mathbf{w}, \\mathbf{x})',
      '\\min(\\mathbf{w}, 2\\mathbf{x})',
      '\\max(\\mathbf{x}, 0)',
    ])
      checkNumerically(e);
  });
  it('a gradient with respect to a vector is a column in both layouts', () => {
    for (const layout of ['numerator', 'denominator'] as const) {
      assert.equal(differentiate('\\mathbf{a}^\\top\\mathbf{x}', { wrt: ['x'], layout }).shape, 'vector(n)');
    }
    assert.equal(
      differentiate('\\mathbf{a}^\\top\\mathbf{x}', { wrt: ['x'], op: 'derivative' }).shape,
      'row vector(n)',
    );
  });
  it('a declared size name is fixed by the values given for it', () => {
    const r = differentiate('\\mathbf{x}^\\top A\\mathbf{x}', {
      declarations: ['\\mathbf{x}\\in\\mathbb{R}^n'],
      at: {
        x: [1, 2],
        A: [
          [1, 2],
          [3, 4],
        ],
      },
    });
    assert.deepEqual(r.value, [12, 21]);
    assert.equal(r.wrt[0].shape, 'vector(2)');
  });
  it('conventions make plain names vectors or matrices, with sizes still inferred', () => {
    const r = differentiate('M u', { conventions: { vectors: ['u'], matrices: ['M'] } });
    assert.equal(r.text, 'M');
    assert.deepEqual(
      r.wrt.map((w) => w.shape),
      ['vector(m)'],
    );
    // An assumption about a name is a record with its parts, not a line to parse back.
    assert.deepEqual(
      r.assumptions.find((a) => a.name === 'u'),
      {
        latex: '\\mathbf{u} \\in \\mathbb{R}^{m}\\ (\\text{a vector by your conventions})',
        text: 'u: vector(m) (a vector by your conventions)',
        name: 'u',
        shape: 'vector(m)',
        reason: 'a vector by your conventions',
      },
    );
    assert.deepEqual(
      r.assumptions.filter((a) => a.name === undefined).map((a) => [a.text, a.latex]),
      [
        ['jacobian with respect to u', '\\text{jacobian with respect to }\\mathbf{u}'],
        ['layout: numerator', '\\text{layout: numerator}'],
      ],
    );
  });
  it('a summation bound is a size, not a variable', () => {
    assert.deepEqual(
      differentiate('\\sum_{i=1}^{n} e^{x_i}').variables.map((v) => v.name),
      ['x'],
    );
  });
  it('declarations fix sizes; values fix sizes too', () => {
    const r = differentiate('A\\mathbf{x}', {
      declarations: ['A \\in \\mathbb{R}^{m \\times n}', '\\mathbf{x} \\in \\mathbb{R}^{n}'],
    });
    assert.equal(r.shape, 'matrix(m×n)');
    const v = differentiate('\\mathbf{x}^\\top\\mathbf{x}', { at: { x: [1, 2, 3] } });
    assert.equal(v.shape, 'vector(3)');
    assert.deepEqual(v.value, [2, 4, 6]);
  });
});

describe('more worked examples of the notes', () => {
  it("softmax written as exp(x)/(1ᵀexp(x)) is recognised, with the notes' Jacobian", () => {
    assert.equal(textOf('\\frac{\\exp(x)}{1_K^T \\exp(x)}'), 'diag(s) − ssᵀ');
  });
  it('the squared error of a ReLU neuron: 2(𝐰·𝐱 + b − y)𝐱 where it is active', () => {
    assert.equal(
      textOf('C(\\mathbf{w}, b) = (y - \\max(0, \\mathbf{w} \\cdot \\mathbf{x}+b))^2'),
      '∇_w = { 0 if wᵀx + b ≤ 0; 2(wᵀx + b − y)x if wᵀx + b > 0 }, ∇_b = { 0 if wᵀx + b ≤ 0; 2(wᵀx + b − y) if wᵀx + b > 0 }',
    );
    checkNumerically('(y - \\max(0, \\mathbf{w} \\cdot \\mathbf{x}+b))^2', { wrt: ['w', 'b'] }, { seed: 5 });
  });
  it('the batch loss of the notes: samples 𝐱ᵢ are the columns of X, 𝐰·𝐱ᵢ is Xᵀ𝐰', () => {
    const loss =
      'C(\\mathbf{w}, b) = \\frac{1}{N} \\sum_{i=1}^{N}\\left(y_{i}-\\max \\left(0, \\mathbf{w} \\cdot \\mathbf{x}_{i}+b\\right)\\right)^{2}';
    const r = differentiate(loss);
    assert.match(r.text, /^∇_w = −2X\(\(y − max\(0, Xᵀw \+ b\)\) ⊙ 1\[Xᵀw \+ b > 0\]\)\/N, ∇_b = /);
    assert.ok(
      r.assumptions.some(
        (a) =>
          a.name === 'X' &&
          a.shape?.startsWith('matrix(') &&
          a.reason?.includes('samples x_i as its columns'),
      ),
    );
    // Prose inside \text{} has its underscore escaped, so the LaTeX form typesets.
    assert.ok(r.assumptions.some((a) => a.latex.endsWith('(\\text{the samples x\\_i as its columns})')));
    checkNumerically(loss, { dims: { n: 3, N: 4 } }, { seed: 9 });
  });
  it('a mean over components: 1/N Σ (yᵢ − xᵢ)² → −2(𝐲 − 𝐱)/N', () => {
    assert.equal(textOf('f(x) = \\frac{1}{N} \\sum_{i=1}^{N}(y_i - x_i)^2'), '−2(y − x)/N');
  });
});

describe('component form with concrete sizes', () => {
  it('∂(A𝐱)/∂𝐱 written out for n = m = 2', () => {
    const r = differentiate('A\\mathbf{x}', { dims: { n: 2, m: 2 } });
    assert.equal(r.expanded?.text, '[[A₁₁, A₁₂], [A₂₁, A₂₂]]');
  });
  it("softmax's Jacobian entries are sᵢ(1 − sᵢ) on the diagonal and −sᵢsⱼ off it", () => {
    const r = differentiate('\\operatorname{softmax}(\\mathbf{x})', { at: { x: [0.1, 0.2] } });
    assert.equal(r.expanded?.text, '[[s₁ − s₁², −s₁s₂], [−s₁s₂, s₂ − s₂²]]');
  });
  it('symbolic sizes are not expanded', () => {
    assert.equal(differentiate('A\\mathbf{x}').expanded, undefined);
  });
  it('lists every free variable for choosing among them', () => {
    assert.deepEqual(
      differentiate('\\mathbf{x}^\\top A \\mathbf{x} + c').variables.map((v) => v.name),
      ['x', 'A', 'c'],
    );
  });
});

describe('bad input', () => {
  const message = (e: string, o = {}) => {
    try {
      differentiate(e, o);
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  it('shape mismatches name the operator and both shapes', () => {
    assert.match(
      message('\\mathbf{x} + \\mathbf{y}', {
        declarations: ['\\mathbf{x} \\in \\mathbb{R}^{n}', '\\mathbf{y} \\in \\mathbb{R}^{m}'],
      }),
      /^\+ needs matching shapes, got vector\(n\) and vector\(m\) at column \d+$/,
    );
    assert.match(message('\\mathbf{x}\\mathbf{y}'), /cannot multiply vector\(n\) by vector\(m\); write/);
  });
  it('unknown variables in --wrt are reported with the known ones', () => {
    assert.equal(message('x^2', { wrt: ['z'] }), 'z is not a variable of this expression (its variables: x)');
  });
  it('empty, oversized and deeply nested input get messages quickly', () => {
    assert.match(message(''), /empty/);
    assert.match(message('x+'.repeat(6000)), /too long/);
    const start = Date.now();
    assert.match(message('('.repeat(20000) + 'x' + ')'.repeat(20000)), /too long|nested too deeply/);
    assert.match(message('('.repeat(4000) + 'x' + ')'.repeat(4000)), /nested too deeply/);
    assert.ok(Date.now() - start < 1000);
  });
  it('a Hessian with respect to a matrix is refused with what the object is', () => {
    assert.match(message('\\log\\det X', { op: 'hessian' }), /4th-order tensor/);
  });
});

describe('every rule agrees with central finite differences', () => {
  const scalar: [string, object?, object?][] = [
    ['3x^2y'],
    ['\\frac{x}{y}'],
    ['\\sin(x)\\cos(y)'],
    ['\\tan(x) + \\cot(y)'],
    ['\\sec(x)\\csc(y)'],
    ['\\arcsin(x/2) + \\arccos(y/2)'],
    ['\\arctan(xy)'],
    ['\\sinh(x) + \\cosh(y) + \\tanh(xy)'],
    ['\\operatorname{arsinh}(x) + \\operatorname{artanh}(y/2)'],
    ['\\ln(x^2 + y^2)'],
    ['\\log_2(x^2+1)'],
    ['e^{x y}'],
    ['2^{x}'],
    ['x^{y}', {}, { positive: true }],
    ['\\sqrt[3]{x^2 + 1}'],
    ['\\sigma(3x - y)'],
    ['|x| y'],
    ['\\max(x, y) + \\min(x^2, y)'],
    ['\\frac{e^{x}}{e^{x}+e^{y}+e^{z}}'],
    ['\\ln(e^{x}+e^{y})'],
    ['\\sqrt{x^2+y^2+z^2}'],
    ['\\frac{1}{1+e^{-(2x+y)}}'],
    ['\\sin^2(x) + \\cos^2(y)'],
    ['(x+y)^{5}'],
    ['x e^{-x^2} \\cos(y)'],
  ];
  for (const [e, o, c] of scalar) {
    it(e, () => void checkNumerically(e, o as object, c as object));
    it(`${e} (Hessian)`, () =>
      void checkNumerically(e, { ...(o as object), op: 'hessian' }, { tolerance: 1e-3, ...(c as object) }));
  }
});

describe('the result record', () => {
  it('prints its fields on first read, and a copy (JSON, a worker message) still has every one', () => {
    const r = differentiate('\\mathbf{x}^\\top A\\mathbf{x}', { wrt: ['x'] });
    const expected = {
      text: '(A + Aᵀ)x',
      input: { latex: r.input.latex, text: 'xᵀAx', shape: 'scalar' },
      variables: ['x', 'A'],
    };
    for (const copy of [structuredClone(r), JSON.parse(JSON.stringify(r)) as typeof r]) {
      assert.equal(copy.text, expected.text);
      assert.deepEqual(copy.input, expected.input);
      assert.deepEqual(
        copy.variables.map((v) => v.name),
        expected.variables,
      );
      assert.deepEqual(copy.assumptions, r.assumptions);
      assert.equal(copy.latex, r.latex);
    }
    // Read twice, one value: a field is printed once.
    assert.equal(r.assumptions, r.assumptions);
  });
});

it('two results of one input are deeply equal (nothing but the printed fields is enumerable)', () => {
  const options = { wrt: ['x'] };
  assert.deepStrictEqual(differentiate('x^2 \\sin x', options), differentiate('x^2 \\sin x', options));
  assert.deepStrictEqual({ ...differentiate('e^{x}', options) }, differentiate('e^{x}', options));
});
