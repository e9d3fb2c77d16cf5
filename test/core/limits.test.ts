/** The result-size bound: exact on distinct nodes however a result is counted on the way. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LensError } from '../../src/core/errors';
import { type Expr, SCALAR, make } from '../../src/core/expr';
import { MAX_RESULT_SIZE, ResultSize } from '../../src/core/limits';
import { sym } from '../../src/core/simplify';

/** x₀ + x₀, then (that) + (that), … `depth` times: 2·depth references, 2^{depth+1} − 2 along every path. */
function doubled(depth: number): Expr {
  let e: Expr = sym('x');
  for (let i = 0; i < depth; i++) e = make.add([e, e], SCALAR);
  return e;
}

/** A sum of `n` distinct names: n references. */
function wide(n: number, prefix = 'x'): Expr {
  return make.add(
    Array.from({ length: n }, (_, i) => sym(`${prefix}_${i}`)),
    SCALAR,
  );
}

const tooLarge = (e: unknown) => e instanceof LensError && e.message.startsWith('the result has more than');

describe('ResultSize', () => {
  it('counts a shared node once, though its paths are far more than the bound', () => {
    const size = new ResultSize();
    // 2^{41} paths, 80 references.
    size.add(doubled(40));
    size.add(doubled(40));
    size.add(wide(10));
  });

  it('refuses distinct references past the bound, counted across parts', () => {
    const size = new ResultSize();
    size.add(wide(MAX_RESULT_SIZE / 2, 'a'));
    assert.throws(() => size.add(wide(MAX_RESULT_SIZE / 2 + 1, 'b')), tooLarge);
  });

  it('counts the parts added while small again, each node once, when counting becomes exact', () => {
    const size = new ResultSize();
    const part = wide(1000);
    for (let i = 0; i < 3; i++) size.add(part);
    // 2^{31} paths: counted exactly from here, the parts before included once (1000 + 60 references).
    size.add(doubled(30));
    size.add(wide(MAX_RESULT_SIZE - 1060, 'c'));
    assert.throws(() => size.add(wide(1, 'd')), tooLarge);
  });
});
