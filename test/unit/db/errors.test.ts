import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyError, DbError, formatDbError, isConnectionLoss, type ErrorContext } from '../../../src/db/errors';

const ctx: ErrorContext = { target: 'app@db.example.com:5433/shop', host: 'db.example.com', port: 5433, database: 'shop', user: 'app', phase: 'connect', profileName: 'prod', connectTimeoutMs: 5000, secrets: ['hunter2-secret'] };
const pgError = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });
const sysError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it('connection refused / host not found / timeouts are "unreachable", naming host and port', () => {
    const refused = classifyError(sysError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:5433'), ctx);
    assert.equal(refused.kind, 'unreachable');
    assert.match(refused.message, /app@db\.example\.com:5433\/shop: connection refused/);
    assert.match(refused.hint, /db\.example\.com:5433/);
    const dns = classifyError(sysError('ENOTFOUND', 'getaddrinfo ENOTFOUND db.example.com'), ctx);
    assert.match(dns.message, /host not found \("db\.example\.com"\)/);
    const timeout = classifyError(new Error('Connection terminated due to connection timeout'), ctx);
    assert.equal(timeout.kind, 'unreachable');
    assert.match(timeout.message, /no answer within 5000 ms/);
  });

  it('login failures are "auth" and name the profile whose password to fix', () => {
    const bad = classifyError(pgError('28P01', 'password authentication failed for user "app"'), ctx);
    assert.equal(bad.kind, 'auth');
    assert.match(bad.message, /rejected the login/);
    assert.match(bad.hint, /password stored for connection "prod"/);
    const hba = classifyError(pgError('28000', 'no pg_hba.conf entry for host "10.1.1.1", user "app", database "shop", no encryption'), ctx);
    assert.equal(hba.kind, 'auth');
    assert.match(hba.hint, /pg_hba\.conf/);
  });

  it('a missing database is "database-missing"', () => {
    const e = classifyError(pgError('3D000', 'database "shop" does not exist'), ctx);
    assert.equal(e.kind, 'database-missing');
    assert.match(e.message, /Database "shop" does not exist on db\.example\.com:5433/);
  });

  it('timeouts, lock timeouts and cancellations', () => {
    const q = { ...ctx, phase: 'query' as const };
    assert.equal(classifyError(pgError('57014', 'canceling statement due to statement timeout'), q).kind, 'timeout');
    assert.equal(classifyError(pgError('55P03', 'canceling statement due to lock timeout'), q).kind, 'timeout');
    assert.equal(classifyError(pgError('57014', 'canceling statement due to user request'), q).kind, 'cancelled');
    assert.equal(classifyError(Object.assign(new Error('aborted'), { name: 'AbortError' }), q).kind, 'cancelled');
  });

  it('permissions, read-only violations and SQL errors', () => {
    const q = { ...ctx, phase: 'query' as const };
    const perm = classifyError(pgError('42501', 'permission denied for table orders'), q);
    assert.equal(perm.kind, 'permission');
    const ro = classifyError(pgError('25006', 'cannot execute INSERT in a read-only transaction'), q);
    assert.equal(ro.kind, 'sql');
    assert.equal(ro.code, '25006');
    assert.match(ro.message, /READ ONLY/);
    const sql = classifyError(pgError('42703', 'column "x" does not exist', { position: '8', hint: 'Perhaps you meant "y".' }), q);
    assert.equal(sql.kind, 'sql');
    assert.equal(sql.position, 7);
    assert.match(sql.message, /column "x" does not exist \(SQLSTATE 42703\)/);
    assert.match(sql.hint, /Perhaps you meant/);
  });

  it('a restart or a terminated backend is a lost connection', () => {
    const q = { ...ctx, phase: 'query' as const };
    const e = classifyError(pgError('57P01', 'terminating connection due to administrator command'), q);
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /Lost the connection/);
    assert.equal(classifyError(new Error('Connection terminated unexpectedly'), q).kind, 'unreachable');
    assert.equal(classifyError(pgError('57P03', 'the database system is starting up'), ctx).kind, 'unreachable');
  });

  it('never lets a known password through, from any field', () => {
    const e = classifyError(pgError('XX000', 'failed for postgresql://app:hunter2-secret@db/shop', { detail: 'pw hunter2-secret', hint: 'password=hunter2-secret' }), { ...ctx, phase: 'query' });
    const all = `${formatDbError(e)} ${e.stack}`;
    assert.ok(!all.includes('hunter2-secret'), all);
    assert.match(e.message, /postgresql:\/\/app:\*\*\*@db\/shop/);
  });

  it('passes DbErrors through unchanged', () => {
    const original = new DbError({ kind: 'cancelled', message: 'x', hint: '' });
    assert.equal(classifyError(original, ctx), original);
  });
});

describe('isConnectionLoss', () => {
  it('is true for dropped connections and false for statement errors', () => {
    assert.equal(isConnectionLoss(sysError('ECONNRESET', 'read ECONNRESET')), true);
    assert.equal(isConnectionLoss(pgError('57P01', 'terminating connection due to administrator command')), true);
    assert.equal(isConnectionLoss(new Error('Client has encountered a connection error and is not queryable')), true);
    assert.equal(isConnectionLoss(pgError('08006', 'connection failure')), true);
    assert.equal(isConnectionLoss(sysError('ENOTFOUND', 'no such host')), false);
    assert.equal(isConnectionLoss(pgError('42P01', 'relation "x" does not exist')), false);
    assert.equal(isConnectionLoss(pgError('57014', 'canceling statement due to statement timeout')), false);
  });
});
