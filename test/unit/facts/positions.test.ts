/**
 * Ranges: UTF-16 offsets into the statement even when the text has multi-byte characters
 * (libpg-query's locations are UTF-8 byte offsets), and tight around what they name.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { at, facts } from './helpers';

before(async () => {
  await loadParser();
});

describe('ranges with non-ASCII text', () => {
  it('maps byte locations to UTF-16 offsets (2-, 3- and 4-byte characters)', () => {
    const sql = `SELECT 'ä€😀', "naïve".* FROM "naïve" WHERE "naïve"."prénom" = 'Zoë' AND lower(ville) LIKE '%é😀' ORDER BY random()`;
    const f = facts(sql);
    assert.deepEqual(f.stars.map((s) => at(sql, s.span)), ['"naïve".*']);
    assert.deepEqual(f.predicates.map((p) => [at(sql, p.left.span), at(sql, p.opSpan), at(sql, p.right?.span)]), [
      ['"naïve"."prénom"', '=', "'Zoë'"],
      ['lower(ville)', 'LIKE', "'%é😀'"],
    ]);
    assert.equal(at(sql, f.relations[0].span), '"naïve"');
    assert.equal(at(sql, f.sorts[0].span), 'random()');
    assert.equal(f.predicates[1].like?.prefix, '%é😀');
  });

  it('keeps ranges tight around expressions, casts, tests and parentheses', () => {
    const sql = `SELECT 1 FROM t WHERE (a + b) * c > 1 AND x::timestamp with time zone < now()
      AND CAST(y AS double precision) = 1 AND z::int[] = $1 AND (q IS NOT NULL) AND w IS TRUE
      AND CASE WHEN k THEN 1 ELSE 2 END = 1 AND count_of(t.*) = 0 AND pg_catalog.now() > d
      AND 'a'
          'b' = e AND "E" = E'it''s\\n'`;
    const f = facts(sql);
    assert.deepEqual(f.predicates.map((p) => at(sql, p.left.span)), [
      '(a + b) * c',
      'x::timestamp with time zone',
      'CAST(y AS double precision)',
      'z::int[]',
      'q',
      'CASE WHEN k THEN 1 ELSE 2 END',
      'count_of(t.*)',
      'pg_catalog.now()',
      "'a'\n          'b'",
      '"E"',
    ]);
    assert.equal(at(sql, f.predicates[4].span), 'q IS NOT NULL');
    assert.equal(at(sql, f.predicates[7].right?.span), 'd');
    assert.equal(at(sql, f.predicates[9].right?.span), "E'it''s\\n'");
  });

  it('spans blocks from their first keyword', () => {
    const sql = 'SELECT x FROM (SELECT DISTINCT ON (a) a AS x FROM t ORDER BY a) s WHERE x IN (VALUES (1), (2))';
    const f = facts(sql);
    assert.deepEqual(f.blocks.map((b) => [b.role, at(sql, b.head), at(sql, b.span)]), [
      ['statement', 'SELECT', sql],
      ['from', 'SELECT', 'SELECT DISTINCT ON (a) a AS x FROM t ORDER BY a'],
      ['sublink', 'VALUES', 'VALUES (1), (2)'],
    ]);
  });

  it('keeps every range inside the statement for odd inputs', () => {
    for (const sql of ['SELECT', 'SELECT FROM t', 'TABLE t', 'VALUES (1)', 'SELECT 1 FETCH FIRST ROW ONLY', 'SELECT $1::"my type"[]']) {
      const f = facts(sql);
      const spans = [f.head, ...f.blocks.flatMap((b) => [b.span, b.head]), ...f.relations.map((r) => r.span), ...f.predicates.map((p) => p.span)];
      for (const s of spans) assert.ok(s.start >= 0 && s.start <= s.end && s.end <= sql.length, `${sql}: ${JSON.stringify(s)}`);
    }
  });
});
