/** The desktop build's entry point (`main`, dist/extension.js): the workers are Node worker threads. */
import * as vscode from 'vscode';
import { activate as activateLens } from '../host/extension';
import { ENGINE_LIMITS, workerThreads } from './workerThreads';

export function activate(context: vscode.ExtensionContext): void {
  const bundle = (file: string) => vscode.Uri.joinPath(context.extensionUri, 'dist', file).fsPath;
  activateLens(context, {
    engine: workerThreads(bundle('engineWorker.js'), ENGINE_LIMITS),
    typesetter: workerThreads(bundle('mathjax.js')),
  });
}

export { deactivate } from '../host/extension';
