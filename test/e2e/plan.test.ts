/**
 * "SQL Perf: Explain Query" in a real VS Code (code-server) on a copy of examples/: the
 * command runs EXPLAIN on the statement under the cursor against the embedded database
 * (PGlite loaded with examples/schema.sql and the migrations: the first run takes
 * seconds), the plan panel shows the plan, clicking a node moves the editor's selection to
 * the SQL it came from, and moving the cursor in the SQL highlights the node.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { Client } from 'pg';
import { requirePrerequisite } from '../support/prerequisites';
import { findFrame, goTo, openFile, prerequisitesMissing, ROOT, screenshot, startWorkbench, waitFor, type Workbench } from './harness';

const missing = prerequisitesMissing();

/** "Ln 14, Col 6 (8 selected)" from the status bar (shown while a text editor is active). */
async function cursorStatus(page: Page): Promise<string> {
  const el = await page.$('#status\\.editor\\.selection');
  return ((await el?.textContent()) ?? '').trim();
}

/**
 * Runs a command by its exact title: typing "SQL Perf: Explain Query" in the palette also
 * matches "SQL Perf: Explain Analyze Query", which may be listed first.
 */
async function runExactCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 10_000 });
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForTimeout(600);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const label = ((await rows.nth(i).locator('.label-name').first().textContent()) ?? '').replace(/\u00a0/g, ' ').trim();
    if (label === title) {
      await rows.nth(i).click();
      return;
    }
  }
  throw new Error(`no command titled "${title}" in the palette`);
}

async function planFrame(page: Page): Promise<Frame> {
  return findFrame(page, '.diagram .node', 90_000);
}

describe('Explain Query and the plan panel (code-server)', { skip: requirePrerequisite(!missing, missing ?? '') }, () => {
  let wb: Workbench;
  let frame: Frame;

  before(async () => {
    wb = await startWorkbench();
  });

  after(async () => {
    await wb?.stop();
  });

  it('explains the statement under the cursor against the embedded database and shows the plan', async () => {
    await openFile(wb.page, 'queries/search.sql');
    // the second statement: SELECT id, sku, name, price_cents FROM products WHERE name LIKE $1 || '%' ...
    await goTo(wb.page, 13, 5);
    await runExactCommand(wb.page, 'SQL Perf: Explain Query');
    frame = await planFrame(wb.page);
    await frame.waitForFunction(() => document.body.dataset.rendered !== undefined, undefined, { timeout: 30_000 });
    const nodes = await frame.$$eval('.node', (els) => els.map((e) => (e.querySelector('.node-title')?.textContent ?? '') + ' ' + (e.querySelector('.node-object')?.textContent ?? '')));
    assert.ok(nodes.length >= 2, JSON.stringify(nodes));
    assert.ok(nodes.some((n) => /products/.test(n)), `a node reads products: ${JSON.stringify(nodes)}`);
    assert.ok(nodes.some((n) => /^(Limit|Sort)/.test(n)), JSON.stringify(nodes));
    const facts = (await frame.textContent('.facts')) ?? '';
    assert.match(facts, /EXPLAIN \(not executed\).*embedded database/);
    assert.equal(await frame.$$eval('img', (els) => els.length), 0);
    await screenshot(wb.page, 'e2e-plan-panel');
  });

  it('clicking a node moves the editor selection to its SQL; the cursor in the SQL highlights the node', async () => {
    // the scan on products -> its FROM item (line 14: "FROM products"; the cursor ends the selection)
    const scan = await frame.$('.node:has(.node-object:text-matches("^products"))');
    assert.ok(scan, 'a scan node on products');
    await scan.click();
    await wb.page.waitForTimeout(500);
    // the panel keeps the focus; focus the editor (its tab) to see its cursor in the status bar
    await wb.page.click('.tab[aria-label^="search.sql"]');
    const status = await waitFor(() => cursorStatus(wb.page), (s) => /Ln 14, Col (6|14) \(8 selected\)/.test(s), 15_000, 'the selection on "products"');
    assert.match(status, /Ln 14/);
    await screenshot(wb.page, 'e2e-plan-node-to-sql');

    // the cursor on ORDER BY (line 16) selects the Sort in the panel
    const sortSelected = () => frame.evaluate(() => /^(Sort|Incremental Sort)$/.test(document.querySelector('.node.selected .node-title')?.textContent ?? ''));
    await goTo(wb.page, 16, 3);
    await waitFor(sortSelected, (v) => v, 5_000, 'the Sort selected').catch(async () => {
      // one more move, should the first have raced the editor taking the focus
      await goTo(wb.page, 16, 5);
      await waitFor(sortSelected, (v) => v, 10_000, 'the Sort selected');
    });
    assert.equal(await frame.$$eval('.node.selected', (els) => els.length), 1);
  });
});

const DATABASE_URL = process.env.SQLPERF_TEST_DATABASE_URL;

describe('Explain Analyze Query against a real server (code-server)', { skip: requirePrerequisite(!missing, missing ?? '') || requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set') }, () => {
  // A database of its own, loaded with examples/schema.sql and some rows.
  const database = `sqlperf_e2e_plan_${process.pid}`;
  const admin = async (url: string, sql: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  let wb: Workbench;

  before(async () => {
    await admin(DATABASE_URL!, `DROP DATABASE IF EXISTS ${database}`);
    await admin(DATABASE_URL!, `CREATE DATABASE ${database}`);
    const u = new URL(DATABASE_URL!);
    u.pathname = `/${database}`;
    await admin(u.toString(), readFileSync(join(ROOT, 'examples', 'schema.sql'), 'utf8'));
    await admin(
      u.toString(),
      `INSERT INTO users (email, full_name) SELECT 'u' || g || '@example.com', 'User ' || g FROM generate_series(1, 200) g;
       INSERT INTO orders (user_id, total_cents, placed_at) SELECT 1 + g % 200, g, now() - g * interval '1 hour' FROM generate_series(1, 2000) g;
       ANALYZE;`,
    );
    wb = await startWorkbench({
      settings: {
        'sqlperf.connections': [{ name: 'e2e-server', host: u.hostname, port: Number(u.port || 5432), database, user: decodeURIComponent(u.username) }],
        'sqlperf.activeConnection': 'e2e-server',
      },
    });
  });

  after(async () => {
    await wb?.stop();
    await admin(DATABASE_URL!, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('runs EXPLAIN ANALYZE on the server and shows actual times and rows', async () => {
    await openFile(wb.page, 'queries/search.sql');
    // "Orders placed this year": SELECT id, total_cents FROM orders WHERE date_trunc(...) ... ORDER BY placed_at
    await goTo(wb.page, 51, 3);
    await runExactCommand(wb.page, 'SQL Perf: Explain Analyze Query');
    const frame = await planFrame(wb.page);
    await frame.waitForFunction(() => document.body.dataset.rendered !== undefined, undefined, { timeout: 30_000 });
    const facts = (await frame.textContent('.facts')) ?? '';
    assert.match(facts, /EXPLAIN ANALYZE.*e2e-server/);
    const nodes = await frame.$$eval('.node', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(nodes.some((n) => /orders/.test(n)), JSON.stringify(nodes));
    // actual figures are shown: milliseconds appear on the nodes
    assert.ok(nodes.some((n) => /\d(\.\d+)?\s*ms/.test(n)), JSON.stringify(nodes));
    await screenshot(wb.page, 'e2e-plan-analyze-server');
  });
});
