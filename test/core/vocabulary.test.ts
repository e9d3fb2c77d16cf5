import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differentiate, LensError } from '../../src/core';
import { parseLatex } from '../../src/core/parse/latex';
import { tokenize } from '../../src/core/parse/latex-lexer';
import { BOLD_COMMANDS, CONSTANTS, GREEK_LETTERS } from '../../src/core/vocabulary';
import { checkNumerically } from './numeric';

/** Every Greek command → the character the text printer writes for it (a `\var…` spelling is the same letter). */
const PRINTED: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  omicron: 'ο',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Upsilon: 'Υ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  ell: 'ℓ',
  varepsilon: 'ε',
  vartheta: 'θ',
  varkappa: 'κ',
  varpi: 'π',
  varrho: 'ρ',
  varsigma: 'σ',
  varphi: 'φ',
  varGamma: 'Γ',
  varDelta: 'Δ',
  varTheta: 'Θ',
  varLambda: 'Λ',
  varXi: 'Ξ',
  varPi: 'Π',
  varSigma: 'Σ',
  varUpsilon: 'Υ',
  varPhi: 'Φ',
  varPsi: 'Ψ',
  varOmega: 'Ω',
};

describe('one vocabulary: every Greek letter', () => {
  it('the table above covers the vocabulary', () => {
    assert.deepEqual(GREEK_LETTERS.map((g) => g.command).sort(), Object.keys(PRINTED).sort());
  });

  for (const { command, letter, unicode } of GREEK_LETTERS) {
    it(`\\${command} lexes, parses, prints to LaTeX and back, and prints ${PRINTED[command]} in text`, () => {
      assert.deepEqual(
        tokenize(`\\${command}`).map((t) => [t.kind, t.text]),
        [
          ['cmd', command],
          ['eof', ''],
        ],
      );
      assert.deepEqual(parseLatex(`\\${command}`).body, {
        type: 'ident',
        name: letter,
        style: 'plain',
        span: { start: 0, end: command.length + 1 },
      });
      // d(x·g)/dx = g: the letter comes out on its own in both printers.
      const r = differentiate(`x \\${command}`, { wrt: ['x'] });
      assert.equal(r.latex, `\\${letter}`);
      assert.equal(r.text, PRINTED[command]);
      assert.equal(differentiate(`x ${r.latex}`, { wrt: ['x'] }).latex, r.latex);
      // Pasted as a character, it is the same letter.
      if (unicode !== undefined) assert.equal(differentiate(`x ${unicode}`, { wrt: ['x'] }).latex, r.latex);
      // --wrt takes the command as written (not π, a constant).
      if (!CONSTANTS.has(letter)) {
        // Greek capitals other than Δ name matrices: ∂tr(ΣᵀΣ)/∂Σ = 2Σ as ∂g²/∂g = 2g.
        const matrix = /^[A-Z]/.test(letter) && letter !== 'Delta';
        const g = `\\${command}`;
        const d = differentiate(matrix ? `\\operatorname{tr}(${g}^\\top ${g})` : `${g}^2`, { wrt: [g] });
        assert.deepEqual(
          d.wrt.map((v) => v.name),
          [letter],
        );
        assert.equal(d.text, `2${PRINTED[command]}`);
      }
    });
  }
});

describe('one vocabulary: bold commands', () => {
  for (const command of BOLD_COMMANDS) {
    it(`--wrt '\\${command}{x}' names the vector written \\${command}{x}`, () => {
      const formula = `\\${command}{a}^\\top \\${command}{x} + \\|\\${command}{x}\\|^2`;
      const r = differentiate(formula, { wrt: [`\\${command}{x}`] });
      assert.deepEqual(
        r.wrt.map((v) => v.name),
        ['x'],
      );
      assert.equal(r.shape, 'vector(n)');
      checkNumerically(formula, { wrt: [`\\${command}{x}`] }, { seed: 3 });
    });
  }
});

describe('one vocabulary: environments', () => {
  it('alignat and eqnarray wrap a formula; the column count of alignat is not part of it', () => {
    assert.equal(differentiate('\\begin{alignat*}{2} y &= x^3 \\end{alignat*}').text, '3x²');
    assert.equal(differentiate('\\begin{alignat}{2} y &= x^3 \\end{alignat}').text, '3x²');
    assert.equal(differentiate('\\begin{eqnarray} y &=& x^3 \\end{eqnarray}').text, '3x²');
  });
});

describe('one vocabulary: names given to wrt as written', () => {
  it('accents and brace-less wrappers name the variable the parser reads', () => {
    const wrt = (formula: string, name: string) =>
      differentiate(formula, { wrt: [name] }).wrt.map((v) => v.name);
    assert.deepEqual(wrt('\\hat{z}^2 + z', '\\hat{z}'), ['z_hat']);
    assert.deepEqual(wrt('\\bar{x}^2', '\\overline{x}'), ['x_bar']);
    assert.deepEqual(wrt('\\hat{\\theta}_1^2', '\\hat{\\theta}_1'), ['theta_hat_1']);
    assert.deepEqual(wrt('\\vec x^\\top \\vec x', '\\vec x'), ['x']);
    assert.deepEqual(wrt('\\hat{\\mathbf{x}}^\\top \\mathbf{x}', '\\hat{\\mathbf{x}}'), ['x_hat']);
  });

  it('a name with thousands of wrappers is refused quickly, as any unknown name', () => {
    const deep = '\\hat{'.repeat(20000) + 'z' + '}'.repeat(20000);
    assert.throws(() => differentiate('z^2', { wrt: [deep] }), LensError);
  });
});
