/**
 * The PyTorch and JAX targets. JAX's `jax.numpy` is NumPy's interface, so its
 * code is the NumPy target's under the name `jnp`; PyTorch differs in the
 * places overridden here (tensors of float64 throughout, `dim=`, no cbrt).
 */
import { numpy } from './numpy';
import { Prec, atom, code, type Target } from './target';

/** NumPy's module name in NumPy code (numpy.ts, functions.ts's spellings and runtime.py). */
const NP = /\bnp\./g;

export function jax(use: (helper: string) => void): Target {
  const base = numpy(use);
  return {
    ...base,
    reserved: new Set([...base.reserved, 'jnp']),
    file: (header, helpers, fn) =>
      base
        .file(header, helpers, fn)
        .replace('import numpy as np', 'import jax.numpy as jnp')
        .replace(NP, 'jnp.'),
  };
}

/** A Python number as a float64 tensor, anything else as it is (every parameter is one already). */
const tensor = (text: string): string =>
  /^-?[\d.]+(?:e[+-]?\d+)?$/.test(text) ? `torch.tensor(${text}, dtype=torch.float64)` : text;

export function torch(use: (helper: string) => void): Target {
  const base = numpy(use);
  const renamed = (text: string) => text.replace(NP, 'torch.');
  return {
    ...base,
    reserved: new Set([...base.reserved, 'torch', 'math']),
    file: (header, _helpers, fn) => `${header}\nimport math\n\nimport torch\n\n\n${fn}\n`,
    constant: (name) => `math.${name}`,
    special: (name, shape, size) => {
      if (shape.kind === 'scalar') return atom(name === 'zero' ? '0.0' : '1.0');
      if (name === 'identity')
        return atom(`torch.eye(${size(shape.kind === 'matrix' ? shape.m : 1)}, dtype=torch.float64)`);
      const f = name === 'zero' ? 'torch.zeros' : 'torch.ones';
      const dims = shape.kind === 'matrix' ? `(${size(shape.m)}, ${size(shape.n)})` : `(${size(shape.n)},)`;
      return atom(`${f}(${dims}, dtype=torch.float64)`);
    },
    unary: (name, arg, shape) => {
      // 1[p > 0] and the real cube root, which torch has no function for.
      if (name === 'step') return atom(`torch.heaviside(${arg.text}, torch.zeros_like(${arg.text}))`);
      if (name === 'cbrt')
        return code(`torch.sign(${arg.text}) * torch.abs(${arg.text}) ** (1 / 3)`, Prec.Product);
      if (name === 'sigma') return atom(`torch.sigmoid(${arg.text})`);
      const c = base.unary(name, arg, shape);
      return code(renamed(c.text), c.prec);
    },
    binary: (op, a, b, shape) => {
      if (op === 'max' || op === 'min') {
        // clamp takes a number; maximum and minimum only tensors.
        const bound = op === 'max' ? 'min' : 'max';
        if (tensor(a.text) !== a.text) return atom(`torch.clamp(${b.text}, ${bound}=${a.text})`);
        if (tensor(b.text) !== b.text) return atom(`torch.clamp(${a.text}, ${bound}=${b.text})`);
        return atom(`torch.${op === 'max' ? 'maximum' : 'minimum'}(${a.text}, ${b.text})`);
      }
      if (op === 'atan2') return atom(`torch.atan2(${tensor(a.text)}, ${tensor(b.text)})`);
      return base.binary(op, a, b, shape);
    },
    matmul: (a, as, b, bs) => {
      const c = base.matmul(a, as, b, bs);
      return code(renamed(c.text), c.prec);
    },
    call: (name, args, shapes) => {
      const a = args[0].text;
      switch (name) {
        case 'softmax':
          return atom(`torch.softmax(${a}, dim=0)`);
        case 'logsoftmax':
          return atom(`torch.log_softmax(${a}, dim=0)`);
        case 'logsumexp':
          return atom(`torch.logsumexp(${a}.flatten(), dim=0)`);
      }
      const c = base.call(name, args, shapes);
      return code(renamed(c.text), c.prec);
    },
    block: (cells, shape) => {
      const row = (r: string[]) =>
        `torch.stack([${r.map((c) => `torch.as_tensor(${c}, dtype=torch.float64)`).join(', ')}])`;
      return atom(
        shape.kind === 'matrix' ? `torch.stack([${cells.map(row).join(', ')}])` : row(cells.flat()),
      );
    },
    condition: (lhs, op, rhs, scalar) => renamed(base.condition(lhs, op, rhs, scalar)),
    function: (name, params, locals, result) => {
      // Every parameter a float64 tensor: torch's functions take no Python numbers.
      const tensors = params.map((p) => `    ${p.name} = torch.as_tensor(${p.name}, dtype=torch.float64)`);
      const body = [...tensors, ...locals.map(([n, c]) => `    ${n} = ${c}`), `    return ${result}`];
      return `def ${name}(${params.map((p) => p.name).join(', ')}):\n${body.join('\n')}`;
    },
  };
}
