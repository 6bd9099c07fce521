/**
 * DDL facts: what a migration statement does to which table, with the details that decide
 * how long it locks (CONCURRENTLY, NOT VALID, volatile defaults, ...).
 */
import { nodeSpan, nodeTokens } from './tokens';
import { volatileCall } from './volatile';
import { rangeVarSpan } from './from';
import { asArray, asNode, strings, unwrap, type Collector, type Node } from './walker';
import type { AlterAction, AlterTable, CreateIndex, DdlAction, Span } from './types';

/** The DDL action of a statement, or undefined when it is not one we describe. */
export function ddlFacts(c: Collector, type: string, body: Node): DdlAction | undefined {
  switch (type) {
    case 'IndexStmt':
      return createIndex(c, body);
    case 'AlterTableStmt':
      return body.objtype === 'OBJECT_TABLE' ? alterTable(c, body) : undefined;
    case 'DropStmt':
      if (body.removeType !== 'OBJECT_INDEX') return undefined;
      return {
        kind: 'drop-index',
        concurrently: !!body.concurrent,
        names: asArray(body.objects).map((o) => strings(unwrap(o)?.[1].items).join('.')),
      };
    case 'CreateStmt': {
      const rel = asNode(body.relation) ?? {};
      const out = {
        kind: 'create-table' as const,
        table: String(rel.relname ?? ''),
        temporary: rel.relpersistence === 't',
        tableSpan: rangeVarSpan(c.tokens, rel),
      };
      return typeof rel.schemaname === 'string' ? { ...out, schema: rel.schemaname } : out;
    }
    default:
      return undefined;
  }
}

function createIndex(c: Collector, body: Node): CreateIndex {
  const t = c.tokens;
  const rel = asNode(body.relation) ?? {};
  // CREATE [UNIQUE] INDEX [CONCURRENTLY]: the statement's first tokens
  let idx = -1;
  for (let i = 0; i < 4 && t.has(i); i++) if (t.word(i) === 'index') idx = i;
  const headEnd = idx >= 0 && t.word(idx + 1) === 'concurrently' ? idx + 1 : Math.max(idx, 0);
  const head: Span = idx >= 0 ? t.span(0, headEnd) : c.facts.head;
  const columns = asArray(body.indexParams).map((p) => {
    const el = unwrap(p)?.[1];
    if (!el) return '';
    if (typeof el.name === 'string') return el.name;
    const s = nodeSpan(t, el.expr);
    return c.text.slice(s.start, s.end);
  });
  const out: CreateIndex = {
    kind: 'create-index',
    table: String(rel.relname ?? ''),
    concurrently: !!body.concurrent,
    unique: !!body.unique,
    only: rel.inh !== true,
    method: String(body.accessMethod ?? 'btree'),
    columns,
    partial: !!body.whereClause,
    head,
    concurrentlyAt: idx >= 0 ? t.span(idx, idx).end : head.end,
    tableSpan: rangeVarSpan(t, rel),
  };
  if (typeof rel.schemaname === 'string') out.schema = rel.schemaname;
  if (typeof body.idxname === 'string') out.name = body.idxname;
  return out;
}

const SUBTYPES: Record<string, AlterAction> = {
  AT_AddColumn: 'add-column',
  AT_DropColumn: 'drop-column',
  AT_AlterColumnType: 'alter-column-type',
  AT_ColumnDefault: 'set-default',
  AT_SetNotNull: 'set-not-null',
  AT_DropNotNull: 'drop-not-null',
  AT_AddConstraint: 'add-constraint',
  AT_ValidateConstraint: 'validate-constraint',
  AT_DropConstraint: 'drop-constraint',
  AT_AttachPartition: 'attach-partition',
  AT_DetachPartition: 'detach-partition',
};

const CONSTRAINTS: Record<string, string> = {
  CONSTR_FOREIGN: 'foreign-key',
  CONSTR_CHECK: 'check',
  CONSTR_UNIQUE: 'unique',
  CONSTR_PRIMARY: 'primary-key',
  CONSTR_EXCLUSION: 'exclusion',
  CONSTR_NOTNULL: 'not-null',
};

/** Defaults PostgreSQL must evaluate per row (forcing a table rewrite on ADD COLUMN). */
function alterTable(c: Collector, body: Node): AlterTable {
  const rel = asNode(body.relation) ?? {};
  const tableSpan = rangeVarSpan(c.tokens, rel);
  const actions: AlterTable['actions'] = [];
  for (const item of asArray(body.cmds)) {
    const cmd = unwrap(item)?.[1];
    if (!cmd) continue;
    const subtype = String(cmd.subtype ?? '');
    let action: AlterAction = SUBTYPES[subtype] ?? 'other';
    if (subtype === 'AT_ColumnDefault' && !cmd.def) action = 'drop-default';
    const def = unwrap(cmd.def);
    const r = def ? nodeTokens(c.tokens, cmd.def) : null;
    const entry: AlterTable['actions'][number] = { action, subtype, span: r ? c.tokens.span(r[0], r[1]) : tableSpan };
    if (typeof cmd.name === 'string') entry.column = cmd.name;
    if (def && def[0] === 'ColumnDef') {
      if (typeof def[1].colname === 'string') entry.column = def[1].colname;
      for (const k of asArray(def[1].constraints)) {
        const con = unwrap(k)?.[1];
        if (!con) continue;
        if (con.contype === 'CONSTR_DEFAULT') entry.default = { volatile: volatileCall(con.raw_expr) !== undefined };
        if (con.contype === 'CONSTR_NOTNULL') entry.notNull = true;
      }
    }
    if (def && def[0] === 'Constraint') {
      const con = def[1];
      const info = { type: CONSTRAINTS[String(con.contype)] ?? String(con.contype ?? '').replace(/^CONSTR_/, '').toLowerCase(), notValid: !!con.skip_validation, usingIndex: typeof con.indexname === 'string' } as {
        type: string;
        name?: string;
        notValid: boolean;
        usingIndex: boolean;
      };
      if (typeof con.conname === 'string') info.name = con.conname;
      entry.constraint = info;
    }
    if (def && def[0] === 'PartitionCmd') entry.concurrently = !!def[1].concurrent;
    actions.push(entry);
  }
  const out: AlterTable = { kind: 'alter-table', table: String(rel.relname ?? ''), actions, tableSpan };
  if (typeof rel.schemaname === 'string') out.schema = rel.schemaname;
  return out;
}
