/**
 * `INSERT INTO t VALUES (...)` / `INSERT INTO t SELECT ...` without a column list: values
 * are matched to columns by position, so adding, dropping or reordering a column breaks the
 * statement, or silently puts values into the wrong columns when the types still fit.
 *
 * Not reported: INSERT with a column list, `INSERT ... DEFAULT VALUES`.
 */
import type { Rule } from '../types';

export const insertWithoutColumns: Rule = {
  meta: {
    id: 'insert-without-columns',
    category: 'correctness',
    defaultSeverity: 'information',
    needs: [],
    description: 'INSERT without a column list matches values to columns by position and breaks, or writes the wrong columns, when the table changes.',
  },
  check({ facts, report }) {
    for (const w of facts.writes) {
      if (w.kind !== 'insert' || w.columnList !== false) continue;
      // DEFAULT VALUES has no source query
      if (!facts.blocks.some((b) => b.parent === w.block && b.role === 'insert-source')) continue;
      report({
        start: w.head.start,
        end: w.head.end,
        message: `This INSERT into ${w.table} has no column list, so its values go to the columns by position: adding, dropping or reordering a column breaks it, or silently stores values in the wrong columns when the types happen to fit. Name the columns: INSERT INTO ${w.table} (col1, col2, ...) ...`,
      });
    }
  },
};
