/**
 * The advisor's use of what a live server knows, in a database of its own: BRIN for an
 * append-only column, write cost and write-heavy tables, table housekeeping (sequential
 * scans, dead rows, stale statistics), and pg_stat_statements as workload merged with the
 * workspace's statements.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { advise, buildWorkload, generateCandidates, type AdviceReport, type WorkloadQuery } from '../../../src/advisor';
import { tableResolver } from '../../../src/advisor/advise';
import { loadTables } from '../../../src/advisor/catalog';
import { addTableStats } from '../../../src/advisor/table-stats';
import { HypoPgWhatIf } from '../../../src/advisor/whatif';
import { toAdviceJson } from '../../../src/advisor/json';
import { noSecrets, PoolRegistry, type QueryTarget } from '../../../src/db';
import { requirePrerequisite } from '../../support/prerequisites';
import { DATABASE_URL } from './fixture';

const skip = requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set');

describe('index advisor with server statistics', { skip }, () => {
  const dbName = `advisor_stats_${process.pid}`;
  let admin: Client;
  let c: Client;
  let registry: PoolRegistry;
  let target: QueryTarget;
  let statsOk = false;
  const workload = (...sqls: string[]): WorkloadQuery[] => buildWorkload(sqls.map((text, i) => ({ text, location: { file: 'app.sql', line: i + 1, column: 1 } })));

  before(async () => {
    await loadParser();
    admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${dbName}`;
    c = new Client({ connectionString: url.toString() });
    await c.connect();
    await c.query('CREATE EXTENSION hypopg');
    statsOk = await c.query('CREATE EXTENSION pg_stat_statements').then(() => c.query('/* sqlperf */ SELECT 1 FROM pg_stat_statements LIMIT 1')).then(() => true, () => false);
    await c.query(`
      CREATE TABLE "Event Log" (id bigint PRIMARY KEY, user_id int NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL);
      INSERT INTO "Event Log" SELECT g, g % 5000, CASE WHEN g % 50 = 0 THEN 'error' ELSE 'info' END, timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, 300000) g;
      CREATE TABLE scanned (id int PRIMARY KEY, code text NOT NULL, n int NOT NULL) WITH (autovacuum_enabled = off);
      INSERT INTO scanned SELECT g, 'c' || g, g % 10 FROM generate_series(1, 30000) g;`);
    // the inserts' counters reach the shared statistics when the backend goes idle: before ANALYZE resets them
    await c.query('SELECT pg_stat_force_next_flush()');
    await c.query('SELECT 1');
    await c.query('VACUUM ANALYZE "Event Log"');
    await c.query('VACUUM ANALYZE scanned');
    // a read-mostly-by-seq-scan table with dead rows and stale statistics
    for (let i = 0; i < 110; i++) await c.query('SELECT count(*) FROM scanned WHERE code = $1', [`c${i}`]);
    await c.query('UPDATE scanned SET n = n + 1 WHERE id <= 20000');
    await c.query('SELECT pg_stat_force_next_flush()');
    registry = new PoolRegistry(noSecrets, { env: { ADV_STATS_URL: url.toString() }, max: 2 });
    target = await registry.target({ name: 'adv-stats', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'ADV_STATS_URL' });
  });

  after(async () => {
    await registry?.closeAll().catch(() => undefined);
    await c?.end().catch(() => undefined);
    await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin?.end().catch(() => undefined);
  });

  it('offers a BRIN index for a range on an append-only column, and HypoPG verifies it', async () => {
    const qs = workload(`SELECT user_id, kind FROM "Event Log" WHERE created_at >= $1 AND created_at < $2`);
    await target.withSession(async (s) => {
      const tables = await loadTables(s, qs);
      await addTableStats(s, tables.values());
      const t = [...tables.values()][0];
      assert.ok((t.correlation?.created_at ?? 0) > 0.99, JSON.stringify(t.correlation));
      const brin = generateCandidates(qs, tableResolver(tables)).candidates.find((x) => x.kind === 'brin');
      assert.ok(brin, 'a brin candidate');
      assert.equal(brin.key, 'CREATE INDEX ON "public"."Event Log" USING brin ("created_at")');
      const w = new HypoPgWhatIf(s, await target.serverVersionNum());
      const base = await w.evaluate([], qs);
      const withIx = await w.evaluate([brin], qs, true);
      assert.ok(withIx.costs.get(0)! < base.costs.get(0)! * 0.7, `${base.costs.get(0)} -> ${withIx.costs.get(0)}`);
      assert.ok(withIx.sizes.get(brin.key)! < 100_000, 'a BRIN index is tiny');
      await w.cleanup();
    });
  });

  describe('advise', () => {
    let report: AdviceReport;
    before(async () => {
      report = await advise(target, workload(`SELECT id, kind FROM "Event Log" WHERE user_id = $1 ORDER BY created_at DESC LIMIT 20`), { serverStats: false });
    });

    it('gives each suggestion its write cost and flags the write-heavy table', () => {
      const s = report.suggestions.find((x) => x.candidate.table === 'Event Log');
      assert.ok(s, JSON.stringify(report.suggestions.map((x) => x.definition)));
      // 300,000 inserts and hardly a read: every new index slows the dominant work down
      assert.deepEqual({ ...s.writeCost, tableReads: undefined }, { indexesBefore: 1, indexesAfter: 2, tableWrites: 300000, tableReads: undefined, writeHeavy: true });
      assert.ok(report.notes.some((n) => /Event Log is write-heavy/.test(n)), report.notes.join('\n'));
      const json = toAdviceJson(report, (l) => `${l.file}:${l.line}`);
      assert.equal(json.suggestions[0].writeCost?.writeHeavy, true);
      assert.equal(json.suggestions[0].verifiedBy, 'hypopg');
    });

    it('housekeeping reports sequential scans over many rows, dead rows and stale statistics', () => {
      const mine = report.housekeeping.filter((h) => h.table === 'scanned').map((h) => h.kind).sort();
      assert.deepEqual(mine, ['dead-tuples', 'seq-scan-heavy', 'stale-statistics'], JSON.stringify(report.housekeeping));
      assert.deepEqual(report.housekeeping.filter((h) => h.table === 'Event Log').map((h) => h.kind), [], 'the freshly analyzed table is fine');
    });
  });

  it('takes pg_stat_statements as workload, merged with the workspace by fingerprint, without its own statements', async (t) => {
    if (!statsOk) return t.skip('pg_stat_statements is not loaded (shared_preload_libraries)');
    for (let i = 0; i < 50; i++) await c.query('SELECT id, n FROM scanned WHERE code = $1', [`c${i}`]);
    for (let i = 0; i < 30; i++) await c.query(`SELECT id FROM "Event Log" WHERE kind = $1 AND user_id = $2`, ['error', i]);
    const ws = workload(`SELECT id, n FROM scanned WHERE code = 'c7'`);
    // twice: the second run must not pick up the first one's catalog and HypoPG statements
    await advise(target, ws, { housekeeping: false });
    const r = await advise(target, ws, { housekeeping: false });
    const merged = r.queries.filter((q) => /SELECT id, n FROM scanned WHERE code =/.test(q.text));
    assert.equal(merged.length, 1, r.queries.map((q) => q.text).join('\n'));
    assert.equal(merged[0].locations[0].file, 'app.sql', 'the workspace location is kept');
    assert.ok((merged[0].stats?.calls ?? 0) >= 50, JSON.stringify(merged[0].stats));
    assert.ok(merged[0].weight > 1, 'the server weight is added');
    const serverOnly = r.queries.find((q) => /"Event Log" WHERE kind/.test(q.text));
    assert.ok(serverOnly && serverOnly.locations.length === 0, 'a statement only the server ran is part of the workload');
    assert.ok(r.suggestions.some((s) => s.candidate.table === 'scanned'), JSON.stringify(r.suggestions.map((s) => s.definition)));
    for (const q of r.queries) assert.doesNotMatch(q.text, /pg_class|pg_index|pg_stat|hypopg|sqlperf/i, 'none of sqlperf\'s own statements');
    const json = toAdviceJson(r, (l) => `${l.file}:${l.line}`);
    const locs = json.suggestions.flatMap((s) => s.queries.map((q) => q.location));
    assert.ok(locs.includes('app.sql:1'), locs.join(', '));
    // and --no-stats leaves them out
    const without = await advise(target, ws, { housekeeping: false, serverStats: false });
    assert.equal(without.queries.length, 1);
  });
});
