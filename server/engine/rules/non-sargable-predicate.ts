/**
 * A WHERE / JOIN predicate whose column side is wrapped in a function, a cast or arithmetic
 * (`lower(email) = $1`, `created_at::date = $1`, `price * 2 > 100`): an index on the bare
 * column cannot serve it.
 *
 * Not reported: `<>` / NOT LIKE / NOT IN (no index lookup to lose); both sides wrapped
 * (`lower(a.x) = lower(b.y)`: no rewrite helps, a hash join does); both sides columns of the
 * same or an unknown table; JSON and other operators (`data->>'k'`), which need expression
 * indexes by design; the deliberate index-suppression idioms `col + 0` and `col || ''`.
 */
import type { Operand, Predicate } from '../facts/types';
import type { Rule, RuleContext } from '../types';
import { columnName, hasLocalColumns, snippet } from './util';

const INDEXABLE = new Set(['=', '<', '<=', '>', '>=']);

export const nonSargablePredicate: Rule = {
  meta: {
    id: 'non-sargable-predicate',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'A function, cast or arithmetic on the column side of a predicate keeps PostgreSQL from using an index on that column.',
  },
  check({ facts, text, report }) {
    for (const p of facts.predicates) {
      if (p.clause !== 'where' && p.clause !== 'join') continue;
      if (!indexable(p)) continue;
      checkSide(p.left, p.right, text, report);
      checkSide(p.right!, p.left, text, report);
    }
  },
};

/** Reports `side` when it is a wrapped column compared with something an index lookup could use. */
function checkSide(side: Operand | undefined, other: Operand | undefined, text: string, report: RuleContext['report']): void {
  if (!side || !other || !wrapped(side) || !hasLocalColumns(side)) return;
  // `a.x + b.y < 10` needs both tables: no single-table index could serve it
  if (tablesOf(side) > 1) return;
  if (wrapped(other) && hasLocalColumns(other)) return;
  if (other.kind === 'column' && hasLocalColumns(other) && !differentTables(side, other)) return;
  if (suppressionIdiom(text, side)) return;
  report({ start: side.span.start, end: side.span.end, message: message(text, side) });
}

function indexable(p: Predicate): boolean {
  if (p.negated || !p.right) return false;
  switch (p.kind) {
    case 'comparison':
      return INDEXABLE.has(p.operator);
    case 'like':
      // a leading wildcard is leading-wildcard-like's finding: no rewrite of the column side helps
      return !p.like?.leadingWildcard;
    case 'in-list':
    case 'between':
      return true;
    case 'sublink':
      return p.operator === 'in' || (p.operator === 'any' && p.compare === '=');
    case 'array':
      return p.operator === 'any' && p.compare === '=';
    default:
      return false;
  }
}

function wrapped(o: Operand): boolean {
  return o.kind === 'expression' && (o.wrapper === 'function' || o.wrapper === 'cast' || o.wrapper === 'arithmetic');
}

/** How many different qualifiers the operand's local columns use (unqualified count as one). */
function tablesOf(o: Operand): number {
  return new Set(o.columns.filter((c) => c.scope === 'local').map((c) => c.qualifier ?? '')).size;
}

/** Both operands name columns of different, known tables: a join condition. */
function differentTables(a: Operand, b: Operand): boolean {
  const qa = new Set(a.columns.map((c) => c.qualifier));
  const qb = new Set(b.columns.map((c) => c.qualifier));
  if (qa.has(undefined) || qb.has(undefined)) return false;
  for (const q of qa) if (qb.has(q)) return false;
  return true;
}

/** `id + 0` and `name || ''` are written on purpose to keep the planner off an index. */
function suppressionIdiom(text: string, o: Operand): boolean {
  if (o.wrapper !== 'arithmetic') return false;
  const s = text.slice(o.span.start, o.span.end).replace(/\s+/g, '');
  return /\+0$/.test(s) || /\|\|''$/.test(s);
}

function message(text: string, o: Operand): string {
  const expr = snippet(text, o.span);
  const col = columnName(o) ?? 'the column';
  switch (o.wrapper) {
    case 'cast':
      return `The cast in ${expr} hides ${col} from its index, so every row is checked. Compare the bare column and cast the other side instead (for a date, use a range: ${col} >= $1 AND ${col} < $1 + 1).`;
    case 'arithmetic':
      return `The arithmetic in ${expr} is applied to ${col}, so no index on it can be used. Move the arithmetic to the other side so the column stands alone.`;
    default:
      return `${expr} wraps ${col} in ${o.wrapperName ? `${o.wrapperName}()` : 'a function'}, so a B-tree index on ${col} cannot be used. Compare the bare column, or create an expression index on ${expr}.`;
  }
}
