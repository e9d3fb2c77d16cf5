import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StepCheck } from '../../src/notes/api';
import {
  CHAIN_HOVER_COMMANDS,
  LAYOUT_STEP_CODE,
  WRONG_STEP_CODE,
  chainMarkdown,
  chainModel,
  chainSummary,
  chainTex,
  relationOf,
  shownOrder,
  stepFinding,
  stepFix,
  UNCHECKED_STEP_CODE,
  verdictColours,
} from '../../src/extension/host/checkContent';
import { ThemeKind } from '../../src/extension/host/svg';
import { texToSvg } from '../../src/extension/typesetter/mathjax';

// A note with the chain ∇‖x‖² = ∇xᵀx = 3x (wrong: it is 2x) and a shape claim, as the checker reports it.
const text = [
  'Let $z = \\mathbf{w}^\\top\\mathbf{x}$.',
  '$$\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2 = \\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x} = 3\\mathbf{x}$$',
  '$\\frac{\\partial z}{\\partial \\mathbf{x}} \\in \\mathbb{R}^{n}$',
].join('\n');
const at = (needle: string, from = 0) => {
  const start = text.indexOf(needle, from);
  assert.ok(start >= 0, needle);
  return { start, end: start + needle.length };
};
const firstEq = at('=', text.indexOf('$$'));
const secondEq = at('=', firstEq.end);
const base = { layout: null, used: [], line: 2 } as const;
const holds: StepCheck = {
  ...base,
  column: firstEq.start - text.indexOf('\n') + 0,
  lhs: '\\nabla_{\\mathbf{x}} \\|\\mathbf{x}\\|^2',
  rhs: '\\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x}',
  verdict: 'holds',
  reason: 'symbolically',
  relationRange: firstEq,
  rhsRange: at('\\nabla_{\\mathbf{x}} \\mathbf{x}^T\\mathbf{x}'),
};
const wrong: StepCheck = {
  ...base,
  column: secondEq.start - text.indexOf('\n'),
  lhs: holds.rhs,
  rhs: '3\\mathbf{x}',
  verdict: 'wrong',
  reason: 'differs at 3 random points',
  expected: '2\\mathbf{x}',
  counterexample: { x: [0.12345, 2] },
  relationRange: secondEq,
  rhsRange: at('3\\mathbf{x}'),
};
const inRange = at('\\in');
const layout: StepCheck = {
  line: 3,
  column: 30,
  lhs: '\\frac{\\partial z}{\\partial \\mathbf{x}}',
  rhs: '\\mathbb{R}^{n}',
  verdict: 'layout',
  layout: 'denominator',
  reason: 'a row 1×n in numerator layout',
  relationRange: inRange,
  rhsRange: at('\\mathbb{R}^{n}'),
  used: [{ name: 'z', latex: 'z = \\mathbf{w}^\\top\\mathbf{x}', line: 1 }],
};
const unchecked: StepCheck = { ...holds, verdict: 'unchecked', reason: 'took too long' };

test('the first wrong step is shown first, the others in the order of the note', () => {
  assert.deepEqual(shownOrder([holds, layout, wrong, unchecked]), [wrong, holds, layout, unchecked]);
  assert.deepEqual(shownOrder([holds, layout]), [holds, layout]);
});

test('summary counts each verdict', () => {
  assert.equal(chainSummary([holds, wrong]), '2 steps: 1 wrong, 1 hold');
  assert.equal(chainSummary([holds, holds]), '2 steps: all hold');
  assert.equal(chainSummary([holds]), '1 step: holds');
  assert.equal(chainSummary([layout, unchecked]), '2 steps: 1 in the other layout only, 1 not checked');
});

test('a relation is read as written, without its alignment mark', () => {
  assert.equal(relationOf(layout, text), '\\in');
  assert.equal(relationOf(holds, text), '=');
  assert.equal(relationOf({ ...holds, relationRange: { start: 0, end: 0 } }, '&='), '=');
});

test('the typeset chain: wrong step first with its correct side, marks coloured for the theme', () => {
  const dark = verdictColours(ThemeKind.Dark);
  const light = verdictColours(ThemeKind.Light);
  assert.notEqual(dark.holds, light.holds);
  assert.notEqual(dark.wrong, dark.holds);
  const tex = chainTex([holds, wrong], text, dark);
  const rows = tex.replace(/^\\begin\{array\}\{rll\}|\\end\{array\}$/g, '').split(' \\\\ ');
  assert.equal(rows.length, 2);
  assert.ok(rows[0].startsWith(`{${wrong.lhs}} & = {3\\mathbf{x}}`), rows[0]);
  assert.ok(
    rows[0].includes(`\\textcolor{${dark.wrong}}{\\times}\\ \\text{should be } 2\\mathbf{x}`),
    rows[0],
  );
  assert.ok(rows[1].startsWith(`{${holds.lhs}} & = {${holds.rhs}}`), rows[1]);
  assert.ok(rows[1].endsWith(`\\textcolor{${dark.holds}}{\\checkmark}`), rows[1]);
  // In the note's order, the second row's left side is the first row's right side: left out.
  const inOrder = chainTex([holds, { ...wrong, verdict: 'holds' }], text, light);
  assert.ok(inOrder.includes(' \\\\ {} & = {3\\mathbf{x}}'), inOrder);
});

test('the chain hover: summary, image, one line per step with its verdict, definitions used, links', () => {
  const target = { uri: 'file:///n.md', start: 40, end: 40 };
  const md = chainMarkdown({
    steps: [holds, wrong, layout],
    text,
    image: 'data:image/svg+xml;base64,AA',
    target,
  });
  const lines = md.split('\n\n');
  assert.match(lines[0], /Derivation check\*\* — 3 steps: 1 wrong, 1 in the other layout only, 1 hold$/);
  assert.match(lines[1], /^!\[3 steps.*\]\(data:image\/svg\+xml;base64,AA\)$/);
  assert.match(
    lines[2],
    /^✗ line 2: `.* = 3\\mathbf\{x\}` does not hold; the right side is 2\\\\mathbf\\\{x\\\}/,
  );
  assert.ok(lines[2].includes('they differ at x = \\[0\\.123,2\\]'), lines[2]);
  assert.match(lines[3], /^✓ line 2: .* holds \\\(symbolically\\\)$/);
  assert.match(lines[4], /^⇄ line 3: `.* \\in \\mathbb\{R\}\^\{n\}` holds in denominator layout only/);
  assert.match(lines[5], /^\*uses z = .* \\\(line 1\\\)\*$/);
  for (const command of CHAIN_HOVER_COMMANDS) assert.ok(lines[6].includes(`(command:${command}?`), command);
  assert.ok(!chainMarkdown({ steps: [holds], text, target }).includes('!['), 'no image when not typeset');
});

test('diagnostics: a wrong step is a warning on its right side with the correct value, layout is information', () => {
  assert.deepEqual(stepFinding(wrong, text), {
    severity: 'warning',
    code: WRONG_STEP_CODE,
    range: wrong.rhsRange,
    message: `${wrong.lhs} = 3\\mathbf{x} does not hold; the right side is 2\\mathbf{x} (they differ at x = [0.123,2])`,
  });
  assert.equal(stepFinding(layout, text)?.severity, 'information');
  assert.equal(stepFinding(layout, text)?.code, LAYOUT_STEP_CODE);
  assert.match(
    stepFinding(layout, text)?.message ?? '',
    /\\in \\mathbb\{R\}\^\{n\} holds in denominator layout only/,
  );
  assert.equal(stepFinding(holds, text), undefined);
  assert.equal(stepFinding(unchecked, text), undefined);
});

test('with jacobianLens.check.reportUnchecked, a step that could not be checked is a Hint with its reason on its relation', () => {
  assert.deepEqual(stepFinding(unchecked, text, { reportUnchecked: true }), {
    severity: 'hint',
    code: UNCHECKED_STEP_CODE,
    range: unchecked.relationRange,
    message: `${unchecked.lhs} ${text.slice(unchecked.relationRange.start, unchecked.relationRange.end)} ${unchecked.rhs}: cannot check: ${unchecked.reason}`,
  });
  // The setting adds hints only: the other verdicts are reported as before.
  assert.equal(stepFinding(holds, text, { reportUnchecked: true }), undefined);
  assert.equal(stepFinding(wrong, text, { reportUnchecked: true })?.severity, 'warning');
});

test('the quick fix replaces the wrong right side, and only while the note still has it there', () => {
  const fix = stepFix(wrong, '3\\mathbf{x}', text);
  assert.deepEqual(fix, {
    title: 'Replace the right side with 2\\mathbf{x}',
    range: wrong.rhsRange,
    newText: '2\\mathbf{x}',
  });
  const fixed = text.slice(0, fix.range.start) + fix.newText + text.slice(fix.range.end);
  assert.ok(fixed.includes('\\mathbf{x}^T\\mathbf{x} = 2\\mathbf{x}$$'));
  assert.equal(stepFix(wrong, '3\\mathbf{x}', fixed.replace('2\\mathbf{x}$$', '4\\mathbf{y}$$')), undefined);
  assert.equal(stepFix(holds, holds.rhs, text), undefined);
});

test('MathJax typesets the chain, each mark in its colour', () => {
  const colours = verdictColours(ThemeKind.Light);
  const svg = texToSvg(chainTex([holds, wrong, layout, unchecked], text, colours), true);
  for (const colour of [colours.holds, colours.wrong, colours.layout])
    assert.ok(svg.toLowerCase().includes(colour), `${colour} missing from the SVG`);
});

test('the panel model of a chain: the steps in the order shown, the claim as written, the correct side', () => {
  const model = chainModel([holds, wrong, layout], text);
  assert.equal(model.summary, '3 steps: 1 wrong, 1 in the other layout only, 1 hold');
  assert.deepEqual(
    model.steps.map((s) => [s.verdict, s.line, s.latex]),
    [
      ['wrong', 2, `${wrong.lhs} = 3\\mathbf{x}`],
      ['holds', 2, `${holds.lhs} = ${holds.rhs}`],
      ['layout', 3, `${layout.lhs} \\in \\mathbb{R}^{n}`],
    ],
  );
  assert.equal(model.steps[0].expectedLatex, '2\\mathbf{x}');
  assert.equal(model.steps[1].expectedLatex, undefined);
  assert.match(model.steps[2].text, /^holds in denominator layout only/);
  assert.deepEqual(model.used, ['z = \\mathbf{w}^\\top\\mathbf{x} (line 1)']);
});
