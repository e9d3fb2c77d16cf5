/**
 * The extension in a real VS Code workbench (code-server + Chromium). Run with `npm run test:e2e`,
 * which builds the extension, provisions the editor, and runs this suite against each build (the
 * desktop build, then with `E2E_BUILD=web` the web build in the web worker extension host).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { contrast, matricesIn, normalizeTex, paintColors, parseColor, transpose } from './checks';
import { buildUnderTest, Editor, positionOf, svgOf, type Hover } from './harness';

let editor: Editor;
const build = buildUnderTest();

before(async () => {
  editor = await Editor.start();
});

after(async () => {
  await editor?.stop();
});

/** A test that always leaves a screenshot in test-results/, also (most usefully) when it fails. */
function e2e(name: string, body: () => Promise<void>): void {
  test(`${build}: ${name}`, { timeout: 90_000 }, async () => {
    try {
      await body();
    } finally {
      await editor.screenshot(`${build} ${name}`).catch(() => undefined);
      // Each test starts from one empty editor group (no panel left over from the one before).
      await editor.closeAllEditors().catch(() => undefined);
    }
  });
}

/** Opens a fixture and hovers the first occurrence of `needle` in it. */
async function hoverOn(file: string, needle: string, waitMs?: number): Promise<Hover | undefined> {
  await editor.open(file);
  const { line, column } = positionOf(editor.fixture(file), needle);
  return editor.hoverAt(line, column, waitMs);
}

const svgImages = (hover: Hover | undefined) =>
  (hover?.images ?? []).filter((image) => image.src.startsWith('data:image/svg+xml'));

/**
 * Like hoverOn, for math that should come typeset. MathJax starts in a worker on activation; a
 * hover that arrives before it is ready shows the result as text, and the next one the image.
 */
async function typesetHoverOn(file: string, needle: string): Promise<Hover | undefined> {
  const hover = await hoverOn(file, needle);
  return svgImages(hover).length > 0 ? hover : hoverOn(file, needle);
}

/** Our hover is the one with a typeset (SVG) result or our name on it. */
const isOurs = (hover: Hover | undefined) =>
  hover !== undefined && (svgImages(hover).length > 0 || hover.text.includes('Jacobian Lens'));

function ourHover(hover: Hover | undefined, where: string): Hover {
  assert.ok(hover, `no hover appeared on ${where}\n${editor.log().slice(-2000)}`);
  assert.ok(isOurs(hover), `the hover on ${where} is not ours: ${hover.text}`);
  return hover;
}

e2e('workbench loads and opens a Markdown file', async () => {
  await editor.open('gradient.md');
  const text = await editor.page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .innerText();
  // Monaco renders spaces as non-breaking ones.
  assert.match(text.replace(/\u00a0/g, ' '), /A scalar function of two variables/);
});

e2e('hover on Markdown math shows the typeset gradient and the assumptions', async () => {
  const hover = ourHover(await typesetHoverOn('gradient.md', '3x^2y'), '$f(x,y) = 3x^2y$');
  assert.equal(svgImages(hover).length > 0, true, 'no SVG image in the hover');
  assert.match(hover.text, /\bx, y\b/, `assumptions do not name x, y: ${hover.text}`);
  assert.match(hover.text, /\b6xy\b/, `gradient 6xy missing: ${hover.text}`);
});

e2e(
  "the engine and MathJax run in the build's workers: Web Workers without Node in the web build",
  async () => {
    ourHover(await typesetHoverOn('gradient.md', '3x^2y'), '$f(x,y) = 3x^2y$');
    const ours = (await editor.workers()).filter((worker) =>
      / -> Jacobian Lens (engine|MathJax)$/.test(worker.name),
    );
    if (build === 'desktop') {
      // Worker threads of the Node extension host: no Web Worker in the page.
      assert.deepEqual(ours, []);
      return;
    }
    // Started by VS Code's web worker extension host (it prefixes its own name), with no Node inside.
    // The panel's engine is a second worker of the same name once a command ran.
    assert.deepEqual([...new Set(ours.map((worker) => worker.name))].sort(), [
      'ExtensionHostWorker -> Jacobian Lens MathJax',
      'ExtensionHostWorker -> Jacobian Lens engine',
    ]);
    assert.ok(
      ours.every((worker) => !worker.node),
      "a worker has Node's process",
    );
  },
);

e2e('hover uses a declaration from an earlier line (quadratic form)', async () => {
  const hover = ourHover(
    await hoverOn('quadratic.md', 'A\\mathbf{x}$ has'),
    '$\\mathbf{x}^\\top A\\mathbf{x}$',
  );
  // As the plain-text line `(A + Aᵀ)x`, or as LaTeX in the image's alt text.
  const alts = hover.images.map((image) => normalizeTex(image.alt));
  assert.ok(
    hover.text.includes('(A + Aᵀ)x') ||
      alts.some((alt) => alt.includes(normalizeTex('(A + A^\\top)\\mathbf{x}'))),
    `(A + A^T)x not reported: ${hover.text}`,
  );
  const declarationLine = positionOf(editor.fixture('quadratic.md'), '\\mathbf{x}\\in').line;
  assert.match(
    hover.text,
    new RegExp(`\\bline ${declarationLine}\\b`),
    `declaration's line not named: ${hover.text}`,
  );
});

e2e('hover in TypeScript shows the gradient of an arrow function', async () => {
  const hover = ourHover(await hoverOn('neuron.ts', 'Math.exp'), 'the arrow function in neuron.ts');
  // d/dx brings down -2x, d/dy turns cos y into -sin y.
  const text = hover.text.replace(/\s+/g, '');
  assert.match(text, /2x/, `no -2x factor in the gradient: ${hover.text}`);
  assert.match(text, /sin/, `no sin y in the gradient: ${hover.text}`);
});

const SHOW_SIDE_VIEW = 'Focus on Live Derivative View';

const jacobianOfG = [
  ['2xy', 'x^2'],
  ['1', '3'],
  ['y', 'x'],
];

type WebviewMode = 'panel' | 'view';

/**
 * Waits until a Jacobian Lens webview (the panel or the side view) shows `expected` as its result,
 * read from the TeX source KaTeX typeset, and checks KaTeX rendered everything on the page.
 */
async function waitForResult(mode: WebviewMode, expected: string[][], timeoutMs = 15_000): Promise<void> {
  const frame = await editor.webviewFrame(`body[data-mode="${mode}"] #result`);
  const deadline = Date.now() + timeoutMs;
  let shown: string[][][] = [];
  while (Date.now() < deadline) {
    const tex = (await frame.locator('#result').getAttribute('data-latex')) ?? '';
    shown = matricesIn(tex);
    if (shown.some((m) => JSON.stringify(m) === JSON.stringify(expected))) {
      assert.ok((await frame.locator('#result .katex').count()) > 0, 'the result is not typeset by KaTeX');
      assert.equal(
        await frame.locator('.katex-error, .render-error').count(),
        0,
        'KaTeX could not render part of it',
      );
      return;
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  assert.fail(`the ${mode} never showed ${JSON.stringify(expected)}; it shows ${JSON.stringify(shown)}`);
}

e2e('Show Jacobian opens the panel; the layout switch transposes it', async () => {
  await editor.open('vector.md');
  const math = '\\mathbf{g}(x, y) = \\begin{pmatrix} x^2 y \\\\ x + 3y \\\\ x y \\end{pmatrix}';
  const { line, column } = positionOf(editor.fixture('vector.md'), math);
  await editor.select(line, column, math.length);
  await editor.runCommand('Jacobian Lens: Show Jacobian');
  await waitForResult('panel', jacobianOfG);
  const frame = await editor.webviewFrame('body[data-mode="panel"] #result');
  await frame.locator('#layout-denominator').check();
  await waitForResult('panel', transpose(jacobianOfG));
  // KaTeX's script, styles and fonts all came from the extension under the webview's policy.
  assert.deepEqual(editor.cspViolations, []);
});

e2e('the side view follows the cursor to another expression', async () => {
  await editor.open('vector.md');
  const text = editor.fixture('vector.md');
  const first = positionOf(text, 'x^2 y');
  await editor.goTo(first.line, first.column);
  await editor.runCommand(SHOW_SIDE_VIEW);
  await waitForResult('view', jacobianOfG);
  await editor.runCommand('View: Focus First Editor Group');
  const second = positionOf(text, 'x y^2');
  await editor.goTo(second.line, second.column);
  // The gradient of h(x, y) = x y^2, a column.
  await waitForResult('view', [['y^2'], ['2xy']]);
});

e2e('malformed math gives a one-line error, and hovers keep working', async () => {
  const hover = ourHover(await hoverOn('errors.md', '\\frac{1}{$'), '$\\frac{1}{$');
  const errorLine = hover.text.split('\n').find((l) => /column \d+/.test(l));
  assert.ok(errorLine, `no error line with a column: ${hover.text}`);
  assert.ok(errorLine.length < 160, `error line is not short: ${errorLine}`);
  assert.doesNotMatch(
    hover.text,
    /\n\s+at |Error:|undefined/,
    `stack trace or internals shown: ${hover.text}`,
  );
  const next = ourHover(await hoverOn('errors.md', 'x^3'), '$g(x) = x^3$ after an error');
  assert.ok(next.text.includes('3x²'), `derivative 3x² missing: ${next.text}`);
});

e2e(
  'an expensive formula does not hold up the editor: one line past the budget, then hovers work',
  async () => {
    // Fourteen nested softmax: seconds in the core. The hover is answered within its budget. The side view,
    // open, follows the cursor into the formula too and works on it with its own, longer budget.
    await editor.open('nested.md');
    await editor.runCommand(SHOW_SIDE_VIEW);
    await editor.runCommand('View: Focus First Editor Group');
    const started = Date.now();
    const hover = ourHover(await hoverOn('nested.md', 'W\\mathbf{x}'), 'fourteen nested softmax');
    const elapsed = Date.now() - started;
    if (hover.text.includes('took too long')) {
      assert.match(
        hover.text,
        /Jacobian Lens: took too long \(more than 300 ms\) — open the panel to try with more time/,
      );
      assert.equal(hover.text.trim().split('\n').length, 1, `more than one line: ${hover.text}`);
    } else {
      // The core may have become fast enough: then it is the result.
      assert.match(hover.text, /Jacobian/, `neither a result nor "took too long": ${hover.text}`);
    }
    assert.ok(elapsed < 6000, `the hover took ${elapsed} ms to appear`);
    const cheap = ourHover(await hoverOn('nested.md', 'x^4'), '$h(x) = x^4$ right after');
    assert.ok(cheap.text.includes('4x³'), `derivative 4x³ missing: ${cheap.text}`);
  },
);

e2e('prose, lists in math and plain code get no hover from us', async () => {
  const prose = await hoverOn('prose.md', 'words about', 2500);
  assert.ok(!isOurs(prose), `our hover on prose: ${prose?.text}`);
  for (const math of ['\\dots, x_K', 'SGD, Adam']) {
    const list = await hoverOn('prose.md', math, 2500);
    assert.ok(!isOurs(list), `our hover on the list ${math}: ${list?.text}`);
  }
  const fenced = await hoverOn('prose.md', "'hello'", 2500);
  assert.ok(!isOurs(fenced), `our hover on a code block in prose: ${fenced?.text}`);
  // TypeScript's own hover appears here, which shows hovering works and ours stays out of it.
  const code = await hoverOn('plain.ts', 'greeting.toUpperCase');
  assert.ok(code, 'no hover at all on plain.ts (TypeScript should give one)');
  assert.match(code.text, /const greeting: string/);
  assert.ok(!isOurs(code), `our hover on plain code: ${code.text}`);
});

for (const [kind, theme, workbenchClass] of [
  ['dark', 'Dark Modern', 'vs-dark'],
  ['light', 'Light Modern', 'vs'],
] as const) {
  e2e(`hover images are readable in a ${kind} theme`, async () => {
    await editor.setColorTheme(theme, workbenchClass);
    const hover = ourHover(
      await typesetHoverOn('gradient.md', '3x^2y'),
      `$f(x,y) = 3x^2y$ in the ${kind} theme`,
    );
    const background = parseColor(hover.background);
    for (const image of svgImages(hover)) {
      const colors = paintColors(svgOf(image.src));
      assert.ok(colors.length > 0, 'the SVG paints nothing');
      for (const color of colors) {
        const ratio = contrast(parseColor(color), background);
        assert.ok(ratio >= 4.5, `${color} on ${hover.background} has contrast ${ratio.toFixed(2)} < 4.5`);
      }
    }
  });
}

/** The message of each row of the Problems panel, once `expected` rows show (or its time is up). */
async function problems(expected: number, timeoutMs = 15_000): Promise<string[]> {
  await editor.runCommand('Problems: Focus on Problems View');
  const rows = editor.page.locator(
    '.markers-panel .monaco-list-row .marker-message-details, .markers-panel .monaco-list-row .marker-message',
  );
  const deadline = Date.now() + timeoutMs;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown = await rows.allInnerTexts();
    if (shown.length === expected) break;
    await new Promise((done) => setTimeout(done, 250));
  }
  await editor.runCommand('View: Focus First Editor Group');
  return shown;
}

e2e('hover on a chain in a Markdown note shows the verdict of each step, the wrong one first', async () => {
  const hover = ourHover(
    await typesetHoverOn('derivation.md', '\\mathbf{x}^\\top\\mathbf{x} ='),
    'the chain ∇‖x‖² = ∇xᵀx = 3x',
  );
  assert.equal(svgImages(hover).length > 0, true, `the chain is not typeset: ${hover.text}`);
  assert.match(hover.text, /Derivation check — 2 steps: 1 wrong, 1 hold/, hover.text);
  const wrong = hover.text.indexOf('✗ line 5');
  const holds = hover.text.indexOf('✓ line 5');
  assert.ok(wrong >= 0 && holds > wrong, `the wrong step is not first: ${hover.text}`);
  assert.match(
    hover.text,
    /\\mathbf\{x\}\^\\top\\mathbf\{x\} = 3\\mathbf\{x\} does not hold; the right side is 2 \\mathbf\{x\}/,
  );
  assert.match(
    hover.text,
    /uses \\mathbf\{x\} \\in \\mathbb\{R\}\^n \(line 3\)/,
    'the declaration used is not named',
  );
});

e2e('the panel opened on a chain shows each step with its verdict', async () => {
  await editor.open('derivation.md');
  const { line, column } = positionOf(editor.fixture('derivation.md'), '\\mathbf{x}^\\top\\mathbf{x} =');
  await editor.goTo(line, column);
  await editor.runCommand('Jacobian Lens: Show Jacobian');
  const frame = await editor.webviewFrame('body[data-mode="panel"] #chain .chain-step');
  const steps = frame.locator('#chain .chain-step');
  assert.equal(await steps.count(), 2);
  assert.equal(await steps.nth(0).getAttribute('data-verdict'), 'wrong');
  assert.equal(await steps.nth(1).getAttribute('data-verdict'), 'holds');
  assert.equal(await steps.nth(0).locator('.chain-expected').getAttribute('data-latex'), '2 \\mathbf{x}');
  assert.ok((await steps.nth(0).locator('.chain-math .katex').count()) > 0, 'the step is not typeset');
  assert.equal(
    await frame.locator('.katex-error, .render-error').count(),
    0,
    'KaTeX could not render a step',
  );
  assert.match(await frame.locator('#chain-summary').innerText(), /2 steps: 1 wrong, 1 hold/);
  assert.equal(await frame.locator('#content').isHidden(), true, 'the derivative part is shown on a chain');
});

e2e(
  'Check Derivations in File warns on the wrong step only; its quick fix writes the correct side',
  async () => {
    await editor.open('derivation.md');
    await editor.runCommand('Jacobian Lens: Check Derivations in File');
    const found = await problems(1);
    assert.equal(found.length, 1, `not one problem: ${JSON.stringify(found)}`);
    assert.match(
      found[0],
      /^\\nabla_\{\\mathbf\{x\}\} \\mathbf\{x\}\^\\top\\mathbf\{x\} = 3\\mathbf\{x\} does not hold; the right side is 2 \\mathbf\{x\}/,
    );
    const squiggles = editor.page.locator('.editor-group-container.active .squiggly-warning');
    await squiggles.first().waitFor({ state: 'attached' });
    assert.equal(await squiggles.count(), 1, 'not one warning squiggle in the editor');

    const { line, column } = positionOf(editor.fixture('derivation.md'), '3\\mathbf{x}$');
    await editor.goTo(line, column + 1);
    await editor.page.keyboard.press('Control+.');
    const fix = editor.page.locator('.action-widget .monaco-list-row', { hasText: 'Replace the right side' });
    await fix.first().click();
    await editor.page.waitForFunction(() =>
      document
        .querySelector('.editor-group-container.active .monaco-editor .view-lines')
        ?.textContent?.replace(/\u00a0/g, ' ')
        .includes('\\mathbf{x}^\\top\\mathbf{x} = 2 \\mathbf{x}$'),
    );
    // The edit drops the warning it fixed at once, before any new check.
    await squiggles.first().waitFor({ state: 'detached' });
    await editor.page.keyboard.press('Control+S');
    assert.deepEqual(await problems(0), [], 'a problem is left after the fix and the check on save');
    assert.ok(
      editor.fixture('derivation.md').includes('\\mathbf{x}^\\top\\mathbf{x} = 2 \\mathbf{x}$.'),
      'the fix is not saved',
    );
  },
);
