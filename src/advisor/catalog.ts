/**
 * Tables and their indexes from the catalog (the same queries on a server and on PGlite).
 */
import type { QueryResultLike } from '../db/target';
import { SQLPERF_TAG } from '../slow/stats-sql';
import { qualifiedName, quoteIdent } from './sql';
import type { ExistingIndex, TableInfo, WorkloadQuery } from './types';

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<QueryResultLike>;
}

// tagged: pg_stat_statements then knows them as sqlperf's own, not the application's
const TABLE_SQL = `${SQLPERF_TAG} SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, greatest(c.reltuples, 0)::float8 AS rows,
  coalesce((SELECT json_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::json) AS columns
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

export const INDEX_SQL = `${SQLPERF_TAG} SELECT i.relname AS name, am.amname AS method, x.indisunique AS unique, x.indisprimary AS primary,
  x.indnkeyatts AS nkeys,
  coalesce((SELECT json_agg(pg_get_indexdef(x.indexrelid, k, true) ORDER BY k) FROM generate_series(1, x.indnatts) k), '[]'::json) AS cols,
  pg_get_expr(x.indpred, x.indrelid, true) AS pred
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
WHERE x.indrelid = $1 AND x.indisvalid
ORDER BY i.relname`;

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export function indexFromRow(r: Record<string, unknown>): ExistingIndex {
  const cols = json<string[]>(r.cols);
  const nkeys = Number(r.nkeys);
  return {
    name: String(r.name),
    method: String(r.method),
    keys: cols.slice(0, nkeys),
    include: cols.slice(nkeys),
    predicate: r.pred == null ? undefined : String(r.pred),
    unique: r.unique === true,
    primary: r.primary === true,
  };
}

/** The tables the workload names, keyed `schema.name` as written ('' schema when unqualified). */
export async function loadTables(db: Queryable, queries: readonly WorkloadQuery[]): Promise<Map<string, TableInfo>> {
  const refs = new Map<string, { schema?: string; name: string }>();
  for (const q of queries) {
    for (const r of q.facts.relations) if (r.kind === 'table' && r.name) refs.set(refKey(r.schema, r.name), { schema: r.schema, name: r.name });
  }
  const byOid = new Map<string, TableInfo>();
  const out = new Map<string, TableInfo>();
  for (const [key, ref] of refs) {
    const reg = ref.schema ? qualifiedName(ref.schema, ref.name) : quoteIdent(ref.name);
    const res = await db.query(TABLE_SQL, [reg]);
    const row = res.rows[0];
    if (!row) continue;
    const oid = String(row.oid);
    let info = byOid.get(oid);
    if (!info) {
      const ix = await db.query(INDEX_SQL, [Number(row.oid)]);
      info = { schema: String(row.schema), name: String(row.name), columns: json<string[]>(row.columns), rows: Number(row.rows), indexes: ix.rows.map(indexFromRow) };
      byOid.set(oid, info);
    }
    out.set(key, info);
  }
  return out;
}

export const refKey = (schema: string | undefined, name: string) => `${schema ?? ''}\u0000${name}`;
