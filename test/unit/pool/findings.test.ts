import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allFindings, capacityFindings, serverFindings, settingMs } from '../../../src/pool/findings';
import { summarizePgBouncer } from '../../../src/pool/pgbouncer';
import { buildReport, reportJson, reportText } from '../../../src/pool/report';
import { summarize, type RawServerState } from '../../../src/pool/summarize';
import type { ActivityRow, AppPoolConfig } from '../../../src/pool/types';

const row = (o: Partial<ActivityRow> & { pid: number }): ActivityRow => ({
  usename: 'app', application_name: 'web', client_addr: '10.0.0.1', backend_type: 'client backend', state: 'idle',
  backend_age: 600, xact_age: null, query_age: 1, state_age: 1, xmin_age: null, wait_event_type: null, wait_event: null, blocking_pids: [], query: 'SELECT 1', ...o,
});

function raw(activity: ActivityRow[], over: Partial<RawServerState> = {}): RawServerState {
  return {
    versionNum: 160002, description: 'test', database: 'shop', activity,
    settings: { max_connections: '100', superuser_reserved_connections: '3', reserved_connections: '2', idle_in_transaction_session_timeout: '0 ms', statement_timeout: '0 ms', idle_session_timeout: '0 ms' },
    blksHit: 990_000, blksRead: 10_000, sessions: 1000, ...over,
  };
}

describe('summarize', () => {
  it('counts slots, states and groups; reserved_connections only on 16+', () => {
    const rows = [row({ pid: 1, state: 'active' }), row({ pid: 2 }), row({ pid: 3, application_name: '' }), row({ pid: 4, backend_type: 'autovacuum launcher', state: null })];
    const s = summarize(raw(rows), { now: 1000 });
    assert.equal(s.usableConnections, 95);
    assert.equal(s.clientConnections, 3);
    assert.deepEqual(s.byState, { active: 1, idle: 2 });
    assert.deepEqual(s.byApplication, { web: 2, '(none)': 1 });
    assert.equal(summarize(raw(rows, { versionNum: 150000 }), { now: 1000 }).usableConnections, 97);
  });
  it('idle in transaction, long queries (autovacuum excluded), lock waits with blockers', () => {
    const rows = [
      row({ pid: 10, state: 'idle in transaction', state_age: 45, xact_age: 50 }),
      row({ pid: 11, state: 'idle in transaction', state_age: 5, xact_age: 6 }),
      row({ pid: 12, state: 'active', query_age: 90 }),
      row({ pid: 13, backend_type: 'autovacuum worker', state: 'active', query_age: 900, query: 'autovacuum: VACUUM t' }),
      row({ pid: 14, state: 'active', query_age: 8, blocking_pids: [10] }),
    ];
    const s = summarize(raw(rows), { now: 1000 });
    assert.equal(s.idleInTransaction.count, 2);
    assert.equal(s.idleInTransaction.oldestSeconds, 45);
    assert.deepEqual(s.idleInTransaction.backends.map((b) => b.pid), [10]);
    assert.deepEqual(s.longQueries.map((b) => b.pid), [12]);
    assert.equal(s.lockWaits.length, 1);
    assert.equal(s.lockWaits[0].blockedBy[0].pid, 10);
    const ids = serverFindings(s).map((f) => f.id);
    assert.deepEqual(ids, ['idle-in-transaction', 'no-idle-in-transaction-timeout', 'long-running-query', 'lock-wait']);
  });
  it('churn from two snapshots of pg_stat_database.sessions', () => {
    const first = summarize(raw([]), { now: 0 });
    const second = summarize(raw([], { sessions: 1200 }), { now: 60_000, previous: first });
    assert.equal(second.churn.sessionsPerMinute, 200);
    assert.ok(serverFindings(second).some((f) => f.id === 'connection-churn'));
  });
  it('utilization warns at 80% and is critical at 90%; cache hit rate under 99%', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => row({ pid: 100 + i }));
    const sev = (n: number) => serverFindings(summarize(raw(many(n)), { now: 0 })).find((f) => f.id === 'slots-utilization')?.severity;
    assert.equal(sev(75), undefined);
    assert.equal(sev(76), 'warning');
    assert.equal(sev(86), 'critical');
    const cold = summarize(raw([], { blksHit: 900, blksRead: 200 }), { now: 0 });
    assert.ok(serverFindings(cold).some((f) => f.id === 'cache-hit-rate'));
  });
});

describe('findings: the join', () => {
  const pool = (max: number | null, line: number): AppPoolConfig => ({ file: 'a.ts', line, library: 'node-postgres', settings: { connectionTimeoutMillis: 1000 }, maxConnections: max });
  it('sum of pool maxima × instances against usable slots', () => {
    const s = summarize(raw([]), { now: 0 });
    assert.deepEqual(capacityFindings([pool(40, 1), pool(40, 2)], s, { instances: 1 }), []);
    const [f] = capacityFindings([pool(40, 1), pool(40, 2)], s, { instances: 3 });
    assert.equal(f.id, 'pools-exceed-server');
    assert.equal(f.title, 'your pools can open 240 connections; the server accepts 95');
    assert.ok(capacityFindings([pool(null, 3)], s).some((x) => x.id === 'pools-unbounded'));
    assert.deepEqual(capacityFindings([pool(500, 1)], null), [], 'no server, no join');
  });
  it('sorted by severity; report JSON has the agreed shape', () => {
    const s = summarize(raw([row({ pid: 10, state: 'idle in transaction', state_age: 45 })]), { now: 0 });
    const r = buildReport(s, [pool(500, 1)], {});
    assert.equal(r.findings[0].severity, 'critical');
    const j = reportJson(r) as Record<string, any>;
    for (const k of ['maxConnections', 'reservedConnections', 'usableConnections', 'clientConnections', 'utilization']) assert.equal(typeof j.server[k], 'number', k);
    assert.deepEqual(j.byState, { 'idle in transaction': 1 });
    assert.deepEqual(Object.keys(j.app[0]).sort(), ['file', 'library', 'line', 'location', 'maxConnections', 'settings']);
    assert.equal(j.appMaxConnections, 500);
    for (const f of j.findings) for (const k of ['id', 'severity', 'title', 'detail']) assert.equal(typeof f[k], 'string');
    assert.match(reportText(r), /pools-exceed-server/);
  });
  it('settingMs reads pg_settings values', () => {
    assert.equal(settingMs('0 ms'), 0);
    assert.equal(settingMs('60000 ms'), 60000);
    assert.equal(settingMs('5 min'), 300000);
    assert.equal(settingMs(null), null);
  });
  it('PgBouncer waiting clients', () => {
    const b = summarizePgBouncer([{ database: 'test', cl_active: 2, cl_waiting: 3, sv_active: 2, sv_idle: 0, maxwait: 2, maxwait_us: 500000 }], [], []);
    assert.equal(b.clientsWaiting, 3);
    assert.equal(b.maxWait, 2.5);
    assert.ok(allFindings(null, [], {}, b).some((f) => f.id === 'pgbouncer-clients-waiting'));
  });
});
