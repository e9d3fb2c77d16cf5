import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COPY_FORMATS, readWebviewMessage } from '../../src/extension/webviewMessages';

test('the known messages are read with their fields', () => {
  assert.deepEqual(readWebviewMessage({ type: 'ready' }, 0), { type: 'ready' });
  assert.deepEqual(readWebviewMessage({ type: 'layout', layout: 'denominator' }, 0), {
    type: 'layout',
    layout: 'denominator',
  });
  assert.deepEqual(readWebviewMessage({ type: 'wrt', wrt: ['x', 3, 'A'] }, 0), {
    type: 'wrt',
    wrt: ['x', 'A'],
  });
  assert.deepEqual(readWebviewMessage({ type: 'at', point: 'x=1' }, 0), { type: 'at', point: 'x=1' });
  assert.deepEqual(readWebviewMessage({ type: 'layouts', both: 'yes' }, 0), { type: 'layouts', both: false });
  for (const format of COPY_FORMATS)
    assert.deepEqual(readWebviewMessage({ type: 'copy', format }, 0), { type: 'copy', format });
  assert.deepEqual(readWebviewMessage({ type: 'history', index: 2 }, 3), { type: 'history', index: 2 });
});

test('a copy format that is not one of the known ones is ignored', () => {
  for (const format of ['html', '', 'constructor', '__proto__', 'toString', 1, null, undefined, ['latex']])
    assert.equal(readWebviewMessage({ type: 'copy', format }, 0), undefined, String(format));
});

test('a history index must be an integer within the history shown', () => {
  for (const index of [3, 10, -1, 0.5, NaN, Infinity, '0', null, undefined, [0]])
    assert.equal(readWebviewMessage({ type: 'history', index }, 3), undefined, String(index));
  assert.equal(readWebviewMessage({ type: 'history', index: 0 }, 0), undefined);
});

test('anything else a webview posts is ignored', () => {
  for (const m of [
    null,
    'ready',
    42,
    [],
    {},
    { type: 'eval' },
    { type: 'constructor' },
    { type: 'layout', layout: 'x' },
  ])
    assert.equal(readWebviewMessage(m, 5), undefined, JSON.stringify(m));
  assert.equal(readWebviewMessage({ type: 'at', point: 1 }, 0), undefined);
  assert.equal(readWebviewMessage({ type: 'wrt', wrt: 'x' }, 0), undefined);
  assert.equal(readWebviewMessage({ type: 'op' }, 0), undefined);
  assert.equal(readWebviewMessage({ type: 'steps', view: {} }, 0), undefined);
});
