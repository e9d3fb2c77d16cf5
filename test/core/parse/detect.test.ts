import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectLanguage } from '../../../src/core/parse/detect';

test('LaTeX marks win', () => {
  for (const input of [
    '\\frac{1}{x}',
    '\\|x\\|_2^2',
    '$x^2 + y$',
    'x^{2} + y',
    'x_{1} \\cdot y',
    'w_{ij} x_j',
    // A backslash outweighs TypeScript-looking marks.
    '\\sin(x) ** 2',
  ]) {
    assert.equal(detectLanguage(input), 'latex', input);
  }
});

test('TypeScript marks', () => {
  for (const input of [
    'Math.exp(-x*x) * Math.cos(y)',
    '(x: number, y: number) => x * y',
    'x => x * x',
    'x ** 2',
    'const f = (x) => x * x',
    '  let y = x * x',
    'var y = 2 * x',
    'function f(x) { return x * x }',
    'return x * x',
    'export const f = (x: number) => x',
    'x * y;',
    'x * y;  \n',
  ]) {
    assert.equal(detectLanguage(input), 'ts', input);
  }
});

test('plain math goes to the LaTeX parser', () => {
  for (const input of [
    'x*y + sin(x)',
    '3x^2y',
    'x_1 * x_2',
    'exp(-x^2)',
    'constant * x',
    'returns + 1',
    '[x, y]',
  ]) {
    assert.equal(detectLanguage(input), 'latex', input);
  }
});
