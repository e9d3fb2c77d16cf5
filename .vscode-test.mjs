// `npm run test:desktop`: the same extension in desktop VS Code through @vscode/test-cli, for
// contributors with internet access (it downloads VS Code). CI cannot reach that download and runs
// the code-server suite instead (`npm run test:e2e`).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  label: 'desktop',
  files: 'test/e2e/desktop/**/*.test.ts',
  workspaceFolder: 'test/e2e/fixtures',
  version: 'stable',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: { ui: 'tdd', timeout: 30_000, require: ['tsx/cjs'] },
});
