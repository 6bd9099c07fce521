/**
 * The join: pg_stat_statements rows and workspace statements by fingerprint. Pure.
 */
import { fingerprintStatement } from './fingerprint';
import type { SlowEntry, SlowOrder, StatRow, WorkspaceStatement } from './types';

export interface MatchOptions {
  order?: SlowOrder;
  /** at most this many entries (after ordering); undefined = all */
  limit?: number;
  /** fingerprinting, injectable for tests; default libpg-query */
  fingerprint?: (sql: string) => string | null;
}

/** Groups rows by fingerprint (a shape may have several queryids: users, top level), attaches locations, orders. */
export function matchStatements(rows: readonly StatRow[], statements: readonly WorkspaceStatement[], o: MatchOptions = {}): SlowEntry[] {
  const fp = o.fingerprint ?? fingerprintStatement;
  const byFingerprint = new Map<string, WorkspaceStatement[]>();
  for (const s of statements) {
    if (!s.fingerprint) continue;
    const list = byFingerprint.get(s.fingerprint);
    if (list) list.push(s);
    else byFingerprint.set(s.fingerprint, [s]);
  }
  const groups = new Map<string, SlowEntry>();
  let grandTotal = 0;
  for (const r of rows) {
    grandTotal += r.totalTimeMs;
    const key = fp(r.query) ?? `queryid:${r.queryid}`;
    const g = groups.get(key);
    if (g) {
      g.queryids.push(r.queryid);
      g.calls += r.calls;
      g.totalTimeMs += r.totalTimeMs;
      g.rows += r.rows;
      g.sharedBlksHit += r.sharedBlksHit;
      g.sharedBlksRead += r.sharedBlksRead;
      if (r.calls > 0) g.meanTimeMs = g.totalTimeMs / g.calls;
    } else {
      groups.set(key, {
        query: r.query,
        key,
        queryids: [r.queryid],
        calls: r.calls,
        totalTimeMs: r.totalTimeMs,
        meanTimeMs: r.meanTimeMs,
        rows: r.rows,
        sharedBlksHit: r.sharedBlksHit,
        sharedBlksRead: r.sharedBlksRead,
        shareOfTotal: 0,
        locations: sortLocations(byFingerprint.get(key) ?? []),
      });
    }
  }
  const entries = [...groups.values()];
  for (const e of entries) e.shareOfTotal = grandTotal > 0 ? e.totalTimeMs / grandTotal : 0;
  entries.sort(comparator(o.order ?? 'total'));
  return o.limit !== undefined ? entries.slice(0, o.limit) : entries;
}

function sortLocations(list: WorkspaceStatement[]): WorkspaceStatement[] {
  return [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
}

const METRIC: Record<SlowOrder, (e: SlowEntry) => number> = {
  total: (e) => e.totalTimeMs,
  mean: (e) => e.meanTimeMs,
  calls: (e) => e.calls,
  rows: (e) => e.rows,
  reads: (e) => e.sharedBlksRead,
};

export function comparator(order: SlowOrder): (a: SlowEntry, b: SlowEntry) => number {
  const m = METRIC[order];
  return (a, b) => m(b) - m(a) || b.totalTimeMs - a.totalTimeMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** Entries per workspace statement (for code lens and diagnostics of one file). */
export function entriesByLocation(entries: readonly SlowEntry[]): Map<WorkspaceStatement, SlowEntry> {
  const m = new Map<WorkspaceStatement, SlowEntry>();
  for (const e of entries) for (const l of e.locations) m.set(l, e);
  return m;
}
