/**
 * Safe EXPLAIN against a real server: whatever is explained, every table's contents are
 * byte-for-byte what they were (md5 of all rows, compared after each test and at the end).
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { DbError } from '../../../src/db/errors';
import { explainStatement, type ExplainOptions } from '../../../src/db/explain-runner';
import { PoolRegistry } from '../../../src/db/pools';
import { noSecrets } from '../../../src/db/secrets';
import { ServerTarget } from '../../../src/db/server-target';
import { resolveConnectionConfig } from '../../../src/db/profiles';
import type { ParamValues } from '../../../src/db/placeholders';
import type { QueryTarget } from '../../../src/db/target';
import { DATABASE_URL, envProfile, holdServerShared, q, skipWithoutServer, snapshotSchema, uniqueSchema } from '../connection/helpers';

const schema = uniqueSchema('explain');
const S = q(schema);

async function failure(p: Promise<unknown>): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `expected a DbError, got ${e}`);
    return e;
  }
  assert.fail('expected a failure');
}

/** Every Index Cond / Filter text in a JSON plan. */
function conditions(plan: unknown): string[] {
  const out: string[] = [];
  const walk = (n: Record<string, unknown>) => {
    for (const k of ['Index Cond', 'Filter', 'Recheck Cond']) if (typeof n[k] === 'string') out.push(n[k] as string);
    for (const child of (n.Plans as Array<Record<string, unknown>>) ?? []) walk(child);
  };
  walk((plan as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
  return out;
}

describe('explainStatement on a real server', { skip: skipWithoutServer }, () => {
  let release: () => Promise<void>;
  const registry = new PoolRegistry(noSecrets);
  let target: QueryTarget;
  let initial: Awaited<ReturnType<typeof snapshotSchema>>;
  const explain = (sql: string, o: Partial<ExplainOptions> = {}) => explainStatement(target, sql, { analyze: false, timeoutMs: 10_000, ...o });

  before(async () => {
    release = await holdServerShared();
    target = await registry.target(envProfile());
    await target.query(`
      CREATE SCHEMA ${S};
      CREATE TABLE ${S}.customers (id serial PRIMARY KEY, email text NOT NULL UNIQUE, attrs jsonb NOT NULL DEFAULT '{}');
      CREATE TABLE ${S}.orders (id bigserial PRIMARY KEY, customer_id int NOT NULL REFERENCES ${S}.customers (id), total numeric(10,2) NOT NULL, note text);
      CREATE INDEX ON ${S}.orders (customer_id);
      CREATE TABLE ${S}.audit (id serial PRIMARY KEY, what text NOT NULL);
      INSERT INTO ${S}.customers (email, attrs) SELECT 'c' || g || '@example.com', jsonb_build_object('vip', g % 10 = 0) FROM generate_series(1, 2000) g;
      INSERT INTO ${S}.orders (customer_id, total, note) SELECT 1 + g % 2000, g % 500, 'n' || g FROM generate_series(1, 20000) g;
      CREATE FUNCTION ${S}.remember(what text) RETURNS int LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO ${S}.audit (what) VALUES (what); RETURN 1; END $$;
      ANALYZE ${S}.customers, ${S}.orders;
    `);
    initial = await snapshotSchema(target, schema);
  });

  afterEach(async () => {
    // sequences may advance (ANALYZE of INSERT); table contents never change
    assert.deepEqual((await snapshotSchema(target, schema)).tables, initial.tables);
  });

  after(async () => {
    await target?.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`).catch(() => undefined);
    await registry.closeAll();
    await release?.();
  });

  it('plain EXPLAIN returns a JSON plan without running the statement', async () => {
    const r = await explain(`SELECT * FROM ${S}.orders WHERE customer_id = 7`);
    assert.equal(r.statementKind, 'select');
    assert.equal(r.analyzed, false);
    assert.equal(r.readOnly, true);
    assert.equal(r.usedGenericPlan, false);
    assert.ok(r.serverVersion >= 150000);
    const plan = r.planJson[0].Plan as Record<string, unknown>;
    assert.ok(!('Actual Total Time' in plan));
    assert.ok(Array.isArray(plan.Output), 'VERBOSE output columns');
  });

  it('plain EXPLAIN of a DELETE is allowed without confirmation and changes nothing', async () => {
    const r = await explain(`DELETE FROM ${S}.orders`, { readOnlyProfile: true });
    assert.equal(r.statementKind, 'delete');
    assert.equal(r.readOnly, true);
  });

  it('EXPLAIN ANALYZE of a SELECT runs READ ONLY and reports actual times and buffers', async () => {
    const r = await explain(`SELECT count(*) FROM ${S}.orders o JOIN ${S}.customers c ON c.id = o.customer_id`, { analyze: true });
    const plan = r.planJson[0].Plan as Record<string, unknown>;
    assert.equal(typeof plan['Actual Total Time'], 'number');
    assert.ok('Shared Hit Blocks' in plan);
    assert.ok('Execution Time' in r.planJson[0]);
    assert.equal(r.readOnly, true);
  });

  it('ANALYZE of UPDATE needs allowWrite, then runs and is rolled back', async () => {
    const sql = `UPDATE ${S}.orders SET total = total + 1 WHERE customer_id < 100`;
    const refused = await failure(explain(sql, { analyze: true }));
    assert.equal(refused.kind, 'permission');
    assert.match(refused.message, /needs confirmation/);
    assert.match(refused.hint, /rolled back/);
    assert.match(refused.hint, /sequences/);
    const r = await explain(sql, { analyze: true, allowWrite: true });
    assert.equal(r.statementKind, 'update');
    assert.equal(r.readOnly, false);
    assert.equal((r.planJson[0].Plan as Record<string, unknown>)['Node Type'], 'ModifyTable');
    assert.ok(((r.planJson[0].Plan as Record<string, unknown>)['Actual Rows'] as number) >= 0);
  });

  it('ANALYZE of DELETE is rolled back', async () => {
    const r = await explain(`DELETE FROM ${S}.orders WHERE id % 2 = 0`, { analyze: true, allowWrite: true });
    assert.equal(r.statementKind, 'delete');
  });

  it('ANALYZE of INSERT ... RETURNING is rolled back; the sequence it used stays advanced', async () => {
    const seqBefore = (await snapshotSchema(target, schema)).sequences.orders_id_seq;
    const r = await explain(`INSERT INTO ${S}.orders (customer_id, total) SELECT 1, 5 FROM generate_series(1, 50) RETURNING id`, { analyze: true, allowWrite: true });
    assert.equal(r.statementKind, 'insert');
    const seqAfter = (await snapshotSchema(target, schema)).sequences.orders_id_seq;
    // nextval is not transactional: documented in writeConfirmationText
    assert.ok(Number(seqAfter.split(':')[0]) >= Number(seqBefore.split(':')[0]) + 50, `${seqBefore} -> ${seqAfter}`);
  });

  it('a read-only profile refuses ANALYZE of a write even when allowed', async () => {
    const e = await failure(explain(`UPDATE ${S}.orders SET note = 'x'`, { analyze: true, allowWrite: true, readOnlyProfile: true }));
    assert.equal(e.kind, 'permission');
    assert.match(e.message, /read-only/);
  });

  it('a SELECT calling a function that writes is stopped by READ ONLY, with a clear message', async () => {
    const e = await failure(explain(`SELECT ${S}.remember('explained')`, { analyze: true }));
    assert.equal(e.kind, 'sql');
    assert.equal(e.code, '25006');
    assert.match(e.message, /READ ONLY/);
    assert.match(e.message, /cannot execute INSERT in a read-only transaction/);
    assert.match(e.hint, /plain EXPLAIN/);
    // confirmed by the user: read-write, still rolled back (checked by afterEach)
    const r = await explain(`SELECT ${S}.remember('explained')`, { analyze: true, allowWrite: true });
    assert.equal(r.readOnly, false);
  });

  it('a data-modifying WITH and FOR UPDATE count as writes', async () => {
    const cte = await failure(explain(`WITH d AS (DELETE FROM ${S}.audit RETURNING *) SELECT count(*) FROM d`, { analyze: true }));
    assert.match(cte.message, /data-modifying WITH \(DELETE\)/);
    const lock = await failure(explain(`SELECT * FROM ${S}.customers WHERE id = 1 FOR UPDATE`, { analyze: true }));
    assert.match(lock.message, /FOR UPDATE/);
    const r = await explain(`SELECT * FROM ${S}.customers WHERE id = 1 FOR UPDATE`, { analyze: true, allowWrite: true });
    assert.equal(r.readOnly, false);
  });

  it('a statement running past the timeout is stopped and reported', async () => {
    const t0 = Date.now();
    const e = await failure(explain(`SELECT pg_sleep(5), count(*) FROM ${S}.orders`, { analyze: true, timeoutMs: 200 }));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /200 ms/);
    assert.ok(Date.now() - t0 < 3000);
    // the pool's connection is healthy and has no timeout left over
    assert.equal((await target.query('SHOW statement_timeout')).rows[0].statement_timeout, '0');
  });

  it('waiting for a lock is bounded by lock_timeout', async () => {
    const locker = new Client({ connectionString: DATABASE_URL });
    await locker.connect();
    try {
      await locker.query(`BEGIN; LOCK TABLE ${S}.orders IN ACCESS EXCLUSIVE MODE`);
      const e = await failure(explain(`SELECT * FROM ${S}.orders WHERE id = 1`, { lockTimeoutMs: 150 }));
      assert.equal(e.kind, 'timeout');
      assert.equal(e.code, '55P03');
      assert.match(e.message, /lock/);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });

  it('an AbortSignal cancels the running statement on the server', async () => {
    const controller = new AbortController();
    const t0 = Date.now();
    setTimeout(() => controller.abort(), 300);
    const e = await failure(explain(`SELECT pg_sleep(10)`, { analyze: true, signal: controller.signal }));
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    const active = await target.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'sqlperf' AND query LIKE '%pg_sleep(10)%' AND state = 'active' AND pid <> pg_backend_pid()`);
    assert.equal(active.rows[0].n, 0);
    // already aborted: nothing is sent
    const again = await failure(explain('SELECT 1', { signal: AbortSignal.abort() }));
    assert.equal(again.kind, 'cancelled');
  });

  it('refuses more than one statement and says how many it found', async () => {
    const e = await failure(explain(`SELECT 1; DELETE FROM ${S}.orders;`, { analyze: true, allowWrite: true }));
    assert.equal(e.kind, 'sql');
    assert.match(e.message, /Found 2 statements/);
  });

  it('refuses transaction control and utility statements', async () => {
    for (const [sql, re] of [
      ['BEGIN', /Transaction control/],
      [`VACUUM ${S}.orders`, /VACUUM.*utility statement/],
      [`CREATE TABLE ${S}.x (a int)`, /CREATE TABLE.*utility statement/],
      ['EXPLAIN SELECT 1', /already an EXPLAIN/],
    ] as const) {
      const e = await failure(explain(sql));
      assert.equal(e.kind, 'sql');
      assert.match(e.message, re);
    }
  });

  const styles: Array<[string, string, ParamValues]> = [
    ['$1', `SELECT * FROM ${S}.orders WHERE customer_id = $1 AND total > $2`, [42, 10]],
    [':name', `SELECT * FROM ${S}.orders WHERE customer_id = :cust AND total > :min`, { cust: 42, min: 10 }],
    ['?', `SELECT * FROM ${S}.orders WHERE customer_id = ? AND total > ?`, [42, 10]],
  ];
  for (const [style, sql, values] of styles) {
    it(`parameters ${style}: bound values give a custom plan, none give a generic plan`, async () => {
      const bound = await explain(sql, { params: values });
      assert.equal(bound.usedGenericPlan, false);
      assert.ok(conditions(bound.planJson).some((c) => c.includes('42')), conditions(bound.planJson).join(' | '));
      const analyzed = await explain(sql, { params: values, analyze: true });
      assert.equal(analyzed.analyzed, true);
      const generic = await explain(sql);
      assert.equal(generic.usedGenericPlan, true);
      assert.ok(conditions(generic.planJson).some((c) => c.includes('$1')), conditions(generic.planJson).join(' | '));
      assert.equal(generic.parameters.length, 2);
      const e = await failure(explain(sql, { analyze: true }));
      assert.match(e.message, /needs values/);
    });
  }

  it('a generic plan leaves no prepared statement behind (PREPARE path before PostgreSQL 16)', async () => {
    const one = new ServerTarget(await resolveConnectionConfig(envProfile(), noSecrets), { max: 1 });
    try {
      const r = await explainStatement(one, `SELECT * FROM ${S}.orders WHERE customer_id = :c`, { analyze: false });
      assert.equal(r.usedGenericPlan, true);
      const left = await one.query('SELECT count(*)::int AS n FROM pg_prepared_statements');
      assert.equal(left.rows[0].n, 0);
      // and again on the same connection (a leftover would make PREPARE fail)
      await explainStatement(one, `SELECT * FROM ${S}.orders WHERE customer_id = :c`, { analyze: false });
    } finally {
      await one.close();
    }
  });

  it('a jsonb ? operator is left alone while ? placeholders are bound', async () => {
    const r = await explain(`SELECT * FROM ${S}.customers WHERE attrs ? 'vip' AND id = ?`, { params: [3] });
    assert.equal(r.parameters.length, 1);
    assert.match(r.sentStatement, /attrs \? 'vip' AND id = \$1/);
  });

  it('points at the error in the text the caller gave', async () => {
    const sql = `-- find them\n  SELECT * FROM ${S}.orders WHERE custmer_id = :c`;
    const e = await failure(explain(sql, { params: { c: 1 } }));
    assert.equal(e.kind, 'sql');
    assert.match(e.message, /custmer_id/);
    assert.ok(e.position !== undefined);
    assert.ok(sql.slice(e.position).startsWith('custmer_id'), sql.slice(e.position));
  });

  it('mismatched parameter values are refused before anything runs', async () => {
    const e = await failure(explain(`SELECT * FROM ${S}.orders WHERE customer_id = :c AND id = :id`, { params: { c: 1 } }));
    assert.match(e.message, /no value for :id/);
  });

  it('leaves every table as it was', async () => {
    const now = await snapshotSchema(target, schema);
    assert.deepEqual(now.tables, initial.tables);
    assert.ok(Object.keys(now.tables).length === 3);
  });
});
