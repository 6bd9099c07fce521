/**
 * pg_stat_statements as workload (live server): each statement weighted by calls x mean
 * time (its total execution time, ms), sqlperf's own statements left out by the same read
 * as Slow Queries (tagged, EXPLAIN/PREPARE/SAVEPOINT, hypopg_ calls). Merged into the
 * workspace's workload by fingerprint: a shape found in both is one query that keeps its
 * workspace text and locations (constants and all) and takes the server's weight on top.
 */
import { fingerprintPg } from '../../server/engine/parse/pgquery';
import type { QueryTarget } from '../db/target';
import { readStatStatements } from '../slow/stats';
import { isSlowQueriesUnavailable } from '../slow/unavailable';
import type { WorkloadQuery } from './types';
import { buildWorkload } from './workload';

export interface StatsWorkload {
  queries: WorkloadQuery[];
  /** why the server's statistics were not used, when they were not */
  unavailable?: string;
}

/** The server's statements as workload queries (ids from 0; no locations). */
export async function statsWorkload(target: QueryTarget, maxRows = 500): Promise<StatsWorkload> {
  if (target.kind !== 'server') return { queries: [] };
  let read;
  try {
    read = await readStatStatements(target, { maxRows });
  } catch (e) {
    if (isSlowQueriesUnavailable(e)) return { queries: [], unavailable: e.message };
    throw e;
  }
  const rows = read.rows.filter((r) => r.calls > 0);
  const queries = buildWorkload(rows.map((r) => ({ text: r.query, location: { file: '', line: 0, column: 0 }, weight: r.calls * r.meanTimeMs })));
  // buildWorkload keeps a location per source; stats rows have none
  const byText = new Map(rows.map((r) => [r.query.trim().replace(/;\s*$/, ''), r]));
  for (const q of queries) {
    q.locations = [];
    const r = byText.get(q.text);
    q.stats = { calls: r?.calls ?? 0, meanTimeMs: r?.meanTimeMs ?? 0 };
  }
  return { queries };
}

/**
 * Workspace queries first (their text and locations win); a server query with the same
 * fingerprint adds its weight and statistics; the rest are appended with fresh ids.
 */
export function mergeWorkloads(workspace: readonly WorkloadQuery[], server: readonly WorkloadQuery[]): WorkloadQuery[] {
  const out = workspace.map((q) => ({ ...q, locations: [...q.locations] }));
  const byShape = new Map<string, WorkloadQuery>();
  for (const q of out) byShape.set(fingerprintPg(q.text) ?? q.text, q);
  let next = out.reduce((m, q) => Math.max(m, q.id + 1), 0);
  for (const s of server) {
    const shape = fingerprintPg(s.text) ?? s.text;
    const seen = byShape.get(shape);
    if (seen) {
      seen.weight += s.weight;
      seen.stats = mergeStats(seen.stats, s.stats);
      continue;
    }
    const copy = { ...s, id: next++, locations: [] };
    byShape.set(shape, copy);
    out.push(copy);
  }
  return out;
}

function mergeStats(a: WorkloadQuery['stats'], b: WorkloadQuery['stats']): WorkloadQuery['stats'] {
  if (!a) return b;
  if (!b) return a;
  const calls = a.calls + b.calls;
  return { calls, meanTimeMs: calls ? (a.calls * a.meanTimeMs + b.calls * b.meanTimeMs) / calls : 0 };
}
