/** The NumPy target: arrays as NumPy arrays, with the helpers of runtime.py. */
import { LensError } from '../errors';
import { type Shape, rows } from '../expr';
import { NUMPY_RUNTIME } from './runtimeSource';
import { Prec, atom, code, operand, infix, type Target, spelling, applyScalar, isCall } from './target';

export function numpy(use: (helper: string) => void): Target {
  return {
    comment: '#',
    file: (header, helpers, fn) =>
      [`${header}\nimport numpy as np`, ...helpers.map((h) => NUMPY_RUNTIME[h]), fn].join('\n\n') + '\n',
    reserved: new Set([
      'in',
      'is',
      'if',
      'or',
      'and',
      'not',
      'def',
      'for',
      'del',
      'try',
      'with',
      'pass',
      'else',
      'from',
      'None',
      'True',
      'False',
      'lambda',
      'global',
      'import',
      'return',
      'yield',
      'np',
    ]),
    number: (v) => String(v),
    constant: (name) => (name === 'pi' ? 'np.pi' : 'np.e'),
    size: (param, axis) => `${param}.shape[${axis}]`,
    special: (name, shape, size) => {
      if (shape.kind === 'scalar') return atom(name === 'zero' ? '0.0' : '1.0');
      if (name === 'identity') return atom(`np.eye(${size(rows(shape))})`);
      const f = name === 'zero' ? 'np.zeros' : 'np.ones';
      return atom(
        shape.kind === 'matrix' ? `${f}((${size(shape.m)}, ${size(shape.n)}))` : `${f}(${size(shape.n)})`,
      );
    },
    unary: (name, arg) => applyScalar(spelling(name, 'numpy'), arg),
    binary: (op, a, b) => {
      if (isCall(op))
        return atom(
          `np.${op === 'atan2' ? 'arctan2' : op === 'max' ? 'maximum' : 'minimum'}(${a.text}, ${b.text})`,
        );
      return infix(op, a, b);
    },
    negate: (a) => code(`-${operand(a)}`, Prec.Negative),
    matmul: (a, as, b, bs) =>
      as.kind === 'vector' && bs.kind === 'row'
        ? atom(`np.outer(${a.text}, ${b.text})`)
        : code(`${operand(a, Prec.Product)} @ ${operand(b, Prec.Negative)}`, Prec.Product),
    transpose: (a, shape) => (shape.kind === 'matrix' ? atom(`${operand(a)}.T`) : a),
    call: (name, args, shapes) => {
      const a = args[0].text;
      const asMatrix = (text: string, s: Shape) =>
        s.kind === 'row' ? `${text}.reshape(1, -1)` : s.kind === 'vector' ? `${text}.reshape(-1, 1)` : text;
      switch (name) {
        case 'kron':
          return atom(`np.kron(${asMatrix(a, shapes[0])}, ${asMatrix(args[1].text, shapes[1])})`);
        case 'sum':
          return atom(`np.sum(${a})`);
        case 'softmax':
        case 'logsumexp':
          use(name);
          return atom(`_${name}(${a})`);
        case 'logsoftmax':
          use('logsumexp');
          return infix('-', args[0], atom(`_logsumexp(${a})`));
        case 'norm2':
        case 'normF':
          return atom(`np.linalg.norm(${a})`);
        case 'norm1':
          return atom(`np.sum(np.abs(${a}))`);
        case 'tr':
          return atom(`np.trace(${a})`);
        case 'det':
          return atom(`np.linalg.det(${a})`);
        case 'logdet':
          return atom(`np.log(np.linalg.det(${a}))`);
        case 'inverse':
          return atom(`np.linalg.inv(${a})`);
        case 'diag':
        case 'diagvec':
          return atom(`np.diag(${a})`);
      }
      throw new LensError(`cannot export ${name} as code`);
    },
    block: (cells, shape) =>
      atom(
        shape.kind === 'matrix'
          ? `np.array([${cells.map((r) => `[${r.join(', ')}]`).join(', ')}])`
          : `np.array([${cells.flat().join(', ')}])`,
      ),
    condition: (lhs, op, rhs, scalar) =>
      scalar
        ? `${operand(lhs, Prec.Sum)} ${op} ${operand(rhs, Prec.Sum)}`
        : `np.sum(${infix('-', lhs, rhs).text}) ${op} 0`,
    choose: (cases) =>
      code(
        cases
          .map((c, i) =>
            i === cases.length - 1 ? c.value.text : `${operand(c.value, Prec.Compare)} if ${c.when} else `,
          )
          .join(''),
        Prec.Choice,
      ),
    function: (name, params, locals, result) => {
      const arrays = params
        .filter((p) => p.shape.kind !== 'scalar')
        .map((p) => `    ${p.name} = np.asarray(${p.name}, dtype=float)`);
      const body = [...arrays, ...locals.map(([n, c]) => `    ${n} = ${c}`), `    return ${result}`];
      return `def ${name}(${params.map((p) => p.name).join(', ')}):\n${body.join('\n')}`;
    },
  };
}
