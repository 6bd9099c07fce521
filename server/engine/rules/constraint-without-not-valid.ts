/**
 * ALTER TABLE ... ADD FOREIGN KEY / CHECK without NOT VALID: PostgreSQL checks every existing
 * row while holding the lock (SHARE ROW EXCLUSIVE on both tables for a foreign key, ACCESS
 * EXCLUSIVE for a CHECK). With NOT VALID the constraint is added instantly and applies to new
 * rows; a later VALIDATE CONSTRAINT checks the old rows under SHARE UPDATE EXCLUSIVE, which
 * lets reads and writes go on.
 *
 * Quick fix (named constraints in .sql files): append NOT VALID and a separate
 * `ALTER TABLE ... VALIDATE CONSTRAINT ...` statement.
 *
 * Not reported: constraints added with a new column (`ADD COLUMN x int REFERENCES ...`: the
 * column is new, NOT VALID is not allowed there), NOT ENFORCED constraints, temporary tables.
 * Known limit: one statement at a time, so a constraint on a table created earlier in the
 * same migration (empty, nobody waiting) is reported too; suppress it there.
 */
import type { Rule } from '../types';
import { alterCommands, bodyOf, hasCommand, isTempRelation, quoteIdent, relationText, spanThrough, type Node } from './ddl-util';

export const constraintWithoutNotValid: Rule = {
  meta: {
    id: 'constraint-without-not-valid',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'Adding a FOREIGN KEY or CHECK constraint without NOT VALID scans the whole table while holding its lock.',
  },
  check({ ast, text, host, report }) {
    const stmt = bodyOf(ast, 'AlterTableStmt');
    if (!stmt || isTempRelation(stmt.relation as Node)) return;
    if (!hasCommand(stmt, 'AT_AddConstraint')) return;
    const table = relationText(text, stmt.relation as Node);
    for (const { cmd, span, spanExact } of alterCommands(text, ast)) {
      if (cmd.subtype !== 'AT_AddConstraint') continue;
      const con = bodyOf(cmd.def, 'Constraint');
      if (!con || con.skip_validation || con.is_enforced === false) continue;
      const fk = con.contype === 'CONSTR_FOREIGN';
      if (!fk && con.contype !== 'CONSTR_CHECK') continue;
      const range = spanThrough(text, con.location, fk ? 'key' : 'check');
      const name = typeof con.conname === 'string' ? con.conname : undefined;
      const message = fk
        ? `Adding a foreign key checks every row of ${table} against ${relationText(text, con.pktable as Node)} while holding SHARE ROW EXCLUSIVE locks on both: writes to either table wait until the scan ends. Add it NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on).`
        : `Adding a CHECK constraint scans every row of ${table} under an ACCESS EXCLUSIVE lock: every query on the table waits until the scan ends. Add it NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on).`;
      let fix;
      if (name && spanExact && !host) {
        const validate = `;\n-- run in a separate transaction: checks old rows without blocking writes\nALTER TABLE ${table} VALIDATE CONSTRAINT ${quoteIdent(name)}`;
        // the last command ends the statement: one insertion, so the order of the two is certain
        const edits =
          span.end === text.length
            ? [{ start: span.end, end: span.end, newText: ` NOT VALID${validate}` }]
            : [
                { start: span.end, end: span.end, newText: ' NOT VALID' },
                { start: text.length, end: text.length, newText: validate },
              ];
        fix = { title: 'Add NOT VALID, then VALIDATE CONSTRAINT in a separate statement', edits };
      }
      report({ ...range, message, fix });
    }
  },
};
