/**
 * ORDER BY without LIMIT on the statement's result (information: often what the caller
 * wants, but worth a look when the result is large).
 *
 * Not reported: ORDER BY in subqueries, CTEs, window definitions and ordered aggregates
 * (different purposes, and not the result's order); with FOR UPDATE/SHARE (ordering the
 * locks avoids deadlocks); aggregated results (GROUP BY or aggregates: a sort of a few
 * groups); queries without tables (VALUES, functions); INSERT ... SELECT and CREATE TABLE AS
 * (ordering the rows written is a choice, e.g. for physical locality).
 */
import type { Rule } from '../types';
import { readsTables, resultGoesToClient } from './util';

export const orderByWithoutLimit: Rule = {
  meta: {
    id: 'order-by-without-limit',
    category: 'performance',
    defaultSeverity: 'information',
    needs: [],
    description: 'ORDER BY without LIMIT sorts the whole result before returning the first row.',
  },
  check({ facts, report }) {
    if (!resultGoesToClient(facts)) return;
    const block = facts.blocks.find((b) => b.parent === null && b.role === 'statement');
    if (!block || !block.orderBy || block.limit || block.locking.length) return;
    if (block.groupBy || block.aggregates || block.values) return;
    if (!block.setOp && !readsTables(facts, block)) return;
    report({
      start: block.orderBy.start,
      end: block.orderBy.end,
      message: 'ORDER BY without LIMIT sorts the entire result before the first row comes back (spilling to disk past work_mem). If the caller reads only the first rows, add LIMIT; an index matching the ORDER BY can also remove the sort.',
    });
  },
};
