/**
 * The textbook corpus (issue 13): every result equals the derivative the book writes, at random
 * points of two sizes, and is checked against central finite differences; and our result is no
 * larger than the book's in at least a floor of the cases (the rest are listed side by side in
 * BENCHMARKS.md by bench/textbook.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TEXTBOOK_CORPUS } from '../fixtures/textbook';
import { measure, numericGap } from '../../bench/textbook-measure';
import { checkNumerically } from './numeric';

/** The fraction of cases where our result is no larger than the textbook's, as reached: a regression floor. */
const NO_LARGER_FLOOR = 0.99;

describe('the textbook corpus', () => {
  test('has at least 80 cases, each id once, from every source', () => {
    assert.ok(TEXTBOOK_CORPUS.length >= 80, `only ${TEXTBOOK_CORPUS.length} cases`);
    assert.equal(new Set(TEXTBOOK_CORPUS.map((c) => c.id)).size, TEXTBOOK_CORPUS.length);
    for (const source of ['calculus', 'seeds', 'cookbook', 'deep learning'])
      assert.ok(
        TEXTBOOK_CORPUS.filter((c) => c.source === source).length >= 10,
        `fewer than 10 cases from ${source}`,
      );
    for (const c of TEXTBOOK_CORPUS) assert.equal(c.textbook.length, c.wrt.length, c.id);
  });

  for (const c of TEXTBOOK_CORPUS)
    test(`${c.id}: ∂/∂${c.wrt.join(', ')} ${c.latex} equals ${c.textbook.join(', ')}`, () => {
      const gap = numericGap(c);
      assert.ok(gap < 1e-8, `${c.id}: our result and the textbook form differ by ${gap}`);
      // Our result against finite differences too (where the default positive draw is inside the domain).
      if (!c.domain)
        checkNumerically(c.latex, { wrt: c.wrt, declarations: c.declarations }, { positive: true });
    });

  test(`our result is no larger than the textbook form in at least ${NO_LARGER_FLOOR * 100}% of cases`, () => {
    const larger = TEXTBOOK_CORPUS.flatMap((c) => {
      const m = measure(c);
      return m.ours.size <= m.textbook.size
        ? []
        : [`${c.id}: ${m.ours.text} (${m.ours.size}) vs ${m.textbook.text}`];
    });
    const fraction = 1 - larger.length / TEXTBOOK_CORPUS.length;
    assert.ok(fraction >= NO_LARGER_FLOOR, `${(fraction * 100).toFixed(1)}%; larger:\n${larger.join('\n')}`);
  });
});
