import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'media/vendor/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Bundle boundaries: each folder is one bundle (or code shared by two), and
  // what it may import is what that bundle can load where it runs.
  ...boundaries({
    'src/core/**': {
      allow: 'nothing outside src/core',
      banned: ['vscode', 'node:*', '**/extension/**', '**/cli/**', '**/webview/**', '**/notes/**'],
    },
    'src/notes/**': {
      allow: 'the core only',
      banned: ['vscode', 'node:*', '**/extension/**', '**/cli/**', '**/webview/**'],
    },
    'src/cli/**': { allow: 'the core and the engine', banned: ['vscode', '**/host/**', '**/webview/**'] },
    'src/extension/shared/**': {
      allow: 'the core only',
      banned: ['vscode', 'node:*', '**/host/**', '**/engine/**', '**/typesetter/**', '**/webview/**'],
    },
    'src/extension/engine/**': {
      allow: 'the core and shared, no Node (it runs in a worker without the editor, a Web Worker in the web build)',
      banned: ['vscode', 'node:*', '**/host/**', '**/typesetter/**', '**/webview/**'],
    },
    'src/extension/typesetter/**': { allow: 'MathJax only (no Node)', banned: ['vscode', 'node:*', '../**'] },
    'src/extension/host/**': {
      allow:
        'vscode, shared and the webview protocol at run time, no Node: it is in the web build too (the engine and MathJax run in workers, which desktop/ and web/ start)',
      banned: [
        'node:*',
        '**/desktop/**',
        '**/web/**',
        '**/engine/**',
        '**/typesetter/**',
        '**/core/**',
        '!**/core/errors',
        '!**/core/value',
        '**/webview/**',
        '!**/webview/protocol',
      ],
    },
    'src/extension/desktop/**': {
      allow: "Node, the host, the engine and MathJax: the desktop build's entry points and worker threads",
      banned: ['**/web/**', '**/webview/**', '!**/webview/protocol'],
    },
    'src/extension/web/**': {
      allow: "the host, the engine and MathJax, no Node: the web build's entry points and Web Workers",
      banned: ['node:*', '**/desktop/**', '**/webview/**', '!**/webview/protocol'],
    },
    'src/webview/**': {
      allow: 'the browser only: no editor, no Node',
      banned: ['vscode', 'node:*', '../**'],
    },
  }),
);

/** One `no-restricted-imports` rule per folder, so a wrong import is a lint error naming the boundary. */
function boundaries(folders) {
  return Object.entries(folders).map(([files, { allow, banned }]) => ({
    files: [files.replace(/\*\*$/, '**/*.ts')],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: banned, allowTypeImports: true, message: `this folder may import ${allow}.` }],
        },
      ],
    },
  }));
}
