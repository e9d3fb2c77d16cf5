import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { differentiateAt, differentiateMath } from '../../src/extension/engine/engine';
import { locateMath } from '../../src/extension/engine/locate';
import { notAnExpression } from '../../src/extension/engine/silence';

const hoverIn = (text: string, where: number | { start: number; end: number }) =>
  differentiateAt({ text, languageId: 'markdown' }, where, DEFAULT_SETTINGS);

/** The hover at the middle of the only formula of `text`. */
const hoverOn = (math: string) => {
  const text = `Take $${math}$ here.`;
  return hoverIn(text, 6 + (math.length >> 1));
};

const SILENT: readonly (readonly [string, string | undefined])[] = [
  ['x_1, \\dots, x_K', 'a list'],
  ['SGD, Adam', 'a list'],
  ['[J^{(1)}, J^{(2)}, \\cdots, J^{(n)}]', 'a list'],
  ['w = (w_1,w_2,\\dots,w_n)', 'a list'],
  ['{\\{1, 1/2, \\cdots, 1/n\\}}', 'a set'],
  ['\\mathbb{R}^{m\\times n}', 'a set'],
  ['\\lim \\limits_{ x \\to 3} x^2 = 9', 'a limit'],
  ['，总能找到一个n', 'text'],
  ['\\text{输入 } K \\text{ 维向量 } x', 'text'],
  ['m=1', undefined],
  ['42', undefined],
  ['i \\not = j', 'a statement'],
  ['f:\\R^n \\rightarrow \\R', undefined],
];

test('math that is not a function to differentiate gets no hover', () => {
  for (const [math, what] of SILENT) {
    assert.equal(hoverOn(math), undefined, math);
    const located = locateMath(`$${math}$`, 'markdown', 1);
    if (located) assert.equal(notAnExpression(located), what, math);
  }
});

test('an expression that does not parse still gets an error hover, and one that parses a result', () => {
  for (const math of ['\\frac{a}{b', 'x^2 + \\bigcirc y', '\\sin(x,'])
    assert.equal(hoverOn(math)?.kind, 'error', math);
  // Commas inside a call, a name in \text: read as an expression.
  for (const math of ['f(x, y) = 3x^2y', '\\text{softmax}(\\mathbf{x})', '\\sigma(x) + \\text{relu}(x)'])
    assert.equal(hoverOn(math)?.kind, 'result', math);
});

test('a command on such math says why it is not differentiated', () => {
  const text = '$x_1, \\dots, x_K$';
  const math = locateMath(text, 'markdown', 3)!;
  const outcome = differentiateMath({ text, languageId: 'markdown' }, math, DEFAULT_SETTINGS);
  assert.equal(
    outcome.kind === 'error' && outcome.message,
    'a list, not an expression to differentiate (unexpected , at column 4)',
  );
});

test('prose selected in a Markdown note gets no hover; a selection inside its math still does', () => {
  const text = 'The loss (see below) is small. Then $\\frac{a}{b + x$ fails.';
  const prose = { start: 0, end: text.indexOf('.') };
  assert.equal(hoverIn(text, prose), undefined);
  const inside = { start: text.indexOf('\\frac'), end: text.indexOf(' fails') - 1 };
  assert.equal(hoverIn(text, inside)?.kind, 'error');
});
