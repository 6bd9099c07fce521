/**
 * WITH RECURSIVE whose recursion nothing bounds: on cyclic data (a graph, a parent link that
 * loops) it never stops, until it fills the disk with temporary files or hits
 * statement_timeout.
 *
 * The heuristic: the recursion counts as bounded (not reported) when any of these holds:
 * - the CTE is a UNION (not UNION ALL): rows already produced are discarded, so a cycle
 *   ends as soon as it repeats a row;
 * - it has a CYCLE clause (PostgreSQL 14+);
 * - the recursive term's WHERE or JOIN ... ON (or those of a subquery or branch inside it)
 *   compares something with a constant or a
 *   parameter using <, <=, >, >= or BETWEEN (`depth < 10`, `array_length(path, 1) < $1`),
 *   the usual depth counter;
 * - the recursive term checks a path array (`id <> ALL(path)`, `NOT id = ANY(path)`, or a
 *   cycle flag `ROW(f, t) = ANY(path)` in its select list), the hand-written cycle check;
 * - a query reading the CTE (or one enclosing its definition) has a LIMIT: PostgreSQL evaluates
 *   the recursion only as far as the LIMIT asks.
 * Anything else, including the common parent/child walk `JOIN r ON t.parent_id = r.id`, is
 * reported: it ends only if the data has no cycle.
 */
import type { Cte, Facts } from '../facts/types';
import type { Rule } from '../types';

const BOUNDS = new Set(['<', '<=', '>', '>=']);

export const recursiveCteWithoutLimit: Rule = {
  meta: {
    id: 'recursive-cte-without-limit',
    category: 'correctness',
    defaultSeverity: 'warning',
    needs: [],
    description: 'A recursive WITH query with no depth bound, cycle check or LIMIT never ends on cyclic data.',
  },
  check({ facts, report }) {
    for (const cte of facts.ctes) {
      if (!cte.recursive || cte.cycle || bounded(facts, cte)) continue;
      report({
        start: cte.span.start,
        end: cte.span.end,
        message: `Nothing stops the recursion of "${cte.name}" if the data has a cycle (UNION ALL keeps repeating rows, and there is no depth limit, CYCLE clause or LIMIT): the query then runs until statement_timeout or the disk fills with temporary files. Add a depth counter (WHERE depth < 100), a CYCLE clause (CYCLE id SET is_cycle USING path), or use UNION if whole rows repeat.`,
      });
    }
  },
};

function bounded(facts: Facts, cte: Cte): boolean {
  const body = facts.blocks[cte.block];
  // not the shape PostgreSQL accepts (INTERSECT, EXCEPT, no set operation): its error says more
  if (!body || !body.setOp || body.setOp.op !== 'union') return true;
  if (!body.setOp.all) return true;
  // ORDER BY, LIMIT and FOR UPDATE on a recursive query are errors (and a LIMIT bounds it)
  if (body.limit || body.orderBy || body.locking.length) return true;
  const term = facts.blocks[body.setOp.right];
  // the recursive reference must be in the right-hand term; LIMIT and aggregates there are errors too
  if (!term || term.limit || term.aggregates || !within(facts, cte.name, term.id)) return true;
  for (const p of facts.predicates) {
    if (p.underOr || !inside(facts, p.block, term.id)) continue;
    // the hand-written cycle check: `id <> ALL(path)`, `NOT id = ANY(path)`, or a cycle
    // flag computed with `= ANY(path)` in the select list
    if (p.kind === 'array' && (p.operator === 'any' || p.operator === 'all')) return true;
    if (p.clause !== 'where' && p.clause !== 'join') continue;
    if (p.kind === 'between' && !p.negated) return true;
    if (p.kind === 'comparison' && BOUNDS.has(p.operator) && p.right) {
      if (isBound(p.right.kind, p.right.columns.length) || isBound(p.left.kind, p.left.columns.length)) return true;
    }
  }
  // a LIMIT where the CTE is read, or on a query enclosing its definition
  for (let b: number | null = cte.definedIn; b !== null && facts.blocks[b]; b = facts.blocks[b].parent) {
    if (facts.blocks[b].limit) return true;
  }
  for (const r of facts.relations) {
    if (r.kind === 'cte' && r.name === cte.name && !inside(facts, r.block, cte.block) && facts.blocks[r.block]?.limit) return true;
  }
  return false;
}

/** Block `id` is `ancestor` or nested in it. */
function inside(facts: Facts, id: number, ancestor: number): boolean {
  for (let b: number | null = id; b !== null; b = facts.blocks[b]?.parent ?? null) if (b === ancestor) return true;
  return false;
}

/** The CTE is read somewhere in block `term`. */
function within(facts: Facts, name: string, term: number): boolean {
  return facts.relations.some((r) => r.kind === 'cte' && r.name === name && inside(facts, r.block, term));
}

/** A constant, a parameter or an expression of them: something a counter can reach. */
function isBound(kind: string, columns: number): boolean {
  return kind === 'constant' || kind === 'param' || (kind === 'expression' && columns === 0);
}
