/**
 * A tidy top-down tree layout (Reingold–Tilford style): each subtree is packed as close to
 * its left sibling as their contours allow, parents sit centred over their children. Node
 * boxes all have one size. Linear in practice: contours are arrays indexed by depth, the
 * first child's contour is reused by its parent, and each later child's contour is merged
 * once (cost ≤ its height). Iterative, so a plan thousands of levels deep does not overflow
 * the stack. Pure: ids in, coordinates out.
 */

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** horizontal space between neighbouring boxes */
  hGap: number;
  /** vertical space between levels */
  vGap: number;
  /** space around the drawing */
  margin: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { nodeWidth: 196, nodeHeight: 64, hGap: 20, vGap: 40, margin: 24 };

export interface TreeShape {
  /** children per node id, in order; ids are 0..n-1 and 0 is the root */
  childIds: ReadonlyArray<ReadonlyArray<number>>;
}

export interface TreeLayout {
  /** top-left corner of each box; NaN for hidden nodes (inside a collapsed subtree) */
  x: Float64Array;
  y: Float64Array;
  visible: Uint8Array;
  /** visible node ids in preorder */
  order: number[];
  width: number;
  height: number;
}

interface Contour {
  /** leftmost / rightmost box centre per absolute depth, relative to the subtree root: value + off */
  left: number[];
  right: number[];
  off: number;
  maxDepth: number;
}

export function layoutTree(shape: TreeShape, collapsed: ReadonlySet<number> = new Set(), opts: LayoutOptions = DEFAULT_LAYOUT): TreeLayout {
  const n = shape.childIds.length;
  const x = new Float64Array(n).fill(NaN);
  const y = new Float64Array(n).fill(NaN);
  const visible = new Uint8Array(n);
  const order: number[] = [];
  if (n === 0) return { x, y, visible, order, width: 0, height: 0 };

  const sep = opts.nodeWidth + opts.hGap;
  const kids = (id: number): ReadonlyArray<number> => (collapsed.has(id) ? [] : shape.childIds[id]);
  const depth = new Int32Array(n);
  // preorder of the visible tree (iterative)
  const stack = [0];
  while (stack.length) {
    const id = stack.pop()!;
    visible[id] = 1;
    order.push(id);
    const c = kids(id);
    for (let i = c.length - 1; i >= 0; i--) {
      depth[c[i]] = depth[id] + 1;
      stack.push(c[i]);
    }
  }

  // postorder = reverse preorder with children visited before parents
  const rel = new Float64Array(n); // centre relative to the parent's centre
  const contours: Array<Contour | undefined> = new Array(n);
  for (let k = order.length - 1; k >= 0; k--) {
    const id = order[k];
    const d = depth[id];
    const c = kids(id);
    if (c.length === 0) {
      const ct: Contour = { left: [], right: [], off: 0, maxDepth: d };
      ct.left[d] = 0;
      ct.right[d] = 0;
      contours[id] = ct;
      continue;
    }
    // frame: the first child's centre at 0
    const acc = contours[c[0]]!;
    contours[c[0]] = undefined;
    const pos = new Float64Array(c.length);
    for (let i = 1; i < c.length; i++) {
      const ci = contours[c[i]]!;
      contours[c[i]] = undefined;
      let shift = -Infinity;
      const common = Math.min(acc.maxDepth, ci.maxDepth);
      for (let dd = d + 1; dd <= common; dd++) {
        const need = acc.right[dd] + acc.off - (ci.left[dd] + ci.off) + sep;
        if (need > shift) shift = need;
      }
      pos[i] = shift;
      for (let dd = d + 1; dd <= ci.maxDepth; dd++) {
        acc.right[dd] = ci.right[dd] + ci.off + shift - acc.off;
        if (dd > acc.maxDepth) acc.left[dd] = ci.left[dd] + ci.off + shift - acc.off;
      }
      if (ci.maxDepth > acc.maxDepth) acc.maxDepth = ci.maxDepth;
    }
    const centre = (pos[0] + pos[c.length - 1]) / 2;
    for (let i = 0; i < c.length; i++) rel[c[i]] = pos[i] - centre;
    acc.off -= centre;
    acc.left[d] = -acc.off;
    acc.right[d] = -acc.off;
    contours[id] = acc;
  }

  // absolute centres, then boxes; shift so the leftmost box starts at the margin
  const cx = new Float64Array(n);
  let minX = Infinity;
  let maxX = -Infinity;
  let maxDepth = 0;
  cx[0] = 0;
  for (const id of order) {
    for (const c of kids(id)) cx[c] = cx[id] + rel[c];
    if (cx[id] < minX) minX = cx[id];
    if (cx[id] > maxX) maxX = cx[id];
    if (depth[id] > maxDepth) maxDepth = depth[id];
  }
  for (const id of order) {
    x[id] = cx[id] - minX + opts.margin;
    y[id] = opts.margin + depth[id] * (opts.nodeHeight + opts.vGap);
  }
  return {
    x,
    y,
    visible,
    order,
    width: maxX - minX + opts.nodeWidth + 2 * opts.margin,
    height: (maxDepth + 1) * opts.nodeHeight + maxDepth * opts.vGap + 2 * opts.margin,
  };
}
