/**
 * Questions schema-aware rules ask: which known table a column of a query belongs to.
 * Answers are undefined whenever they are not certain (precision first).
 */
import type { ColumnUse, Facts, QueryBlock, Relation } from '../facts/types';
import type { Schema, SchemaTable } from '../schema/model';

export interface ResolvedColumn {
  relation: Relation;
  table: SchemaTable;
}

/** The known table of a relation, when the relation is a plain table reference (and its definition is not in doubt). */
export function knownTable(schema: Schema, r: Relation): SchemaTable | undefined {
  const t = r.kind === 'table' && r.name ? schema.table(r.schema, r.name) : undefined;
  // an unqualified name several schemas define (public and pg_temp, ...): which one is meant depends on the session
  if (t && r.schema === undefined && schema.sameName(t.name) > 1) return undefined;
  return t && !t.conflict ? t : undefined;
}

/**
 * The relation and table a local column of `block` comes from: by its qualifier, or, when
 * unqualified, the one FROM item of the block that has a column of that name (every FROM
 * item must then be a known table with known columns, else a subquery may provide it).
 */
export function resolveColumn(facts: Facts, schema: Schema, block: QueryBlock, col: ColumnUse): ResolvedColumn | undefined {
  if (col.scope !== 'local') return undefined;
  let candidates: Relation[] | undefined;
  if (col.qualifier !== undefined) {
    candidates = [];
    for (const r of facts.relations) if (r.block === block.id && r.refName === col.qualifier) candidates.push(r);
    if (candidates.length !== 1) return undefined;
    const table = knownTable(schema, candidates[0]);
    return table ? { relation: candidates[0], table } : undefined;
  }
  let found: ResolvedColumn | undefined;
  for (const r of facts.relations) {
    if (r.block !== block.id) continue;
    const table = knownTable(schema, r);
    if (!table || !table.columnsKnown) return undefined;
    if (!table.columns.has(col.name)) continue;
    if (found) return undefined; // ambiguous: PostgreSQL would say so
    found = { relation: r, table };
  }
  return found;
}

/** `schema.name` for messages, without `public.` */
export function displayName(t: SchemaTable): string {
  return t.schema === 'public' || t.schema === 'pg_temp' ? t.name : `${t.schema}.${t.name}`;
}

/** System columns every table has. */
export const SYSTEM_COLUMNS = new Set(['ctid', 'oid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']);
