/**
 * The connection manager without VS Code: which database `acquire()` hands out, the
 * embedded database's life (created on first use, reloaded when the schema changes,
 * closed when no longer active), the status the status bar shows, and when consumers must
 * acquire again. The adapter (manager.ts) supplies settings, files, progress and the UI.
 */
// Values from the modules themselves, not '../db': activation must stay light. The parser
// (schema loading) and PGlite are loaded on the first acquire of the embedded database.
import type { ConnectionProfile, PoolHealth, PrepareOptions, PrepareReport, ProgressFn, QueryTarget, SchemaFile } from '../db';
import { EmbeddedDatabase } from '../db/embedded';
import { DbError, formatDbError, isDbError } from '../db/errors';
import { describeTarget } from '../db/profiles';
import { schemaSummary } from './schema-diagnostics';
import { activeKey, readConnectionSettings, resolveActive, type ActiveChoice, type ConnectionSettings } from './settings';
import { formatServerVersion, type ConnectionStatus } from './status';
import type { AcquiredDatabase, ActiveDatabase, CancellationLike } from './types';

/** The part of PoolRegistry used here. */
export interface TargetRegistry {
  target(profile: ConnectionProfile): Promise<QueryTarget>;
  forget(profileName: string): Promise<void>;
  closeAll(): Promise<void>;
}

export interface EmbeddedLoad {
  db: EmbeddedDatabase;
  /** the schema files, in the order they ran */
  files: SchemaFile[];
  report: PrepareReport;
}

/**
 * Runs the embedded database's preparation with visible progress: 'first' is the first
 * start (a notification, cancellable), 'reload' one after a schema change (quieter).
 * `signal` aborts when the user cancels.
 */
export type ProgressRunner = <T>(kind: 'first' | 'reload', task: (progress: ProgressFn, signal: AbortSignal) => Promise<T>) => Promise<T>;

export type LogLevel = 'info' | 'warn' | 'error';

export interface CoreOptions {
  settings(): ConnectionSettings;
  registry: TargetRegistry;
  /** reads the files matching the globs (relative paths are fine; they name diagnostics) */
  findSchemaFiles(globs: readonly string[]): Promise<SchemaFile[]>;
  withProgress: ProgressRunner;
  onStatus?(status: ConnectionStatus): void;
  /** a (re)load finished: show its problems */
  onEmbeddedLoaded?(load: EmbeddedLoad): void;
  log?(level: LogLevel, message: string): void;
  /** quiet time after the last schema change before reloading (default 1000 ms) */
  reloadDelayMs?: number;
  /** tests: a fake database and preparation */
  createEmbedded?: () => EmbeddedDatabase;
  prepare?: (db: EmbeddedDatabase, options: PrepareOptions) => Promise<PrepareReport>;
}

interface Generation {
  db: EmbeddedDatabase;
  ready: Promise<EmbeddedLoad>;
}

export const EMBEDDED_LABEL = 'embedded database';

export class ConnectionCore implements ActiveDatabase {
  /** the embedded database acquire() hands out (maybe still preparing) */
  private current: Generation | null = null;
  /** a replacement being prepared after a schema change */
  private next: Generation | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private reloadAgain = false;
  private readonly listeners = new Set<() => void>();
  private currentStatus: ConnectionStatus;
  private lastActiveKey: string;
  private lastEmbeddedKey: string;
  private lastProfiles: Map<string, string>;
  private lastLoad: EmbeddedLoad | undefined;
  private disposed = false;

  constructor(private readonly options: CoreOptions) {
    const s = options.settings();
    const choice = resolveActive(s);
    this.lastActiveKey = activeKey(choice);
    this.lastEmbeddedKey = embeddedKey(s);
    this.lastProfiles = profileKeys(s);
    this.currentStatus = this.initialStatus(choice);
  }

  get status(): ConnectionStatus {
    return this.currentStatus;
  }

  /** The last finished load of the embedded database (schema problems, sample rows). */
  get embeddedLoad(): EmbeddedLoad | undefined {
    return this.lastLoad;
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async acquire(token?: CancellationLike): Promise<AcquiredDatabase> {
    if (this.disposed) throw new DbError({ kind: 'other', message: 'SQL Perf is shutting down.', hint: '' });
    throwIfCancelled(token);
    // The settings may have changed before their change event arrived (a command that just
    // wrote them): catch up first, so the late event finds nothing to reset.
    this.refresh();
    const s = this.options.settings();
    const choice = resolveActive(s);
    const explainDefaults = { timeoutMs: s.statementTimeoutMs, lockTimeoutMs: s.lockTimeoutMs };
    switch (choice.kind) {
      case 'missing': {
        const err = missingError(choice);
        this.setStatus({ name: choice.name, phase: 'error', detail: formatDbError(err) });
        throw err;
      }
      case 'profile': {
        const p = choice.profile;
        if (this.currentStatus.name !== p.name || this.currentStatus.phase !== 'ok') {
          this.setStatus({ name: p.name, phase: 'connecting', target: describeTarget(p) });
        }
        try {
          const target = await withCancellation(this.options.registry.target(p), token);
          // the first query on a new pool: reachable, password right, version known (cached)
          const version = await withCancellation(target.serverVersionNum(), token);
          if (this.isActive(p)) this.setStatus({ name: p.name, phase: 'ok', target: target.description, detail: `PostgreSQL ${formatServerVersion(version)}` });
          return { target, label: p.name, readOnly: p.readOnly === true, embedded: false, explainDefaults };
        } catch (e) {
          const err = toDbError(e);
          if (this.isActive(p)) {
            if (err.kind === 'cancelled') {
              if (this.currentStatus.phase === 'connecting') this.setStatus({ name: p.name, phase: 'idle', target: describeTarget(p) });
            } else this.setStatus({ name: p.name, phase: 'error', target: describeTarget(p), detail: formatDbError(err) });
          }
          throw err;
        }
      }
      case 'embedded': {
        const load = await withCancellation(this.embedded(), token);
        return { target: load.db, label: EMBEDDED_LABEL, readOnly: false, embedded: true, explainDefaults };
      }
    }
  }

  /**
   * Call when the settings changed: drops pools of removed or edited profiles, resets the
   * status for a new active connection, reloads the embedded database when its settings
   * changed, and tells consumers to acquire again when the active database changed.
   */
  refresh(): void {
    if (this.disposed) return;
    const s = this.options.settings();
    const profiles = profileKeys(s);
    for (const [name, key] of this.lastProfiles) {
      if (profiles.get(name) !== key) void this.options.registry.forget(name);
    }
    this.lastProfiles = profiles;

    const choice = resolveActive(s);
    const key = activeKey(choice);
    const activeChanged = key !== this.lastActiveKey;
    this.lastActiveKey = key;
    if (activeChanged) {
      // the embedded database takes memory; it comes back (on first use) when selected again
      if (choice.kind !== 'embedded') this.closeEmbedded();
      this.setStatus(this.initialStatus(choice));
    }
    const eKey = embeddedKey(s);
    if (eKey !== this.lastEmbeddedKey) {
      this.lastEmbeddedKey = eKey;
      this.scheduleReload('the schema settings changed');
    }
    if (activeChanged) this.fire();
  }

  /** A schema file was created, changed or deleted: reload, once things are quiet. */
  scheduleReload(reason: string): void {
    // nothing loaded yet: the first acquire reads the files as they are then
    if (this.disposed || !this.current) return;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      void this.reload(reason);
    }, this.options.reloadDelayMs ?? 1000);
  }

  /** The pool of a profile went unhealthy or recovered (PoolRegistry's onHealthChange). */
  healthChanged(profileName: string, health: PoolHealth, reason?: DbError): void {
    const choice = resolveActive(this.options.settings());
    if (choice.kind !== 'profile' || choice.profile.name !== profileName) return;
    const target = describeTarget(choice.profile);
    if (health === 'unhealthy') {
      this.setStatus({ name: profileName, phase: 'error', target, detail: reason ? formatDbError(reason) : 'The connection was lost.' });
    } else if (health === 'ok' && this.currentStatus.phase === 'error') {
      this.setStatus({ name: profileName, phase: 'ok', target });
    }
  }

  /** Test Connection succeeded or failed for a profile: the status shows it when it is the active one. */
  reportTest(profileName: string, outcome: { ok: true; version: string } | { ok: false; error: DbError }): void {
    this.refresh();
    const choice = resolveActive(this.options.settings());
    if (choice.kind !== 'profile' || choice.profile.name !== profileName) return;
    const target = describeTarget(choice.profile);
    if (outcome.ok) this.setStatus({ name: profileName, phase: 'ok', target, detail: `PostgreSQL ${outcome.version}` });
    else this.setStatus({ name: profileName, phase: 'error', target, detail: formatDbError(outcome.error) });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.listeners.clear();
    const gens = [this.current, this.next].filter((g): g is Generation => g !== null);
    this.current = this.next = null;
    await Promise.all([this.options.registry.closeAll().catch(() => undefined), ...gens.map((g) => g.db.close().catch(() => undefined))]);
  }

  // ---- the embedded database ----

  private embedded(): Promise<EmbeddedLoad> {
    // a reload is under way: wait for the new schema (or, if it fails, use the old one)
    if (this.next) return this.next.ready.catch(() => this.embedded());
    if (this.current) return this.current.ready;
    const gen = this.prepareGeneration('first');
    this.current = gen;
    gen.ready.catch(() => {
      if (this.current === gen) this.current = null; // a failed or cancelled start is retried on the next acquire
    });
    return gen.ready;
  }

  private prepareGeneration(kind: 'first' | 'reload'): Generation {
    const s = this.options.settings();
    const db = this.options.createEmbedded?.() ?? new EmbeddedDatabase();
    const embeddedActive = () => resolveActive(this.options.settings()).kind === 'embedded';
    if (embeddedActive()) this.setStatus({ name: '', phase: 'connecting' });
    const started = Date.now();

    const ready = this.options
      .withProgress(kind, async (progress, signal) => {
        progress('Looking for schema files…', 0);
        const work = (async (): Promise<EmbeddedLoad> => {
          const [{ orderSchemaFiles }, { prepareEmbeddedDatabase }] = await Promise.all([import('../db/schema-loader'), import('../db/embedded-workspace')]);
          const prepare = this.options.prepare ?? prepareEmbeddedDatabase;
          const files = orderSchemaFiles(await this.options.findSchemaFiles(s.schemaFiles));
          if (signal.aborted) throw cancelledError();
          const report = await prepare(db, { files, sampleRows: s.sampleRows, progress: checkpoint(progress, signal) });
          return { db, files, report };
        })();
        work.catch(() => undefined); // after a cancel nobody awaits it
        return Promise.race([work, aborted(signal)]);
      })
      .then(
        (load) => {
          if (this.disposed) {
            void db.close();
            throw new DbError({ kind: 'cancelled', message: 'SQL Perf is shutting down.', hint: '' });
          }
          const r = load.report;
          const summary = schemaSummary(r.schema, r.sample?.filled.length);
          this.log('info', `embedded database ${kind === 'first' ? 'ready' : 'reloaded'} in ${Date.now() - started} ms: ${summary}`);
          for (const skipped of r.sample?.skipped ?? []) this.log('warn', `sample rows: ${skipped.table} left empty: ${skipped.reason}`);
          this.lastLoad = load;
          this.options.onEmbeddedLoaded?.(load);
          if (embeddedActive()) this.setStatus({ name: '', phase: 'ok', detail: summary });
          return load;
        },
        async (e: unknown) => {
          await db.close().catch(() => undefined);
          const err = toDbError(e, 'The embedded database did not start');
          if (err.kind === 'cancelled') {
            this.log('info', 'preparing the embedded database was cancelled');
            if (embeddedActive() && kind === 'first') this.setStatus({ name: '', phase: 'idle' });
          } else {
            this.log('error', `the embedded database did not ${kind === 'first' ? 'start' : 'reload'}: ${formatDbError(err)}`);
            if (embeddedActive() && kind === 'first') this.setStatus({ name: '', phase: 'error', detail: formatDbError(err) });
          }
          throw err;
        },
      );
    return { db, ready };
  }

  private async reload(reason: string): Promise<void> {
    if (this.disposed || !this.current) return;
    if (this.next) {
      this.reloadAgain = true;
      return;
    }
    const old = this.current;
    // let a first start finish before starting a second PGlite next to it
    await old.ready.catch(() => undefined);
    if (this.disposed || this.current !== old) return;
    this.log('info', `reloading the embedded database: ${reason}`);
    const gen = this.prepareGeneration('reload');
    this.next = gen;
    try {
      await gen.ready;
      if (this.next !== gen) {
        void gen.db.close(); // closed or replaced meanwhile
        return;
      }
      this.current = gen;
      this.next = null;
      void retire(old.db);
      this.fire();
    } catch {
      if (this.next === gen) this.next = null; // keep serving the old one; the log says why
      if (resolveActive(this.options.settings()).kind === 'embedded' && this.lastLoad) {
        this.setStatus({ name: '', phase: 'ok', detail: schemaSummary(this.lastLoad.report.schema, this.lastLoad.report.sample?.filled.length) });
      }
    } finally {
      if (this.reloadAgain && !this.disposed) {
        this.reloadAgain = false;
        void this.reload('more changes');
      }
    }
  }

  private closeEmbedded(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    for (const g of [this.current, this.next]) if (g) void retire(g.db);
    this.current = this.next = null;
    this.lastLoad = undefined;
  }

  // ---- status and events ----

  private initialStatus(choice: ActiveChoice): ConnectionStatus {
    switch (choice.kind) {
      case 'embedded':
        return this.lastLoad
          ? { name: '', phase: 'ok', detail: schemaSummary(this.lastLoad.report.schema, this.lastLoad.report.sample?.filled.length) }
          : { name: '', phase: 'idle' };
      case 'profile':
        return { name: choice.profile.name, phase: 'idle', target: describeTarget(choice.profile) };
      case 'missing':
        return { name: choice.name, phase: 'error', detail: formatDbError(missingError(choice)) };
    }
  }

  private isActive(p: ConnectionProfile): boolean {
    const choice = resolveActive(this.options.settings());
    return choice.kind === 'profile' && choice.profile.name === p.name;
  }

  private setStatus(s: ConnectionStatus): void {
    const same = JSON.stringify(s) === JSON.stringify(this.currentStatus);
    this.currentStatus = s;
    if (!same) this.options.onStatus?.(s);
  }

  private fire(): void {
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (e) {
        this.log('error', `a listener failed: ${(e as Error)?.message ?? e}`);
      }
    }
  }

  private log(level: LogLevel, message: string): void {
    this.options.log?.(level, message);
  }
}

/** A ConnectionCore over a plain settings getter (the CLI-like use, and tests). */
export function settingsFrom(values: Record<string, unknown>): () => ConnectionSettings {
  return () => readConnectionSettings((key) => values[key]);
}

function profileKeys(s: ConnectionSettings): Map<string, string> {
  return new Map(s.profiles.map((p) => [p.name, JSON.stringify(p)]));
}

function embeddedKey(s: ConnectionSettings): string {
  return JSON.stringify([s.schemaFiles, s.sampleRows]);
}

function missingError(choice: Extract<ActiveChoice, { kind: 'missing' }>): DbError {
  return new DbError({
    kind: 'other',
    message: choice.reason,
    hint: 'Run "SQL Perf: Select Connection" to choose another one, or fix the entry in sqlperf.connections.',
  });
}

function cancelledError(): DbError {
  return new DbError({ kind: 'cancelled', message: 'Preparing the embedded database was cancelled.', hint: '' });
}

function toDbError(e: unknown, what = 'Database error'): DbError {
  if (isDbError(e)) return e;
  return new DbError({ kind: 'other', message: `${what}: ${(e as Error)?.message ?? String(e)}`, hint: '', cause: e });
}

/**
 * The progress callback doubles as a cancellation point: prepareEmbeddedDatabase reports
 * before each schema file and each sample table, so throwing there stops it between
 * steps. Not during PGlite's own start (the first half of the fractions): stopping there
 * would leave a started instance nobody closes; the next report comes right after it.
 */
function checkpoint(progress: ProgressFn, signal: AbortSignal): ProgressFn {
  return (message, fraction) => {
    if (signal.aborted && (fraction === undefined || fraction > 0.5)) throw cancelledError();
    progress(message, fraction);
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(cancelledError());
    else signal.addEventListener('abort', () => reject(cancelledError()), { once: true });
  });
}

function throwIfCancelled(token?: CancellationLike): void {
  if (token?.isCancellationRequested) throw new DbError({ kind: 'cancelled', message: 'Cancelled.', hint: '' });
}

/** Waits for `p` unless the token is cancelled first (the work itself goes on, shared). */
function withCancellation<T>(p: Promise<T>, token?: CancellationLike): Promise<T> {
  if (!token) return p;
  throwIfCancelled(token);
  return new Promise<T>((resolve, reject) => {
    let sub: { dispose(): unknown } | undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    const cancel = () => {
      done();
      reject(new DbError({ kind: 'cancelled', message: 'Cancelled.', hint: '' }));
    };
    const done = () => {
      sub?.dispose();
      if (timer) clearInterval(timer);
    };
    if (token.onCancellationRequested) sub = token.onCancellationRequested(cancel);
    else {
      timer = setInterval(() => token.isCancellationRequested && cancel(), 100);
    }
    p.then(
      (v) => {
        done();
        resolve(v);
      },
      (e) => {
        done();
        reject(e);
      },
    );
  });
}

/** Closes an embedded database once the work queued on it (an explain) has finished. */
async function retire(db: EmbeddedDatabase): Promise<void> {
  if (db.started) await db.withSession(async () => undefined).catch(() => undefined);
  await db.close().catch(() => undefined);
}
