/** The tidy tree layout (media/plan/layout.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LAYOUT as O, layoutTree } from '../../../media/plan/layout';

/** childIds for a tree given as parent ids in preorder. */
function shape(parents: Array<number | null>): { childIds: number[][] } {
  const childIds = parents.map(() => [] as number[]);
  parents.forEach((p, i) => {
    if (p !== null) childIds[p].push(i);
  });
  return { childIds };
}

function random(n: number, seed: number): Array<number | null> {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const parents: Array<number | null> = [null];
  // preorder: each new node hangs under the previous node or one of its ancestors
  const stack = [0];
  for (let i = 1; i < n; i++) {
    while (stack.length > 1 && rnd() < 0.4) stack.pop();
    parents.push(stack[stack.length - 1]);
    stack.push(i);
  }
  return parents;
}

function assertNoOverlap(x: Float64Array, y: Float64Array, order: number[]): void {
  const rows = new Map<number, number[]>();
  for (const id of order) rows.set(y[id], [...(rows.get(y[id]) ?? []), x[id]]);
  for (const xs of rows.values()) {
    xs.sort((a, b) => a - b);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i] - xs[i - 1] >= O.nodeWidth + O.hGap - 1e-6, `boxes overlap: ${xs[i - 1]} and ${xs[i]}`);
  }
}

describe('tree layout', () => {
  it('puts levels top-down and a parent centred over its children', () => {
    const l = layoutTree(shape([null, 0, 0, 2, 2, 2]));
    assert.equal(l.y[0], O.margin);
    assert.equal(l.y[1], O.margin + O.nodeHeight + O.vGap);
    assert.equal(l.y[3], O.margin + 2 * (O.nodeHeight + O.vGap));
    assert.equal(l.x[0], (l.x[1] + l.x[2]) / 2);
    assert.equal(l.x[2], (l.x[3] + l.x[5]) / 2);
    assert.equal(Math.min(...l.order.map((i) => l.x[i])), O.margin);
    assert.equal(l.width, Math.max(...l.order.map((i) => l.x[i])) + O.nodeWidth + O.margin);
    assertNoOverlap(l.x, l.y, l.order);
  });

  it('packs subtrees tightly: a leaf next to a deep subtree sits close, not past its widest level', () => {
    // root -> [a -> [b, c, d, e], f]: f only has to clear a, not a's children
    const l = layoutTree(shape([null, 0, 1, 1, 1, 1, 0]));
    assert.ok(l.x[6] - l.x[1] <= O.nodeWidth + O.hGap + 1e-6 + 0, `f is next to a: ${l.x[1]} ${l.x[6]}`);
    assertNoOverlap(l.x, l.y, l.order);
  });

  it('never overlaps on random trees, and hides collapsed subtrees', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const parents = random(300, seed);
      const l = layoutTree(shape(parents));
      assert.equal(l.order.length, 300);
      assertNoOverlap(l.x, l.y, l.order);
    }
    const parents = random(300, 9);
    const s = shape(parents);
    const target = s.childIds.findIndex((c, i) => i > 0 && c.length > 0);
    const l = layoutTree(s, new Set([target]));
    for (const c of s.childIds[target]) {
      assert.equal(l.visible[c], 0);
      assert.ok(Number.isNaN(l.x[c]));
    }
    assertNoOverlap(l.x, l.y, l.order);
  });

  it('lays out 5,000 nodes as a deep chain or as wide partitions without recursion limits', () => {
    const chain = layoutTree(shape(Array.from({ length: 5000 }, (_, i) => (i === 0 ? null : i - 1))));
    assert.equal(chain.order.length, 5000);
    assert.equal(chain.x[4999], chain.x[0]);
    const wide = layoutTree(shape(Array.from({ length: 5000 }, (_, i) => (i === 0 ? null : 0))));
    assert.equal(wide.width, 4999 * (O.nodeWidth + O.hGap) - O.hGap + 2 * O.margin);
    assertNoOverlap(wide.x, wide.y, wide.order);
  });
});
