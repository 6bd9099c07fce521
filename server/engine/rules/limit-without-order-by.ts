/**
 * LIMIT (or FETCH FIRST) without ORDER BY: which rows come back is up to the plan.
 *
 * Not reported:
 * - inside EXISTS (`EXISTS (SELECT 1 ... LIMIT 1)`): any row answers the question;
 * - LIMIT 0 (a shape probe), and results that are one row anyway (aggregates without
 *   GROUP BY) or whose rows are indistinguishable (`SELECT 1 FROM ... LIMIT 1`);
 * - `LIMIT 1` on an equality lookup (`WHERE email = $1 LIMIT 1`): the usual guard on a
 *   unique key, and without a schema we cannot tell it is not one;
 * - `FOR UPDATE SKIP LOCKED` (a work queue: any free rows are the right rows);
 * - subqueries of UPDATE / DELETE (`DELETE ... WHERE id IN (SELECT id ... LIMIT 1000)`):
 *   batching, where any batch will do;
 * - TABLESAMPLE (arbitrary on purpose); sources without tables (functions, VALUES);
 *   a single FROM subquery or CTE that is itself ordered (PostgreSQL keeps that order), or
 *   a recursive CTE (the LIMIT bounds the recursion; rows come in generation order).
 */
import type { Facts, Operand, QueryBlock } from '../facts/types';
import type { Rule } from '../types';
import { relationsOf } from './util';

export const limitWithoutOrderBy: Rule = {
  meta: {
    id: 'limit-without-order-by',
    category: 'correctness',
    defaultSeverity: 'warning',
    needs: [],
    description: 'LIMIT without ORDER BY returns an arbitrary subset of rows that can change from run to run.',
  },
  check({ facts, report }) {
    let batching: boolean | undefined;
    for (const block of facts.blocks) {
      const limit = block.limit;
      if (!limit || block.orderBy || block.statement !== 'select') continue;
      batching ??= facts.writes.some((w) => w.kind === 'update' || w.kind === 'delete');
      if (exempt(facts, block, batching)) continue;
      report({
        start: limit.clause.start,
        end: limit.clause.end,
        message: 'LIMIT without ORDER BY returns whichever rows the plan produces first: the result can change between runs, plans or after VACUUM. Add an ORDER BY on a unique key.',
      });
    }
  },
};

function exempt(facts: Facts, block: QueryBlock, batching: boolean): boolean {
  const limit = block.limit!;
  if (block.role === 'sublink' && block.sublink === 'exists') return true;
  if (limit.kind === 'constant' && limit.value === 0) return true;
  if (block.aggregates && !block.groupBy) return true;
  if (block.constantTargets) return true;
  if (block.locking.some((l) => l.wait === 'skip locked')) return true;
  if (batching && block.parent !== null) return true;
  if (block.setOp) return false;
  const rels = relationsOf(facts, block);
  if (rels.some((r) => r.tablesample)) return true;
  if (!rels.some((r) => r.kind === 'table' || r.kind === 'cte' || r.kind === 'subquery')) return true;
  if (rels.length === 1 && orderedSource(facts, rels[0].kind === 'cte' ? cteBlock(facts, rels[0].name) : rels[0].subquery)) return true;
  // `WITH RECURSIVE t AS (...) SELECT * FROM t LIMIT 10`: the LIMIT bounds the generation
  if (rels.length === 1 && rels[0].kind === 'cte' && facts.ctes.some((c) => c.name === rels[0].name && c.recursive)) return true;
  if (limit.kind === 'constant' && limit.value === 1 && equalityLookup(facts, block)) return true;
  return false;
}

function cteBlock(facts: Facts, name: string | undefined): number | undefined {
  return facts.ctes.find((c) => c.name === name)?.block;
}

function orderedSource(facts: Facts, id: number | undefined): boolean {
  const b = id === undefined ? undefined : facts.blocks[id];
  return !!b && !!b.orderBy;
}

/** `col = constant/param` ANDed into the WHERE clause. */
function equalityLookup(facts: Facts, block: QueryBlock): boolean {
  return facts.predicates.some(
    (p) =>
      p.block === block.id &&
      p.clause === 'where' &&
      !p.underOr &&
      !p.negated &&
      p.kind === 'comparison' &&
      p.operator === '=' &&
      !!p.right &&
      ((p.left.kind === 'column' && isValue(p.right)) || (p.right.kind === 'column' && isValue(p.left))),
  );
}

/** A constant or parameter; not an outer column (`o.customer_id = c.id` finds many rows). */
function isValue(o: Operand): boolean {
  return o.columns.length === 0 && o.kind !== 'subquery';
}
