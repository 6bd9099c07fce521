/**
 * UPDATE or DELETE without WHERE (at the top level or inside a CTE).
 *
 * Not reported: `WHERE CURRENT OF cursor` (has a WHERE); temporary tables addressed through
 * `pg_temp`; TRUNCATE (an explicit choice).
 */
import type { Rule } from '../types';

export const updateDeleteWithoutWhere: Rule = {
  meta: {
    id: 'update-delete-without-where',
    category: 'correctness',
    defaultSeverity: 'error',
    needs: [],
    description: 'UPDATE or DELETE without WHERE touches every row of the table.',
  },
  check({ facts, report }) {
    for (const w of facts.writes) {
      if ((w.kind !== 'update' && w.kind !== 'delete') || w.hasWhere) continue;
      if (w.schema === 'pg_temp') continue;
      const message =
        w.kind === 'delete'
          ? `DELETE without WHERE deletes every row of ${w.table} one by one, locking each and leaving dead rows for VACUUM. Add a WHERE clause, or use TRUNCATE to empty the table.`
          : `UPDATE without WHERE rewrites every row of ${w.table} (a new version of each row, bloating the table and its indexes) and locks them all. Add a WHERE clause.`;
      report({ start: w.head.start, end: w.head.end, message });
    }
  },
};
