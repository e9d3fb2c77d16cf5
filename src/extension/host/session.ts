/**
 * One webview showing derivatives: the panel and the side view each own one.
 * Sets up the HTML (webviewHtml.ts), computes the model for a subject, and
 * answers the webview's messages (layout, operation, variables, point, copy,
 * history).
 */
import * as vscode from 'vscode';
import type { Layout } from '../../core/api';
import { expressionKey } from '../shared/documents';
import { readPoint } from './point';
import type { Services } from './services';
import {
  readWebviewMessage,
  type CopyFormat,
  type OperationChoice,
  type ShowMessage,
  type StepsView,
  type Subject,
  type ViewModel,
  type WebviewMessage,
} from '../../webview/protocol';
import { chainModel } from './checkContent';
import { chainViewModel, emptyModel, layoutMatters, viewModel, type LayoutPair } from './viewModel';
import { makeNonce, webviewHtml, type WebviewMode } from './webviewHtml';
import type { Outcome, Overrides } from '../shared/domain';

const HISTORY_SIZE = 10;

interface HistoryEntry {
  readonly subject: Subject;
  readonly latex: string;
  readonly text: string;
}

/** The webview reads the extension's media/ (styles, KaTeX) and its own script bundle, nothing else. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'media'),
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
    ],
  };
}

export class LensSession implements vscode.Disposable {
  private subject: Subject | undefined;
  private outcome: Outcome | undefined;
  private readonly history: HistoryEntry[] = [];
  private readonly listener: vscode.Disposable;
  private generation = 0;
  /** A section to scroll to, kept until the webview's script is listening (a new panel is not yet). */
  private pendingReveal: 'steps' | undefined;
  private ready = false;

  constructor(
    private readonly webview: vscode.Webview,
    private readonly services: Services,
    private readonly mode: WebviewMode,
    /** Called when the person changes the subject (its saved state must follow). */
    private readonly onSubject: (subject: Subject) => void = () => undefined,
  ) {
    const root = services.context.extensionUri;
    const uri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(root, ...path)).toString();
    webview.options = webviewOptions(services.context.extensionUri);
    webview.html = webviewHtml(
      {
        cspSource: webview.cspSource,
        nonce: makeNonce(),
        katexCss: uri('media', 'vendor', 'katex', 'katex.min.css'),
        katexJs: uri('media', 'vendor', 'katex', 'katex.min.js'),
        css: uri('media', 'panel.css'),
        js: uri('dist', 'webview', 'panel.js'),
      },
      mode,
    );
    this.listener = webview.onDidReceiveMessage((raw: unknown) => {
      // The webview is untrusted: anything but a well-formed message of the protocol is ignored.
      const message = readWebviewMessage(raw);
      if (message) void this.receive(message);
    });
  }

  get current(): Subject | undefined {
    return this.subject;
  }

  /** Differentiates `subject` and shows it; `reveal` scrolls that section into view. */
  async show(subject: Subject, reveal?: 'steps'): Promise<void> {
    this.subject = subject;
    this.onSubject(subject);
    if (!this.ready) this.pendingReveal = reveal ?? this.pendingReveal;
    const generation = ++this.generation;
    const model = await this.model(subject);
    // A newer subject may have been shown while this one waited for its document.
    if (generation === this.generation)
      await this.post({ type: 'show', model, ...(reveal ? { reveal } : {}) });
  }

  private async model(subject: Subject): Promise<ViewModel> {
    const settings = this.services.settings().engine;
    const layout = subject.layout ?? settings.layout;
    const view = await this.services.subjectView(subject);
    const doc = view.doc;
    const panel = this.mode === 'panel';
    const point = readPoint(subject.point ?? '');
    if (!point.ok) {
      const outcome: Outcome = { kind: 'error', math: subject.math, message: point.message };
      return viewModel(outcome, subject, [], layout, { history: this.entries(), panel });
    }
    if (panel) {
      // On a chain `A = B = C` the panel shows whether each step holds.
      const chain = await this.services.ask({
        kind: 'chain',
        doc,
        where: subject.math.range.start,
        settings: { ...settings, layout },
      });
      if (chain.kind === 'done' && chain.answer)
        return chainViewModel(chainModel(chain.answer.steps, doc.text, view.lineName), subject, layout);
    }
    const at = Object.keys(point.point).length > 0 ? point.point : undefined;
    const wrt = this.services.rememberedVariables(subject.math);
    const overrides: Overrides = {
      ...(subject.op ? { op: subject.op } : {}),
      layout,
      ...(wrt ? { wrt } : {}),
      ...(at ? { at } : {}),
    };
    // The side view follows the cursor: of the work it needs only the code (its copy buttons). The panel
    // works out the steps only while its steps section is open.
    const work = panel ? { steps: subject.steps !== undefined, check: true, code: true } : { code: true };
    const outcome = await this.services.differentiate(doc, subject.math, { ...overrides, work });
    if (outcome.kind === 'error' && outcome.internal) this.services.log(`differentiate: ${outcome.internal}`);
    this.outcome = outcome;
    if (this.mode === 'view' && outcome.kind === 'result') this.remember(subject, outcome);
    let layouts: LayoutPair | undefined;
    if (panel && subject.layoutsBoth && outcome.kind === 'result' && layoutMatters(outcome.result)) {
      // ∂f/∂x itself (the Jacobian form) in each layout: a gradient is a column in both.
      const jacobian = (l: Layout) =>
        this.services.differentiate(doc, subject.math, {
          ...overrides,
          op: 'jacobian',
          layout: l,
          at: undefined,
        });
      layouts = { numerator: await jacobian('numerator'), denominator: await jacobian('denominator') };
    }
    // Without its list the variable choice offers only the variables differentiated by.
    const candidates = await this.services.ask({ kind: 'candidates', math: subject.math });
    return viewModel(outcome, subject, candidates.kind === 'done' ? candidates.answer : [], layout, {
      history: this.entries(),
      panel,
      ...(layouts ? { layouts } : {}),
      lineName: view.lineName,
    });
  }

  private remember(subject: Subject, outcome: Extract<Outcome, { kind: 'result' }>): void {
    const key = expressionKey(subject.math);
    const existing = this.history.findIndex((h) => expressionKey(h.subject.math) === key);
    if (existing >= 0) this.history.splice(existing, 1);
    this.history.unshift({ subject, latex: outcome.result.input.latex, text: outcome.result.input.text });
    this.history.length = Math.min(this.history.length, HISTORY_SIZE);
  }

  private entries(): ViewModel['history'] {
    return this.mode === 'view' ? this.history.map(({ latex, text }) => ({ latex, text })) : [];
  }

  /** Shows a message instead of a result (the view before any math was found). */
  async showMessage(message: string): Promise<void> {
    const layout = this.services.settings().engine.layout;
    await this.post({ type: 'show', model: emptyModel(message, layout) });
  }

  private async post(message: ShowMessage): Promise<void> {
    await this.webview.postMessage(message);
  }

  private async receive(m: WebviewMessage): Promise<void> {
    try {
      const subject = this.subject;
      switch (m.type) {
        case 'ready': {
          this.ready = true;
          const reveal = this.pendingReveal;
          this.pendingReveal = undefined;
          if (subject) await this.show(subject, reveal);
          return;
        }
        case 'op':
          if (subject) await this.show(withOp(subject, m.op));
          return;
        case 'layout':
          if (subject) await this.show({ ...subject, layout: m.layout });
          return;
        case 'wrt':
          if (subject) {
            await this.services.rememberVariables(subject.math, m.wrt);
            await this.show(subject);
          }
          return;
        case 'at':
          if (subject) await this.show({ ...subject, point: m.point });
          return;
        case 'copy':
          await this.copy(m.format);
          return;
        case 'steps':
          if (subject) await this.show(withSteps(subject, m.view));
          return;
        case 'layouts':
          if (subject) await this.show({ ...subject, layoutsBoth: m.both });
          return;
        case 'history': {
          // The index is a whole number (readWebviewMessage); it may still be past the history shown.
          const entry = this.history[m.index];
          if (entry) await this.show(entry.subject);
          return;
        }
      }
    } catch (e) {
      this.services.logError(`webview message ${m.type}`, e);
    }
  }

  private async copy(format: CopyFormat): Promise<void> {
    if (this.outcome?.kind !== 'result') return;
    const r = this.outcome.result;
    const copied: Readonly<Record<CopyFormat, [string | undefined, string]>> = {
      latex: [r.latex, 'LaTeX'],
      code: [r.code?.ts, 'TypeScript function'],
      numpy: r.code?.jax ? [r.code.jax, 'JAX (jax.numpy) function'] : [r.code?.numpy, 'NumPy function'],
      torch: [r.code?.torch, 'PyTorch function'],
      text: [r.text, 'text'],
    };
    const [text, what] = copied[format];
    if (text === undefined) return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Jacobian Lens: copied the ${what}`, 3000);
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/** The subject with its steps section closed (`none`), or open with the key stages or all of them. */
function withSteps(subject: Subject, view: 'none' | StepsView): Subject {
  return { ...subject, steps: view === 'none' ? undefined : view };
}

/** The subject with operation `op`, or with none (the core's default) for 'auto'. */
function withOp(subject: Subject, op: OperationChoice): Subject {
  return { ...subject, op: op === 'auto' ? undefined : op };
}
