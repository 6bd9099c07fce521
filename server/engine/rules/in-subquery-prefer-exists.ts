/**
 * `x IN (SELECT ...)` (or `x = ANY (SELECT ...)`) whose subquery refers to the outer query.
 *
 * PostgreSQL turns an uncorrelated IN (subquery) into a semi-join, exactly as it does EXISTS,
 * so those are not reported: rewriting them changes nothing. A correlated one cannot be
 * pulled up into a join; it stays a SubPlan executed once per outer row, while the same test
 * written as EXISTS (with the comparison moved into the subquery's WHERE) becomes a semi-join.
 *
 * Not reported: uncorrelated IN (subquery); IN with a list of constants; NOT IN
 * (`not-in-subquery`); `= ANY($1)` (an array, not a subquery); subqueries reading no table
 * (`x IN (SELECT unnest(o.tags))` is an array test).
 */
import type { Facts, Predicate } from '../facts/types';
import type { Rule } from '../types';
import { readsTables } from './util';

export const inSubqueryPreferExists: Rule = {
  meta: {
    id: 'in-subquery-prefer-exists',
    category: 'performance',
    defaultSeverity: 'information',
    needs: [],
    description: 'A correlated IN (subquery) runs once per outer row; EXISTS with the comparison inside can be planned as a semi-join.',
  },
  check({ facts, report }) {
    for (const p of facts.predicates) {
      if (p.kind !== 'sublink' || p.negated) continue;
      if (p.operator !== 'in' && !(p.operator === 'any' && p.compare === '=')) continue;
      const block = subqueryBlock(facts, p);
      if (block === undefined) continue;
      const b = facts.blocks[block];
      if (!b || !b.correlated || !readsTables(facts, b)) continue;
      const refs = b.outerRefs.slice(0, 3).map((r) => `\`${r}\``).join(', ');
      report({
        start: p.opSpan.start,
        end: p.opSpan.end,
        message: `This IN (subquery) refers to the outer query (${refs}), so PostgreSQL cannot turn it into a semi-join: it runs the subquery once for every outer row. Write it as EXISTS (SELECT 1 FROM ... WHERE <the IN comparison> AND ...), which the planner can execute as a semi-join.`,
      });
    }
  },
};

/** The block of the subquery a sublink predicate tests (both are the SubLink node's span). */
function subqueryBlock(facts: Facts, p: Predicate): number | undefined {
  for (const s of facts.subqueries) {
    if (s.context !== 'from' && s.span.start === p.span.start && s.span.end === p.span.end) return s.block;
  }
  return undefined;
}
