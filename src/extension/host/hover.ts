/**
 * The hover: the derivative of the math under the mouse (on a chain `A = B = C`, the verdict of each step),
 * typeset by MathJax as an SVG image, with its plain text, assumptions and command links. It
 * never makes the editor wait: the engine works in its worker within
 * `HOVER_BUDGET_MS`, typesetting gets `TYPESET_BUDGET_MS`, after which the
 * plain text is shown (the typeset image is cached for next time).
 */
import * as vscode from 'vscode';
import {
  errorMarkdown,
  HOVER_COMMANDS,
  hoverEnabledFor,
  hoverMarkdown,
  hoverTex,
  troubleMarkdown,
} from './hoverContent';
import { CHAIN_HOVER_COMMANDS, chainMarkdown, chainTex, verdictColours } from './checkContent';
import { documentKind } from '../shared/documents';
import { HOVER_BUDGET_MS } from '../shared/engineProtocol';
import { engineView, engineWhere, CELL_SCHEME } from './notebooks';
import type { Services } from './services';
import { styleSvg, svgDataUri } from './svg';

const TYPESET_BUDGET_MS = 250;
/** Larger images are left out of the hover (the text is still there); VS Code renders huge data URLs slowly. */
const MAX_IMAGE_BYTES = 300_000;

/** Documents the hover applies to: real files, unsaved ones and notebook cells, not output channels or diff views. */
export const HOVER_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'vscode-remote' },
  { scheme: 'vscode-vfs' },
  { scheme: CELL_SCHEME },
];

export class LensHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const settings = this.services.settings();
    if (!hoverEnabledFor(settings.hoverEnabled, document.languageId)) return undefined;
    const offset = document.offsetAt(position);
    const selection = this.selectionAround(document, position);
    // In files of other languages only a selection is math.
    if (!selection && documentKind(document.languageId) === 'other') return undefined;
    const view = engineView(document);
    const target = {
      uri: document.uri.toString(),
      start: selection?.start ?? offset,
      end: selection?.end ?? offset,
    };
    try {
      const reply = await this.services.hoverEngine.request(
        {
          kind: 'hover',
          doc: view.doc,
          where: engineWhere(view, selection ?? offset),
          settings: settings.engine,
          remembered: this.services.allRememberedVariables(),
        },
        HOVER_BUDGET_MS,
        token,
      );
      if (reply.kind === 'cancelled' || token.isCancellationRequested) return undefined;
      if (reply.kind !== 'done') {
        if (reply.kind === 'failed') this.services.log(`hover: ${reply.why}`);
        const markdown = new vscode.MarkdownString(troubleMarkdown(reply, target));
        markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
        return new vscode.Hover(markdown);
      }
      const outcome = reply.answer;
      if (!outcome) return undefined;
      // In a notebook the math is in this cell: the engine's offsets are in the notebook's Markdown.
      const at = view.fromEngine(outcome.kind === 'chain' ? outcome.range : outcome.math.range);
      if (!at) return undefined;
      const range = new vscode.Range(document.positionAt(at.start), document.positionAt(at.end));
      if (outcome.kind === 'error') {
        if (outcome.internal)
          this.services.log(`hover on ${JSON.stringify(outcome.math.text)}: ${outcome.internal}`);
        return new vscode.Hover(new vscode.MarkdownString(errorMarkdown(outcome.message)), range);
      }
      const theme = vscode.window.activeColorTheme.kind;
      const tex =
        outcome.kind === 'chain'
          ? chainTex(outcome.steps, view.doc.text, verdictColours(theme))
          : hoverTex(outcome.result);
      const image = await this.image(tex, theme, settings.hoverScale);
      if (token.isCancellationRequested) return undefined;
      const markdown = new vscode.MarkdownString(
        outcome.kind === 'chain'
          ? chainMarkdown({
              steps: outcome.steps,
              text: view.doc.text,
              target,
              lineName: view.lineName,
              ...(image ? { image } : {}),
            })
          : hoverMarkdown({
              result: outcome.result,
              declarations: outcome.declarations,
              ...(outcome.definitions ? { definitions: outcome.definitions } : {}),
              target,
              lineName: view.lineName,
              ...(image ? { image } : {}),
            }),
      );
      markdown.isTrusted = {
        enabledCommands: [...(outcome.kind === 'chain' ? CHAIN_HOVER_COMMANDS : HOVER_COMMANDS)],
      };
      return new vscode.Hover(markdown, range);
    } catch (e) {
      // A hover must never throw into the editor; the details go to the output channel.
      this.services.logError('hover', e);
      return undefined;
    }
  }

  /** `tex` typeset as a `data:` URL within `TYPESET_BUDGET_MS`; undefined when late, unreadable or too large. */
  private async image(tex: string, theme: vscode.ColorThemeKind, scale: number): Promise<string | undefined> {
    const svg = await this.services.typesetter.typeset(tex, true, TYPESET_BUDGET_MS);
    if (!svg) return undefined;
    const uri = svgDataUri(styleSvg(svg, theme, scale));
    return uri.length <= MAX_IMAGE_BYTES ? uri : undefined;
  }

  /** The non-empty selection under the mouse in an editor showing `document`, as offsets. */
  private selectionAround(document: vscode.TextDocument, position: vscode.Position) {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      const s = editor.selections.find((sel) => !sel.isEmpty && sel.contains(position));
      if (s) return { start: document.offsetAt(s.start), end: document.offsetAt(s.end) };
    }
    return undefined;
  }
}
