/**
 * "Show the work" in the panel's model: steps (closed, key stages, all), the numeric check, NumPy code and
 * both layouts side by side; none of it in the side view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SETTINGS } from '../../src/extension/shared/documents';
import { differentiateAt } from '../../src/extension/engine/engine';
import { HOVER_COMMANDS, hoverMarkdown } from '../../src/extension/host/hoverContent';
import type { Subject, ViewModel } from '../../src/webview/protocol';
import { layoutMatters, viewModel } from '../../src/extension/host/viewModel';
import { differentiate } from '../../src/core';
import type { Outcome, Overrides } from '../../src/extension/shared/domain';

const PANEL_WORK = { check: true, code: true } as const;

/** The first formula of a Markdown text, differentiated as the panel does for `subject`. */
function panelModel(
  text: string,
  subject: Partial<Subject> = {},
  overrides: Overrides = {},
): { outcome: Outcome; model: ViewModel } {
  const work = { ...PANEL_WORK, steps: subject.steps !== undefined };
  const outcome = differentiateAt({ text, languageId: 'markdown' }, text.indexOf('$') + 1, DEFAULT_SETTINGS, {
    ...overrides,
    work,
  });
  assert.ok(outcome, text);
  const full: Subject = { uri: 'file:///notes.md', languageId: 'markdown', math: outcome.math, ...subject };
  return { outcome, model: viewModel(outcome, full, [], 'numerator', { panel: true }) };
}

const RELU = '$$\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)$$';

test('steps are closed (and not computed) until the section is opened', () => {
  const { outcome, model } = panelModel(RELU, {}, { wrt: ['w'] });
  assert.equal(outcome.kind === 'result' && outcome.result.steps, undefined);
  assert.deepEqual(model.steps, { view: 'none', stages: [], detailCount: 0 });
});

test('steps: the key stages by default, every stage on request, each with LaTeX and one explanation', () => {
  const key = panelModel(RELU, { steps: 'key' }, { wrt: ['w'] }).model.steps;
  const all = panelModel(RELU, { steps: 'all' }, { wrt: ['w'] }).model.steps;
  assert.ok(key && all);
  const reference = differentiate('\\max(0, \\mathbf{w}\\cdot\\mathbf{x}+b)', {
    wrt: ['w'],
    steps: true,
  }).steps;
  assert.ok(reference);
  assert.equal(all.stages.length, reference.length);
  assert.equal(key.stages.length, reference.filter((s) => s.key).length);
  assert.equal(key.detailCount, all.stages.length - key.stages.length);
  assert.ok(key.detailCount > 0, 'the ReLU derivation has detail stages');
  // The notes' intermediate first, the chain rule through it, the gradient last.
  assert.equal(key.stages[0].rule, 'intermediate');
  assert.match(key.stages[0].latex, /^z = /);
  assert.ok(key.stages.some((s) => s.rule === 'chain'));
  assert.equal(key.stages.at(-1)?.rule, 'result');
  for (const stage of all.stages) {
    assert.ok(stage.latex.length > 0);
    assert.doesNotMatch(stage.explanation, /\n/);
  }
  assert.ok(all.stages.some((s) => s.depth > 0));
});

test('check at a random point when none is typed: verdict, max relative error, where', () => {
  const { model } = panelModel('$\\mathbf{x}^\\top A \\mathbf{x}$');
  assert.equal(model.check?.verdict, 'agrees');
  assert.equal(model.check?.summary, 'Agrees with central finite differences');
  assert.match(model.check?.error ?? '', /^max relative error (0|\d\.\de-\d+)$/);
  assert.match(model.check?.where ?? '', /^at a random point: x = \[.*\], A = \[\[/);
});

test('check at the typed point; a kink is "not differentiable here", not a failure', () => {
  const { model } = panelModel('$|x|$', { point: 'x=0' }, { at: { x: 0 } });
  assert.equal(model.state, 'result');
  assert.equal(model.check?.verdict, 'not-differentiable');
  assert.equal(model.check?.summary, 'Not differentiable here');
  assert.equal(model.check?.error, undefined);
  assert.equal(model.check?.where, 'at the point given: x = 0');
  assert.match(model.check?.detail ?? '', /not differentiable here/);

  const smooth = panelModel('$x^3$', { point: 'x=2' }, { at: { x: 2 } }).model;
  assert.equal(smooth.check?.verdict, 'agrees');
  assert.equal(smooth.check?.where, 'at the point given: x = 2');
  assert.equal(smooth.valueLatex, '12');
});

test('a part of the work that fails alone leaves the derivative, the steps and the code', () => {
  // ln of a negative number: no point where the check can compare.
  const { outcome, model } = panelModel('$\\ln(-x^2-1)$', { steps: 'key' });
  assert.equal(outcome.kind, 'result');
  assert.deepEqual(outcome.kind === 'result' && outcome.unavailable, {
    check: 'found no point where the function and its derivative are finite',
  });
  assert.equal(model.check?.verdict, 'unavailable');
  assert.equal(model.check?.summary, 'Not checked');
  assert.ok((model.steps?.stages.length ?? 0) > 0);
  assert.ok(model.numpy?.includes('def '));
});

test('code: the TypeScript, NumPy and PyTorch functions', () => {
  const { model } = panelModel('$\\|A\\mathbf{x}-\\mathbf{b}\\|^2$', {}, { wrt: ['x'] });
  assert.match(model.code ?? '', /^export function \w+\(/m);
  assert.match(model.numpy ?? '', /^import numpy as np$/m);
  assert.match(model.numpy ?? '', /^def \w+\(A, x, b\):$/m);
  assert.match(model.torch ?? '', /^import torch$/m);
  assert.match(model.torch ?? '', /^def \w+\(A, x, b\):$/m);
});

test('the side view shows no work (but can copy NumPy)', () => {
  const text = '$\\operatorname{softmax}(\\mathbf{x})$';
  const outcome = differentiateAt({ text, languageId: 'markdown' }, 2, DEFAULT_SETTINGS, {
    work: { code: true },
  });
  assert.ok(outcome);
  const model = viewModel(
    outcome,
    { uri: 'file:///a.md', languageId: 'markdown', math: outcome.math },
    [],
    'numerator',
  );
  assert.equal(model.steps, undefined);
  assert.equal(model.check, undefined);
  assert.equal(model.layouts, undefined);
  assert.ok(model.numpy?.startsWith('#'));
});

test('layouts: when they matter, and both side by side with one sentence', () => {
  const latex = (e: string, op?: 'jacobian' | 'hessian') =>
    differentiate(e, { lang: 'latex', ...(op ? { op } : {}) });
  assert.equal(layoutMatters(latex('A\\mathbf{x}')), true);
  assert.equal(layoutMatters(latex('\\mathbf{a}^\\top \\mathbf{x}')), true);
  assert.equal(layoutMatters(latex('[\\ln(x^2), \\sin(3x)]')), true);
  assert.equal(layoutMatters(latex('\\sin(x)')), false);
  assert.equal(layoutMatters(latex('\\mathbf{x}^\\top A \\mathbf{x}', 'hessian')), false);

  const text = '$A\\mathbf{x}$';
  const jacobian = (layout: 'numerator' | 'denominator') =>
    differentiateAt({ text, languageId: 'markdown' }, 2, DEFAULT_SETTINGS, { op: 'jacobian', layout });
  const numerator = jacobian('numerator');
  const denominator = jacobian('denominator');
  assert.ok(numerator && denominator);
  const subject: Subject = {
    uri: 'file:///a.md',
    languageId: 'markdown',
    math: numerator.math,
    layoutsBoth: true,
  };
  const model = viewModel(numerator, subject, [], 'numerator', {
    panel: true,
    layouts: { numerator, denominator },
  });
  assert.deepEqual(model.layouts?.numerator, { latex: 'A', shape: 'matrix(n×m)' });
  assert.deepEqual(model.layouts?.denominator, { latex: 'A^\\top', shape: 'matrix(m×n)' });
  assert.equal(
    model.layouts?.relation,
    'Numerator layout gives ∂f/∂x one row per entry of f (matrix(n×m)); denominator layout is its transpose (matrix(m×n)).',
  );
  // Not asked for: only whether the toggle is offered.
  const off = viewModel(numerator, { ...subject, layoutsBoth: false }, [], 'numerator', { panel: true });
  assert.deepEqual(off.layouts, { matters: true, both: false });
});

test('layouts of a scalar by a vector: a row and a column; the gradient is a column in both', () => {
  const text = '$\\mathbf{a}^\\top \\mathbf{x}$';
  const at = (op: 'jacobian' | 'gradient', layout: 'numerator' | 'denominator') =>
    differentiateAt({ text, languageId: 'markdown' }, 2, DEFAULT_SETTINGS, { op, layout, wrt: ['x'] });
  const gradient = at('gradient', 'numerator');
  const numerator = at('jacobian', 'numerator');
  const denominator = at('jacobian', 'denominator');
  assert.ok(gradient && numerator && denominator);
  const subject: Subject = {
    uri: 'file:///a.md',
    languageId: 'markdown',
    math: gradient.math,
    layoutsBoth: true,
  };
  const model = viewModel(gradient, subject, [], 'numerator', {
    panel: true,
    layouts: { numerator, denominator },
  });
  assert.deepEqual(model.layouts?.numerator, { latex: '\\mathbf{a}^\\top', shape: 'row vector(n)' });
  assert.deepEqual(model.layouts?.denominator, { latex: '\\mathbf{a}', shape: 'vector(n)' });
  assert.match(
    model.layouts?.relation ?? '',
    /the gradient ∇f is shaped like the variable \(a column for a vector\) in both\.$/,
  );
});

test('the hover links to Show Steps with its target', () => {
  assert.ok(HOVER_COMMANDS.includes('jacobianLens.showSteps'));
  const target = { uri: 'file:///notes.md', start: 3, end: 3 };
  const md = hoverMarkdown({ result: differentiate('x^2', { lang: 'latex' }), declarations: [], target });
  const link = /\[Show steps\]\(command:jacobianLens\.showSteps\?([^)]*)\)/.exec(md);
  assert.ok(link, md);
  assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [target]);
});
