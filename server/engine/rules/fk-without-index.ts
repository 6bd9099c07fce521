/**
 * A FOREIGN KEY whose referencing columns lead no index of the referencing table. Deleting
 * a parent row (or changing its key) makes PostgreSQL look for referencing rows, and without
 * such an index every one of those checks reads the whole child table; joins from parent to
 * children have no index either.
 *
 * Reported where the key is declared (CREATE TABLE or ALTER TABLE ... ADD), against the
 * workspace's final schema: an index created later, in this file or another, counts.
 * Temporary and partition / inheritance-child tables are skipped.
 */
import { leadsIndex } from '../schema/model';
import type { Rule } from '../types';
import { bodyOf, list, names, offsetOf, type Node } from './ddl-util';
import { displayName } from './schema-util';

export const fkWithoutIndex: Rule = {
  meta: {
    id: 'fk-without-index',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: ['schema'],
    postgresOnly: true,
    description: 'A foreign key without an index on its columns makes every delete or key update of the parent scan the child table.',
  },
  check({ ast, text, schema, report }) {
    if (!schema) return;
    const create = bodyOf(ast, 'CreateStmt');
    const alter = bodyOf(ast, 'AlterTableStmt');
    const rel = (create?.relation ?? alter?.relation) as Node | undefined;
    if (!rel || typeof rel.relname !== 'string' || rel.relpersistence === 't') return;
    const table = schema.table(typeof rel.schemaname === 'string' ? rel.schemaname : undefined, rel.relname);
    if (!table || table.kind !== 'table' || table.derived || table.temporary || table.conflict) return;
    const found: Array<{ columns: string[]; start: number; end: number }> = [];
    const tableConstraint = (con: Node | undefined) => {
      if (!con || con.contype !== 'CONSTR_FOREIGN') return;
      const start = offsetOf(text, con.location);
      const close = text.indexOf(')', start);
      found.push({ columns: names(con.fk_attrs), start, end: close > start ? close + 1 : start + 1 });
    };
    const columnDef = (col: Node | undefined) => {
      if (!col) return;
      for (const k of list(col.constraints)) {
        const con = bodyOf(k, 'Constraint');
        if (con?.contype !== 'CONSTR_FOREIGN') continue;
        const start = offsetOf(text, col.location);
        found.push({ columns: [String(col.colname)], start, end: start + wordLength(text, start) });
      }
    };
    if (create) {
      for (const el of list(create.tableElts)) {
        columnDef(bodyOf(el, 'ColumnDef'));
        tableConstraint(bodyOf(el, 'Constraint'));
      }
    } else if (alter) {
      for (const item of list(alter.cmds)) {
        const cmd = bodyOf(item, 'AlterTableCmd');
        if (cmd?.subtype === 'AT_AddColumn') columnDef(bodyOf(cmd.def, 'ColumnDef'));
        if (cmd?.subtype === 'AT_AddConstraint') tableConstraint(bodyOf(cmd.def, 'Constraint'));
      }
    }
    for (const fk of found) {
      // the key may have been dropped later, or the column renamed: only keys the final schema holds
      if (fk.columns.length === 0 || !table.foreignKeys.some((k) => sameSet(k.columns, fk.columns))) continue;
      if (leadsIndex(table, fk.columns)) continue;
      const t = displayName(table);
      report({
        start: fk.start,
        end: fk.end,
        message: `No index of ${t} starts with the foreign key's column${fk.columns.length > 1 ? 's' : ''} (${fk.columns.join(', ')}): every delete or key update in the referenced table scans ${t}. Add CREATE INDEX ON ${t} (${fk.columns.join(', ')}).`,
      });
    }
  },
};

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/** Length of the identifier at `start` (quoted or not). */
function wordLength(text: string, start: number): number {
  if (text[start] === '"') {
    const close = text.indexOf('"', start + 1);
    return close > start ? close - start + 1 : 1;
  }
  const m = /^[\p{L}\p{N}_$]+/u.exec(text.slice(start, start + 200));
  return m ? m[0].length : 1;
}
