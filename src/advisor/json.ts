/** The `sqlperf advise --format json` shape (issue 6), from a report. Pure. */
import type { AdviceReport, HousekeepingKind, IndexKind, QueryLocation } from './types';

export interface AdviceJson {
  suggestions: Array<{
    table: string;
    definition: string;
    columns: string[];
    kind: IndexKind;
    estimatedSizeBytes: number | null;
    queries: Array<{ location: string; costBefore: number; costAfter: number }>;
  }>;
  housekeeping: Array<{ kind: HousekeepingKind; table: string; index: string | null; detail: string }>;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function toAdviceJson(r: AdviceReport, where: (l: QueryLocation) => string): AdviceJson {
  const byId = new Map(r.queries.map((q) => [q.id, q]));
  return {
    suggestions: r.suggestions.map((s) => ({
      table: s.candidate.schema === 'public' ? s.candidate.table : `${s.candidate.schema}.${s.candidate.table}`,
      definition: s.definition,
      columns: s.candidate.keys.map((k) => k.column ?? k.expression ?? ''),
      kind: s.candidate.kind,
      estimatedSizeBytes: s.estimatedSizeBytes,
      queries: s.queries.flatMap((qc) =>
        (byId.get(qc.query)?.locations ?? []).map((l) => ({ location: where(l), costBefore: round(qc.costBefore), costAfter: round(qc.costAfter) })),
      ),
    })),
    housekeeping: r.housekeeping.map((h) => ({ kind: h.kind, table: h.table, index: h.index ?? null, detail: h.detail })),
  };
}
