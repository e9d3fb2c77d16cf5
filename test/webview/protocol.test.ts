import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COPY_FORMATS, readWebviewMessage } from '../../src/webview/protocol';

test('every message the webview script sends is read back as it was sent', () => {
  const sent = [
    { type: 'ready' },
    { type: 'op', op: 'auto' },
    { type: 'op', op: 'hessian' },
    { type: 'layout', layout: 'denominator' },
    { type: 'wrt', wrt: ['x', 'W'] },
    { type: 'wrt', wrt: [] },
    { type: 'at', point: 'x=1, y=[1, 2]' },
    ...COPY_FORMATS.map((format) => ({ type: 'copy', format })),
    { type: 'steps', view: 'none' },
    { type: 'steps', view: 'all' },
    { type: 'layouts', both: true },
    { type: 'history', index: 0 },
    { type: 'history', index: 9 },
  ];
  for (const m of sent) assert.deepEqual(readWebviewMessage(m), m);
});

test('a message with a field of the wrong type or range is ignored, not coerced', () => {
  const rejected: unknown[] = [
    null,
    'ready',
    42,
    {},
    { type: 'curl' },
    { type: 'op', op: 'curl' },
    { type: 'op', op: 'derivative' },
    { type: 'layout', layout: 'denominatr' },
    { type: 'wrt', wrt: 'x' },
    { type: 'wrt', wrt: ['x', 1] },
    { type: 'wrt', wrt: Array.from({ length: 1000 }, () => 'x') },
    { type: 'at', point: 1 },
    { type: 'at', point: 'x'.repeat(100_000) },
    { type: 'copy', format: 'html' },
    { type: 'copy', format: 'constructor' },
    { type: 'copy' },
    { type: 'steps', view: 'some' },
    { type: 'layouts', both: 'yes' },
    { type: 'history', index: -1 },
    { type: 'history', index: 1.5 },
    { type: 'history', index: '0' },
    { type: 'history', index: Number.NaN },
    { type: 'history', index: 2 ** 60 },
    { type: 'history' },
  ];
  for (const m of rejected) assert.equal(readWebviewMessage(m), undefined, JSON.stringify(m)?.slice(0, 80));
});

test('only the fields of the protocol are passed on', () => {
  assert.deepEqual(readWebviewMessage({ type: 'ready', extra: { __proto__: { polluted: true } } }), {
    type: 'ready',
  });
  assert.deepEqual(readWebviewMessage({ type: 'history', index: 2, evil: 'x' }), {
    type: 'history',
    index: 2,
  });
});
