/**
 * ConnectionCore with fakes: no PGlite, no server. What it hands out, when it (re)creates
 * the embedded database, what the status says, when consumers hear of a change.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionCore, type CoreOptions, type ProgressRunner, type TargetRegistry } from '../../../src/connections/core';
import { readConnectionSettings } from '../../../src/connections/settings';
import type { ConnectionStatus } from '../../../src/connections/status';
import { DbError } from '../../../src/db/errors';
import type { EmbeddedDatabase } from '../../../src/db/embedded';
import type { PrepareOptions, PrepareReport } from '../../../src/db/embedded-workspace';
import type { ConnectionProfile } from '../../../src/db/profiles';
import type { QueryTarget } from '../../../src/db/target';

const local: ConnectionProfile = { name: 'local', host: 'localhost', port: 5432, database: 'shop', user: 'me' };

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

interface FakeDb {
  id: number;
  closed: boolean;
  started: boolean;
  close(): Promise<void>;
  withSession<T>(fn: () => Promise<T>): Promise<T>;
}

function report(problems = 0): PrepareReport {
  return {
    startMs: 1,
    schema: { files: 1, statements: 3, loaded: 3 - problems, skipped: 0, duplicates: 0, problems: Array.from({ length: problems }, () => ({ file: 'schema.sql', statementStart: 0, statementEnd: 1, message: 'x' })), ms: 1 },
    totalMs: 2,
  };
}

class Harness {
  settings: Record<string, unknown> = {};
  statuses: ConnectionStatus[] = [];
  dbs: FakeDb[] = [];
  prepares: Array<{ db: FakeDb; options: PrepareOptions; gate: ReturnType<typeof deferred<PrepareReport>> }> = [];
  progressKinds: string[] = [];
  forgotten: string[] = [];
  targets = new Map<string, QueryTarget>();
  loaded = 0;
  autoPrepare = true;
  abort: AbortController | undefined;
  core: ConnectionCore;

  constructor(extra: Partial<CoreOptions> = {}) {
    const registry: TargetRegistry = {
      target: async (p) => {
        const t = this.targets.get(p.name);
        if (!t) throw new DbError({ kind: 'unreachable', message: `Cannot connect to ${p.user}@${p.host}:${p.port}/${p.database}: connection refused.`, hint: 'Check that PostgreSQL is running.' });
        return t;
      },
      forget: async (name) => void this.forgotten.push(name),
      closeAll: async () => undefined,
    };
    const withProgress: ProgressRunner = (kind, task) => {
      this.progressKinds.push(kind);
      this.abort = new AbortController();
      return task(() => undefined, this.abort.signal);
    };
    this.core = new ConnectionCore({
      settings: () => readConnectionSettings((k) => this.settings[k]),
      registry,
      findSchemaFiles: async () => [{ path: 'schema.sql', text: 'CREATE TABLE t (id int);' }],
      withProgress,
      onStatus: (s) => this.statuses.push(s),
      onEmbeddedLoaded: () => void this.loaded++,
      reloadDelayMs: 20,
      createEmbedded: () => {
        const db: FakeDb = {
          id: this.dbs.length,
          closed: false,
          started: false,
          close: async () => void (db.closed = true),
          withSession: async (fn) => fn(),
        };
        this.dbs.push(db);
        return db as unknown as EmbeddedDatabase;
      },
      prepare: async (db, options) => {
        const gate = deferred<PrepareReport>();
        this.prepares.push({ db: db as unknown as FakeDb, options, gate });
        if (this.autoPrepare) gate.resolve(report());
        // report progress after start, as prepareEmbeddedDatabase does per schema file
        options.progress?.('Loading schema.sql', 0.6);
        const r = await gate.promise;
        options.progress?.('Sample rows: t', 0.8);
        return r;
      },
      ...extra,
    });
  }

  get phases(): string[] {
    return this.statuses.map((s) => `${s.name || 'embedded'}:${s.phase}`);
  }
}

function fakeTarget(version = 150020): QueryTarget {
  return {
    kind: 'server',
    description: 'me@localhost:5432/shop',
    serverVersionNum: async () => version,
    query: async () => ({ rows: [] }),
    withSession: async (fn) => fn({ query: async () => ({ rows: [] }), pid: 1, discard: () => undefined }),
    cancel: async () => false,
    close: async () => undefined,
  };
}

describe('ConnectionCore: the embedded database', () => {
  it('is created on the first acquire only, once for concurrent callers, with the settings\' sample rows', async () => {
    const h = new Harness();
    h.settings['embedded.sampleRows'] = 0;
    h.settings['explain.lockTimeoutMs'] = 1234;
    assert.equal(h.dbs.length, 0, 'nothing at construction');
    assert.deepEqual(h.core.status, { name: '', phase: 'idle' });
    const [a, b] = await Promise.all([h.core.acquire(), h.core.acquire()]);
    assert.equal(h.dbs.length, 1);
    assert.equal(a.target, b.target);
    assert.deepEqual({ ...a, target: undefined }, { target: undefined, label: 'embedded database', readOnly: false, embedded: true, explainDefaults: { timeoutMs: 30_000, lockTimeoutMs: 1234 } });
    assert.equal(h.prepares[0].options.sampleRows, 0);
    assert.deepEqual(h.prepares[0].options.files.map((f) => f.path), ['schema.sql']);
    assert.deepEqual(h.progressKinds, ['first']);
    assert.deepEqual(h.phases, ['embedded:connecting', 'embedded:ok']);
    assert.match(h.core.status.detail!, /3 of 3 statements/);
    assert.equal(h.loaded, 1);
    await h.core.acquire();
    assert.equal(h.dbs.length, 1, 'kept for later acquires');
  });

  it('a cancelled start rejects with kind "cancelled", closes the database and starts afresh next time', async () => {
    const h = new Harness();
    h.autoPrepare = false;
    const first = h.core.acquire();
    while (h.prepares.length === 0) await tick(5);
    h.abort!.abort();
    await assert.rejects(first, (e: unknown) => e instanceof DbError && e.kind === 'cancelled');
    assert.equal(h.dbs[0].closed, true);
    assert.deepEqual(h.core.status, { name: '', phase: 'idle' });
    h.prepares[0].gate.resolve(report()); // the abandoned preparation stops at its next progress report
    h.autoPrepare = true;
    const again = await h.core.acquire();
    assert.equal(h.dbs.length, 2);
    assert.equal(again.target as unknown, h.dbs[1]);
  });

  it('a failed start shows the error and is retried on the next acquire', async () => {
    let fail = true;
    const h = new Harness({
      findSchemaFiles: async () => {
        if (fail) throw new Error('ENOENT: pglite.wasm');
        return [];
      },
    });
    await assert.rejects(h.core.acquire(), /did not start: ENOENT: pglite\.wasm/);
    assert.equal(h.core.status.phase, 'error');
    fail = false;
    await h.core.acquire();
    assert.equal(h.core.status.phase, 'ok');
  });

  it('reloads once after a burst of schema changes, swaps in the new database, closes the old one and tells consumers', async () => {
    const h = new Harness();
    h.core.scheduleReload('before any use');
    await tick(40);
    assert.equal(h.dbs.length, 0, 'nothing loaded yet: nothing to reload');
    const first = await h.core.acquire();
    let changes = 0;
    h.core.onDidChange(() => changes++);
    h.core.scheduleReload('a.sql changed');
    h.core.scheduleReload('b.sql changed');
    h.core.scheduleReload('c.sql changed');
    await tick(80);
    assert.equal(h.dbs.length, 2, 'one reload for the burst');
    assert.deepEqual(h.progressKinds, ['first', 'reload']);
    assert.equal(changes, 1);
    const second = await h.core.acquire();
    assert.notEqual(second.target, first.target);
    assert.equal(h.dbs[0].closed, true);
    assert.equal(h.dbs[1].closed, false);
    assert.equal(h.loaded, 2);
  });

  it('acquire during a reload waits for the new schema', async () => {
    const h = new Harness();
    await h.core.acquire();
    h.autoPrepare = false;
    h.core.scheduleReload('changed');
    await tick(40);
    const during = h.core.acquire();
    let settled = false;
    void during.then(() => (settled = true));
    await tick(10);
    assert.equal(settled, false);
    h.prepares[1].gate.resolve(report(2));
    assert.equal((await during).target as unknown, h.dbs[1]);
    assert.match(h.core.status.detail!, /2 problems/);
  });
});

describe('ConnectionCore: profiles', () => {
  it('hands out the active profile\'s target, read-only flag included, and shows the server version', async () => {
    const h = new Harness();
    h.settings = { connections: [{ ...local, readOnly: true }], activeConnection: 'local', 'explain.statementTimeoutMs': 999 };
    h.core.refresh();
    h.targets.set('local', fakeTarget(150020));
    const db = await h.core.acquire();
    assert.equal(db.label, 'local');
    assert.equal(db.readOnly, true);
    assert.equal(db.embedded, false);
    assert.equal(db.explainDefaults.timeoutMs, 999);
    assert.deepEqual(h.core.status, { name: 'local', phase: 'ok', target: 'me@localhost:5432/shop', detail: 'PostgreSQL 15.20' });
    assert.equal(h.dbs.length, 0, 'no embedded database started');
  });

  it('a connection failure rejects with the DbError and turns the status to error with its message', async () => {
    const h = new Harness();
    h.settings = { connections: [local], activeConnection: 'local' };
    h.core.refresh();
    await assert.rejects(h.core.acquire(), (e: unknown) => e instanceof DbError && e.kind === 'unreachable');
    assert.equal(h.core.status.phase, 'error');
    assert.match(h.core.status.detail!, /connection refused\. Check that PostgreSQL is running\./);
    assert.deepEqual(h.phases.slice(-2), ['local:connecting', 'local:error']);
  });

  it('an active name without a valid profile is an error right away', async () => {
    const h = new Harness();
    h.settings = { connections: [local], activeConnection: 'gone' };
    h.core.refresh();
    assert.equal(h.core.status.phase, 'error');
    await assert.rejects(h.core.acquire(), (e: unknown) => e instanceof DbError && /no connection named "gone"/.test(e.message) && /Select Connection/.test(e.hint));
  });

  it('a cancelled wait rejects as cancelled and leaves the status as it was', async () => {
    const h = new Harness();
    h.settings = { connections: [local], activeConnection: 'local' };
    h.core.refresh();
    const slow = deferred<number>();
    h.targets.set('local', { ...fakeTarget(), serverVersionNum: () => slow.promise });
    const token = { isCancellationRequested: false };
    const p = h.core.acquire(token);
    await tick();
    token.isCancellationRequested = true;
    await assert.rejects(p, (e: unknown) => e instanceof DbError && e.kind === 'cancelled');
    assert.equal(h.core.status.phase, 'idle');
    slow.resolve(150000);
  });

  it('pool health changes of the active profile show in the status', async () => {
    const h = new Harness();
    h.settings = { connections: [local, { ...local, name: 'other' }], activeConnection: 'local' };
    h.core.refresh();
    h.core.healthChanged('other', 'unhealthy');
    assert.equal(h.core.status.phase, 'idle');
    h.core.healthChanged('local', 'unhealthy', new DbError({ kind: 'unreachable', message: 'Lost the connection.', hint: 'Try again.' }));
    assert.deepEqual(h.core.status, { name: 'local', phase: 'error', target: 'me@localhost:5432/shop', detail: 'Lost the connection. Try again.' });
    h.core.healthChanged('local', 'ok');
    assert.equal(h.core.status.phase, 'ok');
  });
});

describe('ConnectionCore: settings changes', () => {
  it('switching the active connection fires a change, closes the embedded database and drops pools of edited profiles', async () => {
    const h = new Harness();
    h.settings = { connections: [local, { ...local, name: 'other' }] };
    h.core.refresh();
    await h.core.acquire();
    let changes = 0;
    h.core.onDidChange(() => changes++);

    h.settings = { ...h.settings, connections: [local, { ...local, name: 'other', port: 6543 }] };
    h.core.refresh();
    assert.deepEqual(h.forgotten, ['other'], 'the edited profile\'s pool is closed');
    assert.equal(changes, 0, 'the active database (embedded) did not change');

    h.settings = { ...h.settings, activeConnection: 'local' };
    h.core.refresh();
    assert.equal(changes, 1);
    await tick();
    assert.equal(h.dbs[0].closed, true, 'the embedded database is closed when no longer active');
    assert.deepEqual(h.core.status, { name: 'local', phase: 'idle', target: 'me@localhost:5432/shop' });

    h.settings = { ...h.settings, connections: [{ ...local, database: 'other' }] };
    h.core.refresh();
    assert.equal(changes, 2, 'the active profile was edited');
    assert.ok(h.forgotten.includes('local'));

    h.settings = { connections: [local] };
    h.core.refresh();
    assert.equal(changes, 3);
    assert.deepEqual(h.core.status, { name: '', phase: 'idle' }, 'back to the embedded database, started again on first use');
  });

  it('settings written by a command are picked up by acquire; the late change event then resets nothing', async () => {
    const h = new Harness();
    let changes = 0;
    h.core.onDidChange(() => changes++);
    h.targets.set('local', fakeTarget());
    h.settings = { connections: [local], activeConnection: 'local' }; // no refresh() yet
    await h.core.acquire();
    assert.equal(changes, 1);
    assert.equal(h.core.status.phase, 'ok');
    h.core.refresh(); // the configuration event, arriving late
    assert.equal(changes, 1);
    assert.equal(h.core.status.phase, 'ok');
  });

  it('a change of schemaFiles or sampleRows reloads the embedded database', async () => {
    const h = new Harness();
    await h.core.acquire();
    h.settings = { 'embedded.sampleRows': 50 };
    h.core.refresh();
    await tick(60);
    assert.equal(h.dbs.length, 2);
    assert.equal(h.prepares[1].options.sampleRows, 50);
  });

  it('dispose closes everything and refuses further acquires', async () => {
    const h = new Harness();
    await h.core.acquire();
    await h.core.dispose();
    assert.equal(h.dbs[0].closed, true);
    await assert.rejects(h.core.acquire(), /shutting down/);
  });
});
