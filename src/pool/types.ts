/**
 * The plain data of pool diagnostics, shared by the queries, the findings, the CLI and the
 * panel. No imports: the webview bundle reads these types too.
 */

export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  /** stable, kebab-case: what the finding is about */
  id: string;
  severity: Severity;
  /** one line */
  title: string;
  /** the figures behind it (pids, ages, counts) and what to do */
  detail: string;
  /** where in the workspace, for application-side findings */
  location?: { file: string; line: number };
  /** backends the finding names */
  pids?: number[];
}

export type PoolLibrary = 'node-postgres' | 'sqlalchemy' | 'database/sql' | 'pgxpool';

export type SettingValue = number | boolean | string | null;

/** One pool configuration found in application code. */
export interface AppPoolConfig {
  file: string;
  /** 1-based */
  line: number;
  library: PoolLibrary;
  /** the settings as written: a number when it is a literal (durations in ms), else the source text */
  settings: Record<string, SettingValue>;
  /**
   * connections one process may open: node-postgres `max` (default 10), SQLAlchemy
   * pool_size + max_overflow (5 + 10), database/sql SetMaxOpenConns (null: unlimited),
   * pgxpool MaxConns (default max(4, CPUs): counted as 4). Undefined when not a literal.
   */
  maxConnections: number | null | undefined;
  /** the pool is created inside a function (a request handler?), not once per process */
  createdInFunction?: string;
}

export interface ActivityRow {
  pid: number;
  usename: string | null;
  application_name: string | null;
  client_addr: string | null;
  backend_type: string | null;
  state: string | null;
  /** seconds since backend_start / xact_start / query_start / state_change (null when unset) */
  backend_age: number | null;
  xact_age: number | null;
  query_age: number | null;
  state_age: number | null;
  /** age(backend_xmin) in transactions */
  xmin_age: number | null;
  wait_event_type: string | null;
  wait_event: string | null;
  blocking_pids: number[];
  query: string | null;
}

export interface BackendRef {
  pid: number;
  user: string | null;
  application: string | null;
  client: string | null;
  state: string | null;
  /** seconds */
  age: number;
  query: string | null;
}

export interface LockWait {
  pid: number;
  application: string | null;
  waitSeconds: number;
  query: string | null;
  blockedBy: BackendRef[];
}

export interface ServerSnapshot {
  /** ms since epoch, taken by the client */
  takenAt: number;
  description: string;
  versionNum: number;
  database: string;
  maxConnections: number;
  /** superuser_reserved_connections + reserved_connections (16+) */
  reservedConnections: number;
  usableConnections: number;
  /** client backends (all databases) */
  clientConnections: number;
  /** clientConnections / usableConnections, 0..1+ */
  utilization: number;
  byState: Record<string, number>;
  byApplication: Record<string, number>;
  byUser: Record<string, number>;
  byClient: Record<string, number>;
  idleInTransaction: { count: number; oldestSeconds: number | null; backends: BackendRef[] };
  /** active queries past the threshold, autovacuum excluded */
  longQueries: BackendRef[];
  /** transactions open past the threshold */
  longTransactions: BackendRef[];
  oldestXminAge: number | null;
  lockWaits: LockWait[];
  churn: {
    /** pg_stat_database.sessions (14+), summed over databases; null before 14 */
    sessionsTotal: number | null;
    /** client backends started within the last minute (the pre-14 measure and a check) */
    startedLastMinute: number;
    /** from the previous snapshot's sessionsTotal when there is one */
    sessionsPerMinute: number | null;
  };
  cache: { hit: number; read: number; hitRate: number | null };
  settings: Record<string, string | null>;
  /** sqlperf's own footprint: backends whose application_name is 'sqlperf' (or starts with it), and this window's pool when known */
  sqlperf: { backends: number; pool?: OwnPoolStats; list?: BackendRef[] };
}

/** The connection pool of this sqlperf window for the active profile (node-postgres counts). */
export interface OwnPoolStats {
  /** connections open */
  total: number;
  /** open and unused */
  idle: number;
  /** callers queued for a connection */
  waiting: number;
  /** the pool's size limit, when known */
  max?: number;
}

export interface PgBouncerSnapshot {
  pools: Array<Record<string, string | number | null>>;
  stats: Array<Record<string, string | number | null>>;
  databases: Array<Record<string, string | number | null>>;
  /** summed over pools */
  clientsActive: number;
  clientsWaiting: number;
  serversActive: number;
  serversIdle: number;
  /** seconds, the largest over pools */
  maxWait: number;
}

export interface PoolReport {
  server: ServerSnapshot | null;
  /** when the server could not be read: why (already scrubbed) */
  serverError?: string;
  pgbouncer?: PgBouncerSnapshot | null;
  app: AppPoolConfig[];
  /** processes per app pool (setting `sqlperf.pool.instances`) */
  instances: number;
  findings: Finding[];
}
