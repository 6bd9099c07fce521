/**
 * CREATE TABLE with an `integer` / `serial` key: a primary key, an identity column or a
 * serial column tops out at 2,147,483,647, and widening it later rewrites the table (and
 * every referencing column) under an ACCESS EXCLUSIVE lock. `bigint` costs 4 more bytes a
 * row. Quick fix: integer -> bigint, serial -> bigserial.
 *
 * Not reported: smallint / smallserial (a deliberate choice for small lookup tables);
 * multi-column primary keys; a key column that is also a foreign key (its type follows the
 * referenced table); temporary tables; partitions (`PARTITION OF`: the parent decides).
 */
import type { Rule } from '../types';
import { bodyOf, isTempRelation, list, names, offsetOf, qualifiedNameEnd, quoteIdent, tokenIndexAt, tokenSpan, tokensOf, typeNameOf, type Node } from './ddl-util';

const INT4 = new Set(['int4', 'serial', 'serial4']);

export const preferBigintKeys: Rule = {
  meta: {
    id: 'prefer-bigint-keys',
    category: 'locking',
    defaultSeverity: 'information',
    needs: [],
    postgresOnly: true,
    description: 'Integer or serial keys run out at 2^31 rows, and widening them later rewrites the table under lock.',
  },
  check({ ast, text, report }) {
    const stmt = bodyOf(ast, 'CreateStmt');
    if (!stmt || isTempRelation(stmt.relation as Node) || stmt.partbound || stmt.ofTypename) return;
    const elts = list(stmt.tableElts);
    // table-level PRIMARY KEY (one column) and FOREIGN KEY columns
    let pkColumn: string | undefined;
    const fkColumns = new Set<string>();
    for (const e of elts) {
      const con = bodyOf(e, 'Constraint');
      if (!con) continue;
      if (con.contype === 'CONSTR_PRIMARY' && list(con.keys).length === 1 && !con.indexname) pkColumn = names(con.keys)[0];
      if (con.contype === 'CONSTR_FOREIGN') for (const c of names(con.fk_attrs)) fkColumns.add(c);
    }
    for (const e of elts) {
      const col = bodyOf(e, 'ColumnDef');
      if (!col || typeof col.colname !== 'string') continue;
      const typeName = col.typeName as Node | undefined;
      if (!typeName || (Array.isArray(typeName.arrayBounds) && typeName.arrayBounds.length)) continue;
      const type = typeNameOf(typeName);
      if (!INT4.has(type)) continue;
      const serial = type !== 'int4';
      // `serial` written as a plain name: `pg_catalog.serial` does not exist
      if (serial && names(typeName.names).length !== 1) continue;
      const cons = list(col.constraints).map((c) => bodyOf(c, 'Constraint')).filter((c): c is Node => !!c);
      if (cons.some((c) => c.contype === 'CONSTR_FOREIGN') || fkColumns.has(col.colname)) continue;
      const identity = cons.some((c) => c.contype === 'CONSTR_IDENTITY');
      const pk = cons.some((c) => c.contype === 'CONSTR_PRIMARY') || pkColumn === col.colname;
      if (!serial && !identity && !pk) continue;
      const tokens = tokensOf(text);
      const i = tokenIndexAt(tokens, offsetOf(text, typeName.location));
      if (i >= tokens.length) continue;
      const span = tokenSpan(tokens, i, qualifiedNameEnd(text, tokens, i));
      const written = text.slice(span.start, span.end);
      const wide = serial ? 'bigserial' : 'bigint';
      const role = pk ? 'primary key' : identity ? 'identity column' : 'serial column';
      report({
        ...span,
        message: `The ${role} ${quoteIdent(col.colname)} is a 32-bit ${serial ? 'serial' : 'integer'}: it runs out at 2,147,483,647, and widening it later rewrites the table (and every column referencing it) under an ACCESS EXCLUSIVE lock. Use ${wide}: 4 more bytes a row.`,
        fix: {
          title: `Use ${wide}`,
          edits: [{ start: span.start, end: span.end, newText: written === written.toUpperCase() ? wide.toUpperCase() : wide }],
        },
      });
    }
  },
};
