/**
 * Piecewise results (from max, min, ReLU) are shown as one `cases` at the
 * top, as the notes write them, with each branch simplified under its own
 * condition: in the branch where 𝐰·𝐱 + b > 0, max(0, 𝐰·𝐱 + b) is 𝐰·𝐱 + b.
 */
import { type Condition, type Expr, children, key } from './expr';
import { piecewise, rebuild } from './simplify';

/**
 * Nodes looked at along every path (a shared node once per path) before a search keeps a set
 * of the nodes seen: most expressions are small trees, where the set would be all the work.
 */
const PATH_BUDGET = 512;

/** The first node of `e` passing `test` (depth first). */
function findNode(e: Expr, test: (x: Expr) => boolean): Expr | undefined {
  let budget = PATH_BUDGET;
  const stack = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (test(x)) return x;
    if (--budget < 0) return findNodeOnce(e, test);
    const cs = children(x);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
  }
  return undefined;
}

/** findNode looking at each shared subexpression once (the same node found: a node seen again failed the test). */
function findNodeOnce(e: Expr, test: (x: Expr) => boolean): Expr | undefined {
  const seen = new Set<Expr>();
  const stack = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (test(x)) return x;
    if (seen.has(x)) continue;
    seen.add(x);
    const cs = children(x);
    for (let i = cs.length - 1; i >= 0; i--) stack.push(cs[i]);
  }
  return undefined;
}

type Piecewise = Extract<Expr, { type: 'piecewise' }>;

const isPiecewise = (x: Expr): x is Piecewise => x.type === 'piecewise';

function findPiecewise(e: Expr): Piecewise | undefined {
  return findNode(e, isPiecewise) as Piecewise | undefined;
}

const branches = (x: Expr) =>
  x.type === 'piecewise' || (x.type === 'fn' && (x.name === 'max' || x.name === 'min'));

/**
 * Whether a derivative of `f` (of any order) may hold a piecewise node: differentiating makes one
 * only from a piecewise node or a max/min of f (diff.ts), so most derivatives need no search.
 */
export function mayBranch(f: Expr): boolean {
  return findNode(f, branches) !== undefined;
}

/** lhs op rhs as a person writes it, a number on the right: x ≥ 0 rather than 0 ≤ x. */
export function comparison(op: Condition['op'], lhs: Expr, rhs: Expr): Condition {
  return lhs.type === 'num' && rhs.type !== 'num'
    ? { op: FLIPPED[op], lhs: rhs, rhs: lhs }
    : { op, lhs, rhs };
}

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '!=': '!=' } as const;

/** What max(a, b) / min(a, b) equal where `when` holds (`when` is `b op a`, or its `comparison`). */
function branchValue(e: Expr, when: Condition): Expr | undefined {
  if (e.type !== 'fn' || (e.name !== 'max' && e.name !== 'min')) return undefined;
  const [a, b] = e.args;
  const [l, r] = [key(when.lhs), key(when.rhs)];
  // The condition as `b op a`.
  const op =
    l === key(b) && r === key(a) ? when.op : l === key(a) && r === key(b) ? FLIPPED[when.op] : undefined;
  const bWins = e.name === 'max' ? op === '>' : op === '<';
  const aWins = e.name === 'max' ? op === '<=' : op === '>=';
  return bWins ? b : aWins ? a : undefined;
}

/** `e` with `target` replaced by `value` where `when` holds, rebuilding each shared node once. */
function substitute(e: Expr, target: string, value: Expr, when: Condition): Expr {
  const memo = new Map<Expr, Expr>();
  const sub = (x: Expr): Expr => {
    let r = memo.get(x);
    if (r === undefined) {
      r = key(x) === target ? value : (branchValue(x, when) ?? rebuild(x, sub));
      memo.set(x, r);
    }
    return r;
  };
  return sub(e);
}

/** Moves every piecewise node to the top: f(…{a if c; b otherwise}…) = {f(…a…) if c; f(…b…) otherwise}. */
export function liftPiecewise(e: Expr, depth = 0): Expr {
  const p = findPiecewise(e);
  if (!p || depth > 8) return e;
  if (p === e && p.cases.every((c) => !findPiecewise(c.value))) return e;
  const target = key(p);
  return piecewise(
    p.cases.map((c) => ({
      when: c.when,
      value: liftPiecewise(substitute(e, target, c.value, c.when), depth + 1),
    })),
  );
}

/** Applies `f` to each branch of a (lifted) piecewise expression, or to the expression itself. */
export function perBranch(e: Expr, f: (branch: Expr) => Expr): Expr {
  const lifted = liftPiecewise(e);
  if (lifted.type !== 'piecewise') return f(lifted);
  return piecewise(lifted.cases.map((c) => ({ when: c.when, value: f(c.value) })));
}
