/**
 * Small questions several rules ask of the facts.
 */
import type { Facts, Operand, QueryBlock, Relation, Span } from '../facts/types';

export function textOf(text: string, span: Span): string {
  return text.slice(span.start, span.end);
}

/** Text for a message: whitespace collapsed, cut to `max` characters. */
export function snippet(text: string, span: Span, max = 40): string {
  const s = textOf(text, span).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The statement's result goes to the client (not into a table or a view definition). */
export function resultGoesToClient(facts: Facts): boolean {
  if (facts.kind !== 'select') return false;
  return facts.wrapper === undefined || facts.wrapper === 'explain' || facts.wrapper === 'prepare' || facts.wrapper === 'declare-cursor' || facts.wrapper === 'copy';
}

/**
 * The block whose rows are the statement's result: the statement's own SELECT, or a branch
 * of its top-level UNION / INTERSECT / EXCEPT (at any nesting of set operations).
 */
export function isOutputBlock(facts: Facts, block: QueryBlock): boolean {
  let b: QueryBlock | undefined = block;
  while (b && b.role === 'set-branch') b = b.parent === null ? undefined : facts.blocks[b.parent];
  return !!b && b.role === 'statement' && b.statement === 'select' && b.parent === null;
}

export function relationsOf(facts: Facts, block: QueryBlock): Relation[] {
  return facts.relations.filter((r) => r.block === block.id);
}

/** The block reads at least one table (directly, or a CTE or subquery in FROM). */
export function readsTables(facts: Facts, block: QueryBlock): boolean {
  for (const r of facts.relations) {
    if (r.block === block.id && (r.kind === 'table' || r.kind === 'cte' || (r.kind === 'subquery' && !r.singleRow))) return true;
  }
  return false;
}

/** How many relations the block's FROM clause has (relationsOf(...).length, without the list). */
export function relationCount(facts: Facts, block: QueryBlock): number {
  let n = 0;
  for (const r of facts.relations) if (r.block === block.id) n++;
  return n;
}

/** A local column (not an outer reference) appears in the operand. */
export function hasLocalColumns(o: Operand | undefined): boolean {
  return !!o && o.columns.some((c) => c.scope === 'local');
}

/** The first local column's name, for messages. */
export function columnName(o: Operand): string | undefined {
  const c = o.columns.find((col) => col.scope === 'local') ?? o.columns[0];
  if (!c) return undefined;
  return c.qualifier ? `${c.qualifier}.${c.name}` : c.name;
}
