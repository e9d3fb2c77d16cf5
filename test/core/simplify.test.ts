// The smart constructors' shortcuts for their commonest calls give what the general path gives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Expr, children, key, postorder, make } from '../../src/core/expr';
import { ONE, ZERO, add, fn, mul, num, ones, sym, zero } from '../../src/core/simplify';

const x = sym('x');
const y = sym('y');
const v = sym('v', { kind: 'vector', n: 3 });
const vector = v.shape;

describe('add', () => {
  it('adds two numbers, to 0 exactly', () => {
    assert.equal(key(add(num(2), num(-1))), key(ONE));
    assert.equal(add(num(2), num(-2)), ZERO);
  });
  it('keeps a sum of numbers with a dropped zero vector a vector (c·𝟏)', () => {
    const s = add(num(2), num(3), zero(vector));
    assert.equal(key(s), key(mul(num(5), ones(vector))));
    assert.equal(s.shape.kind, 'vector');
  });
  it('keeps two unlike terms, or a number and a term, in their order', () => {
    const s = add(x, num(2));
    assert.ok(s.type === 'add');
    assert.deepEqual(s.terms, [x, num(2)]);
    const t = add(num(2), x);
    assert.ok(t.type === 'add');
    assert.deepEqual(t.terms, [num(2), x]);
  });
  it('combines like terms of two', () => {
    assert.equal(key(add(mul(num(2), x), x)), key(mul(num(3), x)));
    assert.equal(add(mul(num(-1), x), x), ZERO);
  });
});

describe('mul', () => {
  it('puts the number first, whichever side it is on', () => {
    const a = mul(fn('sin', x), num(3));
    assert.ok(a.type === 'mul');
    assert.equal(a.factors[0].type, 'num');
    assert.equal(key(a), key(mul(num(3), fn('sin', x))));
  });
  it('gives a zero of the factor’s shape for 0·v and 2·0', () => {
    const z = mul(num(0), v);
    assert.ok(z.type === 'special' && z.name === 'zero' && z.shape.kind === 'vector');
    assert.equal(key(mul(num(2), zero(vector))), key(zero(vector)));
  });
  it('opens products nested at any depth, in order', () => {
    const inner: Expr = make.product('mul', [num(2), make.product('mul', [y, x], x.shape)], x.shape);
    assert.equal(key(mul(num(3), inner)), key(mul(num(6), x, y)));
    assert.equal(key(mul(x, inner, x)), key(mul(num(2), y, mul(x, x, x))));
  });
});

describe('postorder', () => {
  it('lists each node once, children first, root after root, skipping nodes already seen', () => {
    const s = add(x, y);
    const sine = fn('sin', s);
    const p = mul(s, sine);
    assert.deepEqual(postorder([p, x]), [x, y, s, sine, p]);
    const z = sym('z');
    assert.deepEqual(postorder([z, p], undefined, new Set([sine])), [z, x, y, s, p]);
    assert.deepEqual(postorder([]), []);
  });
  it('lists a large shared tree (past the short list of nodes met) as a recursive walk does', () => {
    let e: Expr = x;
    for (let i = 1; i <= 30; i++) e = add(mul(num(i + 1), e), fn('sin', e), sym(`y_${i}`));
    const reference: Expr[] = [];
    const met = new Set<Expr>();
    const walk = (n: Expr): void => {
      if (met.has(n)) return;
      met.add(n);
      for (const c of children(n)) walk(c);
      reference.push(n);
    };
    walk(e);
    assert.ok(reference.length > 64);
    assert.deepEqual(postorder([e, x]), reference);
  });
});
