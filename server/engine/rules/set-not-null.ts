/**
 * ALTER TABLE ... ALTER COLUMN ... SET NOT NULL: PostgreSQL scans the whole table to prove
 * there is no NULL, holding an ACCESS EXCLUSIVE lock all the while. Since PostgreSQL 12 the
 * scan is skipped when a validated CHECK (col IS NOT NULL) constraint already proves it, so
 * the safe sequence is: ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID; VALIDATE
 * CONSTRAINT (no blocking); SET NOT NULL (instant); DROP CONSTRAINT.
 *
 * Not reported: a column for which an earlier statement of the same file added
 * CHECK (col IS NOT NULL) (the sequence above; read from DocumentContext.notNullChecks);
 * temporary tables.
 */
import type { Rule } from '../types';
import { alterCommands, bodyOf, hasCommand, isTempRelation, quoteIdent, relationText, type Node } from './ddl-util';

export const setNotNull: Rule = {
  meta: {
    id: 'set-not-null',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock unless a validated CHECK proves it.',
  },
  check({ ast, text, document, report }) {
    const stmt = bodyOf(ast, 'AlterTableStmt');
    const rel = stmt?.relation as Node | undefined;
    if (!stmt || !rel || isTempRelation(rel)) return;
    if (!hasCommand(stmt, 'AT_SetNotNull')) return;
    const table = relationText(text, rel);
    for (const { cmd, span } of alterCommands(text, ast)) {
      if (cmd.subtype !== 'AT_SetNotNull' || typeof cmd.name !== 'string') continue;
      if (document?.notNullChecks.includes(`${String(rel.relname)}.${cmd.name}`)) continue;
      const col = quoteIdent(cmd.name);
      report({
        ...span,
        message: `SET NOT NULL scans every row of ${table} to prove ${col} has no NULL, under an ACCESS EXCLUSIVE lock: no query can read or write the table meanwhile. On PostgreSQL 12+, first ADD CONSTRAINT ... CHECK (${col} IS NOT NULL) NOT VALID and VALIDATE CONSTRAINT it (no blocking); SET NOT NULL then skips the scan.`,
      });
    }
  },
};
