// Worker threads do not inherit tsx's loader, so the typesetter test starts
// the TypeScript worker module through this file.
import { register } from 'tsx/esm/api';

register();
await import('../../src/extension/desktop/mathjaxWorker.ts');
