import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { DbError } from '../../../src/db/errors';
import { checkStatement } from '../../../src/db/statement-check';

before(loadParser);

function refusal(sql: string): DbError {
  try {
    checkStatement(sql);
  } catch (e) {
    assert.ok(e instanceof DbError);
    assert.equal(e.kind, 'sql');
    return e;
  }
  assert.fail(`accepted: ${sql}`);
}

describe('checkStatement', () => {
  it('accepts one statement with comments and a trailing semicolon, and keeps its offset', () => {
    const sql = '-- the report\n\n  SELECT 1 ;  -- done\n';
    const s = checkStatement(sql);
    assert.equal(s.original, 'SELECT 1');
    assert.equal(s.offset, sql.indexOf('SELECT'));
    assert.equal(s.kind, 'select');
    assert.equal(s.writes, false);
  });

  it('classifies what executing the statement does', () => {
    const cases: Array<[string, string, boolean, RegExp?]> = [
      ['SELECT * FROM t', 'select', false],
      ['VALUES (1), (2)', 'values', false],
      ['TABLE t', 'select', false],
      ['SELECT 1 UNION SELECT 2', 'select', false],
      ['INSERT INTO t VALUES (1) RETURNING *', 'insert', true, /INSERT/],
      ['UPDATE t SET a = 1', 'update', true, /UPDATE/],
      ['DELETE FROM t', 'delete', true, /DELETE/],
      ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE', 'merge', true, /MERGE/],
      ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'select', true, /data-modifying WITH \(DELETE\)/],
      ['SELECT * FROM (SELECT * FROM t FOR SHARE) x', 'select', true, /FOR SHARE/],
      ['SELECT * FROM t FOR UPDATE SKIP LOCKED', 'select', true, /FOR UPDATE/],
      ['SELECT * INTO t2 FROM t', 'create-table-as', true, /SELECT INTO/],
      ['CREATE TABLE t2 AS SELECT 1', 'create-table-as', true],
      ['CREATE MATERIALIZED VIEW v AS SELECT 1', 'create-table-as', true],
    ];
    for (const [sql, kind, writes, reason] of cases) {
      const s = checkStatement(sql);
      assert.equal(s.kind, kind, sql);
      assert.equal(s.writes, writes, sql);
      if (reason) assert.match(s.writeReason ?? '', reason, sql);
    }
  });

  it('refuses several statements, saying how many', () => {
    assert.match(refusal('SELECT 1; SELECT 2').message, /Found 2 statements/);
    assert.match(refusal("SELECT ';'; UPDATE t SET a = 1; DELETE FROM t").message, /Found 3 statements/);
  });

  it('refuses empty input', () => {
    assert.match(refusal('  -- only a comment\n').message, /no SQL statement/);
  });

  it('refuses what EXPLAIN cannot take, naming it', () => {
    assert.match(refusal('BEGIN').message, /Transaction control/);
    assert.match(refusal('COMMIT').message, /Transaction control/);
    assert.match(refusal('VACUUM t').message, /VACUUM.*utility statement/);
    assert.match(refusal('CREATE TABLE x (a int)').message, /CREATE TABLE.*utility/);
    assert.match(refusal('CREATE INDEX ON t (a)').message, /CREATE INDEX/);
    assert.match(refusal('CALL p()').message, /CALL/);
    assert.match(refusal('EXPLAIN SELECT 1').message, /already an EXPLAIN/);
    assert.match(refusal('EXECUTE s(1)').message, /EXECUTE/);
    assert.match(refusal('DECLARE c CURSOR FOR SELECT 1').message, /DECLARE CURSOR/);
    assert.match(refusal('ALTER SYSTEM SET work_mem = 1').message, /ALTER SYSTEM|utility/);
  });

  it('reports a syntax error at its place in the caller\'s text', () => {
    const sql = '\n  SELECT * FROM t WHERE a = :x AND AND b';
    const e = refusal(sql);
    assert.match(e.message, /does not parse/);
    assert.ok(e.position !== undefined);
    assert.ok(sql.slice(e.position).startsWith('AND b'), JSON.stringify(sql.slice(e.position)));
  });

  it('converts placeholders before parsing', () => {
    const s = checkStatement('SELECT * FROM t WHERE a = ? AND b = :b');
    assert.equal(s.conversion.text, 'SELECT * FROM t WHERE a = $1 AND b = $2');
  });
});
