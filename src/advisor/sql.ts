/**
 * Index definitions as SQL text, identifiers always quoted. Pure.
 */
import type { Candidate, IndexKey } from './types';

/** PostgreSQL's quote_ident, always quoting (safe for every name: spaces, quotes, case). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function qualifiedName(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

function keySql(k: IndexKey): string {
  const base = k.column !== undefined ? quoteIdent(k.column) : `(${k.expression})`;
  return k.opclass ? `${base} ${k.opclass}` : base;
}

/** `USING gin ("name" gin_trgm_ops) INCLUDE (...) WHERE ...`: what follows `ON table`. */
export function indexBody(c: Pick<Candidate, 'method' | 'keys' | 'include' | 'where'>): string {
  let s = c.method === 'btree' ? '' : ` USING ${c.method}`;
  s += ` (${c.keys.map(keySql).join(', ')})`;
  if (c.include.length) s += ` INCLUDE (${c.include.map(quoteIdent).join(', ')})`;
  if (c.where) s += ` WHERE ${c.where}`;
  return s;
}

export interface DefinitionOptions {
  concurrently?: boolean;
  /** index name; omitted lets PostgreSQL choose */
  name?: string;
}

export function createIndexSql(c: Pick<Candidate, 'schema' | 'table' | 'method' | 'keys' | 'include' | 'where'>, o: DefinitionOptions = {}): string {
  const head = `CREATE INDEX${o.concurrently ? ' CONCURRENTLY' : ''}${o.name ? ` ${quoteIdent(o.name)}` : ''}`;
  return `${head} ON ${qualifiedName(c.schema, c.table)}${indexBody(c)}`;
}

/** A readable index name in PostgreSQL's style: table_col1_col2_idx, at most 63 bytes. */
export function suggestedIndexName(c: Pick<Candidate, 'table' | 'keys' | 'where'>): string {
  const parts = c.keys.map((k) => k.column ?? (k.expression ?? 'expr').replace(/"/g, '').replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_|_$/g, ''));
  let name = [c.table, ...parts].join('_') + (c.where ? '_partial' : '') + '_idx';
  while (Buffer.byteLength(name) > 63) name = name.slice(0, -1);
  return name;
}

/** The definition shown to the user: CREATE INDEX CONCURRENTLY with a name, ending with ';'. */
export function suggestedDefinition(c: Candidate): string {
  return `${createIndexSql(c, { concurrently: true, name: suggestedIndexName(c) })};`;
}
