/**
 * How the extension host talks to a worker (the engine's, MathJax's), without
 * saying what a worker is: the desktop build starts `worker_threads`
 * (desktop/workerThreads.ts), the web build Web Workers (web/webWorkers.ts).
 */
import type { WorkerReply, WorkerRequest } from '../shared/engineProtocol';
import type { TypesetReply, TypesetRequest } from '../typesetter/mathjax';

/** A started worker, as a client needs it. */
export interface Transport<Request> {
  postMessage(message: Request): void;
  /** Stops the worker at once; `exited` is not called for it. */
  terminate(): void;
}

export interface TransportEvents<Reply> {
  message(reply: Reply): void;
  /** The worker died by itself; `outOfMemory` when it hit its memory limit. */
  exited(why: string, outOfMemory: boolean): void;
}

/** Starts a worker. Called lazily: on the first request, and on the next request after one was dropped. */
export type TransportFactory<Request, Reply> = (events: TransportEvents<Reply>) => Transport<Request>;

export type EngineTransportFactory = TransportFactory<WorkerRequest, WorkerReply>;
export type TypesetTransportFactory = TransportFactory<TypesetRequest, TypesetReply>;

/** What a build gives the host: how to start its two kinds of worker. */
export interface Workers {
  readonly engine: EngineTransportFactory;
  readonly typesetter: TypesetTransportFactory;
}
