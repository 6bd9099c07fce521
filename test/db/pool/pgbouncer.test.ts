/**
 * PgBouncer (Debian's /usr/sbin/pgbouncer) started on a free loopback port in front of the
 * test server, default_pool_size 1: one client holds the only server connection in a
 * transaction, a second waits; SHOW POOLS must show it waiting. The process is stopped by pid.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { pgbouncerFindings } from '../../../src/pool/findings';
import { takePgBouncerSnapshot } from '../../../src/pool/pgbouncer';
import { requirePrerequisite } from '../../support/prerequisites';
import { DATABASE_URL, serverParts, skipWithoutServer } from '../connection/helpers';

const PGBOUNCER = '/usr/sbin/pgbouncer';
const skip = skipWithoutServer || requirePrerequisite(existsSync(PGBOUNCER), `${PGBOUNCER} (apt-get install pgbouncer)`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

describe('PgBouncer SHOW POOLS', { skip }, () => {
  let proc: ChildProcess | undefined;
  let dir = '';
  let port = 0;
  const clients: Client[] = [];
  let pending: Promise<unknown> | undefined;

  before(async () => {
    const parts = serverParts();
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-pgb-'));
    port = await freePort();
    writeFileSync(join(dir, 'users.txt'), `"${parts.user}" ""\n`);
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      `[databases]
${parts.database} = host=${parts.host} port=${parts.port} dbname=${parts.database}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'users.txt')}
admin_users = ${parts.user}
pool_mode = transaction
default_pool_size = 1
max_client_conn = 20
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${join(dir, 'pgbouncer.pid')}
`,
    );
    // PgBouncer refuses to run as root: drop to the postgres (or nobody) user with setpriv,
    // which execs in place, so proc.pid is PgBouncer's own pid.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir, 0o777);
    const user = existsSync('/var/lib/postgresql') ? 'postgres' : 'nobody';
    proc = asRoot
      ? spawn('/usr/bin/setpriv', [`--reuid=${user}`, `--regid=${user}`, '--clear-groups', PGBOUNCER, join(dir, 'pgbouncer.ini')], { stdio: 'ignore' })
      : spawn(PGBOUNCER, [join(dir, 'pgbouncer.ini')], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const c = new Client({ host: '127.0.0.1', port, user: parts.user, database: 'pgbouncer' });
      try {
        await c.connect();
        await c.end();
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const holder = new Client({ host: '127.0.0.1', port, user: parts.user, database: parts.database });
    const waiter = new Client({ host: '127.0.0.1', port, user: parts.user, database: parts.database });
    clients.push(holder, waiter);
    for (const c of clients) {
      c.on('error', () => undefined);
      await c.connect();
    }
    await holder.query('BEGIN');
    await holder.query('SELECT 1');
    pending = waiter.query('SELECT 1').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1200));
  });

  after(async () => {
    await clients[0]?.query('ROLLBACK').catch(() => undefined);
    await pending;
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    if (proc?.pid) process.kill(proc.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sees the waiting client and reports it', async () => {
    const parts = serverParts();
    const admin = new Client({ host: '127.0.0.1', port, user: parts.user, database: 'pgbouncer' });
    await admin.connect();
    try {
      const snap = await takePgBouncerSnapshot({ query: (sql: string) => admin.query(sql) });
      const pool = snap.pools.find((p) => p.database === parts.database);
      assert.ok(pool, JSON.stringify(snap.pools));
      assert.equal(pool.cl_waiting, 1);
      assert.equal(pool.sv_active, 1);
      assert.equal(snap.clientsWaiting, 1);
      assert.ok(snap.maxWait >= 1, `maxwait ${snap.maxWait}`);
      assert.ok(snap.databases.some((d) => d.name === parts.database));
      assert.ok(snap.stats.length >= 1);
      const [f] = pgbouncerFindings(snap);
      assert.equal(f.id, 'pgbouncer-clients-waiting');
      assert.equal(f.severity, 'warning');
    } finally {
      await admin.end();
    }
    assert.ok(DATABASE_URL);
  });
});
