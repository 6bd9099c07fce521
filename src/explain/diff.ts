/**
 * Diff of two plans of (usually) the same statement: which node became which, what changed,
 * and whether the whole got faster.
 *
 * Matching, in passes, each pass only over nodes still unmatched:
 *   1. same structural path (the chain of parent relationships from the root) + node type + relation;
 *   2. same relation and alias (a Seq Scan on t that became an Index Scan on t, wherever it moved);
 *   3. same index name;
 *   4. same structural path (a Hash Join that became a Merge Join in the same place).
 * Paths are interned to small integers so deep plans cost linear time and memory.
 */
import type { NodeChange, PlanDiff, PlanModel, PlanNode } from './types';

/** Below this relative difference the verdict is "same": timings of one run are noisy. */
export const SAME_WITHIN = 0.1;

export function diffPlans(before: PlanModel, after: PlanModel): PlanDiff {
  const intern = new Map<string, number>();
  const pathB = pathIds(before.nodes, intern);
  const pathA = pathIds(after.nodes, intern);
  const matchedB = new Int32Array(before.nodes.length).fill(-1);
  const matchedA = new Int32Array(after.nodes.length).fill(-1);
  const kinds = new Map<number, NodeChange['matchedBy']>();

  const pass = (keyOf: (n: PlanNode, path: number) => string | null, kind: NodeChange['matchedBy']) => {
    const buckets = new Map<string, Bucket>();
    for (const n of after.nodes) {
      if (matchedA[n.id] >= 0) continue;
      const k = keyOf(n, pathA[n.id]);
      if (k === null) continue;
      const b = buckets.get(k);
      if (b) b.ids.push(n.id);
      else buckets.set(k, { ids: [n.id], cursor: 0 });
    }
    for (const n of before.nodes) {
      if (matchedB[n.id] >= 0) continue;
      const k = keyOf(n, pathB[n.id]);
      const b = k === null ? undefined : buckets.get(k);
      if (!b) continue;
      const a = pick(b, pathB[n.id], n.nodeType);
      if (a < 0) continue;
      matchedB[n.id] = a;
      matchedA[a] = n.id;
      kinds.set(n.id, kind);
    }
  };

  /** Prefers the candidate in the same place, else the same node type, else the first left. */
  const pick = (b: Bucket, path: number, nodeType: string): number => {
    if (b.ids.length > 1 && !b.byPath) {
      // Indexed only for buckets with a choice to make (most have one candidate).
      b.byPath = new Map();
      b.byType = new Map();
      for (const id of b.ids) {
        if (!b.byPath.has(pathA[id])) b.byPath.set(pathA[id], id);
        const type = after.nodes[id].nodeType;
        const q = b.byType.get(type);
        if (q) q.ids.push(id);
        else b.byType.set(type, { ids: [id], cursor: 0 });
      }
    }
    const samePlace = b.byPath?.get(path);
    if (samePlace !== undefined && matchedA[samePlace] < 0) return samePlace;
    const sameType = firstFree(b.byType?.get(nodeType));
    return sameType >= 0 ? sameType : firstFree(b);
  };
  const firstFree = (q: Queue | undefined): number => {
    if (!q) return -1;
    while (q.cursor < q.ids.length && matchedA[q.ids[q.cursor]] >= 0) q.cursor++;
    return q.cursor < q.ids.length ? q.ids[q.cursor] : -1;
  };

  pass((n, p) => `${p}\u0000${n.nodeType}\u0000${n.relation ?? ''}`, 'path');
  pass((n) => (n.relation !== null ? `${n.schema ?? ''}.${n.relation}\u0000${n.alias ?? ''}` : null), 'relation');
  pass((n) => (n.index !== null ? n.index : null), 'index');
  pass((_n, p) => String(p), 'position');

  const matches: NodeChange[] = [];
  for (const b of before.nodes) {
    const aId = matchedB[b.id];
    if (aId < 0) continue;
    matches.push(change(b, after.nodes[aId], kinds.get(b.id) ?? 'path'));
  }
  return {
    matches,
    unmatchedBefore: before.nodes.filter((n) => matchedB[n.id] < 0).map((n) => n.id),
    unmatchedAfter: after.nodes.filter((n) => matchedA[n.id] < 0).map((n) => n.id),
    verdict: verdict(before, after),
  };
}

/** Unmatched candidates in order; matched ones are skipped lazily, so each pass stays linear. */
interface Queue { ids: number[]; cursor: number }
interface Bucket extends Queue { byPath?: Map<number, number>; byType?: Map<string, Queue> }

/** Path of each node: parent's path + relationship + ordinal among same-relationship siblings. */
function pathIds(nodes: PlanNode[], intern: Map<string, number>): Int32Array {
  const out = new Int32Array(nodes.length);
  const ordinals = new Map<string, number>();
  for (const n of nodes) {
    if (n.parentId === null) {
      out[n.id] = internKey(intern, 'root');
      continue;
    }
    const rel = `${n.parentRelationship ?? '?'}${n.subplanName ? `:${n.subplanName}` : ''}`;
    const siblingKey = `${n.parentId}\u0000${rel}`;
    const ordinal = ordinals.get(siblingKey) ?? 0;
    ordinals.set(siblingKey, ordinal + 1);
    out[n.id] = internKey(intern, `${out[n.parentId]}/${rel}#${ordinal}`);
  }
  return out;
}

function internKey(intern: Map<string, number>, key: string): number {
  let v = intern.get(key);
  if (v === undefined) {
    v = intern.size;
    intern.set(key, v);
  }
  return v;
}

function change(b: PlanNode, a: PlanNode, matchedBy: NodeChange['matchedBy']): NodeChange {
  const time = b.inclusiveTimeMs !== null && a.inclusiveTimeMs !== null
    ? { before: b.inclusiveTimeMs, after: a.inclusiveTimeMs, ratio: ratio(b.inclusiveTimeMs, a.inclusiveTimeMs) }
    : null;
  const actual = b.rowsActualTotal !== null && a.rowsActualTotal !== null;
  const rowsB = actual ? b.rowsActualTotal : b.rowsEstimatedTotal;
  const rowsA = actual ? a.rowsActualTotal : a.rowsEstimatedTotal;
  return {
    beforeId: b.id,
    afterId: a.id,
    matchedBy,
    nodeType: b.nodeType !== a.nodeType ? { before: b.nodeType, after: a.nodeType } : null,
    time,
    rows: rowsB !== null && rowsA !== null ? { before: rowsB, after: rowsA, actual } : null,
    cost: b.totalCost !== null && a.totalCost !== null ? { before: b.totalCost, after: a.totalCost } : null,
  };
}

/** before / after, with zero handled: 0 ms after a non-zero before is "infinitely" faster, capped. */
function ratio(before: number, after: number): number {
  if (after <= 0) return before <= 0 ? 1 : Number.MAX_SAFE_INTEGER;
  return before / after;
}

function verdict(before: PlanModel, after: PlanModel): PlanDiff['verdict'] {
  let basis: 'execution-time' | 'total-cost';
  let b: number | null;
  let a: number | null;
  if (before.executionTimeMs !== null && after.executionTimeMs !== null) {
    basis = 'execution-time';
    b = before.executionTimeMs;
    a = after.executionTimeMs;
  } else {
    basis = 'total-cost';
    b = before.totalCost;
    a = after.totalCost;
  }
  if (b === null || a === null) return null;
  const r = ratio(b, a);
  const outcome = r >= 1 + SAME_WITHIN ? 'faster' : r <= 1 / (1 + SAME_WITHIN) ? 'slower' : 'same';
  return { outcome, ratio: r, basis, before: b, after: a };
}
