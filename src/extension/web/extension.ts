/**
 * The web build's entry point (`browser`, dist/web/extension.js): vscode.dev,
 * github.dev and code-server's web worker extension host. Nothing here or in
 * what it loads needs Node (eslint.config.mjs; test/scripts/web-bundle.test.ts
 * reads the bundles): the workers are Web Workers.
 */
import * as vscode from 'vscode';
import { activate as activateLens } from '../host/extension';
import { scriptUrl, webWorkers } from './webWorkers';

export function activate(context: vscode.ExtensionContext): void {
  const bundle = (file: string) =>
    scriptUrl(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', file).toString());
  activateLens(context, {
    engine: webWorkers(bundle('engineWorker.js'), 'Jacobian Lens engine'),
    typesetter: webWorkers(bundle('mathjax.js'), 'Jacobian Lens MathJax'),
  });
}

export { deactivate } from '../host/extension';
