/**
 * `UPDATE t SET ... FROM u` / `DELETE FROM t USING u` where nothing in WHERE relates u to t:
 * every row of t is paired with every row of u.
 *
 * Not reported: FROM / USING items connected to the target through WHERE (also inside OR or a
 * correlated EXISTS) or through a LATERAL reference; single-row sources (`(SELECT max(x) ...)`,
 * one-row VALUES); items WHERE picks by `column = value` (a lookup of one row, most likely:
 * `UPDATE t SET rate = r.rate FROM rates r WHERE r.code = 'EUR'`); statements where an unqualified column could belong to either side
 * (without a schema we cannot tell, so we stay quiet).
 */
import type { Facts, FromItem } from '../facts/types';
import type { Rule } from '../types';
import { snippet } from './util';
import { comparedColumn } from './or-util';

export const updateFromWithoutJoinCondition: Rule = {
  meta: {
    id: 'update-from-without-join-condition',
    category: 'correctness',
    defaultSeverity: 'warning',
    needs: [],
    description: 'UPDATE ... FROM or DELETE ... USING without a condition linking the tables pairs every target row with every row of the other table.',
  },
  check({ facts, text, report }) {
    for (const block of facts.blocks) {
      if ((block.statement !== 'update' && block.statement !== 'delete') || block.from.length < 2 || block.linkUnknown) continue;
      const target = block.from[0];
      const w = facts.writes.find((x) => x.block === block.id);
      if (!w) continue;
      const table = w.alias ? `${w.table} ${w.alias}` : w.table;
      // one report per group of items linked to each other but not to the target
      const seen = new Set<number>([target.component]);
      for (let i = 1; i < block.from.length; i++) {
        const item = block.from[i];
        if (seen.has(item.component) || !multiRow(facts, item) || lookedUp(facts, block.id, item)) continue;
        seen.add(item.component);
        const other = `\`${snippet(text, item.relations.length > 1 ? (facts.relations[item.relations[0]]?.span ?? item.span) : item.span)}\``;
        const message =
          block.statement === 'update'
            ? `Nothing in WHERE links ${other} to \`${table}\`: every row of ${w.table} is joined with every row of ${other}, and each is updated with values from an arbitrary one of them. Add the join condition to WHERE (e.g. ${w.alias ?? w.table}.id = ...).`
            : `Nothing in WHERE links ${other} to \`${table}\`: the USING list is cross-joined with ${w.table}, so every row that passes the other conditions is deleted as soon as ${other} has any row. Add the join condition to WHERE.`;
        // a JOIN tree: point at its first table rather than the whole tree
        const span = item.relations.length > 1 ? (facts.relations[item.relations[0]]?.span ?? item.span) : item.span;
        report({ start: span.start, end: span.end, message });
      }
    }
  },
};

/** Can the item hold many rows? Tables, CTEs and subqueries, unless known to return one row. */
function multiRow(facts: Facts, item: FromItem): boolean {
  return item.relations.some((i) => {
    const r = facts.relations[i];
    return r && (r.kind === 'table' || r.kind === 'cte' || r.kind === 'subquery') && !r.singleRow;
  });
}

/**
 * WHERE picks the item's rows by `column = value` (`FROM rates r WHERE r.code = 'EUR'`): most
 * likely a key lookup of one row, the usual way to copy values from a settings row. An
 * unqualified column could be the item's, so it counts too.
 */
function lookedUp(facts: Facts, block: number, item: FromItem): boolean {
  for (const p of facts.predicates) {
    if (p.block !== block || p.clause !== 'where' || p.underOr || p.kind !== 'comparison' || p.operator !== '=') continue;
    const c = comparedColumn(p);
    if (c && (c.column.qualifier === undefined || item.names.includes(c.column.qualifier))) return true;
  }
  return false;
}
