import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DbError, formatDbError } from '../../../src/db/errors';
import { PoolRegistry } from '../../../src/db/pools';
import { resolveConnectionConfig, type ConnectionProfile } from '../../../src/db/profiles';
import { memorySecrets, noSecrets } from '../../../src/db/secrets';
import { ServerTarget, type PoolHealth } from '../../../src/db/server-target';
import { DATABASE_URL, envProfile, holdServerShared, serverParts, skipWithoutServer, URL_ENV } from './helpers';

const PASSWORD = 'Sup3r-Secret-pw!';

/** The error a promise rejects with, as a DbError. */
async function failure(p: Promise<unknown>): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `expected a DbError, got ${e}`);
    return e;
  }
  assert.fail('expected a failure');
}

function assertNoSecret(e: DbError, ...secrets: string[]): void {
  const everything = `${e.message} ${e.hint} ${formatDbError(e)} ${String(e.stack)}`;
  for (const s of secrets) assert.ok(!everything.includes(s), `"${s}" leaked into: ${everything}`);
}

describe('connection pools (real server)', { skip: skipWithoutServer }, () => {
  let release: () => Promise<void>;
  const health: Array<[string, PoolHealth]> = [];
  const logs: string[] = [];
  const registry = new PoolRegistry(memorySecrets({ wrong: PASSWORD }), {
    connectTimeoutMs: 2000,
    retryDelayMs: 100,
    log: (m) => logs.push(m),
    onHealthChange: (name, h) => health.push([name, h]),
  });

  before(async () => {
    release = await holdServerShared();
  });
  after(async () => {
    await registry.closeAll();
    await release?.();
  });

  it('connects with a URL from the environment, as application "sqlperf"', async () => {
    const target = await registry.target(envProfile());
    const r = await target.query('SELECT current_setting($1) AS app, current_database() AS db', ['application_name']);
    assert.equal(r.rows[0].app, 'sqlperf');
    assert.equal(r.rows[0].db, serverParts().database);
    assert.equal(registry.health('test'), 'ok');
  });

  it('reads the server version once per pool', async () => {
    const target = await registry.target(envProfile());
    const v = await target.serverVersionNum();
    assert.ok(v >= 120000 && v < 1000000, String(v));
    assert.equal(target.serverVersionNum(), target.serverVersionNum()); // the same cached promise
  });

  it('does not set a global statement_timeout', async () => {
    const target = await registry.target(envProfile());
    const r = await target.query('SHOW statement_timeout');
    assert.equal(r.rows[0].statement_timeout, '0');
  });

  it('reports an unreachable server with host and port and what to check', async () => {
    const p = serverParts();
    const profile: ConnectionProfile = { name: 'nowhere', ...p, port: 1, ssl: 'disable' };
    const e = await failure(registry.withClient(profile, (s) => s.query('SELECT 1')));
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, new RegExp(`${p.host.replace(/\./g, '\\.')}:1`));
    assert.match(e.message, /connection refused/);
    assert.match(e.hint, /running/);
    assert.equal(registry.health('nowhere'), 'unhealthy');
  });

  it('reports a missing database by name', async () => {
    const profile: ConnectionProfile = { name: 'nodb', ...serverParts(), database: 'sqlperf_no_such_db', ssl: 'disable' };
    const e = await failure(registry.withClient(profile, (s) => s.query('SELECT 1')));
    assert.equal(e.kind, 'database-missing');
    assert.match(e.message, /"sqlperf_no_such_db" does not exist on .+:\d+/);
    assert.match(e.hint, /database name/);
  });

  it('reports a rejected login without the password (stored secret)', async () => {
    // trust auth accepts any password, so provoke the failure with a role that does not exist
    const profile: ConnectionProfile = { name: 'wrong', ...serverParts(), user: 'sqlperf_no_such_role', ssl: 'disable' };
    const e = await failure(registry.withClient(profile, (s) => s.query('SELECT 1')));
    assert.equal(e.kind, 'auth');
    assert.equal(e.code, '28000');
    assert.match(e.message, /sqlperf_no_such_role/);
    assert.match(e.message, /rejected the login/);
    assertNoSecret(e, PASSWORD);
  });

  it('reports a rejected login without the password (URL from the environment)', async () => {
    const p = serverParts();
    const env = { MY_URL: `postgresql://sqlperf_no_such_role:${encodeURIComponent(PASSWORD)}@${p.host}:${p.port}/${p.database}?sslmode=disable` };
    const resolved = await resolveConnectionConfig({ name: 'envpw', host: '', port: 5432, database: '', user: '', urlFromEnv: 'MY_URL' }, noSecrets, env);
    assert.equal(resolved.config.password, PASSWORD);
    assert.equal(resolved.description, `sqlperf_no_such_role@${p.host}:${p.port}/${p.database}`);
    const target = new ServerTarget(resolved);
    try {
      const e = await failure(target.query('SELECT 1'));
      assert.equal(e.kind, 'auth');
      assertNoSecret(e, PASSWORD, encodeURIComponent(PASSWORD), env.MY_URL);
    } finally {
      await target.close();
    }
  });

  it('says which environment variable is missing', async () => {
    const r = new PoolRegistry(noSecrets, { env: {} });
    const e = await failure(r.target(envProfile({ name: 'noenv' })));
    assert.equal(e.kind, 'other');
    assert.match(e.message, new RegExp(URL_ENV));
    await r.closeAll();
  });

  it('falls back to a plain connection with ssl "prefer" and fails clearly with "require" when the server has no TLS', async (t) => {
    const target = await registry.target(envProfile({ name: 'tls-probe' }));
    const tls = (await target.query('SHOW ssl')).rows[0].ssl;
    if (tls === 'on') return t.skip('this server has TLS; the fallback path cannot be exercised');
    const prefer = await registry.target({ name: 'prefer', ...serverParts(), ssl: 'prefer' });
    assert.equal((await prefer.query('SELECT 1 AS one')).rows[0].one, 1);
    const e = await failure(registry.withClient({ name: 'require', ...serverParts(), ssl: 'require' }, (s) => s.query('SELECT 1')));
    assert.match(e.message, /SSL/);
    assert.match(e.hint, /"ssl"/);
  });

  it('survives its connections being terminated: idle ones and one in use', async () => {
    const target = await registry.target(envProfile({ name: 'terminated' }));
    // open two connections and leave them idle in the pool
    const pids = await Promise.all([0, 1].map(() => target.withSession(async (s) => (await s.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')).rows[0].pid)));
    const admin = await registry.target(envProfile({ name: 'admin', readOnly: true }));
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    await new Promise((r) => setTimeout(r, 200)); // let the idle clients see it
    assert.equal((await target.query('SELECT 1 AS one')).rows[0].one, 1);
    assert.ok(health.some(([n, h]) => n === 'terminated' && h === 'unhealthy'), JSON.stringify(health));
    assert.equal(registry.health('terminated'), 'ok');
    assert.ok(logs.some((m) => /closed|lost/.test(m)));

    // a connection that dies between two statements of a session: idempotent work is re-run once
    let attempts = 0;
    const result = await target.withSession(
      async (s) => {
        attempts++;
        const pid = (await s.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        if (attempts === 1) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        return (await s.query('SELECT 42 AS answer')).rows[0].answer;
      },
      { idempotent: true },
    );
    assert.equal(result, 42);
    assert.equal(attempts, 2);

    // ... and work that is not idempotent is reported, not repeated
    attempts = 0;
    const e = await failure(
      target.withSession(async (s) => {
        attempts++;
        const pid = (await s.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        await s.query('SELECT 1');
      }),
    );
    assert.equal(attempts, 1);
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /Lost the connection/);
  });

  it('a changed profile gets a new pool; closeAll closes every pool', async () => {
    const r = new PoolRegistry(noSecrets);
    const a = await r.target(envProfile({ name: 'x' }));
    assert.equal(await r.target(envProfile({ name: 'x' })), a);
    const b = await r.target(envProfile({ name: 'x', readOnly: true }));
    assert.notEqual(b, a);
    await b.query('SELECT 1');
    await r.closeAll();
    assert.equal(r.health('x'), 'unknown');
    const e = await failure(b.query('SELECT 1'));
    assert.match(e.message, /closed/);
  });
});

// Keep the URL out of test names and messages: it may carry a password in CI.
void DATABASE_URL;
