// Worker threads do not inherit tsx's loader, so the typesetter test starts
// the TypeScript worker module through this file.
require('tsx/cjs/api').register();
require('../../src/extension/mathjax.ts');
