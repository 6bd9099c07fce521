/**
 * ALTER TABLE ... ALTER COLUMN ... TYPE: unless the old and new types are binary compatible,
 * PostgreSQL rewrites the whole table and rebuilds every index under an ACCESS EXCLUSIVE
 * lock.
 *
 * Not reported (without a USING clause): targets that are usually a widening PostgreSQL does
 * without a rewrite: `text`, `varchar` with or without a length (varchar(n) -> varchar(m > n)
 * or text), `numeric` with or without a precision, `varbit`. The old type is not known from
 * one statement, so a narrowing to these is missed rather than a widening reported.
 * Temporary tables are not reported.
 */
import type { Rule } from '../types';
import { alterCommands, bodyOf, cutBefore, hasCommand, isTempRelation, quoteIdent, relationText, typeNameOf, type Node } from './ddl-util';

/** Targets that are binary-compatible widenings of the usual source types. */
const WIDENING = new Set(['text', 'varchar', 'numeric', 'varbit']);

export const alterColumnType: Rule = {
  meta: {
    id: 'alter-column-type',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'ALTER COLUMN TYPE rewrites the table and all its indexes under an ACCESS EXCLUSIVE lock.',
  },
  check({ ast, text, report }) {
    const stmt = bodyOf(ast, 'AlterTableStmt');
    if (!stmt || isTempRelation(stmt.relation as Node)) return;
    if (!hasCommand(stmt, 'AT_AlterColumnType')) return;
    const table = relationText(text, stmt.relation as Node);
    for (const { cmd, span } of alterCommands(text, ast)) {
      if (cmd.subtype !== 'AT_AlterColumnType') continue;
      const def = bodyOf(cmd.def, 'ColumnDef');
      if (!def) continue;
      const typeName = def.typeName as Node | undefined;
      const type = typeNameOf(typeName);
      const array = Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0;
      if (!def.raw_default && !array && WIDENING.has(type)) continue;
      const range = cutBefore(text, span, ['using', 'collate']);
      report({
        ...range,
        message: `Changing the type of ${quoteIdent(String(cmd.name ?? ''))} rewrites ${table} and rebuilds all its indexes under an ACCESS EXCLUSIVE lock: no query can read or write the table until it is done. Add a new column, backfill it in batches, and switch over (or keep the type when only widening varchar/numeric).`,
      });
    }
  },
};
