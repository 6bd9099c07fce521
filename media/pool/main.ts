/// <reference lib="dom" />
/**
 * The pool diagnostics panel's front end. Everything is built with DOM calls and
 * textContent: application names, queries and file names come from the database and the
 * workspace and are never parsed as HTML. The last update is kept with setState so a
 * hidden panel restores at once.
 */
import type { HistoryPoint, HostToWebview, UpdateMessage, WebviewToHost } from '../../src/pool/protocol';
import type { BackendRef, Finding, ServerSnapshot } from '../../src/pool/types';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string | number): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function section(title: string): HTMLElement {
  const s = el('section', 'card');
  s.append(el('h2', undefined, title));
  return s;
}

const secs = (s: number): string => (s >= 120 ? `${Math.round(s / 60)} min` : `${Math.round(s)} s`);
const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export function sparkline(values: Array<number | null>, label: string): SVGSVGElement {
  const w = 120;
  const h = 28;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const nums = values.map((v) => (v === null || !Number.isFinite(v) ? null : v));
  const present = nums.filter((v): v is number => v !== null);
  if (present.length === 0) return svg;
  const min = Math.min(...present);
  const max = Math.max(...present);
  const span = max - min || 1;
  const step = nums.length > 1 ? w / (nums.length - 1) : 0;
  const pts = nums
    .map((v, i) => (v === null ? null : `${(i * step).toFixed(1)},${(h - 2 - ((v - min) / span) * (h - 4)).toFixed(1)}`))
    .filter((p): p is string => p !== null);
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', pts.length === 1 ? `0,${pts[0].split(',')[1]} ${w},${pts[0].split(',')[1]}` : pts.join(' '));
  line.setAttribute('class', 'spark-line');
  svg.append(line);
  return svg;
}

function metric(label: string, value: string, history: HistoryPoint[], pick: (p: HistoryPoint) => number | null, cls = ''): HTMLElement {
  const m = el('div', `metric ${cls}`.trim());
  m.append(el('div', 'metric-label', label), el('div', 'metric-value', value), sparkline(history.map(pick), `${label} over time`));
  return m;
}

function table(headers: string[], rows: Array<Array<string | number | Node>>): HTMLTableElement {
  const t = el('table');
  const head = el('tr');
  for (const h of headers) head.append(el('th', undefined, h));
  t.append(head);
  for (const r of rows) {
    const tr = el('tr');
    for (const c of r) {
      const td = el('td');
      if (c instanceof Node) td.append(c);
      else td.textContent = String(c);
      tr.append(td);
    }
    t.append(tr);
  }
  return t;
}

function counts(title: string, m: Record<string, number>): HTMLElement {
  const s = section(title);
  const rows = Object.entries(m).sort((a, b) => b[1] - a[1]);
  s.append(rows.length ? table(['', 'connections'], rows.map(([k, v]) => [k, v])) : el('p', 'muted', 'none'));
  return s;
}

function terminateButton(pid: number, readOnly: boolean): Node {
  if (readOnly) return el('span', 'muted', '');
  const b = el('button', 'terminate', 'Terminate…');
  b.title = `pg_terminate_backend(${pid}), after confirmation`;
  b.addEventListener('click', () => vscode.postMessage({ type: 'terminate', pid }));
  return b;
}

function backendTable(list: BackendRef[], ageLabel: string, readOnly: boolean): Node {
  if (!list.length) return el('p', 'muted', 'none');
  return table(['pid', 'application', 'user', 'client', ageLabel, 'query', ''], list.map((b) => [b.pid, b.application ?? '', b.user ?? '', b.client ?? '', secs(b.age), b.query ?? '', terminateButton(b.pid, readOnly)]));
}

function findingItem(f: Finding): HTMLElement {
  const li = el('li', `finding ${f.severity}`);
  const head = el('div', 'finding-head');
  head.append(el('span', `badge ${f.severity}`, f.severity), el('span', 'finding-title', f.title), el('code', 'finding-id', f.id));
  li.append(head, el('div', 'finding-detail', f.detail));
  if (f.location) {
    const loc = f.location;
    const a = el('a', 'location', `${loc.file}:${loc.line}`);
    a.href = '#';
    a.addEventListener('click', (e) => {
      e.preventDefault();
      vscode.postMessage({ type: 'openLocation', file: loc.file, line: loc.line });
    });
    li.append(a);
  }
  return li;
}

/** sqlperf's own footprint: this window's pool for the profile and the backends it names 'sqlperf'. */
function ownSection(own: ServerSnapshot['sqlperf'], label: string): HTMLElement {
  const sec = section('sqlperf itself');
  sec.id = 'own';
  if (own.pool) {
    const p = own.pool;
    const grid = el('dl', 'own-pool');
    const pair = (k: string, v: string | number, cls: string) => {
      grid.append(el('dt', undefined, k), el('dd', cls, v));
    };
    pair('pool', label, 'own-label');
    pair('open', p.max !== undefined ? `${p.total} / ${p.max}` : p.total, 'own-total');
    pair('idle', p.idle, 'own-idle');
    pair('waiting', p.waiting, `own-waiting${p.waiting > 0 ? ' warning' : ''}`);
    sec.append(grid);
  } else {
    sec.append(el('p', 'muted', 'this window opens no pool for this target'));
  }
  sec.append(el('p', 'own-count', `${own.backends} backend(s) on the server named sqlperf`));
  const list = own.list ?? [];
  if (list.length) sec.append(table(['pid', 'application', 'state', 'for', 'query'], list.map((b) => [b.pid, b.application ?? '', b.state ?? '', secs(b.age), b.query ?? ''])));
  return sec;
}

function render(m: UpdateMessage): void {
  const root = el('main');
  const header = el('header');
  header.append(el('h1', undefined, `Pool diagnostics — ${m.label}`));
  const status = el('span', m.disconnectedSince ? 'status disconnected' : 'status connected');
  status.textContent = m.disconnectedSince ? `disconnected since ${new Date(m.disconnectedSince).toLocaleTimeString()}` : `refreshed ${m.report.server ? new Date(m.report.server.takenAt).toLocaleTimeString() : ''} · every ${m.intervalSeconds} s`;
  const refresh = el('button', 'refresh', 'Refresh');
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  header.append(status, refresh);
  root.append(header);
  if (m.report.serverError) root.append(el('p', 'error', m.report.serverError));

  const r = m.report;
  const findings = section(`Findings (${r.findings.length})`);
  findings.id = 'findings';
  const ul = el('ul', 'findings');
  for (const f of r.findings) ul.append(findingItem(f));
  findings.append(r.findings.length ? ul : el('p', 'muted', 'nothing to report'));
  root.append(findings);

  const s = r.server;
  if (s) {
    const util = s.utilization;
    const metrics = section('Server');
    metrics.id = 'server';
    const grid = el('div', 'metrics');
    grid.append(
      metric('connections', `${s.clientConnections} / ${s.usableConnections} (${pct(util)})`, m.history, (p) => p.clients, util >= 0.9 ? 'critical' : util >= 0.8 ? 'warning' : ''),
      metric('active', String(s.byState.active ?? 0), m.history, (p) => p.active),
      metric('idle in transaction', `${s.idleInTransaction.count}${s.idleInTransaction.oldestSeconds !== null ? `, oldest ${secs(s.idleInTransaction.oldestSeconds)}` : ''}`, m.history, (p) => p.idleInTransaction),
      metric('lock waits', String(s.lockWaits.length), m.history, (p) => p.lockWaits),
      metric('new sessions / min', s.churn.sessionsPerMinute !== null ? String(s.churn.sessionsPerMinute) : `${s.churn.startedLastMinute} in last min`, m.history, (p) => p.sessionsPerMinute),
      metric('cache hit rate', pct(s.cache.hitRate), m.history, (p) => p.cacheHitRate, s.cache.hitRate !== null && s.cache.hitRate < 0.99 ? 'warning' : ''),
    );
    metrics.append(grid);
    const bar = el('div', 'slots');
    const fill = el('div', `slots-fill ${util >= 0.9 ? 'critical' : util >= 0.8 ? 'warning' : ''}`.trim());
    // width through a class bucket: no inline styles under the CSP
    fill.classList.add(`w${Math.min(100, Math.round(util * 20) * 5)}`);
    bar.append(fill);
    metrics.append(bar);
    root.append(metrics);

    const groups = el('div', 'groups');
    groups.append(counts('By state', s.byState), counts('By application', s.byApplication), counts('By user', s.byUser), counts('By client address', s.byClient));
    root.append(groups);

    const iit = section('Idle in transaction');
    iit.append(backendTable(s.idleInTransaction.backends, 'idle for', m.readOnly));
    const lq = section('Long-running queries');
    lq.append(backendTable(s.longQueries, 'running', m.readOnly));
    const lt = section(`Long transactions (oldest backend_xmin age ${s.oldestXminAge ?? 'n/a'})`);
    lt.append(backendTable(s.longTransactions, 'open for', m.readOnly));
    const locks = section('Lock waits');
    locks.id = 'locks';
    locks.append(
      s.lockWaits.length
        ? table(['waiting pid', 'application', 'waiting', 'query', 'blocked by'], s.lockWaits.map((w) => [w.pid, w.application ?? '', secs(w.waitSeconds), w.query ?? '', w.blockedBy.map((b) => `${b.pid}${b.application ? ` (${b.application})` : ''}`).join(', ')]))
        : el('p', 'muted', 'none'),
    );
    const settings = section('Settings');
    settings.append(table(['setting', 'value'], Object.entries(s.settings).map(([k, v]) => [k, v ?? 'n/a'])));
    root.append(iit, lq, lt, locks, settings, ownSection(s.sqlperf, m.label));
  }

  if (r.pgbouncer) {
    const b = section('PgBouncer');
    b.append(el('p', undefined, `clients active ${r.pgbouncer.clientsActive}, waiting ${r.pgbouncer.clientsWaiting}; servers active ${r.pgbouncer.serversActive}, idle ${r.pgbouncer.serversIdle}; max wait ${r.pgbouncer.maxWait.toFixed(1)} s`));
    const cols = ['database', 'user', 'cl_active', 'cl_waiting', 'sv_active', 'sv_idle', 'maxwait'];
    b.append(table(cols, r.pgbouncer.pools.map((p) => cols.map((c) => String(p[c] ?? '')))));
    root.append(b);
  }

  const app = section(`Application pools (${r.app.length})${r.instances > 1 ? ` × ${r.instances} instances` : ''}`);
  app.id = 'app';
  app.append(
    r.app.length
      ? table(['location', 'library', 'max connections', 'settings'], r.app.map((p) => {
          const a = el('a', 'location', `${p.file}:${p.line}`);
          a.href = '#';
          a.addEventListener('click', (e) => {
            e.preventDefault();
            vscode.postMessage({ type: 'openLocation', file: p.file, line: p.line });
          });
          return [a, p.library, p.maxConnections === null ? 'unlimited' : p.maxConnections === undefined ? '?' : p.maxConnections, Object.entries(p.settings).map(([k, v]) => `${k}=${v}`).join(' ')];
        }))
      : el('p', 'muted', 'no pool configuration found in the workspace'),
  );
  root.append(app);

  document.body.replaceChildren(root);
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'update') {
    vscode.setState(m);
    render(m);
  } else if (m.type === 'busy') {
    document.body.classList.toggle('busy', m.busy);
  }
});

const saved = vscode.getState() as UpdateMessage | null;
if (saved && saved.type === 'update') render(saved);
else document.body.replaceChildren(el('p', 'muted', 'Reading the server…'));
vscode.postMessage({ type: 'ready' });
