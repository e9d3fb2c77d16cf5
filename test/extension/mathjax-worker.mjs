// Worker threads start without tsx's loader (see desktop/workerThreads.ts), so the typesetter test starts
// the TypeScript worker module through this file, as CommonJS (like engine-worker.mjs).
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('../../src/extension/desktop/mathjaxWorker.ts');
