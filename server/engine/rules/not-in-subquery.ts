/**
 * `x NOT IN (SELECT ...)` (and its twin `x <> ALL (SELECT ...)`).
 *
 * Not reported: NOT IN with a list of constants; `NOT EXISTS`.
 *
 * Quick fix (NOT IN only): `x NOT IN (SELECT y FROM t WHERE cond)` becomes
 * `NOT EXISTS (SELECT 1 FROM t WHERE cond AND t.y = x)` when the subquery is one plain
 * SELECT of one column from one relation (no GROUP BY, DISTINCT, LIMIT, ...), and `x` can be
 * written so that it still means the outer row inside the subquery (see `outerText`).
 */
import type { Facts, Predicate, QueryBlock } from '../facts/types';
import type { Fix, Rule } from '../types';
import { textOf } from './util';

export const notInSubquery: Rule = {
  meta: {
    id: 'not-in-subquery',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'NOT IN (subquery) cannot become an anti-join and returns no rows when the subquery yields a NULL; use NOT EXISTS.',
  },
  check({ facts, text, report }) {
    for (const p of facts.predicates) {
      if (p.kind !== 'sublink') continue;
      const notIn = p.operator === 'in' && p.negated;
      const notEqualAll = p.operator === 'all' && p.compare === '<>' && !p.negated;
      if (!notIn && !notEqualAll) continue;
      report({
        start: p.opSpan.start,
        end: p.opSpan.end,
        message: `${notIn ? 'NOT IN' : '<> ALL'} (subquery) cannot be planned as an anti-join, so PostgreSQL runs the subquery as a SubPlan (rescanned per row once it outgrows work_mem), and any NULL it returns makes the result empty. Use NOT EXISTS (SELECT 1 ... WHERE ...).`,
        fix: notIn ? notExistsFix(facts, text, p) : undefined,
      });
    }
  },
};

/** a column or relation name usable without quotes (lower case, not starting with a digit) */
const PLAIN = /^[a-z_][a-z0-9_$]*$/;
/** a possibly qualified column name as written, then an optional `AS alias` */
const TARGET = /^((?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*))?)(?:\s+as\s+(?:"[^"]+"|[A-Za-z_][\w$]*))?$/i;

/** PostgreSQL's reserved key words: a relation may be named so only in quotes */
const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral ' +
    'leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then ' +
    'to trailing true union unique user using variadic when where window with').split(' '),
);

function ident(name: string): string {
  return PLAIN.test(name) && !RESERVED.has(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function notExistsFix(facts: Facts, text: string, p: Predicate): Fix | undefined {
  if (!/^not\s+in$/i.test(textOf(text, p.opSpan))) return undefined;
  // an IN subquery's span is the whole `x NOT IN (...)`, like the predicate's
  const sq = facts.subqueries.find((s) => s.context === 'in' && s.span.start === p.span.start && s.span.end === p.span.end);
  const sub = sq && facts.blocks[sq.block];
  if (!sub || !plainSelect(facts, text, sub)) return undefined;
  const inner = facts.relations.find((r) => r.block === sub.id);
  if (!inner || inner.kind !== 'table' || !inner.refName || inner.tablesample) return undefined;
  const fromText = textOf(text, sub.from[0].span);
  // the select list: between SELECT and the FROM keyword before the FROM item
  const list = /^([\s\S]*?)\s+from\s*$/i.exec(textOf(text, { start: sub.head.end, end: sub.from[0].span.start }));
  const m = list && TARGET.exec(list[1].trim());
  if (!m) return undefined;
  const y = m[1].includes('.') ? m[1] : `${ident(inner.refName)}.${m[1]}`;
  const x = outerText(facts, text, p, inner.refName);
  if (x === undefined) return undefined;
  let cond = '';
  if (sub.where) {
    const orInWhere = facts.ors.some((o) => o.block === sub.id && o.clause === 'where');
    const w = textOf(text, sub.where);
    cond = `${orInWhere ? `(${w})` : w} AND `;
  }
  return {
    title: 'Rewrite as NOT EXISTS (caveat: where the subquery yields NULL, NOT EXISTS returns rows NOT IN hides; usually what was meant)',
    edits: [{ start: p.span.start, end: p.span.end, newText: `NOT EXISTS (SELECT 1 FROM ${fromText} WHERE ${cond}${y} = ${x})` }],
  };
}

/** One SELECT of one entry from one FROM item, [WHERE], and nothing after it. */
function plainSelect(facts: Facts, text: string, b: QueryBlock): boolean {
  if (b.setOp || b.values || b.targetCount !== 1 || b.from.length !== 1 || b.from[0].relations.length !== 1) return false;
  if (b.distinct !== 'none' || b.groupBy || b.having || b.aggregates || b.limit || b.offset || b.orderBy || b.locking.length) return false;
  if (facts.windows.some((w) => w.block === b.id)) return false;
  const last = b.where ?? b.from[0].span;
  return textOf(text, { start: last.end, end: b.span.end }).trim() === '';
}

/**
 * `x` as it must be written inside the subquery: there an unqualified column would be looked
 * up in the subquery's relation first, so it gets the outer relation's name. No fix when
 * that is ambiguous (several outer relations, an outer reference of its own) or when the
 * outer and inner relations go by the same name.
 */
function outerText(facts: Facts, text: string, p: Predicate, innerRef: string): string | undefined {
  const left = p.left;
  if (left.kind === 'param' || left.kind === 'constant') return textOf(text, left.span);
  if (left.kind !== 'column' || left.columns.length !== 1) return undefined;
  const col = left.columns[0];
  if (col.scope !== 'local') return undefined;
  if (col.qualifier !== undefined) return col.qualifier.toLowerCase() === innerRef.toLowerCase() ? undefined : textOf(text, left.span);
  const outer = facts.relations.filter((r) => r.block === p.block);
  if (outer.length !== 1 || !outer[0].refName || outer[0].refName.toLowerCase() === innerRef.toLowerCase()) return undefined;
  return `${ident(outer[0].refName)}.${textOf(text, left.span)}`;
}
