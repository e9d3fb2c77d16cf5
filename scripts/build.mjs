// Bundles the core (CommonJS library), the CLI and the extension (desktop and web builds) with esbuild.
import { build } from 'esbuild';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { emitCoreTypes } from './core-types.mjs';
import { GENERATED, runtimeSource } from './runtime-source.mjs';
import { browserOptions, webBundles } from './web-bundles.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20', // engines.node
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
};

// The extension's webviews load KaTeX from the extension itself (no network), so it is copied into media/.
// Fonts: only woff2, the first format katex.min.css lists and one every VS Code webview reads.
const katex = 'node_modules/katex/dist';
const vendor = 'media/vendor/katex';
mkdirSync(vendor, { recursive: true });
for (const file of ['katex.min.js', 'katex.min.css', 'fonts']) {
  cpSync(`${katex}/${file}`, `${vendor}/${file}`, {
    recursive: true,
    filter: (source) => !/\.(woff|ttf)$/.test(source),
  });
}

// The exported code's helpers, as text from their checked source files (see runtime-source.mjs).
writeFileSync(GENERATED, await runtimeSource());

// The parsers of TypeScript (Babel, half of the core's code) and Python are files of their own in the
// Node bundles, required on first use (src/core/parse/typescript.ts, python.ts): LaTeX input never
// compiles them, which halves the core's start-up, and a hover's first call is cold. (The web build
// keeps them in its bundle: a Web Worker has no `require`.)
const PARSERS = {
  '@babel/parser': { entry: 'node_modules/@babel/parser/lib/index.js', file: 'parsers/babel' },
  '@lezer/python': { entry: 'node_modules/@lezer/python/dist/index.js', file: 'parsers/python' },
};
const separateParsers = {
  name: 'separate-parsers',
  setup(b) {
    b.onResolve({ filter: /^(@babel\/parser|@lezer\/python)$/ }, (args) => ({
      path: `./${PARSERS[args.path].file}.js`,
      external: true,
    }));
  },
};
const node = { ...common, plugins: [separateParsers] };

await Promise.all([
  build({
    ...common,
    entryPoints: Object.fromEntries(Object.values(PARSERS).map((p) => [p.file, p.entry])),
    outdir: 'dist',
  }),
  build({ ...node, entryPoints: ['src/core/index.ts'], outfile: 'dist/core.js' }),
  build({
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The extension is three bundles so that activation loads only the small first one: the engine (core and
  // Babel) and MathJax each run in a worker of their own (src/extension/host/engineClient.ts, typeset.ts).
  // The desktop build (`main`) runs them in worker threads; the web build (`browser`, dist/web/) in Web Workers.
  build({
    ...common,
    entryPoints: ['src/extension/desktop/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: true,
  }),
  build({
    ...node,
    entryPoints: ['src/extension/desktop/engineWorker.ts'],
    outfile: 'dist/engineWorker.js',
    minify: true,
  }),
  build({
    ...common,
    entryPoints: ['src/extension/desktop/mathjaxWorker.ts'],
    outfile: 'dist/mathjax.js',
    minify: true,
  }),
  ...webBundles.map((options) => build(options)),
  // The webviews' script runs in the browser; its own folder is all the webview may load from dist/.
  build({ ...browserOptions, entryPoints: ['src/webview/panel.ts'], outfile: 'dist/webview/panel.js' }),
]);

// The library's declarations (dist/core.d.ts), for TypeScript users of dist/core.js.
emitCoreTypes();
