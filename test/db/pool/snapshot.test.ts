/**
 * The server side of pool diagnostics against a real PostgreSQL: idle connections, one idle
 * in transaction past the threshold, one blocked on another's lock, a burst of short
 * sessions. Every figure is checked against pg_stat_activity, filtered by this file's own
 * application_name; everything opened is closed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { noSecrets, PoolRegistry, type QueryTarget } from '../../../src/db';
import { serverFindings } from '../../../src/pool/findings';
import { takeServerSnapshot } from '../../../src/pool/server-queries';
import { DATABASE_URL, envProfile, holdServerShared, q, skipWithoutServer, uniqueSchema } from '../connection/helpers';

const APP = `sqlperf-pooltest-${process.pid}`;
const schema = uniqueSchema('pool');

describe('pool snapshot on a real server', { skip: skipWithoutServer }, () => {
  let release: () => Promise<void>;
  let registry: PoolRegistry;
  let target: QueryTarget;
  const opened: Client[] = [];
  const open = async (suffix: string): Promise<Client> => {
    const c = new Client({ connectionString: DATABASE_URL, application_name: `${APP}-${suffix}` });
    c.on('error', () => undefined);
    await c.connect();
    opened.push(c);
    return c;
  };
  let idlePids: number[] = [];
  let iitPid = 0;
  let blockerPid = 0;
  let waiterPid = 0;
  let waiting: Promise<unknown> | undefined;

  before(async () => {
    release = await holdServerShared();
    registry = new PoolRegistry(noSecrets, { max: 2 });
    target = await registry.target(envProfile());
    const setup = await open('setup');
    await setup.query(`CREATE SCHEMA ${q(schema)}; CREATE TABLE ${q(schema)}.t (id int primary key, n int); INSERT INTO ${q(schema)}.t VALUES (1, 0)`);
    // three idle connections
    for (let i = 0; i < 3; i++) {
      const c = await open('idle');
      idlePids.push(Number((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid));
    }
    // idle in transaction, holding a row lock
    const blocker = await open('blocker');
    blockerPid = Number((await blocker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    await blocker.query('BEGIN');
    await blocker.query(`UPDATE ${q(schema)}.t SET n = n + 1 WHERE id = 1`);
    iitPid = blockerPid;
    // blocked on that lock
    const waiter = await open('waiter');
    waiterPid = Number((await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    waiting = waiter.query(`UPDATE ${q(schema)}.t SET n = n + 1 WHERE id = 1`).catch(() => undefined);
    // a burst of short sessions
    for (let i = 0; i < 5; i++) {
      const c = new Client({ connectionString: DATABASE_URL, application_name: `${APP}-burst` });
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
    }
    // let the waiter queue and the idle-in-transaction age past the (lowered) threshold
    const deadline = Date.now() + 10_000;
    for (;;) {
      const r = await setup.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [waiterPid]);
      if (r.rows[0].n === 1 || Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await new Promise((res) => setTimeout(res, 1200));
  });

  after(async () => {
    // the blocker rolls back, which frees the waiter; then everyone leaves
    for (const c of opened) await c.query('ROLLBACK').catch(() => undefined);
    await waiting;
    const cleanup = new Client({ connectionString: DATABASE_URL });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA IF EXISTS ${q(schema)} CASCADE`).catch(() => undefined);
    await cleanup.end();
    await Promise.all(opened.map((c) => c.end().catch(() => undefined)));
    await registry?.closeAll();
    await release?.();
  });

  it('counts equal pg_stat_activity; idle in transaction, lock wait and blocker are named', async () => {
    const snap = await takeServerSnapshot(target, { thresholds: { idleInTransactionSeconds: 1 } });
    const check = new Client({ connectionString: DATABASE_URL });
    await check.connect();
    try {
      const byApp = await check.query(`SELECT application_name, count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE $1 GROUP BY 1`, [`${APP}-%`]);
      for (const r of byApp.rows) assert.equal(snap.byApplication[r.application_name], r.n, r.application_name);
      assert.equal(snap.byApplication[`${APP}-idle`], 3);
      assert.equal(snap.byApplication[`${APP}-burst`], undefined, 'short sessions are gone');
      const max = Number((await check.query('SHOW max_connections')).rows[0].max_connections);
      assert.equal(snap.maxConnections, max);
      assert.ok(snap.clientConnections >= 6);
    } finally {
      await check.end();
    }
    const iit = snap.idleInTransaction.backends.find((b) => b.pid === iitPid);
    assert.ok(iit, 'the idle-in-transaction backend is listed');
    assert.ok(iit.age >= 1, `age ${iit.age}`);
    const wait = snap.lockWaits.find((w) => w.pid === waiterPid);
    assert.ok(wait, 'the lock wait is listed');
    assert.deepEqual(wait.blockedBy.map((b) => b.pid), [blockerPid]);
    assert.equal(wait.blockedBy[0].application, `${APP}-blocker`);
    assert.ok(snap.churn.startedLastMinute >= 6);
    if (snap.versionNum >= 140000) assert.ok(snap.churn.sessionsTotal !== null && snap.churn.sessionsTotal > 0);
    assert.ok(snap.sqlperf.backends >= 1, "sqlperf's own connection is counted");

    const findings = serverFindings(snap);
    const iitFinding = findings.find((f) => f.id === 'idle-in-transaction');
    assert.ok(iitFinding?.pids?.includes(iitPid));
    assert.match(iitFinding!.detail, new RegExp(`pid ${iitPid} \\(${APP}-blocker\\) \\d+ s`));
    const lock = findings.find((f) => f.id === 'lock-wait' && f.pids?.[0] === waiterPid);
    assert.ok(lock, 'lock-wait finding for the waiter');
    assert.match(lock.detail, new RegExp(`blocked by pid ${blockerPid}`));
    for (const p of idlePids) assert.ok(!findings.some((f) => f.pids?.includes(p)), 'plain idle connections are fine');
  });

  it('churn per minute from two snapshots (14+)', async () => {
    const first = await takeServerSnapshot(target);
    for (let i = 0; i < 3; i++) {
      const c = new Client({ connectionString: DATABASE_URL, application_name: `${APP}-burst` });
      await c.connect();
      await c.end();
    }
    const second = await takeServerSnapshot(target, { previous: first });
    if (second.versionNum < 140000) return;
    assert.ok(second.churn.sessionsPerMinute !== null && second.churn.sessionsPerMinute > 0);
  });
});
