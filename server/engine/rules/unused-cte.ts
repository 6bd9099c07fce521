/**
 * A WITH query that no part of the statement reads. A data-modifying WITH (INSERT, UPDATE,
 * DELETE, MERGE) runs whether or not it is read, so it is never "unused".
 */
import type { Facts } from '../facts/types';
import type { Rule } from '../types';

export const unusedCte: Rule = {
  meta: {
    id: 'unused-cte',
    category: 'correctness',
    defaultSeverity: 'warning',
    needs: [],
    description: 'A WITH query that nothing reads is dead code, often the sign of a reference to the wrong name.',
  },
  check({ facts, report }) {
    for (const cte of facts.ctes) {
      if (cte.references > 0 || cte.body !== 'select' || forwardReference(facts, cte.name)) continue;
      report({
        start: cte.span.start,
        end: cte.span.end,
        message: `WITH query "${cte.name}" is never read by the statement. Remove it, or check whether another part of the query meant to use it instead of a table of a similar name.`,
      });
    }
  },
};

/**
 * Under WITH RECURSIVE a WITH query may read one listed after it; the facts resolve such a
 * name as a table. A table of the CTE's name (without schema) counts as a use.
 */
function forwardReference(facts: Facts, name: string): boolean {
  return facts.relations.some((r) => r.kind === 'table' && r.schema === undefined && r.name === name);
}
