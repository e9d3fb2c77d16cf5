/**
 * Every derivation chain of the five seed notes (test/fixtures/seeds/, copied
 * from ../shared/seeds/: real notes, Markdown with Chinese prose) with the
 * verdict a careful reader gives. Steps listed under `holds`, `layout` and
 * `wrong` must have that verdict; every other step must be `unchecked` with a
 * reason (most elide entries with \cdots, use a limit, or use a function the
 * note never defines) — so a step that changes verdict fails here.
 *
 * Every step the checker marks wrong in the seeds, and why:
 *
 * Real mistakes in the notes
 * - 003 354:22 `z x^T = x z^T`: x zᵀ is the transpose of z xᵀ (the note's y'(W) chain,
 *   where both sides are meant to be the same matrix).
 *
 * Misreadings: the step is right as the note means it, the core reads it otherwise
 * (001 31:38, 32:38 and 462:36 apply the note's own functions g(x, y) = 2x + y⁸ and v(y, u) = y − u to
 * arguments, which the core does not do: they are unchecked with that reason rather than wrong)
 * - 001 196:47 `\frac{\partial}{\partial z}(\mathbf{x} + z) = \overrightarrow{1}`: 𝐱 + z with a scalar z
 *   (the note says so) is read as a sum of two vectors, so ∂/∂z is I instead of 𝟏.
 * - 001 355:118 `\frac{\partial}{\partial \mathbf{w}}(\mathbf{w} \cdot \mathbf{x}) = diag(\mathbf{x})` and 356:95
 *   `\frac{\partial}{\partial \mathbf{u}} sum(\mathbf{u}) = \overrightarrow{1}^T`: the note writes the element-wise
 *   product 𝐰 ⊗ 𝐱 as `\cdot`, which is the inner product (so 𝐮 is a scalar).
 * - 001 413:2 `\frac{\partial}{\partial \mathbf{w}} \frac{1}{N} \sum_{i} v^2 = \frac{1}{N} \sum_i \frac{\partial}{\partial \mathbf{w}} v^2`:
 *   a sum over i of a row vector that does not mention i is read as the sum of its entries.
 * - 001 491:32 `\frac{\partial C}{\partial b} = \frac{2}{N} \sum e_i`: C is defined as C(v) = (1/N) Σ v², so v is
 *   its parameter (b does not appear), and e_i is defined in the previous section only.
 * - 002 74:29 `\text{softmax}(x_k) = \frac{\exp(x_k)}{\sum_i \exp(x_i)}`: softmax(x_k) means the k-th
 *   component of softmax(𝐱); the core reads x_k as a vector of its own.
 * - 004 65:75 `D \mathbf{A} \mathbf{x} = \mathbf{A}`: D is read as a matrix D times A𝐱, not the derivative
 *   operator (`D_{\mathbf{x}} A\mathbf{x}` reads as intended).
 *
 * Layout: 002 14:149 `\frac{\partial y}{\partial x} = […]^T \in \mathbb{R}^{p \times 1}` holds in
 * denominator layout only — which the note's label (分母布局, denominator layout) says.
 * Not caught: 002 22:149 labels q×1 as denominator layout (it is numerator); the checker does not
 * read the prose labels, and the shape claim is unchecked (y is declared a vector but defined as f(x)).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import test from 'node:test';
import { check } from '../../src/notes/check';
import type { Verdict } from '../../src/notes/api';

interface Expected {
  readonly file: string;
  /** Number of steps the checker finds (every link of every chain, every shape claim). */
  readonly steps: number;
  readonly holds: readonly string[];
  readonly layout?: readonly string[];
  /** line:column → why it is wrong (see above). */
  readonly wrong?: Readonly<Record<string, string>>;
}

const SEEDS: readonly Expected[] = [
  {
    file: '000_a2cafb063c9d5242.txt',
    steps: 17,
    // ∇f = J_fᵀ (when m = 1); softmax(x) ∈ ℝⁿ.
    holds: ['25:31', '48:68'],
  },
  {
    file: '001_3ba8d4054b30c47d.txt',
    steps: 143,
    holds: [
      // z(𝐱) = Σ wᵢxᵢ + b = 𝐰·𝐱 + b
      '7:58',
      // ∂g/∂x and ∂g/∂y of g(x, y) = 2x + y⁸, after the first link
      '31:104',
      '31:138',
      '31:149',
      '32:104',
      '32:114',
      // element-wise addition and multiplication by a scalar z
      '190:131',
      '190:203',
      '190:207',
      '192:56',
      '192:85',
      '194:89',
      '194:155',
      '194:163',
      '201:167',
      '201:171',
      '203:53',
      '205:155',
      '205:163',
      '207:44',
      // ∂xᵢ/∂xⱼ = 0
      '221:40',
      // the vector chain rule example, and the Jacobian-times-vector form
      '297:19',
      '306:1',
      // the neuron: ∂activation/∂𝐰, ∂z/∂𝐰, ∂y/∂𝐮 with y = sum(𝐮)
      '341:51',
      '350:42',
      '350:150',
      '355:50',
      '356:41',
      '359:42',
      '359:131',
      '359:171',
      '361:42',
      '361:149',
      '361:187',
      '373:42',
      '374:32',
      '374:124',
      '374:140',
      // the loss: ∂v/∂𝐰, ∂C/∂𝐰 and ∂C/∂b (where 𝐰·𝐱 + b ≠ 0)
      '406:151',
      '414:2',
      '415:2',
      '462:69',
      '462:101',
      '469:35',
      '470:2',
      '471:2',
      '472:2',
    ],
    wrong: {
      '196:47': 'misreading: 𝐱 + z with a scalar z',
      '355:118': 'misreading: the note writes the element-wise product as \\cdot',
      '356:95': 'misreading: 𝐮 = 𝐰·𝐱 is the inner product here, so sum(𝐮) = 𝐮 is a scalar',
      '413:2': 'misreading: a sum over i of a vector that does not mention i',
      '491:32': 'misreading: C(v) has v as its parameter; e_i is out of scope',
    },
  },
  {
    file: '002_726c08bef9611d14.txt',
    steps: 38,
    holds: [
      // ∂y/∂x ∈ ℝ^{1×p} in numerator layout (as the note's label says)
      '16:114',
      // ∂(yᵀz)/∂x, ∂(yᵀAz)/∂x ∈ ℝᵖ (the rules themselves use y = f(x), z = g(y): f and g are
      // read as products until abstract functions are merged, so those steps are unchecked)
      '36:116',
      '38:116',
      // logistic(x) = 1/(1 + e⁻ˣ) = σ(x)
      '58:22',
      '60:36',
      // softmax and its Jacobian, step by step
      '78:44',
      '82:49',
      '90:3',
      '92:3',
    ],
    layout: ['14:149'],
    wrong: { '74:29': 'misreading: softmax(x_k) is a component of softmax(𝐱)' },
  },
  {
    file: '003_7de19efaa4c56e02.txt',
    steps: 68,
    // f(x) = 4(2x₁ + 4x₂ + 7x₃) + 3(3x₁ + 5x₂ + 4x₃) = 17x₁ + 31x₂ + 40x₃; the numeric matrix product.
    holds: ['256:70', '270:14'],
    wrong: { '354:22': 'real mistake: x zᵀ is the transpose of z xᵀ' },
  },
  {
    file: '004_08fe62e7c81e47d0.txt',
    steps: 11,
    // 𝐱ᵀA𝐱 = 𝐱ᵀ𝐲 with 𝐲 = A𝐱; ∇‖𝐱‖² = ∇𝐱ᵀ𝐱 = 2𝐱; ⟨𝐮, 𝐯⟩ = 𝐮ᵀ𝐯.
    holds: ['70:38', '74:42', '74:88', '77:39'],
    wrong: { '65:75': 'misreading: D read as a matrix' },
  },
];

const SEED_DIR = path.join(__dirname, '..', 'fixtures', 'seeds');

for (const seed of SEEDS) {
  test(`seed ${seed.file}: every step has the verdict a careful reader gives`, () => {
    const steps = check(readFileSync(path.join(SEED_DIR, seed.file), 'utf8'), 'markdown');
    assert.equal(steps.length, seed.steps);
    const expected = new Map<string, Verdict>([
      ...seed.holds.map((at): [string, Verdict] => [at, 'holds']),
      ...(seed.layout ?? []).map((at): [string, Verdict] => [at, 'layout']),
      ...Object.keys(seed.wrong ?? {}).map((at): [string, Verdict] => [at, 'wrong']),
    ]);
    const found = new Set<string>();
    for (const s of steps) {
      const at = `${s.line}:${s.column}`;
      found.add(at);
      const want = expected.get(at) ?? 'unchecked';
      assert.equal(s.verdict, want, `${at} ${s.lhs} = ${s.rhs}: ${s.reason}`);
      assert.ok(s.reason.length > 0, `${at} has a reason`);
      if (s.verdict === 'wrong') assert.ok(s.expected, `${at} has the correct value`);
      if (s.verdict === 'layout') assert.equal(s.layout, 'denominator');
    }
    for (const at of expected.keys()) assert.ok(found.has(at), `${at} is a step`);
  });
}
