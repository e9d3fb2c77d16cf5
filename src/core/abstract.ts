/**
 * Random smooth stand-ins for abstract functions (`f(x)`, `\mathbf{f}(\mathbf{x})`), so that an
 * expression holding them can be evaluated: a general rule such as h′(x) = f′(g(x))·g′(x) is
 * checked by evaluating both sides with the same random f and g. Each function is drawn from a
 * seed and its name, and its derivatives are exact (closed form), never finite differences:
 *   a scalar f of the entries u of its arguments is a sum of ridge functions,
 *     f(u) = a₀ sin(w₀·u + c₀) + a₁ sin(w₁·u + c₁) + a₂ (w₂·u + c₂)²,
 *     so ∂ᵢ∂ⱼ… f = Σ_r w_{r,i} w_{r,j} … φ_r^{(k)}(w_r·u + c_r), of any order;
 *   a vector 𝐟 with m components is 𝐟(u) = tanh(M u + 𝐜), with Jacobian diag(1 − 𝐟²) M.
 * This module knows nothing of expressions: eval.ts hands it the arguments as arrays.
 */
import { LensError } from './errors';
import { random } from './random';

/** An argument's entries (row-major), its size, and whether the expression makes it a scalar. */
export interface Argument {
  readonly data: Float64Array;
  readonly m: number;
  readonly n: number;
  readonly scalar: boolean;
}

/** A result: one number, or the entries of an m×n matrix (row-major; a vector is m×1). */
export interface FunctionValue {
  readonly data: Float64Array;
  readonly m: number;
  readonly n: number;
}

export interface AbstractFunctions {
  /**
   * The function `name` (a vector of `outputs` components when `vector`, else a scalar) at `args`,
   * differentiated by the arguments listed in `partials` (at most one of them a vector or matrix,
   * and none for a vector function's second derivatives).
   */
  value(
    name: string,
    vector: boolean,
    outputs: number,
    args: readonly Argument[],
    partials: readonly number[],
  ): FunctionValue;
}

const RIDGES = 3;

/** φ_r^{(k)}(s): the ridge profiles, two sines and a square. */
function profile(r: number, k: number, s: number): number {
  if (r < 2) return Math.sin(s + (k * Math.PI) / 2);
  return k === 0 ? s * s : k === 1 ? 2 * s : k === 2 ? 2 : 0;
}

interface ScalarParameters {
  readonly a: Float64Array;
  readonly c: Float64Array;
  /** RIDGES rows of input-length weights. */
  readonly w: Float64Array[];
}

interface VectorParameters {
  /** outputs × input length, row-major. */
  readonly M: Float64Array;
  readonly c: Float64Array;
}

/** A seed from the check's seed and what identifies the function (FNV-1a). */
function seedOf(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

/** Random smooth functions drawn from `seed`: the same seed, name and sizes give the same function. */
export function randomFunctions(seed: number): AbstractFunctions {
  const scalars = new Map<string, ScalarParameters>();
  const vectors = new Map<string, VectorParameters>();

  const scalarParameters = (name: string, inputs: number): ScalarParameters => {
    const id = `${name}|${inputs}`;
    let p = scalars.get(id);
    if (!p) {
      const draw = random(seedOf(seed, 'scalar', id));
      const uniform = (lo: number, hi: number) => lo + (hi - lo) * draw();
      // Amplitudes kept away from 0 and weights of both signs: no identity that fails in general holds by accident.
      p = {
        a: Float64Array.from({ length: RIDGES }, () => uniform(0.5, 1.5) * (draw() < 0.5 ? -1 : 1)),
        c: Float64Array.from({ length: RIDGES }, () => uniform(-1, 1)),
        w: Array.from({ length: RIDGES }, () => Float64Array.from({ length: inputs }, () => uniform(-1, 1))),
      };
      scalars.set(id, p);
    }
    return p;
  };

  const vectorParameters = (name: string, outputs: number, inputs: number): VectorParameters => {
    const id = `${name}|${outputs}|${inputs}`;
    let p = vectors.get(id);
    if (!p) {
      const draw = random(seedOf(seed, 'vector', id));
      p = {
        M: Float64Array.from({ length: outputs * inputs }, () => 2 * draw() - 1),
        c: Float64Array.from({ length: outputs }, () => 2 * draw() - 1),
      };
      vectors.set(id, p);
    }
    return p;
  };

  return {
    value(name, vector, outputs, args, partials) {
      const offsets: number[] = [];
      let inputs = 0;
      for (const a of args) {
        offsets.push(inputs);
        inputs += a.data.length;
      }
      const u = new Float64Array(inputs);
      args.forEach((a, i) => u.set(a.data, offsets[i]));
      const tensor = partials.filter((i) => !args[i].scalar);
      if (tensor.length > 1 || (vector && partials.length > 1))
        throw new LensError(
          `derivatives of ${name} beyond the first with respect to a vector are not supported`,
        );

      if (vector) {
        const { M, c } = vectorParameters(name, outputs, inputs);
        const f = Float64Array.from({ length: outputs }, (_, k) => {
          let s = c[k];
          for (let j = 0; j < inputs; j++) s += M[k * inputs + j] * u[j];
          return Math.tanh(s);
        });
        if (partials.length === 0) return { data: f, m: outputs, n: 1 };
        // ∂𝐟/∂(argument i) = diag(1 − 𝐟²) M[:, columns of i]
        const i = partials[0];
        const width = args[i].data.length;
        const data = new Float64Array(outputs * width);
        for (let k = 0; k < outputs; k++)
          for (let j = 0; j < width; j++)
            data[k * width + j] = (1 - f[k] * f[k]) * M[k * inputs + offsets[i] + j];
        return { data, m: outputs, n: width };
      }

      const { a, c, w } = scalarParameters(name, inputs);
      const scalarPartials = partials.filter((i) => !tensor.includes(i));
      const t = tensor[0];
      const width = t === undefined ? 1 : args[t].data.length;
      const data = new Float64Array(width);
      for (let r = 0; r < RIDGES; r++) {
        let s = c[r];
        for (let j = 0; j < inputs; j++) s += w[r][j] * u[j];
        let coefficient = a[r] * profile(r, partials.length, s);
        for (const i of scalarPartials) coefficient *= w[r][offsets[i]];
        for (let j = 0; j < width; j++) data[j] += coefficient * (t === undefined ? 1 : w[r][offsets[t] + j]);
      }
      return t === undefined ? { data, m: 1, n: 1 } : { data, m: args[t].m, n: args[t].n };
    },
  };
}
