import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { check, checkAt } from '../../src/notes/check';
import type { StepCheck } from '../../src/notes/api';

const only = (text: string, format: 'markdown' | 'latex' = 'markdown', options = {}): StepCheck => {
  const steps = check(text, format, options);
  assert.equal(steps.length, 1, JSON.stringify(steps.map((s) => [s.lhs, s.rhs, s.verdict, s.reason])));
  return steps[0];
};

test('holds symbolically when the simplified sides are the same', () => {
  const s = only('$$(x+1)^2 - 1 = x^2 + 2x$$');
  assert.equal(s.verdict, 'holds', s.reason);
  assert.equal(s.layout, null);
});

test('holds numerically at random points with random sizes for symbolic dimensions', () => {
  const s = only('$\\mathbf{x} \\in \\mathbb{R}^n$, $$\\|\\mathbf{x}\\|^2 = \\mathbf{x}^T\\mathbf{x}$$');
  assert.equal(s.verdict, 'holds', s.reason);
  const t = only('$$\\sin(x)^2 = 1 - \\cos(x)^2$$');
  assert.equal(t.verdict, 'holds', t.reason);
  assert.match(t.reason, /random points/);
});

test('wrong: the correct value of the left side and a counterexample point', () => {
  const text = 'line one\n$$(x+1)^2 = x^2 + 1$$';
  const s = only(text);
  assert.equal(s.verdict, 'wrong');
  assert.equal(s.line, 2);
  assert.equal(s.column, 11);
  assert.equal(text.slice(s.rhsRange.start, s.rhsRange.end), 'x^2 + 1');
  assert.equal(text.slice(s.relationRange.start, s.relationRange.end), '=');
  assert.ok(s.expected);
  assert.ok(s.counterexample && typeof s.counterexample.x === 'number');
  // The expected value is the left side: it makes the step hold.
  assert.equal(only(`$$(x+1)^2 = ${s.expected}$$`).verdict, 'holds');
});

test('wrong: a right side that is the transpose of the left side says so', () => {
  const s = only(
    '$\\mathbf{z} \\in \\mathbb{R}^m$, $\\mathbf{x} \\in \\mathbb{R}^n$: $$\\mathbf{z}\\mathbf{x}^T = \\mathbf{x}\\mathbf{z}^T$$',
  );
  assert.equal(s.verdict, 'wrong');
  assert.match(s.reason, /transpose/);
});

test('unchecked: elided entries, limits, parse errors, with the reason', () => {
  const steps = check(
    '$$A + 0 = \\begin{bmatrix} 1 & \\cdots \\\\ 0 & 1 \\end{bmatrix}$$ $$\\lim_{h \\to 0} h + x = x$$ $$x + (1 = 2$$',
    'markdown',
  );
  assert.deepEqual(
    steps.map((s) => s.verdict),
    ['unchecked', 'unchecked'],
  );
  assert.match(steps[0].reason, /cdots/);
  assert.match(steps[1].reason, /limit/);
  const parse = only('$$x + 1 = (2$$');
  assert.equal(parse.verdict, 'unchecked');
  assert.ok(parse.reason.length > 0);
});

test('definitions in scope are used and reported with their lines', () => {
  const text = '$z = x^2 + 1$\n\n$$z - 1 = x^2$$';
  const s = only(text);
  assert.deepEqual(
    s.used.map((u) => [u.name, u.line]),
    [['z', 1]],
  );
});

test('shape claims against the shape of the left side', () => {
  const decl = '$A \\in \\mathbb{R}^{m \\times n}$, $\\mathbf{x} \\in \\mathbb{R}^n$. ';
  const ok = only(
    `${decl}$A\\mathbf{x} + \\mathbf{x}^T\\mathbf{x} \\cdot A\\mathbf{x} \\in \\mathbb{R}^{m}$`,
  );
  assert.equal(ok.verdict, 'holds', ok.reason);
  const bad = only(`${decl}$A^T A \\in \\mathbb{R}^{m \\times m}$`);
  assert.equal(bad.verdict, 'wrong');
  assert.equal(bad.expected, '\\mathbb{R}^{n \\times n}');
});

test('a region over its time budget is unchecked: took too long', () => {
  const steps = check('$$(x+1)^2 = x^2 + 2x + 1 = 1 + x(x + 2)$$', 'markdown', { regionBudgetMs: 0 });
  assert.equal(steps.length, 2);
  for (const s of steps) {
    assert.equal(s.verdict, 'unchecked');
    assert.equal(s.reason, 'took too long');
  }
});

test('checkAt checks only the region at the offset', () => {
  const text = '$$a + 1 = 1 + a$$ and $$b + 2 = 3 + b$$';
  const at = checkAt(text, 'markdown', text.indexOf('b + 2'));
  assert.deepEqual(
    at.map((s) => [s.lhs, s.verdict]),
    [['b + 2', 'wrong']],
  );
  assert.deepEqual(checkAt(text, 'markdown', text.indexOf('and')), []);
});

test('the same note and seed give the same verdicts and points', () => {
  const text = '$$\\sin(x) + y = y + \\sin(2x)$$';
  assert.deepEqual(check(text, 'markdown', { seed: 7 }), check(text, 'markdown', { seed: 7 }));
});

test('checking random notes never throws: every step gets a verdict', () => {
  const pieces = [
    '$$',
    '$',
    '=',
    '&=',
    '\\\\',
    ' \\in \\mathbb{R}^{n}',
    ' \\in \\mathbb{R}^{2 \\times 3}',
    'x',
    '\\mathbf{x}',
    'A',
    '^T',
    '^2',
    '\\frac{\\partial y}{\\partial x}',
    '\\nabla_{\\mathbf{x}}',
    "f'(x)",
    '\\sin(',
    ')',
    '+',
    '\\cdot',
    '\\cdots',
    '\n# h\n',
    '\\begin{aligned}',
    '\\end{aligned}',
    '{',
    '}',
    '(',
    '2',
    'y = x^2',
    '\\|',
    '\\operatorname{softmax}(',
    ' ',
  ];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
      const text = parts.join('');
      for (const format of ['markdown', 'latex'] as const) {
        for (const s of check(text, format, { regionBudgetMs: 200 })) {
          assert.ok(['holds', 'wrong', 'layout', 'unchecked'].includes(s.verdict));
          assert.ok(s.line >= 1 && s.column >= 1);
          assert.equal(typeof s.reason, 'string');
        }
      }
    }),
    { numRuns: 200 },
  );
});

test('layout: a step that holds only in the other layout says which; with that layout in effect it holds', () => {
  const text =
    '$\\mathbf{x} \\in \\mathbb{R}^n$, $A \\in \\mathbb{R}^{m \\times n}$\n$$\\frac{\\partial A\\mathbf{x}}{\\partial \\mathbf{x}} = A^T$$';
  const s = only(text);
  assert.equal(s.verdict, 'layout');
  assert.equal(s.layout, 'denominator');
  assert.equal(s.expected, undefined);
  const d = only(text, 'markdown', { layout: 'denominator' });
  assert.equal(d.verdict, 'holds', d.reason);
  assert.equal(d.layout, null);
});

test('wrong derivative: the expected value is the derivative, with a point where the sides differ', () => {
  const s = only('$$\\nabla_{\\mathbf{x}} \\mathbf{x}^T \\mathbf{x} = 3\\mathbf{x}$$');
  assert.equal(s.verdict, 'wrong');
  assert.equal(s.expected, '2 \\mathbf{x}');
  assert.ok(Array.isArray(s.counterexample?.x));
  assert.match(s.reason, /^the left side is 2 \\mathbf\{x\} \(they differ at x = \[/);
});

test('kinks: holds where x ≠ 0; a branch left out is wrong at a point of the other branch', () => {
  const kink = only('$$\\frac{d}{dx}|x| = \\frac{x}{|x|}$$');
  assert.equal(kink.verdict, 'holds');
  assert.match(kink.reason, /where x ≠ 0/);
  const branch = only('$$\\frac{d}{dx} \\max(0, x) = 1$$');
  assert.equal(branch.verdict, 'wrong');
  assert.ok((branch.counterexample?.x as number) <= 0);
});

test('shape claims in the layout in effect; layout when only the other one gives the claimed shape', () => {
  const decl =
    '$\\mathbf{x} \\in \\mathbb{R}^p$, $\\mathbf{y} \\in \\mathbb{R}^q$, $A \\in \\mathbb{R}^{q \\times p}$. ';
  const numerator = only(
    `${decl}$\\frac{\\partial \\mathbf{x}^T\\mathbf{x}}{\\partial \\mathbf{x}} \\in \\mathbb{R}^{1 \\times p}$`,
  );
  assert.equal(numerator.verdict, 'holds', numerator.reason);
  const column = only(
    `${decl}$\\frac{\\partial \\mathbf{x}^T\\mathbf{x}}{\\partial \\mathbf{x}} \\in \\mathbb{R}^{p \\times 1}$`,
  );
  assert.equal(column.verdict, 'layout');
  assert.equal(column.layout, 'denominator');
  const wrong = only(
    `${decl}$\\frac{\\partial A\\mathbf{x}}{\\partial \\mathbf{x}} \\in \\mathbb{R}^{p \\times p}$`,
  );
  assert.equal(wrong.verdict, 'wrong');
  assert.equal(wrong.expected, '\\mathbb{R}^{q \\times p}');
  // A size the note never declared cannot be compared with the claim's.
  const undeclared = only(
    '$\\frac{\\partial \\mathbf{x}^T\\mathbf{x}}{\\partial \\mathbf{x}} \\in \\mathbb{R}^{1 \\times p}$',
  );
  assert.equal(undeclared.verdict, 'unchecked');
  assert.match(undeclared.reason, /not declared/);
});

test('chains through several definitions; the step lists the definitions it used with their lines', () => {
  const text = [
    '$\\mathbf{w}, \\mathbf{x} \\in \\mathbb{R}^n$',
    '$z = \\mathbf{w}^T\\mathbf{x} + b$',
    '$u = z^2$',
    '',
    '$$\\frac{\\partial u}{\\partial \\mathbf{w}} = 2z\\mathbf{x}^T$$',
  ].join('\n');
  const s = only(text);
  assert.equal(s.verdict, 'holds', s.reason);
  assert.deepEqual(
    s.used.map((u) => [u.name, u.line]),
    [
      ['w', 1],
      ['x', 1],
      ['z', 2],
      ['u', 3],
    ],
  );
});

test('unchecked rather than wrong when the note leaves a name undefined or contradicts itself', () => {
  const loose = only('$$\\frac{dy}{db} = 1$$');
  assert.equal(loose.verdict, 'unchecked');
  assert.match(loose.reason, /y has no definition here: cannot evaluate dy\/db/);
  const lone = only('$$|\\mathbf{x}| = n$$');
  assert.equal(lone.verdict, 'unchecked');
  assert.match(lone.reason, /n is not defined/);
  const conflict = only(
    '$x \\in \\mathbb{R}$, $\\mathbf{y} \\in \\mathbb{R}^q$, $\\mathbf{y} = 2x$: $\\frac{d\\mathbf{y}}{dx} \\in \\mathbb{R}^{q \\times 1}$',
  );
  assert.equal(conflict.verdict, 'unchecked');
  assert.match(conflict.reason, /declared/);
});

test('a function the note defines is applied to the arguments; one it does not define, on one side only, is unchecked', () => {
  const applied = only('$g(x, y) = 2x + y^8$\n\n$$\\frac{\\partial g(x, y)}{\\partial x} = 3$$');
  assert.equal(applied.verdict, 'wrong');
  assert.equal(applied.expected, '2');
  assert.equal(
    only('$g(x, y) = 2x + y^8$\n\n$$\\frac{\\partial g(x, y)}{\\partial y} = 8y^7$$').verdict,
    'holds',
  );
  const alone = only('$y = x^2$\n\n$$\\frac{dy}{dx} = \\frac{\\partial f(x)}{\\partial x}$$');
  assert.equal(alone.verdict, 'unchecked');
  assert.match(alone.reason, /f is a function the note does not define, on one side only/);
  // The chain rule with functions the note never defines: random smooth functions on both sides.
  assert.equal(only("$h(x) = f(g(x))$\n\n$$h'(x) = f'(g(x))g'(x)$$").verdict, 'holds');
  assert.equal(only("$h(x) = f(g(x))$\n\n$$h'(x) = f'(x)g'(x)$$").verdict, 'wrong');
  const shape = only("$x \\in \\mathbb{R}^n$: $f'(x) \\in \\mathbb{R}^{m \\times n}$");
  assert.equal(shape.verdict, 'unchecked');
});

test('a matrix the note declares symmetric is its own transpose in the claims it is in', () => {
  const claim =
    '$$\\nabla_\\Sigma \\left(\\mathbf{a}^\\top \\Sigma^{-1} \\mathbf{a}\\right) = -\\Sigma^{-1}\\mathbf{a}\\mathbf{a}^\\top\\Sigma^{-1}$$';
  // Undeclared, the gradient is −Σ⁻ᵀaaᵀΣ⁻ᵀ: the step reads as a layout mix-up.
  assert.equal(only(claim).verdict, 'wrong');
  for (const declaration of ['$\\Sigma \\succ 0$', '$A \\succ 0$, $\\Sigma^\\top = \\Sigma$']) {
    const steps = check(`${declaration}\n${claim}`, 'markdown');
    const last = steps[steps.length - 1];
    assert.equal(last.verdict, 'holds', `${declaration}: ${last.reason}`);
  }
});

test('a later claim of symmetry adds to the size a note declared, not in place of it', () => {
  const steps = check(
    [
      'Let $\\Sigma \\in \\mathbb{R}^{k \\times k}$.',
      'Assume $\\Sigma \\succ 0$.',
      '$$\\nabla_{\\Sigma} \\ln\\det\\Sigma = \\Sigma^{-1} \\in \\mathbb{R}^{k \\times k}$$',
    ].join('\n\n'),
    'markdown',
  );
  // Both the equation (Σ symmetric) and the shape (k × k, declared before the claim) hold.
  assert.deepEqual(
    steps.slice(-2).map((s) => [s.verdict, s.reason]),
    [
      ['holds', 'symbolically'],
      ['holds', 'its shape is \\mathbb{R}^{k \\times k}'],
    ],
  );
});

test('the other gradient by a symmetric matrix (G + Gᵀ − I ⊙ G) holds for symmetric Σ, and says so', () => {
  const note = (
    claim: string,
    declaration = '$\\Sigma \\in \\mathbb{S}^n$, $\\mathbf{a} \\in \\mathbb{R}^n$',
  ) => check(`${declaration}\n\n$$${claim}$$`, 'markdown').at(-1)!;
  for (const claim of [
    '\\nabla_{\\Sigma} \\ln\\det\\Sigma = 2\\Sigma^{-1} - I \\odot \\Sigma^{-1}',
    '\\nabla_{\\Sigma}\\, \\mathbf{a}^\\top\\Sigma\\mathbf{a} = 2\\mathbf{a}\\mathbf{a}^\\top - I \\odot (\\mathbf{a}\\mathbf{a}^\\top)',
  ]) {
    const step = note(claim);
    assert.equal(step.verdict, 'holds', claim);
    assert.match(
      step.reason,
      /^for symmetric \\Sigma, an entry off the diagonal standing for itself and its mirror image/,
    );
  }
  // Still wrong: a gradient that is neither, and the mirrored one of a Σ not declared symmetric.
  assert.equal(note('\\nabla_{\\Sigma} \\ln\\det\\Sigma = 3\\Sigma^{-1}').verdict, 'wrong');
  assert.equal(
    note(
      '\\nabla_{\\Sigma}\\, \\mathbf{a}^\\top\\Sigma\\mathbf{a} = 2\\mathbf{a}\\mathbf{a}^\\top - I \\odot (\\mathbf{a}\\mathbf{a}^\\top)',
      '$\\Sigma \\in \\mathbb{R}^{n \\times n}$, $\\mathbf{a} \\in \\mathbb{R}^n$',
    ).verdict,
    'wrong',
  );
});

test('a derivative by one entry (∂/∂w_i, ∂/∂X_{ij}) is checked at random in-range indices', () => {
  const decl =
    '$\\mathbf{w} \\in \\mathbb{R}^n$, $X \\in \\mathbb{R}^{m \\times n}$, $A \\in \\mathbb{R}^{n \\times n}$\n\n';
  const holds = only(
    `${decl}$$\\frac{\\partial}{\\partial w_i} \\|\\mathbf{w}\\|^2 = \\frac{\\partial}{\\partial w_i} \\mathbf{w}^T\\mathbf{w}$$`,
  );
  assert.equal(holds.verdict, 'holds', holds.reason);
  const trace = only(
    `${decl}$$\\frac{\\partial}{\\partial X_{ij}} \\operatorname{tr}(X A X^T) = \\frac{\\partial}{\\partial X_{ij}} \\operatorname{tr}(X^T X A)$$`,
  );
  assert.equal(trace.verdict, 'holds', trace.reason);
  // ∂ tr(AX)/∂X_{ij} is A_{ji}, not A_{ij}: wrong at some entry, which the point names.
  const wrong = only(
    `$X \\in \\mathbb{R}^{n \\times n}$, $A \\in \\mathbb{R}^{n \\times n}$ $$\\frac{\\partial}{\\partial X_{ij}} \\operatorname{tr}(A X) = \\frac{\\partial}{\\partial X_{ij}} \\operatorname{tr}(A^T X)$$`,
    'markdown',
    { seed: 2 },
  );
  assert.equal(wrong.verdict, 'wrong', wrong.reason);
  assert.equal(wrong.expected, 'A_{ji}');
  assert.ok(typeof wrong.counterexample?.i === 'number' && typeof wrong.counterexample.j === 'number');
  // w_3 needs w of size 3 or more, whatever sizes are drawn.
  const third = only(
    `$$\\frac{\\partial}{\\partial w_3} \\frac{1}{2}\\|\\mathbf{w}\\|^2 = \\frac{\\partial}{\\partial w_3} \\frac{1}{2}\\mathbf{w}^T\\mathbf{w}$$`,
  );
  assert.equal(third.verdict, 'holds', third.reason);
});

test('w_i beside the vector w on the other side is not guessed: unchecked, saying why', () => {
  const s = only(
    '$\\mathbf{w} \\in \\mathbb{R}^n$ $$\\frac{\\partial}{\\partial w_i} \\|\\mathbf{w}\\|^2 = 2 w_i$$',
  );
  assert.equal(s.verdict, 'unchecked');
  assert.match(
    s.reason,
    /w_i is a variable of its own here, and also reads as one entry of the vector\(n\) w/,
  );
});

test('a name only differentiated in a step is a variable when the chain or a definition in scope uses it as a value', () => {
  // b is a value in the definition of z: ∂b/∂𝐰 is 0ᵀ.
  const bias = check(
    '$$z = \\mathbf{w} \\cdot \\mathbf{x} + b$$\n\n$$\\frac{\\partial z}{\\partial \\mathbf{w}} = \\frac{\\partial}{\\partial \\mathbf{w}} \\mathbf{w} \\cdot \\mathbf{x} + \\frac{\\partial b}{\\partial \\mathbf{w}} = \\mathbf{x}^T + \\vec{0}^T$$',
    'markdown',
  );
  assert.deepEqual(
    bias.map((s) => s.verdict),
    ['holds', 'holds'],
    JSON.stringify(bias.map((s) => s.reason)),
  );
  // z is a value in the chain's first step: ∂z/∂x_i is 0 in the second.
  const chain = check(
    '$$\\frac{\\partial (x_i + z)}{\\partial x_i} = \\frac{\\partial x_i}{\\partial x_i} + \\frac{\\partial z}{\\partial x_i} = 1 + 0$$',
    'markdown',
  );
  assert.deepEqual(
    chain.map((s) => s.verdict),
    ['holds', 'holds'],
    JSON.stringify(chain.map((s) => s.reason)),
  );
  // Nowhere a value: f stands for a function the note does not define, not a variable (∇f = 0 would be a misreading).
  const f = only('$$\\nabla f = J_f^T$$');
  assert.equal(f.verdict, 'unchecked');
  assert.match(f.reason, /f has no definition here/);
});

test("the core reads primes on known functions and on brackets of a scalar as derivatives; g’ as g'", () => {
  for (const claim of [
    "\\tanh'(x) = \\frac{d}{dx}\\tanh(x)",
    "\\sin''(x^2) = -\\sin(x^2)",
    "\\ln'(x) = \\frac{1}{x}",
    "(x^3 + x)' = 3x^2 + 1",
    "(f(x)g(x))' = f'(x)g(x) + f(x)g’(x)",
    "(A B)' = B' A'",
  ]) {
    const s = only(`$$${claim}$$`);
    assert.equal(s.verdict, 'holds', `${claim}: ${s.reason}`);
  }
  const wrong = only("$$(x^3 + x)' = 3x^2$$");
  assert.equal(wrong.verdict, 'wrong');
  assert.equal(wrong.expected, '3 x^{2} + 1');
  const several = only("$$(x y)' = y$$");
  assert.equal(several.verdict, 'unchecked');
  assert.match(several.reason, /\(…\)' of an expression in x, y/);
});

test('an increment Δx is read as a product, which the core flags: a step that does not hold with it is unchecked', () => {
  // Δx Δy = Δxy does not hold as products (Δ²xy against Δxy): the note means increments, which the checker does not read.
  const s = only('$$\\Delta x \\Delta y = \\Delta x y$$');
  assert.equal(s.verdict, 'unchecked');
  assert.match(s.reason, /an increment such as \\Delta x is read as the product/);
  // One that holds as read still holds.
  assert.equal(only('$$\\Delta x + \\Delta x = 2 \\Delta x$$').verdict, 'holds');
});

test('an entry written as a name beside its vector (x_i beside 𝐱) is not called wrong: unchecked, saying why', () => {
  const s = only(
    '$\\mathbf{w}, \\mathbf{x} \\in \\mathbb{R}^n$\n\n$$\\frac{\\partial}{\\partial w_i} 2\\mathbf{w}^T\\mathbf{x} = 2 x_i$$',
  );
  assert.equal(s.verdict, 'unchecked');
  assert.match(s.reason, /x_i is read as a scalar of its own beside the vector x/);
});

test('sums over samples: the least-squares gradient, a scatter matrix, a mean, each step judged', () => {
  const steps = check(
    [
      '$$\\nabla_{\\mathbf{w}} \\sum_{i=1}^{N} (\\mathbf{w}^\\top\\mathbf{x}_i - y_i)^2 = \\sum_{i=1}^{N} 2(\\mathbf{w}^\\top\\mathbf{x}_i - y_i)\\mathbf{x}_i$$',
      '$$\\nabla_{\\mathbf{w}} \\sum_{i=1}^{N} (\\mathbf{w}^\\top\\mathbf{x}_i - y_i)^2 = \\sum_{i=1}^{N} 2(\\mathbf{w}^\\top\\mathbf{x}_i + y_i)\\mathbf{x}_i$$',
      '$$\\sum_{i=1}^{N} \\mathbf{x}_i \\mathbf{x}_i^\\top = X X^\\top$$',
      '$$\\nabla_{\\boldsymbol{\\mu}} \\sum_{i=1}^{N} \\|\\mathbf{x}_i - \\boldsymbol{\\mu}\\|^2 = 2\\sum_{i=1}^{N} (\\mathbf{x}_i - \\boldsymbol{\\mu})$$',
    ].join('\n'),
    'markdown',
  );
  assert.deepEqual(
    steps.map((s) => s.verdict),
    ['holds', 'wrong', 'holds', 'wrong'],
    JSON.stringify(steps.map((s) => s.reason)),
  );
  // The right value of the left side, as the summed samples give it.
  assert.match(steps[1].reason, /2 X \\left\(X\^\\top \\mathbf\{w\} - \\mathbf\{y\}\\right\)/);
  assert.match(
    steps[3].reason,
    /-2 \\left\(X - \\boldsymbol\{\\mu\} \\mathbf\{1\}\^\\top\\right\) \\mathbf\{1\}/,
  );
});

test('a design matrix, one sample per row, is the other reading of X beside the samples 𝐱ᵢ', () => {
  const steps = check(
    '$$-\\sum_{i=1}^{N}(y_i - \\mathbf{w}^\\top\\mathbf{x}_i)\\mathbf{x}_i = -X^\\top(\\mathbf{y} - X\\mathbf{w}) = -X(\\mathbf{y} - X^\\top\\mathbf{w})$$',
    'markdown',
  );
  assert.deepEqual(
    steps.map((s) => [s.verdict, s.reason]),
    [
      [
        'holds',
        'with the samples as the rows of X (a design matrix: X\\mathbf{w} holds each \\mathbf{w}^\\top\\mathbf{x}_i)',
      ],
      // Xᵀ(𝐲 − X𝐰) against X(𝐲 − Xᵀ𝐰): the two readings of X, no step a note would take.
      ['wrong', steps[1].reason],
    ],
  );
  const wrong = check('$$\\sum_{i=1}^{N} \\mathbf{x}_i = 2 X \\mathbf{1}$$', 'markdown')[0];
  assert.equal(wrong.verdict, 'wrong');
  assert.match(wrong.reason, /where X holds the samples as its columns/);
});

test('sides that round to exactly 0 at every point (1 − tanh²(x⁴) far out) are unchecked, not equal', () => {
  const d =
    '324 \\left(1 - \\tanh^{2}\\left(\\left(3 x + 9\\right)^{4}\\right)\\right) \\left(3 + x\\right)^{3}';
  const twice = only(`$$\\frac{\\partial}{\\partial x}\\tanh((3x + 9)^{4}) = 2\\left(${d}\\right)$$`);
  assert.equal(twice.verdict, 'unchecked', twice.reason);
  assert.match(twice.reason, /too small to compare/);
});
