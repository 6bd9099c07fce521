/**
 * Plain data shared by the slow-queries parts (matching, server queries, CLI, VS Code view).
 */

/** One SQL statement found in the workspace, positioned for people (1-based line/column). */
export interface WorkspaceStatement {
  /** absolute path (the CLI shows it relative to the current directory) */
  file: string;
  /** 1-based line and UTF-16 column of the statement's first character */
  line: number;
  column: number;
  /** 0-based UTF-16 offsets in the file (for code lens and diagnostics ranges) */
  start: number;
  end: number;
  endLine: number;
  endColumn: number;
  /** the SQL as analyzed (embedded SQL: with `$n` for interpolations) */
  text: string;
  /** libpg-query fingerprint; null when the statement does not fingerprint */
  fingerprint: string | null;
  /** host language (typescript, python, go, ...) or 'sql' */
  language: string;
}

/** One row of pg_stat_statements, reduced to what sqlperf shows. */
export interface StatRow {
  queryid: string;
  query: string;
  calls: number;
  totalTimeMs: number;
  meanTimeMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
}

export type SlowOrder = 'total' | 'mean' | 'calls' | 'rows' | 'reads';
export const SLOW_ORDERS: readonly SlowOrder[] = ['total', 'mean', 'calls', 'rows', 'reads'];

/** Server statistics for one statement shape (rows with the same fingerprint merged), with where it lives. */
export interface SlowEntry {
  /** the query text as pg_stat_statements shows it (constants as $n) */
  query: string;
  /** fingerprint, or `queryid:<id>` when the server's text does not parse */
  key: string;
  queryids: string[];
  calls: number;
  totalTimeMs: number;
  meanTimeMs: number;
  rows: number;
  sharedBlksHit: number;
  sharedBlksRead: number;
  /** share of the total execution time of all statements read (0..1) */
  shareOfTotal: number;
  /** workspace statements with the same fingerprint; empty = not found in the workspace */
  locations: WorkspaceStatement[];
}
