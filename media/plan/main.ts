/// <reference lib="dom" />
/**
 * The plan panel's front end. Runs in the webview (or in an exported HTML file, where there
 * is no host: the plan comes from a JSON data block and selection stays local).
 *
 * Flow: restore from getState() at once (a hidden panel is torn down and rebuilt), post
 * `ready`, render whatever `show` / `compare` the host sends, keep the UI state (tab,
 * metric, zoom, collapsed nodes, selection, sort, search) with setState.
 */
import type { PlanModel } from '../../src/explain/types';
import { EXPORT_DATA_ID, type ContentMessage, type HostToWebview, type PlanPayload, type WebviewToHost } from '../../src/panels/protocol';
import { Diagram } from './diagram';
import { add, button, clear, h } from './dom';
import { exclusiveCosts, fmtCost, fmtMs, heaviestNode, searchNodes, type MetricId } from './metrics';
import { renderCompare, renderDetails, renderGrid, renderRaw, renderSearch, renderStats, renderTips, type GridState, type PlanContext, type SearchState } from './views';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

type Tab = 'diagram' | 'grid' | 'stats' | 'tips' | 'search' | 'raw' | 'compare';

const TABS: ReadonlyArray<{ id: Tab; label: string }> = [
  { id: 'diagram', label: 'Diagram' },
  { id: 'grid', label: 'Grid' },
  { id: 'stats', label: 'Stats' },
  { id: 'tips', label: 'Tips' },
  { id: 'search', label: 'Search' },
  { id: 'raw', label: 'Raw' },
  { id: 'compare', label: 'Compare' },
];

interface UiState {
  tab: Tab;
  metric: MetricId;
  side: 'before' | 'after';
  selected: number | null;
  collapsed: number[];
  view: { k: number; tx: number; ty: number } | null;
  grid: GridState;
  search: SearchState;
  raw: 'json' | 'text';
}

interface SavedState {
  content: ContentMessage | null;
  ui: UiState;
}

const DEFAULT_UI: UiState = {
  tab: 'diagram',
  metric: 'time',
  side: 'after',
  selected: null,
  collapsed: [],
  view: null,
  grid: { column: 'exclusiveTime', dir: 'desc' },
  search: { query: '', field: 'all' },
  raw: 'json',
};

const host: VsCodeApi | null = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;

function post(m: WebviewToHost): void {
  host?.postMessage(m);
}

class App {
  private content: ContentMessage | null = null;
  private ui: UiState = { ...DEFAULT_UI };
  private ctx: PlanContext | null = null;
  private matches = new Set<number>();
  private readonly diagram: Diagram;
  private readonly header = h('header', { class: 'top' });
  private readonly tablist = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Plan views' } });
  private readonly panels = new Map<Tab, HTMLElement>();
  private readonly tabButtons = new Map<Tab, HTMLButtonElement>();
  private readonly details = h('aside', { class: 'details', attrs: { 'aria-label': 'Selected node' } });
  private readonly main = h('main', { class: 'body' });
  private readonly empty = h('div', { class: 'empty' }, [
    h('p', { text: 'No plan yet. Put the cursor in a SQL statement and run “SQL Perf: Explain Query”, or open a saved plan with “SQL Perf: Open Plan File”.' }),
  ]);
  private saveTimer: number | undefined;
  private renderedGrid: string | null = null;

  constructor() {
    this.diagram = new Diagram({
      onSelect: (id) => this.selectNode(id, true, 'diagram'),
      onChange: () => this.save(),
    });
    for (const t of TABS) {
      const b = h('button', { class: 'tab', text: t.label, attrs: { role: 'tab', type: 'button', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, 'data-tab': t.id } });
      b.addEventListener('click', () => this.setTab(t.id, true));
      this.tabButtons.set(t.id, b);
      this.tablist.appendChild(b);
      const panel = h('section', { class: `panel panel-${t.id}`, attrs: { role: 'tabpanel', id: `panel-${t.id}`, 'aria-labelledby': `tab-${t.id}` } });
      this.panels.set(t.id, panel);
    }
    this.panels.get('diagram')!.appendChild(this.diagram.root);
    this.tablist.addEventListener('keydown', (e) => {
      const i = TABS.findIndex((t) => t.id === this.ui.tab);
      const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
      if (to === null) return;
      e.preventDefault();
      this.setTab(TABS[(to + TABS.length) % TABS.length].id, true);
    });
    const content = h('div', { class: 'content' }, [...this.panels.values()]);
    this.main.append(content, this.details);
    document.body.append(this.header, this.tablist, this.main, this.empty);
  }

  start(): void {
    const saved = host?.getState() as SavedState | undefined;
    if (saved && saved.content) this.setContent(saved.content, { ...DEFAULT_UI, ...saved.ui });
    else if (!host) {
      const data = document.getElementById(EXPORT_DATA_ID);
      if (data?.textContent) {
        const parsed = JSON.parse(data.textContent) as SavedState;
        this.setContent(parsed.content!, { ...DEFAULT_UI, ...parsed.ui });
      } else this.showEmpty();
    } else this.showEmpty();
    window.addEventListener('message', (e: MessageEvent) => this.onMessage(e.data as HostToWebview));
    post({ type: 'ready' });
  }

  private showEmpty(): void {
    document.body.classList.add('no-plan');
  }

  private onMessage(m: HostToWebview): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'show':
      case 'compare': {
        const same = this.content && contentKey(this.content) === contentKey(m);
        const ui: UiState = same ? this.ui : { ...DEFAULT_UI, tab: m.type === 'compare' ? 'compare' : this.ui.tab === 'compare' ? 'diagram' : this.ui.tab, metric: this.ui.metric, grid: this.ui.grid, raw: this.ui.raw };
        this.setContent(m, ui);
        break;
      }
      case 'requestExport':
        post({ type: 'export', themeVars: themeVars(), themeKind: themeKind() });
        break;
      case 'highlightNode': {
        const plan = this.ctx?.plan;
        if (!plan || plan.id !== m.planId) return;
        if (m.nodeId === null) return;
        this.selectNode(m.nodeId, false, null);
        break;
      }
    }
  }

  /** The plan the views show: the single plan, or the chosen side of a comparison. */
  private current(): PlanPayload | null {
    const c = this.content;
    if (!c) return null;
    if (c.type === 'show') return c.plan;
    return this.ui.side === 'before' ? c.before : c.after;
  }

  private setContent(content: ContentMessage, ui: UiState): void {
    this.content = content;
    this.ui = ui;
    document.body.classList.remove('no-plan');
    document.body.classList.toggle('comparing', content.type === 'compare');
    this.loadPlan();
    this.renderHeader();
    this.setTab(ui.tab, false);
    if (ui.view) {
      this.diagram.view = ui.view;
      this.diagram.applyView();
    } else this.diagram.initialView();
    if (ui.selected !== null) this.selectNode(ui.selected, false, null);
    this.save();
    const id = contentKey(content);
    // first paint of the plan: tests and the benchmark wait for this
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        document.body.dataset.rendered = id;
        performance.mark(`sqlperf-painted:${id}`);
      }),
    );
  }

  private loadPlan(): void {
    const plan = this.current();
    if (!plan) return;
    const model: PlanModel = plan.model;
    const costs = exclusiveCosts(model);
    this.ctx = { plan, model, costs, heaviest: heaviestNode(model, costs) };
    this.diagram.metric = this.ui.metric;
    this.diagram.collapsed = new Set(this.ui.collapsed);
    this.diagram.selected = this.ui.selected;
    this.diagram.setPlan(model, costs, this.ctx.heaviest, plan.tips);
    this.ui.metric = this.diagram.metric;
    this.matches = new Set(searchNodes(model, this.ui.search.query, this.ui.search.field));
    this.diagram.render();
    this.diagram.setMatches([...this.matches]);
    this.renderedGrid = null;
    renderDetails(this.details, this.ctx, this.ui.selected);
  }

  private renderHeader(): void {
    clear(this.header);
    const plan = this.current();
    if (!plan) return;
    const m = plan.model;
    const facts = [
      plan.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN (not executed)',
      m.executionTimeMs !== null ? `execution ${fmtMs(m.executionTimeMs)}` : null,
      m.planningTimeMs !== null ? `planning ${fmtMs(m.planningTimeMs)}` : null,
      m.totalCost !== null ? `cost ${fmtCost(m.totalCost)}` : null,
      m.jit?.totalMs != null ? `JIT ${fmtMs(m.jit.totalMs)}` : null,
      `${m.nodes.length} ${m.nodes.length === 1 ? 'node' : 'nodes'}`,
      plan.target,
    ].filter((x): x is string => !!x);
    const title = h('div', { class: 'title-line' }, [h('h1', { class: 'plan-title', text: plan.title }), h('span', { class: 'facts', text: facts.join(' · ') })]);
    const actions = h('div', { class: 'actions' });
    const c = this.content;
    if (c?.type === 'compare') {
      const group = h('div', { class: 'side-switch', attrs: { role: 'group', 'aria-label': 'Plan shown' } });
      for (const side of ['before', 'after'] as const) {
        group.appendChild(button(side === 'before' ? 'Before' : 'After', { class: this.ui.side === side ? 'on' : '', attrs: { 'aria-pressed': String(this.ui.side === side), 'data-side': side } }, () => {
          if (this.ui.side === side) return;
          this.ui = { ...this.ui, side, selected: null, collapsed: [], view: null };
          this.loadPlan();
          this.renderHeader();
          this.setTab(this.ui.tab, false);
          this.diagram.initialView();
          this.save();
        }));
      }
      actions.appendChild(group);
    }
    if (host) {
      actions.append(
        button('Compare…', { title: 'Compare two runs from the history' }, () => post({ type: 'command', command: 'comparePlans' })),
        button('Export HTML', { class: 'export', title: 'Save this panel as a self-contained HTML file' }, () => post({ type: 'export', themeVars: themeVars(), themeKind: themeKind() })),
      );
    }
    const warnings = m.warnings.length ? h('p', { class: 'warnings', text: `${m.warnings.length} warning(s) while reading the plan: ${m.warnings.slice(0, 2).join(' ')}` }) : null;
    add(this.header, h('div', { class: 'header-row' }, [title, actions]), warnings);
  }

  private setTab(tab: Tab, focus: boolean): void {
    this.ui.tab = tab;
    for (const [id, b] of this.tabButtons) {
      const on = id === tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      b.classList.toggle('on', on);
      this.panels.get(id)!.hidden = !on;
    }
    document.body.dataset.tab = tab;
    if (focus) this.tabButtons.get(tab)!.focus();
    this.renderTab();
    this.save();
  }

  private renderTab(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const panel = this.panels.get(this.ui.tab)!;
    const select = (id: number) => this.selectNode(id, true, this.ui.tab);
    switch (this.ui.tab) {
      case 'diagram':
        break;
      case 'grid': {
        const key = `${ctx.plan.id}:${this.ui.grid.column}:${this.ui.grid.dir}:${[...this.matches].join(',')}:${this.ui.selected}`;
        if (this.renderedGrid === key) break;
        this.renderedGrid = key;
        renderGrid(panel, ctx, this.ui.grid, this.ui.selected, this.matches, select, (s) => {
          this.ui.grid = s;
          this.renderTab();
          (panel.querySelector(`button[data-column="${s.column}"]`) as HTMLElement | null)?.focus();
          this.save();
        });
        break;
      }
      case 'stats':
        renderStats(panel, ctx);
        break;
      case 'tips':
        renderTips(panel, ctx, (id) => {
          this.setTab('diagram', false);
          this.selectNode(id, true, 'diagram');
        });
        break;
      case 'search':
        renderSearch(panel, ctx, this.ui.search, select, (s, hits) => {
          this.ui.search = s;
          this.matches = new Set(hits);
          this.diagram.setMatches(hits);
          this.renderedGrid = null;
          this.save();
        });
        break;
      case 'raw':
        renderRaw(panel, ctx.plan, this.ui.raw, (m) => {
          this.ui.raw = m;
          this.renderTab();
          this.save();
        });
        break;
      case 'compare':
        renderCompare(panel, this.content, (id) => {
          if (this.ui.side !== 'after') {
            this.ui = { ...this.ui, side: 'after', selected: null, collapsed: [], view: null };
            this.loadPlan();
            this.renderHeader();
          }
          this.setTab('diagram', false);
          this.selectNode(id, true, 'diagram');
        }, host ? () => post({ type: 'command', command: 'comparePlans' }) : null);
        break;
    }
  }

  /** Selects a node everywhere; `tell` posts it to the host so the editor highlights its SQL. */
  private selectNode(id: number, tell: boolean, from: Tab | null): void {
    const ctx = this.ctx;
    if (!ctx || !ctx.model.nodes[id]) return;
    this.ui.selected = id;
    this.diagram.select(id, from === 'diagram');
    renderDetails(this.details, ctx, id);
    if (this.ui.tab === 'grid') {
      const panel = this.panels.get('grid')!;
      for (const tr of Array.from(panel.querySelectorAll('tr.selected'))) tr.classList.remove('selected');
      const tr = panel.querySelector(`tr[data-id="${id}"]`) as HTMLElement | null;
      tr?.classList.add('selected');
      tr?.scrollIntoView({ block: 'nearest' });
    }
    if (tell && ctx.plan.sourceLinked) post({ type: 'selectNode', planId: ctx.plan.id, nodeId: id });
    this.save();
  }

  private save(): void {
    if (!host) return;
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => {
      this.ui.collapsed = [...this.diagram.collapsed];
      this.ui.view = { ...this.diagram.view };
      this.ui.metric = this.diagram.metric;
      host.setState({ content: this.content, ui: this.ui } satisfies SavedState);
    }, 250);
  }
}

function contentKey(c: ContentMessage): string {
  return c.type === 'show' ? c.plan.id : `${c.before.id}~${c.after.id}`;
}

/** The --vscode-* variables VS Code set on <html>, so an export keeps the theme. */
function themeVars(): Record<string, string> {
  const out: Record<string, string> = {};
  const style = document.documentElement.style;
  for (let i = 0; i < style.length; i++) {
    const name = style.item(i);
    if (name.startsWith('--vscode-')) out[name] = style.getPropertyValue(name).trim();
  }
  return out;
}

function themeKind(): string {
  return Array.from(document.body.classList).find((c) => c.startsWith('vscode-')) ?? 'vscode-light';
}

window.addEventListener('error', (e) => post({ type: 'error', message: String(e.message ?? e) }));
window.addEventListener('unhandledrejection', (e) => post({ type: 'error', message: String((e.reason as Error)?.message ?? e.reason) }));

new App().start();
