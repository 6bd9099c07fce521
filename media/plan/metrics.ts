/**
 * Per-node figures the panel shows, derived from the plan model: pure functions of plain
 * data (no DOM), so they are unit-tested and shared by the diagram, the grid and the stats.
 */
import type { PlanModel, PlanNode } from '../../src/explain/types';

export type MetricId = 'time' | 'rows' | 'cost' | 'buffers';

export const METRICS: ReadonlyArray<{ id: MetricId; label: string }> = [
  { id: 'time', label: 'Exclusive time' },
  { id: 'rows', label: 'Rows' },
  { id: 'cost', label: 'Cost (exclusive)' },
  { id: 'buffers', label: 'Buffers (exclusive)' },
];

/** Heat levels 0..HEAT_LEVELS (inclusive) for colouring by a metric. */
export const HEAT_LEVELS = 5;

/** Total cost minus the children's total cost, floored at 0: what the planner charged this node alone. */
export function exclusiveCosts(model: PlanModel): Array<number | null> {
  return model.nodes.map((n) => {
    if (n.totalCost === null) return null;
    let c = n.totalCost;
    for (const id of n.childIds) {
      const child = model.nodes[id];
      // InitPlans and SubPlans are charged to the node that runs them, not inside its total
      if (child.totalCost !== null && child.parentRelationship !== 'InitPlan') c -= child.totalCost;
    }
    return Math.max(0, c);
  });
}

/** Actual rows over all loops when ANALYZE ran, else the estimate. */
export function rowsOf(n: PlanNode): number | null {
  return n.rowsActualTotal ?? n.rowsEstimatedTotal;
}

/** Shared + local + temp blocks the node touched itself. */
export function buffersOf(n: PlanNode): number | null {
  const b = n.exclusiveBuffers;
  if (!b) return null;
  return b.sharedHit + b.sharedRead + b.sharedDirtied + b.sharedWritten + b.localHit + b.localRead + b.localDirtied + b.localWritten + b.tempRead + b.tempWritten;
}

export function metricValues(model: PlanModel, metric: MetricId, costs: Array<number | null> = exclusiveCosts(model)): Array<number | null> {
  switch (metric) {
    case 'time':
      return model.nodes.map((n) => n.exclusiveTimeMs);
    case 'rows':
      return model.nodes.map(rowsOf);
    case 'cost':
      return costs;
    case 'buffers':
      return model.nodes.map(buffersOf);
  }
}

/** Whether the plan has any value for the metric (no timing without ANALYZE, no buffers without BUFFERS). */
export function metricAvailable(model: PlanModel, metric: MetricId): boolean {
  return metricValues(model, metric).some((v) => v !== null);
}

/**
 * 0..HEAT_LEVELS per node. Additive metrics (time, cost, buffers) by the node's share of the
 * sum, so one node at 60 % of the time is hot whatever the rest do; rows by the share of the
 * largest row count (rows are not additive along a plan).
 */
export function heatLevels(values: ReadonlyArray<number | null>, metric: MetricId): Uint8Array {
  const out = new Uint8Array(values.length);
  let sum = 0;
  let max = 0;
  for (const v of values) {
    if (v === null || !(v > 0)) continue;
    sum += v;
    if (v > max) max = v;
  }
  const base = metric === 'rows' ? max : sum;
  if (!(base > 0)) return out;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !(v > 0)) continue;
    const share = v / base;
    out[i] = share >= 0.5 ? 5 : share >= 0.25 ? 4 : share >= 0.1 ? 3 : share >= 0.04 ? 2 : share >= 0.01 ? 1 : 0;
  }
  return out;
}

/** The node to mark as the heaviest: most exclusive time, or without timing the most exclusive cost. */
export function heaviestNode(model: PlanModel, costs: Array<number | null> = exclusiveCosts(model)): number | null {
  const values = model.hasTiming ? model.nodes.map((n) => n.exclusiveTimeMs) : costs;
  let best: number | null = null;
  let bestV = 0;
  values.forEach((v, i) => {
    if (v !== null && v > bestV) {
      bestV = v;
      best = i;
    }
  });
  return best;
}

/** Edge weights 1..6 from the rows the child passes up (log scale against the largest). */
export function edgeWidths(model: PlanModel): Uint8Array {
  const out = new Uint8Array(model.nodes.length);
  let max = 0;
  for (const n of model.nodes) max = Math.max(max, rowsOf(n) ?? 0);
  const top = Math.log10(max + 1);
  for (const n of model.nodes) {
    const r = rowsOf(n) ?? 0;
    out[n.id] = top > 0 ? 1 + Math.round((5 * Math.log10(r + 1)) / top) : 1;
  }
  return out;
}

/** "Seq Scan", "Index Scan using orders_pkey" -> title and the object it works on. */
export function nodeTitle(n: PlanNode): { title: string; object: string } {
  let title = n.nodeType;
  if (n.scanDirection === 'Backward') title += ' Backward';
  const parts: string[] = [];
  const object = n.relation ?? n.cteName ?? n.functionName;
  if (object) {
    // the schema is in the details pane; a long schema name would hide the table's in a box
    let s = object;
    if (n.alias && n.alias !== object) s += ` ${n.alias}`;
    parts.push(s);
  } else if (n.alias && (n.baseType === 'Subquery Scan' || n.baseType === 'Values Scan')) parts.push(n.alias);
  if (n.index) parts.push(`${object ? 'using ' : ''}${n.index}`);
  if (n.subplanName && !parts.length) parts.push(n.subplanName);
  return { title, object: parts.join(' ') };
}

/** Case-insensitive search by table, alias, index, node type, CTE or function name. */
export type SearchField = 'all' | 'table' | 'index' | 'type';

export function searchNodes(model: PlanModel, query: string, field: SearchField = 'all'): number[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hit = (s: string | null) => s !== null && s.toLowerCase().includes(q);
  return model.nodes
    .filter((n) => {
      const table = hit(n.relation) || hit(n.alias) || hit(n.cteName) || hit(n.functionName) || (n.schema !== null && n.relation !== null && `${n.schema}.${n.relation}`.toLowerCase().includes(q));
      const index = hit(n.index);
      const type = hit(n.nodeType) || hit(n.baseType);
      return field === 'table' ? table : field === 'index' ? index : field === 'type' ? type : table || index || type;
    })
    .map((n) => n.id);
}

// ---- grid ----

export type GridColumn =
  | 'id' | 'node' | 'exclusiveTime' | 'percent' | 'inclusiveTime' | 'rowsActual' | 'rowsEstimated'
  | 'misestimate' | 'loops' | 'costExclusive' | 'costTotal' | 'buffersHit' | 'buffersRead' | 'removed';

export const GRID_COLUMNS: ReadonlyArray<{ id: GridColumn; label: string; numeric: boolean }> = [
  { id: 'id', label: '#', numeric: true },
  { id: 'node', label: 'Node', numeric: false },
  { id: 'exclusiveTime', label: 'Excl. time', numeric: true },
  { id: 'percent', label: '%', numeric: true },
  { id: 'inclusiveTime', label: 'Incl. time', numeric: true },
  { id: 'rowsActual', label: 'Rows', numeric: true },
  { id: 'rowsEstimated', label: 'Est. rows', numeric: true },
  { id: 'misestimate', label: 'Misestimate', numeric: true },
  { id: 'loops', label: 'Loops', numeric: true },
  { id: 'costExclusive', label: 'Excl. cost', numeric: true },
  { id: 'costTotal', label: 'Total cost', numeric: true },
  { id: 'buffersHit', label: 'Hit', numeric: true },
  { id: 'buffersRead', label: 'Read', numeric: true },
  { id: 'removed', label: 'Removed by filter', numeric: true },
];

export function gridValue(n: PlanNode, column: GridColumn, costs: Array<number | null>): number | string | null {
  switch (column) {
    case 'id': return n.id;
    case 'node': { const t = nodeTitle(n); return `${t.title} ${t.object}`.trim(); }
    case 'exclusiveTime': return n.exclusiveTimeMs;
    case 'percent': return n.percentOfTotal;
    case 'inclusiveTime': return n.inclusiveTimeMs;
    case 'rowsActual': return n.rowsActualTotal;
    case 'rowsEstimated': return n.rowsEstimatedTotal;
    // signed so that sorting puts big under- and over-estimates at the two ends
    case 'misestimate': return n.misestimate ? (n.misestimate.direction === 'over' ? -n.misestimate.factor : n.misestimate.factor) : null;
    case 'loops': return n.actualLoops;
    case 'costExclusive': return costs[n.id];
    case 'costTotal': return n.totalCost;
    case 'buffersHit': return n.exclusiveBuffers ? n.exclusiveBuffers.sharedHit + n.exclusiveBuffers.localHit : null;
    case 'buffersRead': return n.exclusiveBuffers ? n.exclusiveBuffers.sharedRead + n.exclusiveBuffers.localRead + n.exclusiveBuffers.tempRead : null;
    case 'removed': return n.rowsRemovedByFilterTotal === null && n.rowsRemovedByJoinFilterTotal === null ? null : (n.rowsRemovedByFilterTotal ?? 0) + (n.rowsRemovedByJoinFilterTotal ?? 0);
  }
}

/** Node ids sorted by a column; nulls last whatever the direction; ties by id. */
export function sortNodes(model: PlanModel, column: GridColumn, direction: 'asc' | 'desc', costs: Array<number | null> = exclusiveCosts(model)): number[] {
  const vals = model.nodes.map((n) => gridValue(n, column, costs));
  const ids = model.nodes.map((n) => n.id);
  const sign = direction === 'asc' ? 1 : -1;
  ids.sort((a, b) => {
    const va = vals[a];
    const vb = vals[b];
    if (va === null || vb === null) return va === null && vb === null ? a - b : va === null ? 1 : -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
    return c !== 0 ? sign * c : a - b;
  });
  return ids;
}

// ---- stats ----

export interface StatRow {
  key: string;
  nodes: number;
  timeMs: number | null;
  /** share of the plan's time (or of its cost without timing), 0..100 */
  percent: number | null;
  cost: number | null;
  sharedHit: number | null;
  sharedRead: number | null;
  tempBlocks: number | null;
  rows: number | null;
}

export interface PlanStats {
  byTable: StatRow[];
  byIndex: StatRow[];
  byNodeType: StatRow[];
}

export function planStats(model: PlanModel, costs: Array<number | null> = exclusiveCosts(model)): PlanStats {
  const totalTime = model.nodes.reduce((s, n) => s + (n.exclusiveTimeMs ?? 0), 0);
  const totalCost = costs.reduce<number>((s, c) => s + (c ?? 0), 0);
  const group = (keyOf: (n: PlanNode) => string | null): StatRow[] => {
    const rows = new Map<string, StatRow>();
    for (const n of model.nodes) {
      const key = keyOf(n);
      if (key === null) continue;
      let r = rows.get(key);
      if (!r) {
        r = { key, nodes: 0, timeMs: null, percent: null, cost: null, sharedHit: null, sharedRead: null, tempBlocks: null, rows: null };
        rows.set(key, r);
      }
      r.nodes++;
      if (n.exclusiveTimeMs !== null) r.timeMs = (r.timeMs ?? 0) + n.exclusiveTimeMs;
      const c = costs[n.id];
      if (c !== null) r.cost = (r.cost ?? 0) + c;
      const b = n.exclusiveBuffers;
      if (b) {
        r.sharedHit = (r.sharedHit ?? 0) + b.sharedHit;
        r.sharedRead = (r.sharedRead ?? 0) + b.sharedRead;
        r.tempBlocks = (r.tempBlocks ?? 0) + b.tempRead + b.tempWritten;
      }
      const rows_ = rowsOf(n);
      if (rows_ !== null) r.rows = (r.rows ?? 0) + rows_;
    }
    const out = [...rows.values()];
    for (const r of out) {
      if (model.hasTiming && totalTime > 0 && r.timeMs !== null) r.percent = (100 * r.timeMs) / totalTime;
      else if (!model.hasTiming && totalCost > 0 && r.cost !== null) r.percent = (100 * r.cost) / totalCost;
    }
    return out.sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || (b.timeMs ?? 0) - (a.timeMs ?? 0) || a.key.localeCompare(b.key));
  };
  return {
    byTable: group((n) => (n.relation !== null ? `${n.schema ? `${n.schema}.` : ''}${n.relation}` : null)),
    byIndex: group((n) => n.index),
    byNodeType: group((n) => n.nodeType),
  };
}

// ---- formatting ----

export function fmtMs(x: number | null): string {
  if (x === null) return '';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 100 ? `${x.toFixed(1)} ms` : `${x.toFixed(3)} ms`;
}

export function fmtCount(x: number | null): string {
  if (x === null) return '';
  const r = Math.round(x);
  if (Math.abs(r) >= 1e9) return `${(r / 1e9).toFixed(1)}G`;
  if (Math.abs(r) >= 1e6) return `${(r / 1e6).toFixed(1)}M`;
  if (Math.abs(r) >= 1e4) return `${(r / 1e3).toFixed(1)}k`;
  return String(r);
}

export function fmtCost(x: number | null): string {
  return x === null ? '' : x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x.toFixed(2);
}

export function fmtPercent(x: number | null): string {
  return x === null ? '' : `${x.toFixed(x >= 10 ? 0 : 1)}%`;
}

export function fmtFactor(x: number): string {
  return `${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)}×`;
}

/** "↑ 12.0×" (more rows than estimated) / "↓ 3.0×" (fewer), or '' when close enough. */
export function misestimateArrow(n: PlanNode, minFactor = 2): string {
  const m = n.misestimate;
  if (!m || !m.direction || m.factor < minFactor) return '';
  return `${m.direction === 'under' ? '↑' : '↓'} ${fmtFactor(m.factor)}`;
}

export function metricText(n: PlanNode, metric: MetricId, costs: Array<number | null>): string {
  switch (metric) {
    case 'time':
      if (n.neverExecuted) return 'never executed';
      return n.exclusiveTimeMs === null ? '' : `${fmtMs(n.exclusiveTimeMs)}${n.percentOfTotal !== null ? ` · ${fmtPercent(n.percentOfTotal)}` : ''}`;
    case 'rows': {
      const r = rowsOf(n);
      return r === null ? '' : `${fmtCount(r)} rows${n.rowsActualTotal === null ? ' (est.)' : ''}`;
    }
    case 'cost':
      return costs[n.id] === null ? '' : `cost ${fmtCost(costs[n.id])}`;
    case 'buffers': {
      const b = buffersOf(n);
      return b === null ? '' : `${fmtCount(b)} buffers`;
    }
  }
}
