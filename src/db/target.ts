/**
 * The one interface both databases sit behind: a node-postgres pool on a real server and
 * the embedded PGlite instance. The explain runner, the advisor and the pool diagnostics
 * talk to a QueryTarget and never to a driver.
 */

export interface QueryResultLike {
  rows: Array<Record<string, unknown>>;
  /** command tag of the (last) statement: SELECT, INSERT, ... */
  command?: string | null;
}

/**
 * One connection, kept for the duration of `withSession` so BEGIN ... ROLLBACK and
 * PREPARE ... DEALLOCATE see the same backend. With `params` the statement is sent with the
 * extended protocol (values bound for real); without, with the simple protocol (which is
 * what EXPLAIN (GENERIC_PLAN) on a text with `$1` needs: no Bind message).
 */
export interface QuerySession {
  query(sql: string, params?: unknown[]): Promise<QueryResultLike>;
  /** backend process id, for pg_cancel_backend; undefined when the target cannot cancel */
  readonly pid: number | undefined;
  /**
   * Tell the target this connection must not be reused (e.g. ROLLBACK failed): a server
   * pool then closes it, which makes PostgreSQL roll back whatever was open.
   */
  discard(reason: unknown): void;
}

export interface SessionOptions {
  /**
   * The work can safely run again from the start: on a lost connection (server restart,
   * terminated backend) it is retried once on a fresh connection.
   */
  idempotent?: boolean;
}

export interface QueryTarget {
  readonly kind: 'server' | 'embedded';
  /** "user@host:port/db" or "embedded database", for messages */
  readonly description: string;
  /** server_version_num (e.g. 150020, 180006); read once and cached */
  serverVersionNum(): Promise<number>;
  /** one statement on any connection (simple protocol without params) */
  query(sql: string, params?: unknown[]): Promise<QueryResultLike>;
  withSession<T>(fn: (session: QuerySession) => Promise<T>, options?: SessionOptions): Promise<T>;
  /** asks the backend running `session`'s statement to stop; false when not possible */
  cancel(session: QuerySession): Promise<boolean>;
  close(): Promise<void>;
}
