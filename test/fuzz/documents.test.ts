/**
 * Fuzzing the extension's document work: Markdown, LaTeX and
 * TypeScript documents built from realistic and nasty fragments, with cursor
 * positions and selections. Locating the math, gathering declarations and
 * building the hover's Markdown never throw, stay within a time budget, and
 * give ranges inside the document around the cursor whose text is the
 * document's (modulo the documented blanking). `FUZZ_RUNS=n npm run fuzz`
 * for a long run.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_INPUT_LENGTH } from '../../src/core/limits';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { collectDeclarations, differentiateAt } from '../../src/extension/engine/engine';
import {
  errorMarkdown,
  escapeMarkdown,
  hoverMarkdown,
  inlineCode,
} from '../../src/extension/host/hoverContent';
import { locateMath } from '../../src/extension/engine/locate';
import { mathRegions, type MathRegion } from '../../src/notes/regions';
import { fuzzRuns } from './runs';
import type { LocatedMath } from '../../src/extension/shared/domain';

/** Generous: a hover's budget is 300 ms, and these documents are small. */
const BUDGET_MS = 2000;
let slowest = 0;
after(() => process.stderr.write(`[fuzz documents] slowest call: ${slowest.toFixed(1)} ms\n`));

function timed<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  slowest = Math.max(slowest, ms);
  assert.ok(ms < BUDGET_MS, `${what} took ${ms.toFixed(0)} ms`);
  return value;
}

const LATEX_FRAGMENTS = [
  'x^2 + y',
  '\\mathbf{x}^\\top A \\mathbf{x}',
  '\\frac{a}{b',
  '\\sin(x)',
  '\\mathbf{x} \\in \\mathbb{R}^n',
  ', \\mathbf{y}',
  'W \\in \\mathbb{R}^{m \\times n}',
  '\\label{eq}',
  '\\tag{1}',
  '&',
  '&=',
  '\\\\',
  '{',
  '}',
  '(',
  ')',
  '\\left(',
  '\\right)',
  '\\begin{aligned}',
  '\\end{aligned}',
  '\\begin{pmatrix}',
  '\\end{pmatrix}',
  '\\|',
  '\\to',
  '=',
  '.',
  ',',
  ';',
];

const SHARED_FRAGMENTS = [
  ...LATEX_FRAGMENTS,
  ' ',
  '   ',
  ' '.repeat(300),
  '\n',
  '\n\n',
  '\t',
  'the loss',
  'price $5 and $10',
  '$',
  '$$',
  '\\$',
  '\\',
  '\\(',
  '\\)',
  '\\[',
  '\\]',
  '\\begin{equation}',
  '\\end{equation}',
  '\\begin{align*}',
  '\\end{align*}',
  '\\begin{multline}',
  '\\end{multline}',
  '𝑥',
  'é',
  '😀',
  '\uD835', // a lone high surrogate
  '\uDC00', // a lone low surrogate
  '`',
  '``',
];

const MARKDOWN_FRAGMENTS = [
  ...SHARED_FRAGMENTS,
  '```',
  '```math\n',
  '~~~',
  '\n```\n',
  '   ```js\n',
  '# Title\n',
];
const LATEX_DOCUMENT_FRAGMENTS = [...SHARED_FRAGMENTS, '%', '% comment\n', '\\%'];
const TS_FRAGMENTS = [
  'const f = (x: number) => x * x + 1;',
  'function g(x, y) { return x * y + Math.sin(x); }',
  'let z = a * x + b;',
  '/** x \\in \\mathbb{R}^n */',
  '// w_{1} \\in \\mathbb{R}^{m \\times n}\n',
  '/*',
  '*/',
  'const a = ;',
  '+* 2',
  '`',
  '${',
  '"',
  "'",
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ';',
  '\n',
  '  ',
  'x',
  'return',
  'export ',
  'class C { m(x) { return x ** 2; } }',
  'const o = { v: x * 2 };',
  '𝑥',
  '\uD835',
  '=>',
];

type Kind = 'markdown' | 'latex' | 'typescript';

const FRAGMENTS: Record<Kind, readonly string[]> = {
  markdown: MARKDOWN_FRAGMENTS,
  latex: LATEX_DOCUMENT_FRAGMENTS,
  typescript: TS_FRAGMENTS,
};

const documentOf = (kind: Kind, maxLength = 60): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...FRAGMENTS[kind]), { maxLength }).map((parts) => parts.join(''));

/** A document with a cursor (an offset) or a selection, as numbers in [0, length]. */
const withWhere = (kind: Kind) =>
  fc.tuple(documentOf(kind), fc.nat(), fc.nat(), fc.boolean()).map(([text, a, b, select]) => {
    const p = a % (text.length + 1);
    const q = b % (text.length + 1);
    const where = select && p !== q ? { start: Math.min(p, q), end: Math.max(p, q) } : p;
    return { kind, text, where };
  });

const anyDocument = fc.oneof(withWhere('markdown'), withWhere('latex'), withWhere('typescript'));

const regionKind = (kind: Kind) => (kind === 'latex' ? 'latex' : 'markdown');

/** Checks a located formula against its document: where it is, and that its text is the document's. */
function checkLocated(
  text: string,
  kind: Kind,
  where: number | { start: number; end: number },
  m: LocatedMath,
) {
  const { start, end } = m.range;
  assert.ok(0 <= start && start <= end && end <= text.length, 'range inside the document');
  const raw = text.slice(start, end);
  if (typeof where !== 'number') {
    assert.ok(where.start <= start && end <= where.end, 'range inside the selection');
  } else if (kind === 'typescript') {
    assert.ok(start <= where && where <= end, 'range around the cursor');
  } else {
    const region = mathRegions(text, regionKind(kind)).find((r) => r.start <= where && where < r.end);
    assert.ok(region, 'the cursor is in a math region');
    assert.ok(region.contentStart <= start && end <= region.contentEnd, 'range inside the region');
  }
  if (m.lang === 'ts') {
    // A `return` value is given with its function's parameters in front: the rest is the document's.
    assert.equal(m.text.slice(start - m.base), raw);
    return;
  }
  assert.equal(m.base, start);
  assert.equal(m.text.length, raw.length, 'blanking keeps every offset');
  for (let i = 0; i < raw.length; i++) {
    if (m.text[i] !== raw[i] && m.text[i] !== ' ') {
      assert.fail(`character ${i} is ${JSON.stringify(m.text[i])}, not the document's or a blank`);
    }
  }
}

/**
 * The math regions by the plain rules, each delimiter searched from scratch
 * (quadratic, fine for small documents): what the one-pass scan must give.
 * Documents given to it have no fenced code blocks.
 */
function referenceRegions(text: string, kind: 'markdown' | 'latex'): [number, number][] {
  const out: [number, number][] = [];
  const unescaped = (needle: string, from: number) => {
    for (let j = from; j < text.length; j++) {
      if (text.startsWith(needle, j)) return j;
      if (text[j] === '\\') j++;
    }
    return -1;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    let region: [number, number] | undefined;
    if (c === '\\' && (text[i + 1] === '(' || text[i + 1] === '[')) {
      const j = text.indexOf(text[i + 1] === '(' ? '\\)' : '\\]', i + 2);
      if (j >= 0) region = [i, j + 2];
    } else if (c === '\\') {
      const m =
        /^\\begin\{(equation|align|gather|multline|flalign|alignat|eqnarray|displaymath|math)(\*?)\}/.exec(
          text.slice(i),
        );
      const tag = m && `\\end{${m[1]}${m[2]}}`;
      const j = m && tag ? text.indexOf(tag, i + m[0].length) : -1;
      if (m && tag && j >= 0) region = [i, j + tag.length];
    } else if (c === '%' && kind === 'latex') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
      continue;
    } else if (c === '`' && kind === 'markdown') {
      let k = i;
      while (text[k] === '`') k++;
      let j = k;
      for (; j < text.length; j++) {
        if (text[j] !== '`') continue;
        let e = j;
        while (text[e] === '`') e++;
        if (e - j === k - i) break;
        j = e;
      }
      i = j < text.length ? j + (k - i) : k;
      continue;
    } else if (c === '$' && text[i + 1] === '$') {
      const j = unescaped('$$', i + 2);
      if (j >= 0) region = [i, j + 2];
      else {
        i += 2;
        continue;
      }
    } else if (c === '$' && text[i - 1] !== '$' && !/\s/.test(text[i + 1] ?? ' ')) {
      for (let j = i + 1; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '\n' && /^\n[ \t]*(\n|$)/.test(text.slice(j, j + 80))) break;
        else if (text[j] === '$') {
          if (!/\s/.test(text[j - 1]) && !/[0-9]/.test(text[j + 1] ?? '')) region = [i, j + 1];
          break;
        }
      }
    }
    if (region) {
      out.push(region);
      i = region[1];
    } else {
      i += c === '\\' ? 2 : 1;
    }
  }
  return out;
}

describe('fuzz: documents with a cursor or a selection', () => {
  it('locateMath never throws, is quick, and gives the document text at a range around the cursor', () => {
    fc.assert(
      fc.property(anyDocument, ({ kind, text, where }) => {
        const m = timed('locateMath', () => locateMath(text, kind, where));
        if (m) checkLocated(text, kind, where, m);
      }),
      { numRuns: fuzzRuns(1500) },
    );
  });

  it('the one-pass region scan agrees with a search from scratch at every delimiter', () => {
    const withoutFences = (kind: Kind) => documentOf(kind).filter((t) => !/(^|\n) {0,3}(```|~~~)/.test(t));
    fc.assert(
      fc.property(
        fc.oneof(withoutFences('markdown'), withoutFences('latex')),
        fc.boolean(),
        (text, latex) => {
          const kind = latex ? 'latex' : 'markdown';
          const regions = timed('mathRegions', () => mathRegions(text, kind));
          assert.deepEqual(
            regions.map((r: MathRegion) => [r.start, r.end]),
            referenceRegions(text, kind),
          );
        },
      ),
      { numRuns: fuzzRuns(1500) },
    );
  });

  it('collectDeclarations never throws, and each declaration is written on its line before the cursor', () => {
    fc.assert(
      fc.property(anyDocument, ({ kind, text, where }) => {
        const before = typeof where === 'number' ? where : where.start;
        const found = timed('collectDeclarations', () => collectDeclarations(text, kind, before));
        const lines = text.split('\n');
        for (const d of found) {
          assert.ok(d.line >= 1 && d.line <= lines.length, `line ${d.line}`);
          const first = d.latex.split('\n')[0];
          assert.ok(lines[d.line - 1].includes(first), `${JSON.stringify(first)} on line ${d.line}`);
        }
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('the hover (engine and Markdown) never throws and its Markdown is one line per part', () => {
    fc.assert(
      fc.property(anyDocument, ({ kind, text, where }) => {
        const outcome = timed('differentiateAt', () =>
          differentiateAt({ text, languageId: kind }, where, DEFAULT_SETTINGS),
        );
        if (!outcome) return;
        const markdown = timed('hover Markdown', () =>
          outcome.kind === 'error'
            ? errorMarkdown(outcome.message)
            : hoverMarkdown({
                result: outcome.result,
                declarations: outcome.declarations,
                target: { uri: 'file:///fuzz', start: outcome.math.range.start, end: outcome.math.range.end },
              }),
        );
        // Parts are separated by blank lines; none spans lines of its own.
        for (const part of markdown.split('\n\n')) assert.ok(!part.includes('\n'), JSON.stringify(part));
      }),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('escapeMarkdown and inlineCode keep text on one line and fence every backtick run', () => {
    const nasty = fc
      .array(
        fc.oneof(
          fc.constantFrom('`', '``', ' '.repeat(500), '\n', ' \n ', '\\', '*', '_', '$', '𝑥'),
          fc.string(),
        ),
        {
          maxLength: 30,
        },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(nasty, (s) => {
        const escaped = timed('escapeMarkdown', () => escapeMarkdown(s));
        assert.ok(!escaped.includes('\n'));
        const code = timed('inlineCode', () => inlineCode(s));
        assert.ok(!code.includes('\n'));
        const fence = /^`+/.exec(code)![0];
        const inner = code.slice(fence.length, code.length - fence.length);
        assert.ok(!(inner.match(/`+/g) ?? []).some((run) => run.length >= fence.length));
      }),
      { numRuns: fuzzRuns(1000) },
    );
  });

  it('formulas longer than the core accepts are located whole, for the engine to refuse', () => {
    fc.assert(
      fc.property(fc.constantFrom('x + ', '\\\\ ', '{', '& '), fc.nat(100), (piece, at) => {
        const body = piece.repeat(Math.ceil((MAX_INPUT_LENGTH + 1) / piece.length));
        const text = `$$${body}$$`;
        const m = timed('locateMath', () => locateMath(text, 'markdown', 2 + at));
        assert.ok(m && m.text.length === body.length);
      }),
      { numRuns: fuzzRuns(20) },
    );
  });
});
