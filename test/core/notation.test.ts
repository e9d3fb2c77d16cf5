/**
 * Derivative notation as input (`\frac{\partial}{\partial x} E`, `\nabla_{\mathbf{x}} E`, `J_f`, `y'`, …),
 * definitions from the document, and several sides elaborated together (evaluateAll).
 * Each notation that yields a value is compared with `differentiate` on the bare expression at a random
 * point, and that derivative with central finite differences (numeric.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate, LensError, type DifferentiateOptions } from '../../src/core';
import { derivation, evaluateAll } from '../../src/core/derivation';
import { checkOf } from '../../src/core/differentiate';
import { emit } from '../../src/core/emit';
import { steps } from '../../src/core/steps';
import { evaluate } from '../../src/core/eval';
import { shapeText } from '../../src/core/expr';
import { toText } from '../../src/core/print';
import { checkNumerically, flat, randomPoint } from './numeric';

const DIMS = { n: 3, m: 4, k: 2, p: 5, q: 2, r: 3 };

interface Bare {
  readonly bare: string;
  readonly wrt: readonly string[];
  readonly op: 'gradient' | 'jacobian' | 'hessian';
}

/**
 * `notation` evaluates to the derivative `bare` differentiated as asked: the same shape and the same
 * values at a random point; and that derivative agrees with finite differences.
 */
function agrees(
  notation: string,
  { bare, wrt, op }: Bare,
  options: DifferentiateOptions = {},
  seed = 3,
): void {
  const ev = derivation(notation, { ...options, dims: DIMS });
  assert.equal(ev.op, 'evaluate', `${notation} is not evaluated`);
  const plain = { layout: options.layout, declarations: options.declarations, wrt, op };
  const d = derivation(bare, { ...plain, dims: DIMS });
  if (op !== 'hessian' || wrt.length === 1) checkNumerically(bare, plain, { seed });
  assert.equal(d.parts.length, 1);
  assert.equal(shapeText(ev.program.body.shape), shapeText(d.parts[0].expr.shape), notation);
  const env = randomPoint([...d.program.declared, ...ev.program.declared], seed);
  const got = flat(evaluate(ev.program.body, env));
  const want = flat(evaluate(d.parts[0].expr, env));
  assert.equal(got.length, want.length);
  got.forEach((g, i) =>
    assert.ok(
      Math.abs(g - want[i]) <= 1e-9 * Math.max(1, Math.abs(want[i])),
      `${notation}: ${got} vs ${want}`,
    ),
  );
}

/** `a` and `b` (derivative notation evaluated) have the same value at a random point. */
function sameValue(a: string, b: string, options: DifferentiateOptions = {}, seed = 5): void {
  const [da, db] = [a, b].map((e) => derivation(e, { ...options, op: 'evaluate', dims: DIMS }));
  const env = randomPoint([...da.program.declared, ...db.program.declared], seed);
  const [va, vb] = [da, db].map((d) => flat(evaluate(d.program.body, env)));
  assert.equal(va.length, vb.length);
  va.forEach((x, i) =>
    assert.ok(Math.abs(x - vb[i]) <= 1e-9 * Math.max(1, Math.abs(vb[i])), `${a}: ${va} vs ${vb}`),
  );
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof LensError, `not a LensError: ${String(e)}`);
    return e.message;
  }
  assert.fail('no error');
}

const text = (input: string, options: DifferentiateOptions = {}) => differentiate(input, options).text;

describe('derivative notation evaluates to the derivative', () => {
  const sinSquare: Bare = { bare: '\\sin(x^2)', wrt: ['x'], op: 'jacobian' };
  const cases: [string, Bare][] = [
    ['\\frac{\\partial}{\\partial x} \\sin(x^2)', sinSquare],
    ['\\frac{\\partial \\sin(x^2)}{\\partial x}', sinSquare],
    ['\\frac{d}{dx}\\sin(x^2)', sinSquare],
    ['\\frac{d \\sin(x^2)}{d x}', sinSquare],
    ['\\frac{\\mathrm{d}}{\\mathrm{d}x} \\sin(x^2)', sinSquare],
    ['\\dfrac{\\partial}{\\partial x} \\sin(x^2)', sinSquare],
    ['\\tfrac{d}{dx} \\sin(x^2)', sinSquare],
    ['\\partial \\sin(x^2) / \\partial x', sinSquare],
    ['\\partial_x \\sin(x^2)', sinSquare],
    [
      '\\frac{\\partial^2}{\\partial x \\partial y} x^2 y^3',
      { bare: '3 x^2 y^2', wrt: ['x'], op: 'jacobian' },
    ],
    ['\\frac{\\partial^2 (x^3 y)}{\\partial x^2}', { bare: '3x^2 y', wrt: ['x'], op: 'jacobian' }],
    ['\\frac{d^2}{dx^2} e^{2x}', { bare: 'e^{2x}', wrt: ['x'], op: 'hessian' }],
    [
      '\\frac{\\partial \\mathbf{x}^\\top A \\mathbf{x}}{\\partial \\mathbf{x}}',
      { bare: '\\mathbf{x}^\\top A \\mathbf{x}', wrt: ['x'], op: 'jacobian' },
    ],
    [
      '\\frac{\\partial A\\mathbf{x}}{\\partial \\mathbf{x}}',
      { bare: 'A\\mathbf{x}', wrt: ['x'], op: 'jacobian' },
    ],
    [
      '\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2',
      { bare: '\\|\\mathbf{x}\\|^2', wrt: ['x'], op: 'gradient' },
    ],
    ['\\nabla \\mathbf{x}^T\\mathbf{x}', { bare: '\\mathbf{x}^T\\mathbf{x}', wrt: ['x'], op: 'gradient' }],
    ['\\triangledown (x^2 y)', { bare: 'x^2 y', wrt: ['x', 'y'], op: 'gradient' }],
    [
      '\\nabla_{\\mathbf{x}}^2 \\mathbf{x}^\\top A \\mathbf{x}',
      { bare: '\\mathbf{x}^\\top A \\mathbf{x}', wrt: ['x'], op: 'hessian' },
    ],
    [
      '\\nabla^2 \\log(\\mathbf{1}^\\top e^{\\mathbf{x}})',
      { bare: '\\log(\\mathbf{1}^\\top e^{\\mathbf{x}})', wrt: ['x'], op: 'hessian' },
    ],
    ['\\nabla_x^2 x^3 y', { bare: 'x^3 y', wrt: ['x'], op: 'hessian' }],
    ['D_{\\mathbf{x}} \\sigma(W\\mathbf{x})', { bare: '\\sigma(W\\mathbf{x})', wrt: ['x'], op: 'jacobian' }],
    ['D_x \\cos x', { bare: '\\cos x', wrt: ['x'], op: 'jacobian' }],
  ];
  for (const [notation, bare] of cases) it(notation, () => agrees(notation, bare));

  it('in denominator layout: ∂y/∂𝐱 of a scalar is a column, ∂L/∂W is shaped like W', () => {
    const layout = { layout: 'denominator' } as const;
    agrees(
      '\\frac{\\partial \\mathbf{a}^\\top\\mathbf{x}}{\\partial \\mathbf{x}}',
      { bare: '\\mathbf{a}^\\top\\mathbf{x}', wrt: ['x'], op: 'jacobian' },
      layout,
    );
    // By a matrix, the finite-difference oracle arranges the gradient (shaped like W, as denominator layout is).
    agrees(
      '\\frac{\\partial}{\\partial W} \\|W\\mathbf{x} - \\mathbf{y}\\|^2',
      { bare: '\\|W\\mathbf{x} - \\mathbf{y}\\|^2', wrt: ['W'], op: 'gradient' },
      layout,
    );
    agrees(
      '\\frac{\\partial}{\\partial W} \\mathbf{a}^\\top W \\mathbf{b}',
      { bare: '\\mathbf{a}^\\top W \\mathbf{b}', wrt: ['W'], op: 'gradient' },
      layout,
    );
    agrees(
      '\\frac{\\partial A\\mathbf{x}}{\\partial \\mathbf{x}}',
      { bare: 'A\\mathbf{x}', wrt: ['x'], op: 'jacobian' },
      layout,
    );
    assert.equal(
      differentiate('\\frac{\\partial \\mathbf{a}^\\top\\mathbf{x}}{\\partial \\mathbf{x}}', layout).shape,
      'vector(n)',
    );
    assert.equal(
      differentiate('\\frac{\\partial \\mathbf{a}^\\top\\mathbf{x}}{\\partial \\mathbf{x}}').shape,
      'row vector(n)',
    );
    assert.equal(text('\\frac{\\partial}{\\partial W} \\mathbf{a}^\\top W \\mathbf{b}'), 'baᵀ');
    assert.equal(text('\\frac{\\partial}{\\partial W} \\mathbf{a}^\\top W \\mathbf{b}', layout), 'abᵀ');
  });

  it('∇ is the gradient in either layout', () => {
    for (const layout of ['numerator', 'denominator'] as const)
      assert.equal(
        differentiate('\\nabla_{\\mathbf{x}} \\mathbf{a}^\\top\\mathbf{x}', { layout }).shape,
        'vector(n)',
      );
  });

  it('J_f, \\mathbf{J}_f and J^T_f: the Jacobian of a defined function', () => {
    const definitions = ['\\mathbf{f} = \\tanh(W\\mathbf{x})'];
    agrees('J_f', { bare: '\\tanh(W\\mathbf{x})', wrt: ['x'], op: 'jacobian' }, { definitions });
    agrees(
      '\\mathbf{J}_{\\mathbf{f}}',
      { bare: '\\tanh(W\\mathbf{x})', wrt: ['x'], op: 'jacobian' },
      { definitions },
    );
    assert.equal(text('J^T_f', { definitions: ['f(x, y) = x y^2'] }), '[y², 2xy]');
  });

  it("Df(x) with f defined, and y' / y'' of a defined scalar: total derivatives", () => {
    const definitions = ['y = x^3 + \\sin x'];
    agrees("y'", { bare: 'x^3 + \\sin x', wrt: ['x'], op: 'jacobian' }, { definitions });
    agrees("y''", { bare: 'x^3 + \\sin x', wrt: ['x'], op: 'hessian' }, { definitions });
    // f(x) with f = x² defined is f written with its variable: D of it is (x²)'.
    assert.equal(text('D f(x)', { definitions: ['f = x^2'] }), '2x');
    assert.equal(text('D f(x)', { definitions: ['f(x) = x^2'] }), '2x');
    // Df(x)(z − x): the derivative at x, times z − x (the first-order approximation of the notes).
    assert.equal(text('f(x) + Df(x)(z-x)', { definitions: ['f(x) = x^3'] }), 'x³ + 3x²(z − x)');
    assert.equal(text('D f(x)'), 'f′(x)');
    // D before any operand is the operator (before a bracket it is a name: test/core/parse).
    assert.equal(text('Df', { definitions: ['f = x^2'] }), '2x');
  });

  it('D E of any operand is the derivative by its variables (matrices as coefficients), as MML writes it', () => {
    agrees('D \\mathbf{A}\\mathbf{x}', { bare: '\\mathbf{A}\\mathbf{x}', wrt: ['x'], op: 'jacobian' });
    agrees('D \\mathbf{x}^T A \\mathbf{x}', {
      bare: '\\mathbf{x}^T A \\mathbf{x}',
      wrt: ['x'],
      op: 'jacobian',
    });
    agrees('D \\sin(x^2)', { bare: '\\sin(x^2)', wrt: ['x'], op: 'jacobian' });
    assert.equal(text('D \\mathbf{A}\\mathbf{x}'), 'A');
    // The term after it, up to + or −.
    assert.equal(text('D x^3 + y'), '3x² + y');
  });

  it('D\\mathbf{x} is a product where D is a name: declared, defined or used as a value', () => {
    const product = (input: string, options: DifferentiateOptions = {}) => {
      const r = differentiate(input, { ...options, wrt: ['x'] });
      assert.notEqual(r.op, 'evaluate', input);
      return r.text;
    };
    assert.equal(product('D\\mathbf{x}', { declarations: ['D \\in \\mathbb{R}^{n \\times n}'] }), 'D');
    assert.equal(
      product('D\\mathbf{x}', { definitions: ['D = \\operatorname{diag}(\\mathbf{d})'] }),
      'diag(d)',
    );
    // D^{-1} makes D a name (an upper-case letter: a matrix): D𝐱 is D times 𝐱.
    assert.equal(product('D^{-1}\\mathbf{y} + D\\mathbf{x}'), 'D');
    // D of a bold name with no definition has nothing to evaluate: D𝐱 alone is D times 𝐱 too.
    assert.equal(product('D\\mathbf{x}'), 'D');
    assert.equal(product('\\mathbf{y}^\\top D\\mathbf{x}'), 'Dᵀy');
    // With a definition, D𝐟 is the derivative of 𝐟; D of a plain name stays the notation.
    assert.equal(text('D\\mathbf{f}', { definitions: ['\\mathbf{f}(\\mathbf{x}) = A\\mathbf{x}'] }), 'A');
    assert.match(
      errorOf(() => differentiate('D f')),
      /f has no definition here/,
    );
  });

  it('\\nabla_{x,y}: the gradients by several scalar variables, stacked', () => {
    agrees('\\nabla_{x,y} x^2 y', { bare: 'x^2 y', wrt: ['x', 'y'], op: 'gradient' });
    agrees('\\nabla_{x, y}^2 x^2 y^3', { bare: 'x^2 y^3', wrt: ['x', 'y'], op: 'hessian' });
    assert.equal(text('\\nabla_{y,x} x^2 y'), '[x², 2xy]');
    // Of vectors the gradients have no stacked form here: refused, not one of them.
    assert.match(
      errorOf(() => differentiate('\\nabla_{\\mathbf{x}, \\mathbf{y}} \\mathbf{x}^T\\mathbf{y}')),
      /^the derivative by x, y has no single matrix form/,
    );
  });

  it('d/dx of a scalar is the ordinary derivative', () => {
    assert.equal(text('\\frac{d}{dx} \\sin(x^2)'), '2x·cos(x²)');
    assert.equal(text('\\frac{dx}{dx}'), '1');
  });

  it('the derivative of a name with no definition is no number: an error, or abstract when applied', () => {
    // Before: 1, 0, 1, I, 0 — f read as a variable of its own.
    const cases: [string, string][] = [
      ['\\nabla f', '∇ f'],
      ['\\nabla_{\\mathbf{x}} f', '∇_x f'],
      ['J_f', 'J_f'],
      ['\\mathbf{J}_{\\mathbf{f}}', 'J_f'],
      ['\\frac{\\partial f}{\\partial x}', '∂f/∂x'],
      ['\\frac{dy}{dx}', 'dy/dx'],
      ['\\nabla^2 f', '∇^2 f'],
      ['2 + \\frac{d^2 f}{dx^2}', 'd^2f/dxdx'],
    ];
    for (const [input, shown] of cases) {
      const name = shown.includes('y') ? 'y' : 'f';
      const column = input.startsWith('2') ? 5 : 1;
      assert.equal(
        errorOf(() => differentiate(input)),
        `${name} has no definition here: cannot evaluate ${shown} at column ${column}`,
      );
    }
    // Applied, it is an abstract function of its arguments (evaluate replaces it by random smooth functions).
    assert.equal(text('\\nabla f(x, y)'), '[∂₁f(x, y), ∂₂f(x, y)]');
    assert.equal(text('J_f(\\mathbf{x})'), text('(\\nabla f(\\mathbf{x}))^\\top'));
    assert.equal(text('\\mathbf{J}_{\\mathbf{f}}(\\mathbf{x})'), '(∂f/∂x)');
    assert.equal(text('J_f(x, y)'), '[[∂₁f(x, y), ∂₂f(x, y)]]');
    assert.equal(text('\\mathbf{J}_{\\mathbf{f}}(\\mathbf{x})^\\top'), '(∂f/∂x)ᵀ');
    // At an expression J_f(A𝐱) is f's Jacobian there, not ∂f(A𝐱)/∂𝐱: refused rather than misread.
    assert.match(
      errorOf(() => differentiate('J_f(A\\mathbf{x})')),
      /^J_f\(…\) is read with variables as its arguments; .* at column 5$/,
    );
  });

  it('an undefined name differentiated is still a variable where it is one: declared, or used as a value', () => {
    assert.equal(text('\\frac{\\partial x}{\\partial x}'), '1');
    assert.equal(text('\\frac{\\partial \\mathbf{x}}{\\partial \\mathbf{x}}'), 'I');
    // z is a variable of x + z: ∂z/∂x = 0 is right.
    assert.equal(text('\\frac{\\partial (x + z)}{\\partial x} + \\frac{\\partial z}{\\partial x}'), '1');
    assert.equal(text('\\frac{\\partial y}{\\partial x}', { declarations: ['y \\in \\mathbb{R}'] }), '0');
    // Two components of one vector are coordinates; a component of another name is an unknown function's.
    assert.equal(text('\\frac{\\partial}{\\partial x_j} x_i'), '0');
    assert.equal(
      errorOf(() => differentiate('\\frac{\\partial y_i}{\\partial x_j}')),
      'y_i has no definition here: cannot evaluate ∂y_i/∂x_j at column 1',
    );
    // Used as a value on another side of a chain.
    const both = evaluateAll(['\\frac{\\partial z}{\\partial x}', 'z x']);
    assert.equal(toText(both.exprs[0]), '0');
  });

  it('the operand of a prefix operator is the term after it, up to + or − at the same level', () => {
    assert.equal(text('\\frac{\\partial}{\\partial x} x^2 + y'), '2x + y');
    assert.equal(text('\\frac{\\partial}{\\partial x} x \\sin x'), 'sin(x) + x·cos(x)');
    assert.equal(text('\\frac{\\partial}{\\partial x} (x^2 + x)'), '2x + 1');
    assert.equal(text('2 \\frac{d}{dx} x^3 - 1'), '6x² − 1');
    assert.equal(text('\\nabla_{\\mathbf{x}} \\mathbf{x}^\\top\\mathbf{x} + \\mathbf{y}'), '2x + y');
  });

  it('notation anywhere inside an expression, with the rest of it', () => {
    assert.equal(text('x \\cdot \\frac{\\partial x^2}{\\partial x}'), '2x²');
    assert.equal(
      text('\\left(\\frac{\\partial \\mathbf{a}^\\top\\mathbf{x}}{\\partial \\mathbf{x}}\\right)^\\top'),
      'a',
    );
    assert.equal(text('\\sqrt{\\frac{d}{dx} x^4}'), '√(4x³)');
  });

  it('a derivative by a variable the expression does not have is zero', () => {
    assert.equal(text('\\frac{\\partial}{\\partial y} x^2'), '0');
  });

  it("x' of a name with no definition is still a transpose", () => {
    const r = differentiate("x' A x");
    assert.equal(r.op, 'gradient');
    assert.equal(r.text, differentiate('x^\\top A x').text);
  });

  it('the result says it evaluated the input, and keeps the kinks it found', () => {
    const r = differentiate('\\frac{d}{dx} |x|');
    assert.equal(r.op, 'evaluate');
    assert.deepEqual(r.wrt, []);
    assert.match(r.assumptions[0].text, /evaluated/);
    assert.equal(r.conditions.length, 1);
  });

  it('op or wrt may still ask for a derivative of the evaluated expression', () => {
    assert.equal(text('\\frac{d}{dx} x^3', { op: 'derivative' }), '6x');
    assert.equal(text('\\frac{\\partial}{\\partial x} x^3 y^2', { wrt: ['y'] }), '6x²y');
  });

  it("the engine's work parts refuse an evaluated input with a message, not a crash", () => {
    const d = derivation('\\frac{d}{dx} x^2');
    assert.match(
      errorOf(() => steps(d)),
      /^steps are shown for a derivative to take/,
    );
    assert.match(
      errorOf(() => checkOf(d, '\\frac{d}{dx} x^2', {})),
      /^finite-difference checks are shown/,
    );
    assert.match(emit(d, 'numpy'), /def value_f\(x\):/);
  });

  it('a defined function applied to arguments is its body with them for its parameters', () => {
    const definitions = ['f(x, y) = 3x^2y', 'g(t) = t^3'];
    const r = differentiate('f(a, b)', { definitions });
    assert.equal(r.text, '[6ab, 3a²]');
    assert.deepEqual(
      r.wrt.map((v) => v.name),
      ['a', 'b'],
    );
    assert.equal(text("g'(2)", { definitions }), '12');
    assert.equal(text("g''(s)", { definitions }), '6s');
    assert.equal(text('\\frac{\\partial f(x, y)}{\\partial x}', { definitions }), '6xy');
    agrees('\\frac{d}{dx} g(\\sin x)', { bare: '\\sin^3 x', wrt: ['x'], op: 'jacobian' }, { definitions });
    assert.equal(
      errorOf(() => differentiate('f(1)', { definitions })),
      'f is defined with 2 parameters, here applied to 1 at column 1',
    );
    assert.equal(
      errorOf(() => differentiate('g(\\mathbf{v})', { definitions })),
      "g's parameter t is a scalar, the argument a vector(n) at column 3",
    );
  });

  it("primes on an applied function are derivative notation too: f''(x) is answered with its value", () => {
    const r = differentiate("f''(x)");
    assert.equal(r.op, 'evaluate');
    assert.equal(r.text, 'f″(x)');
    assert.equal(differentiate("g'(t)", { definitions: ['g(t) = t^3'] }).text, '3t²');
  });

  it('an abstract function under derivative notation keeps the chain rule', () => {
    assert.equal(text('\\frac{d}{dx} f(g(x))'), 'f′(g(x))g′(x)');
    assert.equal(text('\\frac{d}{dx} h(g(x))', { definitions: ['g(x) = x^3'] }), '3x²h′(x³)');
  });

  it('is evaluated at a point', () => {
    assert.equal(differentiate('\\frac{d}{dx} x^3', { at: { x: 2 } }).value, 12);
  });
});

describe('derivative notation: bad forms', () => {
  const cases: [string, string][] = [
    ['\\frac{\\partial}{\\partial}', 'expected a variable after \\partial at column 25'],
    [
      '\\frac{\\partial}{\\partial x}',
      'expected an expression after \\frac{\\partial}{\\partial…}, found end of input at column 28',
    ],
    [
      '\\frac{\\partial f}{x}',
      'expected \\partial and a variable in the denominator of \\frac{\\partial …} at column 18',
    ],
    [
      '\\frac{\\partial^2 f}{\\partial x}',
      'the numerator says order 2 but the denominator has 1 variable at column 7',
    ],
    [
      '\\frac{\\partial f}{\\partial x \\partial y}',
      'the numerator says order 1 but the denominator has 2 variables at column 7',
    ],
    ['\\frac{\\partial f}{\\partial x\\, d y}', 'expected \\partial and a variable, found d at column 32'],
    [
      '\\frac{\\partial^{x} f}{\\partial x}',
      'the order of a derivative must be a whole number from 1 to 4 at column 15',
    ],
    [
      '\\partial f',
      'expected / \\partial x after \\partial f (as in \\partial f / \\partial x) at column 11',
    ],
    ['\\nabla', 'expected an expression after \\nabla, found end of input at column 7'],
    ['\\nabla_{} x', 'expected a variable after \\nabla_ at column 8'],
    ['\\nabla^9 x', 'the order of a derivative must be a whole number from 1 to 4 at column 7'],
  ];
  for (const [input, message] of cases)
    it(input, () =>
      assert.equal(
        errorOf(() => differentiate(input)),
        message,
      ),
    );

  it('an entry x_{ij} of a matrix variable is read with unit vectors (more in entry.test.ts)', () => {
    assert.equal(text('\\frac{\\partial}{\\partial x_{ij}} \\mathbf{a}^\\top X \\mathbf{b}'), '(abᵀ)ᵢⱼ');
  });

  it('a component x_1 of a scalar function of scalars is just a variable', () => {
    assert.equal(text('\\frac{\\partial}{\\partial x_{1}} (x_1^2 + x_2)'), '2x₁');
  });

  it('∇ of a vector function is refused (ask for the Jacobian)', () => {
    assert.match(
      errorOf(() => differentiate('\\nabla_{\\mathbf{x}} A\\mathbf{x}')),
      /gradient needs a scalar function/,
    );
  });

  it('∇ of order more than 2 is refused; ∂³/∂x³ of a scalar is the third derivative', () => {
    assert.equal(
      errorOf(() => differentiate('\\nabla^3 x^4')),
      '\\nabla^3 (a tensor of order 3) is not supported at column 1',
    );
    assert.equal(text('\\frac{\\partial^3}{\\partial x^3} x^4'), '24x');
    assert.equal(
      errorOf(() => differentiate('\\frac{\\partial^3}{\\partial \\mathbf{x}^3} \\|\\mathbf{x}\\|^2')),
      'a derivative of order 3 by a vector or matrix (a tensor) is not supported at column 1',
    );
  });

  it('∇ of an expression without variables is refused', () => {
    assert.match(
      errorOf(() => differentiate('\\nabla 3')),
      /nothing to differentiate by/,
    );
  });

  it('steps and the finite-difference check are for derivatives to take, not values', () => {
    assert.match(
      errorOf(() => differentiate('\\frac{d}{dx} x^2', { steps: true })),
      /evaluated/,
    );
    assert.match(
      errorOf(() => differentiate('\\frac{d}{dx} x^2', { check: true })),
      /evaluated/,
    );
  });
});

describe('definitions', () => {
  const neuron = [
    'z = \\mathbf{w}\\cdot\\mathbf{x} + b',
    'u(\\mathbf{w}, b, \\mathbf{x}) = \\tanh(z)',
    'L = (y - u)^2',
  ];

  it('∂z/∂𝐰 after z = 𝐰·𝐱 + b is 𝐱ᵀ (numerator layout)', () => {
    const r = differentiate('\\frac{\\partial z}{\\partial \\mathbf{w}}', { definitions: [neuron[0]] });
    assert.equal(r.latex, '\\mathbf{x}^\\top');
    assert.deepEqual(r.usedDefinitions, ['z']);
  });

  it('chains through several definitions (L through u through z), checked numerically', () => {
    agrees(
      '\\frac{\\partial L}{\\partial \\mathbf{w}}',
      { bare: '(y - \\tanh(\\mathbf{w}\\cdot\\mathbf{x} + b))^2', wrt: ['w'], op: 'jacobian' },
      { definitions: neuron },
    );
    assert.deepEqual(
      differentiate('\\frac{\\partial L}{\\partial b}', { definitions: neuron }).usedDefinitions,
      ['L', 'u', 'z'],
    );
  });

  it('a derivative by a defined name (∂L/∂z) takes z as the variable, then its value', () => {
    // d/dz (y − tanh z)² = −2(y − tanh z)(1 − tanh² z), at z = 𝐰·𝐱 + b.
    checkNumerically('(y - \\tanh(z))^2', { wrt: ['z'] });
    const s = '(\\mathbf{w}\\cdot\\mathbf{x} + b)';
    sameValue('\\frac{\\partial L}{\\partial z}', `-2(y - \\tanh${s})(1 - \\tanh^2${s})`, {
      definitions: neuron,
    });
  });

  it('the plain differentiate path substitutes definitions too', () => {
    const r = differentiate('L', { definitions: neuron, wrt: ['b'] });
    assert.equal(r.op, 'gradient');
    assert.deepEqual(r.usedDefinitions, ['L', 'u', 'z']);
    checkNumerically('L', { definitions: neuron, wrt: ['w'] });
  });

  it('f(x, y) = … defines f; y = f(x) = … defines y and f', () => {
    assert.equal(text('\\frac{\\partial f}{\\partial x}', { definitions: ['f(x, y) = 3x^2y'] }), '6xy');
    const chain = ['y = f(x) = x + x^2'];
    assert.equal(text("y'", { definitions: chain }), '1 + 2x');
    assert.equal(text('\\frac{d f}{d x}', { definitions: chain }), '1 + 2x');
  });

  it('a later definition of a name replaces an earlier one; a definition may use earlier ones', () => {
    assert.equal(text('\\frac{dz}{dx}', { definitions: ['z = x^2', 'z = x^3'] }), '3x²');
    assert.equal(text('\\frac{dv}{dx}', { definitions: ['u = x^2', 'v = \\sin u'] }), '2x·cos(x²)');
  });

  it('kinds and sizes unify across the definitions and the input', () => {
    const r = differentiate('\\frac{\\partial \\mathbf{y}}{\\partial \\mathbf{x}} \\mathbf{v}', {
      definitions: ['\\mathbf{y} = A\\mathbf{x}'],
    });
    assert.equal(r.text, 'Av');
    assert.match(r.shape, /^vector/);
  });

  it("a defined name's kind is its definition's, not its notation's", () => {
    const r = differentiate('\\frac{\\partial}{\\partial \\mathbf{x}} y^\\top y', {
      definitions: ['y = A\\mathbf{x}'],
    });
    assert.equal(r.text, '2xᵀAᵀA');
    // b added to the vector y is a vector too (not a scalar added to every entry).
    const sum = differentiate('y + b', { definitions: ['y = A\\mathbf{x}'], wrt: ['b'] });
    assert.equal(sum.wrt[0].shape, 'vector(n)');
    assert.equal(sum.text, 'I');
  });

  it('a defined name that is declared has the declared shape; 𝐲 = 𝐟(𝐱) makes 𝐟 take values there', () => {
    const declarations = ['\\mathbf{x} \\in \\mathbb{R}^p', 'y \\in \\mathbb{R}^q'];
    const r = differentiate('\\frac{\\partial \\mathbf{y}}{\\partial \\mathbf{x}}', {
      definitions: ['\\mathbf{y} = \\mathbf{f}(\\mathbf{x})'],
      declarations,
    });
    assert.equal(r.shape, 'matrix(q×p)');
    // y = f(x) with y ∈ ℝ^q as the notes write it: f is a vector function.
    const plain = differentiate('\\frac{\\partial y}{\\partial \\mathbf{x}}', {
      definitions: ['y = f(\\mathbf{x})'],
      declarations,
    });
    assert.equal(plain.shape, 'matrix(q×p)');
    assert.equal(plain.text, '(∂f/∂x)');
    assert.equal(
      differentiate('y', {
        definitions: ['y = A\\mathbf{x}'],
        declarations,
        wrt: ['A'],
        op: 'jacobian',
      }).variables.find((v) => v.name === 'A')?.shape,
      'matrix(q×p)',
    );
    assert.equal(
      errorOf(() =>
        differentiate('y + 1', { definitions: ['y = \\mathbf{x}^\\top\\mathbf{x}'], declarations }),
      ),
      'y is declared a vector(q) but defined as a scalar at column 1',
    );
  });

  it('a definition that refers to itself is an error naming it', () => {
    assert.equal(
      errorOf(() => differentiate('q', { definitions: ['q = q + 1'] })),
      'q is defined in terms of itself (q → q)',
    );
    assert.equal(
      errorOf(() => differentiate('\\frac{d}{dx} a', { definitions: ['a = x b', 'b = a + 1'] })),
      'a is defined in terms of itself (a → b → a)',
    );
  });

  it('an error in a definition says which', () => {
    assert.equal(
      errorOf(() => differentiate('x', { definitions: ['z = ', 'y = 2'] })),
      'definition 1: empty expression after = at column 4',
    );
    assert.equal(
      errorOf(() => differentiate('x + 1', { definitions: ['3 + x'] })),
      'definition 1: expected a definition such as z = … or f(x) = … at column 1',
    );
    assert.equal(
      errorOf(() => differentiate('2 z', { definitions: ['z = A + 1'] })),
      'the definition of z: adding a scalar to a matrix is ambiguous: write aI + A for a multiple of the identity, or a\\mathbf{1}\\mathbf{1}^\\top + A to change every entry at column 5',
    );
  });

  it('parameters stand for themselves, not for definitions of the same name', () => {
    const definitions = ['x = 5', 'f(x) = x^2'];
    assert.equal(text('f', { definitions, wrt: ['x'] }), '2x');
    // d/dx of f where x is defined: the derivative, taken where x has its value.
    assert.equal(text('\\frac{d f}{d x}', { definitions }), '10');
  });

  it('is validated like the other options', () => {
    assert.equal(
      errorOf(() => differentiate('x', { definitions: 'z = 1' as unknown as string[] })),
      "definitions must be an array of strings, got a string ('z = 1')",
    );
  });
});

describe('evaluateAll: several sides in one context', () => {
  it('∇ₓ‖𝐱‖² = ∇ₓ 𝐱ᵀ𝐱 = 2𝐱: one vector x with one size', () => {
    const { exprs, program } = evaluateAll([
      '\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2',
      '\\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x}',
      '2\\mathbf{x}',
    ]);
    assert.deepEqual(exprs.map(toText), ['2x', '2x', '2x']);
    assert.equal(program.variables.length, 1);
    assert.ok(exprs.every((e) => e.shape === exprs[0].shape || shapeText(e.shape) === 'vector(n)'));
  });

  it('kind inference sees every side: x is a vector because another side says so', () => {
    const { exprs } = evaluateAll(['x^\\top x', '\\|x\\|^2']);
    assert.deepEqual(
      exprs.map((e) => shapeText(e.shape)),
      ['scalar', 'scalar'],
    );
    const x = evaluateAll(['\\frac{\\partial}{\\partial x} x^\\top A x', 'x']).exprs[1];
    assert.equal(shapeText(x.shape), 'vector(n)');
  });

  it('sizes unify across sides', () => {
    const declarations = ['A \\in \\mathbb{R}^{3 \\times 2}', '\\mathbf{b} \\in \\mathbb{R}^{3}'];
    assert.equal(
      errorOf(() => evaluateAll(['A \\mathbf{x}', '\\mathbf{x} + \\mathbf{b}'], { declarations })),
      '+ needs matching shapes, got vector(2) and vector(3) at column 1',
    );
    const { exprs } = evaluateAll(['\\mathbf{x}', 'A\\mathbf{x}'], { declarations });
    assert.equal(shapeText(exprs[0].shape), 'vector(2)');
  });

  it('with definitions and layout', () => {
    const { exprs, program } = evaluateAll(['\\frac{\\partial z}{\\partial \\mathbf{w}}', '\\mathbf{x}'], {
      definitions: ['z = \\mathbf{w}\\cdot\\mathbf{x} + b'],
      layout: 'denominator',
    });
    assert.equal(exprs[0], exprs[1]);
    assert.deepEqual(program.usedDefinitions, ['z']);
  });

  it("an error names the side and the column in that side's text", () => {
    try {
      evaluateAll(['\\frac{d}{dx} x^2', '2x +']);
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof LensError);
      assert.equal(e.side, 1);
      assert.equal(e.message, 'expected an expression, found end of input at column 5');
    }
    try {
      evaluateAll(['x', '\\mathbf{y} + A']);
      assert.fail('no error');
    } catch (e) {
      assert.ok(e instanceof LensError);
      assert.equal(e.side, 1);
      assert.equal(e.span?.start, 0);
    }
  });

  it('returns the kinks of the derivatives it evaluated', () => {
    assert.equal(evaluateAll(['\\frac{d}{dx} |x|', '\\operatorname{sign}(x)']).conditions.length, 1);
  });
});

describe('a 𝟏, I or 0 keeps one key when its size is named after elaboration', () => {
  // Keys are cached on nodes: before, a ones vector keyed before its size got its final name and
  // one keyed after did not meet, so like terms stayed apart and term order depended on the path.
  const g = '\\operatorname{logsumexp}(x \\mathbf{x} + \\boldsymbol{\\mu} + \\mathbf{w})';

  it('like terms meet: 2x(𝟏ᵀ(s − ssᵀ𝟏)), not x(…) + x(…)', () => {
    const r = differentiate(`\\operatorname{tr}(\\nabla^2_{\\mathbf{x}} (${g}))`, { wrt: ['x'] });
    assert.match(r.text, /^4\(2x\(𝟏ᵀ\(s − ssᵀ𝟏\)\) \+ /);
  });

  it('derivative notation and a plain derivative give the same result, terms in the same order', () => {
    const e =
      '\\sigma(\\sigma(\\mathbf{x})) + \\nabla_{\\mathbf{x}} (\\mathbf{x}^\\top \\mathbf{x}\\mathbf{x}^\\top \\mathbf{w})^\\top \\sum_i \\mathbf{x}_i \\mathbf{x}';
    for (const layout of ['numerator', 'denominator'] as const)
      assert.equal(
        differentiate(`\\frac{\\partial}{\\partial \\mathbf{x}} \\left(${e}\\right)`, { layout }).text,
        differentiate(e, { wrt: ['x'], op: 'jacobian', layout }).text,
      );
    assert.equal(
      differentiate(`\\frac{\\partial}{\\partial x} \\operatorname{tr}(\\nabla^2_{\\mathbf{x}} (${g}))`).text,
      differentiate(`\\operatorname{tr}(\\nabla^2_{\\mathbf{x}} (${g}))`, { wrt: ['x'] }).text,
    );
  });
});
