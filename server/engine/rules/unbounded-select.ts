/**
 * A SELECT whose rows go to the client and that reads a whole table: no WHERE, no LIMIT (or
 * FETCH), no aggregate, no GROUP BY. Off by default: small lookup tables are read whole on
 * purpose; turn it on for code where tables grow.
 *
 * Only the statement's own result is looked at (and the branches of a top-level UNION):
 * subqueries, CTE bodies and INSERT ... SELECT do not send rows to the application. Cursors
 * and COPY are left alone: they stream the rows on purpose.
 */
import type { Facts, QueryBlock, Span } from '../facts/types';
import type { Rule } from '../types';
import { isOutputBlock, snippet } from './util';

export const unboundedSelect: Rule = {
  meta: {
    id: 'unbounded-select',
    category: 'performance',
    defaultSeverity: 'warning',
    enabledByDefault: false,
    needs: [],
    description: 'A SELECT with no WHERE, LIMIT or aggregate returns the whole table to the application, however large it grows.',
  },
  check({ facts, text, report }) {
    if (facts.kind !== 'select') return;
    if (facts.wrapper !== undefined && facts.wrapper !== 'explain' && facts.wrapper !== 'prepare') return;
    for (const block of facts.blocks) {
      if (block.setOp || !isOutputBlock(facts, block) || !unionPath(facts.blocks, block)) continue;
      const whole = wholeTableRead(facts, block, 0);
      if (!whole) continue;
      report({
        start: whole.start,
        end: whole.end,
        message: `This query returns every row of ${snippet(text, whole)}: there is no WHERE, LIMIT or aggregate, so its cost and the memory the application needs grow with the table. Filter it, page it (LIMIT with keyset pagination), or aggregate in SQL.`,
      });
    }
  },
};

/**
 * The block's rows reach the result unchanged in number: every enclosing set operation is a
 * UNION (EXCEPT and INTERSECT branches are compared, not returned) without LIMIT.
 */
function unionPath(blocks: QueryBlock[], block: QueryBlock): boolean {
  if (block.limit) return false;
  for (let b = block.parent === null ? undefined : blocks[block.parent]; b; b = b.parent === null ? undefined : blocks[b.parent]) {
    if (b.limit || (b.setOp && b.setOp.op !== 'union')) return false;
  }
  return true;
}

/**
 * Where the block reads a whole table: the first FROM relation that is a table (without
 * TABLESAMPLE), or a subquery / CTE that itself reads a whole table; undefined when the
 * block filters, limits or aggregates, or reads only functions and VALUES.
 */
function wholeTableRead(facts: Facts, block: QueryBlock, depth: number): Span | undefined {
  if (depth > 8) return undefined;
  if (block.setOp) {
    if (block.setOp.op !== 'union' || block.limit) return undefined;
    const l = facts.blocks[block.setOp.left];
    const r = facts.blocks[block.setOp.right];
    return (l && wholeTableRead(facts, l, depth + 1)) ?? (r && wholeTableRead(facts, r, depth + 1));
  }
  if (block.statement !== 'select' || block.values || block.where || block.limit) return undefined;
  if (block.aggregates || block.groupBy || block.having || block.from.length === 0) return undefined;
  for (const r of facts.relations) {
    if (r.block !== block.id || r.tablesample) continue;
    if (r.kind === 'table') return r.span;
    let inner: QueryBlock | undefined;
    if (r.kind === 'subquery' && r.subquery !== undefined) inner = facts.blocks[r.subquery];
    if (r.kind === 'cte') {
      const cte = facts.ctes.find((c) => c.name === r.name);
      if (cte && !cte.recursive) inner = facts.blocks[cte.block];
    }
    if (inner && wholeTableRead(facts, inner, depth + 1)) return r.span;
  }
  return undefined;
}
