/**
 * The web build without Node: its bundles, built as `npm run build` builds them, run in V8 contexts that have
 * the web platform's globals and none of Node's (no `process`, `require`, `Buffer`), as in vscode.dev's
 * extension host. The workers are driven through the extension's own clients and Web Worker transport.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { webBundles } from '../../scripts/web-bundles.mjs';
import { contextStandIn, vscodeStandIn } from '../../bench/vscodeStandIn';
import { EngineClient } from '../../src/extension/host/engineClient';
import { Typesetter } from '../../src/extension/host/typeset';
import { webWorkers, type WebWorker } from '../../src/extension/web/webWorkers';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';

/** Bundle text by output file (dist/web/…). */
const bundles = new Map<string, string>();

before(async () => {
  await Promise.all(
    webBundles.map(async (options) => {
      const out = await build({ ...options, write: false, sourcemap: false, logLevel: 'silent' });
      bundles.set(options.outfile, out.outputFiles[0].text);
    }),
  );
});

/** What a Web Worker (and the web extension host) offers that the bundles may use: no Node global. */
function webContext(extra: Record<string, unknown>): vm.Context {
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    TextEncoder,
    TextDecoder,
    btoa,
    atob,
    crypto,
    performance,
    URL,
    ...extra,
  });
  vm.runInContext('globalThis.self = globalThis', context);
  assert.equal(
    vm.runInContext('[typeof process, typeof require, typeof Buffer, typeof global].join()', context),
    extra.require ? 'undefined,function,undefined,undefined' : 'undefined,undefined,undefined,undefined',
  );
  return context;
}

/** A Web Worker running a web bundle in a context of its own; messages are cloned and asynchronous. */
class VmWorker implements WebWorker {
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  onmessageerror: ((event: MessageEvent) => void) | null = null;
  private readonly listeners: ((event: { data: unknown }) => void)[] = [];
  private terminated = false;

  constructor(url: string) {
    const source = bundles.get(url);
    assert.ok(source, `no bundle ${url}`);
    const context = webContext({
      addEventListener: (type: string, listener: (event: { data: unknown }) => void) => {
        if (type === 'message') this.listeners.push(listener);
      },
      postMessage: (message: unknown) =>
        this.later(() => this.onmessage?.({ data: structuredClone(message) } as MessageEvent)),
    });
    vm.runInContext(source, context);
  }

  postMessage(message: unknown): void {
    this.later(() => {
      for (const listener of this.listeners) {
        try {
          listener({ data: structuredClone(message) });
        } catch (e) {
          this.onerror?.({ message: String(e), preventDefault: () => undefined } as ErrorEvent);
        }
      }
    });
  }

  terminate(): void {
    this.terminated = true;
  }

  private later(deliver: () => void): void {
    setTimeout(() => {
      if (!this.terminated) deliver();
    });
  }
}

test('the web bundles require nothing but vscode and name no Node global', () => {
  for (const [file, source] of bundles) {
    const required = new Set(
      [...source.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]),
    );
    assert.deepEqual([...required], file.endsWith('extension.js') ? ['vscode'] : [], file);
    assert.doesNotMatch(source, /\b(process|Buffer|__dirname|__filename|setImmediate)\b/, file);
  }
});

test("the web engine answers a hover through the extension's client and Web Worker transport", async () => {
  const client = new EngineClient(webWorkers(async () => 'dist/web/engineWorker.js', 'engine', VmWorker));
  try {
    const text = 'Let $f(x, y) = x^2 y$ here.';
    const reply = await client.request(
      {
        kind: 'hover',
        doc: { text, languageId: 'markdown' },
        where: text.indexOf('x^2'),
        settings: DEFAULT_SETTINGS,
        remembered: {},
      },
      60_000,
    );
    assert.equal(reply.kind, 'done');
    const outcome = reply.kind === 'done' ? reply.answer : undefined;
    assert.equal(outcome?.kind, 'result');
    if (outcome?.kind !== 'result') return;
    assert.deepEqual(
      outcome.result.wrt.map((v) => v.name),
      ['x', 'y'],
    );
    assert.match(outcome.result.latex.replace(/\s+/g, ''), /2xy.*x\^\{?2\}?/);
  } finally {
    client.dispose();
  }
});

test('the web MathJax worker typesets through the typesetter', async () => {
  const logs: string[] = [];
  const typesetter = new Typesetter(
    webWorkers(async () => 'dist/web/mathjax.js', 'mathjax', VmWorker),
    (m) => logs.push(m),
  );
  try {
    const svg = await typesetter.typeset('\\frac{\\partial f}{\\partial x} = 2xy', true, 60_000);
    assert.match(svg ?? '', /^<svg[\s\S]*<\/svg>$/, logs.join('\n'));
    assert.equal(await typesetter.typeset('\\frac{1}{', true, 60_000), undefined);
    assert.match(logs.join('\n'), /MathJax could not typeset \\frac\{1\}\{/);
  } finally {
    typesetter.dispose();
  }
});

test('the web entry point activates with only `vscode` to require', () => {
  const module = { exports: {} as { activate?: (context: unknown) => void } };
  const vscode = vscodeStandIn();
  const context = webContext({
    module,
    exports: module.exports,
    require: (name: string) => {
      if (name === 'vscode') return vscode;
      throw new Error(`the web build required ${name}`);
    },
  });
  vm.runInContext(bundles.get('dist/web/extension.js')!, context);
  assert.equal(typeof module.exports.activate, 'function');
  const extension = contextStandIn('/nowhere');
  module.exports.activate!(extension);
  assert.ok(extension.subscriptions.length > 5, 'activation registered nothing');
  for (const d of extension.subscriptions) d.dispose();
});
