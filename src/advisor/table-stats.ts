/**
 * What a live server knows about how tables are used, for the advisor: pg_stats
 * correlation (append-only columns -> BRIN), pg_stat_user_tables write and read counters
 * (write-heavy tables -> think twice before another index), and the rows the table
 * housekeeping judges (sequential scans over many rows, dead tuples, stale statistics).
 * Reading is here; the judgements are pure functions of the rows.
 */
import { SQLPERF_TAG } from '../slow/stats-sql';
import type { Queryable } from './catalog';
import type { HousekeepingFinding, TableInfo, TableWrites } from './types';

const CORRELATION_SQL = `${SQLPERF_TAG} SELECT attname::text AS col, correlation::float8 AS corr FROM pg_stats
WHERE schemaname = $1 AND tablename = $2 AND correlation IS NOT NULL`;

export const TABLE_ACTIVITY_SQL = `${SQLPERF_TAG} SELECT s.schemaname AS schema, s.relname AS "table",
  s.seq_scan::float8 AS seq_scan, s.seq_tup_read::float8 AS seq_tup_read, coalesce(s.idx_scan, 0)::float8 AS idx_scan,
  s.n_tup_ins::float8 AS ins, s.n_tup_upd::float8 AS upd, s.n_tup_del::float8 AS del,
  s.n_live_tup::float8 AS live, s.n_dead_tup::float8 AS dead, s.n_mod_since_analyze::float8 AS mod_since_analyze,
  greatest(s.last_analyze, s.last_autoanalyze) AS last_analyzed,
  extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))::float8 AS analyzed_secs_ago,
  greatest(c.reltuples, 0)::float8 AS reltuples, pg_total_relation_size(s.relid)::float8 AS size
FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
WHERE ($1::text[] IS NULL OR s.schemaname = ANY ($1::text[]))
ORDER BY 1, 2`;

export interface TableActivity {
  schema: string;
  table: string;
  seqScan: number;
  seqTupRead: number;
  idxScan: number;
  inserts: number;
  updates: number;
  deletes: number;
  liveTuples: number;
  deadTuples: number;
  modSinceAnalyze: number;
  /** seconds since the last ANALYZE (manual or auto); null = never analyzed */
  analyzedSecsAgo: number | null;
  rows: number;
  sizeBytes: number;
}

export async function readTableActivity(db: Queryable, schemas?: readonly string[]): Promise<TableActivity[]> {
  const r = await db.query(TABLE_ACTIVITY_SQL, [schemas && schemas.length ? schemas : null]);
  return r.rows.map((x) => ({
    schema: String(x.schema),
    table: String(x.table),
    seqScan: Number(x.seq_scan),
    seqTupRead: Number(x.seq_tup_read),
    idxScan: Number(x.idx_scan),
    inserts: Number(x.ins),
    updates: Number(x.upd),
    deletes: Number(x.del),
    liveTuples: Number(x.live),
    deadTuples: Number(x.dead),
    modSinceAnalyze: Number(x.mod_since_analyze),
    analyzedSecsAgo: x.analyzed_secs_ago == null ? null : Number(x.analyzed_secs_ago),
    rows: Number(x.reltuples),
    sizeBytes: Number(x.size),
  }));
}

/** Adds correlation and write counters to the workload's tables (server only). */
export async function addTableStats(db: Queryable, tables: Iterable<TableInfo>): Promise<void> {
  const unique = [...new Set(tables)];
  const activity = await readTableActivity(db, [...new Set(unique.map((t) => t.schema))]).catch(() => []);
  for (const t of unique) {
    const corr = await db.query(CORRELATION_SQL, [t.schema, t.name]).catch(() => ({ rows: [] }));
    t.correlation = Object.fromEntries(corr.rows.map((r) => [String(r.col), Number(r.corr)]));
    const a = activity.find((x) => x.schema === t.schema && x.table === t.name);
    if (a) t.writes = { inserts: a.inserts, updates: a.updates, deletes: a.deletes, reads: a.seqScan + a.idxScan, sizeBytes: a.sizeBytes };
  }
}

/** writes at least this many times the reads (and enough of them to mean something) */
export const WRITE_HEAVY_RATIO = 1;
export const WRITE_HEAVY_MIN_WRITES = 1000;

export function isWriteHeavy(w: TableWrites | undefined): boolean {
  if (!w) return false;
  const writes = w.inserts + w.updates + w.deletes;
  return writes >= WRITE_HEAVY_MIN_WRITES && writes >= WRITE_HEAVY_RATIO * Math.max(1, w.reads);
}

export const SEQ_SCAN_MIN_ROWS = 10_000;
export const SEQ_SCAN_MIN_SCANS = 100;
export const DEAD_TUPLE_RATIO = 0.2;
export const DEAD_TUPLE_MIN = 10_000;
export const STALE_MOD_RATIO = 0.2;
export const STALE_MIN_MODS = 1_000;

const display = (schema: string, name: string) => (schema === 'public' ? name : `${schema}.${name}`);
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Table findings: read mostly by sequential scans of many rows (an index is probably
 * missing), many dead tuples (autovacuum falls behind), statistics older than many of
 * the rows (the planner estimates from a table that no longer exists).
 */
export function tableFindings(rows: readonly TableActivity[]): HousekeepingFinding[] {
  const out: HousekeepingFinding[] = [];
  for (const t of rows) {
    const table = display(t.schema, t.table);
    const perScan = t.seqScan > 0 ? t.seqTupRead / t.seqScan : 0;
    if (t.seqScan >= SEQ_SCAN_MIN_SCANS && perScan >= SEQ_SCAN_MIN_ROWS && t.seqScan > t.idxScan) {
      out.push({
        kind: 'seq-scan-heavy',
        table,
        detail: `${count(t.seqScan)} sequential scans read ${count(perScan)} rows each on average (${count(t.idxScan)} index scans): a filter on this table probably lacks an index`,
      });
    }
    const total = t.liveTuples + t.deadTuples;
    if (t.deadTuples >= DEAD_TUPLE_MIN && total > 0 && t.deadTuples / total >= DEAD_TUPLE_RATIO) {
      out.push({
        kind: 'dead-tuples',
        table,
        detail: `${count(t.deadTuples)} dead rows (${Math.round((t.deadTuples / total) * 100)}% of the table): autovacuum is behind; scans read the dead rows too (VACUUM, or tune autovacuum_vacuum_scale_factor for this table)`,
      });
    }
    const base = Math.max(t.liveTuples, t.rows, 1);
    if (t.modSinceAnalyze >= STALE_MIN_MODS && t.modSinceAnalyze / base >= STALE_MOD_RATIO) {
      const when = t.analyzedSecsAgo === null ? 'never analyzed' : `last analyzed ${ago(t.analyzedSecsAgo)}`;
      out.push({
        kind: 'stale-statistics',
        table,
        detail: `${count(t.modSinceAnalyze)} rows changed since the statistics were gathered (${Math.round((t.modSinceAnalyze / base) * 100)}% of the table; ${when}): plans are estimated from old numbers (run ANALYZE ${table})`,
      });
    } else if (t.analyzedSecsAgo === null && t.rows + t.liveTuples >= STALE_MIN_MODS) {
      out.push({ kind: 'stale-statistics', table, detail: `never analyzed: the planner guesses its size and contents (run ANALYZE ${table})` });
    }
  }
  return out;
}

function ago(secs: number): string {
  if (secs < 3600) return `${Math.round(secs / 60)} min ago`;
  if (secs < 86400 * 2) return `${Math.round(secs / 3600)} h ago`;
  return `${Math.round(secs / 86400)} days ago`;
}
