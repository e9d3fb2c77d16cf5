/**
 * Our derivatives are never larger than SymPy's `diff` output for the same
 * expression, by tree size (defined in BENCHMARKS.md). SymPy's sizes are a
 * committed fixture so this test needs no Python; regenerate it with
 * `npm run bench -- --sympy-sizes` after changing bench/corpus.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SCALAR_CORPUS } from '../../bench/corpus';
import { ourSize } from '../../bench/ours';
import fixture from '../../bench/sympy-sizes.json';

interface SympySize {
  readonly plain: string;
  readonly wrt: string;
  readonly diff: string;
  readonly diffSize: number;
}

const sizes: Readonly<Record<string, SympySize>> = fixture.sizes;

describe('result size against SymPy diff', () => {
  test('the corpus has at least 30 expressions and the fixture matches it', () => {
    assert.ok(SCALAR_CORPUS.length >= 30, `only ${SCALAR_CORPUS.length} expressions`);
    for (const c of SCALAR_CORPUS) {
      const s = sizes[c.id];
      assert.ok(s, `${c.id} has no SymPy size: run npm run bench -- --sympy-sizes`);
      assert.deepEqual(
        { plain: s.plain, wrt: s.wrt },
        { plain: c.plain, wrt: c.wrt },
        `${c.id} changed since the fixture was made: run npm run bench -- --sympy-sizes`,
      );
    }
  });

  for (const c of SCALAR_CORPUS) {
    test(`d/d${c.wrt} ${c.latex}`, () => {
      const sympy = sizes[c.id];
      const ours = ourSize(c);
      assert.ok(
        ours <= sympy.diffSize,
        `our result has ${ours} nodes, SymPy's ${sympy.diff} has ${sympy.diffSize}`,
      );
    });
  }
});
