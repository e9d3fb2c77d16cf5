/**
 * The scalar corpus every tool differentiates: from the seed notes (`3x^2y`,
 * `x + x^2`, `sin(x^2)`, sigmoid, softmax) and from everyday ML practice
 * (losses, activations, norms and log-sum-exp written out).
 *
 * `latex` is what a person would write and what we (and Compute Engine) read;
 * `plain` is the calculator syntax math.js, nerdamer, Algebrite and SymPy read
 * (`^` for powers, `log` is the natural log, `atan`, `exp`).
 */
export interface ScalarCase {
  /** Stable key; the SymPy size fixture is keyed by it. */
  readonly id: string;
  readonly latex: string;
  readonly plain: string;
  /** Differentiate with respect to this variable. */
  readonly wrt: string;
  /** Every free variable, for random evaluation points. */
  readonly vars: readonly string[];
  /** Interval random points are drawn from (inside the function's domain); default [0.2, 0.9]. */
  readonly domain?: readonly [number, number];
}

export const DEFAULT_DOMAIN: readonly [number, number] = [0.2, 0.9];

export const SCALAR_CORPUS: readonly ScalarCase[] = [
  // polynomials (from the notes' worked examples: 3x^2y, x + x^2, 2x + y^8)
  { id: 'cubic', latex: 'x^3 - 2x^2 + 5x - 7', plain: 'x^3 - 2*x^2 + 5*x - 7', wrt: 'x', vars: ['x'] },
  { id: '3x2y', latex: '3x^2y', plain: '3*x^2*y', wrt: 'x', vars: ['x', 'y'] },
  { id: '3x2y-y', latex: '3x^2y', plain: '3*x^2*y', wrt: 'y', vars: ['x', 'y'] },
  { id: 'x+x2', latex: 'x + x^2', plain: 'x + x^2', wrt: 'x', vars: ['x'] },
  { id: '2x+y8', latex: '2x + y^8', plain: '2*x + y^8', wrt: 'y', vars: ['x', 'y'] },
  { id: 'pow10', latex: '(x^2 + 1)^{10}', plain: '(x^2 + 1)^10', wrt: 'x', vars: ['x'] },
  {
    id: 'rosenbrock',
    latex: '(1 - x)^2 + 100(y - x^2)^2',
    plain: '(1 - x)^2 + 100*(y - x^2)^2',
    wrt: 'x',
    vars: ['x', 'y'],
  },
  {
    id: 'mixed-poly',
    latex: 'x^2y + y^3\\sin(x)',
    plain: 'x^2*y + y^3*sin(x)',
    wrt: 'x',
    vars: ['x', 'y'],
  },
  // rational functions
  { id: 'rational', latex: '\\frac{x^2 + 1}{x - 1}', plain: '(x^2 + 1)/(x - 1)', wrt: 'x', vars: ['x'] },
  { id: 'inv-square', latex: '\\frac{1}{x^2}', plain: '1/x^2', wrt: 'x', vars: ['x'] },
  { id: 'harmonic', latex: '\\frac{xy}{x + y}', plain: 'x*y/(x + y)', wrt: 'x', vars: ['x', 'y'] },
  // exp / log
  { id: 'exp2x', latex: 'e^{2x}', plain: 'exp(2*x)', wrt: 'x', vars: ['x'] },
  { id: 'gauss', latex: 'xe^{-x^2}', plain: 'x*exp(-x^2)', wrt: 'x', vars: ['x'] },
  { id: 'exp-sin', latex: 'e^{\\sin(x)}', plain: 'exp(sin(x))', wrt: 'x', vars: ['x'] },
  { id: 'xlogx', latex: 'x\\ln(x) - x', plain: 'x*log(x) - x', wrt: 'x', vars: ['x'] },
  { id: 'log-r2', latex: '\\ln(x^2 + y^2)', plain: 'log(x^2 + y^2)', wrt: 'x', vars: ['x', 'y'] },
  { id: 'x-pow-y', latex: 'x^{y}', plain: 'x^y', wrt: 'y', vars: ['x', 'y'] },
  {
    id: 'normal-pdf',
    latex: 'e^{-\\frac{(x - \\mu)^2}{2s^2}}',
    plain: 'exp(-(x - mu)^2/(2*s^2))',
    wrt: 'x',
    vars: ['x', 'mu', 's'],
  },
  // trig and compositions (seed: sin(x^2))
  { id: 'sin-x2', latex: '\\sin(x^2)', plain: 'sin(x^2)', wrt: 'x', vars: ['x'] },
  { id: 'sincos', latex: '\\sin(x)\\cos(x)', plain: 'sin(x)*cos(x)', wrt: 'x', vars: ['x'] },
  { id: 'sinc', latex: '\\frac{\\sin(x)}{x}', plain: 'sin(x)/x', wrt: 'x', vars: ['x'] },
  { id: 'log-cos', latex: '\\ln(\\cos(x))', plain: 'log(cos(x))', wrt: 'x', vars: ['x'] },
  { id: 'cos-poly', latex: '\\cos(x^3 + 2x)', plain: 'cos(x^3 + 2*x)', wrt: 'x', vars: ['x'] },
  { id: 'exp-times-sin', latex: 'e^{x}\\sin(x)', plain: 'exp(x)*sin(x)', wrt: 'x', vars: ['x'] },
  { id: 'nested-trig', latex: '\\sin(\\cos(\\tan(x)))', plain: 'sin(cos(tan(x)))', wrt: 'x', vars: ['x'] },
  {
    id: 'atan-ratio',
    latex: '\\arctan\\left(\\frac{y}{x}\\right)',
    plain: 'atan(y/x)',
    wrt: 'x',
    vars: ['x', 'y'],
  },
  // activations
  { id: 'sigmoid', latex: '\\frac{1}{1 + e^{-x}}', plain: '1/(1 + exp(-x))', wrt: 'x', vars: ['x'] },
  { id: 'tanh', latex: '\\tanh(x)', plain: 'tanh(x)', wrt: 'x', vars: ['x'] },
  {
    id: 'tanh-written',
    latex: '\\frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}',
    plain: '(exp(x) - exp(-x))/(exp(x) + exp(-x))',
    wrt: 'x',
    vars: ['x'],
  },
  { id: 'softplus', latex: '\\ln(1 + e^{x})', plain: 'log(1 + exp(x))', wrt: 'x', vars: ['x'] },
  { id: 'swish', latex: '\\frac{x}{1 + e^{-x}}', plain: 'x/(1 + exp(-x))', wrt: 'x', vars: ['x'] },
  {
    id: 'log-sigmoid',
    latex: '\\ln\\left(\\frac{1}{1 + e^{-x}}\\right)',
    plain: 'log(1/(1 + exp(-x)))',
    wrt: 'x',
    vars: ['x'],
  },
  // softmax component (seed), log-sum-exp and norms written out
  {
    id: 'softmax-diag',
    latex: '\\frac{e^{x}}{e^{x} + e^{y} + e^{z}}',
    plain: 'exp(x)/(exp(x) + exp(y) + exp(z))',
    wrt: 'x',
    vars: ['x', 'y', 'z'],
  },
  {
    id: 'softmax-off',
    latex: '\\frac{e^{x}}{e^{x} + e^{y} + e^{z}}',
    plain: 'exp(x)/(exp(x) + exp(y) + exp(z))',
    wrt: 'y',
    vars: ['x', 'y', 'z'],
  },
  {
    id: 'logsumexp',
    latex: '\\ln(e^{x} + e^{y} + e^{z})',
    plain: 'log(exp(x) + exp(y) + exp(z))',
    wrt: 'x',
    vars: ['x', 'y', 'z'],
  },
  {
    id: 'norm3',
    latex: '\\sqrt{x^2 + y^2 + z^2}',
    plain: 'sqrt(x^2 + y^2 + z^2)',
    wrt: 'x',
    vars: ['x', 'y', 'z'],
  },
  {
    id: 'normalize',
    latex: '\\frac{x}{\\sqrt{x^2 + y^2}}',
    plain: 'x/sqrt(x^2 + y^2)',
    wrt: 'x',
    vars: ['x', 'y'],
  },
  { id: 'sqrt-1px2', latex: '\\sqrt{1 + x^2}', plain: 'sqrt(1 + x^2)', wrt: 'x', vars: ['x'] },
  { id: 'rsqrt', latex: '\\frac{1}{\\sqrt{x}}', plain: '1/sqrt(x)', wrt: 'x', vars: ['x'] },
  // losses
  {
    id: 'squared-error',
    latex: '(wx + b - y)^2',
    plain: '(w*x + b - y)^2',
    wrt: 'w',
    vars: ['w', 'x', 'b', 'y'],
  },
  {
    id: 'bce',
    latex: '-(y\\ln(p) + (1 - y)\\ln(1 - p))',
    plain: '-(y*log(p) + (1 - y)*log(1 - p))',
    wrt: 'p',
    vars: ['y', 'p'],
  },
  {
    id: 'bce-logits',
    latex: '-y\\ln\\left(\\frac{1}{1 + e^{-x}}\\right) - (1 - y)\\ln\\left(1 - \\frac{1}{1 + e^{-x}}\\right)',
    plain: '-y*log(1/(1 + exp(-x))) - (1 - y)*log(1 - 1/(1 + exp(-x)))',
    wrt: 'x',
    vars: ['x', 'y'],
  },
];
