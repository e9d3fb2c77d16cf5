/**
 * The engine (the core and Babel) is its own bundle, `dist/engine.js`,
 * required on first use: loading it takes ~50 ms, which activation must not
 * spend. Everything else imports only its types.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as EngineModule from './engine';

let loaded: typeof EngineModule | undefined;

export function engine(): typeof EngineModule {
  loaded ??= createRequire(__filename)(path.join(__dirname, 'engine.js')) as typeof EngineModule;
  return loaded;
}
