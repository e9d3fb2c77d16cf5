/**
 * Desktop VS Code tests, run inside the extension host by `npm run test:desktop` (@vscode/test-cli,
 * which downloads VS Code: for contributors with internet access; CI runs the code-server suite in
 * test/e2e/extension.test.ts instead). They ask VS Code for the hovers our provider contributes.
 */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';

const folder = () => {
  const workspace = vscode.workspace.workspaceFolders?.[0];
  assert.ok(workspace, 'the fixtures folder is not open');
  return workspace.uri;
};

/** The Markdown text of every hover at the first occurrence of `needle` in a fixture. */
async function hoversAt(file: string, needle: string): Promise<string[]> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), file));
  await vscode.window.showTextDocument(document);
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${file} does not contain ${needle}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    document.positionAt(offset),
  );
  return hovers.flatMap((hover) =>
    hover.contents.map((content) => (typeof content === 'string' ? content : content.value)),
  );
}

const ours = (contents: string[]) => contents.filter((text) => text.includes('Jacobian Lens'));

suite('Jacobian Lens in desktop VS Code', () => {
  test('hover on Markdown math gives the typeset gradient', async () => {
    const [hover] = ours(await hoversAt('gradient.md', '3x^2y'));
    assert.ok(hover, 'no hover from Jacobian Lens');
    assert.match(hover, /data:image\/svg\+xml/);
    assert.match(hover, /6xy/);
  });

  test('a declaration on an earlier line makes x a vector', async () => {
    const [hover] = ours(await hoversAt('quadratic.md', 'A\\mathbf{x}$ has'));
    assert.ok(hover, 'no hover from Jacobian Lens');
    assert.match(hover, /\(A \+ Aᵀ\)x/);
    assert.match(hover, /line 3/);
  });

  test('hover in TypeScript gives the gradient', async () => {
    const [hover] = ours(await hoversAt('neuron.ts', 'Math.exp'));
    assert.ok(hover, 'no hover from Jacobian Lens');
    assert.match(hover, /sin/);
  });

  test('malformed math gives one line with a column', async () => {
    const [hover] = ours(await hoversAt('errors.md', '\\frac{1}{$'));
    assert.ok(hover, 'no hover from Jacobian Lens');
    assert.match(hover, /column \d+/);
    assert.doesNotMatch(hover, /\n/);
  });

  test('prose gets no hover from us', async () => {
    assert.deepEqual(ours(await hoversAt('prose.md', 'words about')), []);
  });

  test('Show Jacobian runs on a selection', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(), 'vector.md'));
    const editor = await vscode.window.showTextDocument(document);
    const math = '\\mathbf{g}(x, y)';
    const start = document.getText().indexOf(math);
    const end = document.getText().indexOf('\\end{pmatrix}') + '\\end{pmatrix}'.length;
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(end));
    await vscode.commands.executeCommand('jacobianLens.showJacobian');
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.ok(
      tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.includes('Jacobian Lens')),
      'no Jacobian Lens panel opened',
    );
  });

  test('hover on a chain gives the verdict of each step, the wrong one first', async () => {
    const [hover] = ours(await hoversAt('derivation.md', '\\mathbf{x}^\\top\\mathbf{x} ='));
    assert.ok(hover, 'no hover from Jacobian Lens');
    assert.match(hover, /2 steps: 1 wrong, 1 hold/);
    assert.ok(hover.indexOf('✗ line 5') < hover.indexOf('✓ line 5'), hover);
  });

  test('Check Derivations in File: one warning on the wrong step, and its quick fix', async () => {
    const uri = vscode.Uri.joinPath(folder(), 'derivation.md');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('jacobianLens.checkFile');
    const [warning, ...others] = vscode.languages.getDiagnostics(uri);
    assert.equal(others.length, 0, 'more than one finding');
    assert.equal(warning?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(warning.range), '3\\mathbf{x}');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      warning.range,
    );
    const fix = actions.find((action) => action.title.startsWith('Replace the right side'));
    assert.ok(fix?.edit, 'no quick fix');
    await vscode.workspace.applyEdit(fix.edit);
    assert.ok(
      document.getText().includes('\\mathbf{x}^\\top\\mathbf{x} = 2 \\mathbf{x}$'),
      document.getText(),
    );
    await vscode.commands.executeCommand('undo');
  });
});
