/**
 * A table without a primary key (in the workspace's final schema: a key added later by
 * ALTER TABLE counts). Rows cannot be addressed reliably, logical replication cannot apply
 * UPDATE and DELETE, duplicates creep in, and ORMs and tools misbehave.
 *
 * Quiet for temporary, partition and inheritance-child tables (the parent holds the key),
 * and when a UNIQUE constraint or unique index stands in for it.
 */
import { hasPrimaryKey } from '../schema/model';
import type { Rule } from '../types';
import { displayName } from './schema-util';

export const tableWithoutPrimaryKey: Rule = {
  meta: {
    id: 'table-without-primary-key',
    category: 'correctness',
    defaultSeverity: 'information',
    needs: ['schema'],
    postgresOnly: true,
    description: 'A table without a primary key: rows have no stable identity, logical replication cannot apply updates, duplicates go unnoticed.',
  },
  check({ facts, schema, report }) {
    if (!schema || facts.astKind !== 'CreateStmt') return;
    const d = facts.ddl[0];
    if (!d || d.kind !== 'create-table' || d.temporary || !d.table) return;
    const table = schema.table(d.schema, d.table);
    if (!table || table.kind !== 'table' || table.derived || table.temporary || table.conflict || !table.columnsKnown || table.columns.size === 0) return;
    if (hasPrimaryKey(table) || table.indexes.some((i) => i.unique && !i.partial && i.columns.every((c) => c !== null))) return;
    report({
      start: d.tableSpan.start,
      end: d.tableSpan.end,
      message: `Table ${displayName(table)} has no primary key: its rows have no stable identity, logical replication cannot apply its UPDATEs and DELETEs, and duplicate rows go unnoticed. Add one (e.g. an identity column with PRIMARY KEY).`,
    });
  },
};
