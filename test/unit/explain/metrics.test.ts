import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan } from '../../../src/explain';
import { misestimate } from '../../../src/explain/model';
import { assertNoNegative, close, jnode, jplan, sumExclusive } from './helpers';

describe('loops', () => {
  it('multiplies per-loop time, rows and removed rows by loops', () => {
    const m = parsePlan(jplan(
      jnode('Nested Loop', [0.1, 30, 2000, 1], {}, [
        jnode('Seq Scan', [0.01, 2, 2000, 1], { 'Parent Relationship': 'Outer', 'Relation Name': 'o' }),
        jnode('Index Scan', [0.005, 0.012, 1, 2000], {
          'Parent Relationship': 'Inner', 'Relation Name': 'i', 'Index Name': 'i_pkey', 'Plan Rows': 1, 'Rows Removed by Filter': 3,
        }),
      ]),
      { 'Execution Time': 30.5 },
    ));
    const inner = m.nodes[2];
    close(inner.inclusiveTimeMs, 24, 1e-9, 'inner inclusive');
    assert.equal(inner.rowsActualTotal, 2000);
    assert.equal(inner.rowsEstimatedTotal, 2000);
    assert.equal(inner.rowsRemovedByFilterTotal, 6000);
    close(inner.filterRatio, 0.75, 1e-9, 'filter ratio');
    close(m.nodes[0].exclusiveTimeMs, 4, 1e-9, 'join exclusive');
    close(m.nodes[0].percentOfTotal, (4 / 30.5) * 100, 1e-9, 'percent');
    close(m.rootTimeMs, 30, 1e-9, 'root');
    close(m.unattributedTimeMs, 0.5, 1e-9, 'unattributed');
  });

  it('fits children that add up to more than their parent (3-decimal rounding × many loops)', () => {
    // 0.0125 ms per loop prints as 0.013: × 10 000 loops the inner side claims 130 ms
    // inside a 126 ms join. Exclusive times must stay ≥ 0 and still sum to the root.
    const m = parsePlan(jplan(
      jnode('Nested Loop', [0.1, 126, 10000, 1], {}, [
        jnode('Seq Scan', [0.01, 3, 10000, 1], { 'Parent Relationship': 'Outer' }),
        jnode('Index Scan', [0.01, 0.013, 1, 10000], { 'Parent Relationship': 'Inner' }, [
          jnode('Bitmap Index Scan', [0.001, 0.002, 1, 10000], { 'Parent Relationship': 'Outer' }),
        ]),
      ]),
    ));
    assertNoNegative(m);
    close(m.nodes[0].exclusiveTimeMs, 0, 1e-9, 'join exclusive');
    close(sumExclusive(m), 126, 1e-9, 'sum');
    // The join's children are scaled by 126 / 133; the inner side's own child still fits in it.
    close(m.nodes[2].exclusiveTimeMs, (130 * 126) / 133 - 20, 1e-9, 'inner exclusive');
    close(m.nodes[3].exclusiveTimeMs, 20, 1e-9, 'leaf exclusive');
  });
});

describe('parallel workers', () => {
  const gather = (workers: boolean, launched = 2) =>
    jplan(
      jnode('Gather', [2, 40, 300, 1], { 'Workers Planned': 2, 'Workers Launched': launched }, [
        jnode('Seq Scan', [0.01, 30, 100, 3], {
          'Parent Relationship': 'Outer', 'Parallel Aware': true, 'Relation Name': 't', 'Plan Rows': 125,
          ...(workers
            ? {
                Workers: [
                  { 'Worker Number': 0, 'Actual Startup Time': 0.02, 'Actual Total Time': 36, 'Actual Rows': 110, 'Actual Loops': 1 },
                  { 'Worker Number': 1, 'Actual Startup Time': 0.02, 'Actual Total Time': 34, 'Actual Rows': 90, 'Actual Loops': 1 },
                ],
              }
            : {}),
        }),
      ]),
      { 'Execution Time': 40.2 },
    );

  it('divides summed time by the processes when there are no per-worker figures', () => {
    const m = parsePlan(gather(false));
    const scan = m.nodes[1];
    assert.equal(scan.processes, 3);
    close(scan.inclusiveTimeMs, 30, 1e-9, 'scan inclusive (90 / 3)');
    assert.equal(scan.rowsActualTotal, 300);
    close(m.nodes[0].exclusiveTimeMs, 10, 1e-9, 'gather exclusive');
  });

  it('uses the slowest process when VERBOSE gives per-worker figures', () => {
    const m = parsePlan(gather(true));
    const scan = m.nodes[1];
    // Leader: 30 × 3 − 36 − 34 = 20 ms; workers 36 and 34: the critical path is 36 ms.
    close(scan.inclusiveTimeMs, 36, 1e-9, 'scan inclusive');
    close(m.nodes[0].exclusiveTimeMs, 4, 1e-9, 'gather exclusive');
    close(sumExclusive(m), 40, 1e-9, 'sum');
  });

  it('counts only the leader when no worker was launched', () => {
    const m = parsePlan(gather(false, 0));
    assert.equal(m.nodes[1].processes, 1);
    // 90 ms of "summed" time cannot fit a 40 ms Gather: it is scaled to fit.
    close(m.nodes[1].exclusiveTimeMs, 40, 1e-9, 'scan exclusive');
    close(m.nodes[0].exclusiveTimeMs, 0, 1e-9, 'gather exclusive');
  });

  it('counts the leader out for a Single Copy Gather', () => {
    const plan = gather(false, 1);
    (plan[0].Plan as Record<string, unknown>)['Single Copy'] = true;
    const m = parsePlan(plan);
    assert.equal(m.nodes[1].processes, 1);
  });
});

describe('CTEs and InitPlans', () => {
  it('takes a CTE scanned twice out of the scan that pulled it, never below zero', () => {
    const m = parsePlan(jplan(
      jnode('Aggregate', [20, 20, 1, 1], {}, [
        jnode('Seq Scan', [0.01, 8, 1000, 1], { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE x', 'Relation Name': 't' }),
        jnode('Merge Join', [9, 19, 1000, 1], { 'Parent Relationship': 'Outer' }, [
          jnode('CTE Scan', [0.01, 1.5, 1000, 1], { 'Parent Relationship': 'Outer', 'CTE Name': 'x', Alias: 'q' }),
          jnode('CTE Scan', [0.01, 10, 1000, 1], { 'Parent Relationship': 'Inner', 'CTE Name': 'x', Alias: 'p' }),
        ]),
      ]),
    ));
    assertNoNegative(m);
    close(m.nodes[4].exclusiveTimeMs, 2, 1e-9, 'pulling scan');
    close(m.nodes[3].exclusiveTimeMs, 1.5, 1e-9, 'other scan');
    close(m.nodes[2].exclusiveTimeMs, 7.5, 1e-9, 'join');
    close(m.nodes[0].exclusiveTimeMs, 1, 1e-9, 'aggregate');
    close(sumExclusive(m), 20, 1e-9, 'sum');
  });

  it('spreads a CTE over several scans when none can hold it alone', () => {
    const m = parsePlan(jplan(
      jnode('Append', [0, 12, 2000, 1], {}, [
        jnode('Seq Scan', [0.01, 9, 1000, 1], { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE x' }),
        jnode('CTE Scan', [0.01, 6, 1000, 1], { 'Parent Relationship': 'Member', 'CTE Name': 'x' }),
        jnode('CTE Scan', [0.01, 5, 1000, 1], { 'Parent Relationship': 'Member', 'CTE Name': 'x' }),
      ]),
    ));
    assertNoNegative(m);
    assert.deepEqual(m.nodes.map((n) => Number(n.exclusiveTimeMs?.toFixed(9))), [1, 9, 0, 2]);
    close(sumExclusive(m), 12, 1e-9, 'sum');
  });

  it('takes an InitPlan out of the descendant whose filter uses its parameter', () => {
    const m = parsePlan(jplan(
      jnode('Hash Join', [3, 20, 100, 1], {}, [
        jnode('Aggregate', [2, 2, 1, 1], { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1 (returns $0)' }, [
          jnode('Seq Scan', [0.01, 1.5, 500, 1], { 'Parent Relationship': 'Outer' }),
        ]),
        jnode('Seq Scan', [2.1, 12, 100, 1], { 'Parent Relationship': 'Outer', Filter: '((a.x)::numeric > $0)' }),
        jnode('Hash', [1, 1, 10, 1], { 'Parent Relationship': 'Inner' }),
      ]),
    ));
    assertNoNegative(m);
    close(m.nodes[3].exclusiveTimeMs, 10, 1e-9, 'filtering scan');
    close(m.nodes[0].exclusiveTimeMs, 7, 1e-9, 'join keeps its own time');
    close(sumExclusive(m), 20, 1e-9, 'sum');
  });

  it('does not confuse $1 with $10, and falls back to the owner without a reference', () => {
    const m = parsePlan(jplan(
      jnode('Result', [0, 5, 1, 1], { Output: ['$10'] }, [
        jnode('Result', [1, 1, 1, 1], { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1 (returns $1)' }),
        jnode('Seq Scan', [0, 3, 1, 1], { 'Parent Relationship': 'Outer', Filter: '(x = $10)' }),
      ]),
    ));
    close(m.nodes[2].exclusiveTimeMs, 3, 1e-9, 'scan untouched');
    close(m.nodes[0].exclusiveTimeMs, 1, 1e-9, 'owner hosts it');
  });

  it('lets a Gather host an InitPlan it evaluates for its workers', () => {
    const m = parsePlan(jplan(
      jnode('Gather', [5, 30, 10, 1], { 'Workers Planned': 2, 'Workers Launched': 2, 'Params Evaluated': '$0' }, [
        jnode('Aggregate', [4, 4, 1, 1], { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'InitPlan 1 (returns $0)' }),
        jnode('Seq Scan', [0.01, 20, 3, 3], { 'Parent Relationship': 'Outer', 'Parallel Aware': true, Filter: '(x > $0)' }),
      ]),
    ));
    close(m.nodes[2].exclusiveTimeMs, 20, 1e-9, 'parallel scan keeps its time');
    close(m.nodes[0].exclusiveTimeMs, 6, 1e-9, 'gather');
    close(sumExclusive(m), 30, 1e-9, 'sum');
  });
});

describe('buffers and estimates', () => {
  it('computes exclusive buffers with the same attribution', () => {
    const blocks = (hit: number, read: number) => ({ 'Shared Hit Blocks': hit, 'Shared Read Blocks': read, 'Temp Read Blocks': 0, 'Temp Written Blocks': 0 });
    const m = parsePlan(jplan(
      jnode('Aggregate', [0, 10, 1, 1], blocks(110, 20), [
        jnode('Seq Scan', [0, 4, 10, 1], { 'Parent Relationship': 'InitPlan', 'Subplan Name': 'CTE x', ...blocks(100, 20) }),
        jnode('CTE Scan', [0, 8, 10, 1], { 'Parent Relationship': 'Outer', 'CTE Name': 'x', ...blocks(105, 20) }),
      ]),
    ));
    assert.deepEqual(m.nodes.map((n) => n.exclusiveBuffers?.sharedHit), [5, 100, 5]);
    assert.deepEqual(m.nodes.map((n) => n.exclusiveBuffers?.sharedRead), [0, 20, 0]);
  });

  it('measures misestimates per loop, floored at one row', () => {
    assert.deepEqual(misestimate(10, 1000, 1), { factor: 100, direction: 'under' });
    assert.deepEqual(misestimate(5000, 50, 4), { factor: 100, direction: 'over' });
    assert.deepEqual(misestimate(1, 0, 1000), { factor: 1, direction: null });
    assert.deepEqual(misestimate(200, 0, 1), { factor: 200, direction: 'over' });
    assert.equal(misestimate(10, 10, 0), null);
    assert.equal(misestimate(10, null, null), null);
  });

  it('leaves time fields null without ANALYZE', () => {
    const m = parsePlan(jplan(jnode('Seq Scan', null, { 'Relation Name': 't' })));
    assert.equal(m.hasAnalyze, false);
    assert.equal(m.nodes[0].inclusiveTimeMs, null);
    assert.equal(m.nodes[0].percentOfTotal, null);
    assert.equal(m.nodes[0].rowsEstimatedTotal, 100);
    assert.equal(m.nodes[0].rowsActualTotal, null);
    assert.equal(m.nodes[0].exclusiveBuffers, null);
  });
});
