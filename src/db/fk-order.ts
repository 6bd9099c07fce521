/**
 * The order to fill tables in so every foreign key finds its parent rows: parents first
 * (Kahn's algorithm over pg_constraint's foreign keys). Tables on a cycle come last, in
 * name order; their keys to a parent that is not filled yet must be left NULL.
 */

export interface FkEdge {
  child: number;
  parent: number;
}

/** Returns table ids in fill order; `names` breaks ties so the order is stable. */
export function fillOrder(tables: readonly number[], edges: readonly FkEdge[], names: (id: number) => string): number[] {
  const known = new Set(tables);
  const parents = new Map<number, Set<number>>();
  const children = new Map<number, Set<number>>();
  for (const id of tables) {
    parents.set(id, new Set());
    children.set(id, new Set());
  }
  for (const e of edges) {
    if (e.child === e.parent || !known.has(e.child) || !known.has(e.parent)) continue; // self references are filled as NULL
    parents.get(e.child)!.add(e.parent);
    children.get(e.parent)!.add(e.child);
  }
  const byName = (a: number, b: number) => names(a).localeCompare(names(b));
  const ready = tables.filter((id) => parents.get(id)!.size === 0).sort(byName);
  const order: number[] = [];
  const done = new Set<number>();
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    done.add(id);
    const unlocked: number[] = [];
    for (const child of children.get(id)!) {
      const waiting = parents.get(child)!;
      waiting.delete(id);
      if (waiting.size === 0 && !done.has(child)) unlocked.push(child);
    }
    ready.push(...unlocked);
    ready.sort(byName);
  }
  const cyclic = tables.filter((id) => !done.has(id)).sort(byName);
  return [...order, ...cyclic];
}
