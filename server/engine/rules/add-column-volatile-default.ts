/**
 * ALTER TABLE ... ADD COLUMN whose value must be computed per row: a volatile DEFAULT
 * (`random()`, `clock_timestamp()`, `gen_random_uuid()`, `nextval(...)`), a serial type, an
 * identity column, a stored generated column. Since PostgreSQL 11 a constant or stable
 * default (`0`, `'x'`, `now()`) is stored once in the catalog and the ADD is instant; these
 * instead rewrite the whole table and its indexes under an ACCESS EXCLUSIVE lock.
 *
 * Not reported: constants, `now()` / `current_timestamp` and other stable functions, user
 * functions (their volatility is unknown), virtual generated columns, temporary tables.
 */
import type { Span } from '../facts/types';
import type { Rule } from '../types';
import { alterCommands, bodyOf, callSpan, hasCommand, isTempRelation, list, names, offsetOf, relationText, spanThrough, tokenIndexAt, tokensOf, tokenSpan, typeNameOf, type Node } from './ddl-util';
import { volatileCall } from '../facts/volatile';

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

export const addColumnVolatileDefault: Rule = {
  meta: {
    id: 'add-column-volatile-default',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'ADD COLUMN with a volatile default (random(), gen_random_uuid(), serial) rewrites the whole table under an exclusive lock.',
  },
  check({ ast, text, report }) {
    const stmt = bodyOf(ast, 'AlterTableStmt');
    if (!stmt || isTempRelation(stmt.relation as Node)) return;
    if (!hasCommand(stmt, 'AT_AddColumn')) return;
    const table = relationText(text, stmt.relation as Node);
    const rewrite = `rewrites ${table} and all its indexes under an ACCESS EXCLUSIVE lock: no query can read or write the table until every row is copied`;
    for (const { cmd } of alterCommands(text, ast)) {
      if (cmd.subtype !== 'AT_AddColumn') continue;
      const col = bodyOf(cmd.def, 'ColumnDef');
      if (!col) continue;
      const column = String(col.colname ?? '');
      const type = typeNameOf(col.typeName);
      if (SERIAL.has(type) && names((col.typeName as Node).names).length === 1) {
        const tokens = tokensOf(text);
        const i = tokenIndexAt(tokens, offsetOf(text, (col.typeName as Node).location));
        report({
          ...(i < tokens.length ? tokenSpan(tokens, i, i) : spanThrough(text, col.location, '')),
          message: `Adding the ${type} column ${column} fills it from a sequence, one value per row: PostgreSQL ${rewrite}. Add a nullable column, attach the sequence default, and backfill in batches.`,
        });
        continue;
      }
      for (const k of list(col.constraints)) {
        const con = bodyOf(k, 'Constraint');
        if (!con) continue;
        let span: Span | undefined;
        let what = '';
        if (con.contype === 'CONSTR_DEFAULT') {
          const call = volatileCall(con.raw_expr);
          if (!call) continue;
          span = callSpan(text, call);
          what = `The default ${text.slice(span.start, span.end)} is volatile (a new value per row), so PostgreSQL ${rewrite}. Add the column without a default (or with a constant one), set the default afterwards, and backfill existing rows in batches.`;
        } else if (con.contype === 'CONSTR_IDENTITY') {
          span = spanThrough(text, con.location, 'identity', 8);
          what = `Adding the identity column ${column} numbers every existing row, so PostgreSQL ${rewrite}. Add a nullable column, backfill it in batches, then make it an identity column.`;
        } else if (con.contype === 'CONSTR_GENERATED' && con.generated_kind !== 'v') {
          span = spanThrough(text, con.location, 'as', 4);
          what = `Adding the stored generated column ${column} computes it for every existing row, so PostgreSQL ${rewrite}. Consider a plain column filled by a trigger and a batched backfill, or a virtual generated column (PostgreSQL 18).`;
        } else continue;
        report({ ...span, message: what });
      }
    }
  },
};
