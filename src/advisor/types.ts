/**
 * The index advisor's plain data: workload queries, candidates, suggestions and
 * housekeeping findings. No database, no vscode.
 */
import type { Facts } from '../../server/engine/facts/types';

export type IndexKind = 'btree' | 'partial' | 'expression' | 'covering' | 'gin_trgm' | 'brin';

/** Where a statement was found (1-based line and column). */
export interface QueryLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** One statement shape of the workload. */
export interface WorkloadQuery {
  id: number;
  /** the statement with `$n` placeholders (what is explained) */
  text: string;
  facts: Facts;
  /** the statement's select-list column names per relation reference (for INCLUDE) */
  outputColumns: OutputColumns;
  /** every place it occurs */
  locations: QueryLocation[];
  /** how much it counts: occurrences (or calls x mean time from pg_stat_statements) */
  weight: number;
  /** pg_stat_statements figures when the server ran it (a query only the server knows has no locations) */
  stats?: { calls: number; meanTimeMs: number };
}

/** Select-list columns of the statement's outermost block: qualifier ('' = none) -> names; star = unknown. */
export interface OutputColumns {
  star: boolean;
  columns: Array<{ qualifier?: string; name: string }>;
}

/** A table as the catalog knows it. */
export interface TableInfo {
  schema: string;
  name: string;
  columns: string[];
  /** estimated rows (reltuples) */
  rows: number;
  indexes: ExistingIndex[];
  /**
   * pg_stats.correlation of columns (physical order vs value order), read on a live
   * server only: near +-1 marks an append-only column, where a tiny BRIN index does the work
   */
  correlation?: Record<string, number>;
  /** write activity from pg_stat_user_tables (live server only) */
  writes?: TableWrites;
}

export interface TableWrites {
  inserts: number;
  updates: number;
  deletes: number;
  /** sequential + index scans */
  reads: number;
  /** the table and its indexes, bytes */
  sizeBytes: number;
}

export interface ExistingIndex {
  name: string;
  method: string;
  /** key columns; an expression key is its text (pg_get_indexdef of that column) */
  keys: string[];
  include: string[];
  /** pg_get_expr(indpred), or undefined */
  predicate?: string;
  unique: boolean;
  primary: boolean;
}

export interface IndexKey {
  /** a column name, or the text of an expression (already using quoted column names) */
  column?: string;
  expression?: string;
  /** gin_trgm_ops etc. */
  opclass?: string;
}

export interface Candidate {
  /** stable identity: the definition without a name */
  key: string;
  kind: IndexKind;
  schema: string;
  table: string;
  method: 'btree' | 'gin' | 'brin';
  keys: IndexKey[];
  include: string[];
  /** partial index predicate, SQL text with quoted identifiers */
  where?: string;
  /** workload query ids it came from */
  queries: number[];
  /** cannot be hypothetical (GIN): verified on the embedded database only */
  needsRealIndex: boolean;
}

export interface QueryCost {
  query: number;
  costBefore: number;
  costAfter: number;
}

export interface Suggestion {
  candidate: Candidate;
  /** a complete CREATE INDEX CONCURRENTLY statement */
  definition: string;
  estimatedSizeBytes: number | null;
  /** the queries it speeds up by at least the threshold (with the suggestions chosen before it in place) */
  queries: QueryCost[];
  /** weighted cost saved */
  saving: number;
  /** how it was verified */
  verifiedBy: 'hypopg' | 'embedded';
  /** what it costs on writes (absent in reports made before this field existed) */
  writeCost?: WriteCost;
}

/** The price of an index on writes: every INSERT, and UPDATEs that touch its columns, maintain it. */
export interface WriteCost {
  /** indexes each INSERT on the table maintains today */
  indexesBefore: number;
  /** ... and with every suggestion for this table created */
  indexesAfter: number;
  /** the table's writes (n_tup_ins + n_tup_upd + n_tup_del) since the statistics reset; server only */
  tableWrites?: number;
  /** its sequential + index scans since the statistics reset; server only */
  tableReads?: number;
  /** writes outnumber reads: each index slows the dominant work down */
  writeHeavy: boolean;
}

export type HousekeepingKind =
  | 'unused-index'
  | 'duplicate-index'
  | 'redundant-index'
  | 'fk-without-index'
  | 'seq-scan-heavy'
  | 'dead-tuples'
  | 'stale-statistics';

export interface HousekeepingFinding {
  kind: HousekeepingKind;
  /** schema-qualified table, as displayed */
  table: string;
  index?: string;
  detail: string;
}

export interface AdviceReport {
  suggestions: Suggestion[];
  housekeeping: HousekeepingFinding[];
  queries: WorkloadQuery[];
  /** things the user should know: skipped candidates, unavailable extensions, failed queries */
  notes: string[];
  target: 'server' | 'embedded';
}
