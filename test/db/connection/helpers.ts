/**
 * Shared by the database test files (connection, explain): the server URL, a schema per
 * test file, table snapshots, and a server-wide lock that keeps the restart test from
 * restarting PostgreSQL under another test file. Node's runner runs files in parallel, so
 * every file that uses the server holds the lock in shared mode; the restart test takes it
 * exclusively, which waits for them and makes new ones wait (advisory locks queue fairly).
 */
import { Client, escapeIdentifier } from 'pg';
import { requirePrerequisite } from '../../support/prerequisites';
import type { ConnectionProfile } from '../../../src/db/profiles';
import type { QueryTarget } from '../../../src/db/target';

export const URL_ENV = 'SQLPERF_TEST_DATABASE_URL';
export const DATABASE_URL = process.env[URL_ENV];

/** `false` when the server is configured, else a skip reason (a failure under SQLPERF_REQUIRE_ALL=1). */
export const skipWithoutServer = requirePrerequisite(!!DATABASE_URL, `${URL_ENV} (a PostgreSQL server) is not set`);

/** A profile that takes the test server's URL from the environment, as users can. */
export function envProfile(overrides: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return { name: 'test', host: '', port: 5432, database: '', user: '', urlFromEnv: URL_ENV, ...overrides };
}

/** The test URL's parts, for profiles that change one of them. */
export function serverParts(): { host: string; port: number; database: string; user: string } {
  const u = new URL(DATABASE_URL!.replace(/^postgres(ql)?:/, 'http:'));
  return { host: u.hostname, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.slice(1)), user: decodeURIComponent(u.username) };
}

export function uniqueSchema(prefix: string): string {
  return `sqlperf_${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export const q = escapeIdentifier;

const LOCK_KEY = 7_400_331; // any constant shared by the test files

/** Holds the server lock in shared mode until the returned function is called. */
export function holdServerShared(): Promise<() => Promise<void>> {
  return holdLock('pg_advisory_lock_shared');
}

/** Takes the server lock exclusively (waits for every shared holder). */
export function holdServerExclusive(): Promise<() => Promise<void>> {
  return holdLock('pg_advisory_lock');
}

async function holdLock(fn: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const client = new Client({ connectionString: DATABASE_URL, application_name: 'sqlperf-test-lock' });
    client.on('error', () => undefined); // a restart ends this session; that is expected
    try {
      await client.connect();
      await client.query(`SELECT ${fn}($1)`, [LOCK_KEY]);
      return async () => {
        await client.end().catch(() => undefined);
      };
    } catch (e) {
      // the restart test restarted the server while we queued: wait for it to come back
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw e;
      await sleep(300);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until the server accepts connections again. */
export async function waitForServer(timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new Client({ connectionString: DATABASE_URL });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return;
    } catch (e) {
      await c.end().catch(() => undefined);
      if (Date.now() > deadline) throw e;
      await sleep(200);
    }
  }
}

/** An md5 of every row of every table in `schema`, and every sequence's state. */
export async function snapshotSchema(target: Pick<QueryTarget, 'query'>, schema: string): Promise<{ tables: Record<string, string>; sequences: Record<string, string> }> {
  const tables: Record<string, string> = {};
  const sequences: Record<string, string> = {};
  const rels = await target.query(
    `SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'S') ORDER BY 1`,
    [schema],
  );
  for (const r of rels.rows) {
    const name = `${q(schema)}.${q(String(r.relname))}`;
    if (r.relkind === 'r') {
      const row = await target.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM ${name} t`);
      tables[String(r.relname)] = `${row.rows[0].n}:${row.rows[0].h}`;
    } else {
      const row = await target.query(`SELECT last_value::text AS v, is_called FROM ${name}`);
      sequences[String(r.relname)] = `${row.rows[0].v}:${row.rows[0].is_called}`;
    }
  }
  return { tables, sequences };
}
