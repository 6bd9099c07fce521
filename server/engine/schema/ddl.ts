/**
 * DDL statement (libpg-query AST) -> the schema operations it performs. Pure; statements
 * that change no table, column, key or index yield nothing.
 */
import { bodyOf, list, names, typeNameOf, type Node } from '../rules/ddl-util';
import type { ConstraintDef, SchemaColumn, SchemaIndex, SchemaOp, TableKind } from './model';

/** serial types are integers with a default */
const SERIAL: Record<string, string> = { serial: 'int4', serial4: 'int4', bigserial: 'int8', serial8: 'int8', smallserial: 'int2', serial2: 'int2' };

/** The operations of one statement (the `stmt` of a RawStmt). */
export function ddlOps(ast: Record<string, unknown>): SchemaOp[] {
  for (const type in ast) {
    const body = ast[type] as Node;
    if (!body || typeof body !== 'object') return [];
    switch (type) {
      case 'CreateStmt':
        return createTable(body, 'table');
      case 'CreateForeignTableStmt':
        return createTable(bodyOf(body.base, 'CreateStmt') ?? (body.base as Node) ?? {}, 'foreign');
      case 'ViewStmt':
        return opaque(body.view as Node, 'view');
      case 'CreateTableAsStmt':
        return opaque(((body.into as Node) ?? {}).rel as Node, body.objtype === 'OBJECT_MATVIEW' ? 'matview' : 'table');
      case 'SelectStmt':
        return body.intoClause ? opaque(((body.intoClause as Node) ?? {}).rel as Node, 'table') : [];
      case 'CreateSeqStmt':
        return opaque(body.sequence as Node, 'sequence');
      case 'IndexStmt':
        return createIndex(body);
      case 'AlterTableStmt':
        return body.objtype === 'OBJECT_TABLE' || body.objtype === 'OBJECT_FOREIGN_TABLE' ? alterTable(body) : [];
      case 'RenameStmt':
        return rename(body);
      case 'DropStmt':
        return drop(body);
      case 'CreateSchemaStmt':
        return createSchema(body);
      case 'CreateFunctionStmt':
      case 'DoStmt':
        return namesInBody(body);
      default:
        return [];
    }
  }
  return [];
}

/** CREATE SCHEMA s CREATE TABLE t ... CREATE INDEX ...: the elements, placed in s. */
function createSchema(body: Node): SchemaOp[] {
  const schema = typeof body.schemaname === 'string' ? body.schemaname : undefined;
  const out: SchemaOp[] = [];
  for (const el of list(body.schemaElts)) {
    for (const op of ddlOps(el as Record<string, unknown>)) {
      out.push(schema && op.op !== 'name' && op.schema === undefined && !(op.op === 'create-table' && op.temporary) ? { ...op, schema } : op);
    }
  }
  return out;
}

const CREATED_IN_BODY = /\bcreate\s+(?:(?:global\s+|local\s+)?(?:temp|temporary|unlogged)\s+)?(?:table|(?:materialized\s+)?view|sequence)\s+(?:if\s+not\s+exists\s+)?(?:[\w$]+\.)?([\w$]+)/gi;

/**
 * Relations a function or DO body creates (dynamic DDL we cannot model): their names are
 * recorded so that queries naming them are not called unknown.
 */
function namesInBody(body: Node): SchemaOp[] {
  const out: SchemaOp[] = [];
  const texts: string[] = [];
  for (const o of list(body.options ?? body.args)) {
    const d = bodyOf(o, 'DefElem');
    if (d?.defname !== 'as') continue;
    const arg = d.arg as Node | undefined;
    const s = bodyOf(arg, 'String')?.sval;
    if (typeof s === 'string') texts.push(s);
    for (const x of list(bodyOf(arg, 'List')?.items)) {
      const v = bodyOf(x, 'String')?.sval;
      if (typeof v === 'string') texts.push(v);
    }
  }
  for (const t of texts) for (const m of t.matchAll(CREATED_IN_BODY)) out.push({ op: 'name', name: m[1].toLowerCase() });
  return out;
}

function rel(n: Node | undefined): { schema?: string; name: string; temporary: boolean } | undefined {
  if (!n || typeof n.relname !== 'string') return undefined;
  const out: { schema?: string; name: string; temporary: boolean } = { name: n.relname, temporary: n.relpersistence === 't' || n.schemaname === 'pg_temp' };
  if (typeof n.schemaname === 'string' && n.schemaname !== 'pg_temp') out.schema = n.schemaname;
  return out;
}

function column(def: Node): SchemaColumn {
  const t = typeNameOf(def.typeName);
  return { name: String(def.colname ?? ''), type: SERIAL[t] ?? t };
}

function createTable(body: Node, kind: TableKind): SchemaOp[] {
  const r = rel(body.relation as Node);
  if (!r) return [];
  const columns: SchemaColumn[] = [];
  const constraints: ConstraintDef[] = [];
  const copyFrom: Array<{ schema?: string; name: string; at?: number }> = [];
  let columnsKnown = !body.ofTypename;
  for (const el of list(body.tableElts)) {
    const col = bodyOf(el, 'ColumnDef');
    if (col) {
      const c = column(col);
      columns.push(c);
      for (const k of list(col.constraints)) {
        const con = constraint(bodyOf(k, 'Constraint'), [c.name]);
        if (con) constraints.push(con);
      }
      continue;
    }
    const con = constraint(bodyOf(el, 'Constraint'));
    if (con) {
      constraints.push(con);
      continue;
    }
    const like = bodyOf(el, 'TableLikeClause');
    const from = like && rel(like.relation as Node);
    if (from) copyFrom.push({ ...from, at: columns.length });
    else if (like) columnsKnown = false;
  }
  // inherited columns come before all others, parents in order
  const inherited = list(body.inhRelations)
    .map((p) => rel(bodyOf(p, 'RangeVar')))
    .filter((r): r is NonNullable<typeof r> => !!r);
  copyFrom.unshift(...inherited);
  const derived = list(body.inhRelations).length > 0 || !!body.partbound;
  return [{ op: 'create-table', ...(r.schema ? { schema: r.schema } : {}), name: r.name, kind, temporary: r.temporary, derived, columnsKnown, columns, copyFrom, constraints }];
}

function opaque(n: Node | undefined, kind: TableKind): SchemaOp[] {
  const r = rel(n);
  if (!r) return [];
  return [{ op: 'create-table', ...(r.schema ? { schema: r.schema } : {}), name: r.name, kind, temporary: r.temporary, derived: false, columnsKnown: false, columns: [], copyFrom: [], constraints: [] }];
}

/** PRIMARY KEY, UNIQUE and FOREIGN KEY constraints; `own` is the column of an inline one. */
function constraint(con: Node | undefined, own?: string[]): ConstraintDef | undefined {
  if (!con) return undefined;
  const name = typeof con.conname === 'string' ? { name: con.conname } : {};
  switch (con.contype) {
    case 'CONSTR_PRIMARY':
    case 'CONSTR_UNIQUE': {
      // USING INDEX: the index is already in the model under its own name
      if (typeof con.indexname === 'string') return undefined;
      const columns = own ?? names(con.keys);
      return columns.length ? { type: con.contype === 'CONSTR_PRIMARY' ? 'primary' : 'unique', ...name, columns } : undefined;
    }
    case 'CONSTR_FOREIGN': {
      const ref = rel(con.pktable as Node);
      const columns = own ?? names(con.fk_attrs);
      if (!ref || columns.length === 0) return undefined;
      return { type: 'foreign', ...name, columns, ref: ref.schema ? { schema: ref.schema, name: ref.name } : { name: ref.name } };
    }
    default:
      return undefined;
  }
}

function createIndex(body: Node): SchemaOp[] {
  const r = rel(body.relation as Node);
  if (!r) return [];
  const index: SchemaIndex = {
    columns: list(body.indexParams).map((p) => {
      const el = bodyOf(p, 'IndexElem');
      return el && typeof el.name === 'string' ? el.name : null;
    }),
    unique: !!body.unique,
    primary: !!body.primary,
    partial: !!body.whereClause,
    method: String(body.accessMethod ?? 'btree'),
  };
  if (typeof body.idxname === 'string') index.name = body.idxname;
  return [{ op: 'create-index', ...(r.schema ? { schema: r.schema } : {}), table: r.name, index }];
}

function alterTable(body: Node): SchemaOp[] {
  const r = rel(body.relation as Node);
  if (!r) return [];
  const at = { ...(r.schema ? { schema: r.schema } : {}), table: r.name };
  const out: SchemaOp[] = [];
  for (const item of list(body.cmds)) {
    const cmd = bodyOf(item, 'AlterTableCmd');
    if (!cmd) continue;
    const colDef = bodyOf(cmd.def, 'ColumnDef');
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        if (!colDef) break;
        const c = column(colDef);
        const constraints = list(colDef.constraints)
          .map((k) => constraint(bodyOf(k, 'Constraint'), [c.name]))
          .filter((k): k is ConstraintDef => !!k);
        out.push({ op: 'add-column', ...at, column: c, constraints });
        break;
      }
      case 'AT_DropColumn':
        if (typeof cmd.name === 'string') out.push({ op: 'drop-column', ...at, column: cmd.name });
        break;
      case 'AT_AlterColumnType':
        if (typeof cmd.name === 'string' && colDef) out.push({ op: 'alter-column-type', ...at, column: cmd.name, type: column(colDef).type });
        break;
      case 'AT_AddConstraint': {
        const con = constraint(bodyOf(cmd.def, 'Constraint'));
        if (con) out.push({ op: 'add-constraint', ...at, constraint: con });
        break;
      }
      case 'AT_DropConstraint':
        if (typeof cmd.name === 'string') out.push({ op: 'drop-constraint', ...at, name: cmd.name });
        break;
      default:
        break;
    }
  }
  return out;
}

function rename(body: Node): SchemaOp[] {
  const r = rel(body.relation as Node);
  if (!r || typeof body.newname !== 'string') return [];
  const at = { ...(r.schema ? { schema: r.schema } : {}), table: r.name };
  if (body.renameType === 'OBJECT_COLUMN' && typeof body.subname === 'string') return [{ op: 'rename-column', ...at, column: body.subname, to: body.newname }];
  if (body.renameType === 'OBJECT_TABLE' || body.renameType === 'OBJECT_VIEW' || body.renameType === 'OBJECT_MATVIEW' || body.renameType === 'OBJECT_FOREIGN_TABLE') {
    return [{ op: 'rename-table', ...at, to: body.newname }];
  }
  return [];
}

const DROPPED = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE', 'OBJECT_SEQUENCE']);

function drop(body: Node): SchemaOp[] {
  const isIndex = body.removeType === 'OBJECT_INDEX';
  if (!isIndex && !DROPPED.has(String(body.removeType))) return [];
  const out: SchemaOp[] = [];
  for (const o of list(body.objects)) {
    const parts = names(bodyOf(o, 'List')?.items);
    const name = parts[parts.length - 1];
    if (!name) continue;
    const schema = parts.length > 1 ? { schema: parts[parts.length - 2] } : {};
    out.push(isIndex ? { op: 'drop-index', ...schema, name } : { op: 'drop-table', ...schema, name });
  }
  return out;
}
