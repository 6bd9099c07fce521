/**
 * One FROM clause joining more relations than `maxJoins` (default 8, PostgreSQL's
 * join_collapse_limit and from_collapse_limit).
 *
 * What is counted: the relations (tables, CTEs, subqueries, functions) of one FROM clause,
 * explicit JOINs and commas alike, because that is what the collapse limits count. Relations
 * of subqueries count in their own FROM clause.
 */
import type { Rule } from '../types';
import { relationCount, relationsOf } from './util';

export const tooManyJoins: Rule = {
  meta: {
    id: 'too-many-joins',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'Past join_collapse_limit relations in one FROM clause PostgreSQL stops searching for the best join order.',
  },
  check({ facts, options, report }) {
    // most statements have a handful of relations in all: no block can exceed the limit
    if (facts.relations.length <= options.maxJoins) return;
    for (const block of facts.blocks) {
      if (relationCount(facts, block) <= options.maxJoins) continue;
      const rels = relationsOf(facts, block);
      const first = rels[options.maxJoins];
      report({
        start: first.span.start,
        end: first.span.end,
        message: `This FROM clause joins ${rels.length} relations. Past join_collapse_limit (${options.maxJoins}) PostgreSQL stops searching all join orders and keeps the written order from here on (and at geqo_threshold, 12, it switches to the genetic optimizer), so plans get hard to predict. Pre-aggregate in a CTE or subquery, split the query, or order the joins deliberately.`,
      });
    }
  },
};
