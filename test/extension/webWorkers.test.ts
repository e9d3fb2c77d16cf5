/**
 * The web build's transport (web/webWorkers.ts) under the extension's engine client, with a stand-in for
 * the browser's `Worker`: the same restart semantics as worker threads (test/extension/engineClient.test.ts).
 * The real web bundles run in test/scripts/web-bundle.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveObjectURL } from 'node:buffer';
import { EngineClient } from '../../src/extension/host/engineClient';
import { scriptUrl, webWorkers, type WebWorker } from '../../src/extension/web/webWorkers';
import type { WorkerReply, WorkerRequest } from '../../src/extension/shared/engineProtocol';

/** Every worker started, in order: a test answers, fails or ignores what each was sent. */
const started: FakeWorker[] = [];

/** The stand-in: says ready at once, answers `candidates` with the formula's text unless it is 'hang'. */
class FakeWorker implements WebWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  readonly received: WorkerRequest[] = [];
  terminated = false;

  constructor(
    readonly url: string,
    readonly options?: WorkerOptions,
  ) {
    started.push(this);
    this.send({ ready: true });
  }

  postMessage(message: unknown): void {
    const { id, request } = message as WorkerRequest;
    this.received.push(message as WorkerRequest);
    if (request.kind === 'candidates' && request.math.text !== 'hang')
      this.send({ id, ok: true, answer: [request.math.text] });
  }

  terminate(): void {
    this.terminated = true;
  }

  fail(message: string): void {
    setTimeout(() => this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent));
  }

  private send(reply: WorkerReply): void {
    setTimeout(() => {
      if (!this.terminated) this.onmessage?.({ data: reply } as MessageEvent);
    });
  }
}

const ask = (client: EngineClient, text: string, budgetMs = 2000) =>
  client.request(
    { kind: 'candidates', math: { text, range: { start: 0, end: text.length }, base: 0 } },
    budgetMs,
  );

function client(script: () => Promise<string> = async () => 'blob:engine') {
  started.length = 0;
  return new EngineClient(webWorkers(script, 'Jacobian Lens engine', FakeWorker));
}

test('requests sent while the script loads reach the worker, named, once it starts', async () => {
  let load!: (url: string) => void;
  const engine = client(() => new Promise((resolve) => (load = resolve)));
  try {
    const first = ask(engine, 'x');
    const second = ask(engine, 'y');
    await new Promise((done) => setTimeout(done, 20));
    assert.equal(started.length, 0);
    load('blob:engine');
    assert.deepEqual(await first, { kind: 'done', answer: ['x'] });
    assert.deepEqual(await second, { kind: 'done', answer: ['y'] });
    assert.equal(started.length, 1);
    assert.equal(started[0].url, 'blob:engine');
    assert.equal(started[0].options?.name, 'Jacobian Lens engine');
  } finally {
    engine.dispose();
  }
});

test('an error in the worker fails its request and ends it; the next request gets a new worker', async () => {
  const engine = client();
  try {
    const broken = ask(engine, 'hang');
    await new Promise((done) => setTimeout(done, 20));
    started[0].fail('Uncaught RangeError: Maximum call stack size exceeded');
    assert.deepEqual(await broken, {
      kind: 'crashed',
      why: 'Uncaught RangeError: Maximum call stack size exceeded',
      outOfMemory: false,
    });
    assert.equal(started[0].terminated, true);
    assert.deepEqual(await ask(engine, 'x'), { kind: 'done', answer: ['x'] });
    assert.equal(started.length, 2);
  } finally {
    engine.dispose();
  }
});

test('a worker past its budget is terminated, and a fresh one is ready for the next request', async () => {
  const engine = client();
  try {
    assert.deepEqual(await ask(engine, 'hang', 100), { kind: 'timeout', budgetMs: 100 });
    // The worker's own budget counts from when it could start on the request, a little after the caller's.
    for (let waited = 0; !started[0].terminated && waited < 2000; waited += 10)
      await new Promise((done) => setTimeout(done, 10));
    assert.equal(started[0].terminated, true);
    assert.equal(started.length, 2, 'no replacement started at once');
    assert.deepEqual(await ask(engine, 'x'), { kind: 'done', answer: ['x'] });
    assert.equal(started.length, 2);
  } finally {
    engine.dispose();
  }
  assert.equal(started[1].terminated, true, 'dispose left the worker running');
});

test('a script that cannot be fetched, or no Worker at all, is a crash with the reason, not a hang', async () => {
  const engine = client(() => Promise.reject(new Error('404 Not Found')));
  try {
    assert.deepEqual(await ask(engine, 'x'), {
      kind: 'crashed',
      why: 'Jacobian Lens engine did not start: 404 Not Found',
      outOfMemory: false,
    });
  } finally {
    engine.dispose();
  }
  const noWorkers = new EngineClient(webWorkers(async () => 'blob:engine', 'engine', undefined));
  assert.deepEqual(await ask(noWorkers, 'x'), {
    kind: 'crashed',
    why: 'this extension host cannot start Web Workers',
    outOfMemory: false,
  });
});

test('scriptUrl fetches the script once into a blob URL, and again after a failure', async () => {
  const source = 'postMessage({ ready: true });';
  const url = scriptUrl(`data:text/javascript,${encodeURIComponent(source)}`);
  const blob = await url();
  assert.match(blob, /^blob:/);
  assert.equal(await url(), blob);
  assert.equal(await resolveObjectURL(blob)?.text(), source);
  const missing = scriptUrl('data:text/javascript;base64,%%%');
  await assert.rejects(missing());
  await assert.rejects(missing(), 'a failed fetch was remembered instead of tried again');
});
