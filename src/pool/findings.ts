/**
 * Findings: the server's figures and the application's pool settings, joined. Pure: plain
 * data in, findings out, most severe first.
 */
import type { AppPoolConfig, BackendRef, Finding, PgBouncerSnapshot, ServerSnapshot, Severity } from './types';

export interface FindingOptions {
  /** processes running each app pool (setting sqlperf.pool.instances) */
  instances?: number;
  /** utilization at which slots warn / are critical */
  warnUtilization?: number;
  criticalUtilization?: number;
  /** new sessions per minute past which churn is reported */
  churnPerMinute?: number;
  /** cache hit rate under which it is reported, and the blocks needed before it means anything */
  minCacheHitRate?: number;
  minCacheBlocks?: number;
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

const where = (p: AppPoolConfig): string => `${p.file}:${p.line}`;
const secs = (s: number): string => (s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);
const backends = (list: BackendRef[], max = 5): string =>
  list
    .slice(0, max)
    .map((b) => `pid ${b.pid}${b.application ? ` (${b.application})` : ''} ${secs(b.age)}`)
    .join(', ') + (list.length > max ? `, and ${list.length - max} more` : '');

/** Functions that create a pool once per process, by their usual names. */
const SETUP_FUNCTION = /^(main|init|__init__|setup|set_up|create|make|new|build|connect|open|get_?engine|get_?pool|init_?db|configure|bootstrap|<module>)/i;

export function serverFindings(s: ServerSnapshot, o: FindingOptions = {}): Finding[] {
  const out: Finding[] = [];
  const warnAt = o.warnUtilization ?? 0.8;
  const critAt = o.criticalUtilization ?? 0.9;
  if (s.usableConnections > 0 && s.utilization >= warnAt) {
    out.push({
      id: 'slots-utilization',
      severity: s.utilization >= critAt ? 'critical' : 'warning',
      title: `${Math.round(s.utilization * 100)}% of connection slots in use`,
      detail: `${s.clientConnections} client connections of ${s.usableConnections} usable (max_connections ${s.maxConnections} − ${s.reservedConnections} reserved). New connections fail with "too many clients" at 100%: put a pooler (PgBouncer) in front or shrink the application pools.`,
    });
  }
  const iit = s.idleInTransaction;
  if (iit.backends.length > 0) {
    const timeout = settingMs(s.settings.idle_in_transaction_session_timeout);
    out.push({
      id: 'idle-in-transaction',
      severity: 'warning',
      title: `${iit.backends.length} session(s) idle in transaction, oldest ${secs(iit.oldestSeconds ?? 0)}`,
      detail: `${backends(iit.backends)}. They hold locks and a snapshot (vacuum cannot clean behind them) and occupy a pool slot. Commit or roll back promptly; ${timeout ? `idle_in_transaction_session_timeout is ${s.settings.idle_in_transaction_session_timeout}` : 'set idle_in_transaction_session_timeout (e.g. 60s) so the server ends them'}.`,
      pids: iit.backends.map((b) => b.pid),
    });
    if (!timeout) {
      out.push({
        id: 'no-idle-in-transaction-timeout',
        severity: 'warning',
        title: 'idle_in_transaction_session_timeout is off while sessions sit idle in transaction',
        detail: `ALTER ROLE <app_user> SET idle_in_transaction_session_timeout = '60s' (or in postgresql.conf), so an application that forgets to commit cannot hold locks forever.`,
      });
    }
  }
  if (s.longQueries.length > 0) {
    out.push({
      id: 'long-running-query',
      severity: 'warning',
      title: `${s.longQueries.length} quer${s.longQueries.length === 1 ? 'y' : 'ies'} running for more than a minute`,
      detail: `${backends(s.longQueries)}. Explain them; a statement_timeout${s.settings.statement_timeout && settingMs(s.settings.statement_timeout) ? '' : ' (now off)'} bounds how long one request can hold a connection.`,
      pids: s.longQueries.map((b) => b.pid),
    });
  }
  if (s.longTransactions.length > 0) {
    out.push({
      id: 'long-transaction',
      severity: 'warning',
      title: `${s.longTransactions.length} transaction(s) open for long`,
      detail: `${backends(s.longTransactions)}; oldest backend_xmin age ${s.oldestXminAge ?? 'unknown'} transactions. Long transactions keep vacuum from removing dead rows.`,
      pids: s.longTransactions.map((b) => b.pid),
    });
  }
  for (const w of s.lockWaits) {
    out.push({
      id: 'lock-wait',
      severity: w.waitSeconds >= 5 ? 'warning' : 'info',
      title: `pid ${w.pid}${w.application ? ` (${w.application})` : ''} waits ${secs(w.waitSeconds)} for a lock`,
      detail: `blocked by ${w.blockedBy.map((b) => `pid ${b.pid}${b.application ? ` (${b.application})` : ''}${b.state ? ` ${b.state}` : ''}`).join(', ')}. Waiting: ${oneLine(w.query)}. Set lock_timeout, keep transactions short, or end the blocker (pg_terminate_backend).`,
      pids: [w.pid, ...w.blockedBy.map((b) => b.pid)],
    });
  }
  const perMinute = s.churn.sessionsPerMinute ?? s.churn.startedLastMinute;
  if (perMinute >= (o.churnPerMinute ?? 60)) {
    out.push({
      id: 'connection-churn',
      severity: 'warning',
      title: `${perMinute} new sessions per minute`,
      detail: `Each new session forks a backend and authenticates (milliseconds each). Short-lived sessions are the sign of an application without a pool: use one pool per process, or PgBouncer.`,
    });
  }
  const minBlocks = o.minCacheBlocks ?? 1000;
  if (s.cache.hitRate !== null && s.cache.hit + s.cache.read >= minBlocks && s.cache.hitRate < (o.minCacheHitRate ?? 0.99)) {
    out.push({
      id: 'cache-hit-rate',
      severity: 'warning',
      title: `cache hit rate ${(s.cache.hitRate * 100).toFixed(1)}% in ${s.database}`,
      detail: `Under 99%: reads go to disk. Look for sequential scans of large tables (EXPLAIN the slow queries), or give shared_buffers more memory.`,
    });
  }
  return out;
}

/** Application pools alone: settings that are risky whatever the server. */
export function appFindings(pools: AppPoolConfig[]): Finding[] {
  const out: Finding[] = [];
  for (const p of pools) {
    const location = { file: p.file, line: p.line };
    const s = p.settings;
    if (p.createdInFunction && !SETUP_FUNCTION.test(p.createdInFunction)) {
      out.push({
        id: 'pool-per-request',
        severity: 'warning',
        title: `${p.library} pool created inside ${p.createdInFunction === '<anonymous>' ? 'a function' : `${p.createdInFunction}()`}`,
        detail: `${where(p)}: a pool made per call (e.g. per request) opens new connections every time and never reuses them. Create the pool once per process, at module level, and share it.`,
        location,
      });
    }
    switch (p.library) {
      case 'node-postgres':
        if (!('connectionTimeoutMillis' in s) || s.connectionTimeoutMillis === 0) {
          out.push({
            id: 'pool-no-acquire-timeout',
            severity: 'warning',
            title: 'node-postgres pool waits forever for a connection',
            detail: `${where(p)}: connectionTimeoutMillis is ${'connectionTimeoutMillis' in s ? '0' : 'not set (0)'}; when the pool is exhausted requests hang instead of failing. Set it (e.g. 5000).`,
            location,
          });
        }
        if (s.idleTimeoutMillis === 0) {
          out.push({
            id: 'pool-no-idle-timeout',
            severity: 'info',
            title: 'node-postgres pool never closes idle connections',
            detail: `${where(p)}: idleTimeoutMillis 0 keeps up to max connections open forever, each holding a server slot. Use e.g. 10000.`,
            location,
          });
        }
        break;
      case 'sqlalchemy':
        if (s.pool_pre_ping !== true) {
          out.push({
            id: 'sqlalchemy-no-pre-ping',
            severity: 'info',
            title: 'SQLAlchemy engine without pool_pre_ping',
            detail: `${where(p)}: behind a proxy or firewall that drops idle connections, the first query on a dead connection fails. pool_pre_ping=True tests each connection on checkout.`,
            location,
          });
        }
        if (!('pool_recycle' in s) || s.pool_recycle === -1) {
          out.push({
            id: 'sqlalchemy-no-recycle',
            severity: 'info',
            title: 'SQLAlchemy engine never recycles connections',
            detail: `${where(p)}: pool_recycle is not set; connections live forever. pool_recycle=1800 replaces them before a proxy or server idle limit cuts them.`,
            location,
          });
        }
        break;
      case 'database/sql':
        if (p.maxConnections === null) {
          out.push({
            id: 'go-unbounded-pool',
            severity: 'warning',
            title: 'database/sql pool without a connection limit',
            detail: `${where(p)}: SetMaxOpenConns is ${'maxOpenConns' in s ? '0 (unlimited)' : 'not called (unlimited)'}; under load it opens connections until the server refuses them. Call db.SetMaxOpenConns(n).`,
            location,
          });
        }
        if (!('connMaxLifetime' in s) || s.connMaxLifetime === 0) {
          out.push({
            id: 'go-no-conn-max-lifetime',
            severity: 'info',
            title: 'database/sql connections live forever',
            detail: `${where(p)}: SetConnMaxLifetime is ${'connMaxLifetime' in s ? '0' : 'not called'}; call db.SetConnMaxLifetime(30 * time.Minute) so connections are renewed (failover, load balancers, memory).`,
            location,
          });
        }
        break;
      case 'pgxpool':
        break;
    }
  }
  return out;
}

/** The join: what the application can open against what the server accepts. */
export function capacityFindings(pools: AppPoolConfig[], server: ServerSnapshot | null, o: FindingOptions = {}): Finding[] {
  if (!server || pools.length === 0) return [];
  const instances = Math.max(1, o.instances ?? 1);
  const unbounded = pools.filter((p) => p.maxConnections === null);
  const known = pools.filter((p): p is AppPoolConfig & { maxConnections: number } => typeof p.maxConnections === 'number');
  const total = known.reduce((n, p) => n + p.maxConnections, 0) * instances;
  const usable = server.usableConnections;
  const out: Finding[] = [];
  if (total > usable) {
    out.push({
      id: 'pools-exceed-server',
      severity: 'critical',
      title: `your pools can open ${total} connections; the server accepts ${usable}`,
      detail: `${known.map((p) => `${p.library} ${p.maxConnections} at ${where(p)}`).join(' + ')}${instances > 1 ? `, × ${instances} instances` : ''} = ${total} > ${usable} usable slots (max_connections ${server.maxConnections} − ${server.reservedConnections} reserved). Under load some pools get "too many clients". Size pools near cores × 2 + spindles of the database server, and split the slots between the applications (or use PgBouncer).`,
    });
  }
  if (unbounded.length > 0) {
    out.push({
      id: 'pools-unbounded',
      severity: 'warning',
      title: `${unbounded.length} pool(s) without a limit can exhaust the server's ${usable} slots`,
      detail: unbounded.map(where).join(', '),
    });
  }
  return out;
}

export function pgbouncerFindings(b: PgBouncerSnapshot): Finding[] {
  const out: Finding[] = [];
  if (b.clientsWaiting > 0) {
    out.push({
      id: 'pgbouncer-clients-waiting',
      severity: b.maxWait >= 1 ? 'warning' : 'info',
      title: `${b.clientsWaiting} client(s) waiting in PgBouncer, longest ${b.maxWait.toFixed(1)} s`,
      detail: `Every server connection of the pool is busy (sv_active ${b.serversActive}, sv_idle ${b.serversIdle}). Raise default_pool_size if the server has slots left, or find what holds connections long (idle in transaction, long queries).`,
    });
  }
  return out;
}

export function allFindings(server: ServerSnapshot | null, pools: AppPoolConfig[], o: FindingOptions = {}, pgbouncer?: PgBouncerSnapshot | null): Finding[] {
  const all = [
    ...(server ? serverFindings(server, o) : []),
    ...capacityFindings(pools, server, o),
    ...appFindings(pools),
    ...(pgbouncer ? pgbouncerFindings(pgbouncer) : []),
  ];
  return all.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i).map((x) => x.f);
}

/** "60000 ms" / "0" / "1 min" as pg_settings gives it -> ms (0 = off); null when unknown. */
export function settingMs(v: string | null | undefined): number | null {
  if (v == null) return null;
  const m = /^(-?\d+)\s*(ms|s|min|h|d)?$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  return n * unit[m[2] ?? 'ms'];
}

function oneLine(q: string | null): string {
  if (!q) return '(query not visible)';
  const s = q.replace(/\s+/g, ' ').trim();
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
