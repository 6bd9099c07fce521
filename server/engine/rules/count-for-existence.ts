/**
 * `(SELECT count(*) FROM ...) > 0` and its twins (`>= 1`, `<> 0`, `!= 0`, `= 0`, `< 1`, and
 * the same with the sides swapped): counts every matching row to learn whether one exists.
 *
 * Only a subquery whose whole select list is one count(...) call, without GROUP BY, HAVING
 * or LIMIT, is reported; `count(*) > 5` needs the count and is left alone.
 */
import type { Facts, Operand, QueryBlock } from '../facts/types';
import type { Rule } from '../types';
import { textOf } from './util';

/** operator -> [constant, the comparison means "some row exists"] (subquery on the left) */
const EXISTS_TESTS: Record<string, Array<[string, boolean]>> = {
  '>': [['0', true]],
  '>=': [['1', true]],
  '<>': [['0', true]],
  '=': [['0', false]],
  '<': [['1', false]],
  '<=': [['0', false]],
};
/** the operator as seen from the subquery's side when it is written on the right */
const FLIP: Record<string, string> = { '>': '<', '<': '>', '>=': '<=', '<=': '>=', '=': '=', '<>': '<>' };

export const countForExistence: Rule = {
  meta: {
    id: 'count-for-existence',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'Comparing (SELECT count(*) ...) with 0 counts every matching row; EXISTS stops at the first one.',
  },
  check({ facts, text, report }) {
    if (facts.aggregates.length === 0 || facts.subqueries.length === 0) return;
    for (const p of facts.predicates) {
      if (p.kind !== 'comparison' || !p.right) continue;
      let sub: Operand, other: Operand, op: string;
      if (p.left.kind === 'subquery') [sub, other, op] = [p.left, p.right, p.operator];
      else if (p.right.kind === 'subquery') [sub, other, op] = [p.right, p.left, FLIP[p.operator] ?? ''];
      else continue;
      if (other.kind !== 'constant' || other.value === undefined) continue;
      const test = EXISTS_TESTS[op]?.find(([v]) => v === other.value);
      if (!test) continue;
      const block = countBlock(facts, text, sub);
      if (!block) continue;
      const exists = test[1] ? 'EXISTS' : 'NOT EXISTS';
      report({
        start: p.span.start,
        end: p.span.end,
        message: `This counts every matching row only to learn whether there is one: ${exists} (SELECT 1 FROM ... WHERE ...) stops at the first row it finds, and can use an index to find it.`,
      });
    }
  },
};

/** The subquery's block when its select list is exactly one ungrouped count(...). */
function countBlock(facts: Facts, text: string, sub: Operand): QueryBlock | undefined {
  const s = facts.subqueries.find((q) => q.span.start === sub.span.start && q.span.end === sub.span.end && q.context === 'scalar');
  if (!s) return undefined;
  const block = facts.blocks[s.block];
  if (!block || block.setOp || block.groupBy || block.having || block.limit || block.offset || block.targetCount !== 1) return undefined;
  const agg = facts.aggregates.find((a) => a.block === block.id && a.clause === 'select');
  if (!agg || agg.name !== 'count') return undefined;
  // the count is the whole entry (not `count(*) * 2`): only spaces between SELECT and it,
  // and only an optional alias between it and FROM
  if (textOf(text, { start: block.head.end, end: agg.span.start }).trim() !== '') return undefined;
  const from = block.from[0]?.span.start ?? block.span.end;
  const after = textOf(text, { start: agg.span.end, end: from });
  if (!/^\s*(?:(?:as\s+)?(?:"[^"]*"|\w+)\s+)?(?:from\s*)?$/i.test(after)) return undefined;
  return block;
}
