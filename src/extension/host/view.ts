/**
 * The side view (activity bar "Jacobian Lens"): follows the cursor and the
 * selection, debounced, and keeps a short history of what it showed.
 */
import * as vscode from 'vscode';
import { expressionKey } from '../shared/documents';
import { troubleMessage } from '../shared/engineProtocol';
import type { Services } from './services';
import { LensSession } from './session';

const DEBOUNCE_MS = 200;

export class LensViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'jacobianLens.live';
  private session: LensSession | undefined;
  private view: vscode.WebviewView | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: vscode.Disposable[];

  constructor(private readonly services: Services) {
    const schedule = () => this.schedule();
    this.listeners = [
      vscode.window.onDidChangeTextEditorSelection(schedule),
      vscode.window.onDidChangeActiveTextEditor(schedule),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.session?.dispose();
    this.session = new LensSession(view.webview, this.services, 'view');
    view.onDidChangeVisibility(() => this.schedule());
    view.onDidDispose(() => {
      this.session?.dispose();
      this.session = undefined;
      this.view = undefined;
    });
    void this.session.showMessage('Put the cursor in a formula or select an expression.');
    this.schedule();
  }

  private schedule(): void {
    if (!this.view?.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.follow(), DEBOUNCE_MS);
  }

  /** Shows the math at the cursor of the active editor when it differs from what is shown. */
  private async follow(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const session = this.session;
    if (!editor || !session) return;
    const doc = editor.document;
    const start = doc.offsetAt(editor.selection.start);
    const end = doc.offsetAt(editor.selection.end);
    try {
      const reply = await this.services.ask({
        kind: 'locate',
        doc: { text: doc.getText(), languageId: doc.languageId },
        where: end > start ? { start, end } : start,
      });
      if (reply.kind !== 'done') {
        await session.showMessage(`Jacobian Lens: ${troubleMessage(reply)}`);
        return;
      }
      const math = reply.answer?.math;
      const shown = session.current;
      if (
        !math ||
        !reply.answer?.worth ||
        (shown && shown.uri === doc.uri.toString() && expressionKey(shown.math) === expressionKey(math))
      )
        return;
      // The view's own operation and layout choices carry over to the next formula.
      await session.show({
        uri: doc.uri.toString(),
        languageId: doc.languageId,
        math,
        ...(shown?.op ? { op: shown.op } : {}),
        ...(shown?.layout ? { layout: shown.layout } : {}),
      });
    } catch (e) {
      this.services.logError('side view', e);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const l of this.listeners) l.dispose();
    this.session?.dispose();
  }
}
