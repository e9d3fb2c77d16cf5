/**
 * A Jupyter notebook in the real workbench (code-server's built-in ipynb support; no kernel): the hover in a
 * Markdown cell reads the cells above it, and "Check Derivations in File" puts its finding on a cell.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Editor, type Hover } from './harness';

let editor: Editor;

before(async () => {
  editor = await Editor.start();
});

after(async () => {
  await editor?.stop();
});

const NOTEBOOK = 'neuron.ipynb';

function e2e(name: string, body: () => Promise<void>): void {
  test(name, { timeout: 120_000 }, async () => {
    try {
      await body();
    } finally {
      await editor.screenshot(name).catch(() => undefined);
    }
  });
}

/** Opens the notebook through Quick Open and waits for its cells. */
async function openNotebook(): Promise<void> {
  const page = editor.page;
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(NOTEBOOK);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${NOTEBOOK}"]`).first().click();
  await page.waitForSelector(`.tab.active[aria-label*="${NOTEBOOK}"]`);
  // A row of the cell list is laid out over the webview of rendered Markdown: attached, not "visible".
  await page.waitForSelector('.notebook-editor .cell-list-container .markdown-cell-row', {
    state: 'attached',
    timeout: 30_000,
  });
}

/** Puts cell `index` (0-based) into edit mode: the first cell, down to it, Enter; waits for its editor's focus. */
async function editCell(index: number): Promise<void> {
  const page = editor.page;
  await page.keyboard.press('Escape');
  await editor.runCommand('Notebook: Focus First Cell');
  for (let k = 0; k < index; k++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.notebook-editor .monaco-editor.focused');
}

/**
 * Moves the mouse over the first character of `needle` in the focused cell's editor (found in Monaco's
 * rendered lines) and returns the hover that appears, or undefined.
 */
async function hoverOnText(needle: string): Promise<Hover | undefined> {
  const page = editor.page;
  await page.mouse.move(5, 5);
  const point = await page.evaluate((wanted) => {
    const lines = document.querySelectorAll('.notebook-editor .monaco-editor.focused .view-line');
    for (const line of lines) {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = (node.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(wanted);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        const box = range.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }
    }
    return undefined;
  }, needle);
  if (!point) throw new Error(`${needle} is not shown in the cell being edited`);
  await page.mouse.move(point.x, point.y, { steps: 3 });
  const hover = page.locator('.monaco-hover:visible .monaco-hover-content').first();
  try {
    await hover.waitFor({ state: 'visible', timeout: 8000 });
  } catch {
    await page.mouse.move(point.x + 1, point.y);
    await hover.waitFor({ state: 'visible', timeout: 8000 }).catch(() => undefined);
  }
  if (!(await hover.isVisible())) return undefined;
  await page
    .waitForFunction(
      (element) => !(element as HTMLElement).innerText.includes('Loading...'),
      await hover.elementHandle(),
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  return hover
    .evaluate((element) => ({
      text: (element as HTMLElement).innerText,
      images: [...element.querySelectorAll('img')].map((img) => ({
        src: img.getAttribute('src') ?? '',
        alt: img.getAttribute('alt') ?? '',
      })),
      background: '',
    }))
    .catch(() => undefined);
}

e2e('hover in a Markdown cell uses the definition and declarations of a cell above', async () => {
  await openNotebook();
  await editCell(2);
  let hover = await hoverOnText('\\partial z');
  // The first hover may come before MathJax is loaded; the second is typeset.
  if (!hover?.images.some((i) => i.src.startsWith('data:image/svg+xml')))
    hover = await hoverOnText('\\partial z');
  assert.ok(hover, `no hover in the Markdown cell\n${editor.log().slice(-2000)}`);
  assert.match(hover.text, /Jacobian Lens/, `not our hover: ${hover.text}`);
  // z = wᵀx + b from the first cell, with x and w declared there: ∂z/∂w = xᵀ.
  assert.match(
    hover.text,
    /uses z = \\mathbf\{w\}\^\\top\\mathbf\{x\} \+ b/,
    `definition not used: ${hover.text}`,
  );
  assert.match(hover.text, /xᵀ/, `gradient xᵀ missing: ${hover.text}`);
});

e2e('"Check Derivations in File" in a notebook puts the wrong step on its cell', async () => {
  await openNotebook();
  await editCell(3);
  await editor.runCommand('Jacobian Lens: Check Derivations in File');
  // The wrong right side is underlined in the cell being edited…
  await editor.page.waitForSelector('.notebook-editor .monaco-editor.focused .squiggly-warning', {
    state: 'attached',
    timeout: 30_000,
  });
  // …and listed in the Problems view under the notebook.
  await editor.runCommand('View: Focus Problems');
  const row = editor.page.locator('.markers-panel .monaco-list-row', { hasText: 'does not hold' }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  const text = await row.innerText();
  assert.match(text, /3t\^2 = 3t does not hold; the right side is 3t\^\{?2\}?/, text);
});
