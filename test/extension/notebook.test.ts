import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  cellLine,
  fromNotebook,
  notebookText,
  toNotebook,
  type NotebookCell,
} from '../../src/extension/shared/notebook';
import { answer } from '../../src/extension/engine/engineWorker';
import { hoverMarkdown, type LineName } from '../../src/extension/host/hoverContent';
import { chainMarkdown, chainModel } from '../../src/extension/host/checkContent';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';

const md = (text: string): NotebookCell => ({ text, joined: true });
const code = (text: string): NotebookCell => ({ text, joined: false });

test('the Markdown cells are joined in order, each after a blank line; code cells are left out', () => {
  const joined = notebookText([md('# Title'), code('x = 1'), md('$a$'), md('')]);
  assert.equal(joined.text, '# Title\n\n$a$\n\n');
  assert.deepEqual(joined.starts, [0, -1, 9, 14]);
});

test('an offset in a cell maps into the joined text and back to the same cell', () => {
  const joined = notebookText([code('import numpy as np'), md('ab'), code(''), md('cde')]);
  assert.equal(toNotebook(joined, 3, 1), 5);
  assert.equal(joined.text[toNotebook(joined, 3, 1)], 'd');
  assert.deepEqual(fromNotebook(joined, { start: 5, end: 7 }), { cell: 3, range: { start: 1, end: 3 } });
  // A cell's end belongs to it (a range may end there), an offset past it is clamped to it.
  assert.deepEqual(fromNotebook(joined, { start: 2, end: 2 }), { cell: 1, range: { start: 2, end: 2 } });
  assert.equal(toNotebook(joined, 1, 99), 2);
  // Between cells, or across two, is in no cell; a range running on into the blank line after its cell ends there.
  assert.equal(fromNotebook(joined, { start: 3, end: 3 }), undefined);
  assert.equal(fromNotebook(joined, { start: 1, end: 5 }), undefined);
  assert.deepEqual(fromNotebook(joined, { start: 0, end: 4 }), { cell: 1, range: { start: 0, end: 2 } });
});

test('a notebook without Markdown cells is an empty note', () => {
  const joined = notebookText([code('x = 1')]);
  assert.equal(joined.text, '');
  assert.equal(fromNotebook(joined, { start: 0, end: 0 }), undefined);
});

test('every offset of every Markdown cell goes to the same character of the joined text and comes back', () => {
  const cell = fc.record({ text: fc.string({ maxLength: 12 }), joined: fc.boolean() });
  fc.assert(
    fc.property(fc.array(cell, { maxLength: 8 }), (cells) => {
      const joined = notebookText(cells);
      cells.forEach((c, k) => {
        if (!c.joined) return;
        for (let offset = 0; offset <= c.text.length; offset++) {
          const at = toNotebook(joined, k, offset);
          assert.equal(joined.text.slice(at, at + c.text.length - offset), c.text.slice(offset));
          assert.deepEqual(fromNotebook(joined, { start: at, end: toNotebook(joined, k, c.text.length) }), {
            cell: k,
            range: { start: offset, end: c.text.length },
          });
        }
      });
    }),
  );
});

test('a notebook of 20,000 cells is joined and mapped', () => {
  const cells = Array.from({ length: 20_000 }, (_, k) => (k % 3 === 0 ? code('x = 1') : md(`$x_${k}$`)));
  const joined = notebookText(cells);
  const last = cells.length - 1;
  const at = toNotebook(joined, last, 1);
  assert.deepEqual(fromNotebook(joined, { start: at, end: at }), { cell: last, range: { start: 1, end: 1 } });
});

test('a line of the joined text is named by its cell (numbered as the notebook shows them) and its line there', () => {
  const joined = notebookText([md('a\nb'), code('x = 1\ny = 2'), md('c'), md('d\ne\n')]);
  assert.equal(joined.text, 'a\nb\n\nc\n\nd\ne\n');
  const named = (line: number) => cellLine(joined, line);
  assert.deepEqual(named(2), { cell: 1, line: 2 });
  assert.equal(named(3), undefined);
  assert.deepEqual(named(4), { cell: 3, line: 1 });
  assert.deepEqual(named(7), { cell: 4, line: 2 });
  assert.deepEqual(named(8), { cell: 4, line: 3 });
});

// A notebook as a person writes one: declarations and a definition in cells above, code between.
const cells = [
  md('# A neuron\n\nInputs $\\mathbf{x} \\in \\mathbb{R}^n$, weights $\\mathbf{w} \\in \\mathbb{R}^n$.'),
  code('import numpy as np\nz = w @ x + b'),
  md('The input sum is $z = \\mathbf{w}^\\top\\mathbf{x} + b$.'),
  md('Its gradient: $\\frac{\\partial z}{\\partial \\mathbf{w}}$.'),
  md('A step: $\\frac{d}{dt} t^3 = 3t^2 = 3t$.'),
];
const joined = notebookText(cells);
const doc = { text: joined.text, languageId: 'markdown' };
const settings = DEFAULT_SETTINGS;

test('a formula in a cell uses the declarations and definitions of the cells above it', () => {
  const where = toNotebook(joined, 3, cells[3].text.indexOf('\\partial z'));
  const outcome = answer({ kind: 'hover', doc, where, settings, remembered: {} });
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  // z is the definition of cell 3 (an inner product of two declared vectors): its gradient by w is x.
  assert.equal(outcome.result.latex, '\\mathbf{x}^\\top');
  assert.deepEqual(
    outcome.definitions?.map((d) => d.latex),
    ['z = \\mathbf{w}^\\top\\mathbf{x} + b'],
  );
  // The range of the math comes back in the cell hovered.
  assert.deepEqual(fromNotebook(joined, outcome.math.range), {
    cell: 3,
    range: {
      start: cells[3].text.indexOf('\\frac'),
      end: cells[3].text.indexOf('$.'),
    },
  });
});

test('the check of a notebook finds a wrong step, and its right side is in its cell', () => {
  const steps = answer({ kind: 'check', doc, settings });
  const wrong = steps.filter((s) => s.verdict === 'wrong');
  assert.equal(wrong.length, 1);
  const placed = fromNotebook(joined, wrong[0].rhsRange);
  assert.equal(placed?.cell, 4);
  assert.equal(cells[4].text.slice(placed?.range.start, placed?.range.end), '3t');
});

const cellName: LineName = (line) => {
  const at = cellLine(joined, line);
  return at ? `cell ${at.cell}, line ${at.line}` : `line ${line}`;
};

test('in a notebook the hover names the cell and line of each declaration and definition it used', () => {
  const where = toNotebook(joined, 3, cells[3].text.indexOf('\\partial z'));
  const outcome = answer({ kind: 'hover', doc, where, settings, remembered: {} });
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  const markdown = hoverMarkdown({
    result: outcome.result,
    declarations: outcome.declarations,
    ...(outcome.definitions ? { definitions: outcome.definitions } : {}),
    target: { uri: 'vscode-notebook-cell:/n.ipynb#c', start: 0, end: 0 },
    lineName: cellName,
  });
  assert.match(markdown, /declared \\\\mathbf\\\{w\\\} \\\\in \\\\mathbb\\\{R\\\}\^n, cell 1, line 3/);
  assert.match(markdown, /\+ b \\\(cell 3, line 1\\\)/);
});

test('in a notebook a chain names the cell of each step, in the hover and in the panel', () => {
  const steps = answer({ kind: 'check', doc, settings });
  const target = { uri: 'vscode-notebook-cell:/n.ipynb#c', start: 0, end: 0 };
  assert.match(chainMarkdown({ steps, text: joined.text, target, lineName: cellName }), /✗ cell 5, line 1: /);
  const model = chainModel(steps, joined.text, cellName);
  assert.equal(model.steps[0].verdict, 'wrong');
  assert.equal(model.steps[0].place, 'cell 5, line 1');
});

test("a Python cell is read with the notebook's Python cells: the imports of a cell above apply", () => {
  // Here the Python cells are the ones joined, the Markdown cell is not.
  const python = [
    { text: 'from scipy.special import expit\nimport numpy as np', joined: true },
    { text: 'The logistic loss, summed:', joined: false },
    { text: 'def f(x):\n    return expit(x).sum()', joined: true },
    { text: 'print(f(np.zeros(3)))', joined: true },
  ];
  const joinedCode = notebookText(python);
  const offset = python[2].text.indexOf('(x).sum');
  const hover = (text: string, where: number) =>
    answer({ kind: 'hover', doc: { text, languageId: 'python' }, where, settings, remembered: {} });
  // Alone, the cell does not say what expit is.
  assert.equal(hover(python[2].text, offset), undefined);
  const outcome = hover(joinedCode.text, toNotebook(joinedCode, 2, offset));
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  assert.equal(
    outcome.result.latex,
    '\\sigma\\left(\\mathbf{x}\\right) \\odot \\left(1 - \\sigma\\left(\\mathbf{x}\\right)\\right)',
  );
  // The def is found in its cell (lezer's def runs on to the line break after it, in the blank line before the next).
  assert.deepEqual(fromNotebook(joinedCode, outcome.math.range), {
    cell: 2,
    range: { start: 0, end: python[2].text.length },
  });
});
