/**
 * "Check Derivations in File" and the check on save: every wrong step of a note becomes a Diagnostic on its
 * right side (a step holding only in the other layout an Information), and a quick fix replaces a wrong right
 * side with the correct one. The checking runs in the engine's worker; this keeps the findings per document.
 */
import * as vscode from 'vscode';
import type { StepCheck } from '../../notes/api';
import { CHECK_BUDGET_MS, troubleMessage } from '../shared/engineProtocol';
import { documentKind } from '../shared/documents';
import {
  chainSummary,
  DIAGNOSTIC_SOURCE,
  stepFinding,
  stepFix,
  WRONG_STEP_CODE,
  type StepFinding,
} from './checkContent';
import type { Services } from './services';

const SEVERITIES: Readonly<Record<StepFinding['severity'], vscode.DiagnosticSeverity>> = {
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** A checked step with the text its right side had then: a fix applies only while the note still has it. */
interface Checked {
  readonly step: StepCheck;
  readonly rhs: string;
}

export class DerivationChecks implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly fixKinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('jacobianLens');
  private readonly checked = new Map<string, readonly Checked[]>();

  constructor(private readonly services: Services) {}

  /** Whether `document` is a note whose derivations are checked (Markdown or LaTeX). */
  static isNote(document: vscode.TextDocument): boolean {
    const kind = documentKind(document.languageId);
    return kind === 'markdown' || kind === 'latex';
  }

  /**
   * Checks `document` and replaces its findings. `announce`: the person asked (the command), so the outcome
   * is said in the status bar, and a check that could not run is said as a warning.
   */
  async check(document: vscode.TextDocument, announce: boolean): Promise<void> {
    const text = document.getText();
    const version = document.version;
    const reply = await this.services.engine.request(
      {
        kind: 'check',
        doc: { text, languageId: document.languageId },
        settings: this.services.settings().engine,
      },
      CHECK_BUDGET_MS,
    );
    if (reply.kind !== 'done') {
      if (reply.kind === 'failed') this.services.log(`check ${document.uri.toString()}: ${reply.why}`);
      if (announce) void vscode.window.showWarningMessage(`Jacobian Lens: checking ${troubleMessage(reply)}`);
      return;
    }
    // Offsets of an older text would point at the wrong places: the next save checks the new one.
    if (document.isClosed || document.version !== version) return;
    const steps = reply.answer;
    const diagnostics: vscode.Diagnostic[] = [];
    const reportUnchecked = this.services.settings().checkReportUnchecked;
    for (const step of steps) {
      const finding = stepFinding(step, text, { reportUnchecked });
      if (!finding) continue;
      const range = new vscode.Range(
        document.positionAt(finding.range.start),
        document.positionAt(finding.range.end),
      );
      const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITIES[finding.severity]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = finding.code;
      diagnostics.push(diagnostic);
    }
    this.collection.set(document.uri, diagnostics);
    this.checked.set(
      document.uri.toString(),
      steps.map((step) => ({ step, rhs: text.slice(step.rhsRange.start, step.rhsRange.end) })),
    );
    if (announce)
      vscode.window.setStatusBarMessage(
        `Jacobian Lens: ${steps.length === 0 ? 'no derivation steps in this file' : chainSummary(steps)}`,
        5000,
      );
  }

  /**
   * An edit drops the findings it touches (a fixed right side loses its warning at once); the others stay until
   * the next check (on save).
   */
  edited(event: vscode.TextDocumentChangeEvent): void {
    const { document, contentChanges } = event;
    const current = this.collection.get(document.uri);
    if (!current || current.length === 0 || contentChanges.length === 0) return;
    const kept = current.filter((d) => !contentChanges.some((c) => c.range.intersection(d.range)));
    if (kept.length !== current.length) this.collection.set(document.uri, kept);
  }

  /** The document is closed: its findings go. */
  forget(uri: vscode.Uri): void {
    this.collection.delete(uri);
    this.checked.delete(uri.toString());
  }

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const checked = this.checked.get(document.uri.toString()) ?? [];
    const text = document.getText();
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== WRONG_STEP_CODE) continue;
      const start = document.offsetAt(diagnostic.range.start);
      const end = document.offsetAt(diagnostic.range.end);
      const found = checked.find((c) => c.step.rhsRange.start === start && c.step.rhsRange.end === end);
      const fix = found && stepFix(found.step, found.rhs, text);
      if (!fix) continue;
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(
        document.uri,
        new vscode.Range(document.positionAt(fix.range.start), document.positionAt(fix.range.end)),
        fix.newText,
      );
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }

  dispose(): void {
    this.collection.dispose();
    this.checked.clear();
  }
}
