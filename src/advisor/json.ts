/** The `sqlperf advise --format json` shape (issue 6), from a report. Pure. */
import type { AdviceReport, HousekeepingKind, IndexKind, QueryLocation, WriteCost } from './types';

export interface AdviceJson {
  suggestions: Array<{
    table: string;
    definition: string;
    columns: string[];
    kind: IndexKind;
    estimatedSizeBytes: number | null;
    queries: Array<{ location: string; costBefore: number; costAfter: number }>;
    /** extra fields (beyond the shape): how it was verified and what it costs on writes */
    verifiedBy: 'hypopg' | 'embedded';
    writeCost: WriteCost | null;
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
      queries: s.queries.flatMap((qc) => {
        const q = byId.get(qc.query);
        // a statement only the server knows (pg_stat_statements) has no place in the code
        const places = q?.locations.length ? q.locations.map(where) : q?.stats ? [`pg_stat_statements: ${q.text.replace(/\s+/g, ' ').slice(0, 120)}`] : [];
        return places.map((location) => ({ location, costBefore: round(qc.costBefore), costAfter: round(qc.costAfter) }));
      }),
      verifiedBy: s.verifiedBy,
      writeCost: s.writeCost ?? null,
    })),
    housekeeping: r.housekeeping.map((h) => ({ kind: h.kind, table: h.table, index: h.index ?? null, detail: h.detail })),
  };
}
