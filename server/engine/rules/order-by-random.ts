/**
 * `ORDER BY random()` in a query that reads a table.
 *
 * Not reported: `random()` in a window's or an aggregate's ORDER BY (not a query sort key);
 * shuffling a function's or VALUES' rows (`unnest($1) ORDER BY random()`): small by nature.
 */
import type { Rule } from '../types';
import { readsTables } from './util';

export const orderByRandom: Rule = {
  meta: {
    id: 'order-by-random',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'ORDER BY random() assigns a random key to every row and sorts them all to return a few.',
  },
  check({ facts, report }) {
    for (const key of facts.sorts) {
      if (!key.random) continue;
      const block = facts.blocks[key.block];
      if (!block || !readsTables(facts, block)) continue;
      report({
        start: key.span.start,
        end: key.span.end,
        message: 'ORDER BY random() reads every row and sorts them all to return a few. For a sample use TABLESAMPLE SYSTEM/BERNOULLI, or pick random keys and fetch them by index.',
      });
    }
  },
};
