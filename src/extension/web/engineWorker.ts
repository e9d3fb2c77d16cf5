/** The web build's engine worker (dist/web/engineWorker.js): a Web Worker started by webWorkers.ts. */
import { serveEngine } from '../engine/engineWorker';
import type { WorkerReply, WorkerRequest } from '../shared/engineProtocol';
import { selfWorkerPort } from './webWorkers';

serveEngine(selfWorkerPort<WorkerRequest, WorkerReply>());
