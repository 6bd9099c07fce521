/**
 * Greedy choice of indexes for the whole workload: evaluate every candidate alone, keep
 * those that lower some query's cost by the threshold, then repeatedly take the one that
 * saves the most weighted cost with the already chosen ones in place, re-evaluating the
 * candidates whose queries the last choice changed. Stops when no candidate lowers a
 * query's current cost by the threshold. Then a redundancy pass: an index chosen early can
 * be made pointless by later ones (orders(user_id, status) once orders(user_id, created_at)
 * is there); an index is dropped when, with all the other chosen ones in place, every query
 * still keeps at least KEEP_SHARE of the cost reduction it had. The planner is behind the
 * WhatIf interface, so this is tested with a fake.
 */
import type { WhatIf } from './whatif';
import type { Candidate, QueryCost, WorkloadQuery } from './types';

export const DEFAULT_THRESHOLD = 0.3;
export const DEFAULT_MAX_SUGGESTIONS = 20;
/** share of a query's cost reduction that the other indexes must keep for one to be redundant */
export const KEEP_SHARE = 0.99;

export interface Chosen {
  candidate: Candidate;
  queries: QueryCost[];
  saving: number;
  size: number | null;
}

export interface SelectionResult {
  chosen: Chosen[];
  baseline: Map<number, number>;
  rejected: Map<string, string>;
  failed: Map<number, string>;
  /** number of what-if evaluations run */
  evaluations: number;
  /** chosen by the greedy pass, then dropped as redundant: key -> the indexes that do its work */
  redundant: Map<string, string[]>;
}

export interface SelectOptions {
  threshold?: number;
  maxSuggestions?: number;
  /** which queries a candidate can change (default: those reading its table) */
  queriesFor?: (c: Candidate) => WorkloadQuery[];
  signal?: AbortSignal;
  progress?: (message: string, fraction?: number) => void;
}

export function queriesOfTable(queries: readonly WorkloadQuery[], resolveTable: (schema: string | undefined, name: string) => { schema: string; name: string } | undefined) {
  return (c: Candidate) =>
    queries.filter((q) => q.facts.relations.some((r) => r.kind === 'table' && r.name && (() => {
      const t = resolveTable(r.schema, r.name);
      return !!t && t.schema === c.schema && t.name === c.table;
    })()));
}

interface Scored {
  candidate: Candidate;
  costs: Map<number, number>;
  saving: number;
  improved: QueryCost[];
}

export async function selectIndexes(whatIf: WhatIf, queries: readonly WorkloadQuery[], candidates: readonly Candidate[], o: SelectOptions = {}): Promise<SelectionResult> {
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  const max = o.maxSuggestions ?? DEFAULT_MAX_SUGGESTIONS;
  const queriesFor = o.queriesFor ?? (() => [...queries]);
  const weight = new Map(queries.map((q) => [q.id, q.weight]));
  let evaluations = 1;
  const base = await whatIf.evaluate([], queries);
  const baseline = base.costs;
  const current = new Map(baseline);
  const rejected = new Map<string, string>();
  const chosen: Chosen[] = [];

  const score = async (c: Candidate): Promise<Scored | undefined> => {
    const qs = queriesFor(c).filter((q) => current.has(q.id));
    if (qs.length === 0) return undefined;
    evaluations++;
    const r = await whatIf.evaluate([...chosen.map((x) => x.candidate), c], qs);
    for (const [k, m] of r.rejected) rejected.set(k, m);
    if (r.rejected.size) return undefined;
    let saving = 0;
    const improved: QueryCost[] = [];
    for (const q of qs) {
      const now = current.get(q.id)!;
      const after = r.costs.get(q.id);
      if (after === undefined) continue;
      saving += (now - after) * (weight.get(q.id) ?? 1);
      if (now > 0 && after < now && after <= now * (1 - threshold)) improved.push({ query: q.id, costBefore: baseline.get(q.id)!, costAfter: after });
    }
    return improved.length ? { candidate: c, costs: r.costs, saving, improved } : undefined;
  };

  let pool: Scored[] = [];
  for (const [i, c] of candidates.entries()) {
    if (o.signal?.aborted) throw new Error('cancelled');
    o.progress?.(`Evaluating candidate ${i + 1} of ${candidates.length}`, candidates.length ? i / candidates.length : 1);
    const s = await score(c);
    if (s) pool.push(s);
  }

  while (pool.length && chosen.length < max) {
    if (o.signal?.aborted) throw new Error('cancelled');
    pool.sort((a, b) => b.saving - a.saving || a.candidate.keys.length - b.candidate.keys.length);
    const best = pool.shift()!;
    if (best.saving <= 0) break;
    const sized = await whatIf.evaluate([best.candidate], [], true);
    evaluations++;
    chosen.push({ candidate: best.candidate, queries: best.improved, saving: best.saving, size: sized.sizes.get(best.candidate.key) ?? null });
    const touched = new Set(best.costs.keys());
    for (const [id, cost] of best.costs) current.set(id, Math.min(current.get(id)!, cost));
    // the others: re-score those sharing a query with the choice, keep the rest as they were
    const next: Scored[] = [];
    for (const s of pool) {
      if (![...s.costs.keys()].some((id) => touched.has(id))) {
        next.push(s);
        continue;
      }
      const again = await score(s.candidate);
      if (again) next.push(again);
    }
    pool = next;
  }
  const redundant = new Map<string, string[]>();
  if (chosen.length > 1) {
    // the weakest first: the ones most likely to be someone else's work
    const order = [...chosen].sort((a, b) => a.saving - b.saving);
    const all = await whatIf.evaluate(chosen.map((c) => c.candidate), queries);
    evaluations++;
    let best = all.costs;
    for (const c of order) {
      if (o.signal?.aborted) throw new Error('cancelled');
      const rest = chosen.filter((x) => x !== c);
      const qs = queriesFor(c.candidate).filter((q) => best.has(q.id));
      if (qs.length === 0) continue;
      const r = await whatIf.evaluate(rest.map((x) => x.candidate), qs);
      evaluations++;
      const keeps = qs.every((q) => {
        const before = baseline.get(q.id);
        const withIt = best.get(q.id)!;
        const without = r.costs.get(q.id);
        if (before === undefined || without === undefined) return false;
        const gain = before - withIt;
        return gain <= 0 || without <= withIt || before - without >= gain * KEEP_SHARE;
      });
      if (!keeps) continue;
      chosen.splice(chosen.indexOf(c), 1);
      const same = rest.filter((x) => x.candidate.schema === c.candidate.schema && x.candidate.table === c.candidate.table);
      redundant.set(c.candidate.key, same.map((x) => x.candidate.key));
      best = new Map([...best, ...r.costs]);
    }
  }
  return { chosen, baseline, rejected, failed: base.failed, evaluations, redundant };
}
