// Worker threads start without tsx's loader (see desktop/workerThreads.ts), so the
// engine client's test starts the TypeScript worker module through this file,
// as CommonJS: tsx's ESM loader refuses the import cycles among the core's modules.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
createRequire(import.meta.url)('../../src/extension/desktop/engineWorker.ts');
