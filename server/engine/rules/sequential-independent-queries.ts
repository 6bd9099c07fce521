/**
 * Queries awaited one after the other although neither needs the other's result. Each waits
 * for the previous round trip; through a pool they can run at the same time on separate
 * connections (`Promise.all`, `asyncio.gather`, goroutines with errgroup), so the request
 * takes the longest query's time instead of the sum.
 *
 * A run is consecutive statements of one block, each awaiting (Go: making) one query through a
 * pool. A query joins the run when its statement mentions none of the names the earlier ones
 * bound (`const { rows } = ...`, Go `Scan(&x)` targets). Go allows `if err != nil { ... }`
 * and `defer` between the queries.
 *
 * Only plain reads are considered: a write may be needed before the next statement even when
 * no value flows between them (a parent row before its child).
 *
 * Not reported: queries on a single connection or transaction (`client`, `conn`, `tx`, a
 * client from `pool.connect()`, a function that sends BEGIN): one connection runs them in
 * order anyway; a query that uses an earlier result; a query run only under a condition on an
 * earlier result (it is not in the same block).
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { namedKids } from '../extract/adapter';
import { mentions, type HostModel } from '../extract/host-model';
import type { Rule } from '../types';
import { firstWord, isConnectionReceiver, isPoolReceiver, isSqlCall, lineOf, literalText, poolNames } from './host-util';

interface Step {
  stmt: Node;
  call: Node;
  callee: Node;
  receiver: string;
  /** names this statement binds */
  bound: string[];
}

const GO_QUERIES = new Set(['Query', 'QueryRow', 'QueryContext', 'QueryRowContext', 'Exec', 'ExecContext', 'Get', 'Select', 'GetContext', 'SelectContext']);

export const sequentialIndependentQueries: Rule = {
  meta: {
    id: 'sequential-independent-queries',
    category: 'host-code',
    defaultSeverity: 'information',
    needs: [],
    hostOnly: true,
    description: 'Queries awaited one after another though none uses the result of another: through a pool they can run concurrently.',
  },
  check() {},
  checkHostFile({ model, calls, report }) {
    if (model.family !== 'go' && !/\bawait\b/.test(model.text)) return;
    // Start from the SQL calls on pools (few), and look only at the blocks holding two or more.
    let pools: Set<string> | null = null;
    const blocks = new Map<number, { block: Node; count: number }>();
    for (const node of model.calls) {
      const c = model.call(node);
      if (!c || c.tagged || !c.receiver || !isSqlCall(c, calls)) continue;
      if (model.family !== 'go' && !/\bawait\s*\(?\s*$/.test(model.text.slice(Math.max(0, node.startIndex - 16), node.startIndex))) continue;
      pools ??= poolNames(model);
      if (isConnectionReceiver(c.receiver) || !isPoolReceiver(model, c.receiver, pools)) continue;
      // the innermost block around the call (the module for top-level code)
      const [inner, outer] = BLOCKS[model.family];
      const block = model.innermost(inner, node.startIndex, node.endIndex) ?? (outer ? model.innermost(outer, node.startIndex, node.endIndex) : null);
      if (!block) continue;
      const b = blocks.get(block.id);
      if (b) b.count++;
      else blocks.set(block.id, { block, count: 1 });
    }
    for (const { block, count } of blocks.values()) {
      if (count < 2) continue;
      let run: Step[] = [];
      const flush = (): void => {
        if (run.length >= 2) emit(model, run, report);
        run = [];
      };
      let stmts = namedKids(block);
      // tree-sitter-go wraps a block's statements in a statement_list
      if (stmts.length === 1 && stmts[0].type === 'statement_list') stmts = namedKids(stmts[0]);
      for (const stmt of stmts) {
        if (model.family === 'go' && run.length > 0 && skippableGo(stmt)) continue;
        const step = stepOf(model, stmt, calls);
        if (!step || !onPool(model, step, pools!, block)) {
          flush();
          continue;
        }
        const text = model.text.slice(stmt.startIndex, stmt.endIndex);
        if (run.some((s) => s.bound.some((b) => mentions(text, b)))) flush();
        run.push(step);
      }
      flush();
    }
  },
};

/** block type, and the file's root type holding top-level statements */
const BLOCKS: Record<HostModel['family'], [string, string | null]> = {
  js: ['statement_block', 'program'],
  python: ['block', 'module'],
  go: ['block', null],
};

function emit(model: HostModel, run: Step[], report: (r: { start: number; end: number; message: string }) => void): void {
  const second = run[1];
  const lines = run.map((s) => lineOf(s.stmt));
  const how = model.family === 'python' ? 'asyncio.gather(...)' : model.family === 'go' ? 'goroutines (errgroup.Group with a shared context)' : 'Promise.all([...])';
  report({
    start: second.callee.startIndex,
    end: second.callee.endIndex,
    message: `${run.length} queries run one after another (lines ${lines.join(', ')}) although none uses another's result: each waits for the previous round trip. Through a pool they can run at the same time with ${how}, so the wait is the slowest query instead of the sum.`,
  });
}

/** A statement that awaits (Go: makes) one SQL call, with the names it binds. */
function stepOf(model: HostModel, stmt: Node, calls: readonly string[]): Step | null {
  let value: Node | null = null;
  let bound: string[] = [];
  switch (stmt.type) {
    case 'expression_statement': {
      const e = namedKids(stmt)[0] ?? null;
      if (model.family === 'python' && e?.type === 'assignment') {
        value = e.childForFieldName('right');
        bound = names(e.childForFieldName('left'));
      } else value = e;
      break;
    }
    case 'lexical_declaration':
    case 'variable_declaration': {
      const decls = namedKids(stmt).filter((k) => k.type === 'variable_declarator');
      if (decls.length !== 1) return null;
      value = decls[0].childForFieldName('value');
      bound = names(decls[0].childForFieldName('name'));
      break;
    }
    case 'short_var_declaration':
    case 'assignment_statement':
      value = namedKids(stmt.childForFieldName('right') ?? stmt)[0] ?? null;
      bound = names(stmt.childForFieldName('left'));
      break;
    default:
      return null;
  }
  if (!value) return null;
  let call: Node | null = null;
  if (model.family === 'go') {
    // `db.QueryRow(...).Scan(&a, &b)`: the query is the receiver of Scan
    let n: Node | null = value;
    while (n?.type === 'call_expression') {
      const c = model.call(n);
      if (c && GO_QUERIES.has(c.last)) {
        call = n;
        break;
      }
      if (c?.last === 'Scan') for (const a of c.args) bound.push(...names(a));
      const fn = n.childForFieldName('function');
      n = fn?.type === 'selector_expression' ? fn.childForFieldName('operand') : null;
    }
  } else {
    if (value.type !== 'await_expression' && value.type !== 'await') return null;
    call = namedKids(value)[0] ?? null;
    while (call?.type === 'parenthesized_expression') call = namedKids(call)[0] ?? null;
    if (call?.type !== 'call_expression' && call?.type !== 'call') return null;
  }
  if (!call) return null;
  const c = model.call(call);
  if (!c || c.tagged || !c.receiver || !isSqlCall(c, calls)) return null;
  // Only reads: a write may be needed before the next statement even when no value flows
  // (a parent row before its child, an UPDATE a later SELECT must see).
  if (!readsOnly(model, c.args.slice(0, model.family === 'go' ? 2 : 1))) return null;
  return { stmt, call, callee: c.callee, receiver: c.receiver, bound: bound.filter((b) => b !== '_' && b !== 'err') };
}

/** The statement (first text argument, or the text a variable or constant holds) is a plain read. */
function readsOnly(model: HostModel, args: Node[]): boolean {
  for (const a of args) {
    let sql = literalText(a);
    if (sql === null && a.type === 'template_string') sql = a.text.slice(1, -1);
    if (sql === null && a.type === 'identifier') {
      // `const ACTIVITY_SQL = 'SELECT ...'`, `q := "SELECT ..."`: the first assignment's opening words
      const m = new RegExp(`\\b${escape(a.text)}\\s*(?::=|=)\\s*(?:[A-Za-z]*)?([\`'"]{1,3})([^\`'"]{0,200})`).exec(model.text);
      if (m) sql = m[2];
    }
    if (sql === null) continue;
    const w = firstWord(sql);
    if (w === 'select' || w === 'values' || w === 'table' || w === 'show') return !/\b(insert|update|delete|merge|for\s+update|for\s+share|nextval|setval|pg_advisory)/i.test(sql);
    if (w === 'with') return !/\b(insert|update|delete|merge)\b/i.test(sql);
    return false;
  }
  return false;
}

/** Identifiers a binding target declares (`{ rows: a }`, `[x, y]`, `a, err`, `&p.ID`). */
function names(n: Node | null): string[] {
  if (!n) return [];
  // object pattern keys (`{ rows: orders }`) are not bound: only what follows the colon
  const t = n.text.replace(/([A-Za-z_$][\w$]*)\s*:(?![:=])/g, ' ');
  const out: string[] = [];
  for (const m of t.matchAll(/[A-Za-z_$][\w$]*/g)) out.push(m[0]);
  return out;
}

/** The calls go through a pool, not one connection, and the function does not manage a transaction. */
function onPool(model: HostModel, step: Step, pools: Set<string>, block: Node): boolean {
  if (isConnectionReceiver(step.receiver)) return false;
  const fn = model.functionAt(block.startIndex, block.endIndex);
  const body = model.text.slice(fn?.start ?? 0, fn?.end ?? model.text.length);
  if (/['"`]\s*(BEGIN|START\s+TRANSACTION)\b/i.test(body) || new RegExp(`\\b${escape(step.receiver)}\\s*=\\s*(await\\s+)?[\\w.]+\\.(connect|acquire|getConnection|Begin|BeginTx|Conn)\\(`).test(body)) return false;
  // `db` may be a pool or one client (a parameter typed Queryable, a callback's session):
  // only receivers the file shows to be pools, or named like one
  return isPoolReceiver(model, step.receiver, pools);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Go statements allowed between queries of a run: error checks and defers. */
function skippableGo(stmt: Node): boolean {
  if (stmt.type === 'defer_statement') return true;
  if (stmt.type !== 'if_statement') return false;
  return /^\s*err\s*!=\s*nil\s*$/.test(stmt.childForFieldName('condition')?.text ?? '');
}

