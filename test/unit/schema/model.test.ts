/**
 * The schema model built from DDL: what a workspace's CREATE / ALTER / DROP statements leave
 * behind, as the schema-aware rules see it.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { hasPrimaryKey, leadsIndex } from '../../../server/engine/schema/model';
import { contributionOf, schemaOfTexts, WorkspaceSchema } from '../../../server/engine/schema/workspace';

before(async () => {
  await loadParser();
});

const build = (...files: string[]) => {
  const s = schemaOfTexts(files);
  assert.ok(s, 'a schema');
  return s;
};

describe('schema model', () => {
  it('reads columns with their types, inline and table constraints', () => {
    const s = build(`CREATE TABLE Shop.Orders (id bigserial PRIMARY KEY, "Code" varchar(10) UNIQUE, customer_id int REFERENCES customers (id),
      placed timestamptz, amount numeric(10,2), UNIQUE (customer_id, placed), FOREIGN KEY (placed) REFERENCES x);`);
    const t = s.table('shop', 'orders');
    assert.ok(t, 'unquoted names fold to lower case');
    assert.deepEqual([...t.columns.values()].map((c) => [c.name, c.type]), [
      ['id', 'int8'],
      ['Code', 'varchar'],
      ['customer_id', 'int4'],
      ['placed', 'timestamptz'],
      ['amount', 'numeric'],
    ]);
    assert.ok(hasPrimaryKey(t));
    assert.deepEqual(t.indexes.map((i) => [i.name, i.columns]), [
      ['orders_pkey', ['id']],
      ['orders_Code_key', ['Code']],
      ['orders_customer_id_placed_key', ['customer_id', 'placed']],
    ]);
    assert.deepEqual(t.foreignKeys.map((f) => [f.columns, f.refTable]), [
      [['customer_id'], 'customers'],
      [['placed'], 'x'],
    ]);
    assert.equal(s.table(undefined, 'orders'), undefined, 'not in public');
  });

  it('applies ALTER TABLE, CREATE/DROP INDEX, renames and drops in order, across files', () => {
    const s = build(
      'CREATE TABLE t (a int, b text, c int);',
      `ALTER TABLE t ADD COLUMN d uuid UNIQUE, DROP COLUMN c, ALTER COLUMN a TYPE bigint, ADD CONSTRAINT t_pk PRIMARY KEY (a);
       CREATE INDEX t_b_idx ON t (b, lower(b)) WHERE b IS NOT NULL;
       CREATE UNIQUE INDEX t_expr ON t ((a + 1));
       ALTER TABLE t RENAME COLUMN b TO bb;
       DROP INDEX t_expr;
       ALTER TABLE t DROP CONSTRAINT t_d_key;
       CREATE TABLE gone (x int); DROP TABLE gone;
       CREATE TABLE old_name (x int); ALTER TABLE old_name RENAME TO new_name;`,
    );
    const t = s.table(undefined, 't')!;
    assert.deepEqual([...t.columns.values()].map((c) => `${c.name}:${c.type}`), ['a:int8', 'bb:text', 'd:uuid']);
    assert.deepEqual(t.indexes.map((i) => [i.name, i.columns, i.partial]), [
      ['t_pk', ['a'], false],
      ['t_b_idx', ['bb', null], true],
    ]);
    assert.ok(leadsIndex(t, ['bb']));
    assert.equal(leadsIndex(t, ['d']), undefined, 'the dropped unique constraint took its index');
    assert.equal(s.table(undefined, 'gone'), undefined);
    assert.ok(s.table(undefined, 'new_name'));
    assert.equal(s.table(undefined, 'old_name'), undefined);
  });

  it('knows views, CREATE TABLE AS, sequences and temporary tables by name only', () => {
    const s = build('CREATE VIEW v AS SELECT 1 AS x; CREATE MATERIALIZED VIEW mv AS SELECT 1; CREATE TABLE ctas AS SELECT 1 AS y; SELECT 1 AS z INTO into_t; CREATE SEQUENCE seq; CREATE TEMP TABLE tmp (k int);');
    for (const [name, kind] of [['v', 'view'], ['mv', 'matview'], ['ctas', 'table'], ['into_t', 'table'], ['seq', 'sequence']]) {
      const t = s.table(undefined, name);
      assert.equal(t?.kind, kind, name);
      assert.equal(t?.columnsKnown, false, `${name}: columns not modelled`);
    }
    assert.equal(s.table(undefined, 'tmp')?.temporary, true);
    assert.equal(s.table('pg_temp', 'tmp')?.name, 'tmp');
    assert.ok(s.knowsSchema('public'));
  });

  it('copies columns for LIKE / INHERITS / PARTITION OF and marks derived tables', () => {
    const s = build('CREATE TABLE parent (id int PRIMARY KEY, at date) PARTITION BY RANGE (at); CREATE TABLE p1 PARTITION OF parent FOR VALUES FROM (\'2024-01-01\') TO (\'2025-01-01\'); CREATE TABLE copy (LIKE parent, extra text); CREATE TABLE copy2 (first int, LIKE parent, last int); CREATE TABLE orphan (LIKE nowhere);');
    assert.deepEqual([...s.table(undefined, 'copy')!.columns.keys()], ['id', 'at', 'extra']);
    assert.deepEqual([...s.table(undefined, 'copy2')!.columns.keys()], ['first', 'id', 'at', 'last'], 'in the written order, as SELECT * expands');
    assert.equal(s.table(undefined, 'p1')?.derived, true);
    assert.equal(s.table(undefined, 'orphan')?.columnsKnown, false, 'LIKE of an unknown table');
  });

  it('the first definition wins (a dump and the migrations that built it)', () => {
    const s = build('CREATE TABLE t (a int PRIMARY KEY);', 'CREATE TABLE IF NOT EXISTS t (a int, b int);');
    assert.deepEqual([...s.table(undefined, 't')!.columns.keys()], ['a']);
  });

  it('signatures change only for the tables a change touches', () => {
    const ws = new WorkspaceSchema();
    ws.set('a.sql', 'CREATE TABLE a (x int); CREATE TABLE b (y int);');
    const first = ws.schema()!;
    const [sigA, sigB] = [first.signature(undefined, 'a'), first.signature(undefined, 'b')];
    assert.equal(ws.set('a.sql', 'CREATE TABLE a (x int); CREATE TABLE b (y int);\nSELECT 1;'), false, 'a query edit is no schema change');
    assert.equal(ws.set('a.sql', 'CREATE TABLE a (x int); CREATE TABLE b (y int); CREATE INDEX ON b (y);'), true);
    const second = ws.schema()!;
    assert.notEqual(second.version, first.version);
    assert.equal(second.signature(undefined, 'a'), sigA);
    assert.notEqual(second.signature(undefined, 'b'), sigB);
    assert.equal(ws.delete('a.sql'), true);
    assert.equal(ws.schema(), undefined);
  });

  it('skips statements that change no schema without parsing them, and survives syntax errors', () => {
    assert.deepEqual(contributionOf('SELECT 1; UPDATE t SET a = 1; CREATE TABLE (;').ops, []);
    assert.equal(contributionOf('-- c\nCREATE TABLE x (a int);').ops.length, 1);
  });
});
