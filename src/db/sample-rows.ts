/**
 * Fills the embedded database's empty tables with synthetic rows, so the planner has
 * statistics to plan with (an empty table makes every plan a sequential scan of nothing).
 * One `INSERT ... SELECT ... FROM generate_series(1, n)` per table (fast: no row-by-row
 * round trips), parents before children, foreign key columns picking existing parent keys
 * through a join on row_number, then ANALYZE.
 *
 * Best effort by design: a table whose insert fails (a CHECK we cannot satisfy, a type we
 * cannot generate for a NOT NULL column) is retried with the offending columns left to
 * their default/NULL, and skipped with the reason when that is not enough.
 */
import { escapeIdentifier } from 'pg';
import { isDbError } from './errors';
import type { ProgressFn } from './embedded';
import { fillOrder, type FkEdge } from './fk-order';
import { allowedValuesFromCheck, valueExpression, type ColumnInfo } from './sample-values';
import type { QueryTarget } from './target';

export const DEFAULT_SAMPLE_ROWS = 10_000;

export interface SampleRowsOptions {
  rowsPerTable?: number;
  progress?: ProgressFn;
}

export interface SampleTableReport {
  table: string;
  rows: number;
  ms: number;
  /** columns left to their default/NULL after a failed attempt, and why */
  notes: string[];
}

export interface SampleRowsResult {
  filled: SampleTableReport[];
  /** tables that already had rows (seed data in the DDL): left as they are */
  kept: Array<{ table: string; rows: number }>;
  skipped: Array<{ table: string; reason: string }>;
  analyzeMs: number;
  ms: number;
}

export interface TableInfo {
  oid: number;
  /** schema-qualified, quoted: safe to put in SQL */
  sql: string;
  /** schema.table for reports */
  label: string;
  columns: ColumnInfo[];
  /** attnums covered by a primary key or unique index */
  unique: Set<number>;
  fks: ForeignKey[];
  checks: Array<{ name: string; attnums: number[]; def: string }>;
}

export interface ForeignKey {
  name: string;
  parent: number;
  attnums: number[];
  /** referenced column names, in the same order as attnums */
  refColumns: string[];
}

export async function fillSampleRows(db: QueryTarget, options: SampleRowsOptions = {}): Promise<SampleRowsResult> {
  const started = Date.now();
  const n = Math.max(0, Math.floor(options.rowsPerTable ?? DEFAULT_SAMPLE_ROWS));
  const tables = await readCatalog(db);
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const edges: FkEdge[] = tables.flatMap((t) => t.fks.map((fk) => ({ child: t.oid, parent: fk.parent })));
  const order = fillOrder(
    tables.map((t) => t.oid),
    edges,
    (oid) => byOid.get(oid)!.label,
  );

  const result: SampleRowsResult = { filled: [], kept: [], skipped: [], analyzeMs: 0, ms: 0 };
  /** rows per table that can serve as a parent, once filled or kept */
  const available = new Map<number, number>();
  for (const [i, oid] of order.entries()) {
    const table = byOid.get(oid)!;
    options.progress?.(`Sample rows: ${table.label}`, order.length ? i / order.length : 1);
    const existing = Number((await db.query(`SELECT count(*)::int AS n FROM ${table.sql}`)).rows[0]?.n ?? 0);
    if (existing > 0) {
      result.kept.push({ table: table.label, rows: existing });
      available.set(oid, existing);
      continue;
    }
    if (n === 0) continue;
    const t0 = Date.now();
    const outcome = await fillTable(db, table, n, byOid, available);
    if (outcome.ok) {
      result.filled.push({ table: table.label, rows: n, ms: Date.now() - t0, notes: outcome.notes });
      available.set(oid, n);
    } else {
      result.skipped.push({ table: table.label, reason: outcome.reason });
    }
  }

  if (result.filled.length) {
    options.progress?.('Sample rows: ANALYZE', 0.99);
    const t0 = Date.now();
    const names = result.filled.map((f) => tables.find((t) => t.label === f.table)!.sql);
    await db.query(`ANALYZE ${names.join(', ')}`);
    result.analyzeMs = Date.now() - t0;
  }
  options.progress?.(`Sample rows: ${result.filled.length} table(s) filled, ${result.skipped.length} skipped`, 1);
  result.ms = Date.now() - started;
  return result;
}

type FillOutcome = { ok: true; notes: string[] } | { ok: false; reason: string };

async function fillTable(db: QueryTarget, table: TableInfo, n: number, byOid: Map<number, TableInfo>, available: Map<number, number>): Promise<FillOutcome> {
  const avoid = new Map<number, string>(); // attnum -> why it is left to default/NULL
  const unique = new Set(table.unique);
  for (let attempt = 0; attempt < 4; attempt++) {
    const built = buildInsert(table, n, { avoid, unique, byOid, available });
    if (!built.ok) return built;
    try {
      await db.query(built.sql);
      return { ok: true, notes: [...avoid].map(([attnum, why]) => `${columnName(table, attnum)}: ${why}`) };
    } catch (e) {
      const raw = (isDbError(e) ? e.cause : e) as { code?: string; constraint?: string; message?: string } | undefined;
      const reason = raw?.message ?? String(e);
      if (raw?.code === '23514') {
        const check = table.checks.find((c) => c.name === raw.constraint);
        const fresh = check?.attnums.filter((a) => !avoid.has(a)) ?? [];
        if (fresh.length === 0) return { ok: false, reason };
        for (const a of fresh) avoid.set(a, `left to its default/NULL: generated values broke CHECK ${check!.name}`);
        continue;
      }
      if (raw?.code === '23505') {
        // a unique expression index we could not see: make every column injective
        const before = unique.size;
        for (const c of table.columns) unique.add(c.attnum);
        if (unique.size === before) return { ok: false, reason };
        continue;
      }
      return { ok: false, reason };
    }
  }
  return { ok: false, reason: 'gave up after several attempts' };
}

export interface BuildContext {
  avoid: Map<number, string>;
  unique: Set<number>;
  byOid: Map<number, TableInfo>;
  available: Map<number, number>;
}

/** The INSERT ... SELECT for one table, or why none can be built. Exported for tests. */
export function buildInsert(table: TableInfo, n: number, ctx: BuildContext): { ok: true; sql: string } | { ok: false; reason: string } {
  const names: string[] = [];
  const exprs: string[] = [];
  const joins: string[] = [];
  const fkOf = new Map<number, { alias: string; column: string } | null>();

  // Foreign keys: a join on row_number picks the (g % count)-th parent row. When two
  // foreign keys form a unique key (order_id, product_id), the second picks
  // (g / c1 + g * k) % c2 with 1 + c1 * k coprime to c2: rows with the same first key are
  // c1 apart in g, so their second keys differ, and they are spread over all parents.
  let divisor = 1;
  table.fks.forEach((fk, k) => {
    const count = fk.parent === table.oid ? 0 : ctx.available.get(fk.parent) ?? 0;
    if (count === 0) {
      for (const a of fk.attnums) if (!fkOf.has(a)) fkOf.set(a, null);
      return;
    }
    const parent = ctx.byOid.get(fk.parent)!;
    const alias = `fk${k + 1}`;
    const cols = fk.refColumns.map(escapeIdentifier);
    const notNull = cols.map((c) => `${c} IS NOT NULL`).join(' AND ');
    let pick = `g % ${count}`;
    if (fk.attnums.some((a) => ctx.unique.has(a))) {
      if (divisor > 1) pick = `(g / ${divisor} + g * ${coprimeMultiplier(divisor, count)}) % ${count}`;
      divisor *= count;
    }
    joins.push(
      `LEFT JOIN (SELECT ${cols.join(', ')}, row_number() OVER (ORDER BY ${cols.join(', ')}) - 1 AS rn FROM ${parent.sql} WHERE ${notNull}) AS ${alias} ` +
        `ON ${alias}.rn = ${pick}`,
    );
    fk.attnums.forEach((a, i) => {
      if (!fkOf.has(a)) fkOf.set(a, { alias, column: cols[i] });
    });
  });

  for (const col of table.columns) {
    if (col.generatedByServer) continue;
    const canOmit = col.hasDefault || !col.notNull;
    if (ctx.avoid.has(col.attnum)) {
      if (canOmit) continue;
      return { ok: false, reason: `column ${col.name} is NOT NULL without a default, and the values generated for it broke a CHECK constraint` };
    }
    if (fkOf.has(col.attnum)) {
      const ref = fkOf.get(col.attnum);
      if (ref) {
        names.push(escapeIdentifier(col.name));
        exprs.push(`${ref.alias}.${ref.column}`);
        continue;
      }
      if (canOmit) continue;
      const fk = table.fks.find((f) => f.attnums.includes(col.attnum))!;
      const parent = ctx.byOid.get(fk.parent)?.label ?? 'its parent table';
      return { ok: false, reason: `NOT NULL foreign key column ${col.name} references ${parent}, which has no rows${fk.parent === table.oid ? ' (it references its own table)' : ''}` };
    }
    const allowed = singleColumnAllowedValues(table, col.attnum);
    const expr = valueExpression(col, { table: table.label, unique: ctx.unique.has(col.attnum), allowed });
    if (expr === null) {
      if (canOmit) continue;
      return { ok: false, reason: `cannot generate values of type ${col.typeSql} for NOT NULL column ${col.name}` };
    }
    names.push(escapeIdentifier(col.name));
    exprs.push(expr);
  }

  const target = names.length ? `${table.sql} (${names.join(', ')})` : table.sql;
  // a zero-column SELECT inserts rows of defaults (a table of only a serial key)
  const sql = `INSERT INTO ${target} SELECT ${exprs.join(', ')} FROM generate_series(1::bigint, ${n}) AS gs(g)${joins.length ? ' ' + joins.join(' ') : ''}`;
  return { ok: true, sql };
}

/** The smallest k with gcd(1 + d * k, c) = 1 (see the foreign key comment in buildInsert). */
export function coprimeMultiplier(d: number, c: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  for (let k = 1; k < 1000; k++) if (gcd((1 + ((d % c) * k) % c) % c, c) === 1) return k;
  return 1;
}

function singleColumnAllowedValues(table: TableInfo, attnum: number): string[] | undefined {
  for (const c of table.checks) {
    if (c.attnums.length === 1 && c.attnums[0] === attnum) {
      const values = allowedValuesFromCheck(c.def);
      if (values) return values;
    }
  }
  return undefined;
}

function columnName(table: TableInfo, attnum: number): string {
  return table.columns.find((c) => c.attnum === attnum)?.name ?? `#${attnum}`;
}

const USER_TABLES = `
  SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

async function readCatalog(db: QueryTarget): Promise<TableInfo[]> {
  const tables = (await db.query(USER_TABLES)).rows as Array<{ oid: number; schema: string; name: string }>;
  if (tables.length === 0) return [];
  const oids = `ARRAY[${tables.map((t) => Number(t.oid)).join(',')}]::oid[]`;
  const [columns, uniques, fks, checks] = await Promise.all([
    db.query(`
      SELECT a.attrelid::int AS oid, a.attnum::int AS attnum, a.attname AS name, a.attnotnull AS not_null,
             format_type(a.atttypid, a.atttypmod) AS type_sql, a.atttypmod::int AS typmod,
             b.typname AS base_type, b.typcategory AS category, b.typtype AS typtype,
             (SELECT count(*) FROM pg_enum e WHERE e.enumtypid = b.oid)::int AS enum_count,
             d.adbin IS NOT NULL AS has_default,
             (a.attidentity <> '' OR a.attgenerated <> '' OR coalesce(pg_get_expr(d.adbin, d.adrelid), '') LIKE 'nextval(%') AS server_fills
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = ANY(${oids}) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attrelid, a.attnum`),
    db.query(`SELECT indrelid::int AS oid, indkey::text AS cols FROM pg_index WHERE indisunique AND indrelid = ANY(${oids})`),
    db.query(`
      SELECT con.conname AS name, con.conrelid::int AS oid, con.confrelid::int AS parent,
             array_to_string(con.conkey, ',') AS cols,
             (SELECT string_agg(a.attname, E'\\n' ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, i)
                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
      FROM pg_constraint con WHERE con.contype = 'f' AND con.conrelid = ANY(${oids}) ORDER BY con.conname`),
    db.query(`SELECT conname AS name, conrelid::int AS oid, array_to_string(conkey, ',') AS cols, pg_get_constraintdef(oid) AS def
              FROM pg_constraint WHERE contype = 'c' AND conrelid = ANY(${oids})`),
  ]);
  const nums = (s: unknown) => String(s ?? '').split(/[ ,]/).filter(Boolean).map(Number);
  return tables.map((t) => {
    const oid = Number(t.oid);
    const unique = new Set<number>();
    for (const u of uniques.rows) if (Number(u.oid) === oid) for (const a of nums(u.cols)) if (a > 0) unique.add(a);
    return {
      oid,
      sql: `${escapeIdentifier(t.schema)}.${escapeIdentifier(t.name)}`,
      label: `${t.schema}.${t.name}`,
      unique,
      columns: columns.rows
        .filter((c) => Number(c.oid) === oid)
        .map((c) => ({
          name: String(c.name),
          attnum: Number(c.attnum),
          notNull: c.not_null === true,
          typeSql: String(c.type_sql),
          baseType: String(c.base_type),
          category: String(c.category),
          typtype: String(c.typtype),
          typmod: Number(c.typmod),
          enumCount: Number(c.enum_count),
          hasDefault: c.has_default === true,
          generatedByServer: c.server_fills === true,
        })),
      fks: fks.rows
        .filter((f) => Number(f.oid) === oid)
        .map((f) => ({ name: String(f.name), parent: Number(f.parent), attnums: nums(f.cols), refColumns: String(f.ref_columns ?? '').split('\n') })),
      checks: checks.rows.filter((c) => Number(c.oid) === oid).map((c) => ({ name: String(c.name), attnums: nums(c.cols), def: String(c.def) })),
    };
  });
}
