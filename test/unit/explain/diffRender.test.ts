import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffPlans, parsePlan, renderPlanText, toJson } from '../../../src/explain';
import { jnode, jplan } from './helpers';

const before = parsePlan(jplan(
  jnode('Hash Join', [5, 60, 100, 1], { 'Total Cost': 5000 }, [
    jnode('Seq Scan', [0.01, 50, 100, 1], {
      'Parent Relationship': 'Outer', 'Relation Name': 'orders', Alias: 'o', 'Total Cost': 4000, 'Rows Removed by Filter': 99900, 'Plan Rows': 10,
    }),
    jnode('Hash', [4, 4, 10, 1], { 'Parent Relationship': 'Inner' }, [
      jnode('Seq Scan', [0.01, 3, 10, 1], { 'Parent Relationship': 'Outer', 'Relation Name': 'customers', Alias: 'c' }),
    ]),
  ]),
  { 'Execution Time': 61, 'Planning Time': 0.2 },
));

const after = parsePlan(jplan(
  jnode('Hash Join', [4, 9, 100, 1], { 'Total Cost': 600 }, [
    jnode('Bitmap Heap Scan', [0.5, 4, 100, 1], { 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Alias: 'o', 'Total Cost': 300 }, [
      jnode('Bitmap Index Scan', [0.4, 0.4, 100, 1], { 'Parent Relationship': 'Outer', 'Index Name': 'orders_customer_idx' }),
    ]),
    jnode('Hash', [4, 4, 10, 1], { 'Parent Relationship': 'Inner' }, [
      jnode('Seq Scan', [0.01, 3, 10, 1], { 'Parent Relationship': 'Outer', 'Relation Name': 'customers', Alias: 'c' }),
    ]),
  ]),
  { 'Execution Time': 10, 'Planning Time': 0.3 },
));

describe('diffPlans', () => {
  it('matches nodes, reports the scan that changed type and a faster verdict', () => {
    const d = diffPlans(before, after);
    assert.equal(d.verdict?.outcome, 'faster');
    assert.equal(d.verdict?.basis, 'execution-time');
    assert.ok(Math.abs((d.verdict?.ratio ?? 0) - 6.1) < 1e-9);
    const scan = d.matches.find((m) => m.beforeId === 1);
    assert.equal(scan?.afterId, 1);
    assert.equal(scan?.matchedBy, 'relation');
    assert.deepEqual(scan?.nodeType, { before: 'Seq Scan', after: 'Bitmap Heap Scan' });
    assert.ok((scan?.time?.ratio ?? 0) > 10);
    assert.deepEqual(scan?.cost, { before: 4000, after: 300 });
    const join = d.matches.find((m) => m.beforeId === 0);
    assert.equal(join?.matchedBy, 'path');
    assert.equal(join?.nodeType, null);
    assert.deepEqual(d.unmatchedBefore, []);
    assert.deepEqual(d.unmatchedAfter, [2]);
    assert.equal(d.matches.length, 4);
  });

  it('judges by total cost without execution times, and calls small changes the same', () => {
    const costOnly = (cost: number) => parsePlan(jplan(jnode('Seq Scan', null, { 'Relation Name': 't', 'Total Cost': cost })));
    const slower = diffPlans(costOnly(100), costOnly(250));
    assert.equal(slower.verdict?.basis, 'total-cost');
    assert.equal(slower.verdict?.outcome, 'slower');
    assert.equal(diffPlans(costOnly(100), costOnly(105)).verdict?.outcome, 'same');
    assert.equal(diffPlans(before, before).verdict?.outcome, 'same');
  });

  it('matches a join that changed method in the same place', () => {
    const a = parsePlan(jplan(jnode('Hash Join', null, {}, [jnode('Seq Scan', null, { 'Parent Relationship': 'Outer' })])));
    const b = parsePlan(jplan(jnode('Merge Join', null, {}, [jnode('Seq Scan', null, { 'Parent Relationship': 'Outer' })])));
    const d = diffPlans(a, b);
    assert.equal(d.matches.find((m) => m.beforeId === 0)?.matchedBy, 'position');
    assert.deepEqual(d.matches.find((m) => m.beforeId === 0)?.nodeType, { before: 'Hash Join', after: 'Merge Join' });
  });
});

describe('renderPlanText', () => {
  it('draws the tree with exclusive times, misestimates, the heaviest nodes and the tips', () => {
    const text = renderPlanText(before);
    const lines = text.split('\n');
    assert.match(lines[0], /execution 61\.000 ms · planning 0\.200 ms · total cost 5000\.00/);
    assert.match(lines[1], /^Hash Join {2}6\.000 ms \(9\.8%\) {2}rows 100\/100 {2}◀ #2 heaviest$/);
    assert.match(lines[2], /^ {2}-> Seq Scan on orders o {2}50\.000 ms \(82\.0%\) {2}rows 100\/10 ↑10\.0× {2}◀ #1 heaviest$/);
    assert.match(lines[3], /^ {2}-> Hash {2}1\.000 ms \(1\.6%\) {2}rows 10\/10$/);
    assert.match(lines[4], /^ {4}-> Seq Scan on customers c {2}3\.000 ms \(4\.9%\) {2}rows 10\/10 {2}◀ #3 heaviest$/);
    assert.match(text, /Tips:\n {2}\[\d\.\d\] index-potential \(node 1\)/);
  });

  it('marks over-estimates with ↓ and renders cost-only plans', () => {
    const m = parsePlan(jplan(jnode('Seq Scan', [0, 1, 10, 1], { 'Plan Rows': 5000, 'Relation Name': 't' })));
    assert.match(renderPlanText(m), /rows 10\/5,000 ↓500×/);
    const cost = parsePlan(jplan(jnode('Seq Scan', null, { 'Relation Name': 't', 'Total Cost': 35.5 })));
    assert.equal(renderPlanText(cost), 'total cost 35.50\nSeq Scan on t  cost 35.50  est rows 100\n');
  });
});

describe('toJson', () => {
  it('has exactly the agreed shape', () => {
    const j = toJson(before);
    assert.deepEqual(Object.keys(j), ['planningTimeMs', 'executionTimeMs', 'totalCost', 'nodes', 'tips']);
    assert.deepEqual(Object.keys(j.nodes[0]), [
      'id', 'parentId', 'nodeType', 'relation', 'index', 'inclusiveTimeMs', 'exclusiveTimeMs', 'percentOfTotal', 'rowsEstimated',
      'rowsActual', 'loops', 'misestimateFactor', 'rowsRemovedByFilter', 'buffers',
    ]);
    assert.deepEqual(j.nodes[1], {
      id: 1, parentId: 0, nodeType: 'Seq Scan', relation: 'orders', index: null, inclusiveTimeMs: 50, exclusiveTimeMs: 50,
      percentOfTotal: 81.967, rowsEstimated: 10, rowsActual: 100, loops: 1, misestimateFactor: 10, rowsRemovedByFilter: 99900, buffers: null,
    });
    assert.ok(j.tips.length > 0);
    assert.deepEqual(Object.keys(j.tips[0]), ['id', 'nodeId', 'score', 'title', 'detail']);
    // Round-trips through JSON.stringify (no Infinity/NaN/undefined).
    assert.deepEqual(JSON.parse(JSON.stringify(j)), j);
  });

  it('has null times without ANALYZE', () => {
    const j = toJson(parsePlan(jplan(jnode('Seq Scan', null, { 'Relation Name': 't', 'Shared Hit Blocks': 3 }))));
    assert.equal(j.executionTimeMs, null);
    assert.equal(j.nodes[0].inclusiveTimeMs, null);
    assert.equal(j.nodes[0].exclusiveTimeMs, null);
    assert.equal(j.nodes[0].percentOfTotal, null);
    assert.equal(j.nodes[0].loops, null);
    assert.deepEqual(j.nodes[0].buffers, { sharedHit: 3, sharedRead: 0, tempRead: 0, tempWritten: 0 });
  });
});
