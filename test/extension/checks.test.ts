import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer } from '../../src/extension/engine/engineWorker';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { hoverMarkdown } from '../../src/extension/host/hoverContent';

const text = [
  '# A derivation',
  '',
  'The square: $(x + 1)^2 = x^2 + 2x + 1 = x^2 + 1$.',
  '',
  'A function $f(x) = \\sin(x^2)$ to differentiate.',
].join('\n');
const doc = { text, languageId: 'markdown' };
const settings = DEFAULT_SETTINGS;

test('a hover on a chain answers the verdict of each step, with the correct right side of a wrong one', () => {
  const request = { kind: 'hover', doc, where: text.indexOf('2x'), settings, remembered: {} } as const;
  // A hover's chain has a budget of 150 ms; the process's first check also loads and compiles the
  // checker, which on a loaded machine can take longer than that: the answer asserted is a warm one.
  answer(request);
  const outcome = answer(request);
  assert.equal(outcome?.kind, 'chain');
  if (outcome?.kind !== 'chain') return;
  assert.deepEqual(
    outcome.steps.map((s) => [s.lhs, s.rhs, s.verdict]),
    [
      ['(x + 1)^2', 'x^2 + 2x + 1', 'holds'],
      ['x^2 + 2x + 1', 'x^2 + 1', 'wrong'],
    ],
  );
  assert.equal(text.slice(outcome.steps[1].rhsRange.start, outcome.steps[1].rhsRange.end), 'x^2 + 1');
  assert.deepEqual(outcome.range, { start: text.indexOf('(x + 1)'), end: text.indexOf('$.') });
  // The panel asks the same chain by offset.
  assert.deepEqual(answer({ kind: 'chain', doc, where: text.indexOf('2x'), settings }), outcome);
});

test('a hover on a function definition still differentiates it; a selection never asks the checker', () => {
  assert.equal(
    answer({ kind: 'hover', doc, where: text.indexOf('\\sin'), settings, remembered: {} })?.kind,
    'result',
  );
  const selected = { start: text.indexOf('x^2 + 2x'), end: text.indexOf(' = x^2 + 1') };
  assert.equal(answer({ kind: 'hover', doc, where: selected, settings, remembered: {} })?.kind, 'result');
  assert.equal(answer({ kind: 'chain', doc, where: text.indexOf('\\sin'), settings }), undefined);
});

test('checking a note gives every step; a file that is not a note has none', () => {
  const steps = answer({ kind: 'check', doc, settings });
  assert.deepEqual(
    steps.map((s) => s.verdict),
    ['holds', 'wrong'],
  );
  assert.deepEqual(answer({ kind: 'check', doc: { text, languageId: 'typescript' }, settings }), []);
});

test('a hover on a formula resolves the names the note defined before it, and says which, with their lines', () => {
  const note = [
    '# A neuron',
    '',
    'The input sum is $z = \\mathbf{w}\\cdot\\mathbf{x} + b$.',
    '',
    'Its gradient: $\\frac{\\partial z}{\\partial \\mathbf{w}}$.',
    '',
    '# Another section',
    '',
    'Here $\\frac{\\partial z}{\\partial \\mathbf{w}}$ is a new z.',
  ].join('\n');
  const at = (k: number) => {
    let i = -1;
    for (let n = 0; n <= k; n++) i = note.indexOf('\\partial z', i + 1);
    return i;
  };
  const outcome = answer({
    kind: 'hover',
    doc: { text: note, languageId: 'markdown' },
    where: at(0),
    settings,
    remembered: {},
  });
  assert.equal(outcome?.kind, 'result');
  if (outcome?.kind !== 'result') return;
  assert.equal(outcome.result.latex, '\\mathbf{x}^\\top');
  assert.deepEqual(outcome.definitions, [
    { name: 'z', latex: 'z = \\mathbf{w}\\cdot\\mathbf{x} + b', line: 3 },
  ]);
  const markdown = hoverMarkdown({
    result: outcome.result,
    declarations: outcome.declarations,
    definitions: outcome.definitions ?? [],
    target: { uri: 'file:///n.md', start: 0, end: 0 },
  });
  assert.ok(
    markdown.includes('*uses z = \\\\mathbf\\{w\\}\\\\cdot\\\\mathbf\\{x\\} \\+ b \\(line 3\\)*'),
    markdown,
  );
  // The definition ends with its section.
  const later = answer({
    kind: 'hover',
    doc: { text: note, languageId: 'markdown' },
    where: at(1),
    settings,
    remembered: {},
  });
  // There z has no definition, and is only differentiated: its derivative is unknown (no 0 as a result).
  assert.notEqual(later?.kind, 'result');
});

test('a line of the note the core cannot read as a definition does not break the formulas after it', () => {
  // `−` (U+2212) is not a minus sign the core reads: the note takes the line as a definition of Δy all the same.
  const note =
    'Let $\\Delta y=f(x_0+\\Delta x)−f(x_0)$ be the increment.\n\nThen $\\Delta y^2 + x$ is smooth.';
  const outcome = answer({
    kind: 'hover',
    doc: { text: note, languageId: 'markdown' },
    where: note.indexOf('^2'),
    settings,
    remembered: {},
  });
  assert.equal(outcome?.kind, 'result', outcome?.kind === 'error' ? outcome.message : '');
  assert.equal(outcome?.kind === 'result' ? outcome.definitions : 'not a result', undefined);
});

test('in LaTeX, the &= rows of an align are one chain; the hover on any row gives every step', () => {
  const tex = [
    '\\section{Norms}',
    'Let $\\mathbf{x} \\in \\mathbb{R}^n$.',
    '\\begin{align}',
    '\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2 &= \\nabla_{\\mathbf{x}} \\mathbf{x}^\\top\\mathbf{x} \\\\',
    '&= 3\\mathbf{x}',
    '\\end{align}',
  ].join('\n');
  const chain = answer({
    kind: 'chain',
    doc: { text: tex, languageId: 'latex' },
    where: tex.indexOf('3\\mathbf'),
    settings,
  });
  assert.deepEqual(
    chain?.steps.map((s) => [s.line, s.verdict, s.expected ?? null]),
    [
      [4, 'holds', null],
      [5, 'wrong', '2 \\mathbf{x}'],
    ],
  );
  assert.deepEqual(
    chain?.steps[1].used.map((d) => d.line),
    [2],
  );
});
