import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withChoice } from '../../src/extension/shared/documents';

test('a remembered variable choice is the newest; an empty choice forgets the formula', () => {
  const stored = { 'x^2 y': ['x'], 'a b': ['a'] };
  assert.deepEqual(Object.entries(withChoice(stored, 'x^2 y', ['y'], 10)), [
    ['a b', ['a']],
    ['x^2 y', ['y']],
  ]);
  assert.deepEqual(withChoice(stored, 'x^2 y', [], 10), { 'a b': ['a'] });
});

test('only the newest choices are kept', () => {
  const stored = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, ['x']]));
  assert.deepEqual(Object.keys(withChoice(stored, 'g', ['y'], 3)), ['f3', 'f4', 'g']);
});

test('a formula named like a property of Object.prototype is an ordinary key', () => {
  for (const key of ['__proto__', 'constructor', 'valueOf', 'hasOwnProperty', 'toString']) {
    const all = withChoice({}, key, ['x'], 10);
    assert.ok(Object.hasOwn(all, key), key);
    assert.deepEqual(all[key], ['x']);
    assert.equal(Object.getPrototypeOf(all), Object.prototype, key);
    assert.deepEqual(JSON.parse(JSON.stringify(all)), { [key]: ['x'] });
  }
});
