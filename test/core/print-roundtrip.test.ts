/**
 * Printed results read back mean what they print: every result of a corpus is printed as
 * LaTeX and read again by the core's LaTeX parser, and (scalar results) printed as text
 * and read by a small reader of that text with the usual precedence — `/`, `·` and
 * juxtaposition bind alike, left to right, so `1/x(1 + y)` is (1/x)(1 + y) — and each
 * reading must equal the result at random points. An ambiguous text fails here.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { SCALAR_CORPUS, DEFAULT_DOMAIN } from '../../bench/corpus';
import { MATRIX_CORPUS } from '../../bench/matrix-cases';
import { TEXTBOOK_CORPUS } from '../fixtures/textbook';
import { derivation, evaluateAll } from '../../src/core/derivation';
import { evaluate, type Tensor } from '../../src/core/eval';
import {
  type Expr,
  type Sym,
  cols,
  dimText,
  isScalar,
  postorder,
  resolveDim,
  rows,
} from '../../src/core/expr';
import { ELEMENTWISE, ELEMENTWISE_FUNCTIONS } from '../../src/core/functions';
import { presentAll } from '../../src/core/present';
import { toLatex, toText } from '../../src/core/print';
import { LensError, type DifferentiateOptions } from '../../src/core';
import { flat, randomPoint, rng } from './numeric';
import { formulas, smooth } from '../fuzz/latex-generators';

const DIMS = { n: 3, m: 4, k: 2, p: 5, q: 2, r: 3 };
/** One size for all: a lone I or 𝟏 in print takes its size from the reader's default, not from the result. */
const SQUARE = { n: 3, m: 3, k: 3, p: 3, q: 3, r: 3 };

// ---------------------------------------------------------------- a reader of our text

type Reader = [head: string, value: (args: number[]) => number];

/** The text heads of the scalar functions, longest first (`arctan` before `tan`). */
const FUNCTIONS: Reader[] = [
  ...ELEMENTWISE_FUNCTIONS.flatMap((name): Reader[] => {
    const f = ELEMENTWISE[name];
    const head = typeof f.text === 'function' ? undefined : (f.text ?? name);
    return head ? [[head, (a) => f.value(a[0])]] : [];
  }),
  ['atan2', (a: number[]) => Math.atan2(a[0], a[1])] as Reader,
  ['max', (a: number[]) => Math.max(a[0], a[1])] as Reader,
  ['min', (a: number[]) => Math.min(a[0], a[1])] as Reader,
].sort((a, b) => b[0].length - a[0].length);

const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const ROOTS: Record<string, number> = { '√': 2, '∛': 3, '∜': 4 };

/**
 * Reads printed text as a person would, with `names` giving each name's value: numbers,
 * names (with ₀-₉ or _ab subscripts), calls, |…|, roots, superscript powers, ^(…), ·, /, +, −
 * and juxtaposition; `[a, b]` is a list. Throws on anything else.
 */
function readText(s: string, names: ReadonlyMap<string, number>): number[] {
  let i = 0;
  let bars = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at ${i} in ${s}`);
  };
  const space = () => {
    while (s[i] === ' ') i++;
  };
  const eat = (t: string) => {
    space();
    if (!s.startsWith(t, i)) return false;
    i += t.length;
    return true;
  };
  const expect = (t: string) => eat(t) || fail(`expected ${t}`);
  const sum = (): number => {
    space();
    let v = s[i] === '−' || s[i] === '-' ? (i++, -product()) : product();
    for (;;) {
      if (eat('+')) v += product();
      else if (eat('−') || eat('-')) v -= product();
      else return v;
    }
  };
  const startsFactor = () => {
    space();
    const c = s[i];
    return c !== undefined && (/[\p{L}\d(√∛∜]/u.test(c) || (c === '|' && bars === 0) || s.startsWith('𝟏', i));
  };
  const product = (): number => {
    let v = power();
    for (;;) {
      if (eat('·')) v *= power();
      else if (eat('/')) v /= power();
      else if (startsFactor()) v *= power();
      else return v;
    }
  };
  const power = (): number => {
    let v = atom();
    for (;;) {
      if (SUPERSCRIPT_DIGITS.includes(s[i]) || s[i] === '⁻') {
        let digits = '';
        while (SUPERSCRIPT_DIGITS.includes(s[i]) || s[i] === '⁻')
          digits += s[i] === '⁻' ? '-' : String(SUPERSCRIPT_DIGITS.indexOf(s[i++]));
        if (s[i - 1] === '⁻') i++;
        v **= Number(digits);
      } else if (s[i] === '^') {
        i++;
        v **= atom();
      } else return v;
    }
  };
  const atom = (): number => {
    space();
    const rest = s.slice(i);
    const number = /^\d+(\.\d+)?/.exec(rest);
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    if (eat('(')) {
      const v = sum();
      expect(')');
      return v;
    }
    if (s[i] === '|') {
      i++;
      bars++;
      const v = Math.abs(sum());
      bars--;
      expect('|');
      return v;
    }
    if (s[i] in ROOTS) {
      const n = ROOTS[s[i++]];
      expect('(');
      const v = sum();
      expect(')');
      return v ** (1 / n);
    }
    const call = FUNCTIONS.find(([head]) => rest.startsWith(`${head}(`));
    if (call) {
      i += call[0].length + 1;
      const args = [sum()];
      while (eat(',')) args.push(sum());
      expect(')');
      return call[1](args);
    }
    const name = /^\p{L}[₀-₉]*(_[\p{L}\d]+)?/u.exec(rest);
    if (name) {
      i += name[0].length;
      const v = names.get(name[0]);
      return v ?? fail(`unknown name ${name[0]}`);
    }
    return fail('unexpected character');
  };
  space();
  const list = eat('[');
  const values = [sum()];
  if (list) {
    while (eat(',')) values.push(sum());
    expect(']');
  }
  space();
  if (i < s.length) fail('unread text');
  return values;
}

test('the text reader reads juxtaposition and / alike, left to right', () => {
  const names = new Map([
    ['x', 2],
    ['y', 3],
  ]);
  assert.deepEqual(readText('1/x(1 + y)', names), [2]);
  assert.deepEqual(readText('1/(x(1 + y))', names), [1 / 8]);
  assert.deepEqual(readText('−2x²y + |x − y|·σ(0)', names), [-24 + 0.5]);
  assert.deepEqual(readText('[√(x²)^(1/2), ∜(16)]', names), [Math.SQRT2, 2]);
});

// ---------------------------------------------------------------- the round trip

/** The values a piecewise result takes: each branch is printed on its own. */
function branches(e: Expr): readonly Expr[] {
  return e.type === 'piecewise' ? e.cases.map((c) => c.value) : [e];
}

/**
 * ⊗, 1[u > 0] and element-wise powers of a matrix (A^{∘2}) are printed but not read by the
 * LaTeX parser; a lone 0 or I has its shape from the context it is shown in, not from its LaTeX.
 */
function readable(e: Expr): boolean {
  return (
    e.type !== 'special' &&
    postorder([e]).every(
      (x) =>
        x.type !== 'kron' &&
        !(x.type === 'fn' && x.name === 'step') &&
        !(x.type === 'pow' && x.shape.kind === 'matrix'),
    )
  );
}

/** What the text reader reads: scalars all through, or a list of them ([∂f/∂x, ∂f/∂y]). */
function textReadable(e: Expr): boolean {
  const scalars = (x: Expr) => postorder([x]).every(isScalar);
  return e.type === 'block' && e.shape.kind === 'vector' ? e.rows.every((r) => r.every(scalars)) : scalars(e);
}

function declarationOf(v: Sym): string | undefined {
  const s = v.shape;
  if (s.kind === 'vector') return `${toLatex(v)} \\in \\mathbb{R}^{${dimText(s.n)}}`;
  if (s.kind === 'matrix') return `${toLatex(v)} \\in \\mathbb{R}^{${dimText(s.m)} \\times ${dimText(s.n)}}`;
  return undefined;
}

function close(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, `${what}: ${a.length} entries, expected ${b.length}`);
  a.forEach((x, k) => {
    const err = Math.abs(x - b[k]) / Math.max(1, Math.abs(b[k]));
    assert.ok(err < 1e-8, `${what}: entry ${k} reads ${x}, is ${b[k]}`);
  });
}

interface Checked {
  latex: number;
  text: number;
}

/**
 * Differentiates `expression`, prints each result (as the API presents it: named parts become
 * definitions) and checks both printed forms read back equal at random points. Counts what it read.
 */
function roundTrip(
  expression: string,
  options: DifferentiateOptions,
  domain?: readonly [number, number],
  checked: Checked = { latex: 0, text: 0 },
  dims: Readonly<Record<string, number>> = DIMS,
): Checked {
  const d = derivation(expression, { ...options, dims });
  const presented = presentAll(d.parts.map((p) => p.expr));
  const declared = d.program.declared;
  const declarations = declared.flatMap((v) => declarationOf(v) ?? []);
  const definitions = presented.definitions.map((x) => `${toLatex(x.symbol)} = ${toLatex(x.value)}`);
  for (let seed = 1; seed <= 3; seed++) {
    const env = new Map<string, Tensor>(randomPoint(declared, seed));
    if (domain) {
      const random = rng(100 + seed);
      for (const v of declared)
        if (isScalar(v)) env.set(v.name, domain[0] + (domain[1] - domain[0]) * random());
    }
    // The named parts (𝐬 = softmax(𝐱)) in the order they are defined.
    for (const x of presented.definitions) env.set(x.symbol.name, evaluate(x.value, env));
    const textNames = new Map(declared.filter(isScalar).map((v) => [toText(v), env.get(v.name) as number]));
    for (const shown of presented.exprs) {
      for (const branch of branches(shown)) {
        const value = flat(evaluate(branch, env));
        if (!value.every(Number.isFinite)) continue;
        if (readable(branch) && presented.definitions.every((x) => readable(x.value))) {
          const latex = toLatex(branch);
          const read = evaluateAll([latex], { declarations, definitions, dims }).exprs[0];
          close(flat(evaluate(read, env)), value, `${expression}: LaTeX ${latex}`);
          checked.latex++;
        }
        if (textReadable(branch) && presented.definitions.length === 0 && declared.every(isScalar)) {
          const text = toText(branch);
          close(readText(text, textNames), value, `${expression}: text ${text}`);
          checked.text++;
        }
      }
    }
  }
  return checked;
}

test('the scalar corpus: LaTeX and text read back equal to the result', () => {
  const checked = { latex: 0, text: 0 };
  for (const c of SCALAR_CORPUS) roundTrip(c.latex, { wrt: [c.wrt] }, c.domain ?? DEFAULT_DOMAIN, checked);
  // Every case at every point, in both forms.
  assert.equal(checked.latex, 3 * SCALAR_CORPUS.length);
  assert.equal(checked.text, 3 * SCALAR_CORPUS.length);
});

test('gradients of several scalars are a list in text: each entry reads back', () => {
  for (const c of SCALAR_CORPUS.filter((x) => x.vars.length > 1)) {
    const checked = roundTrip(c.latex, { wrt: [...c.vars] }, c.domain ?? DEFAULT_DOMAIN);
    assert.ok(checked.text > 0 && checked.latex > 0, c.id);
  }
});

test('the matrix corpus: LaTeX reads back equal to the result', () => {
  for (const c of MATRIX_CORPUS) {
    const checked = roundTrip(c.latex, { wrt: [c.wrt], declarations: c.declarations });
    assert.ok(checked.latex > 0, c.id);
  }
});

test('the textbook corpus: LaTeX (and text, for scalars) reads back equal to every result', () => {
  for (const c of TEXTBOOK_CORPUS) {
    const checked = roundTrip(
      c.latex,
      { wrt: c.wrt, declarations: c.declarations },
      c.domain ?? DEFAULT_DOMAIN,
    );
    assert.ok(checked.latex > 0, c.id);
    if (c.sympy && !c.symbols) assert.ok(checked.text > 0, c.id);
  }
});

/** Results of the issues and the notes: vectors, matrices, softmax (named), piecewise, norms. */
const VECTOR_CASES: [string, DifferentiateOptions][] = [
  ['\\arctan\\frac{y}{x}', {}],
  ['\\|\\mathbf{x}\\|_2', {}],
  ['\\frac{1}{x y}\\mathbf{v}', { wrt: ['x'] }],
  ['\\frac{x + 1}{z}\\mathbf{v}', { wrt: ['z'] }],
  ['\\mathbf{y}^\\top \\ln \\operatorname{softmax}(\\mathbf{x})', {}],
  ['\\operatorname{softmax}(\\mathbf{x})^\\top \\mathbf{y}', {}],
  [
    '-y\\ln\\sigma(\\mathbf{w}^\\top\\mathbf{x}) - (1-y)\\ln(1-\\sigma(\\mathbf{w}^\\top\\mathbf{x}))',
    { wrt: ['w'] },
  ],
  ['\\ln(1+e^{-y\\mathbf{w}^\\top\\mathbf{x}})', { wrt: ['w'] }],
  ['\\log|\\det X|', {}],
  ['\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', { wrt: ['w', 'b'] }],
  ['\\frac{1}{2}\\|A\\mathbf{x} - \\mathbf{b}\\|^2', { wrt: ['x'] }],
  ['\\sqrt[5]{x^2 + y^2}', {}],
  ['\\sqrt[4]{x}', {}],
  ['\\sigma(\\mathbf{w}^\\top\\mathbf{x} + b)', {}],
  ['\\mathbf{x}^\\top (A + A^\\top) \\mathbf{x} / (\\mathbf{x}^\\top\\mathbf{x})', { wrt: ['x'] }],
];

test('vector and matrix results of the notes read back from LaTeX; their scalar ones from text', () => {
  for (const [e, o] of VECTOR_CASES) {
    const checked = roundTrip(e, o);
    assert.ok(checked.latex > 0, e);
  }
});

/**
 * Whether the core differentiates `f` at concrete sizes (a formula it refuses, with no variable
 * or sizes that do not fit, prints nothing; one whose sizes stay free has no random point).
 */
function derives(f: string, options: DifferentiateOptions, dims = DIMS): boolean {
  try {
    const d = derivation(f, { ...options, dims });
    return d.program.declared.every((v) =>
      v.shape.kind === 'scalar'
        ? true
        : [rows(v.shape), cols(v.shape)].every((x) => typeof resolveDim(x) === 'number'),
    );
  } catch (e) {
    if (e instanceof LensError) return false;
    throw e;
  }
}

test('generated smooth functions of x and y: both forms read back', () => {
  fc.assert(
    fc.property(smooth.f, (f) => {
      if (derives(f, { wrt: ['x', 'y'] })) roundTrip(f, { wrt: ['x', 'y'] }, [-1, 1]);
    }),
    { numRuns: 150, seed: 7 },
  );
});

test('generated formulas of the notes: the LaTeX of whatever differentiates reads back', () => {
  let read = 0;
  fc.assert(
    fc.property(formulas.formula, (f) => {
      if (derives(f, {}, SQUARE)) read += roundTrip(f, {}, undefined, undefined, SQUARE).latex;
    }),
    { numRuns: 150, seed: 11 },
  );
  assert.ok(read > 0);
});
