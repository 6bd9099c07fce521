import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan, PlanParseError } from '../../../src/explain';
import { fixture, jnode, jplan } from './helpers';

const PLAN = jplan(
  jnode('Aggregate', [5, 5, 1, 1], { Strategy: 'Hashed', 'Partial Mode': 'Finalize' }, [
    jnode('Seq Scan', [0.01, 4, 10, 1], {
      'Parent Relationship': 'Outer', 'Parallel Aware': true, 'Relation Name': 't', Schema: 'public', Alias: 't1',
      Output: ['t1.a', 't1.b'], Filter: '(t1.a > 1)', 'Rows Removed by Filter': 90,
    }),
  ]),
  { 'Planning Time': 0.1, 'Execution Time': 5.2, Triggers: [] },
);

describe('JSON format', () => {
  it('accepts the array, its first element, a JSON string, psql + output and driver rows alike', () => {
    const text = JSON.stringify(PLAN, null, 2);
    const psql = [
      '                 QUERY PLAN                 ',
      '--------------------------------------------',
      ...text.split('\n').map((l, i, all) => ` ${l.padEnd(43)}${i < all.length - 1 ? '+' : ''}`),
      '(1 row)',
      '',
    ].join('\n');
    const inputs: unknown[] = [
      PLAN, PLAN[0], text, `  \n${text}\n  `, psql, JSON.stringify(text), [{ 'QUERY PLAN': PLAN }], { rows: [{ 'QUERY PLAN': PLAN }] },
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT 1;\n${text}\nTime: 6.1 ms`,
      JSON.stringify([{ 'QUERY PLAN': PLAN }]),
    ];
    for (const input of inputs) {
      const m = parsePlan(input);
      assert.equal(m.source, 'json');
      assert.deepEqual(m.nodes.map((n) => n.nodeType), ['Finalize HashAggregate', 'Parallel Seq Scan']);
      assert.equal(m.nodes[1].alias, 't1');
      assert.equal(m.nodes[1].properties.Output, 't1.a, t1.b');
      assert.equal(m.nodes[1].properties.Filter, '(t1.a > 1)');
      assert.equal(m.executionTimeMs, 5.2);
    }
  });

  it('accepts a bare plan node', () => {
    const m = parsePlan(jnode('Result', [0, 0.01, 1, 1]));
    assert.equal(m.nodes[0].nodeType, 'Result');
  });

  it('composes the text-format names', () => {
    const m = parsePlan(jplan(
      jnode('Nested Loop', null, { 'Join Type': 'Left' }, [
        jnode('ModifyTable', null, { Operation: 'Update', 'Relation Name': 't', 'Parent Relationship': 'Outer' }),
        jnode('SetOp', null, { Strategy: 'Sorted', Command: 'Intersect', 'Parent Relationship': 'Inner' }),
        jnode('Index Scan', null, { 'Scan Direction': 'Backward', 'Index Name': 'i', 'Relation Name': 't', 'Parent Relationship': 'Member' }),
        jnode('Custom Scan', null, { 'Custom Plan Provider': 'Citus Adaptive', 'Parent Relationship': 'Member' }),
      ]),
    ));
    assert.deepEqual(m.nodes.map((n) => n.nodeType), ['Nested Loop Left Join', 'Update', 'SetOp Intersect', 'Index Scan', 'Custom Scan (Citus Adaptive)']);
    assert.equal(m.nodes[3].scanDirection, 'Backward');
  });

  it('keeps going when fields are missing or mistyped, and says so', () => {
    const m = parsePlan([{
      Plan: {
        'Actual Total Time': 'fast',
        'Plan Rows': '12',
        Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 5 }, 'oops', { 'Node Type': 'Sort', Plans: { not: 'an array' } }],
      },
    }]);
    assert.equal(m.nodes.length, 3);
    assert.equal(m.nodes[0].nodeType, 'Unknown');
    assert.equal(m.nodes[0].planRows, 12);
    assert.equal(m.nodes[0].actualTotalTimeMs, null);
    assert.equal(m.nodes[1].relation, null);
    assert.equal(m.hasTiming, false);
    assert.equal(m.warnings.length, 3);
    assert.match(m.warnings.join('\n'), /no "Node Type"/);
    assert.match(m.warnings.join('\n'), /not a plan node/);
    assert.match(m.warnings.join('\n'), /not an array/);
  });

  it('survives an object graph with a cycle', () => {
    const root = jnode('Limit', [0, 1, 1, 1]);
    root.Plans = [root];
    const m = parsePlan({ Plan: root });
    assert.equal(m.nodes.length, 1);
    assert.match(m.warnings.join('\n'), /cycle/);
  });

  it('rejects JSON that is not an EXPLAIN plan, naming what it found', () => {
    const mysql = { query_block: { select_id: 1, cost_info: { query_cost: '1.00' }, table: { table_name: 't' } } };
    assert.throws(() => parsePlan(mysql), (e: unknown) => e instanceof PlanParseError && /"query_block"/.test(e.message) && /"Plan"/.test(e.message));
    assert.throws(() => parsePlan('[]'), /empty array/);
    assert.throws(() => parsePlan([{ Plan: 'x' }]), /"Plan" to be an object/);
    assert.throws(() => parsePlan('[1, 2]'), /got a number/);
    assert.throws(() => parsePlan(42), PlanParseError);
    assert.throws(() => parsePlan(null), PlanParseError);
    assert.throws(() => parsePlan(''), /empty string/);
  });

  it('reads triggers, settings and the query identifier', () => {
    const m = parsePlan(jplan(jnode('ModifyTable', [0, 2, 0, 1], { Operation: 'Insert', 'Relation Name': 't' }), {
      Settings: { work_mem: '64kB' },
      'Query Identifier': -123456789,
      Triggers: [{ 'Trigger Name': 'RI_ConstraintTrigger_c_1', 'Constraint Name': 't_u_fk', Relation: 't', Time: 1.5, Calls: 3 }],
      'Execution Time': 4,
    }));
    assert.equal(m.nodes[0].nodeType, 'Insert');
    assert.deepEqual(m.settings, { work_mem: '64kB' });
    assert.equal(m.queryIdentifier, '-123456789');
    assert.deepEqual(m.triggers, [{ name: 'RI_ConstraintTrigger_c_1', constraintName: 't_u_fk', relation: 't', timeMs: 1.5, calls: 3 }]);
    // AFTER triggers run after the last row: in Execution Time, in no node.
    assert.equal(m.unattributedTimeMs, 2);
  });

  it('reads PostgreSQL 17 JSON extras', () => {
    const m = parsePlan(fixture('pg17-serialize.json'));
    assert.equal(m.nodes[1].subplanName, 'InitPlan 1');
    assert.equal(m.nodes[0].io?.sharedReadMs, 0.21);
    assert.equal(m.jit?.generationMs, 0.345);
  });
});
