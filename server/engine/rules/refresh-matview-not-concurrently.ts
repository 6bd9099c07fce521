/**
 * REFRESH MATERIALIZED VIEW without CONCURRENTLY: takes an ACCESS EXCLUSIVE lock on the view
 * for the whole refresh, so every SELECT of it waits. Quick fix: insert CONCURRENTLY (the
 * view then needs a unique index on plain columns, covering all rows, and must already be
 * populated).
 *
 * Not reported: `WITH NO DATA` (empties the view instantly; CONCURRENTLY is not allowed
 * there); views addressed through `pg_temp`.
 */
import type { Rule } from '../types';
import { bodyOf, headSpan, isTempRelation, relationText, type Node } from './ddl-util';

export const refreshMatviewNotConcurrently: Rule = {
  meta: {
    id: 'refresh-matview-not-concurrently',
    category: 'locking',
    defaultSeverity: 'warning',
    needs: [],
    postgresOnly: true,
    description: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY locks the view against reads for the whole refresh.',
  },
  check({ ast, text, report }) {
    const r = bodyOf(ast, 'RefreshMatViewStmt');
    if (!r || r.concurrent || r.skipData) return;
    const rel = r.relation as Node | undefined;
    if (isTempRelation(rel)) return;
    const head = headSpan(text, 3);
    report({
      ...head,
      message: `REFRESH MATERIALIZED VIEW without CONCURRENTLY holds an ACCESS EXCLUSIVE lock on ${relationText(text, rel)} for the whole refresh: every query reading it waits. Use REFRESH MATERIALIZED VIEW CONCURRENTLY (it needs a unique index on the view).`,
      fix: { title: 'Refresh CONCURRENTLY (needs a unique index on the view)', edits: [{ start: head.end, end: head.end, newText: ' CONCURRENTLY' }] },
    });
  },
};
