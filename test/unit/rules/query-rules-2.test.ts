/**
 * Behaviour of the second batch of query rules that fixtures cannot show: the NOT IN quick
 * fix (its text, and that it parses), the subquery depth threshold and its setting, and
 * unbounded-select being off until turned on.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser, parsePg } from '../../../server/engine/parse/pgquery';
import { Analyzer } from '../../../server/engine/analyze';
import { DEFAULT_SETTINGS, mergeSettings, sanitize } from '../../../server/engine/settings';
import { notInSubquery } from '../../../server/engine/rules/not-in-subquery';
import { deepSubqueryNesting } from '../../../server/engine/rules/deep-subquery-nesting';
import { largeInList } from '../../../server/engine/rules/large-in-list';
import { applyEdits, runRule } from './harness';

before(async () => {
  await loadParser();
});

describe('not-in-subquery quick fix', () => {
  const cases: Array<[string, string]> = [
    ['SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE status = 1)', 'SELECT id FROM customers WHERE NOT EXISTS (SELECT 1 FROM orders WHERE status = 1 AND orders.customer_id = customers.id)'],
    ['SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT o.customer_id FROM orders o)', 'SELECT c.id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)'],
    ['SELECT id FROM t WHERE x not in (select y from u where a = 1 or b = 2) AND z = 3', 'SELECT id FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE (a = 1 or b = 2) AND u.y = t.x) AND z = 3'],
    ['DELETE FROM sessions WHERE user_id NOT IN (SELECT id AS uid FROM users)', 'DELETE FROM sessions WHERE NOT EXISTS (SELECT 1 FROM users WHERE users.id = sessions.user_id)'],
    ['SELECT id FROM "Orders" WHERE "Code" NOT IN (SELECT code FROM codes)', 'SELECT id FROM "Orders" WHERE NOT EXISTS (SELECT 1 FROM codes WHERE codes.code = "Orders"."Code")'],
    ['SELECT id FROM "order" WHERE id NOT IN (SELECT order_id FROM "user")', 'SELECT id FROM "order" WHERE NOT EXISTS (SELECT 1 FROM "user" WHERE "user".order_id = "order".id)'],
    ['SELECT id FROM t WHERE $1 NOT IN (SELECT y FROM u)', 'SELECT id FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.y = $1)'],
  ];
  for (const [sql, fixed] of cases) {
    it(`${sql}  ->  ${fixed}`, () => {
      const { reports } = runRule(notInSubquery, sql);
      assert.equal(reports.length, 1);
      const fix = reports[0].fix;
      assert.ok(fix, 'offers a fix');
      assert.match(fix.title, /NOT EXISTS/);
      assert.match(fix.title, /NULL/, 'the title says where the meaning differs');
      const out = applyEdits(sql, fix.edits);
      assert.equal(out, fixed);
      const parsed = parsePg(out);
      assert.ok(parsed.ok, `the fixed SQL parses: ${out}`);
      assert.equal(runRule(notInSubquery, out).reports.length, 0, 'nothing left to report');
    });
  }

  const noFix = [
    // the outer and inner relations have the same name: x would be captured
    'SELECT id FROM t WHERE id NOT IN (SELECT parent_id FROM t)',
    // unqualified x with two outer relations: which one is it?
    'SELECT a.id FROM a JOIN b ON b.a_id = a.id WHERE x NOT IN (SELECT y FROM u)',
    // not one plain column from one relation
    'SELECT id FROM t WHERE x NOT IN (SELECT y FROM u JOIN v ON v.id = u.v_id)',
    'SELECT id FROM t WHERE x NOT IN (SELECT max(y) FROM u GROUP BY z)',
    'SELECT id FROM t WHERE x NOT IN (SELECT DISTINCT y FROM u)',
    'SELECT id FROM t WHERE x NOT IN (SELECT y FROM u LIMIT 10)',
    'SELECT id FROM t WHERE x NOT IN (SELECT y + 1 FROM u)',
    'SELECT id FROM t WHERE x NOT IN (SELECT y FROM u UNION SELECT y FROM v)',
    'SELECT id FROM t WHERE (a, b) NOT IN (SELECT a, b FROM u)',
    // NOT outside the IN: replacing the predicate would leave a double negation
    'SELECT id FROM t WHERE NOT (x IN (SELECT y FROM u))',
    // <> ALL is reported but not rewritten
    'SELECT id FROM t WHERE x <> ALL (SELECT y FROM u)',
  ];
  for (const sql of noFix) {
    it(`offers no fix for ${sql}`, () => {
      const { reports } = runRule(notInSubquery, sql);
      assert.ok(reports.length <= 1);
      for (const r of reports) assert.equal(r.fix, undefined);
    });
  }
});

describe('deep-subquery-nesting threshold', () => {
  const four = 'SELECT 1 FROM a WHERE x IN (SELECT x FROM b WHERE y IN (SELECT y FROM c WHERE z IN (SELECT z FROM d WHERE w IN (SELECT w FROM e))))';
  it('reports the fourth level by default, only the outermost subquery past the limit', () => {
    const { reports } = runRule(deepSubqueryNesting, four);
    assert.equal(reports.length, 1);
    assert.equal(reports[0].text, 'SELECT');
    assert.equal(four.indexOf('SELECT w FROM e'), reports[0].start);
    assert.match(reports[0].message, /4 levels deep \(the limit is 3\)/);
  });
  it('follows maxSubqueryDepth', () => {
    assert.equal(runRule(deepSubqueryNesting, four, { options: { maxSubqueryDepth: 4 } }).reports.length, 0);
    assert.equal(runRule(deepSubqueryNesting, four, { options: { maxSubqueryDepth: 1 } }).reports.length, 1);
  });
  it('reads thresholds.subqueryDepth from settings, and rejects a bad value', () => {
    const { settings, problems } = sanitize({ thresholds: { subqueryDepth: 5 } });
    assert.deepEqual(problems, []);
    const merged = mergeSettings(settings, {});
    assert.equal(merged.thresholds.subqueryDepth, 5);
    const quiet = new Analyzer(merged).analyze(`${four};`, 'sql').findings.filter((f) => f.rule === 'deep-subquery-nesting');
    assert.equal(quiet.length, 0);
    const loud = new Analyzer(DEFAULT_SETTINGS).analyze(`${four};`, 'sql').findings.filter((f) => f.rule === 'deep-subquery-nesting');
    assert.equal(loud.length, 1);
    assert.match(sanitize({ thresholds: { subqueryDepth: 0 } }).problems.join(), /thresholds\.subqueryDepth must be a positive number/);
  });
});

describe('unbounded-select is opt-in', () => {
  const sql = 'SELECT id, email FROM users;';
  it('is silent with the default settings', () => {
    assert.equal(new Analyzer(DEFAULT_SETTINGS).analyze(sql, 'sql').findings.filter((f) => f.rule === 'unbounded-select').length, 0);
  });
  it('reports the table once turned on', () => {
    const findings = new Analyzer({ ...DEFAULT_SETTINGS, rules: { 'unbounded-select': 'warning' } }).analyze(sql, 'sql').findings;
    const mine = findings.filter((f) => f.rule === 'unbounded-select');
    assert.equal(mine.length, 1);
    assert.equal(sql.slice(mine[0].start, mine[0].end), 'users');
  });
});

describe('large-in-list boundary', () => {
  const list = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(', ');
  it('reports 101 values, not 100', () => {
    assert.equal(runRule(largeInList, `SELECT 1 FROM t WHERE id IN (${list(100)})`).reports.length, 0);
    const { reports } = runRule(largeInList, `SELECT 1 FROM t WHERE id IN (${list(101)})`);
    assert.equal(reports.length, 1);
    assert.match(reports[0].message, /101 values/);
  });
});
