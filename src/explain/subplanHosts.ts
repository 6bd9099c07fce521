/**
 * Where the time of an InitPlan or a CTE is really counted.
 *
 * EXPLAIN hangs InitPlans and CTEs ("Parent Relationship": "InitPlan") under the node that
 * owns them, but PostgreSQL runs them lazily: a CTE's subplan runs inside whichever
 * CTE Scan first pulls a row it has not materialised yet, and an InitPlan runs inside the
 * node that first evaluates its output parameter ($0, or "(InitPlan 1).col1" from
 * PostgreSQL 17), which may be a descendant of the owner (a scan's Filter), the owner itself,
 * or, for parallel plans, the Gather that evaluates it before starting workers ("Params
 * Evaluated"). Its time is then part of that host's inclusive time, not an addition to the
 * owner's, so subtracting it from the owner would count it twice.
 *
 * This module lists, for each such "detached" subplan, the nodes most likely to host it,
 * best first. exclusive.ts subtracts the subplan's time from them (and, if they cannot
 * absorb it, from their ancestors up to the root).
 */
import type { ReportedNode } from './types';

export interface TreeShape {
  parent: Int32Array;
  subtreeEnd: Int32Array;
  depth: Int32Array;
  gatherAbove: Int32Array;
}

export interface DetachedSubplan {
  id: number;
  owner: number;
  /** Preferred hosts, best first; may be empty (then the owner and its ancestors absorb it). */
  hosts: number[];
}

/** Tolerance for "a host's time can contain the subplan's": both are rounded to 3 decimals per loop. */
const FIT_TOLERANCE = 0.95;

/** "$0" (up to PostgreSQL 16) and "(InitPlan 1)" (PostgreSQL 17+) in expressions. */
const PARAM_TOKEN = /\$\d+|\(InitPlan \d+\)/g;

/**
 * `weight[i]`: the node's inclusive size for the metric at hand (time, or blocks when the
 * plan has no timing); used to prefer hosts that can contain the subplan.
 */
export function findDetachedSubplans(nodes: ReportedNode[], shape: TreeShape, weight: Float64Array): DetachedSubplan[] {
  const out: DetachedSubplan[] = [];
  let cteScans: Map<string, number[]> | null = null;
  let paramRefs: Map<string, number[]> | null = null;
  for (let id = 0; id < nodes.length; id++) {
    const n = nodes[id];
    const owner = shape.parent[id];
    if (n.parentRelationship !== 'InitPlan' || owner < 0) continue;
    const name = n.subplanName ?? '';
    const inOwnerNotSelf = (c: number) =>
      c > owner && c <= shape.subtreeEnd[owner] && !(c >= id && c <= shape.subtreeEnd[id]);
    let hosts: number[];
    if (name.startsWith('CTE ')) {
      cteScans ??= indexCteScans(nodes);
      const cte = unquote(name.slice(4).trim());
      // The scan that pulled the CTE holds its time plus its own: prefer the largest.
      hosts = (cteScans.get(cte) ?? []).filter(inOwnerNotSelf).sort((a, b) => weight[b] - weight[a]);
    } else {
      paramRefs ??= indexParamRefs(nodes);
      const seen = new Set<number>();
      for (const token of initPlanTokens(name)) {
        for (const c of paramRefs.get(token) ?? []) {
          // Nodes under a Gather the owner is not under ran in workers, which receive the value.
          if ((c === owner || inOwnerNotSelf(c)) && shape.gatherAbove[c] === shape.gatherAbove[owner]) seen.add(c);
        }
      }
      const t = weight[id];
      const fits = (c: number) => weight[c] >= t * FIT_TOLERANCE;
      // Among nodes that can contain it, the deepest evaluates the parameter first
      // (rows flow upwards); the others, largest first.
      hosts = [...seen].sort((a, b) => {
        const fa = fits(a) ? 1 : 0;
        const fb = fits(b) ? 1 : 0;
        if (fa !== fb) return fb - fa;
        if (fa === 1 && shape.depth[a] !== shape.depth[b]) return shape.depth[b] - shape.depth[a];
        return weight[b] - weight[a];
      });
    }
    out.push({ id, owner, hosts });
  }
  return out;
}

function indexCteScans(nodes: ReportedNode[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    if (n.baseType !== 'CTE Scan' || n.cteName === null) return;
    const list = map.get(n.cteName);
    if (list) list.push(i);
    else map.set(n.cteName, [i]);
  });
  return map;
}

/** One pass over every node's expressions, so finding hosts stays linear in the plan's size. */
function indexParamRefs(nodes: ReportedNode[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    const tokens = new Set<string>();
    for (const v of Object.values(n.properties)) {
      for (const m of v.matchAll(PARAM_TOKEN)) tokens.add(m[0]);
    }
    for (const t of tokens) {
      const list = map.get(t);
      if (list) list.push(i);
      else map.set(t, [i]);
    }
  });
  return map;
}

/** "InitPlan 1 (returns $0,$1)" -> ["$0", "$1", "(InitPlan 1)"]; "InitPlan 2" -> ["(InitPlan 2)"]. */
export function initPlanTokens(subplanName: string): string[] {
  const out: string[] = [];
  const returns = /\(returns ([^)]*)\)/.exec(subplanName);
  if (returns) {
    for (const p of returns[1].split(',')) if (p.trim()) out.push(p.trim());
  }
  const num = /^InitPlan (\d+)/.exec(subplanName);
  if (num) out.push(`(InitPlan ${num[1]})`);
  return out;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s;
}
