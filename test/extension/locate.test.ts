import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateMath } from '../../src/extension/engine/locate';
import { cleanLatex, isDifferentiableLatex, mathRegions, mentionsVariable } from '../../src/notes/regions';

/** Locates with the cursor at the `¦` in `doc` (the `¦` is removed). */
function at(doc: string, languageId: string) {
  const offset = doc.indexOf('¦');
  assert.ok(offset >= 0, 'test document needs a ¦ for the cursor');
  const text = doc.slice(0, offset) + doc.slice(offset + 1);
  const found = locateMath(text, languageId, offset);
  return found && { ...found, doc: text };
}

test('Markdown inline $…$: the formula under the cursor, its range and language', () => {
  const found = at('The loss is $\\|A¦x - b\\|^2$ here.', 'markdown');
  assert.ok(found);
  assert.equal(found.text, '\\|Ax - b\\|^2');
  assert.equal(found.lang, 'latex');
  assert.equal(found.doc.slice(found.range.start, found.range.end), '\\|Ax - b\\|^2');
  assert.equal(found.base, found.range.start);
});

test('Markdown display $$…$$ across lines, \\(…\\), \\[…\\] and ```math fences', () => {
  assert.equal(at('Text\n$$\nx^2 ¦+ y^2\n$$\n', 'markdown')?.text, '\nx^2 + y^2\n');
  assert.equal(at('so \\(\\sin(x¦y)\\) holds', 'markdown')?.text, '\\sin(xy)');
  assert.equal(at('\\[\n  e^{¦x} + 1\n\\]', 'markdown')?.text, '\n  e^{x} + 1\n');
  assert.equal(at('```math\nx^\\top A ¦x\n```\n', 'markdown')?.text, 'x^\\top A x\n');
});

test('Markdown: no math in prose, code spans, code blocks or prices', () => {
  assert.equal(at('Just pro¦se about x and y.', 'markdown'), undefined);
  assert.equal(at('Code `$x^¦2$` is not math', 'markdown'), undefined);
  assert.equal(at('```js\nconst p = $x^¦2$;\n```\n', 'markdown'), undefined);
  assert.equal(at('It costs $5 and ¦$10 today', 'markdown'), undefined);
  assert.equal(at('An escaped \\$x^¦2$ is text', 'markdown'), undefined);
});

test('Markdown: a lone symbol or a declaration is not a formula to differentiate', () => {
  assert.equal(at('the vector $\\mathbf{¦x}$ is', 'markdown'), undefined);
  assert.equal(at('weights $W_¦1$ are', 'markdown'), undefined);
  assert.equal(at('where $f(¦x)$ is the loss', 'markdown'), undefined);
  assert.equal(at('let $\\mathbf{x} \\in \\mathbb{R}^¦n$ be', 'markdown'), undefined);
  assert.equal(at('a map $f: \\mathbb{R}^n \\to \\mathbb¦{R}$', 'markdown'), undefined);
  assert.ok(at('the product $x¦y$ is', 'markdown'));
  assert.ok(at('sigmoid $\\sigma(¦x)$', 'markdown'));
});

test('Markdown: the row of $$\\begin{aligned}…$$ under the cursor, alignment marks blanked', () => {
  const doc = '$$\n\\begin{aligned}\nf(x) &= x^2 + 1 \\\\\ng(x) &= \\sin(¦x) \\cdot x\n\\end{aligned}\n$$';
  const found = at(doc, 'markdown');
  assert.ok(found);
  assert.equal(found.text.trim(), 'g(x)  = \\sin(x) \\cdot x');
  // Blanking keeps the length, so offsets in `text` are offsets in the document.
  assert.equal(found.text.length, found.range.end - found.range.start);
});

test('LaTeX: inline, display and equation/align environments (starred too), comments skipped', () => {
  assert.equal(at('Let $a¦b + c$ be.', 'latex')?.text, 'ab + c');
  assert.equal(
    at('\\begin{equation}\n  \\log(1 + e^{¦x}) \\label{eq:sp}\n\\end{equation}', 'latex')?.text.trim(),
    '\\log(1 + e^{x})',
  );
  const align = '\\begin{align*}\n  f &= x^2 \\\\\n  g &= \\exp(¦y) + x, \\nonumber\n\\end{align*}';
  assert.equal(at(align, 'latex')?.text.trim(), 'g  = \\exp(y) + x');
  assert.equal(at('\\begin{gather}\n a¦x^2\n\\end{gather}', 'latex')?.text.trim(), 'ax^2');
  assert.equal(
    at('\\begin{multline}\n a + b x \\\\\n + c¦x^2\n\\end{multline}', 'latex')
      ?.text.replace(/\s+/g, ' ')
      .trim(),
    'a + b x + cx^2',
  );
  assert.equal(at('% a comment $x^¦2$ here\ntext', 'latex'), undefined);
  assert.equal(at('plain pro¦se', 'latex'), undefined);
});

test('LaTeX: a matrix inside an align row keeps its own rows and columns', () => {
  const doc = '\\begin{align}\n  y &= \\begin{bmatrix} a & ¦b \\\\ c & d \\end{bmatrix} x\n\\end{align}';
  const found = at(doc, 'latex');
  assert.ok(found);
  assert.match(found.text, /\\begin\{bmatrix\} a & b \\\\ c & d \\end\{bmatrix\} x/);
});

test('TypeScript: an arrow function with its parameters', () => {
  const found = at('const f = (x: number, y: number) => x * ¦y + Math.sin(x);\n', 'typescript');
  assert.ok(found);
  assert.equal(found.text, '(x: number, y: number) => x * y + Math.sin(x)');
  assert.equal(found.lang, 'ts');
});

test('TypeScript: a return value gets its function parameters', () => {
  const doc = 'function loss(w, b) {\n  const unused = 1;\n  return (w * 3 + b ¦- 2) ** 2;\n}\n';
  const found = at(doc, 'typescript');
  assert.ok(found);
  assert.equal(found.text, '(w, b) => (w * 3 + b - 2) ** 2');
  // `base` is where text[0] would be: columns inside the return value map onto the document.
  assert.equal(found.doc.slice(found.range.start, found.range.end), '(w * 3 + b - 2) ** 2');
  assert.equal(found.base + found.text.indexOf('(w * 3'), found.range.start);
});

test('TypeScript: an initializer and an assignment', () => {
  assert.equal(at('let z = a * ¦x + b;', 'typescript')?.text, 'a * x + b');
  assert.equal(at('z = Math.exp(-¦t * k);', 'javascript')?.text, 'Math.exp(-t * k)');
});

test('TypeScript: no hover on keywords, names being declared, numbers, strings or non-numeric code', () => {
  assert.equal(at('con¦st z = a * x;', 'typescript'), undefined);
  assert.equal(at('const ¦z = a * x;', 'typescript'), undefined);
  assert.equal(at('function f(x) { ret¦urn x * x; }', 'typescript'), undefined);
  assert.equal(at('const n = 4¦2;', 'typescript'), undefined);
  assert.equal(at('const n = 2 ¦* 3;', 'typescript'), undefined);
  assert.equal(at('const s = "a ¦* b";', 'typescript'), undefined);
  assert.equal(at('const y = fetch(u¦rl);', 'typescript'), undefined);
  assert.equal(at('const y = obj.¦a * 2;', 'typescript'), undefined);
  assert.equal(at('const y = ¦x;', 'typescript'), undefined);
  assert.equal(at('if (a ¦> b) { go(); }', 'typescript'), undefined);
});

test('TypeScript: a file with syntax errors still gives the formula under the cursor', () => {
  const found = at('const broken = ;\nconst f = (x) => x ¦* x;\n', 'typescript');
  assert.equal(found?.text, '(x) => x * x');
});

test('a selection is taken as written; other files only have selections', () => {
  const text = 'notes: $x^2 + y$ and x*y+1';
  const md = locateMath(text, 'markdown', { start: 7, end: 16 });
  assert.equal(md?.text, 'x^2 + y');
  assert.equal(md?.lang, 'latex');
  const plain = locateMath(text, 'plaintext', { start: 21, end: 26 });
  assert.equal(plain?.text, 'x*y+1');
  assert.equal(plain?.lang, undefined);
  assert.equal(locateMath(text, 'plaintext', 22), undefined);
  assert.equal(locateMath('const q = a + 1;', 'typescript', { start: 10, end: 15 })?.text, 'a + 1');
});

test('mathRegions stops scanning after the offset it is asked about', () => {
  const doc = '$a+b$ text $c+d$ more $e+f$';
  assert.equal(mathRegions(doc, 'markdown').length, 3);
  assert.equal(mathRegions(doc, 'markdown', 12).length, 2);
});

test('cleanLatex keeps lengths and drops labels, tags, marks and trailing punctuation', () => {
  const s = 'f &= x^2 \\label{a}, \\tag{3}';
  const c = cleanLatex(s);
  assert.equal(c.length, s.length);
  assert.equal(c.replace(/\s+/g, ' ').trim(), 'f = x^2');
});

test('isDifferentiableLatex', () => {
  for (const s of ['x^2', 'xy', '\\theta^2 + 1', '\\|\\mathbf{x}\\|_2', 'f(x) = x^2', '\\sin(x)']) {
    assert.equal(isDifferentiableLatex(s), true, s);
  }
  for (const s of ['', 'x', '\\alpha', 'A^\\top', 'x_{ij}', '0 < x', 'x \\leq 1', 'g(x, y)']) {
    assert.equal(isDifferentiableLatex(s), false, s);
  }
});

test('mentionsVariable', () => {
  for (const s of ['x + 1', '\\theta^2', '\\sin(y)', '2ab']) assert.equal(mentionsVariable(s), true, s);
  for (const s of ['42', '\\frac{1}{2}', '\\sqrt{2} + \\mathbb{R}', '\\frac{1}{']) {
    assert.equal(mentionsVariable(s), false, s);
  }
});

const PYTHON_FILE = `import numpy as np
import torch.nn.functional as G

def loss(x, W, b):
    """Squared activations."""
    z = W @ x + b
    return np.sum(G.relu(z) ** 2)

for i in range(3):
    print(i)

y = np.tanh(w @ x)
f = lambda t: t ** 2 + 1
`;

/** Locates in PYTHON_FILE with the cursor on the first character of `probe`. */
function inPython(probe: string) {
  const offset = PYTHON_FILE.indexOf(probe);
  assert.ok(offset >= 0, probe);
  return locateMath(PYTHON_FILE, 'python', offset);
}

test('Python: the def under the cursor, with the file imports before it', () => {
  for (const probe of ['z = W', 'G.relu', 'def loss']) {
    const found = inPython(probe);
    assert.ok(found, probe);
    assert.equal(found.lang, 'python');
    assert.ok(PYTHON_FILE.slice(found.range.start, found.range.end).startsWith('def loss(x, W, b):'));
    // The text is the imports, then the def: offsets in it map to the document through `base`.
    assert.ok(found.text.startsWith('import numpy as np\nimport torch.nn.functional as G\ndef loss'));
    assert.equal(
      found.text.slice(found.range.start - found.base),
      PYTHON_FILE.slice(found.range.start, found.range.end),
    );
  }
});

test('Python: a lambda, an assigned value; nothing on loops, calls and imports', () => {
  const lambda = inPython('t ** 2');
  assert.equal(lambda && PYTHON_FILE.slice(lambda.range.start, lambda.range.end), 'lambda t: t ** 2 + 1');
  const value = inPython('w @ x');
  assert.equal(value && PYTHON_FILE.slice(value.range.start, value.range.end), 'np.tanh(w @ x)');
  for (const probe of ['print(i)', 'range', 'import numpy', '"""Squared']) {
    // The docstring is inside the def: the def is the formula there.
    const found = inPython(probe);
    if (probe === '"""Squared') assert.ok(found);
    else assert.equal(found, undefined, probe);
  }
  // A selection is taken as written.
  const selected = locateMath(PYTHON_FILE, 'python', {
    start: PYTHON_FILE.indexOf('W @ x'),
    end: PYTHON_FILE.indexOf('W @ x') + 5,
  });
  assert.deepEqual(selected && [selected.text, selected.lang], ['W @ x', 'python']);
});

test('Python: shape comments above a def go with it', () => {
  const text = 'import numpy as np\n\n# W: (m, n), x: (n,)\ndef f(W, x):\n    return np.sum(W @ x)\n';
  const found = locateMath(text, 'python', text.indexOf('W @ x'));
  assert.ok(found);
  assert.equal(
    found.text,
    'import numpy as np\n# W: (m, n), x: (n,)\ndef f(W, x):\n    return np.sum(W @ x)\n',
  );
  assert.equal(
    found.text.slice(found.range.start - found.base),
    text.slice(found.range.start, found.range.end),
  );
});
