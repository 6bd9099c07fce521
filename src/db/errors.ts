/**
 * One error type for everything the database side reports. A DbError carries a kind the UI
 * can branch on, a message that already names the target and the server's reason, and a
 * hint that says what to check. Messages are scrubbed of passwords where they are built,
 * so no caller has to remember to.
 */
import { scrubSecrets } from './scrub';

export type DbErrorKind = 'unreachable' | 'auth' | 'database-missing' | 'timeout' | 'permission' | 'sql' | 'cancelled' | 'other';

export interface DbErrorInit {
  kind: DbErrorKind;
  message: string;
  hint: string;
  /** SQLSTATE (e.g. '25006') or a Node error code (e.g. 'ECONNREFUSED') when one is known */
  code?: string;
  /**
   * 0-based offset of the spot the server pointed at (syntax errors, unknown columns): in
   * the SQL text the caller passed for explainStatement and loadSchema errors, in the text
   * sent otherwise.
   */
  position?: number;
  cause?: unknown;
}

export class DbError extends Error {
  readonly kind: DbErrorKind;
  readonly hint: string;
  readonly code?: string;
  readonly position?: number;

  constructor(init: DbErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DbError';
    this.kind = init.kind;
    this.hint = init.hint;
    this.code = init.code;
    this.position = init.position;
  }

  /** A copy with some fields replaced (errors are values; refining one makes a new one). */
  with(changes: Partial<DbErrorInit>): DbError {
    return new DbError({
      kind: this.kind,
      message: this.message,
      hint: this.hint,
      code: this.code,
      position: this.position,
      cause: this.cause,
      ...changes,
    });
  }
}

export function isDbError(e: unknown): e is DbError {
  return e instanceof DbError;
}

/** The message and the hint as one line, for a notification or the CLI. */
export function formatDbError(e: DbError): string {
  return e.hint ? `${e.message} ${e.hint}` : e.message;
}

/** What the classifier needs to know about where the error happened. */
export interface ErrorContext {
  /** "user@host:port/database", never with a password */
  target: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  /** profile name, to tell the user which password to fix */
  profileName?: string;
  /** while opening the connection, or while running a statement on an open one */
  phase: 'connect' | 'query';
  connectTimeoutMs?: number;
  /** known secrets to scrub from anything the server or driver said */
  secrets?: ReadonlyArray<string | undefined>;
}

/** The fields of a node-postgres / PGlite / Node system error that matter here. */
interface RawError {
  code?: unknown;
  message?: unknown;
  detail?: unknown;
  hint?: unknown;
  position?: unknown;
  name?: unknown;
}

const NODE_UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
};

/** Messages node-postgres uses when a socket dies or never opens (they carry no code). */
const PG_CONNECTION_MESSAGES = [
  /connection terminated/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /server closed the connection unexpectedly/i,
  /socket hang up/i,
];

/**
 * SQLSTATEs meaning the session is gone or never came up: admin_shutdown (57P01, a restart
 * or pg_terminate_backend), crash_shutdown, cannot_connect_now (starting up), and class 08.
 */
function isConnectionSqlState(code: string): boolean {
  return code === '57P01' || code === '57P02' || code === '57P03' || code.startsWith('08');
}

/**
 * True when the error means the connection was lost (not that the statement was wrong), so
 * retrying idempotent work on a fresh connection is right.
 */
export function isConnectionLoss(err: unknown): boolean {
  const e = asRaw(err);
  const code = typeof e.code === 'string' ? e.code : '';
  if (code && (code in NODE_UNREACHABLE || isConnectionSqlState(code))) return code !== 'ENOTFOUND';
  const message = typeof e.message === 'string' ? e.message : '';
  return PG_CONNECTION_MESSAGES.some((re) => re.test(message));
}

function asRaw(err: unknown): RawError {
  return err && typeof err === 'object' ? (err as RawError) : { message: String(err) };
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Turns any error from pg, PGlite or Node into a DbError with a message a person can act on. */
export function classifyError(err: unknown, ctx: ErrorContext): DbError {
  if (err instanceof DbError) return err;
  const e = asRaw(err);
  const scrub = (s: string) => scrubSecrets(s, ctx.secrets);
  const code = text(e.code);
  const reason = scrub(text(e.message) || String(err)).replace(/\s+$/, '');
  const detail = scrub(text(e.detail));
  const serverHint = scrub(text(e.hint));
  const t = ctx.target;
  const where = ctx.host !== undefined ? `${ctx.host}:${ctx.port ?? 5432}` : t;
  const make = (kind: DbErrorKind, message: string, hint: string) =>
    new DbError({ kind, message, hint, code: code || undefined, cause: err, position: serverPosition(e.position) });

  if (text(e.name) === 'AbortError') return make('cancelled', 'The query was cancelled.', '');

  // Node socket errors: the server was never reached or the socket died.
  if (code in NODE_UNREACHABLE) {
    const what = NODE_UNREACHABLE[code];
    if (ctx.phase === 'query' || code === 'ECONNRESET' || code === 'EPIPE') {
      return make('unreachable', `Lost the connection to ${t}: ${what}.`, 'The server may have restarted or closed idle connections; try again.');
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      return make('unreachable', `Cannot connect to ${t}: ${what} ("${ctx.host ?? '?'}").`, 'Check the host name in the connection profile and your network/VPN.');
    }
    return make('unreachable', `Cannot connect to ${t}: ${what}.`, `Check that PostgreSQL is running and accepts TCP connections on ${where} (listen_addresses, port, firewall).`);
  }

  if (code === '28P01' || code === '28000' || /password authentication failed|SASL|client password must be a string/i.test(reason)) {
    const passwordProblem = code === '28P01' || /password/i.test(reason);
    const hint = passwordProblem
      ? `Check the user name and the password stored for connection "${ctx.profileName ?? t}".`
      : 'Check the user name, and that pg_hba.conf allows this user to connect to this database from this host.';
    return make('auth', `PostgreSQL at ${where} rejected the login for ${t}: ${reason}.`, hint);
  }

  if (code === '3D000') {
    return make('database-missing', `Database "${ctx.database ?? '?'}" does not exist on ${where} (${reason}).`, 'Check the database name in the connection profile, or create the database.');
  }

  if (code === '57014') {
    if (/user request/i.test(reason)) return make('cancelled', 'The query was cancelled.', '');
    return make('timeout', `The statement was stopped on ${t}: ${reason}.`, 'Raise the timeout, or explain without ANALYZE (plain EXPLAIN does not run the query).');
  }
  if (code === '55P03') {
    return make('timeout', `The statement waited too long for a lock on ${t}: ${reason}.`, 'Another session holds a conflicting lock; try again later or raise the lock timeout.');
  }

  if (isConnectionSqlState(code)) {
    const starting = code === '57P03';
    return make(
      'unreachable',
      `${ctx.phase === 'connect' ? 'Cannot connect to' : 'Lost the connection to'} ${t}: ${reason}.`,
      starting ? 'The server is starting up or shutting down; try again in a moment.' : 'The server may have restarted; try again.',
    );
  }

  if (PG_CONNECTION_MESSAGES.some((re) => re.test(reason))) {
    if (ctx.phase === 'connect') {
      const timeout = ctx.connectTimeoutMs ? ` within ${ctx.connectTimeoutMs} ms` : '';
      return make('unreachable', `Cannot connect to ${t}: no answer${timeout} (${reason}).`, `Check the host and port (${where}), your network/VPN, and that the server is running.`);
    }
    return make('unreachable', `Lost the connection to ${t}: ${reason}.`, 'The server may have restarted or closed the connection; try again.');
  }

  if (/does not support SSL/i.test(reason)) {
    return make('other', `Cannot connect to ${t}: ${reason}.`, 'Set "ssl" to "disable" or "prefer" in the connection profile.');
  }
  if (/certificate|self[- ]signed|SSL|TLS/i.test(reason) && ctx.phase === 'connect') {
    return make('other', `Cannot connect to ${t}: the TLS handshake failed (${reason}).`, 'Check the server certificate, or set "ssl" to "require" to encrypt without verifying it.');
  }

  if (code === '42501') {
    return make('permission', `Permission denied on ${t}: ${reason}.`, serverHint || 'Use a role with the needed privilege, or ask for it to be granted.');
  }
  if (code === '25006') {
    return make(
      'sql',
      `The statement tried to write, and sqlperf runs it in a READ ONLY transaction: ${reason}.`,
      'A function it calls (or a sequence it advances) writes. Use plain EXPLAIN, or explain it again allowing writes (everything is rolled back).',
    );
  }
  if (code === '53300') {
    return make('other', `The server at ${where} has no free connection slots: ${reason}.`, 'Close idle sessions or raise max_connections.');
  }

  if (/^[0-9A-Z]{5}$/.test(code)) {
    const extra = [detail, serverHint].filter(Boolean).join(' ');
    return make('sql', `PostgreSQL rejected the statement: ${reason} (SQLSTATE ${code}).`, extra);
  }
  return make('other', `${ctx.phase === 'connect' ? `Cannot connect to ${t}` : `Database error on ${t}`}: ${reason}.`, '');
}

/** PostgreSQL reports positions as 1-based character indexes, as a string in node-postgres. */
function serverPosition(p: unknown): number | undefined {
  const n = typeof p === 'string' ? Number(p) : typeof p === 'number' ? p : NaN;
  return Number.isFinite(n) && n > 0 ? n - 1 : undefined;
}
