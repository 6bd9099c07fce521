/**
 * Reading the server's side: pg_stat_activity, pg_settings, pg_stat_database. The SQL is
 * constant (no identifiers or values pasted); the figures are summarized by summarize.ts,
 * a pure function, so the counting is tested without a server.
 */
import type { QueryTarget } from '../db';
import { summarize, type RawServerState } from './summarize';
import type { ActivityRow, OwnPoolStats, ServerSnapshot } from './types';

export const WATCHED_SETTINGS = [
  'max_connections',
  'superuser_reserved_connections',
  'reserved_connections',
  'idle_in_transaction_session_timeout',
  'statement_timeout',
  'idle_session_timeout',
  'lock_timeout',
  'tcp_keepalives_idle',
] as const;

const ACTIVITY_SQL = `SELECT pid, usename::text AS usename, application_name, host(client_addr) AS client_addr,
  backend_type, state,
  extract(epoch FROM now() - backend_start)::float8 AS backend_age,
  extract(epoch FROM now() - xact_start)::float8 AS xact_age,
  extract(epoch FROM now() - query_start)::float8 AS query_age,
  extract(epoch FROM now() - state_change)::float8 AS state_age,
  age(backend_xmin)::int8 AS xmin_age,
  wait_event_type, wait_event,
  pg_blocking_pids(pid) AS blocking_pids,
  left(query, 500) AS query
FROM pg_stat_activity`;

const SETTINGS_SQL = `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1::text[])`;

export interface SnapshotOptions {
  previous?: ServerSnapshot | null;
  thresholds?: Partial<Thresholds>;
  /** this process's own pool, when the caller knows it */
  ownPool?: OwnPoolStats;
  now?: number;
}

export interface Thresholds {
  /** seconds idle in transaction before it is reported */
  idleInTransactionSeconds: number;
  /** seconds an active query runs before it is reported */
  longQuerySeconds: number;
  /** seconds a transaction is open before it is reported */
  longTransactionSeconds: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { idleInTransactionSeconds: 30, longQuerySeconds: 60, longTransactionSeconds: 300 };

/** One snapshot of the server; rejects with the target's DbError when the server is unreachable. */
export async function takeServerSnapshot(target: QueryTarget, options: SnapshotOptions = {}): Promise<ServerSnapshot> {
  const versionNum = await target.serverVersionNum();
  const dbSql =
    versionNum >= 140000
      ? `SELECT current_database() AS database, sum(blks_hit)::int8 AS blks_hit, sum(blks_read)::int8 AS blks_read, sum(sessions)::int8 AS sessions FROM pg_stat_database WHERE datname = current_database()`
      : `SELECT current_database() AS database, sum(blks_hit)::int8 AS blks_hit, sum(blks_read)::int8 AS blks_read, NULL::int8 AS sessions FROM pg_stat_database WHERE datname = current_database()`;
  // one session: the three reads see the same moment closely enough, and use one connection
  const raw = await target.withSession(
    async (s) => {
      const activity = await s.query(ACTIVITY_SQL);
      const settings = await s.query(SETTINGS_SQL, [[...WATCHED_SETTINGS]]);
      const db = await s.query(dbSql);
      return { activity: activity.rows, settings: settings.rows, db: db.rows[0] ?? {} };
    },
    { idempotent: true },
  );
  const state: RawServerState = {
    versionNum,
    description: target.description,
    activity: raw.activity.map(toActivityRow),
    settings: Object.fromEntries(raw.settings.map((r) => [String(r.name), r.setting == null ? null : `${r.setting}${r.unit && r.unit !== '' ? ` ${r.unit}` : ''}`])),
    database: String(raw.db.database ?? ''),
    blksHit: num(raw.db.blks_hit) ?? 0,
    blksRead: num(raw.db.blks_read) ?? 0,
    sessions: num(raw.db.sessions),
  };
  return summarize(state, { ...options, now: options.now ?? Date.now() });
}

function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

function pids(v: unknown): number[] {
  if (Array.isArray(v)) return v.map(Number).filter(Number.isFinite);
  if (typeof v === 'string') return v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number).filter(Number.isFinite);
  return [];
}

export function toActivityRow(r: Record<string, unknown>): ActivityRow {
  return {
    pid: Number(r.pid),
    usename: str(r.usename),
    application_name: str(r.application_name),
    client_addr: str(r.client_addr),
    backend_type: str(r.backend_type),
    state: str(r.state),
    backend_age: num(r.backend_age),
    xact_age: num(r.xact_age),
    query_age: num(r.query_age),
    state_age: num(r.state_age),
    xmin_age: num(r.xmin_age),
    wait_event_type: str(r.wait_event_type),
    wait_event: str(r.wait_event),
    blocking_pids: pids(r.blocking_pids),
    query: str(r.query),
  };
}
