/**
 * `col LIKE '%x'` (also ILIKE, `'%' || $1`, `concat('%', $1)`) in WHERE / JOIN / HAVING.
 *
 * Not reported: NOT LIKE (a negative filter never uses an index anyway); patterns that are
 * one parameter (unknown until run time); a pattern compared to a constant rather than a
 * column; an escaped wildcard (`'\%x'`).
 */
import type { Rule } from '../types';
import { columnName, hasLocalColumns, snippet } from './util';

export const leadingWildcardLike: Rule = {
  meta: {
    id: 'leading-wildcard-like',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'LIKE/ILIKE pattern starting with a wildcard cannot use a B-tree index.',
  },
  check({ facts, text, report }) {
    for (const p of facts.predicates) {
      if (p.kind !== 'like' || p.negated || !p.like?.leadingWildcard || !p.right) continue;
      if (p.clause !== 'where' && p.clause !== 'join' && p.clause !== 'having') continue;
      if (!hasLocalColumns(p.left)) continue;
      const column = columnName(p.left) ?? snippet(text, p.left.span);
      const op = p.operator.toUpperCase();
      report({
        start: p.right.span.start,
        end: p.right.span.end,
        message: `${op} pattern ${snippet(text, p.right.span)} starts with a wildcard, so no B-tree index on ${column} can be used and every row is read. For substring search use a trigram GIN index (pg_trgm) or full-text search.`,
      });
    }
  },
};
