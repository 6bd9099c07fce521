/**
 * Quick fixes: applied to the statement, they give SQL that parses and means what they say.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { extractFacts } from '../../../server/engine/facts';
import { nullComparison } from '../../../server/engine/rules/null-comparison';
import { createIndexNotConcurrently } from '../../../server/engine/rules/create-index-not-concurrently';
import { fixAll, parses, runRule } from './harness';

before(async () => {
  await loadParser();
});

/** Applies every fix the rule offers, one report at a time from the right. */

describe('null-comparison fix', () => {
  const cases: Array<[string, string]> = [
    ['SELECT id FROM t WHERE x = NULL', 'SELECT id FROM t WHERE x IS NULL'],
    ['SELECT id FROM t WHERE x <> NULL', 'SELECT id FROM t WHERE x IS NOT NULL'],
    ['SELECT id FROM t WHERE x != NULL', 'SELECT id FROM t WHERE x IS NOT NULL'],
    ['SELECT id FROM t WHERE x=NULL AND y = 1', 'SELECT id FROM t WHERE x IS NULL AND y = 1'],
    ['SELECT id FROM t WHERE NULL = t.x', 'SELECT id FROM t WHERE t.x IS NULL'],
    ['SELECT id FROM t WHERE NULL <> lower(x)', 'SELECT id FROM t WHERE lower(x) IS NOT NULL'],
    ['SELECT id FROM t WHERE x = NULL::int OR y <> NULL', 'SELECT id FROM t WHERE x IS NULL OR y IS NOT NULL'],
    ['SELECT CASE WHEN "é" = NULL THEN 1 END FROM t', 'SELECT CASE WHEN "é" IS NULL THEN 1 END FROM t'],
    ["UPDATE t SET a = NULL WHERE b = NULL AND c = 'ü'", "UPDATE t SET a = NULL WHERE b IS NULL AND c = 'ü'"],
  ];
  for (const [before, after] of cases) {
    it(`${before}  ->  ${after}`, () => {
      const fixed = fixAll(nullComparison, before);
      assert.equal(fixed, after);
      parses(fixed);
      assert.equal(runRule(nullComparison, fixed).reports.length, 0, 'nothing left to report');
    });
  }

  it('produces a NullTest that keeps the meaning (x IS NOT NULL for <>)', () => {
    const stmt = parses(fixAll(nullComparison, 'SELECT 1 FROM t WHERE a.b <> NULL'));
    const facts = extractFacts(stmt, 'SELECT 1 FROM t WHERE a.b IS NOT NULL');
    const test = facts.predicates.find((p) => p.kind === 'null-test');
    assert.ok(test && test.negated, 'an IS NOT NULL test');
  });
});

describe('create-index-not-concurrently fix', () => {
  const cases: Array<[string, string]> = [
    ['CREATE INDEX ix ON t (a)', 'CREATE INDEX CONCURRENTLY ix ON t (a)'],
    ['CREATE INDEX ON t (a)', 'CREATE INDEX CONCURRENTLY ON t (a)'],
    ['create unique index if not exists ix on s.t using btree (lower(b)) where c', 'create unique index CONCURRENTLY if not exists ix on s.t using btree (lower(b)) where c'],
    ['CREATE /* why */ INDEX ix ON t (a)', 'CREATE /* why */ INDEX CONCURRENTLY ix ON t (a)'],
  ];
  for (const [before, after] of cases) {
    it(`${before}  ->  ${after}`, () => {
      const fixed = fixAll(createIndexNotConcurrently, before);
      assert.equal(fixed, after);
      const stmt = parses(fixed) as { IndexStmt?: { concurrent?: boolean } };
      assert.equal(stmt.IndexStmt?.concurrent, true, 'the fixed statement builds concurrently');
      assert.equal(runRule(createIndexNotConcurrently, fixed).reports.length, 0);
    });
  }
});
