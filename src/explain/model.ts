/**
 * Reported plan -> PlanModel: tree links, loop/parallel-corrected inclusive time,
 * exclusive time/buffers/I/O, percentages, row figures and misestimates. The reported
 * nodes are extended in place. Linear in the number of nodes; no recursion.
 */
import { attribute, type AttributionTree } from './exclusive';
import { inclusiveTime, parallelContext, processCount } from './parallel';
import { findDetachedSubplans, type TreeShape } from './subplanHosts';
import { emptyBuffers, emptyIo } from './textLines';
import type { BufferCounts, IoTimes, Misestimate, PlanModel, PlanNode, ReportedPlan } from './types';
import { BUFFER_KEYS, IO_KEYS } from './types';

export function buildModel(reported: ReportedPlan): PlanModel {
  const nodes = reported.nodes;
  const n = nodes.length;
  const shape = treeShape(reported);
  const ctx = { gatherAbove: shape.gatherAbove };

  const hasTiming = nodes.some((x) => x.actualTotalTimeMs !== null);
  const hasAnalyze = nodes.some((x) => x.actualLoops !== null);
  const inclusive = new Float64Array(n).fill(NaN);
  if (hasTiming) {
    for (let i = 0; i < n; i++) {
      const t = inclusiveTime(nodes, ctx, i);
      inclusive[i] = t === null ? NaN : t;
    }
  }

  // Hosts are chosen by time when there is timing, else by the blocks each node touched.
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    weight[i] = hasTiming ? (Number.isNaN(inclusive[i]) ? 0 : inclusive[i]) : blocks(nodes[i].buffers);
  }
  const detached = findDetachedSubplans(nodes, shape, weight);
  const detachedIds = new Set(detached.map((d) => d.id));
  const nested: number[][] = Array.from({ length: n }, () => []);
  for (let i = 1; i < n; i++) {
    const p = shape.parent[i];
    if (p >= 0 && !detachedIds.has(i)) nested[p].push(i);
  }
  const tree: AttributionTree = { parent: shape.parent, nested, detached };
  const warnings = [...reported.warnings];

  const exclusiveTime = hasTiming ? attribute(tree, inclusive, true) : null;
  if (exclusiveTime && exclusiveTime.leftover > 0.001) {
    warnings.push(`${exclusiveTime.leftover.toFixed(3)} ms of InitPlan/CTE time could not be placed inside any node.`);
  }
  const exclusiveBuffers = exclusiveCounters(tree, nodes.map((x) => x.buffers), BUFFER_KEYS, emptyBuffers);
  const exclusiveIo = exclusiveCounters(tree, nodes.map((x) => x.io), IO_KEYS, emptyIo);

  const rootTimeMs = hasTiming && !Number.isNaN(inclusive[0]) ? inclusive[0] : null;
  const base = reported.executionTimeMs ?? rootTimeMs;

  const childIds: number[][] = Array.from({ length: n }, () => []);
  for (let i = 1; i < n; i++) if (shape.parent[i] >= 0) childIds[shape.parent[i]].push(i);

  // The reported nodes become the model's nodes in place: copying ~80 fields per node
  // would double the memory of a very large plan for nothing (buildModel owns its input).
  const out = nodes as PlanNode[];
  for (let i = 0; i < n; i++) {
    const r = nodes[i];
    const incl = Number.isNaN(inclusive[i]) ? null : inclusive[i];
    const excl = exclusiveTime && !Number.isNaN(exclusiveTime.exclusive[i]) ? exclusiveTime.exclusive[i] : null;
    const loops = r.actualLoops;
    const rowsActualTotal = r.actualRows !== null && loops !== null ? r.actualRows * loops : null;
    const removed = perLoopTotal(r.rowsRemovedByFilter, loops);
    const derived: Omit<PlanNode, keyof typeof r> = {
      id: i,
      parentId: shape.parent[i] < 0 ? null : shape.parent[i],
      childIds: childIds[i],
      depth: shape.depth[i],
      subtreeEnd: shape.subtreeEnd[i],
      processes: processCount(nodes, ctx, i),
      inclusiveTimeMs: incl,
      exclusiveTimeMs: excl,
      percentOfTotal: excl !== null && base !== null && base > 0 ? (excl / base) * 100 : null,
      rowsEstimatedTotal: r.planRows === null ? null : r.planRows * (loops && loops > 0 ? loops : 1),
      rowsActualTotal,
      misestimate: misestimate(r.planRows, r.actualRows, loops),
      rowsRemovedByFilterTotal: removed,
      rowsRemovedByJoinFilterTotal: perLoopTotal(r.rowsRemovedByJoinFilter, loops),
      rowsRemovedByIndexRecheckTotal: perLoopTotal(r.rowsRemovedByIndexRecheck, loops),
      filterRatio: removed !== null && rowsActualTotal !== null && removed + rowsActualTotal > 0 ? removed / (removed + rowsActualTotal) : null,
      exclusiveBuffers: exclusiveBuffers[i],
      exclusiveIo: exclusiveIo[i],
    };
    Object.assign(r, derived);
  }

  return {
    source: reported.source,
    nodes: out,
    planningTimeMs: reported.planningTimeMs,
    executionTimeMs: reported.executionTimeMs,
    planningBuffers: reported.planningBuffers,
    jit: reported.jit,
    triggers: reported.triggers,
    settings: reported.settings,
    queryIdentifier: reported.queryIdentifier,
    serialization: reported.serialization,
    warnings,
    totalCost: n > 0 ? nodes[0].totalCost : null,
    hasAnalyze,
    hasTiming,
    rootTimeMs,
    unattributedTimeMs: reported.executionTimeMs !== null && rootTimeMs !== null ? Math.max(0, reported.executionTimeMs - rootTimeMs) : null,
  };
}

function treeShape(reported: ReportedPlan): TreeShape {
  const nodes = reported.nodes;
  const n = nodes.length;
  const parent = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) {
    const p = nodes[i].parentIndex;
    if (p !== null && p >= 0 && p < i) {
      parent[i] = p;
      depth[i] = depth[p] + 1;
    }
  }
  // Preorder: a subtree is the contiguous range [i, i + size - 1].
  for (let i = n - 1; i > 0; i--) if (parent[i] >= 0) size[parent[i]] += size[i];
  const subtreeEnd = new Int32Array(n);
  for (let i = 0; i < n; i++) subtreeEnd[i] = i + size[i] - 1;
  return { parent, depth, subtreeEnd, gatherAbove: parallelContext(nodes).gatherAbove };
}

/**
 * EXPLAIN prints rows-removed counters as per-loop averages; the total is × loops.
 * Without ANALYZE's loops the printed figure is kept as is.
 */
function perLoopTotal(perLoop: number | null, loops: number | null): number | null {
  if (perLoop === null) return null;
  return loops === null ? perLoop : perLoop * loops;
}

/**
 * Per-loop estimate against per-loop actual, both floored at one row: the planner never
 * estimates fewer than one row, and PostgreSQL rounds per-loop actuals (an inner side
 * averaging 0.4 rows prints 0), so a zero is "at most about one".
 */
export function misestimate(planRows: number | null, actualRows: number | null, loops: number | null): Misestimate | null {
  if (planRows === null || actualRows === null || loops === null || loops === 0) return null;
  const est = Math.max(planRows, 1);
  const act = Math.max(actualRows, 1);
  if (act === est) return { factor: 1, direction: null };
  return act > est ? { factor: act / est, direction: 'under' } : { factor: est / act, direction: 'over' };
}

function blocks(b: BufferCounts | null): number {
  if (!b) return 0;
  let s = 0;
  for (const k of BUFFER_KEYS) s += b[k];
  return s;
}

function exclusiveCounters<T extends BufferCounts | IoTimes>(
  tree: AttributionTree,
  values: Array<T | null>,
  keys: readonly (keyof T)[],
  empty: () => T,
): Array<T | null> {
  const n = values.length;
  if (!values.some((v) => v !== null)) return new Array<T | null>(n).fill(null);
  const out: T[] = values.map(() => empty());
  for (const k of keys) {
    // A node without the counter line (text omits zero counters) counts as zero.
    const incl = new Float64Array(n);
    for (let i = 0; i < n; i++) incl[i] = (values[i]?.[k] as number | undefined) ?? 0;
    const { exclusive } = attribute(tree, incl, false);
    for (let i = 0; i < n; i++) (out[i][k] as number) = Math.round(exclusive[i] * 1000) / 1000;
  }
  return out;
}
