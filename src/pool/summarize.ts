/**
 * pg_stat_activity rows + settings + pg_stat_database figures -> a ServerSnapshot. Pure.
 */
import type { SnapshotOptions, Thresholds } from './server-queries';
import type { ActivityRow, BackendRef, LockWait, ServerSnapshot } from './types';

export interface RawServerState {
  versionNum: number;
  description: string;
  database: string;
  /** every row of pg_stat_activity, the reader's own included */
  activity: ActivityRow[];
  /** pg_settings: "setting unit" ("0 ms", "100") or null */
  settings: Record<string, string | null>;
  blksHit: number;
  blksRead: number;
  /** pg_stat_database.sessions (14+) */
  sessions: number | null;
}

const DEFAULTS: Thresholds = { idleInTransactionSeconds: 30, longQuerySeconds: 60, longTransactionSeconds: 300 };

/** The application name sqlperf's own pools use. */
export const SQLPERF_APPLICATION_NAME = 'sqlperf';

/** 'sqlperf', or a name that starts with it as a word ('sqlperf advisor'): this tool's own connections. */
export function isSqlperfApplication(name: string | null): boolean {
  return name !== null && name.startsWith(SQLPERF_APPLICATION_NAME) && !/^\w/.test(name.slice(SQLPERF_APPLICATION_NAME.length));
}

function intSetting(settings: Record<string, string | null>, name: string): number {
  const v = settings[name];
  const n = v == null ? NaN : parseInt(v, 10);
  return Number.isFinite(n) ? n : 0;
}

function inc(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

function ref(r: ActivityRow, age: number | null): BackendRef {
  return { pid: r.pid, user: r.usename, application: r.application_name, client: r.client_addr, state: r.state, age: Math.round((age ?? 0) * 10) / 10, query: r.query };
}

export function summarize(raw: RawServerState, options: SnapshotOptions & { now: number }): ServerSnapshot {
  const t = { ...DEFAULTS, ...options.thresholds };
  const maxConnections = intSetting(raw.settings, 'max_connections');
  const reserved = intSetting(raw.settings, 'superuser_reserved_connections') + (raw.versionNum >= 160000 ? intSetting(raw.settings, 'reserved_connections') : 0);
  const usable = Math.max(0, maxConnections - reserved);
  // the reader's own backend is included: the counts are exactly what pg_stat_activity says
  const clients = raw.activity.filter((r) => r.backend_type === 'client backend');
  const clientConnections = clients.length;

  const byState: Record<string, number> = {};
  const byApplication: Record<string, number> = {};
  const byUser: Record<string, number> = {};
  const byClient: Record<string, number> = {};
  for (const r of clients) {
    inc(byState, r.state ?? 'unknown');
    inc(byApplication, r.application_name || '(none)');
    inc(byUser, r.usename ?? '(unknown)');
    inc(byClient, r.client_addr ?? 'local socket');
  }

  const iit = clients.filter((r) => r.state === 'idle in transaction' || r.state === 'idle in transaction (aborted)');
  const iitOver = iit.filter((r) => (r.state_age ?? 0) >= t.idleInTransactionSeconds).sort((a, b) => (b.state_age ?? 0) - (a.state_age ?? 0));
  const oldestIit = iit.reduce<number | null>((m, r) => (r.state_age !== null && (m === null || r.state_age > m) ? r.state_age : m), null);

  const longQueries = raw.activity
    .filter((r) => r.state === 'active' && (r.query_age ?? 0) >= t.longQuerySeconds && r.backend_type !== 'autovacuum worker' && !/^autovacuum:/i.test(r.query ?? ''))
    .sort((a, b) => (b.query_age ?? 0) - (a.query_age ?? 0))
    .map((r) => ref(r, r.query_age));
  const longTransactions = raw.activity
    .filter((r) => (r.xact_age ?? 0) >= t.longTransactionSeconds && r.backend_type !== 'autovacuum worker')
    .sort((a, b) => (b.xact_age ?? 0) - (a.xact_age ?? 0))
    .map((r) => ref(r, r.xact_age));
  const oldestXminAge = raw.activity.reduce<number | null>((m, r) => (r.xmin_age !== null && (m === null || r.xmin_age > m) ? r.xmin_age : m), null);

  const byPid = new Map(raw.activity.map((r) => [r.pid, r]));
  const lockWaits: LockWait[] = raw.activity
    .filter((r) => r.blocking_pids.length > 0)
    .map((r) => ({
      pid: r.pid,
      application: r.application_name,
      waitSeconds: Math.round((r.state === 'active' ? (r.query_age ?? 0) : (r.state_age ?? 0)) * 10) / 10,
      query: r.query,
      blockedBy: r.blocking_pids.map((p) => {
        const b = byPid.get(p);
        return b ? ref(b, b.xact_age ?? b.state_age) : { pid: p, user: null, application: null, client: null, state: null, age: 0, query: null };
      }),
    }))
    .sort((a, b) => b.waitSeconds - a.waitSeconds);

  const startedLastMinute = clients.filter((r) => r.backend_age !== null && r.backend_age < 60).length;
  const prev = options.previous;
  let sessionsPerMinute: number | null = null;
  if (prev && prev.churn.sessionsTotal !== null && raw.sessions !== null && options.now > prev.takenAt && raw.sessions >= prev.churn.sessionsTotal) {
    sessionsPerMinute = Math.round(((raw.sessions - prev.churn.sessionsTotal) * 60_000 * 10) / (options.now - prev.takenAt)) / 10;
  }

  const total = raw.blksHit + raw.blksRead;
  const ownBackends = clients.filter((r) => isSqlperfApplication(r.application_name));

  return {
    takenAt: options.now,
    description: raw.description,
    versionNum: raw.versionNum,
    database: raw.database,
    maxConnections,
    reservedConnections: reserved,
    usableConnections: usable,
    clientConnections,
    utilization: usable > 0 ? Math.round((clientConnections / usable) * 1000) / 1000 : 0,
    byState,
    byApplication,
    byUser,
    byClient,
    idleInTransaction: { count: iit.length, oldestSeconds: oldestIit === null ? null : Math.round(oldestIit * 10) / 10, backends: iitOver.map((r) => ref(r, r.state_age)) },
    longQueries,
    longTransactions,
    oldestXminAge,
    lockWaits,
    churn: { sessionsTotal: raw.sessions, startedLastMinute, sessionsPerMinute },
    cache: { hit: raw.blksHit, read: raw.blksRead, hitRate: total > 0 ? raw.blksHit / total : null },
    settings: raw.settings,
    sqlperf: { backends: ownBackends.length, ...(options.ownPool ? { pool: options.ownPool } : {}), list: ownBackends.map((r) => ref(r, r.state === 'active' ? r.query_age : r.state_age)) },
  };
}
