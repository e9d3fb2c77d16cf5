import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DifferentiateOptions } from '../../src/core/api';
import { checkDerivation, DEFAULT_SIZE, withConcreteSizes } from '../../src/core/check';
import { derivation } from '../../src/core/derivation';
import { differentiate } from '../../src/core/differentiate';
import { mul, num } from '../../src/core/simplify';
import { run } from '../../src/cli/main';

const RELU = '\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)';

function check(expression: string, options: DifferentiateOptions = {}) {
  return differentiate(expression, { ...options, check: true }).check!;
}

test('agrees on scalar, vector, matrix and piecewise examples at random points', () => {
  for (const [expression, options] of [
    ['3x^2y', {}],
    ['\\sin(x)e^{y}', {}],
    ['\\mathbf{x}^\\top A\\mathbf{x}', {}],
    ['\\mathbf{x}^\\top A\\mathbf{x}', { op: 'hessian' }],
    ['\\operatorname{softmax}(\\mathbf{x})', {}],
    ['\\operatorname{softmax}(\\mathbf{x})', { layout: 'denominator' }],
    ['\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', { wrt: ['W'] }],
    ['\\|W\\mathbf{x}+\\mathbf{b}-\\mathbf{y}\\|^2', { wrt: ['W'], op: 'derivative' }],
    ['(y - \\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b))^2', { wrt: ['w', 'b'] }],
    [RELU, { wrt: ['w'], op: 'derivative' }],
    ['[\\ln(x^2), \\sin(3x)]', {}],
    ['\\ln\\det(X)', { wrt: ['X'] }],
  ] as [string, DifferentiateOptions][]) {
    const c = check(expression, options);
    assert.equal(c.verdict, 'agrees', `${expression}: ${c.message}`);
    assert.ok(c.maxRelativeError < 1e-6, `${expression}: ${c.maxRelativeError}`);
  }
});

test('symbolic sizes get DEFAULT_SIZE entries; the same seed gives the same point', () => {
  const c = check('\\mathbf{x}^\\top A\\mathbf{x}');
  assert.equal((c.point.x as number[]).length, DEFAULT_SIZE);
  assert.equal((c.point.A as number[][]).length, DEFAULT_SIZE);
  assert.deepEqual(check('\\mathbf{x}^\\top A\\mathbf{x}').point, c.point);
});

test("the user's point is used", () => {
  const c = check('f(x,y)=3x^2y', { at: { x: 1, y: 2 } });
  assert.equal(c.verdict, 'agrees');
  assert.deepEqual(c.point, { x: 1, y: 2 });
  assert.match(c.message, /at x = 1, y = 2$/);
});

test('kinks are reported as not differentiable, not as failures', () => {
  const abs = check('|x|', { at: { x: 0 } });
  assert.equal(abs.verdict, 'not-differentiable');
  assert.match(abs.message, /x = 0/);
  const relu = check(RELU, { wrt: ['w'], at: { w: [1, 2], x: [1, -1], b: 1 } });
  assert.equal(relu.verdict, 'not-differentiable', relu.message);
  // Off the kink both branches check out.
  assert.equal(check(RELU, { wrt: ['w'], at: { w: [1, 2], x: [1, 1], b: 1 } }).verdict, 'agrees');
  assert.equal(check(RELU, { wrt: ['w'], at: { w: [1, 2], x: [-1, -1], b: 1 } }).verdict, 'agrees');
  // ‖x‖ is smooth where one component is 0 (only x = 0 is a kink).
  assert.equal(check('\\|\\mathbf{x}\\|', { at: { x: [0, 1, 2] } }).verdict, 'agrees');
});

test('a wrong derivative is caught with its relative error', () => {
  const d = withConcreteSizes(derivation('\\mathbf{x}^\\top A\\mathbf{x}'), (dims) =>
    derivation('\\mathbf{x}^\\top A\\mathbf{x}', { dims }),
  );
  const wrong = { ...d, parts: d.parts.map((p) => ({ ...p, expr: mul(num(2), p.expr) })) };
  const c = checkDerivation(wrong);
  assert.equal(c.verdict, 'disagrees');
  assert.ok(c.maxRelativeError > 0.1);
  assert.match(c.message, /^disagrees with finite differences: relative error/);
});

test('CLI --check prints the verdict and exits 0 when it agrees or at a kink', () => {
  const lines: string[] = [];
  assert.equal(
    run(
      ['--check', '--at', '{"x":1,"y":2}', 'f(x,y)=3x^2y'],
      (s) => lines.push(s),
      () => {},
    ),
    0,
  );
  assert.match(lines[lines.length - 1], /^ {2}check: agrees with central finite differences/);
  const kink: string[] = [];
  assert.equal(
    run(
      ['--check', '--at', '{"x":0}', '|x|'],
      (s) => kink.push(s),
      () => {},
    ),
    0,
  );
  assert.match(kink[kink.length - 1], /not differentiable here/);
});
