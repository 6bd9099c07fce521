/**
 * `x = NULL` / `x <> NULL` / `x != NULL` (also `NULL = x`, and NULL cast to a type): always
 * NULL, never true. Quick fix: IS NULL / IS NOT NULL.
 *
 * Only literal NULL counts: `x = $1` may be NULL at run time, but that is the caller's choice.
 * `IS [NOT] DISTINCT FROM NULL` is correct and not reported.
 */
import type { Rule } from '../types';
import { textOf } from './util';

export const nullComparison: Rule = {
  meta: {
    id: 'null-comparison',
    category: 'correctness',
    defaultSeverity: 'warning',
    needs: [],
    description: 'Comparing with = NULL or <> NULL is never true; use IS NULL / IS NOT NULL.',
  },
  check({ facts, text, report }) {
    for (const p of facts.predicates) {
      if (p.kind !== 'comparison' || (p.operator !== '=' && p.operator !== '<>') || !p.right) continue;
      const nullRight = p.right.kind === 'null';
      const nullLeft = p.left.kind === 'null';
      if (!nullRight && !nullLeft) continue;
      const test = p.operator === '=' ? 'IS NULL' : 'IS NOT NULL';
      const written = textOf(text, p.opSpan);
      // `x = NULL`: replace `= NULL`; `NULL = x`: rewrite the whole comparison as `x IS NULL`
      const edit = nullRight
        ? { start: p.opSpan.start, end: p.right.span.end, newText: test }
        : { start: p.left.span.start, end: p.right.span.end, newText: `${textOf(text, p.right.span)} ${test}` };
      // `x=NULL` has no space to keep the words apart
      if (edit.start > 0 && /[\w"$)\]]/.test(text[edit.start - 1])) edit.newText = ` ${edit.newText}`;
      if (/[\w"$(]/.test(text[edit.end] ?? '')) edit.newText = `${edit.newText} `;
      const range = nullRight ? { start: p.opSpan.start, end: p.right.span.end } : { start: p.left.span.start, end: p.opSpan.end };
      report({
        ...range,
        message: `${written} NULL is never true: any comparison with NULL yields NULL, so this condition matches no rows. Use ${test}.`,
        fix: { title: `Rewrite as ${test}`, edits: [edit] },
      });
    }
  },
};
