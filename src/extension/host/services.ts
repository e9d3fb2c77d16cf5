/**
 * What the hover, the commands and the webviews share: settings, the output
 * channel, the remembered variable choices, the engine's client, the MathJax
 * typesetter, and the step from "this document, this position" to the math
 * there.
 */
import * as vscode from 'vscode';
import type { Layout, Operation } from '../../core/api';
import { DEFAULT_SETTINGS, expressionKey, withChoice } from '../shared/documents';
import { EngineClient } from './engineClient';
import {
  COMMAND_BUDGET_MS,
  troubleMessage,
  type EngineRequest,
  type RememberedVariables,
  type SentOutcome,
} from '../shared/engineProtocol';
import { Typesetter } from './typeset';
import type { Workers } from './transport';
import type { Subject } from '../../webview/protocol';
import type { CommandTarget, EngineSettings, LocatedMath, Overrides } from '../shared/domain';

export interface ExtensionSettings {
  readonly engine: EngineSettings;
  /** `jacobianLens.hover.enabled` as configured (see `hoverEnabledFor`). */
  readonly hoverEnabled: unknown;
  readonly hoverScale: number;
  /** `jacobianLens.check.onSave`: check a note's derivations each time it is saved. */
  readonly checkOnSave: boolean;
  /** `jacobianLens.check.reportUnchecked`: steps that could not be checked are Hints with the reason. */
  readonly checkReportUnchecked: boolean;
}

const OPERATIONS = new Set(['auto', 'gradient', 'jacobian', 'hessian']);
const MAX_REMEMBERED = 200;

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('jacobianLens');
  const names = (key: string) =>
    (c.get<unknown[]>(key) ?? []).filter((n): n is string => typeof n === 'string');
  const op = c.get<string>('defaultOperation', 'auto');
  const max = c.get<number>('maxExpressionLength', DEFAULT_SETTINGS.maxExpressionLength);
  return {
    engine: {
      defaultOperation: OPERATIONS.has(op) ? (op as 'auto' | Operation) : 'auto',
      layout: c.get<string>('layout') === 'denominator' ? 'denominator' : 'numerator',
      vectorNames: names('conventions.vectorNames'),
      matrixNames: names('conventions.matrixNames'),
      maxExpressionLength: Number.isFinite(max) && max > 0 ? max : DEFAULT_SETTINGS.maxExpressionLength,
    },
    hoverEnabled: c.get('hover.enabled'),
    hoverScale: c.get<number>('hover.scale', 1),
    checkOnSave: c.get<boolean>('check.onSave', true) !== false,
    checkReportUnchecked: c.get<boolean>('check.reportUnchecked', false) === true,
  };
}

export class Services implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('Jacobian Lens');
  readonly typesetter: Typesetter;
  /** The engine for the panel, the side view and the commands. */
  readonly engine: EngineClient;
  /**
   * Hovers have a worker of their own: the side view follows the cursor into a slow formula and may keep
   * its worker for its whole budget (5 s), while the hover over the next formula must come at once.
   */
  readonly hoverEngine: EngineClient;

  constructor(
    readonly context: vscode.ExtensionContext,
    workers: Workers,
  ) {
    this.engine = new EngineClient(workers.engine);
    this.hoverEngine = new EngineClient(workers.engine);
    this.typesetter = new Typesetter(workers.typesetter, (m) => this.log(m));
  }

  settings(): ExtensionSettings {
    return readSettings();
  }

  log(message: string): void {
    this.output.appendLine(`[${new Date().toISOString()}] ${message}`);
  }

  logError(what: string, e: unknown): void {
    this.log(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  /** The variables chosen for this formula with "Choose Variables…", if any. */
  rememberedVariables(math: LocatedMath): string[] | undefined {
    const all = this.allRememberedVariables();
    const key = expressionKey(math);
    return Object.hasOwn(all, key) ? [...all[key]] : undefined;
  }

  /** Every remembered choice: a hover sends them with the document, the worker finds the formula's own. */
  allRememberedVariables(): RememberedVariables {
    return this.context.workspaceState.get<Record<string, string[]>>('wrt', {});
  }

  /**
   * The outcome for `math` with `COMMAND_BUDGET_MS`; when the engine gives none (too slow, out of memory),
   * an error outcome saying why.
   */
  async differentiate(
    doc: { text: string; languageId: string },
    math: LocatedMath,
    overrides: Overrides = {},
  ): Promise<SentOutcome> {
    const settings = this.settings().engine;
    const reply = await this.ask({ kind: 'differentiate', doc, math, settings, overrides });
    if (reply.kind === 'done') return reply.answer;
    return { kind: 'error', math, message: troubleMessage(reply) };
  }

  /** A request to the engine with `COMMAND_BUDGET_MS`; a bug in the worker is logged. */
  async ask<K extends EngineRequest['kind']>(request: Extract<EngineRequest, { kind: K }>) {
    const reply = await this.engine.request(request, COMMAND_BUDGET_MS);
    if (reply.kind === 'failed') this.log(`engine (${request.kind}): ${reply.why}`);
    return reply;
  }

  async rememberVariables(math: LocatedMath, wrt: readonly string[]): Promise<void> {
    const all = withChoice(this.allRememberedVariables(), expressionKey(math), wrt, MAX_REMEMBERED);
    await this.context.workspaceState.update('wrt', all);
  }

  /**
   * The math a command acts on: the hover link's target, else the selection,
   * else the math under the cursor. Says so (and returns undefined) when there
   * is none.
   */
  async subjectFor(
    target: CommandTarget | undefined,
    op?: Operation,
    layout?: Layout,
  ): Promise<Subject | undefined> {
    let document: vscode.TextDocument | undefined;
    let range: { start: number; end: number } | undefined;
    if (target && typeof target.uri === 'string') {
      document = await this.openDocument(target.uri);
      range = { start: target.start, end: target.end };
    } else {
      const editor = vscode.window.activeTextEditor;
      if (editor) {
        document = editor.document;
        range = {
          start: document.offsetAt(editor.selection.start),
          end: document.offsetAt(editor.selection.end),
        };
      }
    }
    if (!document || !range) {
      void vscode.window.showInformationMessage('Jacobian Lens: open a file and select an expression first.');
      return undefined;
    }
    const reply = await this.ask({
      kind: 'locate',
      doc: { text: document.getText(), languageId: document.languageId },
      where: range.end > range.start ? range : range.start,
    });
    if (reply.kind !== 'done') {
      void vscode.window.showWarningMessage(`Jacobian Lens: ${troubleMessage(reply)}`);
      return undefined;
    }
    const math = reply.answer?.math;
    if (!math) {
      void vscode.window.showInformationMessage(
        'Jacobian Lens: no math here. Select an expression, or put the cursor inside a formula ($…$, \\[…\\], an equation) or a TypeScript expression.',
      );
      return undefined;
    }
    return {
      uri: document.uri.toString(),
      languageId: document.languageId,
      math,
      ...(op ? { op } : {}),
      ...(layout ? { layout } : {}),
    };
  }

  /** An open document, or opens it; undefined if it is gone. */
  async openDocument(uri: string): Promise<vscode.TextDocument | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (open) return open;
    try {
      return await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    } catch (e) {
      this.logError(`cannot open ${uri}`, e);
      return undefined;
    }
  }

  dispose(): void {
    this.engine.dispose();
    this.hoverEngine.dispose();
    this.typesetter.dispose();
    this.output.dispose();
  }
}
