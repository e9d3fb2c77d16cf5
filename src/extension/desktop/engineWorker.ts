/** The desktop's engine worker (dist/engineWorker.js): a worker thread started by workerThreads.ts. */
import { serveEngine } from '../engine/engineWorker';
import type { WorkerReply, WorkerRequest } from '../shared/engineProtocol';
import { parentWorkerPort } from './workerThreads';

const port = parentWorkerPort<WorkerRequest, WorkerReply>();
if (port) serveEngine(port);
