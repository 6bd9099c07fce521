/**
 * pg_stat_statements matched to the workspace on a real server (with the extension
 * preloaded), the explanation without it, reset refused on read-only profiles, and
 * Profile Query's figures and rollback.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client } from 'pg';
import { PoolRegistry } from '../../../src/db/pools';
import { noSecrets } from '../../../src/db/secrets';
import { DbError } from '../../../src/db/errors';
import type { QueryTarget } from '../../../src/db/target';
import { matchStatements, profileStatement, readStatStatements, resetStatStatements, scanFiles, SlowQueriesUnavailable, formatUnavailable } from '../../../src/slow';
import { requirePrerequisite } from '../../support/prerequisites';
import { createFixture, DATABASE_URL, runWorkload, type SlowFixture } from './fixture';

const skip = requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL (a PostgreSQL server with pg_stat_statements preloaded) is not set');

describe('slow queries on a real server', { skip }, () => {
  let f: SlowFixture;
  const registry = new PoolRegistry(noSecrets, { env: { ...process.env, SLOW_TEST_URL: DATABASE_URL } });
  let target: QueryTarget;

  before(async () => {
    f = await createFixture();
    await runWorkload(f);
    target = await registry.target({ name: 'test', host: '', port: 5432, database: '', user: '', urlFromEnv: 'SLOW_TEST_URL' });
  });
  after(async () => {
    await registry.closeAll();
    await f?.cleanup();
  });

  it('attributes calls to the files and lines in SQL, TypeScript, Python and Go', async () => {
    const stats = await readStatStatements(target);
    const files = ['queries/items.sql', 'app/items.ts', 'app/report.py', 'app/main.go'].map((r) => join(f.dir, r));
    const scan = await scanFiles(files);
    assert.deepEqual(scan.problems, []);
    const entries = matchStatements(
      stats.rows.filter((r) => r.query.includes(f.table)),
      scan.statements,
      { order: 'calls' },
    );
    const where = (e: (typeof entries)[number]) => e.locations.map((l) => `${l.file.slice(f.dir.length + 1)}:${l.line}`);
    const byCalls = new Map(entries.map((e) => [e.calls, e]));
    assert.deepEqual(where(byCalls.get(6)!), [`${f.lines.sql[0]}:${f.lines.sql[1]}`]);
    assert.deepEqual(where(byCalls.get(5)!), [`${f.lines.ts[0]}:${f.lines.ts[1]}`]);
    assert.deepEqual(where(byCalls.get(4)!), [`${f.lines.py[0]}:${f.lines.py[1]}`]);
    assert.deepEqual(where(byCalls.get(3)!), [`${f.lines.go[0]}:${f.lines.go[1]}`]);
    const notInWorkspace = byCalls.get(2)!;
    assert.match(notInWorkspace.query, /max\(price\)/);
    assert.deepEqual(notInWorkspace.locations, []);
    // ordered by calls (then the fixture's own CREATE/INSERT, once each), figures positive
    assert.deepEqual(entries.slice(0, 5).map((e) => e.calls), [6, 5, 4, 3, 2]);
    for (const e of entries) assert.ok(e.totalTimeMs > 0 && e.meanTimeMs > 0 && e.meanTimeMs <= e.totalTimeMs);
    // sqlperf's own statements are not listed
    assert.ok(!stats.rows.some((r) => r.query.includes('/* sqlperf */')));
  });

  it('explains, without a stack trace, when the extension is not created in the database', async () => {
    const name = `sqlperf_slow_noext_${process.pid}`;
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    const reg = new PoolRegistry(noSecrets, { env: { ...process.env, SLOW_NOEXT_URL: url.toString() } });
    try {
      const t = await reg.target({ name: 'noext', host: '', port: 5432, database: '', user: '', urlFromEnv: 'SLOW_NOEXT_URL' });
      const e = await readStatStatements(t).then(
        () => assert.fail('expected SlowQueriesUnavailable'),
        (x: unknown) => x,
      );
      assert.ok(e instanceof SlowQueriesUnavailable, String(e));
      assert.equal(e.reason, 'not-installed');
      const text = formatUnavailable(e);
      assert.match(text, /not installed in database "sqlperf_slow_noext_/);
      assert.match(text, /CREATE EXTENSION IF NOT EXISTS pg_stat_statements/);
      assert.match(text, /pg_read_all_stats/);
      assert.doesNotMatch(text, /\n\s+at /);
    } finally {
      await reg.closeAll();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      await admin.end();
    }
  });

  it('refuses to reset on a read-only profile and without confirmation', async () => {
    await assert.rejects(resetStatStatements(target, { readOnlyProfile: true, confirmed: true }), (e: unknown) => e instanceof DbError && /read-only/.test(e.message));
    await assert.rejects(resetStatStatements(target, { readOnlyProfile: false, confirmed: false }), (e: unknown) => e instanceof DbError && /confirmation/.test(e.message));
  });

  it('profiles a query: consistent figures, rows and buffers of the last run', async () => {
    const r = await profileStatement(target, `SELECT id, name FROM "${f.schema}"."${f.table}" WHERE price > 50`, { runs: 7 });
    const s = r.summary;
    assert.equal(s.runs, 7);
    assert.equal(r.timesMs.length, 7);
    assert.ok(s.minMs > 0);
    assert.ok(s.minMs <= s.medianMs && s.medianMs <= s.p95Ms && s.p95Ms <= s.maxMs, JSON.stringify(s));
    assert.ok(s.minMs <= s.meanMs && s.meanMs <= s.maxMs);
    assert.equal(r.last.rows, 980);
    assert.ok(r.last.sharedHitBlocks + r.last.sharedReadBlocks > 0);
  });

  it('a profiled UPDATE leaves the table unchanged, and needs allowWrite; refused on read-only profiles', async () => {
    const tbl = `"${f.schema}"."${f.table}"`;
    const digest = async () => (await target.query(`SELECT md5(string_agg(t::text, ',' ORDER BY id)) AS h FROM ${tbl} t`)).rows[0].h;
    const before = await digest();
    const update = `UPDATE ${tbl} SET price = price + 1 WHERE id <= 100`;
    await assert.rejects(profileStatement(target, update, { runs: 3 }), (e: unknown) => e instanceof DbError && /confirmation/.test(e.message));
    await assert.rejects(profileStatement(target, update, { runs: 3, allowWrite: true, readOnlyProfile: true }), (e: unknown) => e instanceof DbError && /read-only/.test(e.message));
    const r = await profileStatement(target, update, { runs: 4, allowWrite: true });
    assert.equal(r.statementKind, 'update');
    assert.equal(r.summary.runs, 4);
    assert.equal(r.last.rows, 0); // an UPDATE without RETURNING returns no rows
    assert.equal(await digest(), before);
  });

  it('stops when cancelled and reports the runs done', async () => {
    const ac = new AbortController();
    const r = await profileStatement(target, `SELECT pg_sleep(0.01)`, {
      runs: 50,
      signal: ac.signal,
      onProgress: (i) => {
        if (i === 3) ac.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.ok(r.summary.runs >= 1 && r.summary.runs < 50);
  });
});
