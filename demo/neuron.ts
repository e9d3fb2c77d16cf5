// Hover a function to see its gradient; select one and run "Jacobian Lens: Show Jacobian".

/** A damped wave. */
export const wave = (x: number, y: number) => Math.exp(-x * x) * Math.cos(y);

/** The logistic sigmoid. */
export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** A two-input ReLU neuron. */
export function neuron(w1: number, w2: number, x1: number, x2: number, b: number): number {
  return Math.max(0, w1 * x1 + w2 * x2 + b);
}

/** Polar to Cartesian coordinates: a vector function with a 2×2 Jacobian. */
export const polar = (r: number, theta: number) => [r * Math.cos(theta), r * Math.sin(theta)];
