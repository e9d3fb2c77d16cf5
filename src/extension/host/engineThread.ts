/**
 * The desktop's engine transport: a `worker_threads` worker with its own heap
 * limits, so a formula that needs unbounded memory kills the worker, never the
 * extension host.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { TransportFactory } from './engineClient';
import type { WorkerReply } from '../shared/engineProtocol';

export const ENGINE_LIMITS: ResourceLimits = {
  maxOldGenerationSizeMb: 512,
  maxYoungGenerationSizeMb: 32,
  // Node's default for workers, written out: 4x the main thread's, and the core reports nesting deeper than
  // its stack as a LensError.
  stackSizeMb: 4,
};

/** A factory of workers running `file` (dist/engineWorker.js). */
export function workerThreads(
  file: string,
  resourceLimits: ResourceLimits = ENGINE_LIMITS,
): TransportFactory {
  return (events) => {
    // None of the host's Node flags: a debugger's port or a test's TypeScript loader (which alone takes
    // longer to load than the engine) have no business in the engine's thread.
    const worker = new Worker(file, { resourceLimits, execArgv: [] });
    let gone = false;
    const exited = (why: string, outOfMemory: boolean) => {
      if (gone) return;
      gone = true;
      events.exited(why, outOfMemory);
    };
    worker.on('message', (reply: WorkerReply) => events.message(reply));
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
