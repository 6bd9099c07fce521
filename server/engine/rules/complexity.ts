/**
 * Scores each query (joins, subqueries by depth, correlation, aggregates, window functions,
 * OR branches, set operations, CTEs; see server/engine/complexity.ts) and reports those above
 * `complexityThreshold`, with the breakdown in the hover.
 *
 * The report sits on the statement's first keyword: the whole statement is the point, but a
 * squiggle over fifty lines would bury every other diagnostic in it.
 */
import { complexityMarkdown, complexitySummary, scoreComplexity } from '../complexity';
import type { Rule } from '../types';

const QUERIES = new Set(['select', 'insert', 'update', 'delete', 'merge']);

export const complexity: Rule = {
  meta: {
    id: 'complexity',
    category: 'performance',
    defaultSeverity: 'information',
    needs: [],
    description: 'A query with many joins, nested or correlated subqueries, ORs and set operations is hard for the planner to estimate well.',
  },
  check({ facts, options, report }) {
    if (!QUERIES.has(facts.kind)) return;
    const score = scoreComplexity(facts);
    if (score.total <= options.complexityThreshold) return;
    report({
      start: facts.head.start,
      end: facts.head.end,
      message: `Complexity ${score.total} (threshold ${options.complexityThreshold}): ${complexitySummary(score)}. Row estimates compound with each step, so plans for queries like this go wrong easily; consider splitting it, and check its plan with EXPLAIN.`,
      detail: complexityMarkdown(score, options.complexityThreshold),
    });
  },
};
