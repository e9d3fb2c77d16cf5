/**
 * Element-wise vector results read as scalars: σ(𝐳) ⊙ (1 − 𝐲) − (1 − σ(𝐳)) ⊙ 𝐲 holds entry by
 * entry, so it simplifies as the scalar σ(z)(1 − y) − (1 − σ(z))y does (rational.ts), to σ(𝐳) − 𝐲.
 * Each part that is not element-wise (𝐲, X𝐰) stands for one scalar name; ⊙ is a product.
 */
import { type Expr, type Sym, isScalar, key, postorder, sameShape, treeSize } from './expr';
import { ELEMENTWISE } from './functions';
import { normalize } from './rational';
import { add, fn, hadamard, mul, num, pow, rebuild, sym } from './simplify';

/**
 * A vector built element-wise: a sum, a ⊙ product, a scaled vector, an element-wise function or
 * power. A result without one has nothing for `simplifyElementwise` to do.
 */
export function elementwiseNode(x: Expr): boolean {
  if (x.shape.kind !== 'vector') return false;
  if (x.type === 'add' || x.type === 'hadamard' || x.type === 'mul') return true;
  if (x.type === 'fn') return x.name in ELEMENTWISE;
  return x.type === 'pow' && isScalar(x.exp);
}

/** `x` with vector leaves replaced by scalar names (recorded in `leaves`); ⊙ as ·, 𝟏 as 1. */
function toScalar(x: Expr, leaves: Map<string, { name: Sym; vector: Expr }>): Expr {
  if (isScalar(x)) return x;
  if (x.type === 'special' && x.name === 'ones') return num(1);
  if (elementwiseNode(x)) return rebuildAs(x, (c) => toScalar(c, leaves));
  const k = key(x);
  let leaf = leaves.get(k);
  // A name no one writes: it cannot meet a variable of the expression.
  if (!leaf) leaves.set(k, (leaf = { name: sym(`⟨${leaves.size}⟩`), vector: x }));
  return leaf.name;
}

/** `x`'s operation on `map`ped children, with ⊙ read as a scalar product (and back, by `hadamard`). */
function rebuildAs(x: Expr, map: (c: Expr) => Expr): Expr {
  switch (x.type) {
    case 'add':
      return add(...x.terms.map(map));
    case 'mul':
    case 'hadamard':
      return mul(...x.factors.map(map));
    case 'fn':
      return fn(x.name, ...x.args.map(map));
    case 'pow':
      return pow(map(x.base), map(x.exp));
    default:
      return rebuild(x, map);
  }
}

/** The scalar form read back as vectors: a product with vector factors is their ⊙ product. */
function toVector(s: Expr, byName: ReadonlyMap<string, Expr>): Expr {
  if (s.type === 'sym' && byName.has(s.name)) return byName.get(s.name)!;
  if (!postorder([s]).some((x) => x.type === 'sym' && byName.has(x.name))) return s;
  if (s.type === 'mul') {
    const factors = s.factors.map((f) => toVector(f, byName));
    const vectors = factors.filter((f) => !isScalar(f));
    return mul(...factors.filter(isScalar), hadamard(...vectors));
  }
  return rebuildAs(s, (c) => toVector(c, byName));
}

/** `e` with each element-wise vector part in its smaller form, scalar-simplified entry by entry. */
export function simplifyElementwise(e: Expr): Expr {
  // Most results (every scalar calculus one) have no vector part: one walk, no rebuilding.
  if (!postorder([e]).some(elementwiseNode)) return e;
  const memo = new Map<Expr, Expr>();
  const visit = (x: Expr): Expr => {
    let r = memo.get(x);
    if (r !== undefined) return r;
    if (!elementwiseNode(x)) {
      r = rebuild(x, visit);
      memo.set(x, r);
      return r;
    }
    const leaves = new Map<string, { name: Sym; vector: Expr }>();
    const lifted = toScalar(x, leaves);
    const names = new Set([...leaves.values()].map((l) => l.name.name));
    const hasLeaf = (y: Expr) => postorder([y]).some((z) => z.type === 'sym' && names.has(z.name));
    // Only a ⊙ product or an element-wise function gains from the reading; a sum of vectors
    // (2(𝐱 − 𝐲)) or a scaled one is left as it is.
    const gains = postorder([lifted]).some(
      (y) => (y.type === 'fn' && hasLeaf(y)) || (y.type === 'mul' && y.factors.filter(hasLeaf).length > 1),
    );
    if (gains) {
      const back = toVector(
        normalize(lifted),
        new Map([...leaves.values()].map((l) => [l.name.name, l.vector])),
      );
      // Without a vector leaf (−𝟏 is −1 entry by entry) the scalar form has lost the shape: kept as it was.
      r = sameShape(back.shape, x.shape) && treeSize(back) < treeSize(x) ? back : rebuild(x, visit);
    } else r = rebuild(x, visit);
    memo.set(x, r);
    return r;
  };
  return visit(e);
}
