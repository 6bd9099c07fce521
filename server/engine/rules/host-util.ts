/**
 * Shared questions of the host-file rules (pool-*, client-not-released, sequential-independent-
 * queries, sql-string-interpolation) about a HostModel: is this a pool, a pool construction, a
 * single connection, a SQL call, a constant.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { namedKids } from '../extract/adapter';
import { callMatcher, matchesCall } from '../extract/call-matcher';
import type { HostCall, HostModel } from '../extract/host-model';

export type PoolLibrary = 'node-postgres' | 'mysql' | 'sqlalchemy' | 'asyncpg' | 'psycopg_pool' | 'database/sql' | 'pgxpool';

const GO_OPENERS: Record<string, PoolLibrary> = {
  'sql.Open': 'database/sql',
  'sqlx.Open': 'database/sql',
  'sqlx.Connect': 'database/sql',
  'sqlx.MustConnect': 'database/sql',
  'sqlx.MustOpen': 'database/sql',
  'pgxpool.New': 'pgxpool',
  'pgxpool.NewWithConfig': 'pgxpool',
  'pgxpool.Connect': 'pgxpool',
  'pgxpool.ConnectConfig': 'pgxpool',
};

/** The library whose pool the call creates, or null. */
export function poolConstruction(model: HostModel, c: HostCall): PoolLibrary | null {
  switch (model.family) {
    case 'js':
      if (c.isNew) return c.last === 'Pool' ? 'node-postgres' : null;
      return c.last === 'createPool' && c.receiver !== '' ? 'mysql' : null;
    case 'python':
      if (c.last === 'create_engine' || c.last === 'create_async_engine') return 'sqlalchemy';
      if (c.last === 'create_pool' && /(^|\.)asyncpg$/.test(c.receiver)) return 'asyncpg';
      if (c.last === 'ConnectionPool' || c.last === 'AsyncConnectionPool') return 'psycopg_pool';
      return null;
    case 'go':
      return GO_OPENERS[c.name] ?? null;
  }
}

/** Go types of a pool handle: a parameter of such a type is a pool. */
const GO_POOL_TYPES = new Set(['*sql.DB', '*sqlx.DB', '*pgxpool.Pool']);

/** Names in the file that hold a pool: assigned from a pool construction, or (Go) parameters of a pool type. */
export function poolNames(model: HostModel): Set<string> {
  const names = new Set<string>();
  for (const node of model.calls) {
    const c = model.call(node);
    if (!c || !poolConstruction(model, c)) continue;
    const target = assignedName(model, node);
    if (target) names.add(target.replace(/^(this|self)\./, ''));
  }
  if (model.family === 'go') {
    for (const f of model.functions) for (const p of f.params) if (GO_POOL_TYPES.has(p.type.replace(/\s+/g, ''))) names.add(p.name);
  }
  return names;
}

/** The variable (or `this.x` / `self.x`) a value is assigned to, when the call is the whole right side. */
export function assignedName(model: HostModel, node: Node): string | null {
  let p = node.parent;
  while (p && (p.type === 'await_expression' || p.type === 'await' || p.type === 'parenthesized_expression')) p = p.parent;
  if (!p) return null;
  switch (p.type) {
    case 'variable_declarator':
      return p.childForFieldName('name')?.text ?? null;
    case 'assignment_expression':
    case 'assignment':
      return p.childForFieldName('left')?.text ?? null;
    case 'expression_list': {
      // Go: `db, err := sql.Open(...)`
      const stmt = p.parent;
      if (stmt && (stmt.type === 'short_var_declaration' || stmt.type === 'assignment_statement')) {
        return namedKids(stmt.childForFieldName('left') ?? stmt)[0]?.text ?? null;
      }
      return null;
    }
    case 'pair':
      return p.childForFieldName('key')?.text ?? null;
  }
  return null;
}

/** Names that usually hold one connection (or a transaction) rather than a pool. */
const CONNECTION_NAME = /(^|\.)(client|conn|connection|cx|tx|trx|txn|transaction|session|cursor|cur|c)$/i;

/** A receiver that is a single connection or transaction: sequential by nature, and its own transaction scope. */
export function isConnectionReceiver(receiver: string): boolean {
  return CONNECTION_NAME.test(receiver);
}

/** A receiver that is a pool: a known pool variable, or named like one (`pool`, `this.pgPool`, `engine`). */
export function isPoolReceiver(model: HostModel, receiver: string, pools: Set<string>): boolean {
  const bare = receiver.replace(/^(this|self)\./, '');
  if (pools.has(bare)) return true;
  if (model.family === 'go') return false; // `db` may be a *sql.DB or a *sql.Tx: only what the file shows
  return /(^|\.)(\w*pool|\w*Pool|engine)$/i.test(receiver);
}

/** Whether the callee is a configured SQL call (`embedded.calls`: bare names match the last member, dotted ones the end). */
export function isSqlCall(c: HostCall, calls: readonly string[]): boolean {
  return matchesCall(callMatcher(calls), c.last, () => c.name);
}

/** Text content of a plain string literal (no interpolation), else null. */
export function literalText(node: Node | null | undefined): string | null {
  if (!node) return null;
  switch (node.type) {
    case 'string': {
      // JS 'x' / "x"; Python strings (prefixes like r, b); f-strings with interpolation are not literal
      if (namedKids(node).some((k) => k.type === 'interpolation' || k.type === 'template_substitution')) return null;
      const m = /^[A-Za-z]*("""|'''|"|')([\s\S]*)\1$/.exec(node.text);
      return m ? m[2] : null;
    }
    case 'template_string':
      return namedKids(node).some((k) => k.type === 'template_substitution') ? null : node.text.slice(1, -1);
    case 'interpreted_string_literal':
    case 'raw_string_literal':
      return node.text.slice(1, -1);
    case 'concatenated_string': {
      // Python implicit concatenation "a" "b"
      let out = '';
      for (const k of namedKids(node)) {
        const t = literalText(k);
        if (t === null) return null;
        out += t;
      }
      return out;
    }
  }
  return null;
}

/** First word of SQL text, lower case ('' when none). */
export function firstWord(sql: string): string {
  const m = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z_]+)/.exec(sql);
  return m ? m[1].toLowerCase() : '';
}

/** 1-based line of an offset, for messages. */
export function lineOf(node: Node): number {
  return node.startPosition.row + 1;
}

/** The calls inside [start, end), in document order. */
export function callsWithin(model: HostModel, start: number, end: number): HostCall[] {
  const out: HostCall[] = [];
  for (const n of model.calls) {
    if (n.startIndex < start) continue;
    if (n.startIndex >= end) break;
    const c = model.call(n);
    if (c) out.push(c);
  }
  return out;
}
