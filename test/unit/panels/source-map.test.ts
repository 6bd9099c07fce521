/** Plan node -> SQL range and back (src/panels/source-map.ts). */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { parsePlan } from '../../../src/explain';
import { mapPlanToSource, nodeAtOffset, type SourceMap } from '../../../src/panels/source-map';
import { JOIN_SQL, joinPlan, node, plan } from './plans';

const text = (sql: string, map: SourceMap, id: number) => {
  const s = map[id];
  assert.ok(s, `node ${id} has a source`);
  return sql.slice(s.primary.start, s.primary.end);
};

describe('plan nodes -> SQL', () => {
  before(async () => {
    await loadParser();
  });

  it('maps scans to FROM items, the join to JOIN ... ON, sort, group, limit', () => {
    const model = parsePlan(joinPlan());
    const map = mapPlanToSource(model, JOIN_SQL);
    const byType = (t: string, rel?: string) => model.nodes.find((n) => n.nodeType === t && (rel === undefined || n.relation === rel))!.id;
    assert.equal(text(JOIN_SQL, map, byType('Limit')), 'LIMIT 5');
    assert.equal(text(JOIN_SQL, map, byType('Sort')), 'ORDER BY 2');
    assert.equal(text(JOIN_SQL, map, byType('HashAggregate')), 'GROUP BY c.name');
    assert.equal(text(JOIN_SQL, map, byType('Hash Join')), 'JOIN orders o ON o.customer_id = c.id');
    assert.equal(text(JOIN_SQL, map, byType('Seq Scan', 'orders')), 'orders o');
    assert.equal(text(JOIN_SQL, map, byType('Seq Scan', 'customers')), 'customers c');
    // the scan with a Filter also highlights its WHERE predicate
    const o = map[byType('Seq Scan', 'orders')]!;
    assert.deepEqual(o.extra.map((r) => JOIN_SQL.slice(r.start, r.end)), ['o.total > 10']);
    // the Hash serves its join
    const hash = map[byType('Hash')]!;
    assert.equal(hash.inherited, true);
    assert.equal(JOIN_SQL.slice(hash.primary.start, hash.primary.end), 'JOIN orders o ON o.customer_id = c.id');
  });

  it('maps the cursor back to the most specific node', () => {
    const model = parsePlan(joinPlan());
    const map = mapPlanToSource(model, JOIN_SQL);
    const at = (needle: string, d = 1) => nodeAtOffset(map, JOIN_SQL.indexOf(needle) + d);
    const type = (id: number | null) => (id === null ? null : `${model.nodes[id].nodeType}${model.nodes[id].relation ? ` ${model.nodes[id].relation}` : ''}`);
    assert.equal(type(at('customers c')), 'Seq Scan customers');
    assert.equal(type(at('orders o')), 'Seq Scan orders', 'the FROM item inside the JOIN clause wins over the clause');
    assert.equal(type(at('o.customer_id')), 'Hash Join');
    assert.equal(type(at('o.total > 10')), 'Seq Scan orders', 'a filter predicate leads to the scan that applies it');
    assert.equal(type(at('GROUP')), 'HashAggregate');
    assert.equal(type(at('ORDER')), 'Sort');
    assert.equal(type(at('LIMIT')), 'Limit');
    assert.equal(type(at('SELECT', 0)), null);
  });

  it('finds implicit joins in WHERE, repeated tables by EXPLAIN\'s alias_N, writes, and :name parameters', () => {
    const sql = 'SELECT * FROM orders, orders o2 WHERE orders.id = o2.id AND orders.customer_id = :cid';
    const model = parsePlan(
      plan(
        node('Nested Loop', { 'Join Type': 'Inner' }, [
          node('Seq Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Alias: 'orders', Filter: '(customer_id = $1)' }),
          node('Index Scan', { 'Parent Relationship': 'Inner', 'Relation Name': 'orders', Alias: 'o2', 'Index Name': 'orders_pkey' }),
        ]),
      ),
    );
    const map = mapPlanToSource(model, sql);
    assert.equal(text(sql, map, 0), 'orders.id = o2.id');
    assert.equal(text(sql, map, 1), 'orders');
    assert.equal(sql.slice(map[1]!.primary.start - 5, map[1]!.primary.end), 'FROM orders');
    assert.equal(text(sql, map, 2), 'orders o2');
    assert.deepEqual(map[1]!.extra.map((r) => sql.slice(r.start, r.end)), ['orders.customer_id = :cid']);

    const upd = 'UPDATE orders SET total = 0 WHERE id = 1';
    const m2 = parsePlan(plan(node('ModifyTable', { Operation: 'Update', 'Relation Name': 'orders', Alias: 'orders' }, [node('Index Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Alias: 'orders', 'Index Name': 'orders_pkey' })])));
    const map2 = mapPlanToSource(m2, upd);
    assert.equal(text(upd, map2, 0), 'UPDATE orders');
    assert.equal(text(upd, map2, 1), 'orders');
  });

  it('falls back to finding names in the text when the statement does not parse', () => {
    const sql = 'SELECT * FROM "Weird Table" w WHERE w.x = {{param}}';
    const model = parsePlan(plan(node('Seq Scan', { 'Relation Name': 'Weird Table', Alias: 'w' })));
    const map = mapPlanToSource(model, sql);
    assert.equal(text(sql, map, 0), '"Weird Table"');
  });

  it('maps a CTE scan to its FROM item and the CTE body, a semi join to its subquery', () => {
    const sql = 'WITH recent AS (SELECT * FROM orders WHERE id > 10) SELECT * FROM recent r WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = r.id)';
    const model = parsePlan(
      plan(
        node('Hash Join', { 'Join Type': 'Semi' }, [
          node('CTE Scan', { 'Parent Relationship': 'Outer', 'CTE Name': 'recent', Alias: 'r' }),
          node('Hash', { 'Parent Relationship': 'Inner' }, [node('Seq Scan', { 'Parent Relationship': 'Outer', 'Relation Name': 'customers', Alias: 'c' })]),
        ]),
      ),
    );
    const map = mapPlanToSource(model, sql);
    assert.equal(text(sql, map, 1), 'recent r');
    assert.ok(map[1]!.extra.some((r) => sql.slice(r.start, r.end).startsWith('SELECT * FROM orders')));
    assert.equal(text(sql, map, 0), 'c.id = r.id');
  });
});
