/**
 * Schema-aware rules through the Analyzer: they run only with a schema, follow its changes
 * (the per-statement cache must not serve findings made against an older schema), and
 * select-star's quick fix lists the columns.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../../server/engine/analyze';
import { loadParser, parsePg } from '../../../server/engine/parse/pgquery';
import { schemaOfTexts } from '../../../server/engine/schema/workspace';
import { DEFAULT_SETTINGS } from '../../../server/engine/settings';
import { applyEdits } from './harness';

before(async () => {
  await loadParser();
});

const DDL = 'CREATE TABLE orders (id bigint PRIMARY KEY, "Customer" bigint, status text, "order" int);';

describe('schema-aware rules in the analyzer', () => {
  it('do nothing without a schema', () => {
    const a = new Analyzer(DEFAULT_SETTINGS);
    const rules = a.analyze("SELECT id FROM orders WHERE status = 'x'; SELECT id FROM nosuch;", 'sql').findings.map((f) => f.rule);
    assert.deepEqual(rules.filter((r) => r === 'unindexed-filter' || r === 'unknown-table-or-column'), []);
  });

  it('follow schema changes, statement by statement', () => {
    const a = new Analyzer(DEFAULT_SETTINGS);
    const query = "SELECT id FROM orders WHERE status = 'x';";
    a.setSchema(schemaOfTexts([DDL]));
    const first = a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter');
    assert.equal(first.length, 1);
    assert.deepEqual(first[0].command, {
      title: 'Show the index suggestion for orders (status)',
      command: 'sqlperf.advisor.revealSuggestion',
      arguments: [{ table: 'orders', columns: ['status'] }],
    });
    a.setSchema(schemaOfTexts([DDL, 'CREATE INDEX ON orders (status);']));
    assert.deepEqual(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter'), []);
    a.setSchema(schemaOfTexts([DDL]));
    assert.equal(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter').length, 1);
    a.setSchema(undefined);
    assert.deepEqual(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter'), []);
    // a change elsewhere in the schema keeps the finding; the index, added after it, drops it
    a.setSchema(schemaOfTexts([DDL]));
    assert.equal(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter').length, 1);
    a.setSchema(schemaOfTexts([DDL, 'CREATE TABLE audit (id bigint PRIMARY KEY);']));
    assert.equal(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter').length, 1);
    a.setSchema(schemaOfTexts([DDL, 'CREATE TABLE audit (id bigint PRIMARY KEY);', 'CREATE INDEX ON orders (status);']));
    assert.deepEqual(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter'), []);
  });

  it('a schema set as final is still replaced correctly by another', () => {
    const a = new Analyzer(DEFAULT_SETTINGS);
    const query = "SELECT id FROM orders WHERE status = 'x';";
    a.setSchema(schemaOfTexts([DDL]), { final: true });
    assert.equal(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter').length, 1);
    assert.equal(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter').length, 1, 'from the cache');
    a.setSchema(schemaOfTexts([DDL, 'CREATE INDEX ON orders (status);']));
    assert.deepEqual(a.analyze(query, 'sql').findings.filter((f) => f.rule === 'unindexed-filter'), []);
  });

  it('select-star: the fix lists the columns in table order, quoted where needed, and parses', () => {
    const a = new Analyzer(DEFAULT_SETTINGS);
    a.setSchema(schemaOfTexts([DDL, 'CREATE TABLE customers (id bigint PRIMARY KEY, name text);']));
    const cases: Array<[string, string]> = [
      ['SELECT * FROM orders WHERE id = 1', 'SELECT id, "Customer", status, "order" FROM orders WHERE id = 1'],
      ['SELECT o.* FROM orders o JOIN customers c ON c.id = o."Customer"', 'SELECT o.id, o."Customer", o.status, o.order FROM orders o JOIN customers c ON c.id = o."Customer"'],
      ['SELECT * FROM orders o JOIN customers c ON c.id = o."Customer"', 'SELECT o.id, o."Customer", o.status, o.order, c.id, c.name FROM orders o JOIN customers c ON c.id = o."Customer"'],
    ];
    for (const [sql, expected] of cases) {
      const star = a.analyze(sql, 'sql').findings.filter((f) => f.rule === 'select-star');
      assert.equal(star.length, 1, `one select-star finding for ${sql}`);
      assert.ok(star[0].fix, `a fix for ${sql}`);
      const fixed = applyEdits(sql, star[0].fix.edits);
      assert.equal(fixed, expected);
      assert.ok(parsePg(fixed).ok, `the fixed SQL parses: ${fixed}`);
    }
  });

  it('select-star: no fix when a source is unknown or a USING join merges columns', () => {
    const a = new Analyzer(DEFAULT_SETTINGS);
    a.setSchema(schemaOfTexts([DDL, 'CREATE TABLE customers (id bigint PRIMARY KEY, name text);']));
    for (const sql of ['SELECT * FROM orders JOIN customers USING (id)', 'SELECT * FROM orders, elsewhere']) {
      const star = a.analyze(sql, 'sql').findings.filter((f) => f.rule === 'select-star');
      assert.equal(star.length, 1, sql);
      assert.equal(star[0].fix, undefined, sql);
    }
  });
});
