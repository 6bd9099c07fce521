/**
 * A real server restart in the middle of a session: the pool's idle connections die with
 * 57P01 (admin_shutdown), the next explain must simply work. Restarting needs the server on
 * this machine with pg_ctlcluster (Debian's wrapper; CI has the same). The server-wide lock
 * from helpers.ts makes this wait for the other database test files and hold them off
 * while the server restarts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { explainStatement } from '../../../src/db/explain-runner';
import { PoolRegistry } from '../../../src/db/pools';
import { noSecrets } from '../../../src/db/secrets';
import type { PoolHealth } from '../../../src/db/server-target';
import { requirePrerequisite } from '../../support/prerequisites';
import { DATABASE_URL, envProfile, holdServerExclusive, serverParts, waitForServer } from './helpers';

const CLUSTER = process.env.SQLPERF_TEST_PG_CLUSTER ?? '15 main';

function localCluster(): boolean {
  if (!DATABASE_URL) return false;
  const { host, port } = serverParts();
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return false;
  try {
    const list = execFileSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' });
    const [version, name] = CLUSTER.split(' ');
    return list.split('\n').some((l) => {
      const f = l.trim().split(/\s+/);
      return f[0] === version && f[1] === name && Number(f[2]) === port && f[3] === 'online';
    });
  } catch {
    return false;
  }
}

const skip = requirePrerequisite(localCluster(), `a local PostgreSQL cluster "${CLUSTER}" serving SQLPERF_TEST_DATABASE_URL, restartable with pg_ctlcluster`);

describe('server restart during a session', { skip }, () => {
  let release: (() => Promise<void>) | undefined;
  const health: PoolHealth[] = [];
  const registry = new PoolRegistry(noSecrets, { retryDelayMs: 300, onHealthChange: (_n, h) => health.push(h) });

  before(async () => {
    release = await holdServerExclusive();
  });
  after(async () => {
    await registry.closeAll();
    await waitForServer(); // whatever happened, leave the server up for the others
    await release?.();
  });

  it('the next explain after a restart works', async () => {
    const target = await registry.target(envProfile());
    // warm the pool: two connections idle in it
    await Promise.all([0, 1].map(() => explainStatement(target, 'SELECT 1 FROM pg_class WHERE oid = $1', { analyze: true, params: [1259] })));
    const pidsBefore = (await target.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;

    const [version, name] = CLUSTER.split(' ');
    const t0 = Date.now();
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'restart'], { stdio: 'pipe', timeout: 60_000 });
    const restartMs = Date.now() - t0;

    const r = await explainStatement(target, 'SELECT count(*) FROM pg_class', { analyze: true });
    assert.ok(r.planJson[0].Plan);
    const pidAfter = (await target.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    assert.notEqual(pidAfter, pidsBefore);
    assert.ok(health.includes('unhealthy'), `the pool noticed the dropped connections (${health.join(', ')})`);
    assert.equal(health[health.length - 1], 'ok');
    assert.ok(restartMs < 30_000, `restart took ${restartMs} ms`);
  });
});
