/**
 * ALTER TABLE ... ADD UNIQUE / PRIMARY KEY without USING INDEX: PostgreSQL builds the index
 * inside the ALTER, under an ACCESS EXCLUSIVE lock, so the table is unreadable for the whole
 * build. Build the index with CREATE UNIQUE INDEX CONCURRENTLY first, then attach it:
 * ADD CONSTRAINT ... UNIQUE USING INDEX (instant).
 *
 * Not reported: `USING INDEX`, UNIQUE / PRIMARY KEY declared with a new column (`ADD COLUMN
 * ... UNIQUE`: the column must exist before an index can be built concurrently), EXCLUDE
 * constraints (no USING INDEX form), temporary tables.
 * Known limit: a table created earlier in the same migration is empty; suppress there.
 */
import type { Rule } from '../types';
import { alterCommands, bodyOf, hasCommand, isTempRelation, names, relationText, spanThrough, type Node } from './ddl-util';

export const uniqueConstraintWithoutIndex: Rule = {
  meta: {
    id: 'unique-constraint-without-index',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'ADD UNIQUE or PRIMARY KEY without USING INDEX builds the index while holding an ACCESS EXCLUSIVE lock.',
  },
  check({ ast, text, report }) {
    const stmt = bodyOf(ast, 'AlterTableStmt');
    if (!stmt || isTempRelation(stmt.relation as Node)) return;
    if (!hasCommand(stmt, 'AT_AddConstraint')) return;
    const table = relationText(text, stmt.relation as Node);
    for (const { cmd } of alterCommands(text, ast)) {
      if (cmd.subtype !== 'AT_AddConstraint') continue;
      const con = bodyOf(cmd.def, 'Constraint');
      if (!con || typeof con.indexname === 'string') continue;
      const pk = con.contype === 'CONSTR_PRIMARY';
      if (!pk && con.contype !== 'CONSTR_UNIQUE') continue;
      const kind = pk ? 'PRIMARY KEY' : 'UNIQUE';
      const cols = names(con.keys).join(', ');
      report({
        ...spanThrough(text, con.location, pk ? 'key' : 'unique'),
        message: `ADD ${kind} builds its index inside the ALTER TABLE, holding an ACCESS EXCLUSIVE lock on ${table} for the whole build: no query can read or write it meanwhile. Run CREATE UNIQUE INDEX CONCURRENTLY ... ON ${table} (${cols}) first, then ADD CONSTRAINT ... ${kind} USING INDEX (instant${pk ? '; the columns must already be NOT NULL' : ''}).`,
      });
    }
  },
};
