/**
 * `x IN (v1, ..., vn)` with more than 100 values (constants or parameters). Each distinct
 * length is another statement text to parse, plan and keep in pg_stat_statements; an array
 * parameter is one statement whatever the count.
 *
 * Not reported: 100 values or fewer, `IN (subquery)`, VALUES lists, `= ANY(ARRAY[...])`.
 */
import type { Rule } from '../types';

/** kept fixed: the point is "a generated list", not a tunable size */
export const MAX_IN_LIST = 100;

export const largeInList: Rule = {
  meta: {
    id: 'large-in-list',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'IN with hundreds of values is parsed and planned anew for every list length; pass one array parameter with = ANY($1).',
  },
  check({ facts, report }) {
    for (const p of facts.predicates) {
      if (p.kind !== 'in-list' || !p.right || p.right.kind !== 'list') continue;
      const n = p.right.items ?? 0;
      if (n <= MAX_IN_LIST || p.right.columns.length > 0) continue;
      const instead = p.negated ? '<> ALL($1)' : '= ANY($1)';
      report({
        start: p.opSpan.start,
        end: p.opSpan.end,
        message: `This ${p.negated ? 'NOT IN' : 'IN'} list has ${n} values. Every list length is a different statement to parse and plan (and another entry in pg_stat_statements), and long lists are slow to parse. Pass the values as one array parameter: x ${instead} with $1 an array.`,
      });
    }
  },
};
