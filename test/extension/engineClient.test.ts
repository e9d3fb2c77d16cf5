import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { CANCELLED_GRACE_MS, EngineClient, type Cancellation } from '../../src/extension/host/engineClient';
import type { EngineReply } from '../../src/extension/shared/engineProtocol';
import { ENGINE_LIMITS, workerThreads } from '../../src/extension/desktop/workerThreads';
import type { LocatedMath } from '../../src/extension/shared/domain';

const engineWorker = path.join(__dirname, 'engine-worker.mjs');
const stubWorker = path.join(__dirname, 'stub-engine-worker.mjs');

/** A client on the stand-in engine, counting the workers it starts. */
function stubClient(limits = ENGINE_LIMITS) {
  const factory = workerThreads(stubWorker, limits);
  const counted = { starts: 0 };
  const client = new EngineClient((events) => {
    counted.starts++;
    return factory(events);
  });
  return { client, counted };
}

const math = (text: string): LocatedMath => ({ text, range: { start: 0, end: text.length }, base: 0 });
const ask = (client: EngineClient, text: string, budgetMs = 2000, token?: Cancellation) =>
  client.request({ kind: 'candidates', math: math(text) }, budgetMs, token);

/** A cancellation source with VS Code's token shape. */
function cancellation() {
  const listeners: (() => void)[] = [];
  const token: Cancellation & { cancel(): void } = {
    isCancellationRequested: false,
    onCancellationRequested(listener) {
      listeners.push(listener);
      return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
    },
    cancel() {
      (this as { isCancellationRequested: boolean }).isCancellationRequested = true;
      for (const l of [...listeners]) l();
    },
  };
  return token;
}

test('the engine worker answers hover, locate, differentiate and candidates', async () => {
  const client = new EngineClient(workerThreads(engineWorker, ENGINE_LIMITS));
  try {
    const text = 'Let $\\mathbf{x} \\in \\mathbb{R}^n$ and $\\mathbf{x}^\\top A \\mathbf{x}$ here.';
    const doc = { text, languageId: 'markdown' };
    const where = text.indexOf('^\\top A');
    // The first request waits for the worker to load the engine: a generous budget.
    const hover = await client.request(
      {
        kind: 'hover',
        doc,
        where,
        settings: DEFAULT_SETTINGS,
        remembered: { '\\mathbf{x}^\\top A \\mathbf{x}': ['A'] },
      },
      30_000,
    );
    assert.equal(hover.kind, 'done');
    const shown = hover.kind === 'done' ? hover.answer : undefined;
    assert.equal(shown?.kind, 'result');
    if (shown?.kind !== 'result') return;
    // The remembered choice for this formula is applied in the worker.
    assert.deepEqual(
      shown.result.wrt.map((v) => v.name),
      ['A'],
    );
    assert.deepEqual(
      shown.declarations.map((d) => d.name),
      ['x'],
    );
    assert.equal('code' in shown.result, false, 'a hover never pays for the exported code');

    const located = await client.request({ kind: 'locate', doc, where }, 5000);
    assert.equal(located.kind, 'done');
    const found = located.kind === 'done' ? located.answer : undefined;
    assert.equal(found?.math.text, '\\mathbf{x}^\\top A \\mathbf{x}');
    assert.equal(found?.worth, true);
    if (!found) return;

    const outcome = await client.request(
      {
        kind: 'differentiate',
        doc,
        math: found.math,
        settings: DEFAULT_SETTINGS,
        overrides: { work: { code: true } },
      },
      5000,
    );
    assert.equal(outcome.kind, 'done');
    const derived = outcome.kind === 'done' ? outcome.answer : undefined;
    assert.equal(derived?.kind, 'result');
    if (derived?.kind !== 'result') return;
    assert.equal(derived.result.latex, '\\left(A + A^\\top\\right) \\mathbf{x}');
    assert.match(derived.result.code?.ts ?? '', /function/);
    assert.match(derived.result.code?.numpy ?? '', /def /);

    const candidates = await client.request({ kind: 'candidates', math: found.math }, 5000);
    assert.deepEqual(candidates, { kind: 'done', answer: ['x', 'A'] });

    const none = await client.request(
      { kind: 'hover', doc, where: 1, settings: DEFAULT_SETTINGS, remembered: {} },
      5000,
    );
    assert.deepEqual(none, { kind: 'done', answer: undefined });
  } finally {
    client.dispose();
  }
});

test('a request past its budget times out, its worker is dropped, and the next request gets a fresh one', async () => {
  const { client, counted } = stubClient();
  try {
    assert.deepEqual(await ask(client, 'warm', 30_000), { kind: 'done', answer: ['warm'] });
    const started = performance.now();
    const stuck = ask(client, 'spin', 300);
    const behind = ask(client, 'queued behind it', 30_000);
    assert.deepEqual(await stuck, { kind: 'timeout', budgetMs: 300 });
    assert.ok(performance.now() - started < 300 + 5000, 'the caller is answered about its budget');
    // The request queued behind the stuck one is not lost: it runs on the next worker.
    assert.deepEqual(await behind, { kind: 'done', answer: ['queued behind it'] });
    assert.equal(counted.starts, 2);
    assert.deepEqual(await ask(client, 'after'), { kind: 'done', answer: ['after'] });
  } finally {
    client.dispose();
  }
});

test('the time a new worker takes to load the engine is not counted in a budget', async () => {
  const client = new EngineClient(workerThreads(path.join(__dirname, 'slow-start-engine-worker.mjs')));
  try {
    assert.deepEqual(await ask(client, 'first', 200), { kind: 'done', answer: ['first'] });
    assert.deepEqual(await ask(client, 'spin', 200), { kind: 'timeout', budgetMs: 200 });
    // Asked while the next worker loads (600 ms), with a budget shorter than that.
    assert.deepEqual(await ask(client, 'cheap right after', 200), {
      kind: 'done',
      answer: ['cheap right after'],
    });
  } finally {
    client.dispose();
  }
});

test('a queued request whose caller stopped waiting is dropped, not run', async () => {
  const { client, counted } = stubClient();
  try {
    await ask(client, 'warm', 30_000);
    const stuck = ask(client, 'spin', 2000);
    // This one's budget ends while the stuck one still holds the worker; had it run, it would spin too.
    assert.deepEqual(await ask(client, 'spin', 200), { kind: 'timeout', budgetMs: 200 });
    assert.equal((await stuck).kind, 'timeout');
    assert.deepEqual(await ask(client, 'next', 30_000), { kind: 'done', answer: ['next'] });
    assert.equal(counted.starts, 2, 'only the first spin was run (and its worker dropped)');
  } finally {
    client.dispose();
  }
});

test('a worker out of memory fails its request saying so; the next request works', async () => {
  const { client } = stubClient({ maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 });
  try {
    const reply = await ask(client, 'hog', 60_000);
    assert.equal(reply.kind, 'crashed');
    assert.equal(reply.kind === 'crashed' && reply.outOfMemory, true);
    assert.deepEqual(await ask(client, 'fine', 30_000), { kind: 'done', answer: ['fine'] });
  } finally {
    client.dispose();
  }
});

test('a worker that exits fails its request; the requests queued behind it run on a fresh worker', async () => {
  const { client, counted } = stubClient();
  try {
    const dying = ask(client, 'exit', 30_000);
    const queued = ask(client, 'queued', 30_000);
    const reply = await dying;
    assert.equal(reply.kind, 'crashed');
    assert.equal(reply.kind === 'crashed' && reply.outOfMemory, false);
    assert.match(reply.kind === 'crashed' ? reply.why : '', /code 3/);
    assert.deepEqual(await queued, { kind: 'done', answer: ['queued'] });
    assert.equal(counted.starts, 2);
  } finally {
    client.dispose();
  }
});

test('an error the worker caught is a failure of that request only', async () => {
  const { client, counted } = stubClient();
  try {
    assert.deepEqual(await ask(client, 'throw', 30_000), { kind: 'failed', why: 'a bug' });
    assert.deepEqual(await ask(client, 'ok'), { kind: 'done', answer: ['ok'] });
    assert.equal(counted.starts, 1);
  } finally {
    client.dispose();
  }
});

test('cancelled requests: a queued one is dropped at once, an already-cancelled one never sent', async () => {
  const { client, counted } = stubClient();
  try {
    await ask(client, 'warm', 30_000);
    const stuck = ask(client, 'spin', 1500);
    const token = cancellation();
    const queued = ask(client, 'spin', 30_000, token);
    const started = performance.now();
    token.cancel();
    assert.deepEqual(await queued, { kind: 'cancelled' });
    assert.ok(performance.now() - started < 1000, 'not held until the stuck request ends');
    assert.deepEqual(await ask(client, 'x', 30_000, token), { kind: 'cancelled' });
    assert.equal((await stuck).kind, 'timeout');
    assert.deepEqual(await ask(client, 'then', 30_000), { kind: 'done', answer: ['then'] });
    assert.equal(counted.starts, 2, 'the cancelled spin never ran');
  } finally {
    client.dispose();
  }
});

test('a cancelled running request keeps the worker at most the grace period', async () => {
  const { client, counted } = stubClient();
  try {
    await ask(client, 'warm', 30_000);
    const token = cancellation();
    const running = ask(client, 'spin', 60_000, token);
    const next = ask(client, 'next', 60_000);
    setTimeout(() => token.cancel(), 50);
    assert.deepEqual(await running, { kind: 'cancelled' });
    const started = performance.now();
    // Without the grace period this would wait out the 60 s budget.
    assert.deepEqual(await next, { kind: 'done', answer: ['next'] });
    assert.ok(performance.now() - started < CANCELLED_GRACE_MS + 10_000);
    assert.equal(counted.starts, 2);
  } finally {
    client.dispose();
  }
});

test('many concurrent requests are answered in order, each with its own answer', async () => {
  const { client } = stubClient();
  try {
    const order: number[] = [];
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        ask(client, String(i), 60_000).then((reply) => {
          order.push(i);
          return reply;
        }),
      ),
    );
    assert.deepEqual(
      replies,
      Array.from({ length: 100 }, (_, i): EngineReply<readonly string[]> => ({
        kind: 'done',
        answer: [String(i)],
      })),
    );
    assert.deepEqual(
      order,
      Array.from({ length: 100 }, (_, i) => i),
    );
  } finally {
    client.dispose();
  }
});

test('disposing answers whatever was asked as cancelled', async () => {
  const { client } = stubClient();
  const running = ask(client, 'spin', 60_000);
  const queued = ask(client, 'queued', 60_000);
  client.dispose();
  assert.deepEqual(await running, { kind: 'cancelled' });
  assert.deepEqual(await queued, { kind: 'cancelled' });
});
