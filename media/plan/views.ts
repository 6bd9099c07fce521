/// <reference lib="dom" />
/**
 * The panel's other views: grid, stats, tips, search, raw, compare, and the details of the
 * selected node. Each builds its DOM from plain data with textContent (see dom.ts).
 */
import type { ContentMessage, PlanPayload } from '../../src/panels/protocol';
import type { NodeChange, PlanDiff, PlanModel, PlanNode, Tip } from '../../src/explain/types';
import { add, button, clear, h } from './dom';
import {
  fmtCost,
  fmtCount,
  fmtFactor,
  fmtMs,
  fmtPercent,
  GRID_COLUMNS,
  gridValue,
  misestimateArrow,
  nodeTitle,
  planStats,
  searchNodes,
  sortNodes,
  type GridColumn,
  type SearchField,
  type StatRow,
} from './metrics';

export interface PlanContext {
  plan: PlanPayload;
  model: PlanModel;
  costs: Array<number | null>;
  heaviest: number | null;
}

export type Select = (id: number) => void;

function nodeLabel(n: PlanNode): string {
  const t = nodeTitle(n);
  return t.object ? `${t.title} · ${t.object}` : t.title;
}

// ---- grid ----

/** Rows rendered at once; the rest behind a button. */
export const GRID_CHUNK = 500;

export interface GridState {
  column: GridColumn;
  dir: 'asc' | 'desc';
}

export function renderGrid(root: HTMLElement, ctx: PlanContext, state: GridState, selected: number | null, matches: ReadonlySet<number>, select: Select, onSort: (s: GridState) => void): void {
  clear(root);
  const { model, costs } = ctx;
  const order = sortNodes(model, state.column, state.dir, costs);
  const head = h('tr', {}, GRID_COLUMNS.map((c) => {
    const active = c.id === state.column;
    const th = h('th', { class: c.numeric ? 'num' : '', attrs: { scope: 'col', 'aria-sort': active ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none' } }, [
      button(`${c.label}${active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''}`, { class: 'sort', attrs: { 'data-column': c.id } }, () => {
        const dir = active ? (state.dir === 'asc' ? 'desc' : 'asc') : c.numeric && c.id !== 'id' ? 'desc' : 'asc';
        onSort({ column: c.id, dir });
      }),
    ]);
    return th;
  }));
  const body = h('tbody');
  const addRows = (from: number, to: number) => {
    const frag = document.createDocumentFragment();
    for (let i = from; i < to; i++) frag.appendChild(gridRow(order[i]));
    return frag;
  };
  const gridRow = (id: number): HTMLElement => {
    const n = model.nodes[id];
    const cls = ['row'];
    if (id === ctx.heaviest) cls.push('heaviest');
    if (id === selected) cls.push('selected');
    if (matches.has(id)) cls.push('match');
    const tr = h('tr', { class: cls.join(' '), attrs: { tabindex: 0, 'data-id': id, 'aria-selected': String(id === selected) } });
    for (const c of GRID_COLUMNS) {
      let text: string;
      const v = gridValue(n, c.id, costs);
      switch (c.id) {
        case 'node': {
          const td = h('td', { class: 'node-cell' });
          // indented as a tree only in plan order; sorted by a figure, depth means nothing
          if (state.column === 'id' && state.dir === 'asc') td.style.paddingLeft = `${6 + Math.min(n.depth, 30) * 10}px`;
          td.appendChild(h('span', { class: 'node-type', text: nodeTitle(n).title }));
          const obj = nodeTitle(n).object;
          if (obj) td.appendChild(h('span', { class: 'node-object', text: ` ${obj}` }));
          if (id === ctx.heaviest) td.appendChild(h('span', { class: 'badge heaviest-badge', text: 'heaviest' }));
          tr.appendChild(td);
          continue;
        }
        case 'exclusiveTime':
        case 'inclusiveTime':
          text = fmtMs(v as number | null);
          break;
        case 'percent':
          text = fmtPercent(v as number | null);
          break;
        case 'misestimate': {
          text = misestimateArrow(n, 1.5);
          const td = h('td', { class: `num mis ${n.misestimate && n.misestimate.factor >= 10 ? 'bad' : ''}`, text });
          tr.appendChild(td);
          continue;
        }
        case 'costExclusive':
        case 'costTotal':
          text = fmtCost(v as number | null);
          break;
        case 'id':
          text = String(id);
          break;
        default:
          text = v === null ? '' : fmtCount(v as number);
      }
      tr.appendChild(h('td', { class: c.numeric ? 'num' : '', text }));
    }
    return tr;
  };
  // big plans: the first rows at once, the rest on request (thousands of rows take a second to lay out)
  const first = Math.min(order.length, Math.max(GRID_CHUNK, order.indexOf(selected ?? -1) + 1));
  body.appendChild(addRows(0, first));
  if (first < order.length) {
    const more = h('tr', { class: 'more' }, [h('td', { attrs: { colspan: GRID_COLUMNS.length } }, [
      button(`Show all ${order.length} rows (${order.length - first} more)`, { class: 'show-more' }, () => {
        more.remove();
        body.appendChild(addRows(first, order.length));
      }),
    ])]);
    body.appendChild(more);
  }
  body.addEventListener('click', (e) => {
    const tr = (e.target as HTMLElement).closest('tr');
    if (tr?.dataset.id) select(Number(tr.dataset.id));
  });
  body.addEventListener('keydown', (e) => {
    const tr = (e.target as HTMLElement).closest('tr');
    if (!tr?.dataset.id) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(Number(tr.dataset.id));
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = (e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling) as HTMLElement | null;
      next?.focus();
    }
  });
  root.appendChild(h('table', { class: 'grid', attrs: { 'aria-label': 'Plan nodes' } }, [h('thead', {}, [head]), body]));
}

// ---- stats ----

export function renderStats(root: HTMLElement, ctx: PlanContext): void {
  clear(root);
  const stats = planStats(ctx.model, ctx.costs);
  const share = ctx.model.hasTiming ? '% of time' : '% of cost';
  const table = (title: string, rows: StatRow[]) => {
    if (!rows.length) return h('section', { class: 'stats-group' }, [h('h3', { text: title }), h('p', { class: 'muted', text: 'None in this plan.' })]);
    return h('section', { class: 'stats-group' }, [
      h('h3', { text: title }),
      h('table', { class: 'stats' }, [
        h('thead', {}, [h('tr', {}, ['Name', 'Nodes', 'Time', share, 'Cost', 'Rows', 'Hit', 'Read', 'Temp'].map((c, i) => h('th', { class: i ? 'num' : '', text: c, attrs: { scope: 'col' } })))]),
        h('tbody', {}, rows.map((r) => h('tr', {}, [
          h('td', { text: r.key }),
          h('td', { class: 'num', text: String(r.nodes) }),
          h('td', { class: 'num', text: fmtMs(r.timeMs) }),
          h('td', { class: 'num' }, [h('span', { class: 'bar-text', text: fmtPercent(r.percent) }), bar(r.percent)]),
          h('td', { class: 'num', text: fmtCost(r.cost) }),
          h('td', { class: 'num', text: fmtCount(r.rows) }),
          h('td', { class: 'num', text: fmtCount(r.sharedHit) }),
          h('td', { class: 'num', text: fmtCount(r.sharedRead) }),
          h('td', { class: 'num', text: fmtCount(r.tempBlocks) }),
        ]))),
      ]),
    ]);
  };
  root.append(table('By table', stats.byTable), table('By index', stats.byIndex), table('By node type', stats.byNodeType));
}

function bar(percent: number | null): HTMLElement {
  const b = h('span', { class: 'bar', attrs: { 'aria-hidden': 'true' } });
  b.style.width = `${Math.max(0, Math.min(100, percent ?? 0)) * 0.6}px`;
  return b;
}

// ---- tips ----

export function renderTips(root: HTMLElement, ctx: PlanContext, select: Select): void {
  clear(root);
  const tips = [...ctx.plan.tips].sort((a, b) => b.score - a.score);
  if (!tips.length) {
    root.appendChild(h('p', { class: 'muted', text: 'No tips: nothing in this plan stands out.' }));
    return;
  }
  const list = h('ol', { class: 'tips' });
  for (const t of tips) list.appendChild(tipItem(t, ctx.model, select));
  root.appendChild(list);
}

function tipItem(t: Tip, model: PlanModel, select: Select): HTMLElement {
  const level = t.score >= 4 ? 'high' : t.score >= 2.5 ? 'medium' : 'low';
  const node = t.nodeId !== null ? model.nodes[t.nodeId] : null;
  const body = [
    h('span', { class: `score ${level}`, text: t.score.toFixed(1), title: 'score 0–5: how much it is worth a look' }),
    h('span', { class: 'tip-title', text: t.title }),
    node ? h('span', { class: 'tip-node', text: `#${node.id} ${nodeLabel(node)}` }) : h('span', { class: 'tip-node', text: 'whole statement' }),
    h('span', { class: 'tip-detail', text: t.detail }),
  ];
  if (node) {
    const b = h('button', { class: 'tip-button', attrs: { type: 'button', 'data-node': node.id, 'data-tip': t.id } }, body);
    b.addEventListener('click', () => select(node.id));
    return h('li', { class: 'tip-item' }, [b]);
  }
  return h('li', { class: 'tip-item' }, [h('div', { class: 'tip-button static', attrs: { 'data-tip': t.id } }, body)]);
}

// ---- search ----

export interface SearchState {
  query: string;
  field: SearchField;
}

export function renderSearch(root: HTMLElement, ctx: PlanContext, state: SearchState, select: Select, onChange: (s: SearchState, hits: number[]) => void): void {
  clear(root);
  const input = h('input', { class: 'search-input', attrs: { type: 'search', placeholder: 'Table, index or node type', 'aria-label': 'Search plan nodes', value: state.query } });
  input.value = state.query;
  const field = h('select', { attrs: { 'aria-label': 'Search in' } }, [
    h('option', { text: 'Everything', attrs: { value: 'all' } }),
    h('option', { text: 'Tables', attrs: { value: 'table' } }),
    h('option', { text: 'Indexes', attrs: { value: 'index' } }),
    h('option', { text: 'Node types', attrs: { value: 'type' } }),
  ]);
  field.value = state.field;
  const count = h('p', { class: 'search-count', attrs: { 'aria-live': 'polite' } });
  const results = h('ul', { class: 'search-results' });
  const run = (notify: boolean) => {
    const s: SearchState = { query: input.value, field: field.value as SearchField };
    const hits = searchNodes(ctx.model, s.query, s.field);
    clear(results);
    count.textContent = s.query.trim() ? `${hits.length} ${hits.length === 1 ? 'node matches' : 'nodes match'}` : 'Type to search; matches are highlighted in the diagram and the grid.';
    const frag = document.createDocumentFragment();
    for (const id of hits.slice(0, 500)) {
      const n = ctx.model.nodes[id];
      const b = h('button', { class: 'hit', attrs: { type: 'button', 'data-id': id } }, [
        h('span', { class: 'hit-id', text: `#${id}` }),
        h('span', { class: 'hit-label', text: nodeLabel(n) }),
        h('span', { class: 'hit-metric', text: n.exclusiveTimeMs !== null ? fmtMs(n.exclusiveTimeMs) : fmtCount(n.rowsEstimatedTotal) + ' est. rows' }),
      ]);
      b.addEventListener('click', () => select(id));
      frag.appendChild(h('li', {}, [b]));
    }
    if (hits.length > 500) frag.appendChild(h('li', { class: 'muted', text: `… ${hits.length - 500} more` }));
    results.appendChild(frag);
    if (notify) onChange(s, hits);
  };
  input.addEventListener('input', () => run(true));
  field.addEventListener('change', () => run(true));
  root.append(h('div', { class: 'search-bar' }, [input, field]), count, results);
  run(false);
  queueMicrotask(() => input.focus());
}

// ---- raw ----

export function renderRaw(root: HTMLElement, plan: PlanPayload, mode: 'json' | 'text', onMode: (m: 'json' | 'text') => void): void {
  clear(root);
  const content = mode === 'text' ? plan.text : plan.raw;
  const pre = h('pre', { class: 'raw', text: content, attrs: { tabindex: 0, 'aria-label': mode === 'text' ? 'Plan as text' : 'Plan as EXPLAIN gave it' } });
  const copy = button('Copy', {}, () => {
    void navigator.clipboard?.writeText(content).then(() => (copy.textContent = 'Copied'), () => undefined);
  });
  add(
    root,
    h('div', { class: 'subbar', attrs: { role: 'group', 'aria-label': 'Raw format' } }, [
      button(plan.rawKind === 'json' ? 'JSON' : 'As given', { class: mode === 'json' ? 'on' : '', attrs: { 'aria-pressed': String(mode === 'json') } }, () => onMode('json')),
      button('Text', { class: mode === 'text' ? 'on' : '', attrs: { 'aria-pressed': String(mode === 'text') } }, () => onMode('text')),
      copy,
    ]),
    plan.statement ? h('details', { class: 'statement' }, [h('summary', { text: 'Statement' }), h('pre', { class: 'raw', text: plan.statement })]) : null,
    pre,
  );
}

// ---- compare ----

export function verdictText(diff: PlanDiff): { outcome: 'faster' | 'slower' | 'same' | 'unknown'; text: string } {
  const v = diff.verdict;
  if (!v) return { outcome: 'unknown', text: 'No verdict: the plans have neither execution times nor costs to compare.' };
  const basis = v.basis === 'execution-time' ? `execution time ${fmtMs(v.before)} → ${fmtMs(v.after)}` : `total cost ${fmtCost(v.before)} → ${fmtCost(v.after)}`;
  if (v.outcome === 'same') return { outcome: 'same', text: `About the same (${basis})` };
  const r = v.outcome === 'faster' ? v.ratio : 1 / v.ratio;
  const by = r >= 1e6 ? 'by far' : `${fmtFactor(r)}`;
  return { outcome: v.outcome, text: `${v.outcome === 'faster' ? 'Faster' : 'Slower'} ${by} (${basis})` };
}

function changeText(c: NodeChange): string {
  const parts: string[] = [];
  if (c.nodeType) parts.push(`${c.nodeType.before} → ${c.nodeType.after}`);
  if (c.time) {
    const r = c.time.ratio;
    if (r >= 1.1) parts.push(`${fmtFactor(Math.min(r, 1e6))} faster`);
    else if (r <= 1 / 1.1) parts.push(`${fmtFactor(1 / r)} slower`);
  } else if (c.cost && c.cost.after !== c.cost.before) {
    parts.push(`cost ${c.cost.after < c.cost.before ? '−' : '+'}${fmtPercent((100 * Math.abs(c.cost.after - c.cost.before)) / Math.max(c.cost.before, 1e-9))}`);
  }
  if (c.rows && c.rows.before !== c.rows.after) parts.push(`rows ${fmtCount(c.rows.before)} → ${fmtCount(c.rows.after)}`);
  return parts.join(' · ');
}

function figures(n: PlanNode): string {
  const parts: string[] = [];
  if (n.inclusiveTimeMs !== null) parts.push(fmtMs(n.inclusiveTimeMs));
  const rows = n.rowsActualTotal ?? n.rowsEstimatedTotal;
  if (rows !== null) parts.push(`${fmtCount(rows)} rows`);
  if (n.totalCost !== null) parts.push(`cost ${fmtCost(n.totalCost)}`);
  return parts.join(' · ');
}

export function renderCompare(root: HTMLElement, content: ContentMessage | null, selectAfter: Select, onCompareCommand: (() => void) | null): void {
  clear(root);
  if (!content || content.type !== 'compare') {
    add(
      root,
      h('p', { class: 'muted', text: 'Compare two plans: earlier runs of a statement (kept per workspace), or the plan before and after an edit or a new index.' }),
      onCompareCommand ? button('Compare Plans…', { class: 'primary' }, onCompareCommand) : null,
    );
    return;
  }
  const { before, after, diff } = content;
  const v = verdictText(diff);
  root.appendChild(h('div', { class: `verdict ${v.outcome}`, attrs: { role: 'status', 'data-outcome': v.outcome } }, [h('strong', { text: v.text })]));
  root.appendChild(h('p', { class: 'muted', text: `${diff.matches.length} nodes matched, ${diff.unmatchedBefore.length} only before, ${diff.unmatchedAfter.length} only after.` }));
  const byBefore = new Map(diff.matches.map((m) => [m.beforeId, m]));
  const rows: HTMLElement[] = [];
  const cell = (n: PlanNode | null, cls: string) => {
    const td = h('td', { class: `cmp-node ${cls}` });
    if (n) {
      td.style.paddingLeft = `${6 + Math.min(n.depth, 30) * 10}px`;
      td.append(h('span', { class: 'node-type', text: nodeLabel(n) }), h('span', { class: 'cmp-fig', text: figures(n) }));
    }
    return td;
  };
  for (const b of before.model.nodes) {
    const m = byBefore.get(b.id);
    const a = m ? after.model.nodes[m.afterId] : null;
    const tr = h('tr', { class: m ? 'matched' : 'removed', attrs: m ? { tabindex: 0, 'data-after': m.afterId } : {} }, [
      cell(b, 'before'),
      cell(a, 'after'),
      h('td', { class: 'cmp-change', text: m ? changeText(m) : 'only before' }),
    ]);
    rows.push(tr);
  }
  for (const id of diff.unmatchedAfter) {
    rows.push(h('tr', { class: 'added', attrs: { tabindex: 0, 'data-after': id } }, [cell(null, 'before'), cell(after.model.nodes[id], 'after'), h('td', { class: 'cmp-change', text: 'only after' })]));
  }
  const body = h('tbody', {}, rows);
  const pick = (e: Event) => {
    const tr = (e.target as HTMLElement).closest('tr');
    if (tr?.dataset.after) selectAfter(Number(tr.dataset.after));
  };
  body.addEventListener('click', pick);
  body.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') pick(e);
  });
  root.appendChild(
    h('table', { class: 'compare' }, [
      h('thead', {}, [h('tr', {}, [h('th', { text: `Before: ${before.title}`, attrs: { scope: 'col' } }), h('th', { text: `After: ${after.title}`, attrs: { scope: 'col' } }), h('th', { text: 'Change', attrs: { scope: 'col' } })])]),
      body,
    ]),
  );
}

// ---- details of the selected node ----

export function renderDetails(root: HTMLElement, ctx: PlanContext | null, id: number | null): void {
  clear(root);
  if (!ctx || id === null || !ctx.model.nodes[id]) {
    root.appendChild(h('p', { class: 'muted', text: 'Select a node to see its details.' }));
    return;
  }
  const n = ctx.model.nodes[id];
  const t = nodeTitle(n);
  const rows: Array<[string, string]> = [];
  const row = (k: string, v: string) => {
    if (v) rows.push([k, v]);
  };
  if (n.schema && n.relation) row('Table', `${n.schema}.${n.relation}`);
  if (n.index) row('Index', n.index);
  row('Exclusive time', n.exclusiveTimeMs !== null ? `${fmtMs(n.exclusiveTimeMs)}${n.percentOfTotal !== null ? ` (${fmtPercent(n.percentOfTotal)})` : ''}` : '');
  row('Inclusive time', fmtMs(n.inclusiveTimeMs));
  row('Rows', n.rowsActualTotal !== null ? `${fmtCount(n.rowsActualTotal)} of ${fmtCount(n.rowsEstimatedTotal)} estimated ${misestimateArrow(n, 1.5)}`.trim() : n.rowsEstimatedTotal !== null ? `${fmtCount(n.rowsEstimatedTotal)} estimated` : '');
  row('Loops', n.actualLoops !== null && n.actualLoops !== 1 ? fmtCount(n.actualLoops) : '');
  row('Cost', n.totalCost !== null ? `${fmtCost(n.startupCost)}..${fmtCost(n.totalCost)} (own ${fmtCost(ctx.costs[id])})` : '');
  row('Removed by filter', n.rowsRemovedByFilterTotal !== null ? fmtCount(n.rowsRemovedByFilterTotal) : '');
  row('Removed by join filter', n.rowsRemovedByJoinFilterTotal !== null ? fmtCount(n.rowsRemovedByJoinFilterTotal) : '');
  const b = n.exclusiveBuffers;
  if (b) row('Buffers (own)', `hit ${fmtCount(b.sharedHit)}, read ${fmtCount(b.sharedRead)}${b.tempRead + b.tempWritten ? `, temp ${fmtCount(b.tempRead + b.tempWritten)}` : ''}`);
  if (n.workersLaunched !== null || n.workersPlanned !== null) row('Workers', `${n.workersLaunched ?? '?'} launched of ${n.workersPlanned ?? '?'} planned`);
  if (n.sort) row('Sort', [n.sort.method, n.sort.spaceType, n.sort.spaceKb !== null ? `${n.sort.spaceKb} kB` : null].filter(Boolean).join(', '));
  if (n.neverExecuted) row('Executed', 'never');
  for (const [k, v] of Object.entries(n.properties)) row(k, v);
  const tips = ctx.plan.tips.filter((x) => x.nodeId === id);
  add(
    root,
    h('h3', { class: 'details-title', text: `#${id} ${t.title}` }),
    t.object ? h('p', { class: 'details-object', text: t.object }) : null,
    id === ctx.heaviest ? h('p', {}, [h('span', { class: 'badge heaviest-badge', text: 'heaviest node' })]) : null,
    h('dl', { class: 'details-list' }, rows.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
    tips.length ? h('ul', { class: 'details-tips' }, tips.map((x) => h('li', {}, [h('strong', { text: `${x.score.toFixed(1)} ${x.title}` }), h('div', { text: x.detail })]))) : null,
  );
}
