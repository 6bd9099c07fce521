/**
 * The pg_stat_statements query for a server version. Pure.
 *
 * Column names changed in PostgreSQL 13 (total_time/mean_time -> total_exec_time/
 * mean_exec_time); `toplevel` exists from 14 (with pg_stat_statements.track = all, a
 * statement run inside a function or under EXPLAIN ANALYZE is also recorded as a nested
 * entry: only top-level entries are what the application sent). Shared block counters are
 * the same from 9.x to 18.
 */

/** Marks sqlperf's own statements, so they are left out of the list. */
export const SQLPERF_TAG = '/* sqlperf */';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface StatsQueryOptions {
  serverVersionNum: number;
  /** schema the extension lives in (from pg_extension) */
  schema: string;
  /** rows fetched at most (the heaviest by total time); the order and limit shown are applied after matching */
  maxRows: number;
}

export function buildStatsQuery(o: StatsQueryOptions): string {
  const v13 = o.serverVersionNum >= 130000;
  const total = v13 ? 'total_exec_time' : 'total_time';
  const mean = v13 ? 'mean_exec_time' : 'mean_time';
  const toplevel = o.serverVersionNum >= 140000 ? ' AND s.toplevel' : '';
  const view = `${quoteIdent(o.schema)}.pg_stat_statements`;
  return `${SQLPERF_TAG} SELECT s.queryid::text AS queryid, s.query, s.calls::float8 AS calls,
  s.${total}::float8 AS total_ms, s.${mean}::float8 AS mean_ms, s.rows::float8 AS rows,
  s.shared_blks_hit::float8 AS blks_hit, s.shared_blks_read::float8 AS blks_read
FROM ${view} s
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())${toplevel}
  AND s.query IS NOT NULL
  AND position('${SQLPERF_TAG}' in s.query) = 0
  AND s.query !~* '^\\s*(explain|begin|rollback|commit|set|reset|show|prepare|deallocate|discard|savepoint|release)\\M'
  -- the explain runner's prepared statements and the index advisor's savepoints and HypoPG calls
  AND s.query !~* '(sqlperf_|hypopg_)'
ORDER BY s.${total} DESC
LIMIT ${Math.max(1, Math.floor(o.maxRows))}`;
}

export function buildResetQuery(schema: string): string {
  return `${SQLPERF_TAG} SELECT ${quoteIdent(schema)}.pg_stat_statements_reset()`;
}
