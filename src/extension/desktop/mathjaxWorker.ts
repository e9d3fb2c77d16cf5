/** The desktop's MathJax worker (dist/mathjax.js): a worker thread started by workerThreads.ts. */
import { serveTypesetting, type TypesetReply, type TypesetRequest } from '../typesetter/mathjax';
import { parentWorkerPort } from './workerThreads';

const port = parentWorkerPort<TypesetRequest, TypesetReply>();
if (port) serveTypesetting(port);

// Loaded as a module instead (bench/editor-child.ts times the shipped bundle), it typesets in place.
export { texToSvg } from '../typesetter/mathjax';
