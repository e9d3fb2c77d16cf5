/**
 * Symmetric matrices in the simplifier: known by structure (MᵀM, MMᵀ, M + Mᵀ, diag, I, and
 * sums, multiples, inverses of symmetric ones), so that Sᵀ is S and like terms meet.
 * Every derivative below is also checked against central finite differences.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate } from '../../src/core';
import { LensError } from '../../src/core/errors';
import { findLatexDeclarations, parseLatexDeclarations } from '../../src/core/parse/latex';
import { key, type Expr } from '../../src/core/expr';
import {
  add,
  fn,
  hadamard,
  identity,
  inverse,
  isSymmetric,
  matmul,
  mul,
  num,
  sym,
  transpose,
} from '../../src/core/simplify';
import { derivation } from '../../src/core/derivation';
import { evaluate } from '../../src/core/eval';
import { present } from '../../src/core/present';
import { checkNumerically, flat, randomPoint } from './numeric';

const square = { kind: 'matrix', m: 'n', n: 'n' } as const;
const X = sym('X', { kind: 'matrix', m: 'm', n: 'n' });
const A = sym('A', square);
const B = sym('B', square);
const u = sym('u', { kind: 'vector', n: 'n' });
const gram = matmul(transpose(X), X);

describe('symmetric by structure', () => {
  const symmetric: [string, Expr][] = [
    ['XᵀX', gram],
    ['XXᵀ', matmul(X, transpose(X))],
    ['A + Aᵀ', add(A, transpose(A))],
    ['AB + BᵀAᵀ', add(matmul(A, B), matmul(transpose(B), transpose(A)))],
    ['diag(u)', fn('diag', u)],
    ['I', identity('n')],
    ['uuᵀ', matmul(u, transpose(u))],
    ['3XᵀX', mul(num(3), gram)],
    ['XᵀX + I', add(gram, identity('n'))],
    ['(XᵀX)⁻¹', inverse(gram)],
    ['AᵀXᵀXA', matmul(transpose(A), gram, A)],
    ['XᵀX ⊙ XᵀX', hadamard(gram, fn('exp', gram))],
    ['exp(XᵀX)', fn('exp', gram)],
  ];
  for (const [name, e] of symmetric)
    it(`${name} is symmetric: its transpose is itself`, () => {
      assert.ok(isSymmetric(e));
      assert.equal(transpose(e), e);
    });

  const general: [string, Expr][] = [
    ['A', A],
    ['AB', matmul(A, B)],
    ['A + B', add(A, B)],
    ['A + 2Aᵀ', add(A, mul(num(2), transpose(A)))],
    ['XᵀX + A', add(gram, A)],
    ['AᵀXᵀXB', matmul(transpose(A), gram, B)],
    ['A⁻¹', inverse(A)],
    ['XᵀX ⊙ A', hadamard(gram, A)],
  ];
  for (const [name, e] of general)
    it(`${name} is not known symmetric`, () => {
      assert.ok(!isSymmetric(e));
      assert.notEqual(key(transpose(e)), key(e));
    });

  it('a vector or a non-square matrix is never symmetric', () => {
    assert.ok(!isSymmetric(X));
    assert.ok(!isSymmetric(u));
    assert.ok(!isSymmetric(matmul(transpose(u), u)));
  });

  it('(XᵀX)⁻ᵀ is (XᵀX)⁻¹, and the two meet as like terms', () => {
    const inv = inverse(gram);
    assert.equal(transpose(inv), inv);
    assert.equal(key(add(inv, transpose(inv))), key(mul(num(2), inv)));
  });
});

describe('derivatives with symmetric matrices', () => {
  // X is tall for XᵀX and wide for XXᵀ, so that the product is invertible.
  const tall = { n: 4, m: 3 };
  const wide = { n: 3, m: 4 };
  const cases: { f: string; wrt: string; text: string; dims: Record<string, number> }[] = [
    // Was X((XᵀX)⁻¹ + (XᵀX)⁻ᵀ).
    { f: '\\ln\\det(X^\\top X)', wrt: 'X', text: '2X(XᵀX)⁻¹', dims: tall },
    // Was X(−(XᵀX)⁻¹(XᵀX)⁻¹ − (XᵀX)⁻ᵀ(XᵀX)⁻ᵀ).
    { f: '\\operatorname{tr}((X^\\top X)^{-1})', wrt: 'X', text: '−2X(XᵀX)⁻¹(XᵀX)⁻¹', dims: tall },
    {
      f: '\\mathbf{a}^\\top (X^\\top X)^{-1} \\mathbf{a}',
      wrt: 'X',
      text: '−2X(XᵀX)⁻¹aaᵀ(XᵀX)⁻¹',
      dims: wide,
    },
    { f: '\\ln\\det(X X^\\top)', wrt: 'X', text: '2(XXᵀ)⁻¹X', dims: wide },
  ];
  for (const c of cases)
    it(`${c.f} by ${c.wrt} = ${c.text}`, () => {
      assert.equal(differentiate(c.f, { wrt: [c.wrt] }).text, c.text);
      checkNumerically(c.f, { wrt: [c.wrt], dims: c.dims });
    });
});

describe('declarations of symmetric matrices', () => {
  const forms: [string, string][] = [
    ['\\Sigma \\in \\mathbb{S}^n', '["Sigma",["n","n"],true]'],
    ['\\Sigma \\in \\mathbb{S}^{n}_{++}', '["Sigma",["n","n"],true]'],
    ['\\Sigma \\in \\mathbb{S}^n_{+}', '["Sigma",["n","n"],true]'],
    ['\\Sigma \\in \\mathbb{S}_{++}^{3}', '["Sigma",[3,3],true]'],
    ['\\Sigma = \\Sigma^\\top', '["Sigma",[],true]'],
    ['\\Sigma^{T} = \\Sigma', '["Sigma",[],true]'],
    ['\\Sigma \\succ 0', '["Sigma",[],true]'],
    ['P \\succeq 0', '["P",[],true]'],
  ];
  for (const [text, expected] of forms)
    it(`reads ${text}`, () => {
      const [d] = parseLatexDeclarations(text);
      assert.equal(JSON.stringify([d.name, d.dims, d.symmetric]), expected);
      assert.equal(text.slice(d.span.start, d.span.end), text);
    });

  const errors: [string, string][] = [
    ['\\Sigma \\in \\mathbb{S}', 'expected the size of \\mathbb{S}, such as \\mathbb{S}^n'],
    ['\\Sigma = \\Lambda^\\top', 'expected \\in after the name, found ='],
    ['A = A^\\top B', 'unexpected B after the declaration'],
  ];
  for (const [text, message] of errors)
    it(`refuses ${text}`, () =>
      assert.throws(
        () => parseLatexDeclarations(text),
        (e: unknown) => e instanceof LensError && e.message.startsWith(message),
      ));

  it('finds the claims in a document, not an equation that goes on', () => {
    const found = findLatexDeclarations(
      'Let $\\Sigma = \\Sigma^\\top$, $A = A^\\top B$, $P \\succ 0$, $S \\in \\mathbb{S}^n_{++}$ and $Q^\\top = Q$.',
    );
    assert.deepEqual(
      found.map((d) => [d.name, d.dims, d.symmetric]),
      [
        ['Sigma', [], true],
        ['P', [], true],
        ['S', ['n', 'n'], true],
        ['Q', [], true],
      ],
    );
  });
});

describe('names declared symmetric', () => {
  const gaussian =
    '-\\frac12\\ln\\det\\Sigma - \\frac12(\\mathbf{x}-\\boldsymbol{\\mu})^\\top\\Sigma^{-1}(\\mathbf{x}-\\boldsymbol{\\mu})';
  for (const declaration of [
    '\\Sigma = \\Sigma^\\top',
    '\\Sigma \\in \\mathbb{S}^n_{++}',
    '\\Sigma \\succ 0',
  ])
    it(`the Gaussian log-likelihood by Σ, with ${declaration}, has no Σ⁻ᵀ`, () => {
      const options = { wrt: ['Sigma'], declarations: [declaration] };
      // Without the declaration: (Σ⁻ᵀ(x − μ)(x − μ)ᵀΣ⁻ᵀ − Σ⁻ᵀ)/2.
      assert.equal(differentiate(gaussian, options).text, '(Σ⁻¹(x − μ)(x − μ)ᵀΣ⁻¹ − Σ⁻¹)/2');
      checkNumerically(gaussian, options);
      assert.ok(
        differentiate(gaussian, options).assumptions.some(
          (a) =>
            a.text ===
            'Sigma symmetric: the derivative is the unconstrained one, simplified with each equal to its transpose',
        ),
      );
      assert.equal(differentiate(gaussian, { ...options, check: true }).check?.verdict, 'agrees');
    });

  it('𝐱ᵀA𝐱 with A = Aᵀ has gradient 2A𝐱', () => {
    const options = { declarations: ['A = A^\\top'] };
    const r = differentiate('\\mathbf{x}^\\top A \\mathbf{x}', options);
    assert.equal(r.text, '2·Ax');
    checkNumerically('\\mathbf{x}^\\top A \\mathbf{x}', options);
  });

  it('the function is differentiated as written: tr(ΣᵀB) by Σ is B (the unconstrained gradient)', () => {
    const options = { wrt: ['Sigma'], declarations: ['\\Sigma \\succ 0'] };
    const r = differentiate('\\operatorname{tr}(\\Sigma^\\top B)', options);
    assert.equal(r.input.text, 'tr(ΣᵀB)');
    assert.equal(r.text, 'B');
    checkNumerically('\\operatorname{tr}(\\Sigma^\\top B)', options);
  });

  it('a vector declared ≻ 0 is not a matrix: its entries are positive', () => {
    const r = differentiate('\\mathbf{x}^\\top\\mathbf{x}', { declarations: ['\\mathbf{x} \\succ 0'] });
    assert.equal(r.text, '2x');
    assert.ok(!r.assumptions.some((a) => a.text.includes('symmetric')));
    assert.equal(r.wrt[0].shape, 'vector(n)');
  });

  it('a name declared symmetric and not square is refused', () =>
    assert.throws(
      () =>
        differentiate('\\mathbf{x}^\\top \\Sigma \\mathbf{y}', {
          declarations: ['\\Sigma \\in \\mathbb{R}^{m \\times n}', '\\Sigma \\succ 0'],
        }),
      (e: unknown) =>
        e instanceof LensError && e.message === 'Sigma is declared symmetric, but is a matrix(m×n)',
    ));

  it('a value that is not symmetric is refused for a name declared symmetric', () =>
    assert.throws(
      () =>
        differentiate('\\operatorname{tr}(\\Sigma)', {
          declarations: ['\\Sigma \\succ 0'],
          at: {
            Sigma: [
              [1, 2],
              [3, 4],
            ],
          },
        }),
      (e: unknown) =>
        e instanceof LensError &&
        e.message === 'the value given for Sigma is not symmetric, but Sigma is declared symmetric',
    ));
});

describe('a common number out of a matrix sum', () => {
  const cases: [string, string][] = [
    // Was (A/2 + Aᵀ/2)x.
    ['\\frac12\\mathbf{x}^\\top A \\mathbf{x}', '(A + Aᵀ)x/2'],
    ['\\frac13 A\\mathbf{x} - \\frac23 B\\mathbf{x}', '(A − 2B)/3'],
    // Was Σ⁻ᵀ(x/2 − μ/2)(x − μ)ᵀΣ⁻ᵀ − Σ⁻ᵀ/2.
    [
      '-\\frac12\\ln\\det\\Sigma - \\frac12(\\mathbf{x}-\\boldsymbol{\\mu})^\\top\\Sigma^{-1}(\\mathbf{x}-\\boldsymbol{\\mu})',
      '(Σ⁻ᵀ(x − μ)(x − μ)ᵀΣ⁻ᵀ − Σ⁻ᵀ)/2',
    ],
  ];
  for (const [f, text] of cases)
    it(`${f} reads ${text}, and the form shown has the derivative's value`, () => {
      const wrt = f.includes('Sigma') ? ['Sigma'] : ['x'];
      assert.equal(differentiate(f, { wrt }).text, text);
      const d = derivation(f, { wrt, dims: { n: 3, m: 3 } });
      const env = randomPoint(d.program.declared, 3);
      const exact = flat(evaluate(d.parts[0].expr, env));
      const shown = flat(evaluate(present(d.parts[0].expr).expr, env));
      shown.forEach((x, i) => assert.ok(Math.abs(x - exact[i]) <= 1e-12 * Math.max(1, Math.abs(x))));
    });
});

describe('several names in one declaration', () => {
  it('A, B ∈ 𝕊ⁿ declares both symmetric; 𝐱, 𝐲 ∈ ℝⁿ both vectors', () => {
    const declarations = ['A, B \\in \\mathbb{S}^n'];
    const f = '\\mathbf{x}^\\top A\\mathbf{x} + \\mathbf{x}^\\top B\\mathbf{x}';
    assert.equal(differentiate(f, { wrt: ['x'], declarations }).text, '2(A + B)x');
    checkNumerically(f, { wrt: ['x'], declarations });
    const r = differentiate('\\operatorname{tr}(XY)', {
      declarations: ['X, Y \\in \\mathbb{R}^{n \\times n}'],
    });
    assert.deepEqual(
      r.wrt.map((v) => v.shape),
      ['matrix(n×n)', 'matrix(n×n)'],
    );
  });
});
