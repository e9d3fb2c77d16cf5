/**
 * The desktop's transport: `worker_threads` workers, the engine's with its own
 * heap limits, so a formula that needs unbounded memory kills the worker, never
 * the extension host.
 */
import { parentPort, Worker, type ResourceLimits } from 'node:worker_threads';
import type { TransportFactory } from '../host/transport';
import type { WorkerPort } from '../shared/workerPort';

export const ENGINE_LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: 512,
  maxYoungGenerationSizeMb: 32,
  // Node's default for workers, written out: 4x the main thread's, and the core reports nesting deeper than
  // its stack as a LensError.
  stackSizeMb: 4,
};

/** A factory of workers running `file` (dist/engineWorker.js, dist/mathjax.js). */
export function workerThreads<Request, Reply>(
  file: string,
  resourceLimits?: ResourceLimits,
): TransportFactory<Request, Reply> {
  return (events) => {
    // None of the host's Node flags: a debugger's port or a test's TypeScript loader (which alone takes
    // longer to load than the engine) have no business in a worker's thread.
    const worker = new Worker(file, { ...(resourceLimits ? { resourceLimits } : {}), execArgv: [] });
    let gone = false;
    const exited = (why: string, outOfMemory: boolean) => {
      if (gone) return;
      gone = true;
      events.exited(why, outOfMemory);
    };
    worker.on('message', (reply: Reply) => events.message(reply));
    // Out of memory comes as an 'error' (ERR_WORKER_OUT_OF_MEMORY) and then an 'exit': the first says why.
    worker.on('error', (e: Error & { code?: string }) =>
      exited(e.message, e.code === 'ERR_WORKER_OUT_OF_MEMORY'),
    );
    worker.on('exit', (code) => exited(`its thread exited with code ${code}`, false));
    // An idle worker must not keep the extension host (or a test) alive.
    worker.unref();
    return {
      postMessage: (message) => worker.postMessage(message),
      terminate: () => {
        gone = true;
        void worker.terminate();
      },
    };
  };
}

/** This thread's channel to the thread that started it, when it is a worker. */
export function parentWorkerPort<In, Out>(): WorkerPort<In, Out> | undefined {
  const port = parentPort;
  if (!port) return undefined;
  return {
    onMessage: (listener) => void port.on('message', listener),
    postMessage: (message) => port.postMessage(message),
  };
}
