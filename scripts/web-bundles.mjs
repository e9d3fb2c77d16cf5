// The web build's bundles (package.json `browser`): esbuild options shared by build.mjs and the test that
// runs them without Node (test/scripts/web-bundle.test.ts).

/** Browser code: a Node built-in imported by mistake fails the build instead of failing in vscode.dev. */
export const browserOptions = {
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  sourcemap: true,
  logLevel: 'warning',
  minify: true,
  // @lezer/lr reads `process.env.LOG` behind a `typeof process` guard; in the browser there is no process.
  define: { process: '{"env":{}}' },
};

export const webBundles = [
  // The web extension host is a Web Worker that loads `browser` as CommonJS with `require('vscode')` only;
  // the workers it starts load their script as a classic one (importScripts).
  {
    ...browserOptions,
    format: 'cjs',
    entryPoints: ['src/extension/web/extension.ts'],
    outfile: 'dist/web/extension.js',
    external: ['vscode'],
  },
  {
    ...browserOptions,
    entryPoints: ['src/extension/web/engineWorker.ts'],
    outfile: 'dist/web/engineWorker.js',
  },
  { ...browserOptions, entryPoints: ['src/extension/web/mathjaxWorker.ts'], outfile: 'dist/web/mathjax.js' },
];
