/// <reference lib="dom" />
/**
 * The plan diagram: boxes laid out top-down by layout.ts, edges drawn in one SVG (one
 * <path> per edge width, so thousands of edges cost a handful of elements), zoom with the
 * wheel or the buttons, pan by dragging, subtrees collapsed with their toggle. Positions are
 * set through the CSSOM (element.style), which the strict CSP allows, never through
 * style attributes.
 */
import type { PlanModel, Tip } from '../../src/explain/types';
import { button, clear, h, svg } from './dom';
import { DEFAULT_LAYOUT, layoutTree, type TreeLayout } from './layout';
import { edgeWidths, heatLevels, METRICS, metricAvailable, metricText, metricValues, misestimateArrow, nodeTitle, type MetricId } from './metrics';

export interface DiagramView {
  k: number;
  tx: number;
  ty: number;
}

export interface DiagramCallbacks {
  /** a node was chosen by the user (click, Enter) */
  onSelect(id: number): void;
  /** metric, collapse, zoom changed: persist */
  onChange(): void;
}

const MIN_ZOOM = 0.02;
/** Plans with more visible boxes than this draw only the boxes near the viewport. */
const CULL_ABOVE = 400;
/** Below this zoom a large plan's boxes are drawn without text. */
const SIMPLE_BELOW = 0.4;
const MAX_ZOOM = 3;

export class Diagram {
  readonly root: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly edges: SVGSVGElement;
  private readonly nodesLayer: HTMLElement;
  private readonly metricSelect: HTMLSelectElement;
  private readonly zoomLabel: HTMLElement;
  private model: PlanModel | null = null;
  private costs: Array<number | null> = [];
  private heaviest: number | null = null;
  private tipCount = new Map<number, number>();
  private layout: TreeLayout | null = null;
  private heat: Uint8Array = new Uint8Array(0);
  /** more boxes than CULL_ABOVE: only those near the viewport are in the DOM */
  private culling = false;
  private lod: 'simple' | 'full' | null = null;
  private cullFrame = 0;
  private els: Array<HTMLElement | undefined> = [];
  private matches = new Set<number>();
  selected: number | null = null;
  metric: MetricId = 'time';
  collapsed = new Set<number>();
  view: DiagramView = { k: 1, tx: 0, ty: 0 };
  private interactTimer: number | undefined;

  constructor(private readonly cb: DiagramCallbacks) {
    this.metricSelect = h('select', { class: 'metric', attrs: { 'aria-label': 'Colour nodes by' } });
    for (const m of METRICS) this.metricSelect.appendChild(h('option', { text: m.label, attrs: { value: m.id } }));
    this.metricSelect.addEventListener('change', () => {
      this.metric = this.metricSelect.value as MetricId;
      this.render();
      this.cb.onChange();
    });
    this.zoomLabel = h('span', { class: 'zoom-label', attrs: { 'aria-live': 'polite' } });
    const toolbar = h('div', { class: 'subbar' }, [
      h('label', { class: 'metric-label' }, ['Colour by ', this.metricSelect]),
      button('−', { class: 'icon', title: 'Zoom out (-)', attrs: { 'aria-label': 'Zoom out' } }, () => this.zoomAtCentre(1 / 1.25)),
      this.zoomLabel,
      button('+', { class: 'icon', title: 'Zoom in (+)', attrs: { 'aria-label': 'Zoom in' } }, () => this.zoomAtCentre(1.25)),
      button('Fit', { title: 'Fit the plan in the view (0)' }, () => this.fit()),
      button('1:1', { title: 'Actual size' }, () => this.setZoom(1)),
      button('Expand all', { class: 'expand-all' }, () => {
        this.collapsed.clear();
        this.render();
        this.cb.onChange();
      }),
      h('span', { class: 'legend', text: 'Arrows ↑/↓ on a node: more / fewer rows than estimated. Keys: arrows move, Enter selects, C collapses.' }),
    ]);
    this.edges = svg('svg', { class: 'edges', 'aria-hidden': 'true' });
    this.nodesLayer = h('div', { class: 'nodes', attrs: { role: 'tree', 'aria-label': 'Plan nodes' } });
    this.canvas = h('div', { class: 'canvas' }, []);
    this.canvas.append(this.edges, this.nodesLayer);
    this.viewport = h('div', { class: 'viewport', attrs: { tabindex: -1 } }, [this.canvas]);
    this.root = h('div', { class: 'diagram' }, [toolbar, this.viewport]);
    this.wire();
  }

  setPlan(model: PlanModel, costs: Array<number | null>, heaviest: number | null, tips: Tip[]): void {
    this.model = model;
    this.costs = costs;
    this.heaviest = heaviest;
    this.tipCount = new Map();
    for (const t of tips) if (t.nodeId !== null) this.tipCount.set(t.nodeId, (this.tipCount.get(t.nodeId) ?? 0) + 1);
    for (const opt of Array.from(this.metricSelect.options)) opt.disabled = !metricAvailable(model, opt.value as MetricId);
    if (!metricAvailable(model, this.metric)) this.metric = metricAvailable(model, 'time') ? 'time' : 'cost';
    this.metricSelect.value = this.metric;
  }

  /** Lays out and rebuilds the boxes and edges. */
  render(): void {
    const model = this.model;
    clear(this.nodesLayer);
    clear(this.edges);
    this.els = [];
    this.lod = null;
    if (!model) return;
    const o = DEFAULT_LAYOUT;
    const layout = layoutTree({ childIds: model.nodes.map((n) => n.childIds) }, this.collapsed, o);
    this.layout = layout;
    this.heat = heatLevels(metricValues(model, this.metric, this.costs), this.metric);
    const widths = edgeWidths(model);
    this.culling = layout.order.length > CULL_ABOVE;
    this.root.dataset.nodes = String(layout.order.length);

    if (!this.culling) {
      const frag = document.createDocumentFragment();
      for (const id of layout.order) frag.appendChild(this.makeNode(id, false));
      this.nodesLayer.appendChild(frag);
    }

    // edges: parent bottom centre -> child top centre, elbowed; one path per width
    const paths: string[][] = [[], [], [], [], [], [], []];
    const half = o.nodeWidth / 2;
    for (const id of layout.order) {
      const p = model.nodes[id].parentId;
      if (p === null) continue;
      const px = layout.x[p] + half;
      const py = layout.y[p] + o.nodeHeight;
      const cx = layout.x[id] + half;
      const cy = layout.y[id];
      const my = py + o.vGap / 2;
      paths[widths[id]].push(`M${px} ${py}V${my}H${cx}V${cy}`);
    }
    for (let w = 1; w < paths.length; w++) {
      if (!paths[w].length) continue;
      this.edges.appendChild(svg('path', { d: paths[w].join(''), 'stroke-width': w * 1.5, class: `edge w${w}`, fill: 'none' }));
    }
    this.edges.setAttribute('width', String(layout.width));
    this.edges.setAttribute('height', String(layout.height));
    this.canvas.style.width = `${layout.width}px`;
    this.canvas.style.height = `${layout.height}px`;
    this.applyView();
    if (this.culling) this.updateVisible();
  }

  /** One box. `simple`: far zoomed out, a coloured box without text (cheap to draw by the thousand). */
  private makeNode(id: number, simple: boolean): HTMLElement {
    const model = this.model!;
    const layout = this.layout!;
    const n = model.nodes[id];
    const cls = ['node', `heat-${this.heat[id]}`];
    if (id === this.heaviest) cls.push('heaviest');
    if (id === this.selected) cls.push('selected');
    if (this.matches.has(id)) cls.push('match');
    if (n.neverExecuted) cls.push('never');
    const hasKids = n.childIds.length > 0;
    const isCollapsed = hasKids && this.collapsed.has(id);
    if (isCollapsed) cls.push('collapsed');
    if (simple) cls.push('simple');
    const t = nodeTitle(n);
    const attrs = {
      role: 'treeitem',
      tabindex: id === (this.selected ?? 0) ? 0 : -1,
      'data-id': id,
      'aria-level': n.depth + 1,
      'aria-expanded': hasKids ? String(!isCollapsed) : null,
      'aria-selected': String(id === this.selected),
      'aria-label': simple ? `${t.title} ${t.object}` : null,
    };
    let el: HTMLElement;
    if (simple) el = h('div', { class: cls.join(' '), attrs });
    else {
      const badges: HTMLElement[] = [];
      if (id === this.heaviest) badges.push(h('span', { class: 'badge heaviest-badge', text: 'heaviest' }));
      const mis = misestimateArrow(n, 10);
      if (mis) badges.push(h('span', { class: 'badge mis', text: mis, title: 'actual rows vs the planner\'s estimate' }));
      const tips = this.tipCount.get(id);
      if (tips) badges.push(h('span', { class: 'badge tip', text: tips === 1 ? '1 tip' : `${tips} tips` }));
      if (isCollapsed) badges.push(h('span', { class: 'badge hidden-count', text: `+${n.subtreeEnd - id} hidden` }));
      el = h('div', { class: cls.join(' '), attrs }, [
        h('div', { class: 'node-title', text: t.title }),
        h('div', { class: 'node-object', text: t.object || (n.subplanName ?? '') }),
        h('div', { class: 'node-metric', text: metricText(n, this.metric, this.costs) }),
        badges.length ? h('div', { class: 'node-badges' }, badges) : null,
        hasKids ? h('button', { class: 'toggle', text: isCollapsed ? '+' : '−', attrs: { type: 'button', tabindex: -1, 'aria-label': isCollapsed ? 'Expand subtree' : 'Collapse subtree', 'data-toggle': id } }) : null,
      ]);
    }
    el.style.left = `${layout.x[id]}px`;
    el.style.top = `${layout.y[id]}px`;
    this.els[id] = el;
    return el;
  }

  /**
   * Large plans: only the boxes in (or near) the viewport exist in the DOM, and far zoomed
   * out they are plain coloured boxes. Cheap enough to run on every zoom or pan frame.
   */
  private updateVisible(): void {
    const l = this.layout;
    if (!this.culling || !l) return;
    const { k, tx, ty } = this.view;
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 600;
    const padX = (vw / k) * 0.25;
    const padY = (vh / k) * 0.25;
    const x0 = -tx / k - padX - DEFAULT_LAYOUT.nodeWidth;
    const x1 = (vw - tx) / k + padX;
    const y0 = -ty / k - padY - DEFAULT_LAYOUT.nodeHeight;
    const y1 = (vh - ty) / k + padY;
    const lod = k < SIMPLE_BELOW ? 'simple' : 'full';
    if (lod !== this.lod) {
      clear(this.nodesLayer);
      this.els = [];
      this.lod = lod;
    }
    const frag = document.createDocumentFragment();
    for (const id of l.order) {
      const inside = l.x[id] >= x0 && l.x[id] <= x1 && l.y[id] >= y0 && l.y[id] <= y1;
      const el = this.els[id];
      if (inside && !el) frag.appendChild(this.makeNode(id, lod === 'simple'));
      else if (!inside && el && id !== this.selected) {
        el.remove();
        this.els[id] = undefined;
      }
    }
    this.nodesLayer.appendChild(frag);
  }

  get nodeCount(): number {
    return this.layout?.order.length ?? 0;
  }

  setMatches(ids: number[]): void {
    for (const id of this.matches) this.els[id]?.classList.remove('match');
    this.matches = new Set(ids);
    for (const id of ids) this.els[id]?.classList.add('match');
  }

  /** Marks a node selected; reveals it (expanding collapsed ancestors) and centres it when off-screen. */
  select(id: number | null, focus = false): void {
    const model = this.model;
    if (!model) return;
    if (this.selected !== null) {
      const old = this.els[this.selected];
      old?.classList.remove('selected');
      old?.setAttribute('aria-selected', 'false');
      old?.setAttribute('tabindex', '-1');
    }
    this.selected = id;
    if (id === null) {
      this.els[0]?.setAttribute('tabindex', '0');
      return;
    }
    if (!this.els[id]) {
      // hidden in a collapsed subtree: expand its ancestors
      let changed = false;
      for (let p = model.nodes[id].parentId; p !== null; p = model.nodes[p].parentId) if (this.collapsed.delete(p)) changed = true;
      if (changed) this.render();
    }
    if (!this.els[id] && this.culling && this.layout && !Number.isNaN(this.layout.x[id])) {
      this.reveal(id);
      this.updateVisible();
    }
    const el = this.els[id];
    if (!el) return;
    el.classList.add('selected');
    el.setAttribute('aria-selected', 'true');
    el.setAttribute('tabindex', '0');
    this.els[0]?.setAttribute('tabindex', id === 0 ? '0' : '-1');
    this.reveal(id);
    if (focus) el.focus({ preventScroll: true });
  }

  toggle(id: number): void {
    if (!this.model || this.model.nodes[id].childIds.length === 0) return;
    if (this.collapsed.has(id)) this.collapsed.delete(id);
    else this.collapsed.add(id);
    this.render();
    this.els[id]?.focus({ preventScroll: true });
    this.cb.onChange();
  }

  fit(): void {
    const l = this.layout;
    if (!l) return;
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 600;
    const k = clamp(Math.min(vw / l.width, vh / l.height, 1), MIN_ZOOM, MAX_ZOOM);
    this.view = { k, tx: (vw - l.width * k) / 2, ty: Math.max(0, (vh - l.height * k) / 2) };
    this.applyView();
    this.cb.onChange();
  }

  setZoom(k: number): void {
    this.zoomAtCentre(k / this.view.k);
  }

  zoomAtCentre(factor: number): void {
    this.zoomAt(factor, (this.viewport.clientWidth || 800) / 2, (this.viewport.clientHeight || 600) / 2);
  }

  /** Zooms by `factor` keeping the point (px, py) of the viewport where it is. */
  zoomAt(factor: number, px: number, py: number): void {
    const k = clamp(this.view.k * factor, MIN_ZOOM, MAX_ZOOM);
    const f = k / this.view.k;
    this.view = { k, tx: px - (px - this.view.tx) * f, ty: py - (py - this.view.ty) * f };
    this.interacting();
    this.applyView();
    this.cb.onChange();
  }

  private reveal(id: number): void {
    const l = this.layout;
    if (!l || Number.isNaN(l.x[id])) return;
    const { k, tx, ty } = this.view;
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 600;
    const x0 = l.x[id] * k + tx;
    const y0 = l.y[id] * k + ty;
    const x1 = x0 + DEFAULT_LAYOUT.nodeWidth * k;
    const y1 = y0 + DEFAULT_LAYOUT.nodeHeight * k;
    if (x0 >= 0 && y0 >= 0 && x1 <= vw && y1 <= vh) return;
    this.view = { k, tx: vw / 2 - (l.x[id] + DEFAULT_LAYOUT.nodeWidth / 2) * k, ty: vh / 2 - (l.y[id] + DEFAULT_LAYOUT.nodeHeight / 2) * k };
    this.applyView();
  }

  applyView(): void {
    const { k, tx, ty } = this.view;
    this.canvas.style.transform = `translate(${tx}px, ${ty}px) scale(${k})`;
    this.zoomLabel.textContent = `${Math.round(k * 100)}%`;
    if (this.culling && !this.cullFrame) {
      this.cullFrame = requestAnimationFrame(() => {
        this.cullFrame = 0;
        this.updateVisible();
      });
    }
  }

  /** The first view of a plan: all of it when it fits legibly, else its top at actual size. */
  initialView(): void {
    const l = this.layout;
    if (!l) return;
    const vw = this.viewport.clientWidth || 800;
    const vh = this.viewport.clientHeight || 600;
    if (Math.min(vw / l.width, vh / l.height) >= SIMPLE_BELOW) {
      this.fit();
      return;
    }
    const k = 1;
    const rootX = Number.isNaN(l.x[0]) ? 0 : l.x[0] + DEFAULT_LAYOUT.nodeWidth / 2;
    this.view = { k, tx: vw / 2 - rootX * k, ty: 0 };
    this.applyView();
    this.updateVisible();
  }

  /** While zooming or panning the canvas is its own layer (fast, slightly soft); crisp again after. */
  private interacting(): void {
    this.canvas.classList.add('moving');
    window.clearTimeout(this.interactTimer);
    this.interactTimer = window.setTimeout(() => this.canvas.classList.remove('moving'), 180);
  }

  private idOf(target: EventTarget | null): number | null {
    const el = (target as HTMLElement | null)?.closest?.('.node') as HTMLElement | null;
    if (!el || !el.dataset.id) return null;
    return Number(el.dataset.id);
  }

  private wire(): void {
    let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; pointer: number } | null = null;
    this.viewport.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = this.viewport.getBoundingClientRect();
        const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
        this.zoomAt(Math.exp(-delta * 0.0015), e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );
    this.viewport.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      if ((e.target as HTMLElement).closest('button')) return;
      drag = { x: e.clientX, y: e.clientY, tx: this.view.tx, ty: this.view.ty, moved: false, pointer: e.pointerId };
    });
    this.viewport.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.pointer) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) {
        drag.moved = true;
        this.viewport.setPointerCapture(e.pointerId);
        this.viewport.classList.add('panning');
      }
      this.view = { k: this.view.k, tx: drag.tx + dx, ty: drag.ty + dy };
      this.interacting();
      this.applyView();
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.pointer) return;
      const moved = drag.moved;
      drag = null;
      this.viewport.classList.remove('panning');
      if (moved) {
        this.cb.onChange();
        return;
      }
      const id = this.idOf(e.target);
      if (id !== null) {
        this.select(id, true);
        this.cb.onSelect(id);
      }
    };
    this.viewport.addEventListener('pointerup', end);
    this.viewport.addEventListener('pointercancel', () => {
      drag = null;
      this.viewport.classList.remove('panning');
    });
    this.nodesLayer.addEventListener('click', (e) => {
      const t = (e.target as HTMLElement).closest('[data-toggle]') as HTMLElement | null;
      if (t) {
        e.stopPropagation();
        this.toggle(Number(t.dataset.toggle));
      }
    });
    this.root.addEventListener('keydown', (e) => this.onKey(e));
  }

  private onKey(e: KeyboardEvent): void {
    const model = this.model;
    if (!model || (e.target as HTMLElement).tagName === 'SELECT') return;
    const current = this.idOf(e.target) ?? this.selected;
    const move = (id: number | null | undefined) => {
      if (id === null || id === undefined || !this.els[id]) return;
      e.preventDefault();
      this.select(id, true);
    };
    switch (e.key) {
      case '+':
      case '=':
        e.preventDefault();
        this.zoomAtCentre(1.25);
        return;
      case '-':
        e.preventDefault();
        this.zoomAtCentre(1 / 1.25);
        return;
      case '0':
        e.preventDefault();
        this.fit();
        return;
    }
    if (current === null || this.idOf(e.target) === null) return;
    const n = model.nodes[current];
    const siblings = n.parentId === null ? [current] : model.nodes[n.parentId].childIds;
    const at = siblings.indexOf(current);
    switch (e.key) {
      case 'ArrowUp':
        move(n.parentId);
        break;
      case 'ArrowDown':
        if (!this.collapsed.has(current)) move(n.childIds[0]);
        break;
      case 'ArrowLeft':
        move(siblings[at - 1]);
        break;
      case 'ArrowRight':
        move(siblings[at + 1]);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.select(current, true);
        this.cb.onSelect(current);
        break;
      case 'c':
      case 'C':
        e.preventDefault();
        this.toggle(current);
        break;
    }
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
