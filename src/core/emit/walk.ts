/**
 * Code export: the derivative as a TypeScript function over plain arrays
 * (`number[]` for vectors, `number[][]` for matrices, row-major) or as a
 * NumPy function. Shapes are known statically, so each operation is emitted
 * as the right primitive (dot, outer, matrix–vector, element-wise zip) and
 * only the helpers the result needs are included. Subexpressions that occur
 * more than once (softmax(x) in diag(s) − ssᵀ) are computed once.
 */
import type { EmitLanguage, Operation } from '../api';
import type { Derivation } from '../derivation';
import { LensError } from '../errors';
import {
  type Dim,
  type Expr,
  type Shape,
  SCALAR,
  children,
  cols,
  key,
  resolveDim,
  rows,
  shapeOf,
} from '../expr';
import { toText } from '../print';
import { isElementwise, isNum, neg, numValue } from '../simplify';
import { numpy } from './numpy';
import { Prec, type Code, atom, code, type Target } from './target';
import { jax, torch } from './torch';
import { typescript } from './typescript';

const TARGETS: Record<EmitLanguage, (use: (helper: string) => void) => Target> = {
  ts: typescript,
  numpy,
  torch,
  jax,
};

const FUNCTION_NAME: Record<Operation, string> = {
  gradient: 'grad_f',
  jacobian: 'jacobian_f',
  hessian: 'hessian_f',
  derivative: 'derivative_f',
  evaluate: 'value_f',
};

function isLeafLike(e: Expr): boolean {
  return (
    e.type === 'num' ||
    e.type === 'sym' ||
    e.type === 'special' ||
    (e.type === 'transpose' && isLeafLike(e.arg))
  );
}

/** The derivative of `d` as a function: `function grad_f(x: number[], A: number[][]): number[]` or `def grad_f(x, A)`. */
export function emit(d: Derivation, language: EmitLanguage): string {
  if (d.parts.some((p) => p.columns))
    throw new LensError(
      'cannot export the column-by-column Jacobians of softmax; export a scalar of them (a loss) instead',
    );
  const helpers = new Set<string>();
  const target = TARGETS[language]((h) => helpers.add(h));
  const variables = d.program.variables.filter((v) => v.role === 'var');
  // Names as written (x_{t+1}, x_{a,b}, theta) become distinct identifiers valid in both languages.
  const identifiers = new Map<string, string>();
  const usedNames = new Set<string>();
  for (const v of variables) {
    let id = v.name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=\d|$)/, '_');
    while (target.reserved.has(id) || usedNames.has(id)) id = `${id}_`;
    usedNames.add(id);
    identifiers.set(v.name, id);
  }
  const safe = (name: string) => identifiers.get(name) ?? name;
  const params = variables.map((v) => ({ name: safe(v.name), shape: v.shape }));

  // Symbolic sizes are read from the arguments that carry them.
  const sizes = new Map<string, string>();
  for (const p of params) {
    const s = p.shape;
    const note = (dim: Dim, axis: 0 | 1) => {
      const r = resolveDim(dim);
      if (typeof r === 'string' && !sizes.has(r)) sizes.set(r, target.size(p.name, axis));
    };
    if (s.kind === 'vector' || s.kind === 'row') note(s.n, 0);
    if (s.kind === 'matrix') {
      note(s.m, 0);
      note(s.n, 1);
    }
  }
  const size = (dim: Dim): string => {
    const r = resolveDim(dim);
    if (typeof r === 'number') return String(r);
    const s = typeof r === 'string' ? sizes.get(r) : undefined;
    if (s === undefined)
      throw new LensError(
        `cannot export: the size ${typeof r === 'string' ? r : '?'} is not carried by any argument`,
      );
    return s;
  };

  // Subexpressions used more than once become locals.
  const counts = new Map<string, number>();
  const count = (e: Expr) => {
    const k = key(e);
    const n = (counts.get(k) ?? 0) + 1;
    counts.set(k, n);
    if (n === 1) children(e).forEach(count);
  };
  d.parts.forEach((p) => count(p.expr));
  const locals: [string, string][] = [];
  const localOf = new Map<string, string>();
  const freshLocal = () => {
    let name = `t${locals.length + 1}`;
    while (usedNames.has(name)) name = `${name}_`;
    usedNames.add(name);
    return name;
  };

  const gen = (e: Expr): Code => {
    const k = key(e);
    const known = localOf.get(k);
    if (known) return atom(known);
    const code = node(e);
    if ((counts.get(k) ?? 0) > 1 && !isLeafLike(e)) {
      const name = freshLocal();
      locals.push([name, code.text]);
      localOf.set(k, name);
      return atom(name);
    }
    return code;
  };

  /** a + b − c …: negative terms are subtracted rather than multiplied by −1. */
  const sum = (terms: readonly Expr[], shape: Shape): Code =>
    terms
      .map((t, i) => {
        const negative = i > 0 && isNegative(t);
        return {
          code: gen(negative ? neg(t) : t),
          shape: t.shape,
          op: negative ? ('-' as const) : ('+' as const),
        };
      })
      .reduce((acc, t) => ({
        code: target.binary(
          t.op,
          acc.code,
          t.code,
          acc.shape.kind === 'scalar' && t.shape.kind === 'scalar' ? SCALAR : shape,
        ),
        shape: acc.shape.kind === 'scalar' ? t.shape : acc.shape,
        op: t.op,
      })).code;

  const product = (factors: readonly Expr[], shape: Shape): Code => {
    if (isNum(factors[0], -1)) return target.negate(product(factors.slice(1), shape), shape);
    return factors
      .map((f) => ({ code: gen(f), shape: f.shape }))
      .reduce((acc, f) => ({
        code: target.binary(
          '*',
          acc.code,
          f.code,
          acc.shape.kind === 'scalar' && f.shape.kind === 'scalar' ? SCALAR : shape,
        ),
        shape: acc.shape.kind === 'scalar' ? f.shape : acc.shape,
      })).code;
  };

  /** x^(p/q) with q odd, real for negative x as in evaluation: the real q-th root (cbrt, or sign·|x|^(1/q)) to the p. */
  const oddRoot = (e: Extract<Expr, { type: 'pow' }>): Code | undefined => {
    if (e.exp.type !== 'num' || e.exp.q % 2 === 0 || e.exp.q === 1) return undefined;
    const base = gen(e.base);
    const root =
      e.exp.q === 3
        ? target.unary('cbrt', base, e.shape)
        : target.binary(
            '*',
            target.unary('sign', base, e.shape),
            target.binary(
              '**',
              target.unary('abs', base, e.shape),
              code(`1 / ${e.exp.q}`, Prec.Product),
              e.shape,
            ),
            e.shape,
          );
    const p = e.exp.p;
    return p === 1
      ? root
      : target.binary('**', root, code(target.number(p), p < 0 ? Prec.Negative : Prec.Atom), e.shape);
  };

  const node = (e: Expr): Code => {
    switch (e.type) {
      case 'num': {
        const prec = e.p < 0 ? Prec.Negative : Prec.Atom;
        if (e.q === 0 || e.q === 1) return code(target.number(numValue(e)), prec);
        return code(`${e.p} / ${e.q}`, Prec.Product);
      }
      case 'sym':
        if (e.unit !== undefined)
          throw new LensError(
            `cannot export: a derivative by one entry (index ${e.unit}) has no code form here; differentiate by the whole variable`,
          );
        if (e.role === 'const') {
          if (e.name === 'pi' || e.name === 'e') return atom(target.constant(e.name));
          const s = sizes.get(e.name);
          if (s) return atom(s);
        }
        return atom(safe(e.name));
      case 'special':
        return target.special(e.name, e.shape, size);
      case 'apply':
        throw new LensError(`cannot export: ${e.name} is an abstract function (it has no definition)`);
      case 'add':
        return sum(e.terms, e.shape);
      case 'mul':
      case 'hadamard':
        return e.factors.length === 1 ? gen(e.factors[0]) : product(e.factors, e.shape);
      case 'pow':
        return oddRoot(e) ?? target.binary('**', gen(e.base), gen(e.exp), e.shape);
      case 'matmul':
        return e.factors
          .map((f) => ({ code: gen(f), shape: f.shape }))
          .reduce((a, b) => ({
            code: target.matmul(a.code, a.shape, b.code, b.shape),
            shape: shapeOf(rows(a.shape), cols(b.shape)),
          })).code;
      case 'transpose':
        return target.transpose(gen(e.arg), e.shape);
      case 'inverse':
        return target.call('inverse', [gen(e.arg)], [e.arg.shape]);
      case 'kron':
        return target.call(
          'kron',
          e.factors.map(gen),
          e.factors.map((f) => f.shape),
        );
      case 'block':
        return target.block(
          e.rows.map((r) => r.map((c) => gen(c).text)),
          e.shape,
        );
      case 'piecewise':
        return target.choose(
          e.cases.map((c) => ({
            when: target.condition(
              gen(c.when.lhs),
              c.when.op,
              gen(c.when.rhs),
              c.when.lhs.shape.kind === 'scalar' && c.when.rhs.shape.kind === 'scalar',
            ),
            value: gen(c.value),
          })),
        );
      case 'fn': {
        if (isElementwise(e.name)) return target.unary(e.name, gen(e.args[0]), e.shape);
        if (e.name === 'max' || e.name === 'min' || e.name === 'atan2') {
          return target.binary(e.name, gen(e.args[0]), gen(e.args[1]), e.shape);
        }
        return target.call(
          e.name,
          e.args.map(gen),
          e.args.map((a) => a.shape),
        );
      }
    }
  };

  const results = d.parts.map((p) => gen(p.expr).text);
  const name = FUNCTION_NAME[d.op];
  const returns = d.parts.map((p) => p.expr.shape);
  const fn = target.function(
    name,
    params,
    locals,
    results.length === 1
      ? results[0]
      : language === 'ts'
        ? `[${results.join(', ')}]`
        : `(${results.join(', ')})`,
    returns,
  );
  const what =
    d.parts.length > 1
      ? ` (${d.parts.map((p) => [...p.wrt, ...(p.by ? [p.by] : [])].map((v) => v.name).join(', ')).join('; ')})`
      : '';
  const header = `${target.comment} ${d.op} of f = ${toText(d.program.body)}${what}, exported by Jacobian Lens`;
  return target.file(header, [...helpers].sort(), fn);
}

function isNegative(e: Expr): boolean {
  if (e.type === 'num') return numValue(e) < 0;
  return e.type === 'mul' && isNum(e.factors[0]) && numValue(e.factors[0]) < 0;
}
