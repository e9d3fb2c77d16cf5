import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from '../../../src/core/functions';
import * as runtime from '../../../src/core/emit/runtime';
import { NUMPY_RUNTIME, TS_RUNTIME } from '../../../src/core/emit/runtimeSource';

test('the helpers of exported TypeScript compute what they are named for', () => {
  const a = [
    [2, 1],
    [1, 3],
  ];
  const { inv, det } = runtime.inverseAndDet(a);
  assert.equal(det, 5);
  const identity = [1, 0, 0, 1];
  assert.ok(
    runtime
      .matmul(a, inv)
      .flat()
      .every((p, i) => Math.abs(p - identity[i]) < 1e-12),
  );
  // A zero pivot after pivoting: singular, NaN inverse and determinant 0.
  assert.equal(
    runtime.inverseAndDet([
      [1, 2],
      [2, 4],
    ]).det,
    0,
  );
  assert.deepEqual(runtime.kron([[1, 2]], [[1], [10]]), [
    [1, 2],
    [10, 20],
  ]);
  const s = runtime.softmax([1, 2, 3]);
  assert.ok(Math.abs(runtime.vsum(s) - 1) < 1e-12);
  // Shifted by the largest entry: no overflow where exp(1000) is Infinity.
  assert.equal(runtime.logsumexp([1000, 1000]), 1000 + Math.log(2));
  assert.deepEqual(runtime.matvec(a, [1, 1]), [3, 4]);
  assert.deepEqual(runtime.vecmat([1, 1], a), [3, 4]);
  assert.equal(runtime.trace(a), 5);
  assert.equal(runtime.sigmoid(0), 0.5);
});

test('every exported TypeScript helper is in the generated table, as its source without `export`', () => {
  const names = Object.keys(runtime).sort();
  assert.deepEqual(Object.keys(TS_RUNTIME).sort(), names);
  for (const name of names)
    assert.match(TS_RUNTIME[name], new RegExp(`^(/\\*\\*.*\\*/\\n)?function ${name}\\(`));
  for (const f of ELEMENTWISE_FUNCTIONS) {
    const helper = ELEMENTWISE[f].ts.helper;
    if (helper) assert.ok(helper in TS_RUNTIME, `${f}'s helper ${helper} is in runtime.ts`);
  }
});

test(
  'the NumPy helpers are a module python3 compiles',
  { skip: !hasPython() && 'python3 is not installed' },
  () => {
    assert.deepEqual(Object.keys(NUMPY_RUNTIME).sort(), ['logsumexp', 'softmax']);
    const file = join(__dirname, '../../../src/core/emit/runtime.py');
    const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file]);
    assert.equal(r.status, 0, r.stderr?.toString());
  },
);

function hasPython(): boolean {
  return spawnSync('python3', ['--version']).status === 0;
}
