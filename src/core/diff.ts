/**
 * Forward differentials: `differential(f)` returns df, an expression linear in
 * the differential `dv` of the chosen variable (for a scalar variable dv is
 * simply 1, so df *is* ∂f/∂v). One rule per operation, each with its formula.
 * Reading a gradient or a Jacobian out of df is `extract.ts`'s job; this split
 * is what lets one set of rules serve scalars, vectors and matrices alike.
 * The element-wise functions' derivatives live in their records (functions.ts).
 */
import {
  type Apply,
  type Condition,
  type Expr,
  type FnName,
  type Sym,
  FEW_NODES,
  isScalar,
  key,
} from './expr';
import {
  ONE,
  MINUS_ONE,
  add,
  apply,
  applyValueShape,
  div,
  fn,
  hadamard,
  inverse,
  isZero,
  matmul,
  mul,
  neg,
  num,
  ones,
  piecewise,
  pow,
  sub,
  transpose,
  zero,
  block,
  kron,
  ZERO,
} from './simplify';
import { type Builders, elementwise } from './functions';
import { comparison } from './piecewise';

function hadamardOrMul(a: Expr, b: Expr): Expr {
  return isScalar(a) && isScalar(b) ? mul(a, b) : hadamard(a, b);
}

/** What the element-wise rules of functions.ts build their derivatives with. */
const BUILDERS: Builders = { ONE, MINUS_ONE, num, fn, add, sub, neg, mul, pow, zero, times: hadamardOrMul };

export interface DifferentialContext {
  /** Points where the result does not hold (kinks), collected while differentiating. */
  readonly conditions: Condition[];
}

/** A condition's identity: 𝐮 ≠ 𝟎 as a whole (‖𝐮‖₂) and entry by entry (‖𝐮‖₁) are two. */
function conditionKey(c: Condition): string {
  return `${key(c.lhs)}${c.op}${key(c.rhs)}${c.whole ? ' whole' : ''}`;
}

function addCondition(ctx: DifferentialContext, c: Condition): void {
  const k = conditionKey(c);
  if (!ctx.conditions.some((x) => conditionKey(x) === k)) ctx.conditions.push(c);
}

/**
 * df with respect to `v`; `dv` is 1 for a scalar variable or the differential
 * symbol `dv` (same shape as v) for a vector or matrix variable.
 */
export function differential(f: Expr, v: Sym, dv: Expr, ctx: DifferentialContext): Expr {
  // Each node's differential, made once (a shared subexpression is differentiated once): in two
  // arrays scanned while few, the common case, where a Map's hashing is most of the cost.
  const done: Expr[] = [];
  const made: Expr[] = [];
  let memo: Map<Expr, Expr> | undefined;
  const kink = (lhs: Expr, op: Condition['op'], rhs: Expr, whole = false) =>
    addCondition(ctx, whole ? { op, lhs, rhs, whole } : { op, lhs, rhs });

  const remember = (e: Expr, r: Expr): void => {
    if (memo) memo.set(e, r);
    else {
      done.push(e);
      made.push(r);
      if (done.length > FEW_NODES) memo = new Map(done.map((x, j) => [x, made[j]]));
    }
  };

  const d = (e: Expr): Expr => {
    if (memo) {
      const known = memo.get(e);
      if (known !== undefined) return known;
    } else {
      const i = done.indexOf(e);
      if (i >= 0) return made[i];
    }
    const r = rule(e);
    // Remembered where the memo is now: it may have become a Map while differentiating e's parts.
    remember(e, r);
    return r;
  };

  const rule = (e: Expr): Expr => {
    switch (e.type) {
      case 'num':
      case 'special':
        return zero(e.shape);
      case 'sym':
        return e.role === 'var' && e.name === v.name ? dv : zero(e.shape);
      case 'add': // d(a + b) = da + db; a scalar term of a vector/matrix sum is added to every entry
        return add(...e.terms.map((t) => broadcast(d(t), e)));
      case 'mul': // d(ab) = da·b + a·db
        return productRule(e, e.factors, d, mul);
      case 'matmul': // d(AB) = dA·B + A·dB
        return productRule(e, e.factors, d, matmul);
      case 'hadamard': // d(a ⊙ b) = da ⊙ b + a ⊙ db
        return productRule(e, e.factors, d, hadamard);
      case 'kron': // d(A ⊗ B) = dA ⊗ B + A ⊗ dB
        return productRule(e, e.factors, d, kron);
      case 'pow':
        return powRule(e.base, e.exp, e);
      case 'transpose': // d(Aᵀ) = (dA)ᵀ
        return transpose(d(e.arg));
      case 'inverse': // d(A⁻¹) = −A⁻¹ dA A⁻¹
        return neg(matmul(e, d(e.arg), e));
      case 'block':
        return block(e.rows.map((r) => r.map(d)));
      case 'piecewise':
        return piecewise(e.cases.map((c) => ({ value: d(c.value), when: c.when })));
      case 'fn':
        return fnRule(e.name, e.args, e);
      case 'apply':
        return applyRule(e);
    }
  };

  // The chain rule for an abstract function: d f(u₁, …) = Σᵢ ∂ᵢf(u₁, …) duᵢ, where ∂ᵢf is
  // f′ (a scalar argument), the gradient ∇f (transposed against a vector duᵢ) or a vector
  // function's Jacobian ∂𝐟/∂𝐮 (multiplying duᵢ).
  const applyRule = (e: Apply): Expr => {
    const terms: Expr[] = [];
    e.args.forEach((u, i) => {
      const du = d(u);
      if (isZero(du)) return;
      const partial = apply(e.name, e.style, e.args, [...e.partials, i], applyValueShape(e));
      if (isScalar(u)) terms.push(mul(partial, du));
      else if (e.style === 'bold') terms.push(matmul(partial, du));
      else if (u.shape.kind === 'matrix') terms.push(fn('tr', matmul(transpose(partial), du)));
      else if (isScalar(e)) terms.push(matmul(transpose(partial), du));
      else {
        // e is a gradient ∇ⱼf, a vector: d∇ⱼf = Hⱼᵢ duᵢ, the Hessian block stored with the lower index's rows.
        const j = e.partials.find((k) => !isScalar(e.args[k]))!;
        terms.push(matmul(j <= i ? partial : transpose(partial), du));
      }
    });
    return terms.length ? add(...terms) : zero(e.shape);
  };

  const powRule = (b: Expr, c: Expr, self: Expr): Expr => {
    if (b.type === 'fn' && b.name === 'norm2' && c.type === 'num' && c.q === 1 && c.p > 0 && c.p % 2 === 0) {
      // d‖u‖^{2k} = 2k‖u‖^{2k−2} uᵀdu: smooth everywhere, unlike ‖u‖ itself.
      const u = b.args[0];
      return mul(c, pow(b, num(c.p - 2)), matmul(transpose(u), d(u)));
    }
    const db = d(b);
    const dc = d(c);
    if (isZero(dc)) {
      // d(bᶜ) = c·bᶜ⁻¹·db
      return hadamardOrMul(mul(c, pow(b, add(c, MINUS_ONE))), db);
    }
    if (isZero(db)) {
      // 0ᶜ is 0 for every c > 0 (and undefined for c ≤ 0): its slope is 0, not ln(0)·0 = NaN.
      if (isZero(b)) return zero(self.shape);
      // d(bᶜ) = ln(b)·bᶜ·dc
      return hadamardOrMul(mul(fn('ln', b), self), dc);
    }
    // d(bᶜ) = bᶜ·(ln(b)·dc + c·db/b)
    return hadamardOrMul(
      self,
      add(hadamardOrMul(fn('ln', b), dc), hadamardOrMul(mul(c, pow(b, MINUS_ONE)), db)),
    );
  };

  const fnRule = (name: FnName, args: readonly Expr[], self: Expr): Expr => {
    const u = args[0];
    const phi = elementwise(name);
    if (phi) {
      // d φ(u) = φ'(u) ⊙ du, with φ' from the function's record (functions.ts)
      const du = d(u);
      if (isZero(du)) return zero(self.shape);
      if (phi.kink) kink(u, '!=', zero(u.shape));
      return hadamardOrMul(phi.derivative(u, self, BUILDERS), du);
    }
    switch (name) {
      case 'max':
      case 'min': {
        const [a, b] = args;
        const da = d(a);
        const db = d(b);
        if (isZero(da) && isZero(db)) return zero(self.shape);
        if (isScalar(self)) {
          // d max(a, b) = da where b ≤ a, db where b > a (ReLU's derivative at 0 taken as 0, as most frameworks do)
          return piecewise([
            { value: da, when: comparison(name === 'max' ? '<=' : '>=', b, a) },
            { value: db, when: comparison(name === 'max' ? '>' : '<', b, a) },
          ]);
        }
        // Off the kink a = b (written a − b ≠ 0, or b − a when a is a number: 𝐱 ≠ 0 for max(0, 𝐱) too),
        // element-wise: d max(a, b) = 1[a > b] ⊙ da + 1[b > a] ⊙ db, so that max(𝐱, 0) reads 1[𝐱 > 0]
        // rather than 1 − 1[−𝐱 > 0]; and d min(a, b) = 1[b > a] ⊙ da + 1[a > b] ⊙ db.
        const aOverB = sub(a, b);
        const bOverA = sub(b, a);
        kink(a.type === 'num' ? bOverA : aOverB, '!=', zero(self.shape));
        const [aWins, bWins] = name === 'max' ? [aOverB, bOverA] : [bOverA, aOverB];
        return add(
          hadamard(fn('step', aWins), broadcast(da, self)),
          hadamard(fn('step', bWins), broadcast(db, self)),
        );
      }
      case 'atan2': {
        // d atan2(y, x) = (x dy − y dx)/(x² + y²)
        const [y, x] = args;
        return div(sub(mul(x, d(y)), mul(y, d(x))), add(pow(x, num(2)), pow(y, num(2))));
      }
      case 'sum': // d sum(u) = sum(du)
        return fn('sum', d(u));
      case 'softmax': {
        // d softmax(u) = s ⊙ du − s sᵀ du, s = softmax(u)
        const du = d(u);
        if (isZero(du)) return zero(self.shape);
        if (self.shape.kind === 'matrix') {
          // Column-wise, each column's s_j ⊙ du_j − s_j (s_jᵀ du_j): the column sums 𝟏ᵀ(S ⊙ dU) spread by 𝟏.
          const one = ones({ kind: 'vector', n: self.shape.m });
          const spread = matmul(one, transpose(one), hadamard(self, du));
          return sub(hadamard(self, du), hadamard(self, spread));
        }
        return sub(hadamard(self, du), matmul(self, transpose(self), du));
      }
      case 'logsoftmax': {
        // d logsoftmax(u) = du − 1 sᵀ du
        const du = d(u);
        if (isZero(du)) return zero(self.shape);
        return sub(du, matmul(ones(u.shape), transpose(fn('softmax', u)), du));
      }
      case 'logsumexp': // d logsumexp(u) = softmax(u)ᵀ du
        return matmul(transpose(fn('softmax', u)), d(u));
      case 'norm2': {
        // d‖u‖ = uᵀ du / ‖u‖   (u ≠ 0 as a whole: a zero entry is no kink)
        const du = d(u);
        if (isZero(du)) return ZERO;
        kink(u, '!=', zero(u.shape), true);
        return mul(pow(self, MINUS_ONE), matmul(transpose(u), du));
      }
      case 'norm1': {
        // d‖u‖₁ = sign(u)ᵀ du   (no component 0)
        const du = d(u);
        if (isZero(du)) return ZERO;
        kink(u, '!=', zero(u.shape));
        return matmul(transpose(fn('sign', u)), du);
      }
      case 'normF': // d‖X‖_F = tr(Xᵀ dX)/‖X‖_F
        return mul(pow(self, MINUS_ONE), fn('tr', matmul(transpose(u), d(u))));
      case 'tr': // d tr(A) = tr(dA)
        return fn('tr', d(u));
      case 'det': // d det(A) = det(A) tr(A⁻¹ dA)
        return mul(self, fn('tr', matmul(inverse(u), d(u))));
      case 'logdet': // d log det(A) = tr(A⁻¹ dA)
        return fn('tr', matmul(inverse(u), d(u)));
      case 'diag': // d diag(u) = diag(du)
        return fn('diag', d(u));
      case 'diagvec':
        return fn('diagvec', d(u));
    }
    throw new Error(`no derivative rule for ${name}`);
  };

  return d(f);
}

/** Σᵢ (the factors with the i-th replaced by its differential). */
function productRule(
  self: Expr,
  factors: readonly Expr[],
  d: (e: Expr) => Expr,
  product: (...f: Expr[]) => Expr,
): Expr {
  const terms: Expr[] = [];
  for (let i = 0; i < factors.length; i++) {
    const di = d(factors[i]);
    if (isZero(di)) continue;
    const parts = factors.slice();
    parts[i] = di;
    terms.push(product(...parts));
  }
  return terms.length ? add(...terms) : zero(self.shape);
}

/** A scalar differential where an element-wise result is expected is broadcast by a ones tensor. */
function broadcast(de: Expr, like: Expr): Expr {
  return isScalar(de) && !isScalar(like) ? mul(de, ones(like.shape)) : de;
}
