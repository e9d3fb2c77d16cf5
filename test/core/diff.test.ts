/** The differential's memo: each shared subexpression differentiated once, however large the function. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { differential } from '../../src/core/diff';
import { type Expr, SCALAR, postorder, make } from '../../src/core/expr';
import { ONE, fn, mul, num, sym } from '../../src/core/simplify';
import { evaluate } from '../../src/core/eval';

/** `e` + `e`, `depth` times: 2^{depth} paths to `e`. */
function doubled(e: Expr, depth: number): Expr {
  for (let i = 0; i < depth; i++) e = make.add([e, e], SCALAR);
  return e;
}

describe('differential', () => {
  const x = sym('x');
  // Without the memo this would not finish: the timeout makes that a failure.
  it(
    'differentiates a shared subexpression once, before and after its memo grows past a few nodes',
    { timeout: 30_000 },
    () => {
      // 2^{60} paths over a chain of 40 distinct nodes: done once per node, this finishes.
      let chain: Expr = x;
      for (let i = 1; i <= 40; i++) chain = fn(i % 2 ? 'sin' : 'exp', mul(num(i), chain));
      for (const f of [doubled(fn('sin', x), 60), doubled(chain, 60), fn('cos', doubled(chain, 60))]) {
        const df = differential(f, x, ONE, { conditions: [] });
        assert.ok(postorder([df]).length < 2000);
      }
    },
  );

  it('gives the derivative of a shared subexpression (numerically)', () => {
    const g = fn('sin', mul(num(3), x));
    const f = doubled(g, 5); // 32 sin(3x)
    const df = differential(f, x, ONE, { conditions: [] });
    const at = 0.7;
    const value = evaluate(df, new Map([['x', at]])) as number;
    assert.ok(Math.abs(value - 32 * 3 * Math.cos(3 * at)) < 1e-9, String(value));
  });
});
