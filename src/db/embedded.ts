/**
 * The embedded database: PostgreSQL 18 compiled to WebAssembly (PGlite), in memory, behind
 * the same QueryTarget interface as a server pool, so explain and the advisor do not care
 * which one they talk to. It is created on first use (cold start is a few seconds: initdb
 * runs in WebAssembly) and reports progress, since the first explain waits for it.
 *
 * PGlite is one session. A mutex serializes sessions, so one explain's BEGIN ... ROLLBACK
 * never interleaves with another caller's statements. Inside `withSession`, use the
 * session, not the target (the target would wait for the session to end).
 *
 * Limits worth knowing: PGlite has no timer signals, so statement_timeout is accepted but
 * not enforced, and a running statement cannot be cancelled (it runs on this thread).
 *
 * Bundling: PGlite's CommonJS build finds pglite.wasm, pglite.data and initdb.wasm next to
 * the JavaScript file that contains it (`new URL('./pglite.wasm', 'file:' + __filename)`),
 * so an esbuild bundle needs those three files copied beside it; no option is needed. It
 * must be the CommonJS build: see loadPglite.
 */
import type { PGlite, PGliteOptions, Results } from '@electric-sql/pglite';
import { classifyError } from './errors';
import type { QueryResultLike, QuerySession, QueryTarget } from './target';

export type ProgressFn = (message: string, fraction?: number) => void;

/** Files PGlite loads at run time, which must sit next to a bundle that includes it. */
export const PGLITE_RUNTIME_FILES = ['pglite.wasm', 'pglite.data', 'initdb.wasm'] as const;

export interface EmbeddedOptions {
  progress?: ProgressFn;
  /** passed to PGlite (e.g. extensions); the data directory stays in memory by default */
  pglite?: PGliteOptions;
}

export class EmbeddedDatabase implements QueryTarget {
  readonly kind = 'embedded' as const;
  readonly description = 'the embedded database (PGlite)';
  private instance: Promise<PGlite> | null = null;
  private version: Promise<number> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: EmbeddedOptions = {}) {}

  /** Starts PGlite if it is not running yet; safe to call many times. */
  start(progress: ProgressFn | undefined = this.options.progress): Promise<PGlite> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    if (!this.instance) {
      this.instance = (async () => {
        const started = Date.now();
        progress?.('Starting the embedded PostgreSQL (the first start takes a few seconds)…', 0);
        const { PGlite } = loadPglite();
        const db = new PGlite({ ...this.options.pglite });
        await db.waitReady;
        progress?.(`Embedded PostgreSQL ready in ${Date.now() - started} ms.`, 1);
        return db;
      })();
      this.instance.catch(() => (this.instance = null)); // a failed start may be retried
    }
    return this.instance;
  }

  get started(): boolean {
    return this.instance !== null;
  }

  serverVersionNum(): Promise<number> {
    this.version ??= this.query('SHOW server_version_num').then((r) => Number(r.rows[0]?.server_version_num));
    return this.version;
  }

  query(sql: string, params?: unknown[]): Promise<QueryResultLike> {
    return this.withSession((s) => s.query(sql, params));
  }

  /** Runs a script of many statements (simple protocol); returns each statement's result. */
  exec(sql: string): Promise<QueryResultLike[]> {
    return this.exclusive(async (db) => {
      try {
        return (await db.exec(sql)).map(toResult);
      } catch (e) {
        throw classifyError(e, { target: this.description, phase: 'query' });
      }
    });
  }

  withSession<T>(fn: (session: QuerySession) => Promise<T>): Promise<T> {
    return this.exclusive(async (db) => {
      let broken = false;
      const session: QuerySession = {
        query: (sql, params) => run(db, sql, params),
        pid: undefined, // cannot be cancelled: it runs on this thread
        discard: () => (broken = true),
      };
      try {
        return await fn(session);
      } catch (e) {
        throw classifyError(e, { target: this.description, phase: 'query' });
      } finally {
        // There is no connection to throw away: make sure no transaction stays open.
        if (broken) await db.exec('ROLLBACK').catch(() => undefined);
      }
    });
  }

  async cancel(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    const instance = this.instance;
    this.instance = null;
    if (instance) await (await instance.catch(() => null))?.close();
  }

  private exclusive<T>(fn: (db: PGlite) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => fn(await this.start()));
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * `require`, not `import`: for `require` esbuild bundles PGlite's CommonJS build, which
 * locates its files through __filename. For `import` / `import()` it takes the ESM build,
 * which uses import.meta.url; that is empty in a CommonJS bundle and PGlite then fails at
 * start with "TypeError: Invalid URL". Keep every use of PGlite behind this module.
 */
function loadPglite(): typeof import('@electric-sql/pglite') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@electric-sql/pglite');
}

/**
 * With values: the extended protocol (values bound). Without: the simple protocol, which
 * also takes several statements and leaves a `$1` in EXPLAIN (GENERIC_PLAN) alone.
 */
async function run(db: PGlite, sql: string, params?: unknown[]): Promise<QueryResultLike> {
  if (params && params.length > 0) return toResult(await db.query(sql, params));
  const results = await db.exec(sql);
  return results.length ? toResult(results[results.length - 1]) : { rows: [] };
}

function toResult(r: Results): QueryResultLike {
  return { rows: r.rows as Array<Record<string, unknown>>, command: (r as { command?: string }).command ?? null };
}
