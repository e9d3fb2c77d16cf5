/**
 * Activation, for both builds (their entry points, desktop/extension.ts and
 * web/extension.ts, say how workers start). It only registers things: the hover, the commands, the
 * panel's serializer and the side view. The engine (engineClient.ts) and
 * MathJax (typeset.ts) load in workers after activation, KaTeX only inside
 * webviews.
 */
import * as vscode from 'vscode';
import type { Operation } from '../../core/api';
import { HOVER_SELECTOR, LensHoverProvider } from './hover';
import { troubleMessage } from '../shared/engineProtocol';
import { LensPanel, LensPanelSerializer } from './panel';
import { Services } from './services';
import { LensViewProvider } from './view';
import { CHECK_COMMAND } from './checkContent';
import { DerivationChecks } from './diagnostics';
import type { Subject } from '../../webview/protocol';
import type { CommandTarget } from '../shared/domain';
import type { Workers } from './transport';

export function activate(context: vscode.ExtensionContext, workers: Workers): void {
  const services = new Services(context, workers);
  const show = (op?: Operation) => async (target?: CommandTarget) => {
    const subject = await services.subjectFor(target, op);
    if (subject) LensPanel.createOrShow(services, subject);
  };
  const command = (id: string, run: (target?: CommandTarget) => Promise<void>) =>
    vscode.commands.registerCommand(id, async (target?: CommandTarget) => {
      try {
        await run(target);
      } catch (e) {
        services.logError(id, e);
        void vscode.window.showErrorMessage(
          `Jacobian Lens: ${id} failed; details are in the "Jacobian Lens" output.`,
        );
      }
    });

  // MathJax takes ~0.7 s to load in its worker: start it soon after activation (off the activation path,
  // in another thread) so that the first hover is usually typeset rather than plain text.
  // The engine's worker likewise: a hover's budget should not be spent loading the core.
  const warmUp = setTimeout(() => {
    services.typesetter.warmUp();
    services.hoverEngine.warmUp();
  }, 1000);
  const view = new LensViewProvider(services);
  const checks = new DerivationChecks(services);
  context.subscriptions.push(
    { dispose: () => clearTimeout(warmUp) },
    services,
    view,
    vscode.languages.registerHoverProvider(HOVER_SELECTOR, new LensHoverProvider(services)),
    command('jacobianLens.showJacobian', show('jacobian')),
    command('jacobianLens.showGradient', show('gradient')),
    command('jacobianLens.showHessian', show('hessian')),
    command('jacobianLens.openPanel', show()),
    command('jacobianLens.showSteps', async (target) => {
      const subject = await services.subjectFor(target);
      if (subject) LensPanel.createOrShow(services, subject, true);
    }),
    command('jacobianLens.copyLatex', (target) => copyDerivative(services, target)),
    command('jacobianLens.copyNumPy', (target) =>
      copyDerivative(services, target, { language: 'numpy', what: 'NumPy' }),
    ),
    command('jacobianLens.copyPyTorch', (target) =>
      copyDerivative(services, target, { language: 'torch', what: 'PyTorch' }),
    ),
    command(CHECK_COMMAND, (target) => checkFile(services, checks, target)),
    checks,
    vscode.languages.registerCodeActionsProvider(HOVER_SELECTOR, checks, {
      providedCodeActionKinds: DerivationChecks.fixKinds,
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (DerivationChecks.isNote(document) && services.settings().checkOnSave)
        void checks.check(document, false).catch((e: unknown) => services.logError('check on save', e));
    }),
    vscode.workspace.onDidChangeTextDocument((event) => checks.edited(event)),
    vscode.workspace.onDidCloseTextDocument((document) => checks.forget(document.uri)),
    command('jacobianLens.chooseVariables', (target) => chooseVariables(services, target)),
    vscode.window.registerWebviewPanelSerializer(LensPanel.viewType, new LensPanelSerializer(services)),
    vscode.window.registerWebviewViewProvider(LensViewProvider.viewId, view),
  );
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}

/** Checks the note of the hover's link, else the active editor's. */
async function checkFile(
  services: Services,
  checks: DerivationChecks,
  target: CommandTarget | undefined,
): Promise<void> {
  const document =
    target && typeof target.uri === 'string'
      ? await services.openDocument(target.uri)
      : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Jacobian Lens: open a Markdown or LaTeX note first.');
    return;
  }
  if (!DerivationChecks.isNote(document)) {
    void vscode.window.showInformationMessage(
      'Jacobian Lens: derivations are checked in Markdown and LaTeX files.',
    );
    return;
  }
  await checks.check(document, true);
}

/** The variables the core differentiates by when none are chosen. */
async function defaultVariables(services: Services, subject: Subject): Promise<string[]> {
  const outcome = await services.differentiate({ text: '', languageId: subject.languageId }, subject.math);
  return outcome.kind === 'result' ? outcome.result.wrt.map((v) => v.name) : [];
}

/** Copies the derivative as LaTeX, or as a function in `code` (its language named `what`). */
async function copyDerivative(
  services: Services,
  target: CommandTarget | undefined,
  code?: { language: 'numpy' | 'torch'; what: string },
): Promise<void> {
  const subject = await services.subjectFor(target);
  if (!subject) return;
  const document = await services.openDocument(subject.uri);
  const doc = { text: document?.getText() ?? '', languageId: subject.languageId };
  const wrt = services.rememberedVariables(subject.math);
  const outcome = await services.differentiate(doc, subject.math, {
    ...(wrt ? { wrt } : {}),
    ...(code ? { work: { code: true } } : {}),
  });
  const what = code?.what ?? 'LaTeX';
  if (outcome.kind === 'error') {
    if (outcome.internal) services.log(`copy ${what}: ${outcome.internal}`);
    void vscode.window.showWarningMessage(`Jacobian Lens: ${outcome.message}`);
    return;
  }
  // For input that calls JAX, its NumPy is jax.numpy.
  const numpy = outcome.result.code?.jax ?? outcome.result.code?.numpy;
  const text = !code ? outcome.result.latex : code.language === 'numpy' ? numpy : outcome.result.code?.torch;
  if (text === undefined) {
    const why = outcome.unavailable?.code;
    void vscode.window.showWarningMessage(
      `Jacobian Lens: no ${what} code for this derivative${why ? `: ${why}` : ''}`,
    );
    return;
  }
  await vscode.env.clipboard.writeText(text);
  vscode.window.setStatusBarMessage(`Jacobian Lens: copied the derivative as ${what}`, 3000);
}

/** A multi-select of the formula's variables; the choice is remembered for this formula. */
async function chooseVariables(services: Services, target: CommandTarget | undefined): Promise<void> {
  const subject = await services.subjectFor(target);
  if (!subject) return;
  const reply = await services.ask({ kind: 'candidates', math: subject.math });
  if (reply.kind !== 'done') {
    void vscode.window.showWarningMessage(`Jacobian Lens: ${troubleMessage(reply)}`);
    return;
  }
  const candidates = reply.answer;
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage('Jacobian Lens: this formula has no variables to choose from.');
    return;
  }
  const current = new Set(
    services.rememberedVariables(subject.math) ?? (await defaultVariables(services, subject)),
  );
  const picked = await vscode.window.showQuickPick(
    candidates.map((name) => ({ label: name, picked: current.has(name) })),
    {
      canPickMany: true,
      title: 'Jacobian Lens: differentiate with respect to',
      placeHolder: subject.math.text.trim(),
    },
  );
  if (!picked) return;
  await services.rememberVariables(
    subject.math,
    picked.map((p) => p.label),
  );
  if (LensPanel.subject && LensPanel.subject.math.text === subject.math.text) LensPanel.refresh();
}
