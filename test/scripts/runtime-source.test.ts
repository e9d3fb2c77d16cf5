import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GENERATED, runtimeSource } from '../../scripts/runtime-source.mjs';

test('src/core/emit/runtimeSource.ts is current with runtime.ts and runtime.py (node scripts/runtime-source.mjs)', async () => {
  assert.equal(readFileSync(GENERATED, 'utf8'), await runtimeSource());
});
