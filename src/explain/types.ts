/**
 * The plan model: what `src/explain/` turns EXPLAIN output into. Plain data only, so the
 * CLI, the plan panel and tests can all read it without knowing where the plan came from.
 *
 * Two layers:
 * - `Reported*`: what EXPLAIN printed, normalised so the JSON and the text format give the
 *   same values (per-loop figures exactly as PostgreSQL shows them);
 * - `PlanNode` / `PlanModel`: the reported figures plus what we derive (loop- and
 *   parallel-corrected inclusive time, exclusive time and buffers, misestimates, ...).
 */

/** Shared/local/temp block counters, as in `Buffers:`. Counts are totals over all loops and processes. */
export interface BufferCounts {
  sharedHit: number;
  sharedRead: number;
  sharedDirtied: number;
  sharedWritten: number;
  localHit: number;
  localRead: number;
  localDirtied: number;
  localWritten: number;
  tempRead: number;
  tempWritten: number;
}

export const BUFFER_KEYS: readonly (keyof BufferCounts)[] = [
  'sharedHit', 'sharedRead', 'sharedDirtied', 'sharedWritten',
  'localHit', 'localRead', 'localDirtied', 'localWritten',
  'tempRead', 'tempWritten',
];

/**
 * I/O timings (`track_io_timing`), in ms, totals over loops and processes. PostgreSQL 15 and
 * older report shared and local together ("I/O Read Time", "shared/local read="): that lands
 * in `sharedReadMs` / `sharedWriteMs`.
 */
export interface IoTimes {
  sharedReadMs: number;
  sharedWriteMs: number;
  localReadMs: number;
  localWriteMs: number;
  tempReadMs: number;
  tempWriteMs: number;
}

export const IO_KEYS: readonly (keyof IoTimes)[] = [
  'sharedReadMs', 'sharedWriteMs', 'localReadMs', 'localWriteMs', 'tempReadMs', 'tempWriteMs',
];

export interface SortInfo {
  /** "quicksort", "top-N heapsort", "external merge", "external sort", ... */
  method: string | null;
  /** "Memory" or "Disk". */
  spaceType: string | null;
  spaceKb: number | null;
}

export interface HashInfo {
  buckets: number | null;
  originalBuckets: number | null;
  batches: number | null;
  originalBatches: number | null;
  memoryKb: number | null;
}

/** HashAggregate spill figures (PostgreSQL 13+). */
export interface HashAggInfo {
  batches: number | null;
  plannedPartitions: number | null;
  memoryKb: number | null;
  diskKb: number | null;
}

/** One parallel worker's own figures for a node (VERBOSE; sort/hash details also without it). */
export interface WorkerFigures {
  workerNumber: number;
  actualStartupTimeMs: number | null;
  actualTotalTimeMs: number | null;
  actualRows: number | null;
  actualLoops: number | null;
  buffers: BufferCounts | null;
  sort: SortInfo | null;
  /** Everything else the worker section printed, as text. */
  properties: Record<string, string>;
}

/** Where a node hangs under its parent, as EXPLAIN's "Parent Relationship" says. */
export type ParentRelationship = 'Outer' | 'Inner' | 'Member' | 'Subquery' | 'InitPlan' | 'SubPlan' | 'Child';

/** A node as EXPLAIN reported it. Per-loop figures are exactly as printed (averages per loop). */
export interface ReportedNode {
  /** Index of the parent in the preorder list; null for the root. */
  parentIndex: number | null;
  /**
   * The name EXPLAIN's text format prints: "Parallel Seq Scan", "HashAggregate",
   * "Finalize GroupAggregate", "Hash Left Join", "Insert", "HashSetOp Except".
   * (Scan direction is not part of it: see `scanDirection`.)
   */
  nodeType: string;
  /** The JSON "Node Type": "Seq Scan", "Aggregate", "Hash Join", "ModifyTable", "SetOp". */
  baseType: string;
  parallelAware: boolean;
  asyncCapable: boolean;
  /** Aggregate/SetOp strategy: "Plain" | "Sorted" | "Hashed" | "Mixed". */
  strategy: string | null;
  /** Aggregate "Partial" | "Finalize" | "Simple". */
  partialMode: string | null;
  /** ModifyTable / Foreign Scan operation: "Insert", "Update", "Delete", "Merge", "Select". */
  operation: string | null;
  /** SetOp command: "Intersect", "Except All", ... */
  command: string | null;
  /** "Backward" for backward index scans. */
  scanDirection: string | null;
  relation: string | null;
  schema: string | null;
  alias: string | null;
  index: string | null;
  cteName: string | null;
  functionName: string | null;
  /** "Inner", "Left", "Full", "Right", "Semi", "Anti", "Right Anti", ... */
  joinType: string | null;
  parentRelationship: ParentRelationship | null;
  /** "InitPlan 1 (returns $0)", "InitPlan 1", "SubPlan 2", "CTE x". */
  subplanName: string | null;
  startupCost: number | null;
  totalCost: number | null;
  planRows: number | null;
  planWidth: number | null;
  /** Per loop, as printed. */
  actualStartupTimeMs: number | null;
  /** Per loop, as printed. */
  actualTotalTimeMs: number | null;
  /** Per loop, as printed (rounded by PostgreSQL before 18). */
  actualRows: number | null;
  actualLoops: number | null;
  neverExecuted: boolean;
  workersPlanned: number | null;
  workersLaunched: number | null;
  /** Gather "Single Copy": the leader does not run the parallel part itself. */
  singleCopy: boolean;
  workers: WorkerFigures[];
  /** Per loop, as printed. */
  rowsRemovedByFilter: number | null;
  rowsRemovedByJoinFilter: number | null;
  rowsRemovedByIndexRecheck: number | null;
  heapFetches: number | null;
  /** Bitmap heap scan: pages kept exactly / only as lossy (whole-page) entries. Totals. */
  exactHeapBlocks: number | null;
  lossyHeapBlocks: number | null;
  /** As printed: inclusive of the node's children. */
  buffers: BufferCounts | null;
  io: IoTimes | null;
  sort: SortInfo | null;
  hash: HashInfo | null;
  hashAgg: HashAggInfo | null;
  /** Every other detail line, as text ("Filter", "Index Cond", "Output", "Sort Key", ...). Arrays joined with ", ". */
  properties: Record<string, string>;
}

export interface JitInfo {
  functions: number | null;
  options: Record<string, boolean>;
  generationMs: number | null;
  inliningMs: number | null;
  optimizationMs: number | null;
  emissionMs: number | null;
  totalMs: number | null;
}

export interface TriggerInfo {
  name: string;
  constraintName: string | null;
  relation: string | null;
  timeMs: number | null;
  calls: number | null;
}

/** What EXPLAIN reported for the whole statement, before anything is derived. */
export interface ReportedPlan {
  source: 'json' | 'text';
  /** Preorder: parents before children, children in EXPLAIN's order. */
  nodes: ReportedNode[];
  planningTimeMs: number | null;
  executionTimeMs: number | null;
  planningBuffers: BufferCounts | null;
  jit: JitInfo | null;
  triggers: TriggerInfo[];
  settings: Record<string, string>;
  queryIdentifier: string | null;
  serialization: { timeMs: number | null; outputKb: number | null; format: string | null } | null;
  warnings: string[];
}

export interface Misestimate {
  /** max(actual/estimated, estimated/actual), both per loop and floored at one row. */
  factor: number;
  /** 'under': more rows than the planner expected; 'over': fewer. Null when exact. */
  direction: 'under' | 'over' | null;
}

export interface PlanNode extends ReportedNode {
  /** Preorder index: 0 is the root. */
  id: number;
  parentId: number | null;
  childIds: number[];
  depth: number;
  /** Last id of this node's subtree (ids are preorder, so the subtree is [id, subtreeEnd]). */
  subtreeEnd: number;
  /**
   * How many processes ran this node: 1 outside a Gather; under one, from the per-worker
   * figures when VERBOSE gave them, else workers launched + 1 (the leader takes part by default).
   */
  processes: number;
  /** Wall-clock time of the node and its children, ms, corrected for loops and parallel workers (see parallel.ts). */
  inclusiveTimeMs: number | null;
  /** Time in this node alone, ms (see exclusive.ts for CTE/InitPlan attribution). Never negative. */
  exclusiveTimeMs: number | null;
  /** exclusiveTimeMs as a percentage of the execution time (or of the root's time when there is none). */
  percentOfTotal: number | null;
  /** planRows × loops (planRows alone without ANALYZE). */
  rowsEstimatedTotal: number | null;
  /** actualRows × loops. */
  rowsActualTotal: number | null;
  misestimate: Misestimate | null;
  /** Totals over loops (EXPLAIN prints them per loop). */
  rowsRemovedByFilterTotal: number | null;
  rowsRemovedByJoinFilterTotal: number | null;
  rowsRemovedByIndexRecheckTotal: number | null;
  /** Rows removed by the node's filter / rows it read (removed + returned), 0..1. */
  filterRatio: number | null;
  exclusiveBuffers: BufferCounts | null;
  exclusiveIo: IoTimes | null;
}

export interface PlanModel extends Omit<ReportedPlan, 'nodes'> {
  nodes: PlanNode[];
  /** The root's total cost. */
  totalCost: number | null;
  /** True when any node has actual figures (EXPLAIN ANALYZE). */
  hasAnalyze: boolean;
  /** True when any node has actual times (ANALYZE without TIMING OFF). */
  hasTiming: boolean;
  /** The root's inclusive time. */
  rootTimeMs: number | null;
  /**
   * Execution time not inside any node: executor start-up and shutdown, AFTER triggers
   * (executionTimeMs − rootTimeMs, floored at 0). Null without both figures.
   */
  unattributedTimeMs: number | null;
}

export type TipId =
  | 'index-potential'
  | 'row-misestimate'
  | 'spill-to-disk'
  | 'lossy-bitmap'
  | 'cache-misses'
  | 'filter-inefficiency'
  | 'nested-loop-many-loops'
  | 'parallel-not-launched'
  | 'jit-overhead'
  | 'planning-time';

export interface Tip {
  id: TipId;
  /** The node the tip is about; null for statement-level tips (JIT, planning time). */
  nodeId: number | null;
  /** 0..5, higher is more worth a look. */
  score: number;
  title: string;
  detail: string;
}

export interface NodeChange {
  beforeId: number;
  afterId: number;
  /** How the pair was found. */
  matchedBy: 'path' | 'relation' | 'index' | 'position';
  nodeType: { before: string; after: string } | null;
  /** Inclusive time, ms; ratio = before / after (> 1: faster). */
  time: { before: number; after: number; ratio: number } | null;
  /** Actual rows (total) when both have them, else estimated rows. */
  rows: { before: number; after: number; actual: boolean } | null;
  cost: { before: number; after: number } | null;
}

export interface PlanDiff {
  matches: NodeChange[];
  unmatchedBefore: number[];
  unmatchedAfter: number[];
  verdict: {
    outcome: 'faster' | 'slower' | 'same';
    /** before / after of the basis: 2 means twice as fast, 0.5 twice as slow. */
    ratio: number;
    basis: 'execution-time' | 'total-cost';
    before: number;
    after: number;
  } | null;
}
