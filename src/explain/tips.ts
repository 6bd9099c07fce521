/**
 * Tips: what in a plan is worth a look, scored 0..5 (higher first). Each rule reads the
 * model only; thresholds are named below so they can be argued about in one place.
 *
 * Scores combine how clear the evidence is with how much of the statement's time the node
 * takes ("share": exclusive time / execution time; 0 without timing), so a textbook
 * problem in a node that costs nothing ranks below a smaller one that dominates the query.
 */
import type { PlanModel, PlanNode, Tip } from './types';

export const TIP_THRESHOLDS = {
  /** index-potential: rows a sequential scan reads per execution before it counts as a big table. */
  indexPotentialMinRows: 10_000,
  /** index-potential: share of those rows the filter throws away. */
  indexPotentialMinRemovedRatio: 0.9,
  /** row-misestimate: max(actual/estimated, estimated/actual). */
  misestimateMinFactor: 10,
  /** row-misestimate: ignore nodes where both sides are tiny (1 vs 12 rows rarely matters). */
  misestimateMinRows: 100,
  /** nested-loop-many-loops: executions of the inner side. */
  nestedLoopMinLoops: 1000,
  /** cache-misses: blocks read from outside shared buffers by the node itself (1000 × 8 kB = 8 MB). */
  cacheMissMinReadBlocks: 1000,
  /** cache-misses: read / (hit + read); 0.9 means reads outnumber hits about ten to one. */
  cacheMissMinReadRatio: 0.9,
  /** filter-inefficiency: share of rows fetched through the index that the filter drops. */
  filterInefficiencyMinRatio: 0.5,
  filterInefficiencyMinRemoved: 1000,
  /** jit-overhead: JIT time as a share of execution time. */
  jitOverheadMinShare: 0.1,
  /** planning-time: planning must exceed execution and this many ms. */
  planningMinMs: 10,
} as const;

const T = TIP_THRESHOLDS;
const BLOCK_KB = 8;

export function planTips(model: PlanModel): Tip[] {
  const tips: Tip[] = [];
  const base = model.executionTimeMs ?? model.rootTimeMs;
  const share = (ms: number | null) => (ms !== null && base !== null && base > 0 ? Math.min(1, ms / base) : 0);
  const spilled = new Set<number>();
  for (const node of model.nodes) {
    const s = share(node.exclusiveTimeMs);
    indexPotential(node, s, tips);
    rowMisestimate(model, node, s, tips);
    if (spillToDisk(model, node, s, spilled, tips)) spilled.add(node.id);
    lossyBitmap(node, s, tips);
    cacheMisses(node, s, tips);
    filterInefficiency(node, s, tips);
    nestedLoopManyLoops(model, node, share(node.inclusiveTimeMs), tips);
    parallelNotLaunched(node, share(node.inclusiveTimeMs), tips);
  }
  jitOverhead(model, tips);
  planningTime(model, tips);
  return tips
    .map((t) => ({ ...t, score: Math.round(clamp(t.score) * 10) / 10 }))
    .sort((a, b) => b.score - a.score || (a.nodeId ?? -1) - (b.nodeId ?? -1) || a.id.localeCompare(b.id));
}

function clamp(x: number): number {
  return Math.max(0, Math.min(5, x));
}

function label(n: PlanNode): string {
  const on = n.relation ?? n.cteName ?? n.functionName ?? n.index;
  return `${n.nodeType}${on ? ` on ${on}` : ''} (node ${n.id})`;
}

const fmt = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 10) / 10));

/** How many times the node ran as a whole (loops counted once per parallel process). */
function executions(n: PlanNode): number {
  return Math.max(1, (n.actualLoops ?? 1) / Math.max(1, n.processes));
}

function indexPotential(n: PlanNode, share: number, tips: Tip[]): void {
  if (n.baseType !== 'Seq Scan' || n.rowsRemovedByFilterTotal === null || n.rowsActualTotal === null) return;
  const read = (n.rowsRemovedByFilterTotal + n.rowsActualTotal) / executions(n);
  const ratio = n.filterRatio ?? 0;
  if (read < T.indexPotentialMinRows || ratio < T.indexPotentialMinRemovedRatio) return;
  const filter = n.properties.Filter ? ` Filter: ${n.properties.Filter}.` : '';
  tips.push({
    id: 'index-potential',
    nodeId: n.id,
    score: 1.5 + (ratio - T.indexPotentialMinRemovedRatio) * 10 + 2.5 * share + 0.5 * Math.log10(read / T.indexPotentialMinRows),
    title: `Sequential scan on ${n.relation ?? '?'} discards ${(ratio * 100).toFixed(1)}% of the rows it reads`,
    detail:
      `${label(n)} reads about ${fmt(read)} rows per execution and its filter removes ${fmt(n.rowsRemovedByFilterTotal)} in total, ` +
      `keeping ${fmt(n.rowsActualTotal)}.${filter} An index on the filtered column(s) would let PostgreSQL read only the matching rows.`,
  });
}

function rowMisestimate(model: PlanModel, n: PlanNode, share: number, tips: Tip[]): void {
  const m = n.misestimate;
  if (!m || m.direction === null || m.factor < T.misestimateMinFactor) return;
  if (Math.max(n.rowsEstimatedTotal ?? 0, n.rowsActualTotal ?? 0) < T.misestimateMinRows) return;
  // A join above a misestimated scan inherits the error; report where it starts.
  for (const c of n.childIds) {
    const cm = model.nodes[c].misestimate;
    if (cm && cm.direction === m.direction && cm.factor >= m.factor / 2 && cm.factor >= T.misestimateMinFactor) return;
  }
  const way = m.direction === 'under' ? 'more' : 'fewer';
  tips.push({
    id: 'row-misestimate',
    nodeId: n.id,
    score: 1.25 * Math.log10(m.factor) + 2.5 * share,
    title: `Row estimate off by ${fmt(m.factor)}× on ${label(n)}`,
    detail:
      `The planner expected ${fmt(n.planRows ?? 0)} row(s) per loop and got ${fmt(n.actualRows ?? 0)} (${way} than planned, ` +
      `${fmt(n.actualLoops ?? 0)} loop(s)). Plans built on this estimate (join methods, memory) may be wrong: check ANALYZE ` +
      'is recent, raise the statistics target, or add extended statistics (CREATE STATISTICS) for correlated columns.',
  });
}

function spillToDisk(model: PlanModel, n: PlanNode, share: number, spilled: Set<number>, tips: Tip[]): boolean {
  const evidence: string[] = [];
  let diskKb = 0;
  const sorts = [n.sort, ...n.workers.map((w) => w.sort)];
  for (const s of sorts) {
    if (s && (s.spaceType === 'Disk' || (s.method ?? '').startsWith('external'))) {
      evidence.push(`sort method "${s.method}"${s.spaceKb !== null ? ` using ${fmt(s.spaceKb)} kB of disk` : ''}`);
      diskKb = Math.max(diskKb, s.spaceKb ?? 0);
      break;
    }
  }
  if (n.hash && (n.hash.batches ?? 1) > 1) evidence.push(`hash table split into ${n.hash.batches} batches (originally ${n.hash.originalBatches ?? '?'})`);
  if (n.hashAgg && ((n.hashAgg.diskKb ?? 0) > 0 || (n.hashAgg.batches ?? 1) > 1)) {
    evidence.push(`hash aggregate spilled ${fmt(n.hashAgg.diskKb ?? 0)} kB in ${n.hashAgg.batches ?? '?'} batches`);
    diskKb = Math.max(diskKb, n.hashAgg.diskKb ?? 0);
  }
  const temp = n.exclusiveBuffers ? n.exclusiveBuffers.tempWritten : 0;
  diskKb = Math.max(diskKb, temp * BLOCK_KB);
  if (evidence.length === 0 && temp > 0) {
    // A Hash Join writes its batch files itself; its Hash child already carries the tip.
    if (n.baseType === 'Hash Join' && n.childIds.some((c) => spilled.has(c) || (model.nodes[c].hash?.batches ?? 1) > 1)) return false;
    evidence.push(`${fmt(temp)} temporary blocks (${fmt(temp * BLOCK_KB)} kB) written`);
  }
  if (evidence.length === 0) return false;
  tips.push({
    id: 'spill-to-disk',
    nodeId: n.id,
    // Evidence alone is worth 2; the amount spilled (up to ~10 MB) and the time share add the rest.
    score: 2 + 1.5 * Math.min(1, Math.log10(Math.max(1, diskKb)) / 4) + 1.5 * Math.min(1, share * 2),
    title: `${n.nodeType} spills to disk`,
    detail:
      `${label(n)}: ${evidence.join('; ')}. It did not fit in work_mem` +
      `${n.properties['Sort Key'] ? ` (sort key: ${n.properties['Sort Key']})` : ''}. Raise work_mem for this query ` +
      '(SET LOCAL work_mem), sort or hash fewer/narrower rows, or provide the order with an index.',
  });
  return true;
}

function lossyBitmap(n: PlanNode, share: number, tips: Tip[]): void {
  const lossy = n.lossyHeapBlocks ?? 0;
  if (n.baseType !== 'Bitmap Heap Scan' || lossy <= 0) return;
  const exact = n.exactHeapBlocks ?? 0;
  const rechecked = n.rowsRemovedByIndexRecheckTotal;
  tips.push({
    id: 'lossy-bitmap',
    nodeId: n.id,
    score: 2 + 2 * (lossy / (lossy + exact)) + share,
    title: `Lossy bitmap on ${n.relation ?? '?'}: ${fmt(lossy)} heap pages rechecked row by row`,
    detail:
      `${label(n)} kept ${fmt(lossy)} of ${fmt(lossy + exact)} pages only as "somewhere on this page" because the bitmap did not ` +
      `fit in work_mem${rechecked ? `; the recheck then removed ${fmt(rechecked)} rows` : ''}. Raise work_mem or make the ` +
      'condition more selective.',
  });
}

function cacheMisses(n: PlanNode, share: number, tips: Tip[]): void {
  const b = n.exclusiveBuffers;
  if (!b) return;
  const read = b.sharedRead;
  const ratio = read / Math.max(1, read + b.sharedHit);
  if (read < T.cacheMissMinReadBlocks || ratio < T.cacheMissMinReadRatio) return;
  const io = n.exclusiveIo && n.exclusiveIo.sharedReadMs > 0 ? `, spending ${fmt(n.exclusiveIo.sharedReadMs)} ms waiting for reads` : '';
  tips.push({
    id: 'cache-misses',
    nodeId: n.id,
    score: 1.5 + 2.5 * share + 0.5 * Math.log10(read / T.cacheMissMinReadBlocks),
    title: `${label(n)} reads most of its data from disk`,
    detail:
      `It read ${fmt(read)} blocks (${fmt(read * BLOCK_KB)} kB) from outside shared buffers and found ${fmt(b.sharedHit)} in them${io}. ` +
      'A repeated run may be faster once cached; if not, read less (an index, fewer columns) or give shared_buffers more room.',
  });
}

function filterInefficiency(n: PlanNode, share: number, tips: Tip[]): void {
  if (!['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan'].includes(n.baseType)) return;
  const removed = n.rowsRemovedByFilterTotal ?? 0;
  const ratio = n.filterRatio ?? 0;
  if (removed < T.filterInefficiencyMinRemoved || ratio < T.filterInefficiencyMinRatio) return;
  const cond = n.properties['Index Cond'] ?? n.properties['Recheck Cond'];
  tips.push({
    id: 'filter-inefficiency',
    nodeId: n.id,
    score: 1.5 + 2 * ((ratio - T.filterInefficiencyMinRatio) / (1 - T.filterInefficiencyMinRatio)) + 2 * share,
    title: `${label(n)} fetches rows only to discard ${(ratio * 100).toFixed(1)}% of them`,
    detail:
      `The index narrows the search${cond ? ` (${cond})` : ''} but the filter ${n.properties.Filter ?? ''} then removes ` +
      `${fmt(removed)} rows. An index that also covers the filtered column(s) would skip them.`,
  });
}

function nestedLoopManyLoops(model: PlanModel, n: PlanNode, share: number, tips: Tip[]): void {
  if (n.baseType !== 'Nested Loop') return;
  const inner = n.childIds.map((c) => model.nodes[c]).find((c) => c.parentRelationship === 'Inner');
  const loops = inner?.actualLoops ?? 0;
  if (!inner || loops < T.nestedLoopMinLoops) return;
  tips.push({
    id: 'nested-loop-many-loops',
    nodeId: n.id,
    score: 1 + Math.log10(loops / T.nestedLoopMinLoops) + 3 * share,
    title: `Nested loop runs its inner side ${fmt(loops)} times`,
    detail:
      `${label(n)} executes ${label(inner)} once per outer row (${fmt(loops)} times` +
      `${inner.inclusiveTimeMs !== null ? `, ${fmt(inner.inclusiveTimeMs)} ms in total` : ''}). If the outer side is larger than ` +
      'the planner thought, a hash or merge join may be better: check the outer estimate, and that the inner side is an index lookup.',
  });
}

function parallelNotLaunched(n: PlanNode, share: number, tips: Tip[]): void {
  const planned = n.workersPlanned ?? 0;
  const launched = n.workersLaunched;
  if (launched === null || planned <= 0 || launched >= planned) return;
  tips.push({
    id: 'parallel-not-launched',
    nodeId: n.id,
    score: 1.5 + 3.5 * share * (1 - launched / planned),
    title: `${n.nodeType} launched ${launched} of ${planned} planned workers`,
    detail:
      `${label(n)} ran with fewer processes than planned, so its part of the plan took longer. Workers come from ` +
      'max_parallel_workers and max_worker_processes, shared by all sessions: raise them or run fewer parallel queries at once.',
  });
}

function jitOverhead(model: PlanModel, tips: Tip[]): void {
  const jit = model.jit?.totalMs;
  const exec = model.executionTimeMs;
  if (jit === null || jit === undefined || exec === null || exec <= 0) return;
  const ratio = jit / exec;
  if (ratio <= T.jitOverheadMinShare) return;
  tips.push({
    id: 'jit-overhead',
    nodeId: null,
    score: 1.5 + 3.5 * Math.min(1, (ratio - T.jitOverheadMinShare) / 0.4),
    title: `JIT compilation took ${(ratio * 100).toFixed(0)}% of execution time`,
    detail:
      `JIT spent ${fmt(jit)} ms compiling ${model.jit?.functions ?? '?'} function(s) for a ${fmt(exec)} ms execution. ` +
      'For short queries it rarely pays off: raise jit_above_cost (the planner over-estimated the work) or SET jit = off.',
  });
}

function planningTime(model: PlanModel, tips: Tip[]): void {
  const p = model.planningTimeMs;
  const e = model.executionTimeMs;
  if (p === null || e === null || p <= e || p <= T.planningMinMs) return;
  tips.push({
    id: 'planning-time',
    nodeId: null,
    score: 1 + Math.min(4, Math.log2(p / Math.max(e, 0.001)) / 2),
    title: `Planning (${fmt(p)} ms) took longer than execution (${fmt(e)} ms)`,
    detail:
      'Many joins, partitions or indexes make planning expensive. A prepared statement reuses the plan; fewer partitions ' +
      'to prune, fewer unused indexes, or a lower join_collapse_limit also help.',
  });
}
