/** Per-node figures of the panel (media/plan/metrics.ts) and the panel payload. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { edgeWidths, exclusiveCosts, heatLevels, heaviestNode, metricText, misestimateArrow, nodeTitle, planStats, searchNodes, sortNodes } from '../../../media/plan/metrics';
import { parsePlan } from '../../../src/explain';
import { buildPayload, runTitle } from '../../../src/panels/payload';
import { parseWebviewMessage } from '../../../src/panels/protocol';
import { joinPlan, node, plan } from './plans';

const analyzed = () =>
  parsePlan(
    plan(
      node('Hash Join', { 'Total Cost': 100, 'Actual Total Time': 10, 'Actual Rows': 50, 'Actual Loops': 1, 'Plan Rows': 50 }, [
        node('Seq Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Schema: 'shop', Alias: 'o', 'Total Cost': 60, 'Actual Total Time': 7, 'Actual Rows': 5000, 'Plan Rows': 10, 'Actual Loops': 1, 'Shared Hit Blocks': 10, 'Shared Read Blocks': 90 }),
        node('Hash', { 'Parent Relationship': 'Inner', 'Total Cost': 20, 'Actual Total Time': 1, 'Actual Rows': 10, 'Plan Rows': 10, 'Actual Loops': 1 }, [
          node('Index Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'customers', Alias: 'c', 'Index Name': 'customers_pkey', 'Total Cost': 15, 'Actual Total Time': 0.9, 'Actual Rows': 10, 'Plan Rows': 1000, 'Actual Loops': 1 }),
        ]),
      ]),
      { 'Execution Time': 10.5, 'Planning Time': 0.2 },
    ),
  );

describe('panel metrics', () => {
  it('exclusive cost is the total minus the children\'s, never negative', () => {
    const m = parsePlan(joinPlan());
    const c = exclusiveCosts(m);
    assert.deepEqual(c, [1, 49, 50, 50, 300, 10, 40]);
  });

  it('marks the heaviest node by exclusive time, or by exclusive cost without timing', () => {
    const m = analyzed();
    assert.equal(heaviestNode(m), 1);
    assert.equal(heaviestNode(parsePlan(joinPlan())), 4);
  });

  it('heat: additive metrics by share of the sum, rows by share of the largest', () => {
    assert.deepEqual([...heatLevels([70, 20, 9, 1, 0, null], 'time')], [5, 3, 2, 1, 0, 0]);
    assert.deepEqual([...heatLevels([1000, 500, 10], 'rows')], [5, 5, 1]);
    assert.deepEqual([...heatLevels([null, null], 'buffers')], [0, 0]);
    const w = edgeWidths(analyzed());
    assert.equal(w[1], 6, 'the widest edge carries the most rows');
    assert.ok(w[3] < w[1]);
  });

  it('titles, misestimate arrows and metric texts', () => {
    const m = analyzed();
    assert.deepEqual(nodeTitle(m.nodes[1]), { title: 'Seq Scan', object: 'orders o' });
    assert.deepEqual(nodeTitle(m.nodes[3]), { title: 'Index Scan', object: 'customers c using customers_pkey' });
    assert.equal(misestimateArrow(m.nodes[1]), '↑ 500×');
    assert.equal(misestimateArrow(m.nodes[3]), '↓ 100×');
    assert.equal(misestimateArrow(m.nodes[0]), '');
    assert.match(metricText(m.nodes[1], 'time', exclusiveCosts(m)), /^7\.000 ms · \d+%$/);
    assert.equal(metricText(m.nodes[1], 'buffers', exclusiveCosts(m)), '100 buffers');
  });

  it('sorts by any column with nulls last, ties by plan order', () => {
    const m = analyzed();
    assert.deepEqual(sortNodes(m, 'exclusiveTime', 'desc'), [1, 0, 3, 2]);
    assert.deepEqual(sortNodes(m, 'buffersRead', 'desc'), [1, 0, 2, 3].filter((id) => m.nodes[id].exclusiveBuffers !== null).concat([0, 2, 3].filter((id) => m.nodes[id].exclusiveBuffers === null)));
    assert.deepEqual(sortNodes(m, 'misestimate', 'desc').slice(0, 1), [1]);
    assert.deepEqual(sortNodes(m, 'node', 'asc').map((id) => m.nodes[id].nodeType), ['Hash', 'Hash Join', 'Index Scan', 'Seq Scan']);
  });

  it('searches by table, index and node type', () => {
    const m = analyzed();
    assert.deepEqual(searchNodes(m, 'ORDERS'), [1]);
    assert.deepEqual(searchNodes(m, 'shop.orders', 'table'), [1]);
    assert.deepEqual(searchNodes(m, 'pkey', 'index'), [3]);
    assert.deepEqual(searchNodes(m, 'pkey', 'table'), []);
    assert.deepEqual(searchNodes(m, 'hash', 'type'), [0, 2]);
    assert.deepEqual(searchNodes(m, '  '), []);
  });

  it('groups time and buffers by table, index and node type', () => {
    const s = planStats(analyzed());
    assert.equal(s.byTable[0].key, 'shop.orders');
    assert.equal(s.byTable[0].sharedRead, 90);
    assert.ok(s.byTable[0].percent! > 50);
    assert.deepEqual(s.byIndex.map((r) => r.key), ['customers_pkey']);
    assert.equal(s.byNodeType.length, 4);
  });

  it('builds the panel payload: model, tips by score, text, raw', () => {
    const p = buildPayload({ id: 'x', title: 't', statement: 'SELECT 1', plan: joinPlan(), target: 'embedded database', createdAt: 0, sourceLinked: true });
    assert.equal(p.model.nodes.length, 7);
    assert.equal(p.rawKind, 'json');
    assert.match(p.text, /Limit/);
    assert.deepEqual(p.tips.map((t) => t.score), [...p.tips.map((t) => t.score)].sort((a, b) => b - a));
    assert.equal(p.analyzed, false);
    const t = buildPayload({ id: 'y', title: 't', statement: null, plan: 'Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)', target: null, createdAt: 0, sourceLinked: false });
    assert.equal(t.rawKind, 'text');
    assert.match(runTitle(true, 'prod', Date.UTC(2025, 0, 1, 3, 4, 5)), /^EXPLAIN ANALYZE · prod · \d\d:04:05$/);
  });

  it('validates messages from the webview', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'selectNode', planId: 'a', nodeId: 3 }), { type: 'selectNode', planId: 'a', nodeId: 3 });
    assert.equal(parseWebviewMessage({ type: 'selectNode', planId: 'a', nodeId: -1 }), null);
    assert.equal(parseWebviewMessage({ type: 'selectNode', planId: 'a', nodeId: '3' }), null);
    assert.equal(parseWebviewMessage({ type: 'command', command: 'workbench.action.terminal.new' }), null);
    assert.deepEqual(parseWebviewMessage({ type: 'command', command: 'comparePlans' }), { type: 'command', command: 'comparePlans' });
    assert.deepEqual(parseWebviewMessage({ type: 'export', themeVars: { '--vscode-a': '#fff', b: 3 }, themeKind: 'vscode-dark' }), { type: 'export', themeVars: { '--vscode-a': '#fff' }, themeKind: 'vscode-dark' });
    assert.equal(parseWebviewMessage('ready'), null);
    assert.equal(parseWebviewMessage({ type: 'nope' }), null);
  });
});
