/** The web build's MathJax worker (dist/web/mathjax.js): a Web Worker started by webWorkers.ts. */
import { serveTypesetting, type TypesetReply, type TypesetRequest } from '../typesetter/mathjax';
import { selfWorkerPort } from './webWorkers';

serveTypesetting(selfWorkerPort<TypesetRequest, TypesetReply>());
