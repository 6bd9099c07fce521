/**
 * The not-in-subquery quick fix on a real PostgreSQL: the NOT EXISTS it writes returns the
 * same rows as the NOT IN it replaces when the subquery yields no NULL, and the rows NOT IN
 * hides when it does (the caveat its title states).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { notInSubquery } from '../../../server/engine/rules/not-in-subquery';
import { requirePrerequisite } from '../../support/prerequisites';
import { applyEdits, runRule } from '../../unit/rules/harness';

const url = process.env.SQLPERF_TEST_DATABASE_URL ?? '';
const skip = requirePrerequisite(url !== '', 'SQLPERF_TEST_DATABASE_URL (a PostgreSQL server for the db tests)');
const SCHEMA = 'query_rules_2_notin';

describe('not-in-subquery fix on PostgreSQL', { skip }, () => {
  let db: Client;
  before(async () => {
    await loadParser();
    db = new Client({ connectionString: url });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; SET search_path = ${SCHEMA}`);
    await db.query(`CREATE TABLE customers (id int PRIMARY KEY);
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text);
      INSERT INTO customers (id) SELECT g FROM generate_series(1, 10) g;
      INSERT INTO orders (id, customer_id, status) VALUES (1, 2, 'open'), (2, 4, 'open'), (3, 6, 'done'), (4, NULL, 'done');`);
  });
  after(async () => {
    await db?.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await db?.end();
  });

  async function ids(sql: string): Promise<number[]> {
    return (await db.query(sql)).rows.map((r) => r.id as number).sort((a, b) => a - b);
  }

  function fixed(sql: string): string {
    const { reports } = runRule(notInSubquery, sql);
    assert.equal(reports.length, 1);
    assert.ok(reports[0].fix, 'offers a fix');
    return applyEdits(sql, reports[0].fix.edits);
  }

  it('returns the same rows when the subquery yields no NULL', async () => {
    const sql = "SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM orders WHERE status = 'open')";
    assert.deepEqual(await ids(fixed(sql)), await ids(sql));
    assert.deepEqual(await ids(sql), [1, 3, 5, 6, 7, 8, 9, 10]);
  });

  it('returns the rows NOT IN hides when the subquery yields NULL', async () => {
    const sql = 'SELECT c.id FROM customers c WHERE c.id NOT IN (SELECT o.customer_id FROM orders o)';
    assert.deepEqual(await ids(sql), []);
    assert.deepEqual(await ids(fixed(sql)), [1, 3, 5, 7, 8, 9, 10]);
  });
});
