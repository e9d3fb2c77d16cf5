/**
 * Derivative notation against the core's own derivative: for generated
 * expressions E and a variable x, `\frac{\partial}{\partial x} E` evaluates to
 * the very expression differentiate(E, wrt x) gives (same printed tree and kind of shape),
 * in either layout; and `\nabla_x E` to the gradient.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import fc from 'fast-check';
import type { Layout } from '../../src/core/api';
import { differentiateOrRefuse, reportSlowest } from './core';
import { formulas, smooth } from './latex-generators';
import { fuzzRuns } from './runs';

after(() => reportSlowest('notation'));

const variables = fc.constantFrom(
  { written: 'x', name: 'x' },
  { written: 'y', name: 'y' },
  { written: '\\mathbf{x}', name: 'x' },
  { written: '\\mathbf{w}', name: 'w' },
  { written: 'W', name: 'W' },
);
const layouts = fc.constantFrom<Layout>('numerator', 'denominator');

function sameAsPlain(e: string, v: { written: string; name: string }, layout: Layout, nabla: boolean): void {
  const want = differentiateOrRefuse(e, { wrt: [v.name], op: nabla ? 'gradient' : 'jacobian', layout });
  fc.pre(want !== undefined);
  const notation = nabla
    ? `\\nabla_{${v.written}} \\left(${e}\\right)`
    : `\\frac{\\partial}{\\partial ${v.written}} \\left(${e}\\right)`;
  const got = differentiateOrRefuse(notation, { layout });
  assert.ok(got, `${notation} refused, but differentiate gives ${want!.text}`);
  assert.equal(got.op, 'evaluate');
  // The same tree as presented (sizes of a Kronecker form made while elaborating may be named differently: see README).
  assert.equal(got.text, want!.text, notation);
  assert.equal(got.shape.replace(/\(.*\)/, ''), want!.shape.replace(/\(.*\)/, ''), notation);
}

test('∂/∂x E is the derivative differentiate(E, wrt x) gives, in either layout', () => {
  fc.assert(
    fc.property(formulas.scalar, variables, layouts, (e, v, layout) => sameAsPlain(e, v, layout, false)),
    { numRuns: fuzzRuns(120) },
  );
});

test('∇ₓ E is the gradient differentiate(E, wrt x) gives', () => {
  fc.assert(
    fc.property(formulas.scalar, variables, (e, v) => sameAsPlain(e, v, 'numerator', true)),
    { numRuns: fuzzRuns(80) },
  );
});

test('d/dx of smooth scalar functions of x and y', () => {
  fc.assert(
    fc.property(smooth.f, fc.constantFrom({ written: 'x', name: 'x' }, { written: 'y', name: 'y' }), (e, v) =>
      sameAsPlain(`${e} + x y`, v, 'numerator', false),
    ),
    { numRuns: fuzzRuns(80) },
  );
});
