/**
 * Subqueries nested more than `maxSubqueryDepth` levels deep (default 3; setting
 * `sqlperf.thresholds.subqueryDepth`). Depth counts subqueries in FROM and in expressions;
 * a CTE body starts again at 0, which is the way out this rule recommends.
 *
 * Only the outermost subquery past the limit is reported: the ones inside it are part of the
 * same problem.
 */
import type { Rule } from '../types';

export const deepSubqueryNesting: Rule = {
  meta: {
    id: 'deep-subquery-nesting',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'Subqueries nested many levels deep are hard to read and hard for the planner to estimate; name the steps with WITH.',
  },
  check({ facts, options, report }) {
    const max = options.maxSubqueryDepth;
    if (facts.subqueries.length <= max) return;
    for (const s of facts.subqueries) {
      if (s.depth !== max + 1) continue;
      // the subquery's SELECT keyword: its span may start at `x IN` and run for many lines
      const at = facts.blocks[s.block]?.head ?? s.span;
      report({
        start: at.start,
        end: at.end,
        message: `This subquery is nested ${s.depth} levels deep (the limit is ${max}). Every level multiplies the planner's estimation errors and makes the query hard to follow: pull the inner steps out into named WITH queries (or joins) and build the result from them.`,
      });
    }
  },
};
