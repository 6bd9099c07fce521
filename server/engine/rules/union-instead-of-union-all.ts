/**
 * UNION (which removes duplicates with a sort or a hash over the whole result) where UNION ALL
 * may do. Quick fix: UNION ALL, with the caveat in its title.
 *
 * Not reported: UNION ALL; INTERSECT and EXCEPT; the UNION of a recursive CTE (there the
 * deduplication is what stops the recursion from cycling forever); UNIONs of constant rows
 * (`SELECT 1 UNION SELECT 2`), where the deduplication costs nothing.
 */
import type { Facts } from '../facts/types';
import type { Rule } from '../types';
import { textOf } from './util';

export const unionInsteadOfUnionAll: Rule = {
  meta: {
    id: 'union-instead-of-union-all',
    category: 'performance',
    defaultSeverity: 'information',
    needs: [],
    description: 'UNION sorts or hashes the whole result to remove duplicates; UNION ALL skips that when duplicates cannot occur or do not matter.',
  },
  check({ facts, text, report }) {
    for (const s of facts.setOperations) {
      if (s.op !== 'union' || s.all || recursiveUnion(facts, s.block) || !readsAnyTable(facts, s.block)) continue;
      const written = textOf(text, s.span);
      if (!/^union\b/i.test(written)) continue;
      const lower = written.startsWith('union');
      report({
        start: s.span.start,
        end: s.span.end,
        message: `UNION removes duplicate rows: PostgreSQL collects the whole result of both sides and sorts or hashes it (spilling to disk when it outgrows work_mem) before returning the first row. If the branches cannot produce duplicates, or duplicates do not matter, UNION ALL streams the rows as they come.`,
        fix: {
          title: 'Use UNION ALL (only if duplicates cannot occur or do not matter)',
          edits: [{ start: s.span.start, end: s.span.end, newText: lower ? 'union all' : 'UNION ALL' }],
        },
      });
    }
  },
};

/** The set operation is the body of a recursive CTE (non-recursive term UNION recursive term). */
function recursiveUnion(facts: Facts, block: number): boolean {
  for (const c of facts.ctes) if (c.recursive && c.block === block) return true;
  return false;
}

/** Some branch of the set operation reads a table: deduplicating a few constant rows costs nothing. */
function readsAnyTable(facts: Facts, block: number): boolean {
  const b = facts.blocks[block];
  if (!b) return false;
  if (b.setOp) return readsAnyTable(facts, b.setOp.left) || readsAnyTable(facts, b.setOp.right);
  for (const r of facts.relations) {
    if (r.block !== b.id) continue;
    // a CTE or subquery known to give one row (`WITH x AS (SELECT 7)`) is a constant too
    if (r.kind === 'table' || r.kind === 'function' || ((r.kind === 'cte' || r.kind === 'subquery') && !r.singleRow)) return true;
  }
  return false;
}
