/**
 * The pure parts of slow queries: fingerprints across literal and parameter styles, the
 * join, ordering, statistics, the pg_stat_statements query per version, the explanation,
 * argument parsing.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { fingerprintStatement } from '../../../src/slow/fingerprint';
import { matchStatements } from '../../../src/slow/match';
import { lensTitle } from '../../../src/slow/format';
import { percentile, summarizeTimes, runFigures } from '../../../src/slow/profile-stats';
import { buildStatsQuery } from '../../../src/slow/stats-sql';
import { explainUnavailable, formatUnavailable } from '../../../src/slow/unavailable';
import type { StatRow, WorkspaceStatement } from '../../../src/slow/types';
import { parseProfileArgs, parseSlowArgs } from '../../../src/cli/slow-args';

before(() => loadParser());

describe('fingerprints', () => {
  it('ignore literal values and parameter styles', () => {
    const a = fingerprintStatement('SELECT * FROM t WHERE id = 5');
    assert.ok(a);
    assert.equal(fingerprintStatement('select *  from t where id = $1'), a);
    assert.equal(fingerprintStatement('SELECT * FROM t WHERE id = :id'), a);
    assert.equal(fingerprintStatement('SELECT * FROM t WHERE id = ?'), a);
    assert.notEqual(fingerprintStatement('SELECT * FROM t WHERE name = $1'), a);
  });
  it('is null for what does not parse', () => {
    assert.equal(fingerprintStatement('<insufficient privilege>'), null);
  });
});

const row = (queryid: string, query: string, calls: number, total: number, extra: Partial<StatRow> = {}): StatRow => ({
  queryid, query, calls, totalTimeMs: total, meanTimeMs: total / calls, rows: calls, sharedBlksHit: 0, sharedBlksRead: 0, ...extra,
});
const stmt = (file: string, line: number, text: string): WorkspaceStatement => ({
  file, line, column: 1, start: line * 10, end: line * 10 + text.length, endLine: line, endColumn: text.length + 1, text, fingerprint: fingerprintStatement(text), language: 'sql',
});

describe('matchStatements', () => {
  it('joins by fingerprint, merges rows of one shape, orders, limits, leaves unmatched without locations', () => {
    const rows = [
      row('1', 'SELECT * FROM t WHERE id = $1', 100, 50),
      row('2', 'SELECT * FROM t WHERE id = $1', 300, 150, { sharedBlksRead: 7 }), // same shape, another user
      row('3', 'SELECT count(*) FROM u', 2, 600),
      row('4', 'garbage that does not parse', 1, 200),
    ];
    const ws = [stmt('/w/a.sql', 3, 'SELECT * FROM t WHERE id = 42'), stmt('/w/b.ts', 9, 'SELECT * FROM t WHERE id = $1'), stmt('/w/c.sql', 1, 'SELECT 1')];
    const byTotal = matchStatements(rows, ws);
    assert.deepEqual(byTotal.map((e) => e.totalTimeMs), [600, 200, 200]);
    const t = byTotal.find((e) => e.queryids.length === 2)!;
    assert.equal(t.calls, 400);
    assert.equal(t.meanTimeMs, 0.5);
    assert.equal(t.sharedBlksRead, 7);
    assert.deepEqual(t.locations.map((l) => `${l.file}:${l.line}`), ['/w/a.sql:3', '/w/b.ts:9']);
    assert.equal(t.shareOfTotal, 0.2);
    assert.deepEqual(byTotal[0].locations, []);
    assert.equal(byTotal.find((e) => e.key === 'queryid:4')!.locations.length, 0);
    assert.deepEqual(matchStatements(rows, ws, { order: 'calls', limit: 1 }).map((e) => e.calls), [400]);
    assert.deepEqual(matchStatements(rows, ws, { order: 'mean' })[0].meanTimeMs, 300);
    assert.deepEqual(matchStatements(rows, ws, { order: 'reads' })[0].sharedBlksRead, 7);
  });
  it('lens title', () => {
    const [e] = matchStatements([row('1', 'SELECT 1', 412_000, 412_000 * 38)], []);
    assert.equal(lensTitle(e), '412k calls · mean 38 ms · 100% of total time');
  });
});

describe('profile statistics', () => {
  it('min <= median <= p95 <= max; nearest-rank p95', () => {
    const s = summarizeTimes([5, 1, 3, 2, 4, 10, 6, 7, 8, 9]);
    assert.deepEqual([s.minMs, s.medianMs, s.p95Ms, s.maxMs, s.meanMs], [1, 5.5, 10, 10, 5.5]);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95), 19);
    const one = summarizeTimes([3]);
    assert.deepEqual([one.minMs, one.medianMs, one.p95Ms, one.maxMs, one.stddevMs], [3, 3, 3, 3, 0]);
  });
  it('reads execution time, rows and buffers from an EXPLAIN JSON', () => {
    const f = runFigures([{ Plan: { 'Actual Rows': 5, 'Actual Loops': 2, 'Shared Hit Blocks': 3, 'Shared Read Blocks': 1 }, 'Execution Time': 1.5, 'Planning Time': 0.1 }]);
    assert.deepEqual(f, { executionTimeMs: 1.5, planningTimeMs: 0.1, rows: 10, sharedHitBlocks: 3, sharedReadBlocks: 1 });
  });
});

describe('pg_stat_statements query per version', () => {
  it('uses total_time before 13, total_exec_time from 13, toplevel from 14', () => {
    const v12 = buildStatsQuery({ serverVersionNum: 120010, schema: 'public', maxRows: 10 });
    assert.match(v12, /s\.total_time/);
    assert.doesNotMatch(v12, /toplevel/);
    const v13 = buildStatsQuery({ serverVersionNum: 130000, schema: 'public', maxRows: 10 });
    assert.match(v13, /s\.total_exec_time/);
    assert.match(v13, /s\.mean_exec_time/);
    assert.doesNotMatch(v13, /toplevel/);
    for (const v of [140000, 150020, 160004, 170002, 180000]) {
      const q = buildStatsQuery({ serverVersionNum: v, schema: 'ext"s', maxRows: 10 });
      assert.match(q, /total_exec_time/);
      assert.match(q, /s\.toplevel/);
      assert.match(q, /"ext""s"\.pg_stat_statements/);
    }
  });
});

describe('the explanation when pg_stat_statements is unavailable', () => {
  it('gives the exact steps', () => {
    const t = formatUnavailable({ message: explainUnavailable({ reason: 'not-installed', database: 'app', user: 'app_ro' }).summary, steps: explainUnavailable({ reason: 'not-installed', database: 'app', user: 'app_ro' }).steps });
    assert.match(t, /shared_preload_libraries/);
    assert.match(t, /Restart PostgreSQL/);
    assert.match(t, /CREATE EXTENSION IF NOT EXISTS pg_stat_statements/);
    assert.match(t, /GRANT pg_read_all_stats TO app_ro/);
    assert.doesNotMatch(explainUnavailable({ reason: 'not-installed', preloaded: true }).steps.join(' '), /Restart/);
    assert.match(explainUnavailable({ reason: 'not-loaded' }).summary, /not loaded/);
    assert.match(explainUnavailable({ reason: 'no-permission', user: 'Bob' }).steps[0], /GRANT pg_read_all_stats TO "Bob"/);
  });
});

describe('arguments', () => {
  it('slow', () => {
    assert.deepEqual(parseSlowArgs(['--db', 'postgresql://x/y', 'src', 'db', '--order', 'mean', '--limit', '5', '--format', 'json']), {
      kind: 'slow',
      options: { target: { kind: 'db', url: 'postgresql://x/y' }, paths: ['src', 'db'], order: 'mean', limit: 5, format: 'json' },
    });
    assert.equal(parseSlowArgs(['--connection', 'prod']).kind, 'slow');
    assert.equal(parseSlowArgs([]).kind, 'usage-error');
    assert.equal(parseSlowArgs(['--db', 'u', '--connection', 'c']).kind, 'usage-error');
    assert.equal(parseSlowArgs(['--db', 'u', '--limit', '0']).kind, 'usage-error');
    assert.equal(parseSlowArgs(['--db', 'u', '--format', 'sarif']).kind, 'usage-error');
  });
  it('profile', () => {
    assert.deepEqual(parseProfileArgs(['--db', 'u', '--sql', 'SELECT $1', '--param', '-5', '--runs', '3', '--allow-write']), {
      kind: 'profile',
      options: { target: { kind: 'db', url: 'u' }, sql: 'SELECT $1', runs: 3, allowWrite: true, params: ['-5'], format: 'text' },
    });
    const d = parseProfileArgs(['--db', 'u', '--sql', 'SELECT 1']);
    assert.equal(d.kind === 'profile' && d.options.runs, 10);
    assert.equal(parseProfileArgs(['--db', 'u']).kind, 'usage-error');
  });
});
