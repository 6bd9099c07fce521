/**
 * A pool whose callers wait for a free connection with no time limit. When the pool is
 * exhausted (a slow query, a leak, a burst), every further request queues silently; with a
 * bound, it fails fast with an error the application can report, shed or retry.
 *
 * Precise per library, from its documented defaults:
 * - node-postgres `new Pool({...})`: `connectionTimeoutMillis` defaults to 0, "no timeout".
 *   Reported when it is missing or 0 (not when the config comes from a variable or a spread:
 *   unknown).
 * - SQLAlchemy `create_engine(...)`: `pool_timeout` defaults to 30 s. Reported only for an
 *   explicit `pool_timeout=None` (wait forever).
 * - Go database/sql: there is no acquire timeout, only the caller's context; a pool without a
 *   limit (`SetMaxOpenConns` unset or <= 0) never waits. Reported at `SetMaxOpenConns(n > 0)`
 *   when the same handle is used with context-free methods (`Query`, `QueryRow`, `Exec`,
 *   `Begin`, `Prepare`), which then wait for a connection forever. pgxpool's methods all take
 *   a context: not reported.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { namedKids } from '../extract/adapter';
import type { Rule } from '../types';
import { lineOf, poolConstruction } from './host-util';

/** what the quick fix sets: long enough for a healthy pool under load, short enough to fail fast */
const DEFAULT_MS = 5000;
const FIX_TITLE = `Wait at most ${DEFAULT_MS / 1000} seconds for a connection (connectionTimeoutMillis: ${DEFAULT_MS})`;

const GO_NO_CONTEXT = new Set(['Query', 'QueryRow', 'Exec', 'Begin', 'Prepare', 'Ping', 'Get', 'Select', 'Queryx', 'QueryRowx', 'NamedExec']);

export const poolWithoutTimeout: Rule = {
  meta: {
    id: 'pool-without-timeout',
    category: 'pool',
    defaultSeverity: 'warning',
    needs: [],
    hostOnly: true,
    description: 'A connection pool whose callers wait for a free connection forever: when it is exhausted, requests hang instead of failing fast.',
  },
  check() {},
  checkHostFile({ model, report }) {
    if (model.family === 'go') {
      checkGo(model, report);
      return;
    }
    for (const node of model.calls) {
      const c = model.call(node);
      if (!c) continue;
      const lib = poolConstruction(model, c);
      if (lib === 'node-postgres') {
        const cfg = c.args[0];
        const head = { start: node.startIndex, end: c.callee.endIndex };
        if (!cfg) {
          // `new Pool()`: the parentheses are the last two characters
          const close = node.endIndex - 1;
          const fix = model.text[close] === ')' ? { title: FIX_TITLE, edits: [{ start: close, end: close, newText: `{ connectionTimeoutMillis: ${DEFAULT_MS} }` }] } : undefined;
          report({ ...head, message: 'node-postgres waits for a free connection forever by default (connectionTimeoutMillis: 0): set connectionTimeoutMillis (e.g. 5000) so an exhausted pool fails fast instead of hanging every request.', fix });
          continue;
        }
        if (cfg.type !== 'object') continue; // a variable: unknown
        const kids = namedKids(cfg);
        const pair = kids.find((k) => k.type === 'pair' && keyOf(k) === 'connectionTimeoutMillis');
        if (!pair) {
          if (kids.some((k) => k.type === 'spread_element')) continue;
          const fix = { title: FIX_TITLE, edits: [{ start: cfg.startIndex + 1, end: cfg.startIndex + 1, newText: ` connectionTimeoutMillis: ${DEFAULT_MS},` }] };
          report({ ...head, message: 'This pool has no connectionTimeoutMillis: node-postgres then waits for a free connection forever. Set it (e.g. 5000) so an exhausted pool fails fast instead of hanging every request.', fix });
        } else if (/^0+$/.test(pair.childForFieldName('value')?.text ?? '')) {
          const value = pair.childForFieldName('value')!;
          report({ start: pair.startIndex, end: pair.endIndex, fix: { title: FIX_TITLE, edits: [{ start: value.startIndex, end: value.endIndex, newText: String(DEFAULT_MS) }] }, message: 'connectionTimeoutMillis: 0 means no timeout: node-postgres waits for a free connection forever. Set a bound (e.g. 5000) so an exhausted pool fails fast instead of hanging every request.' });
        }
      } else if (lib === 'sqlalchemy') {
        for (const a of c.args) {
          if (a.type !== 'keyword_argument' || a.childForFieldName('name')?.text !== 'pool_timeout') continue;
          const value = a.childForFieldName('value');
          if (value?.type === 'none') {
            report({ start: a.startIndex, end: a.endIndex, fix: { title: 'Wait at most 30 seconds (pool_timeout=30)', edits: [{ start: value.startIndex, end: value.endIndex, newText: '30' }] }, message: 'pool_timeout=None makes SQLAlchemy wait for a free connection forever. Keep the default (30 seconds) or set a bound so an exhausted pool fails fast.' });
          }
        }
      }
    }
  },
};

function keyOf(pair: Node): string {
  return (pair.childForFieldName('key')?.text ?? '').replace(/^['"]|['"]$/g, '');
}

function checkGo(model: Parameters<NonNullable<Rule['checkHostFile']>>[0]['model'], report: Parameters<NonNullable<Rule['checkHostFile']>>[0]['report']): void {
  const limits: Array<{ node: Node; receiver: string }> = [];
  const noContext = new Map<string, Node>();
  for (const node of model.calls) {
    const c = model.call(node);
    if (!c || !c.receiver) continue;
    if (c.last === 'SetMaxOpenConns') {
      const n = Number(c.args[0]?.text);
      if (Number.isFinite(n) && n > 0) limits.push({ node, receiver: c.receiver });
    } else if (GO_NO_CONTEXT.has(c.last) && !noContext.has(c.receiver)) {
      noContext.set(c.receiver, node);
    }
  }
  for (const { node, receiver } of limits) {
    // the handle itself, or the same handle passed to a helper's parameter of a pool type
    let use = noContext.get(receiver);
    if (!use) {
      for (const f of model.functions) {
        const p = f.params.find((x) => x.type.replace(/\s+/g, '') === '*sql.DB' || x.type.replace(/\s+/g, '') === '*sqlx.DB');
        const u = p && noContext.get(p.name);
        if (u && u.startIndex >= f.start && u.endIndex <= f.end) {
          use = u;
          break;
        }
      }
    }
    if (!use) continue;
    const call = model.call(use)!;
    report({
      start: node.startIndex,
      end: node.endIndex,
      message: `With a connection limit, database/sql makes a caller wait until a connection is free, and \`${call.name}\` (line ${lineOf(use)}) has no context to bound that wait: when the pool is exhausted it hangs. Use the Context variants (${call.last}Context) with a deadline (context.WithTimeout or the request's context).`,
    });
  }
}
