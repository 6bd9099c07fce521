/**
 * `x NOT IN (SELECT ...)` (and its twin `x <> ALL (SELECT ...)`).
 *
 * Not reported: NOT IN with a list of constants; `NOT EXISTS`.
 */
import type { Rule } from '../types';

export const notInSubquery: Rule = {
  meta: {
    id: 'not-in-subquery',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'NOT IN (subquery) cannot become an anti-join and returns no rows when the subquery yields a NULL; use NOT EXISTS.',
  },
  check({ facts, report }) {
    for (const p of facts.predicates) {
      if (p.kind !== 'sublink') continue;
      const notIn = p.operator === 'in' && p.negated;
      const notEqualAll = p.operator === 'all' && p.compare === '<>' && !p.negated;
      if (!notIn && !notEqualAll) continue;
      report({
        start: p.opSpan.start,
        end: p.opSpan.end,
        message: `${notIn ? 'NOT IN' : '<> ALL'} (subquery) cannot be planned as an anti-join, so PostgreSQL runs the subquery as a SubPlan (rescanned per row once it outgrows work_mem), and any NULL it returns makes the result empty. Use NOT EXISTS (SELECT 1 ... WHERE ...).`,
      });
    }
  },
};
