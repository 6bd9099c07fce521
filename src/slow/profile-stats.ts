/**
 * Profile statistics. Pure. p95 is the nearest-rank percentile (the smallest sample at or
 * above 95 % of them), so it is always one of the measured times and min <= median <= p95
 * <= max holds by construction.
 */

export interface TimeSummary {
  runs: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  stddevMs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

export function summarizeTimes(times: readonly number[]): TimeSummary {
  const sorted = [...times].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n ? sorted.reduce((s, x) => s + x, 0) / n : NaN;
  const variance = n > 1 ? sorted.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : 0;
  return {
    runs: n,
    minMs: n ? sorted[0] : NaN,
    medianMs: median(sorted),
    p95Ms: percentile(sorted, 95),
    maxMs: n ? sorted[n - 1] : NaN,
    meanMs: mean,
    stddevMs: Math.sqrt(variance),
  };
}

/** What one analyzed run reports, read from EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). */
export interface RunFigures {
  executionTimeMs: number;
  planningTimeMs: number;
  /** rows the top plan node returned (Actual Rows x Actual Loops) */
  rows: number;
  sharedHitBlocks: number;
  sharedReadBlocks: number;
}

export function runFigures(planJson: unknown): RunFigures {
  const top = (Array.isArray(planJson) ? planJson[0] : planJson) as Record<string, unknown> | undefined;
  const plan = (top?.Plan ?? {}) as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return {
    executionTimeMs: n(top?.['Execution Time']),
    planningTimeMs: n(top?.['Planning Time']),
    rows: n(plan['Actual Rows']) * (n(plan['Actual Loops']) || 1),
    sharedHitBlocks: n(plan['Shared Hit Blocks']),
    sharedReadBlocks: n(plan['Shared Read Blocks']),
  };
}

export interface ProfileResult {
  summary: TimeSummary;
  /** execution time of each measured run, in order (the warm-up not included) */
  timesMs: number[];
  /** rows and buffers of the last run */
  last: RunFigures;
  /** the last run's plan, for showing next to the figures */
  planJson: unknown;
  statementKind: string;
  /** the runs were stopped early; `summary` covers the runs done */
  cancelled: boolean;
}

const fmt = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3)) : '-');

export function formatProfileText(r: ProfileResult): string {
  const s = r.summary;
  const lines = [
    `runs       ${s.runs} (after 1 warm-up run${r.cancelled ? '; cancelled early' : ''})`,
    `min        ${fmt(s.minMs)} ms`,
    `median     ${fmt(s.medianMs)} ms`,
    `p95        ${fmt(s.p95Ms)} ms`,
    `max        ${fmt(s.maxMs)} ms`,
    `mean       ${fmt(s.meanMs)} ms (stddev ${fmt(s.stddevMs)} ms)`,
    `rows       ${r.last.rows} (last run)`,
    `buffers    shared hit ${r.last.sharedHitBlocks}, read ${r.last.sharedReadBlocks} (last run)`,
    `timing     server-side Execution Time of EXPLAIN (ANALYZE, BUFFERS); each run in its own transaction, rolled back`,
  ];
  return lines.join('\n') + '\n';
}

export function profileJson(r: ProfileResult): Record<string, unknown> {
  return {
    runs: r.summary.runs,
    minMs: r.summary.minMs,
    medianMs: r.summary.medianMs,
    p95Ms: r.summary.p95Ms,
    maxMs: r.summary.maxMs,
    meanMs: r.summary.meanMs,
    stddevMs: r.summary.stddevMs,
    timesMs: r.timesMs,
    rows: r.last.rows,
    sharedHitBlocks: r.last.sharedHitBlocks,
    sharedReadBlocks: r.last.sharedReadBlocks,
    statementKind: r.statementKind,
    cancelled: r.cancelled,
  };
}
