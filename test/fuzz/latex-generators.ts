/**
 * Generators of LaTeX as the notes write it, shared by the fuzz properties:
 * names, numbers, formulas of each kind (derivative notation included) and
 * smooth scalar functions of x and y.
 */
import fc from 'fast-check';

export const scalarName = fc.constantFrom(
  'x',
  'y',
  'z',
  't',
  'a',
  'b',
  '\\theta',
  '\\alpha',
  'x_1',
  'x_{2}',
  'w_{ij}',
);
export const vectorName = fc.constantFrom(
  '\\mathbf{x}',
  '\\mathbf{w}',
  '\\mathbf{b}',
  '\\boldsymbol{\\mu}',
  '\\vec{v}',
);
export const matrixName = fc.constantFrom('A', 'W', 'X', '\\Sigma', 'B');
export const number = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map(String),
  fc.constantFrom('0.5', '\\pi', 'e', '\\frac{1}{2}', '1e400', '10^{999}', '0', '2.5'),
);
export const prototypeName = fc.constantFrom(
  '\\mathrm{constructor}',
  '\\operatorname{toString}',
  '\\text{valueOf}',
  '\\mathbf{__proto__}',
  '\\hasOwnProperty',
  'x_{constructor}',
);

/** Realistic formulas: scalars, vectors and matrices combined as the notes combine them. */
export const formulas = fc.letrec<{ formula: string; scalar: string; vector: string; matrix: string }>(
  (tie) => ({
    scalar: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalarName,
      number,
      fc
        .tuple(tie('scalar'), fc.constantFrom('+', '-', '', '\\cdot ', '*'), tie('scalar'))
        .map(([a, o, b]) => `${a} ${o} ${b}`),
      fc.tuple(tie('scalar'), tie('scalar')).map(([a, b]) => `\\frac{${a}}{${b}}`),
      fc
        .tuple(tie('scalar'), fc.constantFrom('2', '3', '-1', '{1/2}', 'x', '{n}'))
        .map(([a, p]) => `(${a})^${p}`),
      fc
        .tuple(
          fc.constantFrom(
            '\\sin',
            '\\cos',
            '\\exp',
            '\\ln',
            '\\log',
            '\\tanh',
            '\\sigma',
            '\\sqrt',
            '\\arctan',
          ),
          tie('scalar'),
        )
        .map(([f, a]) => (f === '\\sqrt' ? `\\sqrt{${a}}` : `${f}\\left(${a}\\right)`)),
      tie('vector').map((v) => `\\|${v}\\|^2`),
      fc.tuple(tie('vector'), tie('vector')).map(([u, v]) => `${u}^\\top ${v}`),
      fc.tuple(tie('vector'), tie('matrix'), tie('vector')).map(([u, m, v]) => `${u}^\\top ${m} ${v}`),
      fc
        .tuple(fc.constantFrom('\\operatorname{tr}', '\\det', '\\log\\det'), tie('matrix'))
        .map(([f, m]) => `${f}(${m})`),
      tie('vector').map((v) => `\\operatorname{logsumexp}(${v})`),
      tie('vector').map((v) => `\\sum_i ${v}_i`),
      // derivative notation, evaluated: d/dx of a scalar, a directional derivative ∇f·v
      fc
        .tuple(
          fc.constantFrom('\\frac{\\partial}{\\partial x}', '\\frac{d}{dx}', '\\partial_x'),
          tie('scalar'),
        )
        .map(([d, a]) => `${d}\\left(${a}\\right)`),
      fc.tuple(tie('scalar'), tie('vector')).map(([a, v]) => `(\\nabla_{\\mathbf{x}} (${a}))^\\top ${v}`),
    ),
    vector: fc.oneof(
      { depthSize: 'small' },
      vectorName,
      fc.tuple(tie('matrix'), tie('vector')).map(([m, v]) => `${m}${v}`),
      fc
        .tuple(tie('vector'), fc.constantFrom('+', '-', '\\odot'), tie('vector'))
        .map(([a, o, b]) => `${a} ${o} ${b}`),
      fc.tuple(tie('scalar'), tie('vector')).map(([s, v]) => `${s} ${v}`),
      fc
        .tuple(
          fc.constantFrom('\\sigma', '\\tanh', '\\exp', '\\operatorname{softmax}', '\\operatorname{ReLU}'),
          tie('vector'),
        )
        .map(([f, v]) => `${f}(${v})`),
      tie('scalar').map((a) => `\\nabla_{\\mathbf{x}} (${a})`),
      fc
        .array(tie('scalar'), { minLength: 1, maxLength: 3 })
        .map((xs) => `\\begin{bmatrix} ${xs.join(' \\\\ ')} \\end{bmatrix}`),
    ),
    matrix: fc.oneof(
      { depthSize: 'small' },
      matrixName,
      fc
        .tuple(tie('matrix'), fc.constantFrom('+', '-', '', '\\odot'), tie('matrix'))
        .map(([a, o, b]) => `${a} ${o} ${b}`),
      fc.tuple(tie('matrix'), fc.constantFrom('^\\top', '^{-1}', '^2')).map(([m, p]) => `(${m})${p}`),
      fc.tuple(tie('vector'), tie('vector')).map(([u, v]) => `${u}${v}^\\top`),
      fc.tuple(tie('scalar'), tie('matrix')).map(([s, m]) => `${s}I + ${m}`),
      tie('scalar').map((a) => `\\nabla^2_{\\mathbf{x}} (${a})`),
      tie('vector').map((v) => `\\frac{\\partial ${v}}{\\partial \\mathbf{x}}`),
    ),
    formula: fc.oneof(
      tie('scalar'),
      tie('vector'),
      tie('matrix'),
      fc
        .tuple(fc.constantFrom('f(x)', 'f(x, y)', 'L(\\mathbf{w})', 'f(W)'), tie('scalar'))
        .map(([h, b]) => `${h} = ${b}`),
    ),
  }),
);

/** Smooth functions of x and y, bounded so that no value overflows for |x|, |y| ≤ 2. */
export const smooth = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    fc.constantFrom('x', 'y'),
    fc.integer({ min: 1, max: 5 }).map(String),
    fc
      .tuple(tie('f'), fc.constantFrom('+', '-', '\\cdot'), tie('f'))
      .map(([a, o, b]) => `(${a}) ${o} (${b})`),
    fc.tuple(tie('f'), tie('f')).map(([a, b]) => `\\frac{${a}}{1 + (${b})^2}`),
    fc
      .tuple(fc.constantFrom('\\sin', '\\cos', '\\tanh', '\\sigma', '\\arctan'), tie('f'))
      .map(([f, a]) => `${f}\\left(${a}\\right)`),
    tie('f').map((a) => `\\sqrt{1 + (${a})^2}`),
    tie('f').map((a) => `\\ln\\left(2 + \\sin(${a})\\right)`),
    tie('f').map((a) => `e^{\\cos(${a})}`),
  ),
}));
