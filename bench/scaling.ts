/**
 * Systems whose size grows with n, written out component by component the way
 * a person would type them (LaTeX for us, plain syntax for SymPy):
 *  - an explicit system f_i = x_i² x_{i+1} + sin(x_i) (indices cyclic) for its Jacobian;
 *  - the extended Rosenbrock function Σ 100(x_{2i−1}² − x_{2i})² + (1 − x_{2i−1})² for its Hessian.
 */

export interface ScalingSystem {
  readonly kind: 'jacobian' | 'hessian';
  readonly n: number;
  readonly latex: string;
  readonly wrt: readonly string[];
  /** SymPy: the components (Jacobian) or the function (Hessian). */
  readonly components?: readonly string[];
  readonly plain?: string;
  readonly vars: readonly string[];
}

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `x_${i + 1}`);

export function explicitSystem(n: number): ScalingSystem {
  const next = (i: number) => (i % n) + 1;
  const rows = Array.from({ length: n }, (_, k) => k + 1);
  return {
    kind: 'jacobian',
    n,
    latex: `\\begin{bmatrix} ${rows.map((i) => `x_{${i}}^2 x_{${next(i)}} + \\sin(x_{${i}})`).join(' \\\\ ')} \\end{bmatrix}`,
    wrt: names(n),
    components: rows.map((i) => `x_${i}^2*x_${next(i)} + sin(x_${i})`),
    vars: names(n),
  };
}

export function extendedRosenbrock(n: number): ScalingSystem {
  const pairs = Array.from({ length: n / 2 }, (_, k) => [2 * k + 1, 2 * k + 2]);
  return {
    kind: 'hessian',
    n,
    latex: pairs.map(([a, b]) => `100(x_{${a}}^2 - x_{${b}})^2 + (1 - x_{${a}})^2`).join(' + '),
    wrt: names(n),
    plain: pairs.map(([a, b]) => `100*(x_${a}^2 - x_${b})^2 + (1 - x_${a})^2`).join(' + '),
    vars: names(n),
  };
}

/** What the child process (bench/scaling-child.ts) reports for one system. */
export interface ScalingMeasurement {
  readonly n: number;
  readonly us?: number;
  /** Growth of the process's peak resident set over its warmed-up baseline. */
  readonly peakBytes?: number;
  readonly error?: string;
}
