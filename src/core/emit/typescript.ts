/** The TypeScript target: plain arrays (`number[]`, `number[][]` row-major) and the helpers of runtime.ts. */
import { LensError } from '../errors';
import { type Shape, rows } from '../expr';
import { TS_RUNTIME } from './runtimeSource';
import {
  Prec,
  type Code,
  atom,
  code,
  operand,
  infix,
  type Target,
  spelling,
  applyScalar,
  isCall,
} from './target';

const TS_CALL: Record<'max' | 'min' | 'atan2', string> = {
  max: 'Math.max',
  min: 'Math.min',
  atan2: 'Math.atan2',
};

function tsType(s: Shape): string {
  return s.kind === 'scalar' ? 'number' : s.kind === 'matrix' ? 'number[][]' : 'number[]';
}

export function typescript(use: (helper: string) => void): Target {
  const zip = (shape: Shape) => {
    const h = shape.kind === 'matrix' ? 'mzip' : 'vzip';
    use(h);
    return h;
  };
  return {
    comment: '//',
    file: (header, helpers, fn) => [header, ...helpers.map((h) => TS_RUNTIME[h]), fn].join('\n\n') + '\n',
    reserved: new Set([
      'in',
      'of',
      'do',
      'if',
      'for',
      'let',
      'new',
      'var',
      'case',
      'this',
      'void',
      'with',
      'enum',
      'Math',
    ]),
    number: (v) => String(v),
    constant: (name) => (name === 'pi' ? 'Math.PI' : 'Math.E'),
    size: (param, axis) => (axis === 0 ? `${param}.length` : `${param}[0].length`),
    special: (name, shape, size) => {
      if (shape.kind === 'scalar') return atom(name === 'zero' ? '0' : '1');
      if (name === 'identity') {
        use('eye');
        return atom(`eye(${size(rows(shape))})`);
      }
      const value = name === 'zero' ? 0 : 1;
      use(shape.kind === 'matrix' ? 'fill2' : 'fill');
      return atom(
        shape.kind === 'matrix'
          ? `fill2(${size(shape.m)}, ${size(shape.n)}, ${value})`
          : `fill(${size(shape.n)}, ${value})`,
      );
    },
    unary: (name, arg, shape) => {
      const s = spelling(name, 'ts');
      if (s.helper) use(s.helper);
      if (shape.kind === 'scalar') return applyScalar(s, arg);
      const h = shape.kind === 'matrix' ? 'mmap' : 'vmap';
      use(h);
      return atom(`${h}(${arg.text}, (p) => ${s.code('p')})`);
    },
    binary: (op, a, b, shape) => {
      const scalar = (p: Code, q: Code) =>
        isCall(op) ? atom(`${TS_CALL[op]}(${p.text}, ${q.text})`) : infix(op, p, q);
      if (shape.kind === 'scalar') return scalar(a, b);
      return atom(`${zip(shape)}(${a.text}, ${b.text}, (p, q) => ${scalar(atom('p'), atom('q')).text})`);
    },
    negate: (a, shape) => {
      if (shape.kind === 'scalar') return code(`-${operand(a)}`, Prec.Negative);
      const h = shape.kind === 'matrix' ? 'mmap' : 'vmap';
      use(h);
      return atom(`${h}(${a.text}, (p) => -p)`);
    },
    matmul: (a, as, b, bs) => {
      const h =
        as.kind === 'row' && bs.kind === 'vector'
          ? 'dot'
          : as.kind === 'vector' && bs.kind === 'row'
            ? 'outer'
            : as.kind === 'matrix' && bs.kind === 'vector'
              ? 'matvec'
              : as.kind === 'row' && bs.kind === 'matrix'
                ? 'vecmat'
                : 'matmul';
      use(h);
      return atom(`${h}(${a.text}, ${b.text})`);
    },
    transpose: (a, shape) => {
      if (shape.kind !== 'matrix') return a;
      use('transpose');
      return atom(`transpose(${a.text})`);
    },
    call: (name, args, shapes) => {
      const a = args[0].text;
      const sumOf = (s: Shape) => (s.kind === 'matrix' ? 'msum' : 'vsum');
      // Kronecker factors may be vectors: lift them to one-row or one-column matrices.
      const asMatrix = (text: string, s: Shape) =>
        s.kind === 'row' ? `[${text}]` : s.kind === 'vector' ? `${text}.map((p) => [p])` : text;
      switch (name) {
        case 'kron':
          use('kron');
          return atom(`kron(${asMatrix(a, shapes[0])}, ${asMatrix(args[1].text, shapes[1])})`);
        case 'sum':
          use(sumOf(shapes[0]));
          return atom(`${sumOf(shapes[0])}(${a})`);
        case 'softmax':
        case 'logsumexp':
        case 'diag':
        case 'diagvec':
          use(name);
          return atom(`${name}(${a})`);
        case 'logsoftmax':
          use('logsumexp');
          use('vzip');
          return atom(`vzip(${a}, logsumexp(${a}), (p, q) => p - q)`);
        case 'norm2':
        case 'normF':
          use(name === 'norm2' ? 'vsum' : 'msum');
          use(name === 'norm2' ? 'vmap' : 'mmap');
          return atom(`Math.sqrt(${name === 'norm2' ? 'vsum(vmap' : 'msum(mmap'}(${a}, (p) => p * p)))`);
        case 'norm1':
          use('vsum');
          use('vmap');
          return atom(`vsum(vmap(${a}, Math.abs))`);
        case 'tr':
          use('trace');
          return atom(`trace(${a})`);
        case 'det':
        case 'logdet':
        case 'inverse':
          use('inverseAndDet');
          return atom(
            name === 'inverse'
              ? `inverseAndDet(${a}).inv`
              : name === 'det'
                ? `inverseAndDet(${a}).det`
                : `Math.log(inverseAndDet(${a}).det)`,
          );
      }
      throw new LensError(`cannot export ${name} as code`);
    },
    block: (cells, shape) =>
      atom(
        shape.kind === 'matrix'
          ? `[${cells.map((r) => `[${r.join(', ')}]`).join(', ')}]`
          : `[${cells.flat().join(', ')}]`,
      ),
    condition: (lhs, op, rhs, scalar) => {
      const js = op === '!=' ? '!==' : op;
      if (scalar) return `${operand(lhs, Prec.Sum)} ${js} ${operand(rhs, Prec.Sum)}`;
      // As the core evaluates a condition on tensors: the sum of lhs − rhs against 0.
      use('vzip');
      use('vsum');
      return `vsum(vzip(${lhs.text}, ${rhs.text}, (p, q) => p - q)) ${js} 0`;
    },
    choose: (cases) =>
      code(
        cases
          .map((c, i) =>
            i === cases.length - 1 ? c.value.text : `${c.when} ? ${operand(c.value, Prec.Compare)} : `,
          )
          .join(''),
        Prec.Choice,
      ),
    function: (name, params, locals, result, returns) => {
      const signature = `function ${name}(${params.map((p) => `${p.name}: ${tsType(p.shape)}`).join(', ')}): ${
        returns.length === 1 ? tsType(returns[0]) : `[${returns.map(tsType).join(', ')}]`
      }`;
      const body = [...locals.map(([n, c]) => `  const ${n} = ${c};`), `  return ${result};`];
      return `export ${signature} {\n${body.join('\n')}\n}`;
    },
  };
}
