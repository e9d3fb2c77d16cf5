/**
 * Inputs that crashed the core or gave a wrong verdict (found by fuzzing):
 * each now gives a clear LensError or the right answer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { transformSync } from 'esbuild';
import { differentiate, LensError, type DifferentiateOptions } from '../../src/core';
import { checkNumerically } from './numeric';

/** Asserts that `differentiate` throws a LensError whose message matches `message`. */
function refuses(expression: string, options: DifferentiateOptions, message: RegExp): void {
  assert.throws(
    () => differentiate(expression, options),
    (e: unknown) => e instanceof LensError && message.test(e.message),
  );
}

describe('inputs that were TypeErrors', () => {
  it('a function without parameters is refused in words, and differentiable with wrt', () => {
    for (const e of ['() => x', '() => 1', '() => [0.5]'])
      refuses(e, { lang: 'ts', check: true, op: 'derivative' }, /the function has no parameters/);
    const r = differentiate('() => x * x', { lang: 'ts', wrt: ['x'], check: true, at: { x: 3 } });
    assert.equal(r.value, 6);
    assert.equal(r.check?.verdict, 'agrees');
  });

  it('a vector function that does not involve the matrix parameter has a zero Kronecker-form derivative', () => {
    const r = differentiate('f(W) = t (x, y)', { op: 'derivative', at: { W: [[1, 2]], t: 1, x: 1, y: 1 } });
    assert.deepEqual(r.value, [
      [0, 0],
      [0, 0],
    ]);
  });

  it('a scalar added to a row vector is added to every entry, in the derivative as in the value', () => {
    const r = differentiate('\\langle y + 10^{X}, y \\rangle', { check: true });
    assert.equal(r.check?.verdict, 'agrees');
    assert.equal(r.wrt[1].shape, 'scalar');
    assert.equal(r.shape, 'vector(n), scalar');
    checkNumerically('\\langle y + 10^{X}, y \\rangle');
  });

  it('a zero vector plus scalars stays a vector, printed with its 𝟏 (it was printed as the scalar, or lost its shape)', () => {
    // ∇ₓ(θᵀ𝐰) is the zero vector: the sum is s𝟏, and its derivative by 𝐱 the m×m zero either way it is asked.
    const sum = '\\nabla_{\\mathbf{x}} (\\theta)^\\top \\mathbf{w} + \\operatorname{tr}(x_{2}I + A + A)';
    const plain = differentiate(sum, { op: 'derivative', wrt: ['x'] });
    assert.equal(plain.input.text, '(kx₂ + 2·tr(A))𝟏');
    assert.equal(plain.input.shape, 'vector(m)');
    const notation = differentiate(`\\frac{\\partial}{\\partial x}\\left(${sum}\\right)`);
    for (const r of [plain, notation]) assert.deepEqual([r.text, r.shape], ['0', 'matrix(m×m)']);
    const alone = differentiate('\\nabla_{\\mathbf{x}} (\\theta)^\\top \\mathbf{w} + \\operatorname{tr}(A)', {
      op: 'evaluate',
    });
    assert.deepEqual([alone.text, alone.shape], ['tr(A)𝟏', 'vector(m)']);
  });
});

describe('names that are properties of Object.prototype', () => {
  const names = ['constructor', '__proto__', 'valueOf', 'hasOwnProperty', 'toString'];

  it('are ordinary variables: printed, evaluated and checked by their names', () => {
    for (const n of names) {
      const r = differentiate(`(${n}) => ${n} ** 2`, {
        at: JSON.parse(`{"${n}": 3}`),
        check: true,
        emit: 'ts',
      });
      assert.equal(r.text, `2·${n}`, n);
      assert.equal(r.value, 6, n);
      assert.equal(r.check?.verdict, 'agrees', n);
      assert.ok(Object.hasOwn(r.check!.point, n), n);
      assert.doesNotMatch(JSON.stringify(r), /native code|\[object Object\]/, n);
    }
  });

  it('as wrt, at keys or size names get the ordinary answers', () => {
    for (const n of names) {
      refuses('x^2', { wrt: [n] }, new RegExp(`^${n} is not a variable of this expression`));
      assert.equal(differentiate('x^2', { at: JSON.parse(`{"${n}": 1, "x": 2}`) }).value, 4);
      const r = differentiate('\\mathbf{x}^\\top\\mathbf{x}', { dims: JSON.parse(`{"${n}": 2}`) });
      assert.equal(r.shape, 'vector(n)', n);
    }
  });
});

describe('long flat chains', () => {
  it('thousands of terms are differentiated, not reported as nested too deeply', () => {
    const chain = (term: string, op: string, n: number) => Array(n).fill(term).join(op);
    assert.equal(differentiate(chain('a', '+', 4000)).text, '4000');
    assert.equal(differentiate(chain('x', '-', 4000)).text, '−3998');
    assert.equal(differentiate(chain('a', '*', 3000), { at: { a: 1 } }).value, 3000);
    assert.equal(differentiate(`(x) => ${chain('x', ' + ', 1500)}`).text, '1500');
  });

  it('a chain too long for the TypeScript parser says so', () => {
    refuses(`(x) => ${Array(4990).fill('x').join('+')}`, {}, /too long a chain of operators/);
  });
});

describe('scalar + matrix', () => {
  it('is refused as ambiguous, with both readings spelled out', () => {
    refuses('\\det(a + A)', {}, /adding a scalar to a matrix is ambiguous: write aI \+ A .* at column 6/);
    refuses('\\operatorname{tr}(A - 1)', {}, /ambiguous/);
  });

  it('each reading, written out, is differentiated and evaluated alike (finite differences)', () => {
    for (const e of [
      '\\det(aI + A)',
      '\\det(a\\mathbf{1}\\mathbf{1}^\\top + A)',
      '\\mathbf{x}^\\top(aI - A)\\mathbf{x}',
    ]) {
      checkNumerically(e, { wrt: ['a'] });
      assert.equal(differentiate(e, { wrt: ['a'], check: true }).check?.verdict, 'agrees', e);
    }
  });

  it('tr(aI + A) names its size n (no internal ?2) in the result, the value and the code', () => {
    const r = differentiate('\\operatorname{tr}(aI + A)', { emit: 'ts' });
    assert.equal(r.text, 'n');
    assert.doesNotMatch(JSON.stringify(r), /\?\d/);
    const at = {
      a: 1,
      A: [
        [1, 2],
        [3, 4],
      ],
    };
    assert.equal(differentiate('\\operatorname{tr}(aI + A)', { at }).value, 2);
  });
});

describe('numbers', () => {
  it('0^x has slope 0 for x > 0, not NaN', () => {
    const r = differentiate('0^x', { at: { x: 2 }, check: true });
    assert.equal(r.value, 0);
    assert.equal(r.check?.verdict, 'agrees');
  });

  it('literals beyond the floating-point range are refused, with the column', () => {
    refuses('10^{999} x', {}, /beyond the floating-point range .* at column 1/);
    refuses('(x) => 1e400 * x', {}, /beyond the floating-point range .* at column 8/);
    refuses('(x) => x * 1e308 * 1e308', {}, /beyond the floating-point range/);
  });
});

describe('options that contradict the expression', () => {
  it('a vector or matrix value for a scalar names the symbol and both shapes', () => {
    refuses(
      'x^2',
      { at: { x: [1, 2] } },
      /^the value given for x is a vector of length 2, but x is a scalar \(/,
    );
    refuses('x^2', { at: { x: [[1], [2]] } }, /is a 2×1 matrix, but x is a scalar/);
  });

  it('--check with a declared variable the function does not use finds the derivative 0', () => {
    const r = differentiate('f(x,y) = 3x^2y', {
      wrt: ['a'],
      declarations: ['a \\in \\mathbb{R}'],
      check: true,
    });
    assert.equal(r.text, '0');
    assert.equal(r.check?.verdict, 'agrees');
  });

  it('a variable named twice in wrt is refused', () => {
    refuses('x^2 y', { wrt: ['x', 'y', 'x'] }, /^x is given twice/);
  });

  it('a long list of variables in a message is shortened', () => {
    const e = Array.from({ length: 40 }, (_, i) => `a_{${i}}`).join('+');
    refuses(e, { wrt: ['z'] }, /a_11, … \(28 more\)\)$/);
  });
});

describe('the library API validates its options', () => {
  const bad: [unknown, RegExp][] = [
    [{ wrt: 'x' }, /^wrt must be an array of strings, got a string \('x'\)$/],
    [{ declarations: [1] }, /^declarations must be an array of strings/],
    [{ at: { x: null } }, /^the value of x must be a number.*got null$/],
    [{ at: { x: [[1], [1, 2]] } }, /^the value of x must be/],
    [
      { layout: 'denominatr' },
      /^layout must be one of numerator, denominator, got a string \('denominatr'\)$/,
    ],
    [{ op: 'curl' }, /^op must be one of gradient, jacobian, hessian, derivative/],
    [{ lang: 'fortran' }, /^lang must be one of latex, ts, python, got a string \('fortran'\)$/],
    [{ emit: 'c' }, /^emit must be one of ts, numpy/],
    [{ emit: ['ts', 'c'] }, /^emit lists languages ts, numpy, torch, jax, got a string \('c'\)$/],
    [{ check: 'yes' }, /^check must be true or false/],
    [{ conventions: { vectors: 'x' } }, /^conventions.vectors must be an array of strings/],
    [{ dims: { n: -1 } }, /^the size n must be a whole number of at least 1, got the number -1$/],
    [{ dims: { n: 0 } }, /got the number 0$/],
    [{ dims: { n: 1.5 } }, /got the number 1.5$/],
    [null, /^the options must be an object, got null$/],
  ];
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)}`, () =>
      refuses('\\mathbf{x}^\\top\\mathbf{x}', options as DifferentiateOptions, message));
  }

  it('ignores unknown keys and refuses a non-string expression', () => {
    assert.equal(differentiate('x^2', { colour: 'red' } as DifferentiateOptions).text, '2x');
    assert.throws(() => differentiate(3 as unknown as string), /^LensError: the expression must be a string/);
  });
});

describe('exported code for subscripted names', () => {
  const expression = 'x_{t+1}^2 + x_{t-1} x_{a,b}';

  it('TypeScript: distinct valid parameter names, and the function computes the gradient', () => {
    const r = differentiate(expression, { emit: 'ts', at: { 'x_{t+1}': 2, 'x_{t-1}': 3, 'x_{a,b}': 5 } });
    assert.match(r.code?.ts ?? '', /function grad_f\(x_t_1: number, x_t_1_: number, x_a_b: number\)/);
    const work = mkdtempSync(join(tmpdir(), 'lens-emit-'));
    try {
      const file = join(work, 'grad.cjs');
      writeFileSync(file, transformSync(r.code?.ts ?? '', { loader: 'ts', format: 'cjs' }).code);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { grad_f } = require(file) as { grad_f: (...a: number[]) => number[] };
      assert.deepEqual(grad_f(2, 3, 5), r.value);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('NumPy: the function parses as Python', { skip: !hasPython() && 'python3 is not installed' }, () => {
    const code = differentiate(expression, { emit: 'numpy' }).code?.numpy ?? '';
    assert.match(code, /def grad_f\(x_t_1, x_t_1_, x_a_b\):/);
    const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], { input: code });
    assert.equal(r.status, 0, r.stderr?.toString());
  });
});

function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}

describe('notation read otherwise than a textbook means it', () => {
  it('e^{A} of a matrix (the matrix exponential) is refused, not taken entry by entry; \\exp(A) is', () => {
    refuses('e^{A}', {}, /matrix exponential, which is not supported; write \\exp\(A\)/);
    assert.equal(differentiate('\\exp(A)', { wrt: ['A'], op: 'derivative' }).op, 'derivative');
    assert.equal(differentiate('e^{\\mathbf{x}}').text, 'diag(exp(x))');
  });

  it('|Σ| of a matrix is its determinant (log|Σ| of a Gaussian), not |·| of each entry', () => {
    const gaussian = differentiate('\\log|\\Sigma|');
    assert.equal(gaussian.text, 'Σ⁻ᵀ');
    // ln det Σ reads as log det Σ.
    assert.equal(gaussian.input.text, 'log det(Σ)');
    checkNumerically('|\\Sigma|^{-1/2}', {});
    checkNumerically('-\\frac{1}{2}\\log|\\Sigma| - \\frac{1}{2}\\mathbf{x}^\\top\\Sigma^{-1}\\mathbf{x}', {
      wrt: ['Sigma'],
    });
    assert.equal(differentiate('|\\mathbf{x}|').text, 'diag(sign(x))');
  });

  it('a power of a row vector prints as its column’s, which reads back: x ⊙ (A𝐱)², not (𝐱ᵀAᵀ)²', () => {
    const declarations = ['\\mathbf{x} \\in \\mathbb{R}^n', 'A \\in \\mathbb{R}^{n \\times n}'];
    const f =
      '\\operatorname{sum}((A^\\top(((\\mathbf{x}) \\odot (A\\mathbf{x})) \\odot (\\mathbf{x}))) \\odot (\\mathbf{x}))';
    const r = differentiate(f, { wrt: ['x'], declarations });
    assert.equal(r.text, '2(x ⊙ (Ax)² + Aᵀ(x² ⊙ (Ax)))');
    // The printed gradient is input the reader takes (it refused (𝐱ᵀAᵀ)^{2}, a power of a row).
    assert.equal(differentiate(r.latex, { wrt: ['x'], declarations }).op, 'jacobian');
  });

  it('𝔼[x²] is an expectation, refused, not a matrix E times [x²]', () => {
    refuses('\\mathbb{E}[x^2]', {}, /\\mathbb\{E\} \(an expectation\) is not supported/);
    refuses('\\mathbb{P}(x > 0)', {}, /a probability/);
    assert.equal(differentiate('\\mathbb{1}^\\top \\mathbf{x}').text, '𝟏');
  });
});
