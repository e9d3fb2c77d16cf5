/**
 * The panel beside the editor: one, reused by every command, restored after a
 * window reload by its serializer (its state is the subject it showed).
 */
import * as vscode from 'vscode';
import type { Services } from './services';
import { LensSession, webviewOptions } from './session';
import type { SavedState, Subject } from '../../webview/protocol';

export class LensPanel {
  static readonly viewType = 'jacobianLens.panel';
  private static current: LensPanel | undefined;
  private readonly session: LensSession;

  /**
   * Shows `subject` in the panel, creating the panel if there is none. The steps section and the layout
   * comparison stay as the person left them; `revealSteps` opens the steps and scrolls to them.
   */
  static createOrShow(services: Services, subject: Subject, revealSteps = false): void {
    const shown = LensPanel.current?.session.current;
    const steps = shown?.steps ?? (revealSteps ? 'key' : undefined);
    const next: Subject = {
      ...subject,
      ...(steps ? { steps } : {}),
      ...(shown?.layoutsBoth ? { layoutsBoth: true } : {}),
    };
    const reveal = revealSteps ? 'steps' : undefined;
    if (LensPanel.current) {
      LensPanel.current.panel.reveal(undefined, true);
      void LensPanel.current.session.show(next, reveal);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      LensPanel.viewType,
      'Jacobian Lens',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      webviewOptions(services.context.extensionUri),
    );
    LensPanel.current = new LensPanel(panel, services);
    void LensPanel.current.session.show(next, reveal);
  }

  static revive(panel: vscode.WebviewPanel, services: Services, subject: Subject | undefined): void {
    LensPanel.current?.panel.dispose();
    LensPanel.current = new LensPanel(panel, services);
    if (subject) void LensPanel.current.session.show(subject);
    else void LensPanel.current.session.showMessage('Run "Jacobian Lens: Show Jacobian" on a formula.');
  }

  /** The subject the panel shows, if any (for "Choose Variables…" to refresh it). */
  static get subject(): Subject | undefined {
    return LensPanel.current?.session.current;
  }

  static refresh(): void {
    const current = LensPanel.current;
    if (current?.session.current) void current.session.show(current.session.current);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    services: Services,
  ) {
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'icon.svg');
    this.session = new LensSession(panel.webview, services, 'panel');
    panel.onDidDispose(() => {
      this.session.dispose();
      if (LensPanel.current === this) LensPanel.current = undefined;
    });
  }
}

export class LensPanelSerializer implements vscode.WebviewPanelSerializer<SavedState> {
  constructor(private readonly services: Services) {}

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: SavedState | undefined): Promise<void> {
    LensPanel.revive(panel, this.services, state?.model?.subject);
  }
}
