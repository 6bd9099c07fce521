/**
 * extractFacts: one statement's AST (a RawStmt's `stmt`) and text in, Facts out.
 *
 * Modules: walker (shared state, depth guard, scopes), lexer + tokens (source ranges),
 * select (query blocks), from (FROM items, joins, connectivity), clauses (ORDER BY, LIMIT,
 * locking), predicates (expressions), operands, dml, ddl. The Facts shape is in types.ts.
 */
import { ddlFacts } from './ddl';
import { walkDml } from './dml';
import { walkSelect } from './select';
import { asNode, blockInit, unwrap, Collector, type Node } from './walker';
import type { Facts, StatementKind, Wrapper } from './types';

export type { Facts } from './types';
export { MAX_DEPTH } from './walker';

const WRAPPERS: Record<string, Wrapper> = {
  ExplainStmt: 'explain',
  PrepareStmt: 'prepare',
  DeclareCursorStmt: 'declare-cursor',
  CreateTableAsStmt: 'create-table-as',
  ViewStmt: 'create-view',
  CopyStmt: 'copy',
};

const DML_KINDS: Record<string, StatementKind> = {
  InsertStmt: 'insert',
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  MergeStmt: 'merge',
};

export function extractFacts(ast: Record<string, unknown>, text: string): Facts {
  const c = new Collector(text);
  const top = unwrap(ast);
  if (!top) return c.finish();
  c.facts.astKind = top[0];
  let [type, body] = top;
  const wrapper = WRAPPERS[type];
  if (wrapper) {
    const inner = unwrap(body.query);
    if (!inner) return c.finish();
    c.facts.wrapper = wrapper;
    [type, body] = inner;
  }
  statement(c, type, body);
  if (text.includes('$')) collectParams(c, ast);
  return c.finish();
}

function statement(c: Collector, type: string, body: Node): void {
  if (type === 'SelectStmt') {
    c.facts.kind = 'select';
    walkSelect(c, body, null, blockInit('statement', 0), null);
    return;
  }
  const dml = DML_KINDS[type];
  if (dml) {
    c.facts.kind = dml;
    walkDml(c, type, body, null, blockInit('statement', 0), null);
    return;
  }
  const ddl = ddlFacts(c, type, body);
  if (ddl) {
    c.facts.kind = ddl.kind;
    c.facts.ddl.push(ddl);
  }
}

/** Every `$n` in the statement, DDL included. Iterative: the AST can be thousands deep. */
function collectParams(c: Collector, root: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const v of n) stack.push(v);
      continue;
    }
    const o = n as Node;
    const p = asNode(o.ParamRef);
    if (p && typeof p.number === 'number') c.param(p.number);
    for (const k in o) {
      const v = o[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
}
