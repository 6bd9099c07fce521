/**
 * The CLI's `--format json` shape of a plan: a stable, flat subset of the model. Time
 * fields are null when the plan has no ANALYZE timing; `buffers` are the node's own
 * (exclusive) counts, like its exclusive time, and null without BUFFERS.
 */
import { planTips } from './tips';
import type { PlanModel, Tip } from './types';

export interface PlanJson {
  planningTimeMs: number | null;
  executionTimeMs: number | null;
  totalCost: number | null;
  nodes: PlanJsonNode[];
  tips: Tip[];
}

export interface PlanJsonNode {
  id: number;
  parentId: number | null;
  nodeType: string;
  relation: string | null;
  index: string | null;
  inclusiveTimeMs: number | null;
  exclusiveTimeMs: number | null;
  percentOfTotal: number | null;
  rowsEstimated: number | null;
  rowsActual: number | null;
  loops: number | null;
  misestimateFactor: number | null;
  rowsRemovedByFilter: number | null;
  buffers: { sharedHit: number; sharedRead: number; tempRead: number; tempWritten: number } | null;
}

/** Times rounded to the microsecond EXPLAIN measures in; ratios to 3 decimals. */
const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);

export function toJson(model: PlanModel, tips: Tip[] = planTips(model)): PlanJson {
  return {
    planningTimeMs: model.planningTimeMs,
    executionTimeMs: model.executionTimeMs,
    totalCost: model.totalCost,
    nodes: model.nodes.map((n) => ({
      id: n.id,
      parentId: n.parentId,
      nodeType: n.nodeType,
      relation: n.relation,
      index: n.index,
      inclusiveTimeMs: round3(n.inclusiveTimeMs),
      exclusiveTimeMs: round3(n.exclusiveTimeMs),
      percentOfTotal: round3(n.percentOfTotal),
      rowsEstimated: n.rowsEstimatedTotal,
      rowsActual: n.rowsActualTotal,
      loops: n.actualLoops,
      misestimateFactor: n.misestimate ? round3(n.misestimate.factor) : null,
      rowsRemovedByFilter: n.rowsRemovedByFilterTotal,
      buffers: n.exclusiveBuffers
        ? {
            sharedHit: n.exclusiveBuffers.sharedHit,
            sharedRead: n.exclusiveBuffers.sharedRead,
            tempRead: n.exclusiveBuffers.tempRead,
            tempWritten: n.exclusiveBuffers.tempWritten,
          }
        : null,
    })),
    tips,
  };
}
