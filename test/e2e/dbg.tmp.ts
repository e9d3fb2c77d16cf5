import { Editor, positionOf } from './harness';
(async () => {
  const editor = await Editor.start();
  try {
    await editor.open('errors.md');
    const p = positionOf(editor.fixture('errors.md'), '\\frac{1}{$');
    const h = await editor.hoverAt(p.line, p.column + 2, 6000);
    console.log('A', JSON.stringify(h?.text));
    const q = positionOf(editor.fixture('errors.md'), 'x^3');
    console.log('B', JSON.stringify((await editor.hoverAt(q.line, q.column, 6000))?.text));
    console.log('C', JSON.stringify((await editor.hoverAt(p.line, p.column + 2, 6000))?.text));
    await editor.runCommand('Output: Show Output Channels...');
    await editor.pick('Jacobian Lens');
    await new Promise((d) => setTimeout(d, 2000));
    console.log(await editor.page.locator('.monaco-editor .view-lines').last().innerText().catch((e) => String(e)));
    await editor.screenshot('dbg');
  } finally {
    await editor.stop();
  }
})();
