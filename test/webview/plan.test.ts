/**
 * The plan panel's built front end (dist/media/plan.js + plan.css) in Chromium, under the
 * extension's CSP: plans from a real PostgreSQL server (SQLPERF_TEST_DATABASE_URL, a private
 * schema) and from the fixtures; DOM assertions on the diagram, grid, stats, tips, search,
 * compare and raw views; no CSP violation or console error anywhere; a table named
 * `<img src=x onerror=alert(1)>` renders as text; screenshots in light and dark themes.
 */
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exclusiveCosts, heaviestNode, searchNodes, sortNodes } from '../../media/plan/metrics';
import { diffPlans } from '../../src/explain';
import { buildExportHtml, makeNonce } from '../../src/panels/html';
import { buildPayload } from '../../src/panels/payload';
import type { ContentMessage, PlanPayload } from '../../src/panels/protocol';
import { databaseUrl, PlanLab } from '../db/plans/lab';
import { requirePrerequisite } from '../support/prerequisites';
import { PanelBrowser, ROOT, shot, waitRendered, webviewPrerequisite, type PanelPage } from './harness';

const missing = webviewPrerequisite();
const HOSTILE = '<img src=x onerror=alert(1)>';
const HOSTILE_INDEX = '<script>alert(2)</script>';

let seq = 0;
function payload(plan: unknown, statement: string | null, title = 'test plan'): PlanPayload {
  return buildPayload({ id: `p${++seq}`, title, statement, plan, target: 'test', createdAt: Date.UTC(2025, 0, 1, 12), sourceLinked: true });
}

function show(plan: PlanPayload): ContentMessage {
  return { type: 'show', plan };
}

/** A plan in EXPLAIN's JSON format whose names are markup, for when no server is at hand. */
function syntheticHostilePlan(): unknown {
  return [
    {
      Plan: {
        'Node Type': 'Nested Loop', 'Join Type': 'Inner', 'Startup Cost': 0, 'Total Cost': 50, 'Plan Rows': 10, 'Plan Width': 8,
        'Actual Startup Time': 0.01, 'Actual Total Time': 2.5, 'Actual Rows': 10, 'Actual Loops': 1,
        Plans: [
          { 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': HOSTILE, Schema: 'public', Alias: HOSTILE, 'Startup Cost': 0, 'Total Cost': 20, 'Plan Rows': 10, 'Plan Width': 4, 'Actual Startup Time': 0.01, 'Actual Total Time': 2.0, 'Actual Rows': 10, 'Actual Loops': 1, Filter: `(note = '${HOSTILE}'::text)`, 'Rows Removed by Filter': 990 },
          { 'Node Type': 'Index Scan', 'Parent Relationship': 'Inner', 'Index Name': HOSTILE_INDEX, 'Relation Name': 'orders', Alias: 'o', 'Startup Cost': 0, 'Total Cost': 3, 'Plan Rows': 1, 'Plan Width': 4, 'Actual Startup Time': 0.01, 'Actual Total Time': 0.02, 'Actual Rows': 1, 'Actual Loops': 10 },
        ],
      },
      'Planning Time': 0.1,
      'Execution Time': 2.6,
    },
  ];
}

async function noProblems(browser: PanelBrowser, p: PanelPage): Promise<void> {
  const csp = await browser.cspViolations(p);
  assert.deepEqual(csp, [], `CSP violations: ${csp.join('; ')}`);
  assert.deepEqual(p.problems, [], `console errors / page errors / dialogs: ${p.problems.join('; ')}`);
}

async function tab(p: PanelPage, name: string): Promise<void> {
  await p.page.click(`.tab[data-tab="${name}"]`);
}

async function assertHostileAsText(browser: PanelBrowser, p: PanelPage, plan: PlanPayload): Promise<void> {
  await p.send(show(plan));
  await waitRendered(p, plan.id);
  const texts = await p.page.$$eval('.node-object', (els) => els.map((e) => e.textContent ?? ''));
  assert.ok(texts.some((t) => t.includes(HOSTILE)), `the hostile name appears as text: ${JSON.stringify(texts)}`);
  for (const t of ['grid', 'stats', 'tips', 'search', 'raw', 'diagram']) {
    await tab(p, t);
    if (t === 'search') await p.page.fill('.search-input', 'img');
  }
  await tab(p, 'grid');
  const grid = await p.page.textContent('table.grid');
  assert.ok(grid?.includes(HOSTILE));
  await tab(p, 'stats');
  assert.ok((await p.page.textContent('.panel-stats'))?.includes(HOSTILE));
  await tab(p, 'raw');
  assert.ok((await p.page.textContent('pre.raw'))?.includes(HOSTILE));
  // select the scan so the details pane renders its properties too
  await tab(p, 'diagram');
  const scan = plan.model.nodes.find((n) => n.relation === HOSTILE)!;
  await p.page.click(`.node[data-id="${scan.id}"]`);
  assert.ok((await p.page.textContent('.details'))?.includes(HOSTILE));
  assert.equal(await p.page.$$eval('img', (els) => els.length), 0, 'no <img> element was created');
  assert.equal(await p.page.$$eval('script', (els) => els.length), 1, 'no <script> element was created (only the panel\'s own)');
  await noProblems(browser, p);
}

describe('plan panel (webview) in Chromium', { skip: requirePrerequisite(!missing, missing ?? '') }, () => {
  let browser: PanelBrowser;
  const pages: PanelPage[] = [];
  const open = async (opts?: Parameters<PanelBrowser['open']>[0]) => {
    const p = await browser.open(opts);
    pages.push(p);
    return p;
  };

  before(async () => {
    browser = await PanelBrowser.start();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.page.close().catch(() => undefined);
  });

  describe('fixture plans', () => {
    it('shows an empty state and says ready before any plan', async () => {
      const p = await open();
      assert.equal(await p.page.isVisible('.empty'), true);
      const posted = await p.posted();
      assert.deepEqual(posted[0], { type: 'ready' });
      await noProblems(browser, p);
    });

    it('renders a text-format plan with an InitPlan: every node, the heaviest marked, tips listed', async () => {
      const plan = payload(readFileSync(join(ROOT, 'test/fixtures/plans/pg17-initplan.txt'), 'utf8'), null, 'pg17-initplan.txt');
      const p = await open();
      await p.send(show(plan));
      await waitRendered(p, plan.id);
      assert.equal(await p.page.$$eval('.node', (els) => els.length), plan.model.nodes.length);
      const heavy = await p.page.$$eval('.node.heaviest', (els) => els.map((e) => Number((e as HTMLElement).dataset.id)));
      assert.deepEqual(heavy, [heaviestNode(plan.model)]);
      await tab(p, 'tips');
      assert.equal(await p.page.$$eval('.tip-item', (els) => els.length), plan.tips.length);
      await noProblems(browser, p);
    });

    it('renders hostile names from a JSON plan as text, nowhere as markup', async () => {
      const p = await open();
      await assertHostileAsText(browser, p, payload(syntheticHostilePlan(), `SELECT * FROM "${HOSTILE}"`));
    });

    it('restores from setState without waiting for the host (a hidden panel comes back)', async () => {
      const plan = payload(syntheticHostilePlan(), null);
      const first = await open();
      await first.send(show(plan));
      await waitRendered(first, plan.id);
      await first.page.click('.node[data-id="2"]');
      await tab(first, 'grid');
      await first.page.waitForTimeout(250);
      const state = (await first.state()) as { content: ContentMessage; ui: { tab: string; selected: number } };
      assert.equal(state.content.type, 'show');
      assert.equal(state.ui.tab, 'grid');
      assert.equal(state.ui.selected, 2);
      const again = await open({ state });
      await waitRendered(again, plan.id);
      assert.equal(await again.page.getAttribute('.tab[data-tab="grid"]', 'aria-selected'), 'true');
      assert.equal(await again.page.$$eval('tr.row.selected', (els) => els.map((e) => (e as HTMLElement).dataset.id).join()), '2');
      await noProblems(browser, again);
    });

    it('exports a self-contained HTML file that renders offline under its own CSP', async () => {
      const plan = payload(syntheticHostilePlan(), null);
      const html = buildExportHtml({
        nonce: makeNonce(),
        script: readFileSync(join(ROOT, 'dist/media/plan.js'), 'utf8'),
        css: readFileSync(join(ROOT, 'dist/media/plan.css'), 'utf8'),
        data: { content: show(plan) },
        themeVars: {},
        themeKind: 'vscode-dark',
        title: 'exported plan',
      });
      const { page, problems } = await browser.openHtml(html);
      await page.waitForFunction((id) => document.body.dataset.rendered === id, plan.id);
      assert.equal(await page.$$eval('.node', (els) => els.length), plan.model.nodes.length);
      assert.equal(await page.$$eval('img', (els) => els.length), 0);
      assert.equal(await page.isVisible('button.export'), false, 'no export button without a host');
      await shot(page, 'plan-panel-export');
      await page.close();
      assert.deepEqual(problems, []);
    });
  });

  describe('real plans from PostgreSQL', { skip: requirePrerequisite(databaseUrl() !== '', 'SQLPERF_TEST_DATABASE_URL (a PostgreSQL server for the plans)') }, () => {
    let lab: PlanLab;
    let join_: PlanPayload;
    let beforeIdx: PlanPayload;
    let afterIdx: PlanPayload;
    let hostile: PlanPayload;
    const JOIN_SQL = `SELECT c.name, count(*) AS orders, sum(o.amount) AS total
FROM customers c JOIN orders o ON o.customer_id = c.id
WHERE o.amount > 50 AND c.region = 'north'
GROUP BY c.name
ORDER BY total DESC
LIMIT 10`;
    const LOOKUP = 'SELECT * FROM orders WHERE customer_id = 42';
    const SETTINGS = { max_parallel_workers_per_gather: '0' };

    before(async () => {
      lab = await PlanLab.open('sqlperf_webview');
      await lab.run(`
        CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, region text NOT NULL);
        CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL);
        INSERT INTO customers SELECT g, 'customer ' || g, (ARRAY['north','south','east','west'])[1 + g % 4] FROM generate_series(1, 5000) g;
        INSERT INTO orders SELECT g, 1 + g % 5000, g % 97 FROM generate_series(1, 60000) g;
        CREATE TABLE "${HOSTILE}" (id int PRIMARY KEY, note text);
        INSERT INTO "${HOSTILE}" SELECT g, md5(g::text) FROM generate_series(1, 2000) g;
        CREATE INDEX "${HOSTILE_INDEX}" ON "${HOSTILE}" (note);
        ANALYZE;
      `);
      join_ = payload((await lab.explainJson(JOIN_SQL, SETTINGS)).json, JOIN_SQL, 'join');
      beforeIdx = payload((await lab.explainJson(LOOKUP, SETTINGS)).json, LOOKUP, 'before the index');
      await lab.run('CREATE INDEX orders_customer_idx ON orders (customer_id); ANALYZE orders;');
      await lab.explainJson(LOOKUP, SETTINGS);
      afterIdx = payload((await lab.explainJson(LOOKUP, SETTINGS)).json, LOOKUP, 'after the index');
      const hostileSql = `SELECT h.note, o.amount FROM "${HOSTILE}" h JOIN orders o ON o.id = h.id WHERE h.note > 'a' ORDER BY h.note`;
      hostile = payload((await lab.explainJson(hostileSql, SETTINGS)).json, hostileSql, 'hostile');
    });

    after(async () => {
      await lab?.close();
    });

    it('diagram: one box per node, the heaviest marked, click selects and tells the host', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      const n = join_.model.nodes.length;
      assert.ok(n >= 5, `a join, an aggregate, a sort and a limit: ${n} nodes`);
      assert.equal(await p.page.$$eval('.node', (els) => els.length), n);
      const heaviest = heaviestNode(join_.model);
      assert.notEqual(heaviest, null);
      assert.deepEqual(await p.page.$$eval('.node.heaviest', (els) => els.map((e) => Number((e as HTMLElement).dataset.id))), [heaviest]);
      assert.match((await p.page.textContent(`.node[data-id="${heaviest}"] .heaviest-badge`)) ?? '', /heaviest/);
      // edges drawn, weighted by rows
      assert.ok((await p.page.$$eval('svg.edges path', (els) => els.length)) >= 1);
      // the header says what ran
      assert.match((await p.page.textContent('.facts')) ?? '', /EXPLAIN ANALYZE · execution [\d.]+ ms/);
      const scan = join_.model.nodes.find((x) => x.relation === 'orders')!;
      await p.page.click(`.node[data-id="${scan.id}"]`);
      const posted = await p.posted();
      assert.deepEqual(posted.at(-1), { type: 'selectNode', planId: join_.id, nodeId: scan.id });
      assert.equal(await p.page.getAttribute(`.node[data-id="${scan.id}"]`, 'aria-selected'), 'true');
      assert.match((await p.page.textContent('.details')) ?? '', /orders/);
      // the host highlights a node when the cursor moves in the SQL
      await p.send({ type: 'highlightNode', planId: join_.id, nodeId: 0 });
      await p.page.waitForSelector('.node.selected[data-id="0"]');
      assert.equal((await p.posted()).length, posted.length, 'a highlight from the host is not echoed back');
      // colouring by another metric re-renders the boxes
      await p.page.selectOption('select.metric', 'rows');
      assert.match((await p.page.textContent('.node[data-id="0"] .node-metric')) ?? '', /rows/);
      await noProblems(browser, p);
    });

    it('zooms with the buttons and the wheel, pans by dragging, collapses a subtree', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      const transform = () => p.page.$eval('.canvas', (e) => (e as HTMLElement).style.transform);
      await p.page.click('button:text-is("1:1")');
      assert.match(await p.page.textContent('.zoom-label') ?? '', /^100%$/);
      await p.page.click('button[aria-label="Zoom in"]');
      assert.match(await p.page.textContent('.zoom-label') ?? '', /^125%$/);
      const t0 = await transform();
      await p.page.mouse.move(600, 400);
      await p.page.mouse.wheel(0, 300);
      assert.notEqual(await transform(), t0);
      const t1 = await transform();
      const box = (await p.page.$('.viewport'))!;
      const vb = (await box.boundingBox())!;
      await p.page.mouse.move(vb.x + 20, vb.y + vb.height - 20);
      await p.page.mouse.down();
      await p.page.mouse.move(vb.x + 120, vb.y + vb.height - 60, { steps: 5 });
      await p.page.mouse.up();
      assert.notEqual(await transform(), t1, 'dragging pans');
      const withKids = join_.model.nodes.find((x) => x.childIds.length > 0 && x.parentId !== null)!;
      const before = await p.page.$$eval('.node', (els) => els.length);
      await p.page.click(`.node[data-id="${withKids.id}"] .toggle`);
      const hidden = withKids.subtreeEnd - withKids.id;
      assert.equal(await p.page.$$eval('.node', (els) => els.length), before - hidden);
      assert.match((await p.page.textContent(`.node[data-id="${withKids.id}"] .hidden-count`)) ?? '', new RegExp(`\\+${hidden} hidden`));
      await p.page.click('button.expand-all');
      assert.equal(await p.page.$$eval('.node', (els) => els.length), before);
      await noProblems(browser, p);
    });

    it('is keyboard navigable: tabs with arrows, nodes with arrows, Enter selects', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      await p.page.focus('.node[data-id="0"]');
      await p.page.keyboard.press('ArrowDown');
      const child = join_.model.nodes[0].childIds[0];
      assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.id), String(child));
      await p.page.keyboard.press('Enter');
      assert.deepEqual((await p.posted()).at(-1), { type: 'selectNode', planId: join_.id, nodeId: child });
      await p.page.focus('.tab[data-tab="diagram"]');
      await p.page.keyboard.press('ArrowRight');
      assert.equal(await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.tab), 'grid');
      assert.equal(await p.page.isVisible('table.grid'), true);
      // grid rows: focusable, Enter selects
      await p.page.focus('tr.row');
      const first = await p.page.evaluate(() => (document.activeElement as HTMLElement).dataset.id);
      await p.page.keyboard.press('Enter');
      assert.deepEqual((await p.posted()).at(-1), { type: 'selectNode', planId: join_.id, nodeId: Number(first) });
      await noProblems(browser, p);
    });

    it('grid: sortable by every metric, misestimate arrows shown', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      await tab(p, 'grid');
      assert.equal(await p.page.$$eval('tr.row', (els) => els.length), join_.model.nodes.length);
      const costs = exclusiveCosts(join_.model);
      const columns = await p.page.$$eval('button.sort', (els) => els.map((e) => (e as HTMLElement).dataset.column!));
      assert.equal(columns.length, 14);
      for (const column of columns) {
        await p.page.click(`button.sort[data-column="${column}"]`);
        const dir = (await p.page.getAttribute(`th:has(button[data-column="${column}"])`, 'aria-sort')) === 'ascending' ? 'asc' : 'desc';
        const ids = await p.page.$$eval('tr.row', (els) => els.map((e) => Number((e as HTMLElement).dataset.id)));
        assert.deepEqual(ids, sortNodes(join_.model, column as never, dir, costs), `sorted by ${column} ${dir}`);
      }
      await p.page.click('button.sort[data-column="rowsActual"]');
      await p.page.click('button.sort[data-column="rowsActual"]');
      const dirNow = await p.page.getAttribute('th:has(button[data-column="rowsActual"])', 'aria-sort');
      const ids = await p.page.$$eval('tr.row', (els) => els.map((e) => Number((e as HTMLElement).dataset.id)));
      assert.deepEqual(ids, sortNodes(join_.model, 'rowsActual', dirNow === 'ascending' ? 'asc' : 'desc', costs));
      const arrows = await p.page.$$eval('td.mis', (els) => els.map((e) => e.textContent ?? '').filter(Boolean));
      const expected = join_.model.nodes.filter((n) => n.misestimate?.direction && n.misestimate.factor >= 1.5).length;
      assert.equal(arrows.length, expected);
      for (const a of arrows) assert.match(a, /^[↑↓] [\d.,]+×$/);
      await noProblems(browser, p);
    });

    it('stats: time and buffers by table, index and node type', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      await tab(p, 'stats');
      const groups = await p.page.$$eval('.stats-group h3', (els) => els.map((e) => e.textContent));
      assert.deepEqual(groups, ['By table', 'By index', 'By node type']);
      const tables = await p.page.$$eval('.stats-group:first-child tbody tr td:first-child', (els) => els.map((e) => e.textContent));
      assert.ok(tables.some((t) => t?.endsWith('orders')) && tables.some((t) => t?.endsWith('customers')), JSON.stringify(tables));
      await noProblems(browser, p);
    });

    it('tips: highest score first, a click selects the node', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      await tab(p, 'tips');
      const scores = await p.page.$$eval('.tip-item .score', (els) => els.map((e) => Number(e.textContent)));
      assert.equal(scores.length, join_.tips.length);
      assert.ok(scores.length > 0, 'the filtered seq scans produce at least one tip');
      assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
      const target = join_.tips.find((t) => t.nodeId !== null)!;
      await p.page.click(`.tip-button[data-node="${target.nodeId}"]`);
      assert.equal(await p.page.getAttribute('.tab[data-tab="diagram"]', 'aria-selected'), 'true');
      await p.page.waitForSelector(`.node.selected[data-id="${target.nodeId}"]`);
      await noProblems(browser, p);
    });

    it('search: by table, index and node type; hits highlighted in the diagram', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      await tab(p, 'search');
      await p.page.fill('.search-input', 'orders');
      const expected = searchNodes(join_.model, 'orders');
      assert.ok(expected.length >= 1);
      assert.match((await p.page.textContent('.search-count')) ?? '', new RegExp(`^${expected.length} node`));
      assert.equal(await p.page.$$eval('.hit', (els) => els.length), expected.length);
      assert.deepEqual(await p.page.$$eval('.node.match', (els) => els.map((e) => Number((e as HTMLElement).dataset.id))), expected);
      await p.page.selectOption('.search-bar select', 'type');
      await p.page.fill('.search-input', 'sort');
      assert.equal(await p.page.$$eval('.node.match', (els) => els.length), searchNodes(join_.model, 'sort', 'type').length);
      await p.page.click('.hit');
      await noProblems(browser, p);
    });

    it('raw: the JSON and the text rendering one click away', async () => {
      const p = await open();
      await p.send(show(join_));
      await waitRendered(p, join_.id);
      await tab(p, 'raw');
      assert.match((await p.page.textContent('.panel-raw > pre.raw')) ?? '', /"Node Type"/);
      await p.page.click('.panel-raw button:text-is("Text")');
      assert.match((await p.page.textContent('.panel-raw > pre.raw')) ?? '', /Limit/);
      await noProblems(browser, p);
    });

    it('compare: matched nodes side by side and the verdict', async () => {
      const p = await open();
      const diff = diffPlans(beforeIdx.model, afterIdx.model);
      const msg: ContentMessage = { type: 'compare', before: beforeIdx, after: afterIdx, diff };
      await p.send(msg);
      await waitRendered(p, `${beforeIdx.id}~${afterIdx.id}`);
      assert.equal(await p.page.getAttribute('.tab[data-tab="compare"]', 'aria-selected'), 'true');
      assert.equal(diff.verdict?.outcome, 'faster');
      assert.equal(await p.page.getAttribute('.verdict', 'data-outcome'), 'faster');
      assert.match((await p.page.textContent('.verdict')) ?? '', /^Faster [\d.,]+× \(execution time/);
      assert.equal(await p.page.$$eval('table.compare tr.matched', (els) => els.length), diff.matches.length);
      assert.equal(await p.page.$$eval('table.compare tr.added', (els) => els.length), diff.unmatchedAfter.length);
      assert.match((await p.page.textContent('table.compare')) ?? '', /Seq Scan → (Index Scan|Bitmap Heap Scan|Index Only Scan)/);
      await shot(p.page, 'plan-panel-compare');
      // the before / after switch changes the plan the other views show
      await p.page.click('[data-side="before"]');
      await tab(p, 'diagram');
      assert.equal(await p.page.$$eval('.node', (els) => els.length), beforeIdx.model.nodes.length);
      await noProblems(browser, p);
    });

    it('a table named <img src=x onerror=alert(1)> from a real EXPLAIN renders as text', async () => {
      assert.ok(hostile.model.nodes.some((n) => n.relation === HOSTILE), 'the plan names the hostile table');
      const p = await open();
      await assertHostileAsText(browser, p, hostile);
    });

    it('screenshots in the light and the dark theme', async () => {
      for (const theme of ['light', 'dark'] as const) {
        const p = await open({ theme, width: 1400, height: 820 });
        await p.send(show(join_));
        await waitRendered(p, join_.id);
        const heaviest = heaviestNode(join_.model)!;
        await p.page.click(`.node[data-id="${heaviest}"]`);
        const bg = await p.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(bg, theme === 'dark' ? 'rgb(31, 31, 31)' : 'rgb(255, 255, 255)', 'colours come from the --vscode-* variables');
        await shot(p.page, `plan-panel-${theme}`);
        await tab(p, 'grid');
        await shot(p.page, `plan-panel-grid-${theme}`);
        await noProblems(browser, p);
      }
    });
  });
});
