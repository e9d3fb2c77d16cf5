/** Piecewise derivatives: which functions can have one, and lifting through shared subexpressions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derivation } from '../../src/core/derivation';
import { type Expr, SCALAR, children, make } from '../../src/core/expr';
import { liftPiecewise, mayBranch } from '../../src/core/piecewise';
import { fn, num, piecewise, sym } from '../../src/core/simplify';
import { EVERYDAY_CORPUS } from '../../bench/corpus-everyday';
import { SCALAR_CORPUS } from '../../bench/corpus';

/** `e` + `e`, `depth` times: 2^{depth} paths to the bottom. */
function doubled(e: Expr, depth: number): Expr {
  for (let i = 0; i < depth; i++) e = make.add([e, e], SCALAR);
  return e;
}

function hasPiecewise(e: Expr, seen = new Set<Expr>()): boolean {
  if (e.type === 'piecewise') return true;
  if (seen.has(e)) return false;
  seen.add(e);
  return children(e).some((c) => hasPiecewise(c, seen));
}

describe('mayBranch', () => {
  const x = sym('x');
  it('is true for a max, a min or a piecewise node anywhere in the function', () => {
    assert.equal(mayBranch(fn('sin', fn('max', num(0), x))), true);
    assert.equal(mayBranch(doubled(fn('min', x, num(1)), 30)), true);
    const relu = piecewise([
      { value: x, when: { op: '>', lhs: x, rhs: num(0) } },
      { value: num(0), when: { op: '<=', lhs: x, rhs: num(0) } },
    ]);
    assert.equal(mayBranch(doubled(relu, 30)), true);
  });

  it('is false otherwise, however many paths the function has', () => {
    assert.equal(mayBranch(doubled(fn('sin', x), 40)), false);
  });

  it('is false only where no derivative (first or second) has a piecewise node', () => {
    const corpus = [...SCALAR_CORPUS, ...EVERYDAY_CORPUS, { latex: '\\max(0, x^2 - 1) \\sin x', wrt: 'x' }];
    for (const { latex, wrt } of corpus) {
      for (const op of ['gradient', 'hessian'] as const) {
        const d = derivation(latex, { wrt: [wrt], op });
        if (!mayBranch(d.program.body))
          for (const p of d.parts) assert.equal(hasPiecewise(p.expr), false, `${latex} (${op})`);
      }
    }
  });
});

describe('liftPiecewise', () => {
  it('finds a piecewise node under many shared paths', () => {
    const x = sym('x');
    const cases = piecewise([
      { value: x, when: { op: '>', lhs: x, rhs: num(0) } },
      { value: num(0), when: { op: '<=', lhs: x, rhs: num(0) } },
    ]);
    const lifted = liftPiecewise(fn('exp', doubled(fn('sin', cases), 40)));
    assert.equal(lifted.type, 'piecewise');
    assert.equal(hasPiecewise(lifted.type === 'piecewise' ? lifted.cases[0].value : lifted), false);
  });
});
