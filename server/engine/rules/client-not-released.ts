/**
 * A connection checked out of a pool and not given back on every path. node-postgres
 * `const client = await pool.connect()` must be followed by `client.release()`; if a query
 * in between throws and the release is not in a `finally`, the connection is lost to the
 * pool for good. After `max` such errors the pool is empty and every request hangs (or
 * times out).
 *
 * Also: Go pgxpool `conn, err := pool.Acquire(ctx)` (`conn.Release()`), Python asyncpg
 * `conn = await pool.acquire()` (`await pool.release(conn)`) and psycopg2
 * `conn = pool.getconn()` (`pool.putconn(conn)`).
 *
 * Not reported: a release in a `finally` (Go: `defer`), a release in both the `try` body
 * and its `catch`, no await or throw between checkout and release (nothing can fail there),
 * a client that is returned or handed to the caller, `pool.query` (checks out and releases
 * by itself), `async with pool.acquire()`.
 */
import type { Node } from '@vscode/tree-sitter-wasm';
import { mentions, type HostModel } from '../extract/host-model';
import type { Rule } from '../types';
import { assignedName, callsWithin, isPoolReceiver, poolNames } from './host-util';

/** checkout method -> language family; psycopg2's pool hands out connections with getconn()/putconn() */
const CHECKOUT: Record<string, string> = { connect: 'js', acquire: 'python', getconn: 'python', Acquire: 'go' };

export const clientNotReleased: Rule = {
  meta: {
    id: 'client-not-released',
    category: 'pool',
    defaultSeverity: 'warning',
    needs: [],
    hostOnly: true,
    description: 'A client checked out of a pool is not released on every path: an error leaks the connection until the pool is empty.',
  },
  check() {},
  checkHostFile({ model, report }) {
    let pools: Set<string> | null = null;
    for (const node of model.calls) {
      const c = model.call(node);
      if (!c || CHECKOUT[c.last] !== model.family || !c.receiver) continue;
      // `async with pool.acquire() as conn` releases by itself
      if (model.family === 'python' && c.last === 'acquire' && !model.awaited(node)) continue;
      if (model.family === 'js' && (!model.awaited(node) || c.args.length > 0)) continue; // callback style: not followed
      pools ??= poolNames(model);
      if (!isPoolReceiver(model, c.receiver, pools) && !(model.family === 'go' && /pool/i.test(c.receiver))) continue;
      const name = assignedName(model, node);
      const fn = model.functionAt(node.startIndex, node.endIndex);
      if (!name || !/^[A-Za-z_$][\w$]*$/.test(name) || !fn) continue;
      const verdict = released(model, node, name, c.receiver, fn.start, fn.end);
      if (verdict === 'ok') continue;
      const how =
        model.family === 'go'
          ? `\`defer ${name}.Release()\` right after the error check`
          : c.last === 'getconn'
            ? `\`${c.receiver}.putconn(${name})\` in a finally block`
            : model.family === 'python'
              ? `\`async with ${c.receiver}.acquire() as ${name}:\` (or release it in a finally)`
              : `\`${name}.release()\` in a finally block`;
      report({
        start: node.startIndex,
        end: node.endIndex,
        message:
          verdict === 'never'
            ? `\`${name}\` is checked out of the pool here and never released in this function: the connection is lost to the pool. Release it with ${how}.`
            : `\`${name}\` is released only when nothing fails: an error between checkout and release leaks the connection, and after enough errors the pool is empty. Release it with ${how}.`,
      });
    }
  },
};

function released(model: HostModel, checkout: Node, name: string, receiver: string, fnStart: number, fnEnd: number): 'ok' | 'never' | 'not-on-error' {
  const after = checkout.endIndex;
  const body = model.text.slice(after, fnEnd);
  // handed to the caller or kept elsewhere: the caller releases it
  if (new RegExp(`\\breturn\\b[^;\\n]*\\b${name}\\b`).test(body) || new RegExp(`(this|self)\\.\\w+\\s*=\\s*${name}\\b`).test(body)) return 'ok';
  const releases = callsWithin(model, after, fnEnd).filter(
    (c) => (c.name === `${name}.release` || c.name === `${name}.Release`) || ((c.last === 'release' || c.last === 'putconn') && c.receiver === receiver && c.args.some((a) => a.text === name)),
  );
  if (releases.length === 0) return 'never';
  // Go: `defer conn.Release()`
  if (releases.some((r) => r.node.parent?.type === 'defer_statement')) return 'ok';
  const tries = model.nodes('try_statement').filter((t) => t.startIndex >= fnStart && t.endIndex <= fnEnd);
  for (const t of tries) {
    const fin = t.childForFieldName('finalizer') ?? t.namedChildren.find((k) => k?.type === 'finally_clause') ?? null;
    if (fin && releases.some((r) => r.node.startIndex >= fin.startIndex && r.node.endIndex <= fin.endIndex)) return 'ok';
    // released at the end of the try body and in its catch
    const bodyNode = t.childForFieldName('body');
    const handler = t.childForFieldName('handler') ?? t.namedChildren.find((k) => k?.type === 'except_clause') ?? null;
    if (bodyNode && handler && within(releases, bodyNode) && within(releases, handler)) return 'ok';
  }
  // nothing can throw between checkout and the first release
  const between = model.text.slice(after, releases[0].node.startIndex);
  if (!mayFail(model.family, between)) return 'ok';
  return 'not-on-error';
}

/**
 * Code between checkout and release that can leave the function early: an await or throw in
 * JavaScript (what it awaits is where queries fail), any call or raise in Python (synchronous
 * drivers raise from any call), an early return or error check in Go.
 */
function mayFail(family: HostModel['family'], between: string): boolean {
  if (family === 'js') return /\bawait\b|\bthrow\b/.test(between);
  if (family === 'python') return /\bawait\b|\braise\b|[\w)\]]\s*\(/.test(between);
  return /\bif\s+err\s*!=\s*nil\b/.test(between) || mentions(between, 'return') || mentions(between, 'panic');
}

function within(calls: Array<{ node: Node }>, n: Node): boolean {
  return calls.some((r) => r.node.startIndex >= n.startIndex && r.node.endIndex <= n.endIndex);
}
