/**
 * Housekeeping on a live server: unused indexes (idx_scan = 0 since the statistics reset,
 * unique and constraint indexes excluded), duplicate and redundant indexes (same or prefix
 * keys, same method, same predicate), foreign keys without an index. The catalog rows are
 * read by `readHousekeeping`; the findings are pure functions of them.
 */
import { SQLPERF_TAG } from '../slow/stats-sql';
import type { Queryable } from './catalog';
import type { HousekeepingFinding } from './types';

export interface IndexRow {
  schema: string;
  table: string;
  name: string;
  method: string;
  /** key column numbers (0 = expression) */
  keys: number[];
  /** key definitions as text */
  keyText: string[];
  include: number[];
  predicate: string | null;
  unique: boolean;
  primary: boolean;
  /** backs a constraint (primary key, unique, exclusion) */
  constraint: boolean;
  scans: number;
  sizeBytes: number;
}

export interface ForeignKeyRow {
  schema: string;
  table: string;
  name: string;
  /** referencing column numbers */
  columns: number[];
  columnNames: string[];
  references: string;
}

const SYSTEM = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

export const INDEX_ROWS_SQL = `${SQLPERF_TAG} SELECT n.nspname AS schema, t.relname AS "table", i.relname AS name, am.amname AS method,
  to_json(x.indkey::int2[]) AS indkey, x.indnkeyatts AS nkeys,
  coalesce((SELECT json_agg(pg_get_indexdef(x.indexrelid, k, true) ORDER BY k) FROM generate_series(1, x.indnkeyatts) k), '[]'::json) AS keytext,
  pg_get_expr(x.indpred, x.indrelid, true) AS pred, x.indisunique AS "unique", x.indisprimary AS "primary",
  EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) AS "constraint",
  coalesce(s.idx_scan, 0)::float8 AS scans, pg_relation_size(x.indexrelid)::float8 AS size
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = i.relam
LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = x.indexrelid
WHERE ${SYSTEM} AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
ORDER BY 1, 2, 3`;

export const FK_ROWS_SQL = `${SQLPERF_TAG} SELECT n.nspname AS schema, t.relname AS "table", c.conname AS name, to_json(c.conkey) AS conkey,
  (SELECT json_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num) AS colnames,
  c.confrelid::regclass::text AS refs
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE c.contype = 'f' AND ${SYSTEM} AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
ORDER BY 1, 2, 3`;

const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

export async function readHousekeeping(db: Queryable, schemas?: readonly string[]): Promise<{ indexes: IndexRow[]; foreignKeys: ForeignKeyRow[] }> {
  const param = schemas && schemas.length ? [schemas] : [null];
  const ix = await db.query(INDEX_ROWS_SQL, param);
  const fk = await db.query(FK_ROWS_SQL, param);
  return {
    indexes: ix.rows.map((r) => {
      const all = json<number[]>(r.indkey);
      const n = Number(r.nkeys);
      return {
        schema: String(r.schema),
        table: String(r.table),
        name: String(r.name),
        method: String(r.method),
        keys: all.slice(0, n),
        keyText: json<string[]>(r.keytext),
        include: all.slice(n),
        predicate: r.pred == null ? null : String(r.pred),
        unique: r.unique === true,
        primary: r.primary === true,
        constraint: r.constraint === true,
        scans: Number(r.scans),
        sizeBytes: Number(r.size),
      };
    }),
    foreignKeys: fk.rows.map((r) => ({
      schema: String(r.schema),
      table: String(r.table),
      name: String(r.name),
      columns: json<number[]>(r.conkey),
      columnNames: json<string[]>(r.colnames) ?? [],
      references: String(r.refs),
    })),
  };
}

const display = (schema: string, name: string) => (schema === 'public' ? name : `${schema}.${name}`);
const sameKeys = (a: IndexRow, b: IndexRow) => a.keyText.length === b.keyText.length && a.keyText.every((k, i) => k === b.keyText[i]);
const isPrefix = (a: IndexRow, b: IndexRow) => a.keyText.length < b.keyText.length && a.keyText.every((k, i) => k === b.keyText[i]);

export function housekeepingFindings(indexes: readonly IndexRow[], foreignKeys: readonly ForeignKeyRow[]): HousekeepingFinding[] {
  const out: HousekeepingFinding[] = [];
  const reported = new Set<string>();
  const byTable = new Map<string, IndexRow[]>();
  for (const ix of indexes) {
    const k = `${ix.schema}\u0000${ix.table}`;
    byTable.set(k, [...(byTable.get(k) ?? []), ix]);
  }
  for (const list of byTable.values()) {
    for (const a of list) {
      for (const b of list) {
        if (a === b || a.method !== b.method || a.predicate !== b.predicate) continue;
        const id = `${a.schema}.${a.name}`;
        if (reported.has(id)) continue;
        // of two identical indexes, report the one that is not a constraint (or the later name)
        if (sameKeys(a, b) && !a.constraint && (b.constraint || a.name > b.name)) {
          reported.add(id);
          out.push({ kind: 'duplicate-index', table: display(a.schema, a.table), index: a.name, detail: `same keys (${a.keyText.join(', ')}) as ${b.name}; drop one (${formatBytes(a.sizeBytes)})` });
        } else if (a.method === 'btree' && isPrefix(a, b) && !a.unique && !a.constraint) {
          reported.add(id);
          out.push({ kind: 'redundant-index', table: display(a.schema, a.table), index: a.name, detail: `its keys (${a.keyText.join(', ')}) lead ${b.name} (${b.keyText.join(', ')}), which serves the same lookups (${formatBytes(a.sizeBytes)})` });
        }
      }
    }
  }
  for (const ix of indexes) {
    if (ix.scans > 0 || ix.unique || ix.primary || ix.constraint || reported.has(`${ix.schema}.${ix.name}`)) continue;
    out.push({ kind: 'unused-index', table: display(ix.schema, ix.table), index: ix.name, detail: `never scanned since the statistics were reset; costs ${formatBytes(ix.sizeBytes)} and work on every write` });
  }
  for (const fk of foreignKeys) {
    const list = byTable.get(`${fk.schema}\u0000${fk.table}`) ?? [];
    const n = fk.columns.length;
    const covered = list.some((ix) => ix.predicate === null && ix.keys.length >= n && fk.columns.every((c) => ix.keys.slice(0, n).includes(c)));
    if (!covered) {
      out.push({ kind: 'fk-without-index', table: display(fk.schema, fk.table), detail: `foreign key ${fk.name} (${fk.columnNames.join(', ')}) -> ${fk.references} has no index: deletes and updates on ${fk.references} scan ${fk.table}` });
    }
  }
  return out;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
