import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan, planTips, TIP_THRESHOLDS, type Tip } from '../../../src/explain';
import { jnode, jplan } from './helpers';

const blocks = (hit: number, read: number, tempRead = 0, tempWritten = 0) => ({
  'Shared Hit Blocks': hit, 'Shared Read Blocks': read, 'Temp Read Blocks': tempRead, 'Temp Written Blocks': tempWritten,
});

function tipsOf(plan: unknown): Tip[] {
  return planTips(parsePlan(plan));
}

function only(tips: Tip[], id: Tip['id']): Tip[] {
  return tips.filter((t) => t.id === id);
}

describe('tips', () => {
  it('index-potential: a big sequential scan whose filter drops most rows', () => {
    const tips = tipsOf(jplan(jnode('Seq Scan', [0.01, 40, 50, 1], {
      'Relation Name': 'orders', Filter: '(customer_id = 42)', 'Rows Removed by Filter': 99950, 'Plan Rows': 50,
    }), { 'Execution Time': 41 }));
    const [tip] = only(tips, 'index-potential');
    assert.equal(tip.nodeId, 0);
    assert.ok(tip.score >= 4, `score ${tip.score}`);
    assert.match(tip.detail, /customer_id = 42/);
    // A small table, or a filter that keeps most rows, is not worth an index.
    assert.equal(only(tipsOf(jplan(jnode('Seq Scan', [0, 1, 5, 1], { 'Rows Removed by Filter': 995 }))), 'index-potential').length, 0);
    assert.equal(only(tipsOf(jplan(jnode('Seq Scan', [0, 1, 50000, 1], { 'Rows Removed by Filter': 50000 }))), 'index-potential').length, 0);
  });

  it('row-misestimate: scores with the factor and the time share, reported where it starts', () => {
    const plan = (total: number, scanTime: number) => jplan(
      jnode('Hash Join', [1, total, 5000, 1], { 'Plan Rows': 50 }, [
        jnode('Seq Scan', [0.01, scanTime, 5000, 1], { 'Parent Relationship': 'Outer', 'Plan Rows': 50 }),
        jnode('Hash', [0.5, 0.5, 10, 1], { 'Parent Relationship': 'Inner' }),
      ]),
      { 'Execution Time': total },
    );
    const heavy = only(tipsOf(plan(100, 90)), 'row-misestimate');
    const light = only(tipsOf(plan(100, 2)), 'row-misestimate');
    assert.deepEqual(heavy.map((t) => t.nodeId), [1], 'the join inherits the scan\'s error: one tip');
    assert.ok(heavy[0].score > light[0].score);
    assert.ok(Math.abs(light[0].score - 1.25 * 2 - 2.5 * (2 / 100)) < 0.06, `score ${light[0].score}`);
    const bigger = only(tipsOf(jplan(jnode('Seq Scan', [0, 2, 100000, 1], { 'Plan Rows': 10 }), { 'Execution Time': 100 })), 'row-misestimate');
    assert.ok(bigger[0].score > light[0].score);
    assert.equal(only(tipsOf(jplan(jnode('Seq Scan', [0, 1, 12, 1], { 'Plan Rows': 1 }))), 'row-misestimate').length, 0, 'tiny');
    assert.equal(only(tipsOf(jplan(jnode('Seq Scan', [0, 1, 900, 1], { 'Plan Rows': 100 }))), 'row-misestimate').length, 0, '9×');
  });

  it('spill-to-disk: external sort, hash batches, hash aggregate, temp blocks', () => {
    const tips = tipsOf(jplan(
      jnode('Hash Join', [50, 100, 10, 1], { ...blocks(0, 0, 500, 500) }, [
        jnode('Sort', [40, 45, 10, 1], {
          'Parent Relationship': 'Outer', 'Sort Method': 'external merge', 'Sort Space Used': 5432, 'Sort Space Type': 'Disk',
          'Sort Key': ['t.x'], ...blocks(0, 0, 600, 600),
        }, [
          jnode('Aggregate', [1, 30, 10, 1], { 'Parent Relationship': 'Outer', Strategy: 'Hashed', 'HashAgg Batches': 5, 'Disk Usage': 3088, ...blocks(0, 0, 100, 100) }),
        ]),
        jnode('Hash', [5, 5, 10, 1], { 'Parent Relationship': 'Inner', 'Hash Buckets': 1024, 'Original Hash Buckets': 1024, 'Hash Batches': 8, 'Original Hash Batches': 1, 'Peak Memory Usage': 100 }),
      ]),
      { 'Execution Time': 100 },
    ));
    const spill = only(tips, 'spill-to-disk');
    assert.deepEqual(spill.map((t) => t.nodeId).sort(), [1, 2, 3], 'sort, hash aggregate and hash; not the join again');
    assert.match(spill.find((t) => t.nodeId === 1)?.detail ?? '', /external merge.*5,432 kB/);
    const temp = only(tipsOf(jplan(jnode('Materialize', [0, 5, 10, 1], blocks(0, 0, 20, 20)))), 'spill-to-disk');
    assert.equal(temp.length, 1);
  });

  it('lossy-bitmap and filter-inefficiency', () => {
    const tips = tipsOf(jplan(
      jnode('Bitmap Heap Scan', [1, 20, 1000, 1], {
        'Relation Name': 't', 'Exact Heap Blocks': 100, 'Lossy Heap Blocks': 900, 'Rows Removed by Index Recheck': 50000,
        'Rows Removed by Filter': 9000, 'Recheck Cond': '(id < 1000)', Filter: '(flag)',
      }, [jnode('Bitmap Index Scan', [1, 1, 60000, 1], { 'Parent Relationship': 'Outer', 'Index Name': 't_pkey' })]),
    ));
    const [lossy] = only(tips, 'lossy-bitmap');
    assert.equal(lossy.nodeId, 0);
    assert.match(lossy.detail, /50,000 rows/);
    const [filter] = only(tips, 'filter-inefficiency');
    assert.equal(filter.nodeId, 0);
    assert.match(filter.title, /90\.0%/);
  });

  it('cache-misses: reads far above hits', () => {
    const tips = tipsOf(jplan(jnode('Seq Scan', [0, 80, 100, 1], { ...blocks(50, 20000), 'I/O Read Time': 70 }), { 'Execution Time': 80 }));
    const [tip] = only(tips, 'cache-misses');
    assert.equal(tip.nodeId, 0);
    assert.match(tip.detail, /20,000 blocks/);
    assert.match(tip.detail, /70 ms/);
    assert.equal(only(tipsOf(jplan(jnode('Seq Scan', [0, 80, 100, 1], blocks(5000, 20000)))), 'cache-misses').length, 0);
  });

  it('nested-loop-many-loops: on the Nested Loop, from its inner side\'s loops', () => {
    const plan = (loops: number) => jplan(jnode('Nested Loop', [0, 50, loops, 1], {}, [
      jnode('Seq Scan', [0, 5, loops, 1], { 'Parent Relationship': 'Outer' }),
      jnode('Index Scan', [0, 0.004, 1, loops], { 'Parent Relationship': 'Inner', 'Index Name': 'i' }),
    ]));
    const [tip] = only(tipsOf(plan(5000)), 'nested-loop-many-loops');
    assert.equal(tip.nodeId, 0);
    assert.equal(only(tipsOf(plan(TIP_THRESHOLDS.nestedLoopMinLoops - 1)), 'nested-loop-many-loops').length, 0);
  });

  it('parallel-not-launched, jit-overhead and planning-time', () => {
    const tips = tipsOf(jplan(
      jnode('Gather', [1, 50, 10, 1], { 'Workers Planned': 4, 'Workers Launched': 1 }, [
        jnode('Seq Scan', [0, 40, 5, 2], { 'Parent Relationship': 'Outer', 'Parallel Aware': true }),
      ]),
      { 'Planning Time': 120, 'Execution Time': 50, JIT: { Functions: 10, Timing: { Total: 20 } } },
    ));
    assert.deepEqual(only(tips, 'parallel-not-launched').map((t) => t.nodeId), [0]);
    assert.deepEqual(only(tips, 'jit-overhead').map((t) => t.nodeId), [null]);
    assert.deepEqual(only(tips, 'planning-time').map((t) => t.nodeId), [null]);
    for (let i = 1; i < tips.length; i++) assert.ok(tips[i - 1].score >= tips[i].score, 'sorted by score');
    for (const t of tips) assert.ok(t.score >= 0 && t.score <= 5);
    const fast = tipsOf(jplan(jnode('Result', [0, 50, 1, 1]), { 'Planning Time': 8, 'Execution Time': 5, JIT: { Timing: { Total: 4 } } }));
    assert.deepEqual(fast.map((t) => t.id), ['jit-overhead']);
  });

  it('gives no tips for a healthy or a cost-only plan', () => {
    assert.deepEqual(tipsOf(jplan(jnode('Index Scan', [0.01, 0.05, 1, 1], { 'Index Name': 'i', 'Relation Name': 't' }), { 'Execution Time': 0.1 })), []);
    assert.deepEqual(tipsOf(jplan(jnode('Seq Scan', null, { 'Relation Name': 't' }))), []);
  });
});
