/** Constructors for the reported layer, shared by the JSON and text parsers. */
import type { NodeIdentity } from './nodeNames';
import type { ReportedNode, ReportedPlan, WorkerFigures } from './types';

export function newReportedNode(identity: NodeIdentity, parentIndex: number | null): ReportedNode {
  return {
    parentIndex,
    ...identity,
    parentRelationship: null,
    subplanName: null,
    startupCost: null,
    totalCost: null,
    planRows: null,
    planWidth: null,
    actualStartupTimeMs: null,
    actualTotalTimeMs: null,
    actualRows: null,
    actualLoops: null,
    neverExecuted: false,
    workersPlanned: null,
    workersLaunched: null,
    singleCopy: false,
    workers: [],
    rowsRemovedByFilter: null,
    rowsRemovedByJoinFilter: null,
    rowsRemovedByIndexRecheck: null,
    heapFetches: null,
    exactHeapBlocks: null,
    lossyHeapBlocks: null,
    buffers: null,
    io: null,
    sort: null,
    hash: null,
    hashAgg: null,
    properties: {},
  };
}

export function newWorker(workerNumber: number): WorkerFigures {
  return {
    workerNumber,
    actualStartupTimeMs: null,
    actualTotalTimeMs: null,
    actualRows: null,
    actualLoops: null,
    buffers: null,
    sort: null,
    properties: {},
  };
}

export function newReportedPlan(source: 'json' | 'text'): ReportedPlan {
  return {
    source,
    nodes: [],
    planningTimeMs: null,
    executionTimeMs: null,
    planningBuffers: null,
    jit: null,
    triggers: [],
    settings: {},
    queryIdentifier: null,
    serialization: null,
    warnings: [],
  };
}

/**
 * Infers "Parent Relationship" for children the text format does not label (JSON always
 * does): members of Append-like nodes, the subquery of a Subquery Scan, else Outer then
 * Inner, as PostgreSQL assigns them.
 */
export function inferRelationships(nodes: ReportedNode[]): void {
  const seen = new Map<number, number>();
  const regularCount = new Map<number, number>();
  for (const n of nodes) {
    if (n.parentIndex !== null && n.parentRelationship === null) {
      regularCount.set(n.parentIndex, (regularCount.get(n.parentIndex) ?? 0) + 1);
    }
  }
  for (const n of nodes) {
    if (n.parentIndex === null || n.parentRelationship !== null) continue;
    const parent = nodes[n.parentIndex];
    const ordinal = seen.get(n.parentIndex) ?? 0;
    seen.set(n.parentIndex, ordinal + 1);
    const count = regularCount.get(n.parentIndex) ?? 1;
    if (['Append', 'Merge Append', 'BitmapAnd', 'BitmapOr'].includes(parent.baseType)) n.parentRelationship = 'Member';
    else if (parent.baseType === 'ModifyTable' && count > 1) n.parentRelationship = 'Member';
    else if (parent.baseType === 'Subquery Scan') n.parentRelationship = 'Subquery';
    else if (parent.baseType === 'Custom Scan') n.parentRelationship = 'Child';
    else n.parentRelationship = ordinal === 0 ? 'Outer' : ordinal === 1 ? 'Inner' : 'Member';
  }
}
