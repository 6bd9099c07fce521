/**
 * A migration that takes table locks (ALTER TABLE, CREATE INDEX without CONCURRENTLY,
 * DROP TABLE / INDEX, TRUNCATE, VACUUM FULL, CLUSTER, REFRESH MATERIALIZED VIEW, LOCK, ...)
 * with no `SET lock_timeout` before it in the same file. A statement that waits for a
 * lock (behind a long query or an idle transaction) makes every later query on the table
 * queue behind it: one stuck migration becomes an outage. With a lock_timeout it fails
 * fast instead, and can be retried.
 *
 * Reported once per file, on the first such statement. Reads the file-level context the
 * analyzer gives (DocumentContext: lockTimeout, lockingBefore), so it only runs for `.sql`
 * documents, not for SQL embedded in host code. Quick fix: insert `SET lock_timeout` before.
 *
 * Not reported: a file where a non-zero lock_timeout is set earlier (SET, SET LOCAL inside
 * the same transaction, `set_config('lock_timeout', ...)`), and later locking statements of
 * a file already reported. Known limit: a timeout configured outside the file (on the role,
 * by the migration tool) is invisible: turn the rule off then.
 */
import type { Rule } from '../types';
import { lockingHead } from './ddl-util';

export const missingLockTimeout: Rule = {
  meta: {
    id: 'missing-lock-timeout',
    category: 'locking',
    defaultSeverity: 'information',
    needs: [],
    postgresOnly: true,
    description: 'A migration takes table locks without a SET lock_timeout first, so a blocked statement stalls every query behind it.',
  },
  check({ text, document, report }) {
    if (!document || document.lockTimeout || document.lockingBefore) return;
    const head = lockingHead(text);
    if (!head) return;
    report({
      ...head.span,
      message: `${head.what} waits for a table lock, and no SET lock_timeout comes before it in this file: if a long query or an idle transaction holds the table, this statement waits, and every later query on the table queues behind it. SET lock_timeout (e.g. '5s') first, so the migration fails fast and can be retried.`,
      fix: { title: "Insert SET lock_timeout = '5s' before it", edits: [{ start: 0, end: 0, newText: "SET lock_timeout = '5s';\n" }] },
    });
  },
};
