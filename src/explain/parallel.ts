/**
 * Inclusive (wall-clock) time per node, corrected for loops and parallel workers.
 *
 * What PostgreSQL reports (explain.c, instrument.c): "actual time" and "rows" are averages
 * per loop, so a node's own total is `time × loops`. Under a Gather / Gather Merge, every
 * participating process (each launched worker, plus the leader unless
 * parallel_leader_participation is off or the Gather is "Single Copy") runs its own copy of
 * the subtree, and the workers' instrumentation is summed into the node (InstrAggNode):
 * loops, total time and rows add up over processes. So `time × loops` there is CPU-ish
 * time summed over processes, not wall-clock time: a Parallel Seq Scan showing
 * "time=..140 loops=3" did not take 420 ms.
 *
 * Our correction, per node under a Gather:
 *   1. With per-worker figures (VERBOSE prints "Worker N: actual time=.. loops=.."), the
 *      leader's share is what is left: leader = time × loops − Σ worker time × worker loops.
 *      The node's wall-clock time is the longest of the processes that ran it (the
 *      critical path: the Gather waits for the slowest). This is also consistent with the
 *      tree: per process, a child runs inside its parent, so the child's slowest process
 *      cannot exceed its parent's.
 *   2. Without them: time × loops / processes, processes = workers launched + 1 (the leader
 *      participates by default; 0 extra for "Single Copy"). This is the per-process average
 *      (the pev2 / explain.depesz approach); it under-states the critical path when work is
 *      unevenly spread, and the difference then shows up as the Gather's own time.
 * A node outside any Gather: time × loops. Never executed (loops = 0): 0.
 */
import type { ReportedNode, WorkerFigures } from './types';

export interface ParallelContext {
  /** Nearest Gather / Gather Merge strictly above each node, or -1. */
  gatherAbove: Int32Array;
}

export function isGather(n: ReportedNode): boolean {
  return n.baseType === 'Gather' || n.baseType === 'Gather Merge';
}

/** Ids are preorder, so a parent is always computed before its children. */
export function parallelContext(nodes: ReportedNode[]): ParallelContext {
  const gatherAbove = new Int32Array(nodes.length).fill(-1);
  for (let i = 0; i < nodes.length; i++) {
    const p = nodes[i].parentIndex;
    if (p === null) continue;
    // An InitPlan hanging on the Gather itself runs in the leader, before workers start.
    const runsInWorkers = isGather(nodes[p]) && nodes[i].parentRelationship !== 'InitPlan';
    gatherAbove[i] = runsInWorkers ? p : gatherAbove[p];
  }
  return { gatherAbove };
}

/** Processes that ran the node: 1 outside a Gather. */
export function processCount(nodes: ReportedNode[], ctx: ParallelContext, i: number): number {
  const g = ctx.gatherAbove[i];
  if (g < 0) return 1;
  const n = nodes[i];
  const timed = timedWorkers(n.workers);
  if (timed && n.actualLoops !== null) {
    const workerLoops = timed.reduce((s, w) => s + (w.actualLoops ?? 0), 0);
    const leaderRan = n.actualLoops - workerLoops > 0.5;
    return timed.filter((w) => (w.actualLoops ?? 0) > 0).length + (leaderRan ? 1 : 0) || 1;
  }
  return gatherProcesses(nodes[g]);
}

function gatherProcesses(gather: ReportedNode): number {
  const launched = gather.workersLaunched ?? gather.workersPlanned ?? 0;
  const leader = gather.singleCopy && launched > 0 ? 0 : 1;
  return Math.max(1, launched + leader);
}

/** The workers' figures when every worker entry has time and loops (VERBOSE), else null. */
function timedWorkers(workers: WorkerFigures[]): WorkerFigures[] | null {
  if (workers.length === 0) return null;
  return workers.every((w) => w.actualTotalTimeMs !== null && w.actualLoops !== null) ? workers : null;
}

/** Wall-clock inclusive time of node i in ms, or null without ANALYZE timing. */
export function inclusiveTime(nodes: ReportedNode[], ctx: ParallelContext, i: number): number | null {
  const n = nodes[i];
  if (n.actualLoops === 0) return n.actualTotalTimeMs === null && !n.neverExecuted ? null : 0;
  if (n.actualTotalTimeMs === null || n.actualLoops === null) return null;
  const summed = n.actualTotalTimeMs * n.actualLoops;
  const g = ctx.gatherAbove[i];
  if (g < 0) return summed;
  const timed = timedWorkers(n.workers);
  if (timed) {
    let longest = 0;
    let workerSum = 0;
    let workerLoops = 0;
    for (const w of timed) {
      const t = (w.actualTotalTimeMs ?? 0) * (w.actualLoops ?? 0);
      workerSum += t;
      workerLoops += w.actualLoops ?? 0;
      if (t > longest) longest = t;
    }
    // Rounding to 3 decimals per loop can make the leader's remainder slightly negative.
    const leader = n.actualLoops - workerLoops > 0.5 ? Math.max(0, summed - workerSum) : 0;
    return Math.max(longest, leader);
  }
  return summed / gatherProcesses(nodes[g]);
}
