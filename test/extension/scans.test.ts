/**
 * Documents that once made a scan quadratic: the right answer on
 * each. How long they take is in bench/adversarial.ts and BENCHMARKS.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { collectDeclarations, differentiateAt } from '../../src/extension/engine/engine';
import { escapeMarkdown, inlineCode } from '../../src/extension/host/hoverContent';
import { locateMath } from '../../src/extension/engine/locate';
import { cleanLatex, mathRegions } from '../../src/notes/regions';
import { documentComments } from '../../src/extension/engine/locateTypeScript';

const content = (text: string, r: { contentStart: number; contentEnd: number }) =>
  text.slice(r.contentStart, r.contentEnd);

test('unclosed \\( and \\[ are not math, and a later closed one still is', () => {
  const opens = '\\('.repeat(20_000) + ' and \\[ '.repeat(20_000);
  assert.deepEqual(mathRegions(opens, 'markdown'), []);
  // The first \( pairs with the first \): everything between is its content (as before).
  const text = `${'\\('.repeat(1000)}x^2 + y\\) and \\[ a b \\] end`;
  const regions = mathRegions(text, 'markdown');
  assert.deepEqual(
    regions.map((r) => content(text, r)),
    [`${'\\('.repeat(999)}x^2 + y`, ' a b '],
  );
  const escaped = `${'press \\[ to indent. '.repeat(3000)}then $x^2 + y$`;
  assert.equal(locateMath(escaped, 'markdown', escaped.length - 3)?.text, 'x^2 + y');
});

test('many \\begin{equation} without \\end: only the closed environment is math', () => {
  const text = `${'\\begin{equation} x_1 + y\n'.repeat(5000)}\\begin{align} a + b \\end{align}\n`;
  const regions = mathRegions(text, 'latex');
  assert.equal(regions.length, 1);
  assert.equal(regions[0].env, 'align');
  assert.equal(locateMath(text, 'latex', text.indexOf('a + b') + 1)?.text, ' a + b ');
});

test('unclosed code spans of every length leave the math after them', () => {
  let text = '';
  for (let n = 1; n <= 200; n++) text += `${'`'.repeat(n)} a `;
  text += 'so $x^2 + y$ here';
  assert.deepEqual(
    mathRegions(text, 'markdown').map((r) => content(text, r)),
    ['x^2 + y'],
  );
});

test('$ repeated pairs up as before: $$ $$ blocks, and inline math never opens on a doubled $', () => {
  assert.deepEqual(
    mathRegions('$'.repeat(4001), 'markdown').map((r) => [r.start, r.end]),
    Array.from({ length: 1000 }, (_, k) => [4 * k, 4 * k + 4]),
  );
  // An escaped $ does not close, the next one does; prices are not math.
  const text = `${'$a\\$b$ costs $5 and $10. '.repeat(500)}`;
  assert.deepEqual(
    mathRegions(text, 'markdown').map((r) => content(text, r)),
    Array.from({ length: 500 }, () => 'a\\$b'),
  );
});

test('a formula with many \\\\ row breaks is one equation, each break blanked', () => {
  const body = 'x\\\\ '.repeat(2000);
  const text = `$$${body}$$`;
  const found = locateMath(text, 'markdown', 10);
  assert.equal(found?.text, 'x   '.repeat(2000));
  assert.deepEqual(found?.range, { start: 2, end: 2 + body.length });
});

test('a formula longer than the core accepts is given as it is, for the engine to refuse by its length', () => {
  const body = `x \\in ${'x\\\\ '.repeat(50_000)}`;
  const text = `$$${body}$$`;
  const found = locateMath(text, 'markdown', 10);
  // The row breaks blanked (one equation), nothing else cleaned: the length is the formula's.
  assert.ok(found?.text === body.replaceAll('\\\\', '  '));
  const outcome = differentiateAt({ text, languageId: 'markdown' }, 10, DEFAULT_SETTINGS);
  assert.equal(
    outcome?.kind === 'error' && outcome.message.startsWith('expression is too long (200006 characters'),
    true,
  );
});

test('rows of an alignment are found by position, also after the first hover on the formula', () => {
  const text = `\\begin{align}\n${Array.from({ length: 3000 }, (_, k) => `f_{${k}} &= x^{${k}} + y`).join(' \\\\\n')}\n\\end{align}`;
  for (const k of [2999, 0, 1500]) {
    const found = locateMath(text, 'latex', text.indexOf(`x^{${k}}`));
    assert.equal(found?.text.trim(), `f_{${k}}  = x^{${k}} + y`);
  }
});

test('cleanLatex blanks & and \\\\ at their UTF-16 offsets after a surrogate pair', () => {
  assert.equal(cleanLatex('𝑥 & y \\\\ z'), '𝑥   y    z');
  assert.equal(cleanLatex('𝑥 & y').length, '𝑥 & y'.length);
});

test('Markdown escaping keeps long runs of spaces and joins lines', () => {
  const spaces = ' '.repeat(200_000);
  assert.equal(escapeMarkdown(`a${spaces}b`), `a${spaces}b`);
  assert.equal(escapeMarkdown(`a${spaces}\n${spaces}b \t\n\n c`), 'a b c');
  assert.equal(inlineCode(`x${spaces}\n y`), '`x y`');
});

test('inline code with hundreds of thousands of backtick runs gets a longer fence (no stack overflow)', () => {
  const s = '`a'.repeat(300_000) + '``b';
  assert.equal(inlineCode(s), `\`\`\` ${s} \`\`\``);
});

test('declarations padded with long runs of spaces are found with their padding', () => {
  const pad = ' '.repeat(5000);
  const text = `Let $\\mathbf{x}${pad}\\in${pad}\\mathbb{R}^n$.\n\nThen $\\|\\mathbf{x}\\|^2$.`;
  const found = collectDeclarations(text, 'markdown', text.indexOf('\\|'));
  assert.deepEqual(
    found.map((d) => [d.name, d.latex, d.line]),
    [['x', `\\mathbf{x}${pad}\\in${pad}\\mathbb{R}^n`, 1]],
  );
});

/** A TypeScript file of `n` functions; those at `broken` have a line Babel's error recovery gives up on. */
function functions(n: number, broken: ReadonlySet<number>): string {
  return Array.from(
    { length: n },
    (_, k) =>
      `// w_{${k}} \\in \\mathbb{R}^n\nexport function f${k}(x: number) {\n` +
      `  const r = ${broken.has(k) ? ';' : `x * ${k} + 1;`}\n  return r * x + Math.sin(x);\n}\n`,
  ).join('');
}

test('a TypeScript file with more broken lines than the old limit keeps its formulas and comments', () => {
  const broken = new Set([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  const text = functions(21, broken);
  const last = text.indexOf('return r * x', text.indexOf('function f20'));
  assert.equal(locateMath(text, 'typescript', last + 8)?.text, '(x: number) => r * x + Math.sin(x)');
  assert.equal(locateMath(text, 'typescript', text.indexOf('x * 20 + 1') + 1)?.text, 'x * 20 + 1');
  // Every comment, with document offsets, broken functions or not.
  const comments = documentComments(text, 'typescript');
  assert.equal(comments.length, 21);
  for (const c of comments) assert.equal(text.slice(c.start, c.start + c.text.length), c.text);
  const declarations = collectDeclarations(text, 'typescript', last);
  assert.equal(declarations.length, 21);
  assert.equal(declarations[20].line, text.slice(0, text.indexOf('w_{20}')).split('\n').length);
});

test('TypeScript cut at column-0 lines is joined again where the cut was inside a construct', () => {
  const text =
    'const s = `\ntemplate line\n`;\nconst x =\na * b + c;\nexport const f = (y: number) => y * y;\n';
  assert.equal(locateMath(text, 'typescript', text.indexOf('a * b') + 1)?.text, 'a * b + c');
  assert.equal(locateMath(text, 'typescript', text.indexOf('template')), undefined);
  assert.equal(locateMath(text, 'typescript', text.indexOf('y * y'))?.text, '(y: number) => y * y');
});

test('an edit in one function of a broken file: the other functions still located at shifted offsets', () => {
  const text = functions(10, new Set([2]));
  const edited = text.replace('x * 0 + 1', 'x * 0 + 10');
  const at = edited.indexOf('x * 9 + 1');
  assert.equal(locateMath(text, 'typescript', text.indexOf('x * 9 + 1'))?.text, 'x * 9 + 1');
  const found = locateMath(edited, 'typescript', at);
  assert.deepEqual(found && [found.text, found.range.start], ['x * 9 + 1', at]);
  assert.equal(locateMath(edited, 'typescript', edited.indexOf('x * 0 + 10'))?.text, 'x * 0 + 10');
});

test('$$ closes at the first $$ not escaped by an odd run of backslashes', () => {
  const odd = '$$ a \\$$ b $$';
  assert.deepEqual(
    mathRegions(odd, 'markdown').map((r) => content(odd, r)),
    [' a \\$$ b '],
  );
  const even = '$$ a \\\\$$ b $$';
  assert.deepEqual(
    mathRegions(even, 'markdown').map((r) => content(even, r)),
    [' a \\\\'],
  );
});

test('declarations written with ∈ are found (formulas without \\in or ∈ are skipped unread)', () => {
  const text = 'Let $\\mathbf{x} ∈ ℝ^n$ and $y = 2$, then $\\|\\mathbf{x}\\|^2$.';
  assert.deepEqual(
    collectDeclarations(text, 'markdown', text.length).map((d) => [d.name, d.latex]),
    [['x', '\\mathbf{x} ∈ ℝ^n']],
  );
});
