/**
 * The extension host's side of MathJax: a worker running `serveTypesetting`
 * (typesetter/mathjax.ts), started on first use, with a time budget per
 * request and a small cache. A request that misses its budget still finishes
 * in the worker and fills the cache, so hovering again shows the typeset result.
 */
import type { TypesetReply, TypesetRequest } from '../typesetter/mathjax';
import type { Transport, TypesetTransportFactory } from './transport';

const CACHE_SIZE = 64;

export class Typesetter {
  private worker: Transport<TypesetRequest> | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (reply: TypesetReply) => void>();
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly startWorker: TypesetTransportFactory,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts MathJax loading in the background, so the next request is quick. */
  warmUp(): void {
    try {
      this.start();
    } catch (e) {
      this.log(`MathJax worker did not start: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * The SVG for `tex`, or undefined when it is not ready within `budgetMs`
   * (or MathJax cannot read it: that is logged, and the caller shows text).
   */
  async typeset(tex: string, display: boolean, budgetMs: number): Promise<string | undefined> {
    const key = `${display ? 'D' : 'I'}${tex}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const done = this.request(tex, display).then((reply) => {
      if ('error' in reply) {
        this.log(`MathJax could not typeset ${tex}: ${reply.error}`);
        return undefined;
      }
      this.remember(key, reply.svg);
      return reply.svg;
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, budgetMs, undefined)));
    try {
      return await Promise.race([done, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private async request(tex: string, display: boolean): Promise<TypesetReply> {
    const id = this.nextId++;
    try {
      const worker = this.start();
      return await new Promise((resolve) => {
        this.pending.set(id, resolve);
        worker.postMessage({ id, tex, display });
      });
    } catch (e) {
      return { id, error: `the worker did not start: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private start(): Transport<TypesetRequest> {
    if (this.worker) return this.worker;
    // A crashed worker fails what it had in hand; the next request starts a new one.
    const worker: Transport<TypesetRequest> = this.startWorker({
      message: (reply) => {
        this.pending.get(reply.id)?.(reply);
        this.pending.delete(reply.id);
      },
      exited: (why) => {
        this.log(`MathJax worker stopped: ${why}`);
        if (this.worker === worker) this.worker = undefined;
        for (const [id, resolve] of this.pending) resolve({ id, error: why });
        this.pending.clear();
      },
    });
    this.worker = worker;
    return worker;
  }

  private remember(key: string, svg: string): void {
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, svg);
  }
}
