/**
 * The notation every part reads and writes: Greek letters, the commands that
 * make a name bold, constants, and math environments. The parser, the
 * printers, the document scanner and the engine all derive their tables from
 * here, so a letter or an environment added once is known everywhere.
 * Imports nothing: a leaf for both the core and the extension.
 */

/** A Greek letter command: `\vartheta` is the letter `theta` (the same variable), pasted as `ϑ`. */
export interface GreekLetter {
  /** The command without `\`. */
  readonly command: string;
  /** The name it gives a variable: a `\var…` spelling is the same letter as the plain one. */
  readonly letter: string;
  /** The character people paste for it (none for the italic capitals `\varGamma` …). */
  readonly unicode?: string;
}

function letters(list: string): GreekLetter[] {
  return list.split(' ').map((entry) => {
    const [command, unicode, letter = command] = entry.split(':');
    return unicode === '' ? { command, letter } : { command, letter, unicode };
  });
}

// prettier-ignore
/** `command:unicode[:letter]`. The plain letters come first: their character is the one printed. */
export const GREEK_LETTERS: readonly GreekLetter[] = letters(
  'alpha:α beta:β gamma:γ delta:δ epsilon:ε zeta:ζ eta:η theta:θ iota:ι kappa:κ lambda:λ mu:μ nu:ν xi:ξ ' +
    'omicron:ο pi:π rho:ρ sigma:σ tau:τ upsilon:υ phi:φ chi:χ psi:ψ omega:ω ' +
    'Gamma:Γ Delta:Δ Theta:Θ Lambda:Λ Xi:Ξ Pi:Π Sigma:Σ Upsilon:Υ Phi:Φ Psi:Ψ Omega:Ω ell:ℓ ' +
    'varepsilon:ϵ:epsilon vartheta:ϑ:theta varkappa:ϰ:kappa varpi:ϖ:pi varrho:ϱ:rho varsigma:ς:sigma ' +
    'varphi:ϕ:phi ' +
    'varGamma::Gamma varDelta::Delta varTheta::Theta varLambda::Lambda varXi::Xi varPi::Pi ' +
    'varSigma::Sigma varUpsilon::Upsilon varPhi::Phi varPsi::Psi varOmega::Omega',
);

/** `\theta` → `theta`, `\varsigma` → `sigma` (command without `\` → letter). */
export const GREEK_COMMANDS: ReadonlyMap<string, string> = new Map(
  GREEK_LETTERS.map((g) => [g.command, g.letter]),
);

/** A letter's name → the character printed for it (`theta` → `θ`, `ell` → `ℓ`). */
export const GREEK_UNICODE: ReadonlyMap<string, string> = new Map(
  GREEK_LETTERS.filter((g) => g.command === g.letter).map((g) => [g.letter, g.unicode as string]),
);

/** Commands whose argument is a vector/matrix name (`\mathbf{x}`, `\pmb{x}`, `\vec 1`). */
export const BOLD_COMMANDS: ReadonlySet<string> = new Set([
  'mathbf',
  'boldsymbol',
  'bm',
  'vec',
  'textbf',
  'overrightarrow',
  'pmb',
  'mathbfit',
]);

/** Upright/text wrappers: one letter is a plain name, several letters name a function. */
export const TEXT_COMMANDS: ReadonlySet<string> = new Set([
  'mathrm',
  'text',
  'textrm',
  'textit',
  'textnormal',
  'textsf',
  'mathit',
  'mathsf',
  'mathnormal',
  'operatorname',
]);

/** `\hat{z}` is the name `z_hat`, `\dot{x}` the name `x_dot` (different variables from `z`, `x`). */
export const ACCENTS: ReadonlyMap<string, string> = new Map([
  ['hat', 'hat'],
  ['widehat', 'hat'],
  ['bar', 'bar'],
  ['overline', 'bar'],
  ['tilde', 'tilde'],
  ['widetilde', 'tilde'],
  // \dot{x} is a name of its own here (a velocity), not the derivative of x: nothing says by what.
  ['dot', 'dot'],
  ['ddot', 'ddot'],
]);

/** Named constants: Euler's number and π (as names, `e` and `\pi`), unless declared or bold. */
export const CONSTANTS: ReadonlySet<string> = new Set(['e', 'pi']);

/** `I`, `I_n`, `I_3`: the identity matrix (of that size when written). */
export const IDENTITY_NAME = /^I(?:_([a-z]|[1-9][0-9]*))?$/;

/** `\mathbf{1}`, `\mathbf{1}_n`: the ones vector. */
export function isOnesName(name: string): boolean {
  return name === '1' || /^1_[A-Za-z0-9]+$/.test(name);
}

/**
 * Whether a name as the parser gives it (`name`, bold or not) is a constant
 * rather than a variable when nothing declares it: e, π, the ones and zero
 * vectors, the identity.
 */
export function isConstantName(name: string, bold: boolean): boolean {
  return (
    (CONSTANTS.has(name) && !bold) || isOnesName(name) || (name === '0' && bold) || IDENTITY_NAME.test(name)
  );
}

/** A math environment, also written starred (`align*`) where LaTeX has that form. */
export interface MathEnvironment {
  readonly name: string;
  /** Starts display math in a document; the others (`aligned`, `split`) only occur inside one. */
  readonly display: boolean;
  /** `&` and `\\` lay it out (alignment marks, line breaks): not part of a formula. */
  readonly lines: boolean;
  /** Its `\\` separate equations (`multline` and `split` lines are one equation). */
  readonly rows: boolean;
  /** Takes the number of column pairs first (`\begin{alignat}{2}`), which is not part of the formula. */
  readonly columns: boolean;
  readonly starred: boolean;
}

function environment(name: string, flags: string): MathEnvironment {
  return {
    name,
    display: flags.includes('d'),
    lines: flags.includes('l') || flags.includes('r'),
    rows: flags.includes('r'),
    columns: flags.includes('c'),
    starred: flags.includes('*'),
  };
}

/** Flags: d display, l lines, r rows (equations), c a column count, * starred form. */
export const MATH_ENVIRONMENTS: readonly MathEnvironment[] = [
  environment('equation', 'd*'),
  environment('displaymath', 'd'),
  environment('math', 'd'),
  environment('align', 'dr*'),
  environment('gather', 'dr*'),
  environment('multline', 'dl*'),
  environment('flalign', 'dr*'),
  environment('alignat', 'drc*'),
  environment('eqnarray', 'dr*'),
  environment('aligned', 'r'),
  environment('gathered', 'r'),
  environment('alignedat', 'rc'),
  environment('split', 'l'),
];

/** The names of the environments that satisfy `test`, with their starred forms. */
export function environmentNames(test: (e: MathEnvironment) => boolean): Set<string> {
  return new Set(
    MATH_ENVIRONMENTS.filter(test).flatMap((e) => (e.starred ? [e.name, `${e.name}*`] : [e.name])),
  );
}

/** A regular expression source matching one of `names` (escaped; longest first, so `align` does not stop `aligned`). */
export function alternation(names: Iterable<string>): string {
  return [...names]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}
