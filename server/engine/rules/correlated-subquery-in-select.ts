/**
 * A scalar (or ARRAY) subquery in the select list that refers to the query around it:
 * PostgreSQL runs it once for every row that query returns.
 *
 * Not reported: uncorrelated subqueries (run once, as an InitPlan); subqueries that refer only
 * to a query further out (constant for each run of the one around them); EXISTS / IN in WHERE
 * (planned as joins); LATERAL subqueries in FROM; select lists over no table or one row; subqueries that read no table
 * (`(SELECT CASE WHEN o.x THEN ...)` is just an expression).
 */
import type { Facts, QueryBlock } from '../facts/types';
import type { Rule } from '../types';
import { readsTables } from './util';

export const correlatedSubqueryInSelect: Rule = {
  meta: {
    id: 'correlated-subquery-in-select',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'A correlated subquery in the select list runs once per result row; a JOIN or LEFT JOIN LATERAL lets the planner do it in one pass.',
  },
  check({ facts, report }) {
    for (const s of facts.subqueries) {
      if ((s.context !== 'scalar' && s.context !== 'array') || s.clause !== 'select' || !s.correlated) continue;
      const parent = facts.blocks[s.parent];
      const block = facts.blocks[s.block];
      // a subquery reading no table (`(SELECT CASE WHEN o.x ...)`) is only an expression per row
      if (!parent || !block || parent.statement !== 'select' || !manyRows(facts, parent) || !readsTables(facts, block)) continue;
      const refs = refsTo(parent, block);
      if (refs.length === 0) continue;
      const end = block.head.start >= s.span.start && block.head.end <= s.span.end ? block.head.end : s.span.end;
      report({
        start: s.span.start,
        end,
        message: `This subquery refers to ${refs.map((r) => `\`${r}\``).join(', ')} of the outer query, so it runs once for every row the outer query returns. Join the table instead (with GROUP BY for an aggregate) or move the subquery into FROM as LEFT JOIN LATERAL, so the planner can choose a hash or merge join.`,
      });
    }
  },
};

/** The outer references that point at `parent` itself (not at a query further out). */
function refsTo(parent: QueryBlock, block: QueryBlock): string[] {
  const names = new Set(parent.from.flatMap((f) => f.names));
  return block.outerRefs.filter((r) => {
    const dot = r.lastIndexOf('.');
    return dot > 0 && names.has(r.slice(0, dot));
  });
}

/** The block reads a table (or CTE, or multi-row subquery) and is not known to give one row. */
function manyRows(facts: Facts, b: QueryBlock): boolean {
  for (const r of facts.relations) {
    if (r.block === b.id && !r.singleRow && (r.kind === 'table' || r.kind === 'cte' || r.kind === 'subquery' || r.kind === 'function')) return true;
  }
  return false;
}
