/**
 * DROP INDEX without CONCURRENTLY: takes an ACCESS EXCLUSIVE lock on the index's table, so
 * every read and write of the table waits (and queues behind it) while the drop waits for
 * running queries. Quick fix: insert CONCURRENTLY, offered only where PostgreSQL allows it
 * (one index, no CASCADE).
 *
 * Not reported: indexes addressed through `pg_temp`.
 */
import type { Rule } from '../types';
import { bodyOf, headSpan, list, names, tokensOf } from './ddl-util';

export const dropIndexNotConcurrently: Rule = {
  meta: {
    id: 'drop-index-not-concurrently',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table, blocking reads and writes.',
  },
  check({ ast, text, report }) {
    const drop = bodyOf(ast, 'DropStmt');
    if (!drop || drop.removeType !== 'OBJECT_INDEX' || drop.concurrent) return;
    const objects = list(drop.objects).map((o) => names(bodyOf(o, 'List')?.items));
    if (objects.length > 0 && objects.every((n) => n.length > 1 && n[0] === 'pg_temp')) return;
    const head = headSpan(text, 2);
    const tokens = tokensOf(text);
    const single = objects.length === 1 && drop.behavior !== 'DROP_CASCADE' && tokens[1]?.word === 'index';
    report({
      ...head,
      message: `DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the index's table: every query on it waits until the drop is done, and the drop itself waits for running queries. Use DROP INDEX CONCURRENTLY (one index per statement, no CASCADE, outside a transaction block).`,
      fix: single ? { title: 'Drop the index CONCURRENTLY', edits: [{ start: head.end, end: head.end, newText: ' CONCURRENTLY' }] } : undefined,
    });
  },
};
