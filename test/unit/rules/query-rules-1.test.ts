/**
 * Query rules of the catalogue's first batch (or-across-columns, or-chain-to-in,
 * in-subquery-prefer-exists, correlated-subquery-in-select, update-from-without-join-condition,
 * natural-join, redundant-distinct, union-instead-of-union-all): their quick fixes give SQL
 * that PostgreSQL's parser accepts and that means what the fix says, and the behaviour
 * fixtures cannot show (messages, the facts they rely on).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { extractFacts } from '../../../server/engine/facts';
import { orChainToIn } from '../../../server/engine/rules/or-chain-to-in';
import { orAcrossColumns } from '../../../server/engine/rules/or-across-columns';
import { unionInsteadOfUnionAll } from '../../../server/engine/rules/union-instead-of-union-all';
import { redundantDistinct } from '../../../server/engine/rules/redundant-distinct';
import { correlatedSubqueryInSelect } from '../../../server/engine/rules/correlated-subquery-in-select';
import { inSubqueryPreferExists } from '../../../server/engine/rules/in-subquery-prefer-exists';
import { updateFromWithoutJoinCondition } from '../../../server/engine/rules/update-from-without-join-condition';
import { naturalJoin } from '../../../server/engine/rules/natural-join';
import { fixAll, parses, runRule } from './harness';

before(async () => {
  await loadParser();
});

/** Every `x IN (...)` test of the statement, as (column, number of values). */
function inLists(sql: string): Array<[string, number]> {
  const facts = extractFacts(parses(sql), sql);
  return facts.predicates
    .filter((p) => p.kind === 'in-list' && !p.negated)
    .map((p) => [sql.slice(p.left.span.start, p.left.span.end), sql.slice(p.right!.span.start, p.right!.span.end).split(',').length]);
}

describe('or-chain-to-in fix', () => {
  const cases: Array<[string, string]> = [
    ["SELECT id FROM orders WHERE status = 'new' OR status = 'paid' OR status = 'shipped'", "SELECT id FROM orders WHERE status IN ('new', 'paid', 'shipped')"],
    ['SELECT 1 FROM t WHERE a > 1 AND (t.x = $1 OR t.x = $2)', 'SELECT 1 FROM t WHERE a > 1 AND (t.x IN ($1, $2))'],
    ['SELECT 1 FROM t WHERE (x = 1) OR (x = 2)', 'SELECT 1 FROM t WHERE x IN (1, 2)'],
    ['DELETE FROM events WHERE NOT (kind IN (1, 2) OR 3 = kind)', 'DELETE FROM events WHERE NOT (kind IN (1, 2, 3))'],
    ["SELECT CASE WHEN code = 'EUR' OR code = 'CHF' THEN 1 END FROM c", "SELECT CASE WHEN code IN ('EUR', 'CHF') THEN 1 END FROM c"],
    ["SELECT 1 FROM t WHERE \"Ünïcode\" = 'ä'::text OR \"Ünïcode\" = 'ö'", "SELECT 1 FROM t WHERE \"Ünïcode\" IN ('ä'::text, 'ö')"],
    ['UPDATE t SET a = 1 WHERE b = -1 OR b = 2 OR c = 3', 'UPDATE t SET a = 1 WHERE b = -1 OR b = 2 OR c = 3'],
  ];
  for (const [sql, expected] of cases) {
    it(`${sql}  ->  ${expected}`, () => {
      if (sql === expected) {
        assert.equal(runRule(orChainToIn, sql).reports.length, 0, 'mixed columns are not a chain');
        return;
      }
      const fixed = fixAll(orChainToIn, sql);
      assert.equal(fixed, expected);
      parses(fixed);
      assert.equal(runRule(orChainToIn, fixed).reports.length, 0, 'nothing left to report');
    });
  }

  it('keeps every value: the IN list has one entry per former branch value', () => {
    const fixed = fixAll(orChainToIn, 'SELECT 1 FROM t WHERE x = 1 OR x IN (2, 3) OR x = $1');
    assert.deepEqual(inLists(fixed), [['x', 4]]);
  });

  it('names the column and the rewrite in the message', () => {
    const [r] = runRule(orChainToIn, "SELECT 1 FROM orders o WHERE o.status = 'a' OR o.status = 'b'").reports;
    assert.match(r.message, /`o\.status` is compared with a value in each of 2 OR branches/);
    assert.match(r.message, /o\.status IN \('a', 'b'\)/);
    assert.equal(r.fix?.title, 'Rewrite as o.status IN (...)');
  });
});

describe('union-instead-of-union-all fix', () => {
  const cases: Array<[string, string]> = [
    ['SELECT a FROM t UNION SELECT a FROM u', 'SELECT a FROM t UNION ALL SELECT a FROM u'],
    ['select a from t union distinct select a from u', 'select a from t union all select a from u'],
    ['SELECT a FROM t UNION SELECT a FROM u UNION SELECT a FROM v ORDER BY 1', 'SELECT a FROM t UNION ALL SELECT a FROM u UNION ALL SELECT a FROM v ORDER BY 1'],
    ['SELECT id FROM c WHERE id IN ((SELECT a FROM t) UNION (SELECT b FROM u))', 'SELECT id FROM c WHERE id IN ((SELECT a FROM t) UNION ALL (SELECT b FROM u))'],
  ];
  for (const [sql, expected] of cases) {
    it(`${sql}  ->  ${expected}`, () => {
      const fixed = fixAll(unionInsteadOfUnionAll, sql);
      assert.equal(fixed, expected);
      const facts = extractFacts(parses(fixed), fixed);
      assert.ok(facts.setOperations.length > 0 && facts.setOperations.every((s) => s.all), 'every UNION is now UNION ALL');
      assert.equal(runRule(unionInsteadOfUnionAll, fixed).reports.length, 0);
    });
  }

  it('puts the caveat in the fix title', () => {
    const [r] = runRule(unionInsteadOfUnionAll, 'SELECT a FROM t UNION SELECT a FROM u').reports;
    assert.equal(r.fix?.title, 'Use UNION ALL (only if duplicates cannot occur or do not matter)');
  });

  it('leaves the UNION of a recursive CTE alone, but not a UNION elsewhere in the same statement', () => {
    const sql = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r UNION SELECT a FROM t';
    const reports = runRule(unionInsteadOfUnionAll, sql).reports;
    assert.equal(reports.length, 1);
    assert.equal(reports[0].start, sql.lastIndexOf('UNION'));
  });
});

describe('or-across-columns', () => {
  it('names the columns and the table', () => {
    const [r] = runRule(orAcrossColumns, 'SELECT id FROM customers c WHERE c.email = $1 OR c.phone = $2').reports;
    assert.match(r.message, /\(`email`, `phone`\) of `c`/);
  });

  it('is quiet when the OR is nested under another boolean expression', () => {
    assert.equal(runRule(orAcrossColumns, 'SELECT 1 FROM t WHERE NOT (a = 1 OR b = 2)').reports.length, 0);
    assert.equal(runRule(orAcrossColumns, 'SELECT 1 FROM t WHERE x > 0 OR (a = 1 OR b = 2) AND y').reports.length, 0);
  });

  it('sees a correlated subquery\'s outer columns as values', () => {
    const sql = 'SELECT 1 FROM o WHERE EXISTS (SELECT 1 FROM t WHERE t.a = o.a OR t.b = o.b)';
    assert.equal(runRule(orAcrossColumns, sql).reports.length, 1);
  });
});

describe('facts used by these rules', () => {
  it('marks top-level OR conjuncts of WHERE and records each branch\'s predicates', () => {
    const sql = 'SELECT 1 FROM t WHERE (a = 1 OR (b = 2 AND c > 3)) AND (d = 1 OR e IN (SELECT 1)) AND CASE WHEN f = 1 OR g = 2 THEN true END';
    const facts = extractFacts(parses(sql), sql);
    assert.deepEqual(facts.ors.map((o) => o.top), [true, true, false]);
    assert.deepEqual(facts.ors[0].parts?.map((p) => [p.end - p.first, p.simple]), [[1, true], [2, true]]);
    assert.deepEqual(facts.ors[1].parts?.map((p) => p.simple), [true, false], 'a branch with a subquery is not simple');
  });

  it('gives expression subqueries their clause', () => {
    const sql = 'SELECT (SELECT 1) FROM t WHERE EXISTS (SELECT 1) ORDER BY (SELECT 2)';
    const facts = extractFacts(parses(sql), sql);
    assert.deepEqual(facts.subqueries.map((s) => s.clause), ['select', 'where', 'order']);
  });
});

describe('redundant-distinct', () => {
  it('explains each kind of redundancy', () => {
    const grouped = runRule(redundantDistinct, 'SELECT DISTINCT a, count(*) FROM t GROUP BY a').reports;
    assert.match(grouped[0].message, /Every GROUP BY key is in the select list/);
    const union = runRule(redundantDistinct, 'SELECT a FROM t EXCEPT SELECT DISTINCT a FROM u').reports;
    assert.match(union[0].message, /^EXCEPT without ALL/);
    const exists = runRule(redundantDistinct, 'SELECT 1 FROM t WHERE EXISTS (SELECT DISTINCT a FROM u WHERE u.a = t.a)').reports;
    assert.match(exists[0].message, /^EXISTS only asks/);
  });

  it('matches grouping keys written with other spacing or case, but not other expressions', () => {
    assert.equal(runRule(redundantDistinct, 'SELECT DISTINCT LOWER( a ), b FROM t GROUP BY lower(a), B').reports.length, 1);
    assert.equal(runRule(redundantDistinct, 'SELECT DISTINCT lower(a) FROM t GROUP BY upper(a), lower(a)').reports.length, 0);
    assert.equal(runRule(redundantDistinct, 'SELECT DISTINCT t.a FROM t GROUP BY a').reports.length, 0, 'another spelling: not proven equal');
  });

  it('tells the blocks of one statement apart', () => {
    const sql = 'SELECT DISTINCT x FROM (SELECT DISTINCT a AS x, b FROM t GROUP BY a, b) s GROUP BY y';
    const reports = runRule(redundantDistinct, sql).reports;
    assert.deepEqual(reports.map((r) => r.start), [sql.indexOf('DISTINCT a')]);
  });
});

describe('correlated-subquery-in-select', () => {
  it('names the outer columns, and ignores references to a query further out', () => {
    const [r] = runRule(correlatedSubqueryInSelect, 'SELECT (SELECT max(o.total) FROM orders o WHERE o.cid = c.id) FROM customers c').reports;
    assert.match(r.message, /refers to `c\.id` of the outer query/);
    const further = 'SELECT c.id FROM customers c WHERE EXISTS (SELECT (SELECT 1 FROM x WHERE x.id = c.id) FROM orders o)';
    assert.equal(runRule(correlatedSubqueryInSelect, further).reports.length, 0);
  });
});

describe('in-subquery-prefer-exists', () => {
  it('names the outer reference', () => {
    const [r] = runRule(inSubqueryPreferExists, 'SELECT 1 FROM c WHERE c.id IN (SELECT o.cid FROM o WHERE o.r = c.r)').reports;
    assert.match(r.message, /refers to the outer query \(`c\.r`\)/);
  });
});

describe('update-from-without-join-condition', () => {
  it('says what happens to the data, per statement kind', () => {
    const [u] = runRule(updateFromWithoutJoinCondition, 'UPDATE t SET a = u.a FROM u WHERE t.b > 1').reports;
    assert.match(u.message, /updated with values from an arbitrary one/);
    const [d] = runRule(updateFromWithoutJoinCondition, 'DELETE FROM t USING u WHERE t.b > 1').reports;
    assert.match(d.message, /deleted as soon as `u` has any row/);
  });

  it('reports a group of linked FROM items once', () => {
    const reports = runRule(updateFromWithoutJoinCondition, 'UPDATE t SET a = 1 FROM u, v WHERE u.id = v.id').reports;
    assert.deepEqual(reports.map((r) => r.text), ['u']);
  });
});

describe('natural-join', () => {
  it('covers the keywords, or the joined item when a comment sits between them', () => {
    assert.deepEqual(runRule(naturalJoin, 'SELECT 1 FROM a NATURAL FULL OUTER JOIN b').reports.map((r) => r.text), ['NATURAL FULL OUTER JOIN']);
    assert.deepEqual(runRule(naturalJoin, 'SELECT 1 FROM a NATURAL /* x */ JOIN b').reports.map((r) => r.text), ['b']);
  });
});
