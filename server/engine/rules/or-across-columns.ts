/**
 * `WHERE a = 1 OR b = 2`: an OR whose branches filter different columns of one table. No
 * single index serves it; the planner needs one index per branch (combined with a BitmapOr)
 * or scans the table.
 *
 * Reported only when the OR is a top-level condition of WHERE, every branch is plain
 * predicates that an index could use (against constants or parameters), all of them on one
 * table, no column is shared by every branch, and no other top-level equality on that table
 * already narrows the rows.
 *
 * Not reported: ORs on one column (`or-chain-to-in`); ORs inside CASE, select lists, JOIN
 * conditions, or nested in other boolean expressions; optional filters such as
 * `($1 IS NULL OR a = $1)` (a branch without a column); join conditions (`t.a = u.a OR ...`);
 * tables reached through an equality join (the join key finds the rows; the OR filters them);
 * unqualified columns in a query with several tables (we cannot tell which table they
 * belong to without a schema).
 */
import type { Facts, Operand, OrGroup, QueryBlock } from '../facts/types';
import type { Rule } from '../types';
import { indexableColumn } from './or-util';

export const orAcrossColumns: Rule = {
  meta: {
    id: 'or-across-columns',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'OR between conditions on different columns of one table cannot use a single index; it needs an index per column or a UNION ALL.',
  },
  check({ facts, report }) {
    for (const or of facts.ors) {
      if (!or.top || or.clause !== 'where' || !or.parts) continue;
      const found = acrossColumns(facts, or);
      if (!found) continue;
      const cols = found.columns.map((c) => `\`${c}\``).join(', ');
      report({
        start: or.span.start,
        end: or.span.end,
        message: `This OR filters different columns (${cols}) of \`${found.table}\`: no single index covers it, so PostgreSQL reads the whole table unless every column has its own index to combine with a BitmapOr. Give each column an index, or split the query into one SELECT per branch joined by UNION ALL (excluding rows the earlier branches matched).`,
      });
    }
  },
};

function acrossColumns(facts: Facts, or: OrGroup): { table: string; columns: string[] } | undefined {
  const block = facts.blocks[or.block];
  if (!block) return undefined;
  let table: string | undefined;
  let common: Set<string> | undefined;
  const all: string[] = [];
  for (const part of or.parts!) {
    if (!part.simple) return undefined;
    const mine = new Set<string>();
    for (let i = part.first; i < part.end; i++) {
      const p = facts.predicates[i];
      // a join condition inside the OR (`(t.a = u.a AND ...) OR ...`) is another problem
      if (localColumns(p.left) && localColumns(p.right)) return undefined;
      const col = indexableColumn(p);
      if (!col) continue;
      const t = tableOf(facts, block, col.qualifier);
      if (t === undefined || (table !== undefined && t !== table)) return undefined;
      table = t;
      mine.add(col.name);
    }
    // a branch no index can serve: the table is scanned whatever we say
    if (mine.size === 0) return undefined;
    for (const c of mine) if (!all.includes(c)) all.push(c);
    common = common === undefined ? mine : new Set([...common].filter((c) => mine.has(c)));
  }
  // a column every branch filters on serves them all (PostgreSQL factors `(a AND b) OR (a AND c)`)
  if (!table || !common || common.size > 0 || all.length < 2) return undefined;
  if (narrowedElsewhere(facts, or, table)) return undefined;
  return { table, columns: all };
}

/** The table (its name in the query) a column belongs to, when we can tell. */
function tableOf(facts: Facts, block: QueryBlock, qualifier: string | undefined): string | undefined {
  let name = qualifier;
  if (name === undefined) {
    // unqualified: only certain with one table in FROM
    if (block.from.length !== 1 || block.from[0].relations.length !== 1) return undefined;
    name = facts.relations[block.from[0].relations[0]]?.refName;
  }
  if (name === undefined) return undefined;
  for (const r of facts.relations) {
    if (r.block === block.id && r.refName === name) return r.kind === 'table' ? name : undefined;
  }
  return undefined;
}

/**
 * Another top-level equality on the same table, against a value (WHERE) or another table's
 * column (WHERE or JOIN ... ON): an index on that column finds the rows, and the OR only
 * filters them.
 */
function narrowedElsewhere(facts: Facts, or: OrGroup, table: string): boolean {
  const block = facts.blocks[or.block];
  for (const p of facts.predicates) {
    if (p.block !== or.block || (p.clause !== 'where' && p.clause !== 'join') || p.underOr) continue;
    if (p.span.start >= or.span.start && p.span.end <= or.span.end) continue;
    if (p.kind === 'comparison' && p.operator === '=' && p.left.kind === 'column' && p.right?.kind === 'column') {
      const l = p.left.columns[0];
      const r = p.right.columns[0];
      if (l?.scope === 'local' && r?.scope === 'local' && (tableOf(facts, block, l.qualifier) === table || tableOf(facts, block, r.qualifier) === table)) return true;
      continue;
    }
    if (p.clause !== 'where') continue;
    if (!(p.kind === 'comparison' && p.operator === '=') && !(p.kind === 'in-list') && !(p.kind === 'array' && p.compare === '=')) continue;
    const col = indexableColumn(p);
    if (col && tableOf(facts, block, col.qualifier) === table) return true;
  }
  return false;
}

function localColumns(o: Operand | undefined): boolean {
  return !!o && o.columns.some((c) => c.scope === 'local');
}
