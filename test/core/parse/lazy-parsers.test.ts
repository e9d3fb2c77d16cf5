import assert from 'node:assert/strict';
import { it } from 'node:test';
import { differentiate } from '../../../src/core';

// Each test file runs in a process of its own, so the module cache starts with none of the parsers.
const loaded = (pkg: string) =>
  Object.keys(require.cache).some((file) => file.includes(`node_modules/${pkg}/`));

it('loads Babel and @lezer/python only for TypeScript and Python input', () => {
  assert.equal(differentiate('x^2 \\sin x', { wrt: ['x'] }).text, 'x(x·cos(x) + 2·sin(x))');
  assert.equal(loaded('@babel/parser'), false);
  assert.equal(loaded('@lezer/python'), false);
  assert.equal(differentiate('Math.exp(x) * y', { wrt: ['x'] }).text, 'y·exp(x)');
  assert.equal(loaded('@babel/parser'), true);
  assert.equal(loaded('@lezer/python'), false);
  assert.equal(differentiate('np.exp(x) * y', { wrt: ['x'], lang: 'python' }).text, 'y·exp(x)');
  assert.equal(loaded('@lezer/python'), true);
});
