/**
 * Questions about OR groups shared by `or-across-columns` and `or-chain-to-in`.
 */
import type { ColumnUse, Operand, Predicate } from '../facts/types';

/** The operand holds no column of its own block (constants, parameters, outer references). */
export function valueSide(o: Operand | undefined): boolean {
  if (!o || o.kind === 'subquery') return false;
  for (const c of o.columns) if (c.scope === 'local') return false;
  return true;
}

/** The bare local column a predicate compares with a value, whichever side it is on. */
export function comparedColumn(p: Predicate): { column: ColumnUse; operand: Operand; value: Operand | undefined } | undefined {
  if (p.left.kind === 'column' && p.left.columns.length === 1 && p.left.columns[0].scope === 'local' && valueSide(p.right)) {
    return { column: p.left.columns[0], operand: p.left, value: p.right };
  }
  const r = p.right;
  if (r && r.kind === 'column' && r.columns.length === 1 && r.columns[0].scope === 'local' && valueSide(p.left) && p.kind === 'comparison') {
    return { column: r.columns[0], operand: r, value: p.left };
  }
  return undefined;
}

/**
 * The column a B-tree index could use for this predicate: equality, range, IN list, BETWEEN,
 * `= ANY`, IS NULL, or LIKE with a constant prefix, against a value.
 */
export function indexableColumn(p: Predicate): ColumnUse | undefined {
  if (p.negated) return undefined;
  switch (p.kind) {
    case 'comparison':
      if (p.operator === '<>') return undefined;
      break;
    case 'in-list':
    case 'between':
    case 'null-test':
      break;
    case 'array':
      if (p.operator !== 'any' || p.compare !== '=') return undefined;
      break;
    case 'like':
      if (!p.like || p.like.leadingWildcard || !p.like.prefix) return undefined;
      break;
    default:
      return undefined;
  }
  if (p.kind === 'null-test') {
    const c = p.left.kind === 'column' ? p.left.columns[0] : undefined;
    return c && c.scope === 'local' ? c : undefined;
  }
  return comparedColumn(p)?.column;
}

export function columnKey(c: ColumnUse): string {
  return c.qualifier !== undefined ? `${c.qualifier}.${c.name}` : c.name;
}
