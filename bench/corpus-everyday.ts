/**
 * A second scalar corpus, written before any tuning for speed and never tuned on: the
 * everyday expressions a person hovers — products of several factors, quotients, chains
 * of compositions, physics and statistics formulas. The bench reports it beside the main
 * corpus so a speed-up that only fits the first corpus shows.
 */
import type { ScalarCase } from './corpus';

const c = (id: string, latex: string, plain: string, wrt: string, vars: string[]): ScalarCase => ({
  id,
  latex,
  plain,
  wrt,
  vars,
});

export const EVERYDAY_CORPUS: readonly ScalarCase[] = [
  // products of several factors
  c('xyz', 'xyz', 'x*y*z', 'x', ['x', 'y', 'z']),
  c('x2y3z', 'x^2y^3z', 'x^2*y^3*z', 'y', ['x', 'y', 'z']),
  c('x-exp-sin', 'x e^{x}\\sin(x)', 'x*exp(x)*sin(x)', 'x', ['x']),
  c('x2-ln-cos', 'x^2\\ln(x)\\cos(x)', 'x^2*log(x)*cos(x)', 'x', ['x']),
  c('prod-binomials', '(x + 1)(x + 2)(x + 3)', '(x + 1)*(x + 2)*(x + 3)', 'x', ['x']),
  c('prod-powers', '(x^2 + y)^3(x - y)^2', '(x^2 + y)^3*(x - y)^2', 'x', ['x', 'y']),
  c('sin-cos-tan', '\\sin(x)\\cos(y)\\tan(x)', 'sin(x)*cos(y)*tan(x)', 'x', ['x', 'y']),
  c('sqrt-prod', '\\sqrt{x}\\,y^2 e^{-y}', 'sqrt(x)*y^2*exp(-y)', 'y', ['x', 'y']),
  // quotients
  c('quot-lin', '\\frac{2x + 3}{5x - 7}', '(2*x + 3)/(5*x - 7)', 'x', ['x']),
  c('quot-poly', '\\frac{x^3 - x}{x^2 + 4}', '(x^3 - x)/(x^2 + 4)', 'x', ['x']),
  c('quot-two-vars', '\\frac{x^2 - y^2}{x^2 + y^2}', '(x^2 - y^2)/(x^2 + y^2)', 'y', ['x', 'y']),
  c('quot-exp', '\\frac{e^{x}}{1 + x^2}', 'exp(x)/(1 + x^2)', 'x', ['x']),
  c('quot-trig', '\\frac{\\sin(x)}{1 + \\cos(x)}', 'sin(x)/(1 + cos(x))', 'x', ['x']),
  c('quot-log', '\\frac{\\ln(x)}{x^2}', 'log(x)/x^2', 'x', ['x']),
  c('quot-nested', '\\frac{x}{1 + \\frac{x}{1 + x}}', 'x/(1 + x/(1 + x))', 'x', ['x']),
  c('quot-sqrt', '\\frac{x}{\\sqrt{x^2 + 1}}', 'x/sqrt(x^2 + 1)', 'x', ['x']),
  // compositions
  c('exp-exp', 'e^{e^{x}}', 'exp(exp(x))', 'x', ['x']),
  c('ln-ln', '\\ln(\\ln(x + 2))', 'log(log(x + 2))', 'x', ['x']),
  c('sin-sqrt', '\\sin(\\sqrt{x^2 + 1})', 'sin(sqrt(x^2 + 1))', 'x', ['x']),
  c('cos-exp', '\\cos(e^{2x} - x)', 'cos(exp(2*x) - x)', 'x', ['x']),
  c('sqrt-ln', '\\sqrt{\\ln(x + 3)}', 'sqrt(log(x + 3))', 'x', ['x']),
  c('tanh-lin', '\\tanh(3x - 2y)', 'tanh(3*x - 2*y)', 'y', ['x', 'y']),
  c('pow-sin', '\\sin(x)^3', 'sin(x)^3', 'x', ['x']),
  c('exp-cos-sin', 'e^{\\cos(\\sin(x))}', 'exp(cos(sin(x)))', 'x', ['x']),
  c('atan-sq', '\\arctan(x^2)', 'atan(x^2)', 'x', ['x']),
  c('asin-half', '\\arcsin\\left(\\frac{x}{2}\\right)', 'asin(x/2)', 'x', ['x']),
  // powers with variable exponents
  c('x-pow-x', 'x^{x}', 'x^x', 'x', ['x']),
  c('two-pow-x', '2^{x}', '2^x', 'x', ['x']),
  c('x-pow-sin', 'x^{\\sin(x)}', 'x^sin(x)', 'x', ['x']),
  // physics and statistics
  c('kinetic', '\\frac{1}{2}mv^2', '1/2*m*v^2', 'v', ['m', 'v']),
  c('gravity', '\\frac{g m q}{r^2}', 'g*m*q/r^2', 'r', ['g', 'm', 'q', 'r']),
  c('damped', 'e^{-kt}\\cos(wt)', 'exp(-k*t)*cos(w*t)', 't', ['k', 't', 'w']),
  c('logistic-growth', '\\frac{k}{1 + e^{-r(t - c)}}', 'k/(1 + exp(-r*(t - c)))', 't', ['k', 'r', 't', 'c']),
  c(
    'gaussian-pdf',
    '\\frac{1}{s\\sqrt{2\\pi}}e^{-\\frac{x^2}{2s^2}}',
    '1/(s*sqrt(2*pi))*exp(-x^2/(2*s^2))',
    's',
    ['x', 's'],
  ),
  c('poisson-log', 'k\\ln(l) - l - \\ln(k + 1)', 'k*log(l) - l - log(k + 1)', 'l', ['k', 'l']),
  c('lj', '\\frac{1}{r^{12}} - \\frac{2}{r^{6}}', '1/r^12 - 2/r^6', 'r', ['r']),
  // machine-learning pieces written out
  c('huber-quad', '\\frac{1}{2}(y - wx - b)^2', '1/2*(y - w*x - b)^2', 'b', ['y', 'w', 'x', 'b']),
  c('log-cosh', '\\ln(\\cosh(x - y))', 'log(cosh(x - y))', 'x', ['x', 'y']),
  c('gelu-tanh', 'x\\tanh(x + x^3)', 'x*tanh(x + x^3)', 'x', ['x']),
  c('softsign', '\\frac{x}{1 + x^2}', 'x/(1 + x^2)', 'x', ['x']),
  c('mish-like', 'x\\tanh(\\ln(1 + e^{x}))', 'x*tanh(log(1 + exp(x)))', 'x', ['x']),
  c('weighted-bce', '-wy\\ln(p) - (1 - y)\\ln(1 - p)', '-w*y*log(p) - (1 - y)*log(1 - p)', 'p', [
    'w',
    'y',
    'p',
  ]),
];
