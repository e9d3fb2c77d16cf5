// Starts and stops code-server (provisioned by provision-editor.mjs) with the built extension
// installed; shared by the end-to-end harness and `npm start`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestPath } from './provision-editor.mjs';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Copies the built extension the way VS Code unpacks a .vsix: `<publisher>.<name>-<version>`. `build` 'web'
 * installs the browser-only extension a web-only editor (vscode.dev) sees: package.json without `main`, and
 * only the web build's bundles, so code-server runs it in its web worker extension host, without Node.
 */
export function installExtension(extensionsDir, build = 'desktop') {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const { main, ...browserOnly } = pkg;
  const entry = build === 'web' ? pkg.browser : main;
  if (!existsSync(join(root, entry))) throw new Error(`${entry} missing: run npm run build first`);
  const target = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // What the .vsix holds (see .vscodeignore), plus the other bundles in dist/.
  for (const file of [
    'package.json',
    ...(build === 'web' ? ['dist/web', 'dist/webview'] : ['dist']),
    'media',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    pkg.icon ?? 'icon.png',
  ]) {
    if (existsSync(join(root, file))) cpSync(join(root, file), join(target, file), { recursive: true });
  }
  if (build === 'web') writeFileSync(join(target, 'package.json'), JSON.stringify(browserOnly, null, 2));
}

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 and resolves once it answers. Returns `{ url, port, child,
 * output(), stop() }`; `stop()` ends its whole process group (extension host, language servers).
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, port, quiet = true }) {
  if (!existsSync(manifestPath))
    throw new Error(`editor not provisioned (${manifestPath} missing): run npm run provision`);
  const { node, codeServerEntry } = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const bindPort = port ?? (await freePort());
  const args = [
    codeServerEntry,
    ...[
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${bindPort}`,
      '--disable-telemetry',
      '--disable-update-check',
    ],
    ...[
      '--disable-workspace-trust',
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userDataDir,
      workspace,
    ],
  ];
  // A process group of its own, so that one signal reaches everything code-server started.
  const child = spawn(node, args, {
    detached: true,
    stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'],
  });
  const log = [];
  child.stdout?.on('data', (chunk) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk) => log.push(chunk.toString()));
  const exited = new Promise((done) => child.once('exit', () => done()));
  const signal = (name) => {
    try {
      process.kill(-child.pid, name);
    } catch {
      // the group is already gone
    }
  };
  // Last resort if the caller dies without calling stop().
  const killOnExit = () => signal('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      signal('SIGTERM');
      if ((await Promise.race([exited.then(() => 'exited'), sleep(5000)])) !== 'exited') signal('SIGKILL');
    }
    // Children outlive a parent that exits on SIGTERM; end the rest of the group too.
    signal('SIGKILL');
  };

  const url = `http://127.0.0.1:${bindPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`code-server exited with ${child.exitCode}:\n${log.join('')}`);
    try {
      if ((await globalThis.fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${log.join('')}`);
    }
    await sleep(250);
  }
  return { url, port: bindPort, child, output: () => log.join(''), stop };
}
