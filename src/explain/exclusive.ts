/**
 * Exclusive ("self") figures from inclusive ones, for time, buffers and I/O time alike.
 *
 * exclusive(n) = inclusive(n) − Σ inclusive(children whose work runs inside n)
 *                − the detached subplans n hosts (InitPlans and CTEs, see subplanHosts.ts).
 *
 * Children that run inside their parent: Outer, Inner, Member, Subquery, SubPlan (a
 * SubPlan is evaluated by the expression of the node it hangs under). Detached: InitPlan
 * (including "CTE x"); they are subtracted from their hosts instead of their owner.
 *
 * Guarantees, and how:
 *   - never negative: when children report more time than their parent (each loop's
 *     figures are rounded to 3 decimals, so an inner side with 10 000 loops can be off by
 *     ±5 ms; parallel averages are estimates), the children's inclusive figures are scaled
 *     down to fit the parent, top-down, so the whole subtree stays consistent (`scale`);
 *     for counters that are exact (buffers) a deficit is simply clamped at 0;
 *   - sums to the root's inclusive figure: telescoping gives Σ exclusive = root, and a
 *     detached subplan's amount is taken from exactly one place in total: its hosts in
 *     order, each giving at most its own remaining self figure, then the first host's
 *     ancestors up to the root. Only what no node can absorb (which would mean the
 *     subplan ran outside the plan's nodes) is left over, and then reported.
 */

export interface AttributionTree {
  /** Parent id, -1 for the root. Ids are preorder. */
  parent: Int32Array;
  /** Children whose work runs inside the parent (not detached subplans). */
  nested: number[][];
  /** Detached subplans with their preferred hosts (owner = parent[id]). */
  detached: Array<{ id: number; hosts: number[] }>;
}

export interface Attribution {
  exclusive: Float64Array;
  /** Amount of detached subplans no node could absorb (0 normally). */
  leftover: number;
}

const EPSILON = 1e-9;

/** `inclusive[i]` may be NaN for "unknown": the node's exclusive figure is then NaN too. */
export function attribute(tree: AttributionTree, inclusive: Float64Array, scale: boolean): Attribution {
  const n = inclusive.length;
  const eff = new Float64Array(n);
  for (let i = 0; i < n; i++) eff[i] = Number.isNaN(inclusive[i]) ? 0 : inclusive[i];
  const self = new Float64Array(n);
  const detachedIds = new Set(tree.detached.map((d) => d.id));

  // Preorder: a node's effective figure is final before its children are fitted into it.
  for (let i = 0; i < n; i++) {
    const kids = tree.nested[i];
    let sum = 0;
    for (const c of kids) sum += eff[c];
    if (scale && sum > eff[i] && sum > 0) {
      const f = eff[i] / sum;
      for (const c of kids) eff[c] *= f;
      sum = eff[i];
    }
    self[i] = Math.max(0, eff[i] - sum);
    // A detached subplan runs inside the owner's subtree, so it cannot exceed the owner.
    if (scale && detachedIds.has(i)) {
      const owner = tree.parent[i];
      if (owner >= 0 && eff[i] > eff[owner]) {
        eff[i] = eff[owner];
        self[i] = Math.max(0, eff[i] - sum);
        // Refit the children against the reduced figure.
        if (sum > eff[i] && sum > 0) {
          const f = eff[i] / sum;
          for (const c of kids) eff[c] *= f;
          self[i] = 0;
        }
      }
    }
  }

  let leftover = 0;
  for (const d of tree.detached) {
    let remaining = eff[d.id];
    if (remaining <= EPSILON) continue;
    const visited = new Set<number>();
    const take = (c: number) => {
      if (c < 0 || visited.has(c) || remaining <= EPSILON) return;
      visited.add(c);
      const t = Math.min(remaining, self[c]);
      self[c] -= t;
      remaining -= t;
    };
    for (const h of d.hosts) take(h);
    // Then upwards from where the subplan's time certainly is: the first host's
    // ancestors (which contain it), or the owner's when no host was found.
    let c = d.hosts.length > 0 ? tree.parent[d.hosts[0]] : tree.parent[d.id];
    while (c >= 0 && remaining > EPSILON) {
      take(c);
      c = tree.parent[c];
    }
    if (remaining > EPSILON) leftover += remaining;
  }

  for (let i = 0; i < n; i++) if (Number.isNaN(inclusive[i])) self[i] = NaN;
  return { exclusive: self, leftover };
}
