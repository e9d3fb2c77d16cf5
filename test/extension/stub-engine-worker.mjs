// A stand-in engine for the client's tests: it speaks the worker protocol
// (engineProtocol.ts) and answers a `candidates` request with the formula's
// text, except for the texts that make it misbehave as a real engine might
// on a pathological formula: run forever, or allocate without bound.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', ({ id, request }) => {
  const text = request.math.text;
  if (text === 'spin') for (;;);
  if (text === 'hog') {
    const kept = [];
    for (;;) kept.push(new Array(1e5).fill(kept.length));
  }
  if (text === 'exit') process.exit(3);
  if (text === 'throw') {
    parentPort.postMessage({ id, ok: false, why: 'a bug' });
    return;
  }
  parentPort.postMessage({ id, ok: true, answer: [text] });
});
parentPort.postMessage({ ready: true });
