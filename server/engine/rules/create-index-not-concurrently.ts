/**
 * CREATE INDEX without CONCURRENTLY: the build holds a SHARE lock on the table, blocking
 * every INSERT, UPDATE and DELETE until it ends. Quick fix: insert CONCURRENTLY.
 *
 * Not reported: `ON ONLY parent` (builds an invalid, empty index on a partitioned parent:
 * instant; CONCURRENTLY is not even allowed there); tables addressed through `pg_temp`.
 * Known limit: the rule sees one statement at a time, so an index on a table created
 * earlier in the same migration (still empty, nobody waiting) is reported too; suppress it
 * with `-- sqlperf-ignore create-index-not-concurrently`.
 */
import type { CreateIndex } from '../facts/types';
import type { Rule } from '../types';

export const createIndexNotConcurrently: Rule = {
  meta: {
    id: 'create-index-not-concurrently',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'CREATE INDEX without CONCURRENTLY blocks writes to the table for the whole build.',
  },
  check({ facts, report }) {
    for (const d of facts.ddl) {
      if (d.kind !== 'create-index') continue;
      const ix = d as CreateIndex;
      if (ix.concurrently || ix.only || ix.schema === 'pg_temp') continue;
      report({
        start: ix.head.start,
        end: ix.head.end,
        message: `CREATE INDEX without CONCURRENTLY holds a SHARE lock on ${ix.table} for the whole build: inserts, updates and deletes wait until it finishes. Use CREATE INDEX CONCURRENTLY (outside a transaction block).`,
        fix: { title: 'Build the index CONCURRENTLY', edits: [{ start: ix.concurrentlyAt, end: ix.concurrentlyAt, newText: ' CONCURRENTLY' }] },
      });
    }
  },
};
