/**
 * The HTML both webviews (the panel and the side view) start from, and the
 * model they are sent to render. Pure (no `vscode`): the Content-Security-
 * Policy and the model are unit-tested. `media/panel.js` draws the model
 * with KaTeX.
 */
import { randomBytes } from 'node:crypto';
import type { Layout, Operation, Value } from '../core/api';
import type { Outcome } from './engine';
import { assumptionLines, operationTitle } from './hoverContent';

/** A fresh value for `script-src 'nonce-…'`: only our two scripts run. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Local resources only: styles, fonts and images from the extension, scripts by nonce, nothing from the network. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export interface WebviewResources {
  /** `webview.cspSource` */
  readonly cspSource: string;
  readonly nonce: string;
  /** `webview.asWebviewUri` of media/vendor/katex/katex.min.css, …/katex.min.js, media/panel.css, media/panel.js. */
  readonly katexCss: string;
  readonly katexJs: string;
  readonly css: string;
  readonly js: string;
}

/** `panel` shows one result with all controls; `view` (the side bar) adds a history and is compact. */
export type WebviewMode = 'panel' | 'view';

export function webviewHtml(r: WebviewResources, mode: WebviewMode): string {
  const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(r.cspSource, r.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(r.katexCss)}">
<link rel="stylesheet" href="${attr(r.css)}">
<title>Jacobian Lens</title>
</head>
<body class="mode-${mode}" data-mode="${mode}">
<main id="app"><p id="message" class="message">Put the cursor in a formula or select an expression.</p></main>
<script nonce="${r.nonce}" src="${attr(r.katexJs)}"></script>
<script nonce="${r.nonce}" src="${attr(r.js)}"></script>
</body>
</html>`;
}

/** What the extension keeps about a webview's subject; also the panel's saved state (it survives a reload). */
export interface Subject {
  readonly uri: string;
  readonly languageId: string;
  readonly math: {
    readonly text: string;
    readonly range: { start: number; end: number };
    readonly base: number;
    readonly lang?: 'latex' | 'ts';
  };
  readonly op?: Operation;
  readonly layout?: Layout;
  /** The point as the person typed it. */
  readonly point?: string;
}

export interface VariableChoice {
  readonly name: string;
  readonly shape?: string;
  readonly chosen: boolean;
}

/** What `media/panel.js` renders (message `{ type: 'show', model }`). */
export interface ViewModel {
  readonly state: 'result' | 'error' | 'empty';
  /** The error, or why there is nothing to show. */
  readonly message?: string;
  readonly title?: string;
  readonly inputLatex?: string;
  readonly resultLatex?: string;
  readonly resultText?: string;
  readonly code?: string;
  readonly shape?: string;
  readonly expandedLatex?: string;
  readonly definitions: readonly string[];
  readonly conditions: readonly string[];
  readonly assumptions: readonly string[];
  readonly op: 'auto' | Operation;
  readonly layout: Layout;
  readonly variables: readonly VariableChoice[];
  readonly point: string;
  readonly valueLatex?: string;
  readonly history: readonly { readonly latex: string; readonly text: string }[];
  /** Saved with `setState` by the webview; handed back to the serializer after a reload. */
  readonly subject?: Subject;
}

export function emptyModel(message: string, layout: Layout): ViewModel {
  return {
    state: 'empty',
    message,
    definitions: [],
    conditions: [],
    assumptions: [],
    op: 'auto',
    layout,
    variables: [],
    point: '',
    history: [],
  };
}

/**
 * The model for an outcome. `candidates` are the variables offered in the
 * variable choice (the ones differentiated by are ticked).
 */
export function viewModel(
  outcome: Outcome,
  subject: Subject,
  candidates: readonly string[],
  layout: Layout,
  history: ViewModel['history'] = [],
): ViewModel {
  const base: ViewModel = {
    ...emptyModel('', layout),
    op: subject.op ?? 'auto',
    point: subject.point ?? '',
    history,
    subject,
  };
  if (outcome.kind === 'error') {
    return {
      ...base,
      state: 'error',
      message: `Jacobian Lens: ${outcome.message}`,
      variables: candidates.map((name) => ({ name, chosen: false })),
    };
  }
  const { result, declarations } = outcome;
  const chosen = new Map(result.wrt.map((v) => [v.name, v.shape]));
  const names = [...new Set([...result.wrt.map((v) => v.name), ...candidates])];
  return {
    ...base,
    state: 'result',
    title: `${operationTitle(result.op)} (${result.shape})`,
    inputLatex: result.input.latex,
    resultLatex: result.latex,
    resultText: result.text,
    code: result.code,
    shape: result.shape,
    ...(result.expanded ? { expandedLatex: result.expanded.latex } : {}),
    definitions: result.definitions.map((d) => d.definitionLatex),
    conditions: result.conditions,
    assumptions: assumptionLines(result, declarations),
    layout: result.layout,
    variables: names.map((name) => ({ name, shape: chosen.get(name), chosen: chosen.has(name) })),
    ...(result.value !== undefined ? { valueLatex: valueLatex(result.value) } : {}),
  };
}

/** A number, vector or matrix as LaTeX (a vector is a column). */
export function valueLatex(v: Value): string {
  const num = (x: number) => {
    const s = Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
    return s.replace(/e\+?(-?\d+)$/, '\\times 10^{$1}');
  };
  if (typeof v === 'number') return num(v);
  const rows = v.map((row) => (Array.isArray(row) ? row.map(num).join(' & ') : num(row)));
  return `\\begin{bmatrix}${rows.join(' \\\\ ')}\\end{bmatrix}`;
}
