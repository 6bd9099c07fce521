/**
 * The complexity score: each factor, the breakdown, and the rule's threshold and hover.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser, parsePg } from '../../../server/engine/parse/pgquery';
import { extractFacts } from '../../../server/engine/facts';
import { COMPLEXITY_WEIGHTS, complexityMarkdown, complexitySummary, scoreComplexity } from '../../../server/engine/complexity';
import { complexity } from '../../../server/engine/rules/complexity';
import { runRule } from './harness';

before(async () => {
  await loadParser();
});

function score(sql: string) {
  const r = parsePg(sql);
  assert.ok(r.ok, sql);
  return scoreComplexity(extractFacts(r.stmts[0].stmt, sql));
}

function points(sql: string): Record<string, [number, number]> {
  return Object.fromEntries(score(sql).items.map((i) => [i.factor, [i.count, i.points]]));
}

const BIG = `SELECT c.id, c.name,
       (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS order_count,
       rank() OVER (ORDER BY sum(i.qty) DESC) AS rnk
FROM customers c
JOIN orders o2 ON o2.customer_id = c.id
JOIN order_items i ON i.order_id = o2.id
JOIN products p ON p.id = i.product_id
WHERE (c.region = 'EU' OR c.region = 'UK' OR c.vip)
  AND c.id IN (SELECT customer_id FROM payments WHERE amount > (SELECT avg(amount) FROM payments))
GROUP BY c.id, c.name`;

describe('scoreComplexity', () => {
  it('scores nothing for a simple lookup', () => {
    assert.deepEqual(score('SELECT id FROM t WHERE id = $1'), { total: 0, items: [], truncated: false });
  });

  it('breaks the documented example down factor by factor', () => {
    assert.deepEqual(points(BIG), {
      joins: [3, 6],
      subqueries: [3, 3 + 3 + 6],
      correlated: [1, 4],
      aggregates: [3, 3],
      windows: [1, 2],
      or: [2, 2],
    });
    assert.equal(score(BIG).total, 29);
  });

  it('weights subqueries by depth and counts correlation once per subquery', () => {
    const sql = 'SELECT 1 FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x = a.x AND EXISTS (SELECT 1 FROM c WHERE c.y = b.y))';
    assert.deepEqual(points(sql), { subqueries: [2, COMPLEXITY_WEIGHTS.subqueryPerDepth * 3], correlated: [2, 2 * COMPLEXITY_WEIGHTS.correlated] });
  });

  it('counts comma joins, set operations, CTEs and recursion', () => {
    const sql = `WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5), s AS (SELECT 2)
      SELECT n FROM r, s UNION SELECT 3 EXCEPT SELECT 4`;
    assert.deepEqual(points(sql), {
      joins: [1, 2],
      setOperations: [3, 9],
      ctes: [2, 4],
      recursive: [1, 4],
    });
  });

  it('renders a markdown breakdown and a summary', () => {
    const s = score(BIG);
    const md = complexityMarkdown(s, 25);
    assert.match(md, /^\*\*Complexity 29\*\* \(threshold 25\)/);
    assert.match(md, /\| joins \(2 each\) \| 3 \| 6 \|/);
    assert.match(md, /\| \*\*total\*\* \| \| \*\*29\*\* \|/);
    assert.equal(complexitySummary(s), '3 joins, 3 subqueries (1 correlated), 3 aggregates, 1 window function, 2 extra OR branches');
    assert.match(complexityMarkdown(score('SELECT 1')), /Nothing to score/);
  });

  it('says when the statement was too deep to score entirely', () => {
    const sql = 'SELECT ' + Array(700).fill('1').join('+');
    const s = score(sql);
    assert.equal(s.truncated, true);
    assert.match(complexityMarkdown(s), /nested deeper/);
  });
});

describe('complexity rule', () => {
  it('reports above the threshold, on the first keyword, with the breakdown as detail', () => {
    const { reports } = runRule(complexity, BIG);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].text, 'SELECT');
    assert.match(reports[0].message, /^Complexity 29 \(threshold 25\): 3 joins/);
    assert.equal(reports[0].detail, complexityMarkdown(score(BIG), 25));
  });

  it('follows options.complexityThreshold', () => {
    assert.equal(runRule(complexity, BIG, { options: { complexityThreshold: 29 } }).reports.length, 0);
    assert.equal(runRule(complexity, BIG, { options: { complexityThreshold: 28 } }).reports.length, 1);
    assert.equal(runRule(complexity, 'SELECT a FROM t JOIN u ON u.id = t.id', { options: { complexityThreshold: 1 } }).reports.length, 1);
  });

  it('does not score DDL', () => {
    assert.equal(runRule(complexity, 'CREATE TABLE t (a int)', { options: { complexityThreshold: 0 } }).reports.length, 0);
  });
});
