/**
 * `pool.query('BEGIN')`: a pool hands each query to whichever connection is free, so BEGIN,
 * the statements after it and COMMIT may each run on a different connection. The
 * "transaction" is not one, and the connection left inside BEGIN goes back to the pool
 * idle in transaction, holding its locks and snapshot until something else commits it.
 *
 * Reported when transaction control (BEGIN, START TRANSACTION) is sent through a pool: a
 * variable assigned a pool in the file (`new Pool`, `create_engine`, `sql.Open`, a Go
 * parameter of type *sql.DB / *pgxpool.Pool) or, in JavaScript and Python, a receiver named
 * like one (`pool`, `this.pgPool`, `engine`). Connections (`client`, `conn`, `tx`) are fine.
 */
import type { Rule } from '../types';
import { firstWord, isConnectionReceiver, isPoolReceiver, literalText, poolNames } from './host-util';

/** Methods that send one statement. */
const SENDERS = new Set(['query', 'execute', 'exec', 'Exec', 'ExecContext', 'Query', 'QueryContext']);

export const transactionViaPoolQuery: Rule = {
  meta: {
    id: 'transaction-via-pool-query',
    category: 'pool',
    defaultSeverity: 'error',
    needs: [],
    hostOnly: true,
    description: 'BEGIN sent through a connection pool: each pool query may run on a different connection, so the statements are not one transaction.',
  },
  check() {},
  checkHostFile({ model, report }) {
    let pools: Set<string> | null = null;
    for (const node of model.calls) {
      const c = model.call(node);
      if (!c || !c.receiver || !SENDERS.has(c.last) || c.tagged) continue;
      // the statement: first argument (Go: after the context)
      const arg = c.args.find((a, i) => i < 2 && literalText(a) !== null);
      const sql = literalText(arg);
      if (sql === null) continue;
      const word = firstWord(sql);
      if (word !== 'begin' && !(word === 'start' && /^\s*start\s+transaction\b/i.test(sql))) continue;
      // `BEGIN; ...; COMMIT` in one string runs on one connection: a real transaction
      if (/;\s*\S[\s\S]*\b(commit|end|rollback)\b\s*;?\s*$/i.test(sql)) continue;
      if (isConnectionReceiver(c.receiver)) continue;
      pools ??= poolNames(model);
      if (!isPoolReceiver(model, c.receiver, pools)) continue;
      const fix = model.family === 'go' ? 'db.BeginTx(ctx, nil) and run the statements on the returned *sql.Tx (pgxpool: pool.Begin(ctx))' : model.family === 'python' ? 'one connection for the whole transaction (`async with pool.acquire() as conn: async with conn.transaction():`, or `with engine.begin() as conn:`)' : 'one client for the whole transaction: `const client = await pool.connect()`, then BEGIN / COMMIT / ROLLBACK on `client`, and `client.release()` in a finally';
      report({
        start: node.startIndex,
        end: node.endIndex,
        message: `\`${c.receiver}\` is a pool: each ${c.last}() may run on a different connection, so this ${word.toUpperCase()} does not start a transaction for the statements after it, and the connection it ran on goes back to the pool idle in transaction. Use ${fix}.`,
      });
    }
  },
};
