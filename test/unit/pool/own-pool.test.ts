/**
 * sqlperf's own pool in the pool diagnostics: ServerTarget.poolStats() against the real
 * server (node-postgres' counts while sessions are held and queued), and how the figures
 * and the backends named sqlperf reach the report.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noSecrets, PoolRegistry, type ServerTarget } from '../../../src/db';
import { ownPoolStats, ownPoolText, withOwnPool } from '../../../src/pool/own-pool';
import { isSqlperfApplication, summarize } from '../../../src/pool/summarize';
import type { ActivityRow } from '../../../src/pool/types';
import { requirePrerequisite } from '../../support/prerequisites';

const DATABASE_URL = process.env.SQLPERF_TEST_DATABASE_URL;

const row = (o: Partial<ActivityRow> & { pid: number }): ActivityRow => ({
  usename: 'app', application_name: 'web', client_addr: '10.0.0.1', backend_type: 'client backend', state: 'idle',
  backend_age: 600, xact_age: null, query_age: 1, state_age: 4, xmin_age: null, wait_event_type: null, wait_event: null, blocking_pids: [], query: 'SELECT 1', ...o,
});

describe('own pool figures in the report', () => {
  it('counts and lists the backends named sqlperf (or "sqlperf ..."), not look-alikes', () => {
    assert.ok(isSqlperfApplication('sqlperf'));
    assert.ok(isSqlperfApplication('sqlperf advisor'));
    assert.ok(!isSqlperfApplication('sqlperfect'));
    assert.ok(!isSqlperfApplication(null));
    const s = summarize(
      {
        versionNum: 150000, description: 'd', database: 'db', blksHit: 1, blksRead: 0, sessions: 1, settings: { max_connections: '100' },
        activity: [row({ pid: 1, application_name: 'sqlperf', state: 'active', query_age: 2 }), row({ pid: 2, application_name: 'sqlperf <img src=x onerror=alert(1)>' }), row({ pid: 3, application_name: 'sqlperfect' })],
      },
      { now: 0, ownPool: { total: 2, idle: 1, waiting: 0, max: 3 } },
    );
    assert.equal(s.sqlperf.backends, 2);
    assert.deepEqual(s.sqlperf.list?.map((b) => [b.pid, b.age]), [[1, 2], [2, 4]]);
    assert.deepEqual(s.sqlperf.pool, { total: 2, idle: 1, waiting: 0, max: 3 });
  });

  it('reads a target that has a pool and ignores one that has none (the embedded database)', () => {
    assert.equal(ownPoolStats({ kind: 'embedded' }), undefined);
    assert.deepEqual(ownPoolStats({ poolStats: () => ({ total: 2, idle: 2, waiting: 0, max: 3 }) }), { total: 2, idle: 2, waiting: 0, max: 3 });
    assert.equal(ownPoolText({ total: 2, idle: 1, waiting: 1, max: 3 }), '2 open (1 idle, 1 waiting) of at most 3');
    const base = summarize({ versionNum: 150000, description: 'd', database: 'db', blksHit: 0, blksRead: 0, sessions: null, settings: {}, activity: [] }, { now: 0 });
    assert.equal(withOwnPool(base, undefined), base);
    assert.deepEqual(withOwnPool(base, { total: 1, idle: 1, waiting: 0 }).sqlperf.pool, { total: 1, idle: 1, waiting: 0 });
  });
});

describe('ServerTarget.poolStats on the real server', { skip: requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set') }, () => {
  it('follows node-postgres: nothing before use, busy while held, waiting when the pool is full, idle after', async () => {
    const registry = new PoolRegistry(noSecrets, { env: { OWN_POOL_URL: DATABASE_URL }, max: 2 });
    const target = (await registry.target({ name: 'own-pool', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'OWN_POOL_URL' })) as ServerTarget;
    try {
      assert.deepEqual(target.poolStats(), { total: 0, idle: 0, waiting: 0, max: 2 });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let inside = 0;
      let bothIn!: () => void;
      const entered = new Promise<void>((r) => (bothIn = r));
      const hold = () =>
        target.withSession(async (s) => {
          await s.query('SELECT 1');
          if (++inside === 2) bothIn();
          await gate;
        });
      const running = [hold(), hold()];
      await entered;
      const third = target.withSession((s) => s.query('SELECT 1'));
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(target.poolStats(), { total: 2, idle: 0, waiting: 1, max: 2 }, 'two held, one queued');
      release();
      await Promise.all([...running, third]);
      assert.deepEqual(target.poolStats(), { total: 2, idle: 2, waiting: 0, max: 2 });
    } finally {
      await registry.closeAll();
    }
    assert.deepEqual(target.poolStats(), { total: 0, idle: 0, waiting: 0, max: 2 }, 'closed');
  });
});
