// `npm start`: the "try it" command for someone without VS Code. Provisions code-server if needed,
// builds the extension, serves the demo/ workspace with the extension installed on 127.0.0.1, and
// stops everything on Ctrl-C.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installExtension, root, startCodeServer } from './code-server.mjs';
import { provision } from './provision-editor.mjs';

function fail(message) {
  console.error(`start-demo: ${message}`);
  process.exit(1);
}

try {
  provision({ quiet: true });
} catch (error) {
  fail(error.message);
}
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) fail('npm run build failed');

// A fresh profile each time, so the demo always starts from the same state.
const tempDir = mkdtempSync(join(tmpdir(), 'jacobian-lens-demo-'));
const userDataDir = join(tempDir, 'user-data');
const extensionsDir = join(tempDir, 'extensions');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
writeFileSync(
  join(userDataDir, 'User', 'settings.json'),
  JSON.stringify({ 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false }, null, 2),
);
installExtension(extensionsDir);

const workspace = join(root, 'demo');
const port = process.env.PORT ? Number(process.env.PORT) : undefined;
let server;
try {
  server = await startCodeServer({ workspace, userDataDir, extensionsDir, port });
} catch (error) {
  rmSync(tempDir, { recursive: true, force: true });
  fail(error.message);
}

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping code-server...`);
  await server.stop();
  rmSync(tempDir, { recursive: true, force: true });
  console.log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
server.child.once('exit', (code) => {
  if (stopping) return;
  rmSync(tempDir, { recursive: true, force: true });
  fail(`code-server exited unexpectedly (${code}):\n${server.output().slice(-2000)}`);
});

console.log(
  `\nJacobian Lens demo running. Open this in a browser:\n\n  ${server.url}/?folder=${encodeURIComponent(workspace)}\n`,
);
console.log(
  'Hover math in notes.md or neuron.ts; select a function and run "Jacobian Lens: Show Jacobian" (F1).',
);
console.log('Press Ctrl-C to stop.');
