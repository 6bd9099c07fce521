/**
 * The advisor's judgements of what a live server knows, as pure functions: BRIN candidates
 * from pg_stats correlation, write-heavy tables, table housekeeping, merging
 * pg_stat_statements into the workspace's workload, and the redundancy pass of the
 * greedy selection.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { buildWorkload, generateCandidates, type TableInfo } from '../../../src/advisor';
import { tableResolver, writeCostsOf } from '../../../src/advisor/advise';
import { refKey } from '../../../src/advisor/catalog';
import { selectIndexes } from '../../../src/advisor/select';
import { mergeWorkloads } from '../../../src/advisor/stats-workload';
import { isWriteHeavy, tableFindings, type TableActivity } from '../../../src/advisor/table-stats';
import type { Candidate, WorkloadQuery } from '../../../src/advisor/types';
import type { WhatIf } from '../../../src/advisor/whatif';

const events = (o: Partial<TableInfo> = {}): TableInfo => ({
  schema: 'public',
  name: 'events',
  columns: ['id', 'user_id', 'created_at'],
  rows: 1e6,
  indexes: [{ name: 'events_pkey', method: 'btree', keys: ['id'], include: [], unique: true, primary: true }],
  correlation: { id: 1, user_id: 0.01, created_at: 0.998 },
  ...o,
});
const workload = (...sqls: string[]) => buildWorkload(sqls.map((text, i) => ({ text, location: { file: 'a.sql', line: i + 1, column: 1 } })));
const candidatesFor = (t: TableInfo, sql: string) => generateCandidates(workload(sql), tableResolver(new Map([[refKey(undefined, 'events'), t]]))).candidates;
const RANGE = 'SELECT id FROM events WHERE created_at >= $1 AND created_at < $2';

describe('advisor: BRIN candidates', () => {
  before(() => loadParser());
  it('a range on an append-only column of a big table', () => {
    const brin = candidatesFor(events(), RANGE).filter((c) => c.kind === 'brin');
    assert.deepEqual(brin.map((c) => c.key), ['CREATE INDEX ON "public"."events" USING brin ("created_at")']);
    assert.equal(brin[0].needsRealIndex, false, 'HypoPG can fake BRIN');
  });
  it('not for a column stored out of order, a small table, or without statistics (embedded)', () => {
    assert.ok(!candidatesFor(events(), 'SELECT id FROM events WHERE user_id > $1').some((c) => c.kind === 'brin'));
    assert.ok(!candidatesFor(events({ rows: 5000 }), RANGE).some((c) => c.kind === 'brin'));
    assert.ok(!candidatesFor(events({ correlation: undefined }), RANGE).some((c) => c.kind === 'brin'));
  });
});

describe('advisor: write cost', () => {
  it('write-heavy: writes outnumber reads, and there are enough of them', () => {
    const w = (inserts: number, reads: number) => ({ inserts, updates: 0, deletes: 0, reads, sizeBytes: 0 });
    assert.equal(isWriteHeavy(w(50_000, 10)), true);
    assert.equal(isWriteHeavy(w(50_000, 1_000_000)), false);
    assert.equal(isWriteHeavy(w(10, 0)), false);
    assert.equal(isWriteHeavy(undefined), false);
  });
  it('indexes per insert before and after every suggestion for the table', () => {
    const t = events({ writes: { inserts: 9000, updates: 0, deletes: 0, reads: 3, sizeBytes: 0 } });
    const cands = candidatesFor(t, 'SELECT id FROM events WHERE user_id = $1 AND created_at > $2').slice(0, 2);
    const costs = writeCostsOf(cands, () => t);
    assert.deepEqual(costs.get(cands[0].key), { indexesBefore: 1, indexesAfter: 3, tableWrites: 9000, tableReads: 3, writeHeavy: true });
  });
});

describe('advisor: table housekeeping', () => {
  const row = (o: Partial<TableActivity>): TableActivity => ({
    schema: 'public', table: 't', seqScan: 0, seqTupRead: 0, idxScan: 0, inserts: 0, updates: 0, deletes: 0,
    liveTuples: 100_000, deadTuples: 0, modSinceAnalyze: 0, analyzedSecsAgo: 3600, rows: 100_000, sizeBytes: 0, ...o,
  });
  it('sequential scans over many rows, dead rows, stale statistics', () => {
    const f = tableFindings([
      row({ table: 'scanned', seqScan: 500, seqTupRead: 500 * 100_000, idxScan: 3 }),
      row({ table: 'bloated', deadTuples: 60_000 }),
      row({ table: 'stale', modSinceAnalyze: 40_000, analyzedSecsAgo: 86400 * 9 }),
      row({ table: 'never', analyzedSecsAgo: null }),
      row({ table: 'Fine "One"', seqScan: 500, seqTupRead: 500 * 100_000, idxScan: 10_000, deadTuples: 100, modSinceAnalyze: 100 }),
    ]);
    assert.deepEqual(f.map((x) => `${x.kind}:${x.table}`), ['seq-scan-heavy:scanned', 'dead-tuples:bloated', 'stale-statistics:stale', 'stale-statistics:never']);
    assert.match(f[2].detail, /40,000 rows changed .*9 days ago/);
  });
});

describe('advisor: pg_stat_statements merged into the workload', () => {
  before(() => loadParser());
  it('the same shape is one query with the workspace text and location, weights added', () => {
    const ws = workload(`SELECT id FROM orders WHERE status = 'pending'`, 'SELECT 1 FROM users WHERE id = $1');
    const server = buildWorkload([
      { text: 'SELECT id FROM orders WHERE status = $1', location: { file: '', line: 0, column: 0 }, weight: 250 },
      { text: 'SELECT name FROM products WHERE sku = $1', location: { file: '', line: 0, column: 0 }, weight: 40 },
    ]).map((q) => ({ ...q, locations: [], stats: { calls: 10, meanTimeMs: q.weight / 10 } }));
    const m = mergeWorkloads(ws, server);
    assert.equal(m.length, 3);
    assert.equal(m[0].text, `SELECT id FROM orders WHERE status = 'pending'`, 'the constant stays (partial index)');
    assert.deepEqual([m[0].weight, m[0].locations.length, m[0].stats?.calls], [251, 1, 10]);
    assert.deepEqual([m[2].id, m[2].locations.length, m[2].weight], [2, 0, 40]);
    assert.equal(ws[0].weight, 1, 'the input is not changed');
  });
});

describe('advisor: redundancy pass', () => {
  const q = (id: number): WorkloadQuery => ({ id, text: '', facts: {} as WorkloadQuery['facts'], outputColumns: { star: true, columns: [] }, locations: [], weight: 1 });
  const cand = (key: string): Candidate => ({ key, kind: 'btree', schema: 's', table: 't', method: 'btree', keys: [{ column: key }], include: [], queries: [], needsRealIndex: false });
  // "a" serves query 0 best and is taken first; "ab" is taken next for query 1 (1 -> 0.6) and
  // serves query 0 almost as well as "a" (10.5 vs 10): with "ab" in place, "a" is redundant
  const fake: WhatIf = {
    mode: 'hypopg',
    async evaluate(set, queries) {
      const has = (k: string) => set.some((c) => c.key === k);
      const costs = new Map<number, number>();
      for (const x of queries) costs.set(x.id, x.id === 0 ? (has('a') ? 10 : has('ab') ? 10.5 : 1000) : has('ab') ? 0.6 : 1);
      return { costs, sizes: new Map(), rejected: new Map(), failed: new Map() };
    },
    async cleanup() {},
  };
  it('drops an index the later choices made pointless', async () => {
    const r = await selectIndexes(fake, [q(0), q(1)], [cand('a'), cand('ab')]);
    assert.deepEqual(r.chosen.map((c) => c.candidate.key), ['ab']);
    assert.deepEqual([...r.redundant.keys()], ['a']);
  });
});
