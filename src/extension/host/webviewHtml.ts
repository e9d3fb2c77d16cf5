/**
 * The HTML both webviews (the panel and the side view) start from: our two
 * scripts by nonce under a strict Content-Security-Policy, local resources
 * only. Pure (no `vscode`), so the policy is unit-tested. The script
 * (src/webview/panel.ts) draws the model viewModel.ts builds.
 */
/** A fresh value for `script-src 'nonce-…'`: only our two scripts run. Web Crypto: Node and browsers have it. */
export function makeNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
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
  /** `webview.asWebviewUri` of media/vendor/katex/katex.min.css, …/katex.min.js, media/panel.css, dist/webview/panel.js. */
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
