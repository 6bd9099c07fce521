/**
 * The migration and locking rules: their quick fixes give SQL that libpg-query parses and
 * that does what the fix says; and the file-level context (`missing-lock-timeout`,
 * `set-not-null`) that fixtures cannot show in one file.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { Analyzer } from '../../../server/engine/analyze';
import { loadExtractors } from '../../../server/engine/extract';
import { DEFAULT_SETTINGS } from '../../../server/engine/settings';
import { dropIndexNotConcurrently } from '../../../server/engine/rules/drop-index-not-concurrently';
import { constraintWithoutNotValid } from '../../../server/engine/rules/constraint-without-not-valid';
import { refreshMatviewNotConcurrently } from '../../../server/engine/rules/refresh-matview-not-concurrently';
import { preferBigintKeys } from '../../../server/engine/rules/prefer-bigint-keys';
import { missingLockTimeout } from '../../../server/engine/rules/missing-lock-timeout';
import { fixAll, parseAll, applyEdits, runRule } from './harness';

before(async () => {
  await loadParser();
  await loadExtractors();
});

describe('drop-index-not-concurrently fix', () => {
  const cases: Array<[string, string]> = [
    ['DROP INDEX ix', 'DROP INDEX CONCURRENTLY ix'],
    ['drop index if exists s.ix', 'drop index CONCURRENTLY if exists s.ix'],
    ['DROP /* old */ INDEX "Ix" RESTRICT', 'DROP /* old */ INDEX CONCURRENTLY "Ix" RESTRICT'],
  ];
  for (const [from, to] of cases) {
    it(`${from}  ->  ${to}`, () => {
      const fixed = fixAll(dropIndexNotConcurrently, from);
      assert.equal(fixed, to);
      const [stmt] = parseAll(fixed) as Array<{ DropStmt?: { concurrent?: boolean } }>;
      assert.equal(stmt.DropStmt?.concurrent, true);
      assert.equal(runRule(dropIndexNotConcurrently, fixed).reports.length, 0);
    });
  }
  it('offers no fix where CONCURRENTLY is not allowed (several indexes, CASCADE)', () => {
    for (const sql of ['DROP INDEX a, b', 'DROP INDEX a CASCADE']) {
      const { reports } = runRule(dropIndexNotConcurrently, sql);
      assert.equal(reports.length, 1);
      assert.equal(reports[0].fix, undefined, sql);
    }
  });
});

describe('refresh-matview-not-concurrently fix', () => {
  for (const [from, to] of [
    ['REFRESH MATERIALIZED VIEW m', 'REFRESH MATERIALIZED VIEW CONCURRENTLY m'],
    ['refresh materialized view s."M" with data', 'refresh materialized view CONCURRENTLY s."M" with data'],
  ]) {
    it(`${from}  ->  ${to}`, () => {
      const fixed = fixAll(refreshMatviewNotConcurrently, from);
      assert.equal(fixed, to);
      const [stmt] = parseAll(fixed) as Array<{ RefreshMatViewStmt?: { concurrent?: boolean } }>;
      assert.equal(stmt.RefreshMatViewStmt?.concurrent, true);
    });
  }
});

describe('constraint-without-not-valid fix', () => {
  const cases: Array<[string, string]> = [
    [
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id)',
      'ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;\n-- run in a separate transaction: checks old rows without blocking writes\nALTER TABLE orders VALIDATE CONSTRAINT fk',
    ],
    [
      'ALTER TABLE ONLY s."Orders" ADD CONSTRAINT "Positive" CHECK (total >= 0), ALTER COLUMN x SET DEFAULT 1',
      'ALTER TABLE ONLY s."Orders" ADD CONSTRAINT "Positive" CHECK (total >= 0) NOT VALID, ALTER COLUMN x SET DEFAULT 1;\n-- run in a separate transaction: checks old rows without blocking writes\nALTER TABLE s."Orders" VALIDATE CONSTRAINT "Positive"',
    ],
    [
      'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
      'ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED NOT VALID;\n-- run in a separate transaction: checks old rows without blocking writes\nALTER TABLE t VALIDATE CONSTRAINT fk',
    ],
  ];
  for (const [from, to] of cases) {
    it(from, () => {
      const fixed = fixAll(constraintWithoutNotValid, from);
      assert.equal(fixed, to);
      const stmts = parseAll(fixed);
      assert.equal(stmts.length, 2, 'the ALTER and the VALIDATE');
      const json = JSON.stringify(stmts[0]);
      assert.match(json, /"skip_validation":true/, 'the constraint is NOT VALID');
      assert.match(JSON.stringify(stmts[1]), /AT_ValidateConstraint/);
      const first = fixed.slice(0, fixed.indexOf(';'));
      assert.equal(runRule(constraintWithoutNotValid, first).reports.length, 0);
    });
  }
  it('fixes each of two constraints, and the result parses', () => {
    const fixed = fixAll(constraintWithoutNotValid, 'ALTER TABLE t ADD CONSTRAINT a CHECK (x > 0), ADD CONSTRAINT b FOREIGN KEY (y) REFERENCES u');
    assert.equal(parseAll(fixed).length, 3);
    assert.match(fixed, /CHECK \(x > 0\) NOT VALID, ADD CONSTRAINT b FOREIGN KEY \(y\) REFERENCES u NOT VALID;/);
  });
  it('offers no fix for an unnamed constraint or in host code', () => {
    assert.equal(runRule(constraintWithoutNotValid, 'ALTER TABLE t ADD CHECK (x > 0)').reports[0].fix, undefined);
    const host = { language: 'typescript', callName: 'query', knownCall: true };
    assert.equal(runRule(constraintWithoutNotValid, 'ALTER TABLE t ADD CONSTRAINT c CHECK (x > 0)', { host }).reports[0].fix, undefined);
  });
});

describe('prefer-bigint-keys fix', () => {
  const cases: Array<[string, string]> = [
    ['CREATE TABLE t (id serial PRIMARY KEY, n text)', 'CREATE TABLE t (id bigserial PRIMARY KEY, n text)'],
    ['CREATE TABLE t (id INTEGER GENERATED ALWAYS AS IDENTITY)', 'CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY)'],
    ['create table t (id int, primary key (id))', 'create table t (id bigint, primary key (id))'],
    ['CREATE TABLE t (id pg_catalog.int4 PRIMARY KEY)', 'CREATE TABLE t (id bigint PRIMARY KEY)'],
  ];
  for (const [from, to] of cases) {
    it(`${from}  ->  ${to}`, () => {
      const fixed = fixAll(preferBigintKeys, from);
      assert.equal(fixed, to);
      parseAll(fixed);
      assert.equal(runRule(preferBigintKeys, fixed).reports.length, 0);
    });
  }
});

/** missing-lock-timeout and set-not-null read the document context: run the analyzer. */
function findings(sql: string, rule: string, languageId = 'sql'): string[] {
  const a = new Analyzer({ ...DEFAULT_SETTINGS });
  return a
    .analyze(sql, languageId)
    .findings.filter((f) => f.rule === rule)
    .map((f) => sql.slice(f.start, f.end));
}

describe('missing-lock-timeout', () => {
  it('reports the first locking statement once, and its fix parses', () => {
    const sql = 'SELECT 1;\nALTER TABLE t ADD COLUMN c int;\nDROP INDEX i;\n';
    assert.deepEqual(findings(sql, 'missing-lock-timeout'), ['ALTER TABLE']);
    const a = new Analyzer({ ...DEFAULT_SETTINGS });
    const f = a.analyze(sql, 'sql').findings.find((x) => x.rule === 'missing-lock-timeout')!;
    const fixed = applyEdits(sql, f.fix!.edits);
    assert.equal(parseAll(fixed).length, 4);
    assert.deepEqual(findings(fixed, 'missing-lock-timeout'), []);
  });
  it('is quiet after SET lock_timeout, SET LOCAL in the same transaction, or set_config', () => {
    for (const set of ["SET lock_timeout = '2s'", 'SET SESSION lock_timeout TO 2000', "BEGIN; SET LOCAL lock_timeout = '1s'", "SELECT set_config('lock_timeout', '3s', false)"]) {
      assert.deepEqual(findings(`${set};\nALTER TABLE t ADD COLUMN c int;`, 'missing-lock-timeout'), [], set);
    }
  });
  it('reports when the timeout is zero, reset, or ended with its transaction', () => {
    for (const set of ['SET lock_timeout = 0', "SET lock_timeout = '2s'; RESET lock_timeout", "SET lock_timeout TO DEFAULT", "BEGIN; SET LOCAL lock_timeout = '1s'; COMMIT"]) {
      assert.deepEqual(findings(`${set};\nCREATE INDEX i ON t (a);`, 'missing-lock-timeout'), ['CREATE INDEX'], set);
    }
  });
  it('is quiet for files without locking statements and for embedded SQL', () => {
    assert.deepEqual(findings('CREATE INDEX CONCURRENTLY i ON t (a);\nDROP INDEX CONCURRENTLY j;\nSELECT * FROM t;\nVACUUM t;', 'missing-lock-timeout'), []);
    assert.deepEqual(findings("await db.query('ALTER TABLE t ADD COLUMN c int');", 'missing-lock-timeout', 'typescript'), []);
  });
  it('keeps cached findings apart from the context they were made in', () => {
    const a = new Analyzer({ ...DEFAULT_SETTINGS });
    const stmt = 'ALTER TABLE t ADD COLUMN c int';
    const count = (sql: string) => a.analyze(sql, 'sql').findings.filter((f) => f.rule === 'missing-lock-timeout').length;
    assert.equal(count(`${stmt};`), 1);
    assert.equal(count(`SET lock_timeout = '1s';\n${stmt};`), 0);
    assert.equal(count(`${stmt};`), 1);
  });
});

describe('set-not-null with the PostgreSQL 12+ sequence', () => {
  it('is quiet after CHECK (col IS NOT NULL) on the same table and column, not on others', () => {
    const sql = [
      'ALTER TABLE s.orders ADD CONSTRAINT nn CHECK ("Customer" IS NOT NULL) NOT VALID',
      'ALTER TABLE orders VALIDATE CONSTRAINT nn',
      'ALTER TABLE orders ALTER COLUMN "Customer" SET NOT NULL',
      'ALTER TABLE orders ALTER COLUMN customer SET NOT NULL',
      'ALTER TABLE invoices ALTER COLUMN "Customer" SET NOT NULL',
    ].join(';\n');
    assert.deepEqual(findings(sql, 'set-not-null'), ['ALTER COLUMN customer SET NOT NULL', 'ALTER COLUMN "Customer" SET NOT NULL']);
  });
});

describe('missing-lock-timeout rule alone', () => {
  it('needs the document context (unit runs see none)', () => {
    assert.equal(runRule(missingLockTimeout, 'ALTER TABLE t ADD COLUMN c int').reports.length, 0);
  });
});
