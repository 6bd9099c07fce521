/**
 * FROM items separated by commas that no WHERE condition (or LATERAL reference) connects:
 * a cross join, usually by accident.
 *
 * Not reported: explicit CROSS JOIN (written on purpose); items connected through any WHERE
 * condition, including ones inside OR or a correlated EXISTS; single-row sources
 * (`(SELECT now() AS t) p`, a one-row VALUES, an aggregate subquery); set-returning functions
 * and VALUES lists; blocks where an unqualified column could belong to either side (without
 * a schema we cannot tell, so we stay quiet); UPDATE ... FROM and DELETE ... USING, which
 * `update-from-without-join-condition` reports with advice specific to writes.
 */
import type { Facts, FromItem } from '../facts/types';
import type { Rule } from '../types';
import { snippet } from './util';

export const implicitCrossJoin: Rule = {
  meta: {
    id: 'implicit-cross-join',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'Comma-separated FROM items without a join condition form a cross join: every row paired with every row.',
  },
  check({ facts, text, report }) {
    for (const block of facts.blocks) {
      if (block.from.length < 2 || block.linkUnknown || block.statement === 'update' || block.statement === 'delete') continue;
      const groups = new Map<number, FromItem[]>();
      for (const item of block.from) {
        if (!multiRow(facts, item)) continue;
        const g = groups.get(item.component) ?? [];
        g.push(item);
        groups.set(item.component, g);
      }
      if (groups.size < 2) continue;
      const [first, ...rest] = [...groups.values()];
      const other = name(facts, text, first[0]);
      for (const g of rest) {
        const item = g[0];
        report({
          start: item.span.start,
          end: item.span.end,
          message: `${name(facts, text, item)} has no join condition with ${other}: the comma makes a cross join that pairs every row with every row. Add the condition to WHERE or use JOIN ... ON; write CROSS JOIN if the product is intended.`,
        });
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

/** `orders o` for a table, the alias for a subquery. */
function name(facts: Facts, text: string, item: FromItem): string {
  const r = facts.relations[item.relations[0]];
  if (r?.kind === 'table' || r?.kind === 'cte') return `\`${r.alias ? `${r.name} ${r.alias}` : r.name}\``;
  const n = r?.refName ?? item.names[0];
  return n ? `\`${n}\`` : snippet(text, item.span);
}
