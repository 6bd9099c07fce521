/**
 * A table or column the workspace's DDL does not define: most often a typo, which the
 * database will reject at run time.
 *
 * Precision first. A table is reported only when nothing of that name exists in any schema
 * of the model (a search_path could reach it) and the model knows the schema it would live
 * in (`public` for unqualified names); CTE names, functions in FROM, system catalogs
 * (`pg_*`, `information_schema`) never count. A column is reported only for a table whose
 * column list is known (not a view or CREATE TABLE AS), when the reference is qualified by
 * that table's name or alias, or unqualified with that table the block's only FROM item;
 * system columns and whole-row references are fine.
 */
import type { ColumnUse, Facts } from '../facts/types';
import type { Rule } from '../types';
import { displayName, knownTable, SYSTEM_COLUMNS } from './schema-util';

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_temp', 'pg_toast']);

export const unknownTableOrColumn: Rule = {
  meta: {
    id: 'unknown-table-or-column',
    category: 'correctness',
    defaultSeverity: 'information',
    needs: ['schema'],
    postgresOnly: true,
    description: "A table or column the workspace's DDL does not define: probably a typo the database will reject.",
  },
  check({ facts, schema, report, text }) {
    if (!schema || facts.truncated) return;
    const unknownTables = new Set<number>();
    facts.relations.forEach((r, i) => {
      if (r.kind !== 'table' || !r.name) return;
      if (r.schema !== undefined && SYSTEM_SCHEMAS.has(r.schema)) return;
      // `_seq`: sequences serial and identity columns create implicitly
      if (r.name.startsWith('pg_') || r.name.endsWith('_seq') || schema.table(r.schema, r.name) || schema.hasAnywhere(r.name)) return;
      if (!schema.knowsSchema(r.schema ?? 'public')) return;
      // a CTE of an enclosing WITH that facts could not bind (e.g. referenced from a sibling)
      if (facts.ctes.some((c) => c.name === r.name)) return;
      unknownTables.add(i);
      const span = nameSpan(text, r.span, r.name);
      report({ start: span.start, end: span.end, message: `Table \`${r.schema ? `${r.schema}.` : ''}${r.name}\` is not defined by the workspace's DDL. A typo? (The database would reject the statement.)` });
    });
    for (const p of facts.predicates) {
      for (const o of [p.left, p.right]) {
        if (o?.kind !== 'column') continue;
        for (const col of o.columns) checkColumn(facts, p.block, col);
      }
    }
    for (const s of facts.sorts) if (s.expr.kind === 'column') for (const col of s.expr.columns) if (col.qualifier !== undefined) checkColumn(facts, s.block, col);

    function checkColumn(f: Facts, blockId: number, col: ColumnUse): void {
      if (col.scope !== 'local' || SYSTEM_COLUMNS.has(col.name)) return;
      // `schema.table.column`: the qualifier names a table we would have to match by schema too
      if (/\.[^.]*\./.test(text.slice(col.span.start, col.span.end))) return;
      const rels = f.relations.filter((r) => r.block === blockId);
      let rel;
      if (col.qualifier !== undefined) {
        const named = rels.filter((r) => r.refName === col.qualifier);
        if (named.length !== 1) return;
        rel = named[0];
      } else {
        // in a subquery an unqualified name may belong to an enclosing query (LATERAL, correlation)
        const block = f.blocks[blockId];
        if (!block || block.parent !== null || block.role !== 'statement') return;
        if (rels.length !== 1 || rels[0].refName === col.name) return;
        rel = rels[0];
      }
      if (unknownTables.has(f.relations.indexOf(rel))) return;
      const table = knownTable(schema!, rel);
      if (!table || !table.columnsKnown || table.columns.size === 0 || table.everColumns.has(col.name)) return;
      report({
        start: col.span.start,
        end: col.span.end,
        message: `Table ${displayName(table)} has no column \`${col.name}\` in the workspace's DDL. A typo? (The database would reject the statement.)`,
      });
    }
  },
};

/** The relation's name inside its span (`s.name AS x` -> `s.name`). */
function nameSpan(text: string, span: { start: number; end: number }, name: string): { start: number; end: number } {
  const s = text.slice(span.start, span.end);
  const i = s.toLowerCase().indexOf(name.toLowerCase());
  if (i < 0) return span;
  // include a schema qualifier written before the name
  return { start: span.start, end: span.start + i + name.length };
}
