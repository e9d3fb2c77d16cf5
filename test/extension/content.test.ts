import { test } from 'node:test';
import assert from 'node:assert/strict';
import { differentiate } from '../../src/core';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { differentiateAt } from '../../src/extension/engine/engine';
import {
  HOVER_COMMANDS,
  assumptionLines,
  errorMarkdown,
  escapeMarkdown,
  hoverEnabledFor,
  hoverMarkdown,
  hoverTex,
  inlineCode,
  resultText,
  troubleMarkdown,
} from '../../src/extension/host/hoverContent';
import { valueLatex, viewModel } from '../../src/extension/host/viewModel';
import { contentSecurityPolicy, makeNonce, webviewHtml } from '../../src/extension/host/webviewHtml';

const target = { uri: 'file:///notes.md', start: 10, end: 10 };

test('hover: title, image with the plain-text result as alt text, text line, assumptions, command links', () => {
  const result = differentiate('3x^2y', { lang: 'latex' });
  const md = hoverMarkdown({ result, declarations: [], image: 'data:image/svg+xml;base64,AAAA', target });
  assert.ok(md.startsWith(`**Jacobian Lens · Gradient** of \`${result.input.text}\``), md);
  assert.ok(md.includes(`![${escapeMarkdown(result.text)}](data:image/svg+xml;base64,AAAA)`), md);
  assert.ok(md.includes(`\n\`${result.text}\`\n`));
  assert.match(result.text, /^\[.*\]$/, 'alt text brackets need escaping');
  assert.match(
    md,
    /\*gradient with respect to x, y · x: scalar \\\(plain name\\\) · .* · layout: numerator\*/,
  );
  for (const command of HOVER_COMMANDS) {
    const link = new RegExp(`\\(command:${command.replace('.', '\\.')}\\?([^)]*)\\)`).exec(md);
    assert.ok(link, command);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [target]);
  }
});

test('hover without an image (typesetting not ready in time) still has the text result', () => {
  const result = differentiate('\\sin(x y)', { lang: 'latex' });
  const md = hoverMarkdown({ result, declarations: [], target });
  assert.doesNotMatch(md, /!\[/);
  assert.ok(md.includes(`\`${result.text}\``));
});

test('hover names the line a declaration came from', () => {
  const text = 'Let $\\mathbf{x} \\in \\mathbb{R}^n$.\n\nThen $\\|\\mathbf{x}\\|^2$ is smooth.';
  const outcome = differentiateAt({ text, languageId: 'markdown' }, text.indexOf('\\|^2'), DEFAULT_SETTINGS);
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  const lines = assumptionLines(outcome.result, outcome.declarations);
  assert.ok(
    lines.includes('x: vector(n) (declared \\mathbf{x} \\in \\mathbb{R}^n, line 1)'),
    lines.join('\n'),
  );
});

test('hover TeX carries conditions and definitions', () => {
  const result = differentiate('|x|', { lang: 'latex' });
  assert.ok(result.conditions.length > 0);
  assert.ok(hoverTex(result).includes(result.conditions[0].latex));
  // The plain-text line reads as text, not as LaTeX source.
  assert.ok(resultText(result).includes(`(${result.conditions[0].text})`));
  assert.ok(!resultText(result).includes('\\neq'));
});

test('an error is one escaped line', () => {
  const line = errorMarkdown('expected } to close \\frac at column 9');
  assert.equal(line, 'Jacobian Lens: expected \\} to close \\\\frac at column 9');
  assert.doesNotMatch(errorMarkdown('a\nb'), /\n/);
});

test('an engine without an answer is one line; past the budget it links to the panel', () => {
  const late = troubleMarkdown({ kind: 'timeout', budgetMs: 300 }, target);
  assert.match(
    late,
    /^Jacobian Lens: took too long \\\(more than 300 ms\\\) — \[open the panel\]\(command:jacobianLens\.openPanel\?/,
  );
  assert.ok(late.includes(encodeURIComponent(JSON.stringify([target]))));
  assert.match(late, /to try with more time$/);
  assert.ok(HOVER_COMMANDS.includes('jacobianLens.openPanel'));
  assert.doesNotMatch(late, /\n/);
  const memory = troubleMarkdown({ kind: 'crashed', why: 'out of memory', outOfMemory: true }, target);
  assert.equal(memory, 'Jacobian Lens: ran out of memory working on this formula');
  const stopped = troubleMarkdown({ kind: 'crashed', why: 'exit code 1', outOfMemory: false }, target);
  assert.equal(stopped, 'Jacobian Lens: the engine stopped \\(exit code 1\\)');
  assert.equal(
    troubleMarkdown({ kind: 'timeout', budgetMs: 5000 }, target).startsWith(
      'Jacobian Lens: took too long \\(more than 5 s\\)',
    ),
    true,
  );
});

test('escaping and inline code', () => {
  assert.equal(escapeMarkdown('[a](b) *c* `d`'), '\\[a\\]\\(b\\) \\*c\\* \\`d\\`');
  assert.equal(inlineCode('a`b'), '`` a`b ``');
  assert.equal(inlineCode('x\n y'), '`x y`');
});

test('hover.enabled: object per language with "*" for the rest, or an array of languages', () => {
  const map = { markdown: true, typescript: false, '*': false };
  assert.equal(hoverEnabledFor(map, 'markdown'), true);
  assert.equal(hoverEnabledFor(map, 'typescript'), false);
  assert.equal(hoverEnabledFor(map, 'python'), false);
  assert.equal(hoverEnabledFor({ markdown: false }, 'latex'), true);
  assert.equal(hoverEnabledFor(['latex'], 'latex'), true);
  assert.equal(hoverEnabledFor(['latex'], 'markdown'), false);
  assert.equal(hoverEnabledFor(undefined, 'markdown'), true);
});

test('webview CSP: nothing but local styles, fonts and images, and scripts with the nonce', () => {
  const nonce = makeNonce();
  assert.match(nonce, /^[A-Za-z0-9+/=]{24}$/);
  assert.notEqual(makeNonce(), nonce);
  const csp = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', nonce);
  assert.equal(
    csp,
    `default-src 'none'; style-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:; script-src 'nonce-${nonce}'`,
  );
  assert.doesNotMatch(csp, /unsafe/);
});

test('webview HTML: the CSP meta tag, every script with the nonce, KaTeX and our assets from the extension', () => {
  const r = {
    cspSource: 'vscode-webview://x',
    nonce: 'abc123',
    katexCss: 'vscode-webview://x/media/vendor/katex/katex.min.css',
    katexJs: 'vscode-webview://x/media/vendor/katex/katex.min.js',
    css: 'vscode-webview://x/media/panel.css',
    js: 'vscode-webview://x/dist/webview/panel.js',
  };
  const html = webviewHtml(r, 'panel');
  assert.ok(html.includes(`content="${contentSecurityPolicy(r.cspSource, r.nonce)}"`.replace(/'/g, "'")));
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(scripts.length, 2);
  for (const s of scripts) assert.ok(s.includes('nonce="abc123"'), s);
  for (const asset of [r.katexCss, r.katexJs, r.css, r.js]) assert.ok(html.includes(asset), asset);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(webviewHtml(r, 'view'), /data-mode="view"/);
});

test('view model: input, result, expanded form, variables and the saved subject', () => {
  const text = '$$ \\mathbf{x}^\\top \\mathbf{x} $$';
  const outcome = differentiateAt({ text, languageId: 'markdown' }, 5, DEFAULT_SETTINGS, {
    at: { x: [1, 2] },
  });
  assert.ok(outcome);
  const subject = { uri: 'file:///a.md', languageId: 'markdown', math: outcome.math, point: 'x=[1, 2]' };
  const model = viewModel(outcome, subject, ['x'], 'numerator');
  assert.equal(model.state, 'result');
  assert.equal(model.resultLatex, '2 \\mathbf{x}');
  assert.deepEqual(model.variables, [{ name: 'x', shape: 'vector(2)', chosen: true }]);
  assert.equal(model.valueLatex, '\\begin{bmatrix}2 \\\\ 4\\end{bmatrix}');
  assert.equal(model.point, 'x=[1, 2]');
  assert.deepEqual(model.subject, subject);
});

test('view model of an error shows the message', () => {
  const text = '$\\frac{a}{b$';
  const outcome = differentiateAt({ text, languageId: 'markdown' }, 3, DEFAULT_SETTINGS);
  assert.equal(outcome?.kind, 'error');
  if (!outcome) return;
  const model = viewModel(
    outcome,
    { uri: 'file:///a.md', languageId: 'markdown', math: outcome.math },
    [],
    'denominator',
  );
  assert.equal(model.state, 'error');
  assert.match(model.message ?? '', /^Jacobian Lens: expected \}/);
  assert.equal(model.layout, 'denominator');
});

test('values as LaTeX', () => {
  assert.equal(valueLatex(3), '3');
  assert.equal(valueLatex(0.1 + 0.2), '0.3');
  assert.equal(
    valueLatex([
      [1, 2],
      [3, 4],
    ]),
    '\\begin{bmatrix}1 & 2 \\\\ 3 & 4\\end{bmatrix}',
  );
  assert.equal(valueLatex(1e21), '1\\times 10^{21}');
});
