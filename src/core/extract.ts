/**
 * Reading derivatives out of a differential df that is linear in dv.
 *
 * - `gradientFromDifferential`: df is a scalar; returns G with v's shape such
 *   that df = ⟨G, dv⟩. It pushes a cotangent from the root down to dv through
 *   the few linear operations a differential can contain (the transpose of
 *   each linear map: reverse mode, done symbolically).
 * - `jacobianFromDifferential`: df is a vector (or scalar) and v a vector;
 *   returns J with df = J dv (numerator layout) by composing linear maps
 *   forward.
 */
import { type Expr, children, cols, isScalar, postorder, rows, shapeText, type Shape } from './expr';
import { LensError } from './errors';
import {
  ONE,
  add,
  dimProduct,
  fn,
  hadamard,
  identity,
  kron,
  matmul,
  mul,
  ones,
  transpose,
  zero,
} from './simplify';

const differentialCache = new WeakMap<Expr, boolean>();
/** Whether `e` holds the differential, from its children's answers: linear over a shared DAG. */
export function hasDifferential(e: Expr): boolean {
  // A leaf answers at once, with no entry in the (weak, so slower) cache.
  if (e.type === 'sym') return e.role === 'differential';
  if (e.type === 'num' || e.type === 'special') return false;
  let r = differentialCache.get(e);
  if (r === undefined) {
    r = children(e).some(hasDifferential);
    differentialCache.set(e, r);
  }
  return r;
}

/** `f` memoised by node identity for one call, so a shared subexpression is read once. */
function memoised(f: (e: Expr) => Expr): (e: Expr) => Expr {
  const memo = new Map<Expr, Expr>();
  return (e) => {
    let r = memo.get(e);
    if (r === undefined) {
      r = f(e);
      memo.set(e, r);
    }
    return r;
  };
}

function unsupported(what: string): LensError {
  return new LensError(`cannot express this derivative in matrix form (${what})`);
}

/** ⟨T, G⟩ for two tensors of the same shape. */
function inner(t: Expr, g: Expr): Expr {
  if (t.shape.kind === 'matrix') return fn('tr', matmul(transpose(t), g));
  if (t.shape.kind === 'row') return matmul(t, transpose(g));
  return matmul(transpose(t), g);
}

function splitAt(factors: readonly Expr[]): { i: number; before: Expr[]; after: Expr[] } {
  const idx = factors.findIndex(hasDifferential);
  return { i: idx, before: factors.slice(0, idx), after: factors.slice(idx + 1) };
}

export function gradientFromDifferential(df: Expr, vShape: Shape): Expr {
  const parts: Expr[] = [];
  // Reverse mode over the DAG: each node's cotangents are summed before it passes them on,
  // so a subexpression shared by several parents is visited once, not once per path.
  const cotangents = new Map<Expr, Expr[]>();
  const push = (l: Expr, g: Expr): void => {
    if (!hasDifferential(l)) return;
    const gs = cotangents.get(l);
    if (gs) gs.push(g);
    else cotangents.set(l, [g]);
  };
  const pull = (l: Expr, g: Expr): void => {
    switch (l.type) {
      case 'sym':
        parts.push(g);
        return;
      case 'add':
        for (const t of l.terms) push(t, isScalar(t) && !isScalar(l) ? fn('sum', g) : g);
        return;
      case 'mul': {
        const { i, before, after } = splitAt(l.factors);
        const factor = l.factors[i];
        const others = mul(...before, ...after);
        if (!isScalar(factor) || isScalar(l)) push(factor, mul(others, g));
        else push(factor, inner(others, g));
        return;
      }
      case 'matmul': {
        const { i, before, after } = splitAt(l.factors);
        const left = before.length ? [transpose(matmul(...before))] : [];
        const right = after.length ? [transpose(matmul(...after))] : [];
        push(l.factors[i], matmul(...left, g, ...right));
        return;
      }
      case 'hadamard': {
        const { i, before, after } = splitAt(l.factors);
        push(l.factors[i], hadamard(...before, ...after, g));
        return;
      }
      case 'transpose':
        push(l.arg, transpose(g));
        return;
      case 'fn': {
        const k = l.args[0];
        if (l.name === 'sum') return push(k, mul(g, ones(k.shape)));
        if (l.name === 'tr') return push(k, mul(g, identity(rows(k.shape))));
        if (l.name === 'diag') return push(k, fn('diagvec', g));
        if (l.name === 'diagvec') return push(k, fn('diag', g));
        break;
      }
    }
    throw unsupported(`${l.type} of ${shapeText(l.shape)} in a gradient`);
  };
  push(df, ONE);
  // Parents before children (a node's cotangent is complete when it is reached), left to right.
  const order = postorder([df], (e) => children(e).slice().reverse()).reverse();
  for (const l of order) {
    const gs = cotangents.get(l);
    if (gs) pull(l, add(...gs));
  }
  return parts.length ? add(...parts) : zero(vShape);
}

export function jacobianFromDifferential(df: Expr, n: Expr['shape']): Expr {
  if (n.kind !== 'vector') throw unsupported(`Jacobian with respect to a ${shapeText(n)}`);
  const size = n.n;
  const jac = memoised((l: Expr): Expr => {
    if (!hasDifferential(l)) return zero({ kind: 'matrix', m: rows(l.shape), n: size });
    switch (l.type) {
      case 'sym':
        return identity(size);
      case 'add':
        return add(
          ...l.terms
            .filter(hasDifferential)
            .map((t) => (isScalar(t) && !isScalar(l) ? matmul(ones(l.shape), jac(t)) : jac(t))),
        );
      case 'mul': {
        const { i, before, after } = splitAt(l.factors);
        const factor = l.factors[i];
        const others = mul(...before, ...after);
        if (!isScalar(factor) || isScalar(l)) return mul(others, jac(factor));
        return matmul(others, jac(factor));
      }
      case 'matmul': {
        const { i, before, after } = splitAt(l.factors);
        const factor = l.factors[i];
        if (after.length === 0 && factor.shape.kind === 'vector') return matmul(...before, jac(factor));
        // A scalar kᵀq (k holding dv) equals qᵀk: read it the other way round.
        if (isScalar(l) && i === 0) return matmul(transpose(matmul(...after)), jac(transpose(factor)));
        const tail = matmul(factor, ...after);
        if (isScalar(tail)) return matmul(...before, jac(tail));
        // d𝐱 (𝐲ᵀ𝐳): a vector times a number after it, which moves to the front.
        const scale = matmul(...after);
        if (factor.shape.kind === 'vector' && isScalar(scale))
          return mul(scale, matmul(...before, jac(factor)));
        throw unsupported(`a matrix that depends on the variable, ${shapeText(factor.shape)}`);
      }
      case 'hadamard': {
        const { i, before, after } = splitAt(l.factors);
        return matmul(fn('diag', hadamard(...before, ...after)), jac(l.factors[i]));
      }
      case 'fn':
        if (l.name === 'sum') return matmul(transpose(ones(l.args[0].shape)), jac(l.args[0]));
        break;
      case 'transpose':
        if (isScalar(l.arg)) return jac(l.arg);
        break;
    }
    throw unsupported(`${l.type} of ${shapeText(l.shape)} in a Jacobian`);
  });
  return jac(df);
}

/**
 * For a vector or matrix function of a matrix X, or a matrix function of a
 * vector (a 3rd/4th-order tensor), the
 * matrix J with vec(df) = J vec(dX), vec stacking columns — written with
 * Kronecker products, vec(P dX Q) = (Qᵀ ⊗ P) vec(dX). Only where that form is
 * unambiguous; anything else (dXᵀ needs a commutation matrix) is refused.
 */
export function vecJacobianFromDifferential(df: Expr, x: Shape): Expr {
  if (x.kind !== 'matrix' && x.kind !== 'vector')
    throw unsupported(`vec-Jacobian with respect to a ${shapeText(x)}`);
  const width = x.kind === 'vector' ? x.n : dimProduct(x.m, x.n);
  const jac = memoised((l: Expr): Expr => {
    // A part that does not vary with X (t·[0, 0] when X does not occur) contributes a zero block.
    if (!hasDifferential(l))
      return zero({ kind: 'matrix', m: dimProduct(rows(l.shape), cols(l.shape)), n: width });
    switch (l.type) {
      case 'sym':
        // vec(𝐱) = 𝐱: a matrix function of a vector (∂vec(𝐱𝐱ᵀ)/∂𝐱 = 𝐱 ⊗ I + I ⊗ 𝐱) reads the same way.
        return x.kind === 'vector' ? identity(x.n) : kron(identity(x.n), identity(x.m));
      case 'add':
        if (l.terms.some((t) => isScalar(t) && hasDifferential(t))) break;
        return add(...l.terms.filter(hasDifferential).map(jac));
      case 'mul': {
        const { i, before, after } = splitAt(l.factors);
        if (isScalar(l.factors[i])) break;
        return mul(...before, ...after, jac(l.factors[i]));
      }
      case 'matmul': {
        const { i, before, after } = splitAt(l.factors);
        const k = l.factors[i];
        const p = before.length ? matmul(...before) : identity(rows(k.shape));
        const q = after.length ? matmul(...after) : identity(cols(k.shape));
        return matmul(kron(transpose(q), p), jac(k));
      }
      case 'hadamard': {
        const { i, before, after } = splitAt(l.factors);
        if (l.shape.kind !== 'vector') break;
        return matmul(fn('diag', hadamard(...before, ...after)), jac(l.factors[i]));
      }
      case 'transpose':
        if (l.arg.shape.kind === 'vector' || l.arg.shape.kind === 'row') return jac(l.arg);
        throw unsupported('the transpose of a matrix differential needs a commutation matrix');
    }
    throw unsupported(`${l.type} of ${shapeText(l.shape)} with respect to a matrix`);
  });
  return jac(df);
}
