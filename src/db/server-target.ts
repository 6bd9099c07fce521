/**
 * A QueryTarget over one node-postgres pool (one per connection profile). It owns the
 * things a long-lived editor session needs from a pool: an `error` listener so a dropped
 * idle connection never crashes the extension host, a health flag for the status bar, one
 * retry on a lost connection for work that can safely run again, TLS "prefer" fallback, and
 * errors turned into DbErrors with the target named and the password scrubbed.
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { classifyError, DbError, isConnectionLoss, type ErrorContext } from './errors';
import type { ResolvedConnection } from './profiles';
import { scrubSecrets } from './scrub';
import type { QueryResultLike, QuerySession, QueryTarget, SessionOptions } from './target';

export type PoolHealth = 'unknown' | 'ok' | 'unhealthy';

/** Connections of one pool: open in all, idle among them, callers waiting for one; the pool's max. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export interface ServerTargetOptions {
  /** connections per profile; explain needs one, cancelling it a second */
  max?: number;
  idleTimeoutMillis?: number;
  /** pause before the one retry after a lost connection (a restarting server needs a moment) */
  retryDelayMs?: number;
  /** where to report pool trouble; messages are already scrubbed */
  log?: (message: string) => void;
  onHealthChange?: (health: PoolHealth, reason?: DbError) => void;
  /** profile name, so auth errors can say which stored password to fix */
  profileName?: string;
}

export const DEFAULT_POOL_MAX = 3;
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export class ServerTarget implements QueryTarget {
  readonly kind = 'server' as const;
  readonly description: string;
  private pool: Pool | null = null;
  private useTls: boolean;
  private version: Promise<number> | null = null;
  private currentHealth: PoolHealth = 'unknown';
  private closed = false;

  constructor(
    private readonly connection: ResolvedConnection,
    private readonly options: ServerTargetOptions = {},
  ) {
    this.description = connection.description;
    this.useTls = connection.config.ssl !== false && connection.config.ssl !== undefined;
  }

  get health(): PoolHealth {
    return this.currentHealth;
  }

  serverVersionNum(): Promise<number> {
    if (!this.version) {
      this.version = this.query('SHOW server_version_num').then((r) => Number(r.rows[0]?.server_version_num));
      this.version.catch(() => (this.version = null)); // try again next time
    }
    return this.version;
  }

  /** For read-only work: it is retried once when the connection turns out to be lost. */
  query(sql: string, params?: unknown[]): Promise<QueryResultLike> {
    return this.withSession((s) => s.query(sql, params), { idempotent: true });
  }

  async withSession<T>(fn: (session: QuerySession) => Promise<T>, options: SessionOptions = {}): Promise<T> {
    if (this.closed) throw new DbError({ kind: 'other', message: `The connection pool for ${this.description} is closed.`, hint: 'Reconnect and try again.' });
    const attempts = options.idempotent ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.connect();
      } catch (e) {
        if (attempt < attempts && isConnectionLoss(e)) {
          await this.pauseBeforeRetry(e);
          continue;
        }
        throw this.fail(e, 'connect');
      }

      let discarded: Error | undefined;
      // A checked-out client has no error listener (pg-pool removes its idle one); without
      // ours, a socket dying between two statements would be an uncaught 'error' event.
      const onClientError = (err: Error) => (discarded ??= err);
      client.on('error', onClientError);
      const session: QuerySession = {
        query: (sql, params) => (params && params.length > 0 ? client.query(sql, params) : client.query(sql)) as Promise<QueryResultLike>,
        pid: (client as unknown as { processID?: number | null }).processID ?? undefined,
        discard: (reason) => (discarded ??= reason instanceof Error ? reason : new Error(String(reason))),
      };
      try {
        const result = await fn(session);
        this.release(client, onClientError, discarded);
        this.setHealth('ok');
        return result;
      } catch (e) {
        const lost = isConnectionLoss(e);
        this.release(client, onClientError, discarded ?? (lost ? asError(e) : undefined));
        if (lost && attempt < attempts) {
          await this.pauseBeforeRetry(e);
          continue;
        }
        if (!lost) this.setHealth('ok'); // the statement failed, the connection is fine
        throw this.fail(e, 'query');
      }
    }
  }

  /**
   * This pool's own footprint, read-only (the pool diagnostics panel shows it so sqlperf
   * never hides its connections): node-postgres' counts; zeros before the first connect.
   */
  poolStats(): PoolStats {
    const p = this.pool;
    return { total: p?.totalCount ?? 0, idle: p?.idleCount ?? 0, waiting: p?.waitingCount ?? 0, max: this.options.max ?? DEFAULT_POOL_MAX };
  }

  async cancel(session: QuerySession): Promise<boolean> {
    if (session.pid === undefined || !this.pool) return false;
    // From another pool client: the busy one cannot speak until its statement ends.
    const r = await this.pool.query('SELECT pg_cancel_backend($1) AS cancelled', [session.pid]);
    return r.rows[0]?.cancelled === true;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = null;
    if (pool) await pool.end();
  }

  private async connect(): Promise<PoolClient> {
    const triedTls = this.useTls;
    try {
      return await this.getPool().connect();
    } catch (e) {
      // sslmode=prefer, the libpq way: TLS first, plain when the server has no TLS.
      if (triedTls && this.connection.sslMode === 'prefer' && /does not support SSL/i.test(String((e as Error)?.message))) {
        if (this.useTls) {
          // the first of several concurrent connects to notice swaps the pool
          this.useTls = false;
          const old = this.pool;
          this.pool = null;
          old?.end().catch(() => undefined);
        }
        return await this.getPool().connect();
      }
      throw e;
    }
  }

  private getPool(): Pool {
    if (this.pool) return this.pool;
    const config: PoolConfig = {
      ...this.connection.config,
      ssl: this.useTls ? this.connection.config.ssl : false,
      max: this.options.max ?? DEFAULT_POOL_MAX,
      idleTimeoutMillis: this.options.idleTimeoutMillis ?? DEFAULT_IDLE_TIMEOUT_MS,
    };
    const pool = new Pool(config);
    // An idle client whose server went away (restart, idle timeout, pg_terminate_backend)
    // reports here; pg-pool has already dropped it, the next checkout opens a new one.
    pool.on('error', (err) => {
      const e = this.classify(err, 'query');
      this.setHealth('unhealthy', e);
      this.log(`sqlperf: an idle connection to ${this.description} was closed: ${e.message}`);
    });
    this.pool = pool;
    return pool;
  }

  private release(client: PoolClient, onError: (err: Error) => void, discard: Error | undefined): void {
    client.removeListener('error', onError);
    // release(err) destroys the client instead of returning it to the pool
    client.release(discard);
  }

  private async pauseBeforeRetry(e: unknown): Promise<void> {
    this.setHealth('unhealthy', this.classify(e, 'query'));
    this.log(`sqlperf: lost the connection to ${this.description}; retrying once.`);
    await new Promise((r) => setTimeout(r, this.options.retryDelayMs ?? 300));
  }

  private fail(e: unknown, phase: 'connect' | 'query'): DbError {
    const err = this.classify(e, phase);
    if (err.kind === 'unreachable' || err.kind === 'auth' || err.kind === 'database-missing') this.setHealth('unhealthy', err);
    return err;
  }

  private classify(e: unknown, phase: 'connect' | 'query'): DbError {
    const c = this.connection;
    const ctx: ErrorContext = {
      target: c.description,
      host: c.host,
      port: c.port,
      database: c.database,
      user: c.user,
      profileName: this.options.profileName,
      phase,
      connectTimeoutMs: c.config.connectionTimeoutMillis,
      secrets: c.secrets,
    };
    return classifyError(e, ctx);
  }

  private setHealth(health: PoolHealth, reason?: DbError): void {
    if (health === this.currentHealth) return;
    this.currentHealth = health;
    this.options.onHealthChange?.(health, reason);
  }

  private log(message: string): void {
    this.options.log?.(scrubSecrets(message, this.connection.secrets));
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
