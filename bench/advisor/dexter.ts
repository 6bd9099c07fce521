/**
 * A dexter-style baseline, written from its published algorithm: per query, hypothetical
 * single-column B-tree indexes on the columns the query filters, joins or sorts on, then
 * ordered pairs of them (same table); the cheapest plan wins if it lowers that query's cost
 * by at least 50%. The suggestions of all queries are unioned. No partial, expression,
 * covering or descending indexes: that is the point of the comparison.
 */
import type { ColumnUse, Relation } from '../../server/engine/facts/types';
import type { TableResolver } from '../../src/advisor/candidates';
import { coveringIndex } from '../../src/advisor/candidates';
import { createIndexSql } from '../../src/advisor/sql';
import type { Candidate, TableInfo, WorkloadQuery } from '../../src/advisor/types';
import type { WhatIf } from '../../src/advisor/whatif';

export const DEXTER_THRESHOLD = 0.5;

/** table -> columns the query filters, joins or sorts on */
export function queryColumns(q: WorkloadQuery, resolve: TableResolver): Map<TableInfo, string[]> {
  const out = new Map<TableInfo, string[]>();
  const rels = q.facts.relations.filter((r) => r.kind === 'table' && r.name);
  const tableOf = (c: ColumnUse, block: number): TableInfo | undefined => {
    const inBlock = rels.filter((r) => r.block === block);
    let rel: Relation | undefined;
    if (c.qualifier) rel = inBlock.find((r) => (r.refName ?? r.name) === c.qualifier);
    else {
      const having = inBlock.filter((r) => resolve(r.schema, r.name!)?.columns.includes(c.name));
      rel = having.length === 1 ? having[0] : undefined;
    }
    return rel && resolve(rel.schema, rel.name!);
  };
  const add = (c: ColumnUse, block: number) => {
    const t = tableOf(c, block);
    if (!t || !t.columns.includes(c.name)) return;
    const list = out.get(t) ?? [];
    if (!list.includes(c.name)) list.push(c.name);
    out.set(t, list);
  };
  for (const p of q.facts.predicates) for (const c of [...p.left.columns, ...(p.right?.columns ?? [])]) add(c, p.block);
  for (const s of q.facts.sorts) for (const c of s.expr.columns) add(c, s.block);
  return out;
}

function btree(t: TableInfo, cols: string[]): Candidate {
  const c: Candidate = { key: '', kind: 'btree', schema: t.schema, table: t.name, method: 'btree', keys: cols.map((column) => ({ column })), include: [], queries: [], needsRealIndex: false };
  c.key = createIndexSql(c);
  return c;
}

export interface DexterResult {
  indexes: Candidate[];
  evaluations: number;
}

export async function dexterBaseline(whatIf: WhatIf, queries: readonly WorkloadQuery[], resolve: TableResolver): Promise<DexterResult> {
  const chosen = new Map<string, Candidate>();
  let evaluations = 0;
  for (const q of queries) {
    const base = (await whatIf.evaluate([], [q])).costs.get(q.id);
    evaluations++;
    if (base === undefined || base <= 0) continue;
    const cands: Candidate[] = [];
    for (const [t, cols] of queryColumns(q, resolve)) {
      for (const a of cols) cands.push(btree(t, [a]));
      for (const a of cols) for (const b of cols) if (a !== b) cands.push(btree(t, [a, b]));
    }
    let best: { c: Candidate; cost: number } | undefined;
    for (const c of cands) {
      const t = resolve(c.schema, c.table);
      if (t && coveringIndex(c, t.indexes)) continue; // an existing index already is this one
      const cost = (await whatIf.evaluate([c], [q])).costs.get(q.id);
      evaluations++;
      if (cost !== undefined && (!best || cost < best.cost)) best = { c, cost };
    }
    if (best && best.cost <= base * (1 - DEXTER_THRESHOLD)) chosen.set(best.c.key, best.c);
  }
  return { indexes: [...chosen.values()], evaluations };
}
