/**
 * The extension host's side of the engine: every locate and differentiate
 * runs in a worker (`engineWorker.ts`), so the editor never waits on the core.
 * Each request has a time budget; a worker past it, or dead (out of memory,
 * crashed), is dropped and the next request starts a fresh one. Written
 * against `Transport` only (transport.ts: no `vscode`, no Node import): the
 * desktop plugs in a `worker_threads` worker, the web build a Web Worker.
 */
import type {
  EngineAnswers,
  EngineReply,
  EngineRequest,
  RequestKind,
  WorkerReply,
  WorkerRequest,
} from '../shared/engineProtocol';
import type { EngineTransportFactory, Transport } from './transport';

type EngineTransport = Transport<WorkerRequest>;

/** The shape of VS Code's `CancellationToken`, without depending on `vscode`. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/**
 * How long a cancelled request may keep the worker. A hover is cancelled as soon as the mouse moves on;
 * the request is most often about done, and a new worker costs more (~100 ms to start and load the
 * engine) than letting it finish. One still running after this long may take its whole budget, so the
 * worker is dropped rather than left to hold up the requests queued behind it.
 */
export const CANCELLED_GRACE_MS = 100;

/** A worker that has not loaded the engine after this long is taken as stuck. */
export const STARTUP_LIMIT_MS = 10_000;

interface Job {
  readonly id: number;
  readonly request: EngineRequest;
  readonly budgetMs: number;
  readonly resolve: (reply: EngineReply<unknown>) => void;
  settled: boolean;
  cancelled: boolean;
  /** Its caller's budget ran out while a worker was loading the engine: it gets a new one once loaded. */
  postponed: boolean;
  deadline?: ReturnType<typeof setTimeout>;
  /** When the worker could start on it (it was sent, and the worker was ready). */
  startedAt?: number;
  killTimer?: ReturnType<typeof setTimeout>;
  cleanup: () => void;
}

/**
 * Requests run one at a time, in the order asked. A caller waits at most its budget (counted from when it
 * asked, queue included); the worker works at most a request's budget on it (counted from when it started:
 * a request that waited in the queue is still given its full time or dropped if nobody waits for it).
 * Loading the engine in a new worker (a few hundred ms) is no request's fault: a caller whose budget ends while
 * that happens gets its budget again once the engine is loaded, so that the cheap hover right after a
 * dropped worker does not say "took too long".
 */
export class EngineClient {
  private transport: EngineTransport | undefined;
  /** The transport's worker has loaded the engine. */
  private ready = false;
  private running: Job | undefined;
  private readonly queue: Job[] = [];
  private nextId = 0;

  constructor(private readonly start: EngineTransportFactory) {}

  request<K extends RequestKind>(
    request: Extract<EngineRequest, { kind: K }>,
    budgetMs: number,
    token?: Cancellation,
  ): Promise<EngineReply<EngineAnswers[K]>> {
    if (token?.isCancellationRequested) return Promise.resolve({ kind: 'cancelled' });
    return new Promise((resolve) => {
      const cancel = token?.onCancellationRequested(() => this.cancelled(job));
      const job: Job = {
        id: this.nextId++,
        request,
        budgetMs,
        resolve: resolve as (reply: EngineReply<unknown>) => void,
        settled: false,
        cancelled: false,
        postponed: false,
        cleanup: () => {
          clearTimeout(job.deadline);
          cancel?.dispose();
        },
      };
      job.deadline = setTimeout(() => this.timedOut(job), budgetMs);
      this.queue.push(job);
      this.next();
    });
  }

  /** Starts a worker ahead of requests, so that the first finds the engine loaded. */
  warmUp(): void {
    try {
      this.open();
    } catch {
      // The next request reports why.
    }
  }

  /** Stops the worker; whatever was asked is answered `cancelled`. */
  dispose(): void {
    const running = this.running;
    this.drop();
    for (const job of [...(running ? [running] : []), ...this.queue.splice(0)])
      this.settle(job, { kind: 'cancelled' });
  }

  private next(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) return;
    try {
      const transport = this.open();
      this.running = job;
      if (this.ready) job.startedAt = performance.now();
      this.arm(job);
      transport.postMessage({ id: job.id, request: job.request });
    } catch (e) {
      this.drop();
      this.settle(job, {
        kind: 'crashed',
        why: e instanceof Error ? e.message : String(e),
        outOfMemory: false,
      });
      this.next();
    }
  }

  private open(): EngineTransport {
    if (this.transport) return this.transport;
    const transport: EngineTransport = this.start({
      message: (reply) => this.replied(transport, reply),
      exited: (why, outOfMemory) => this.exited(transport, why, outOfMemory),
    });
    this.ready = false;
    return (this.transport = transport);
  }

  /**
   * Sets when the worker is dropped if the running request is not answered: its budget (a cancelled one's
   * grace) from when the worker could start on it; while the worker loads, `STARTUP_LIMIT_MS`.
   */
  private arm(job: Job): void {
    clearTimeout(job.killTimer);
    const limit = job.cancelled ? Math.min(job.budgetMs, CANCELLED_GRACE_MS) : job.budgetMs;
    const left = job.startedAt === undefined ? STARTUP_LIMIT_MS : job.startedAt + limit - performance.now();
    job.killTimer = setTimeout(() => this.overran(job), Math.max(0, left));
  }

  private replied(from: EngineTransport, reply: WorkerReply): void {
    if (from !== this.transport) return;
    const job = this.running;
    if ('ready' in reply) {
      this.ready = true;
      if (job) {
        job.startedAt = performance.now();
        this.arm(job);
      }
      for (const waiting of [...(job ? [job] : []), ...this.queue]) {
        if (!waiting.postponed) continue;
        waiting.postponed = false;
        waiting.deadline = setTimeout(() => this.timedOut(waiting), waiting.budgetMs);
      }
      return;
    }
    if (job?.id !== reply.id) return;
    this.finish(job);
    this.settle(job, reply.ok ? { kind: 'done', answer: reply.answer } : { kind: 'failed', why: reply.why });
    this.next();
  }

  /** The worker died: the request it was on is the cause and fails; the queued ones go to a fresh worker. */
  private exited(from: EngineTransport, why: string, outOfMemory: boolean): void {
    if (from !== this.transport) return;
    this.transport = undefined;
    const job = this.running;
    if (job) {
      this.finish(job);
      this.settle(job, { kind: 'crashed', why, outOfMemory });
    }
    this.next();
  }

  /** The caller's budget is spent: it gets `timeout`; a queued request is dropped, a running one keeps its own. */
  private timedOut(job: Job): void {
    if (this.transport && !this.ready && !job.settled) {
      job.postponed = true;
      return;
    }
    this.settle(job, { kind: 'timeout', budgetMs: job.budgetMs });
    this.unqueue(job);
  }

  private cancelled(job: Job): void {
    this.settle(job, { kind: 'cancelled' });
    job.cancelled = true;
    if (!this.unqueue(job) && job === this.running) this.arm(job);
  }

  /**
   * The worker spent the request's budget on it: it may never stop, so it is dropped. Its successor starts
   * now, not on the next request: a hover right after should not pay for loading the engine.
   */
  private overran(job: Job): void {
    if (job !== this.running) return;
    this.drop();
    this.finish(job);
    this.settle(job, { kind: 'timeout', budgetMs: job.budgetMs });
    this.next();
    this.warmUp();
  }

  private finish(job: Job): void {
    clearTimeout(job.killTimer);
    if (this.running === job) this.running = undefined;
  }

  private drop(): void {
    const transport = this.transport;
    this.transport = undefined;
    if (this.running) this.finish(this.running);
    transport?.terminate();
  }

  private unqueue(job: Job): boolean {
    const at = this.queue.indexOf(job);
    if (at >= 0) this.queue.splice(at, 1);
    return at >= 0;
  }

  private settle(job: Job, reply: EngineReply<unknown>): void {
    if (job.settled) return;
    job.settled = true;
    job.cleanup();
    job.resolve(reply);
  }
}
