/**
 * Every node has one runtime layout (expr.ts, `Node`): a node built another way (an object
 * literal, a spread) would give V8 another hidden class, and the reads of `e.type` that see it
 * megamorphic again. Not a matter of correctness, but of a quarter of the core's time.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { type DifferentiateOptions } from '../../src/core';
import { derivation } from '../../src/core/derivation';
import { type Expr, make, postorder } from '../../src/core/expr';
import { presentAll } from '../../src/core/present';

const INPUTS: readonly [string, DifferentiateOptions][] = [
  ['3x_1^2 + 5e^{x_2}', {}],
  ['\\frac{x}{1 + \\frac{x}{1 + x}}', { wrt: ['x'] }],
  ['\\mathbf{x}^\\top A \\mathbf{x}', {}],
  ['\\operatorname{softmax}(W\\mathbf{x})', { wrt: ['x'] }],
  ['\\log\\det(X^{-1} + I)', { wrt: ['X'] }],
  ['\\sigma(\\mathbf{x}) \\odot \\mathbf{y} + \\mathbf{1}^\\top\\mathbf{x}', { wrt: ['x'] }],
  ['\\begin{bmatrix} x^2 \\\\ \\sin(y) \\end{bmatrix}', {}],
  ['f(x^2) + |x| + \\max(x, 0)', { wrt: ['x'] }],
  ['A X B', { wrt: ['X'], op: 'jacobian' }],
  ['Math.exp(-x*x) * Math.cos(y)', { lang: 'ts' }],
  ['np.tanh(W @ x).sum()', { lang: 'python', wrt: ['x'] }],
];

test('every node the core builds, from the input to the result shown, has the one layout', () => {
  const layout = Reflect.ownKeys(make.num(1, 1));
  const prototype = Object.getPrototypeOf(make.num(1, 1)) as object;
  const types = new Set<string>();
  for (const [input, options] of INPUTS) {
    const d = derivation(input, options);
    const shown = presentAll(d.parts.map((p) => p.expr));
    const roots: Expr[] = [
      d.program.body,
      ...d.parts.map((p) => p.expr),
      ...shown.exprs,
      ...shown.definitions.flatMap((x) => [x.symbol, x.value]),
    ];
    for (const node of postorder(roots)) {
      types.add(node.type);
      assert.equal(
        Object.getPrototypeOf(node),
        prototype,
        `${input}: a ${node.type} node built as a literal`,
      );
      assert.deepEqual(Reflect.ownKeys(node), layout, `${input}: a ${node.type} node with another layout`);
    }
  }
  // The inputs reach every node type.
  const all = ['num', 'sym', 'special', 'add', 'mul', 'pow', 'fn', 'matmul', 'transpose', 'inverse'];
  for (const t of [...all, 'hadamard', 'block', 'kron', 'apply', 'piecewise'])
    assert.ok(types.has(t), `no ${t} node met`);
});
