/**
 * Pool diagnostics in a real VS Code (code-server) on a copy of examples/, with a connection
 * profile to the test server: "SQL Perf: Show Pool Diagnostics" from the palette opens the
 * panel, which shows the server's slots, a finding that joins both sides (the example app's
 * pools can open more connections than the server accepts), the example app's pools with
 * their file:line, and sqlperf's own pool; after a window reload the panel comes back
 * (WebviewPanelSerializer) and keeps refreshing.
 * Then the Index Advisor's actions on the embedded database: "Insert into New Migration"
 * writes the next migration file in examples/migrations/ and opens it, "Explain with This
 * Index" compares plans, Dismiss/Restore, and the `unindexed-filter` quick fix selects the
 * matching suggestion.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import { Client } from 'pg';
import { requirePrerequisite } from '../support/prerequisites';
import { findFrame, goTo, openFile, prerequisitesMissing, runCommand, screenshot, squiggles, startWorkbench, waitFor, type Workbench } from './harness';

const DATABASE_URL = process.env.SQLPERF_TEST_DATABASE_URL;
const missing = prerequisitesMissing();
const skipPool = requirePrerequisite(!missing, missing ?? '') || requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set');

async function usableSlots(): Promise<number> {
  const c = new Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int AS n`);
    return r.rows[0].n;
  } finally {
    await c.end();
  }
}

/**
 * Runs a tree row's context-menu entry. The menu takes a moment to lay out; a click before
 * that lands nowhere and leaves the menu open over the view, so wait for the entry first.
 */
async function contextMenu(wb: Workbench, row: Locator, label: string): Promise<void> {
  await row.click();
  await row.click({ button: 'right' });
  const item = wb.page.locator('.monaco-menu .action-item:not(.disabled) .action-label', { hasText: label }).first();
  try {
    await item.waitFor({ state: 'visible', timeout: 10_000 });
    await wb.page.waitForTimeout(300);
    await item.click();
  } catch (e) {
    await screenshot(wb.page, `e2e-context-menu-${label.replace(/\W+/g, '-')}`);
    await wb.page.keyboard.press('Escape');
    throw e;
  }
}

/** The pool panel's frame once it shows the server section. */
async function poolFrame(wb: Workbench): Promise<Frame> {
  return findFrame(wb.page, '#own', 90_000);
}

describe('Pool diagnostics panel (code-server, real server)', { skip: skipPool }, () => {
  let wb: Workbench;
  before(async () => {
    const u = new URL(DATABASE_URL!);
    wb = await startWorkbench({
      settings: {
        'sqlperf.connections': [{ name: 'e2e-pool', host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username) }],
        'sqlperf.activeConnection': 'e2e-pool',
        'sqlperf.pool.refreshIntervalSeconds': 2,
      },
    });
  });
  after(async () => wb?.stop());

  it('opens from the palette and shows slots, a finding, the app pools and its own pool', async () => {
    const usable = await usableSlots();
    await openFile(wb.page, 'app/orders.ts');
    await runCommand(wb.page, 'SQL Perf: Show Pool Diagnostics');
    const frame = await poolFrame(wb);
    const slots = (await frame.textContent('#server .metric .metric-value')) ?? '';
    assert.match(slots, new RegExp(`^\\d+ / ${usable} \\(\\d+\\.\\d%\\)$`), slots);
    const findings = await frame.$$eval('#findings .finding', (els) => els.map((e) => `${e.querySelector('.finding-id')?.textContent} ${e.querySelector('.finding-title')?.textContent}`));
    assert.ok(findings.some((f) => new RegExp(`^pools-exceed-server your pools can open \\d+ connections; the server accepts ${usable}$`).test(f)), findings.join('\n'));
    const app = await frame.$$eval('#app a.location', (els) => els.map((e) => e.textContent));
    assert.deepEqual(app.sort(), ['app/main.go:21', 'app/orders.ts:5', 'app/reports.py:8']);
    const own = await frame.$eval('#own', (e) => ({ label: e.querySelector('.own-label')?.textContent, total: e.querySelector('.own-total')?.textContent, count: e.querySelector('.own-count')?.textContent }));
    assert.equal(own.label, 'e2e-pool');
    assert.match(own.total ?? '', /^[1-3] \/ 3$/, 'the window opened at least one of its at most 3 connections');
    assert.match(own.count ?? '', /^[1-9]\d* backend\(s\) on the server named sqlperf$/);
    await screenshot(wb.page, 'e2e-pool-panel');
  });

  it('comes back after a window reload and refreshes', async () => {
    // an orderly reload (the workbench saves its editor layout, the webview's state with it)
    await runCommand(wb.page, 'Developer: Reload Window');
    await wb.page.waitForTimeout(3000);
    await wb.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const frame = await poolFrame(wb).catch(async (e: unknown) => {
      await screenshot(wb.page, 'e2e-pool-after-reload');
      throw e;
    });
    // the restored panel shows its saved state at once; a fresh refresh updates the time
    const first = (await frame.textContent('.status')) ?? '';
    const later = await waitFor(async () => (await (await poolFrame(wb)).textContent('.status')) ?? '', (t) => t !== first && /refreshed/.test(t), 30_000, 'a refresh after the reload');
    assert.match(later, /every 2 s/);
  });
});

describe('Index Advisor: Insert into New Migration (code-server, embedded database)', { skip: requirePrerequisite(!missing, missing ?? '') }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await startWorkbench();
  });
  after(async () => wb?.stop());

  it('writes the next numbered migration with the statement and opens it', async () => {
    await openFile(wb.page, 'queries/search.sql');
    await runCommand(wb.page, 'Index Advisor: Focus on Index Advisor View');
    const row = wb.page.locator('.pane-body .monaco-list-row', { hasText: /^(index|covering|partial|expression) \(/ }).first();
    await waitFor(() => row.count(), (n) => n > 0, 240_000, 'a suggestion row in the Index Advisor view');
    await contextMenu(wb, row, 'Insert into New Migration');
    const created = await waitFor(
      async () => readdirSync(join(wb.workspace, 'migrations')).filter((f) => /^003_add_.+_idx\.sql$/.test(f)),
      (f) => f.length === 1,
      30_000,
      'migrations/003_add_..._idx.sql',
    );
    const text = readFileSync(join(wb.workspace, 'migrations', created[0]), 'utf8');
    assert.match(text, /^-- .+ suggested by sqlperf's Index Advisor/);
    assert.match(text, /queries\/search\.sql:\d+: cost [\d.]+ -> [\d.]+/);
    assert.match(text, /SET lock_timeout = '5s';\n\nCREATE INDEX CONCURRENTLY "[^"]+" ON "public"\./);
    const tab = await waitFor(() => wb.page.locator('.tab.active .label-name').allTextContents(), (t) => t.includes(created[0]), 15_000, 'the new migration open in the editor');
    assert.ok(tab.includes(created[0]));
    await screenshot(wb.page, 'e2e-advisor-migration');
  });

  const suggestionRows = () => wb.page.locator('.pane-body .monaco-list-row', { hasText: /^(index|covering|partial|expression) \(/ });

  it('Explain with This Index opens the plan panel comparing the plan without and with the index', async () => {
    await contextMenu(wb, suggestionRows().first(), 'Explain with This Index');
    const frame = await findFrame(wb.page, 'body.comparing', 90_000);
    const text = await frame.evaluate(() => document.body.textContent ?? '');
    assert.match(text, /without the index/);
    await screenshot(wb.page, 'e2e-advisor-explain-with-index');
  });

  it('Dismiss hides a suggestion under "Dismissed"; Restore brings it back', async () => {
    const label = async (row: ReturnType<typeof suggestionRows>) => ((await row.locator('.label-name').first().textContent()) ?? '').trim();
    const before = await suggestionRows().count();
    const first = suggestionRows().first();
    const name = await label(first);
    await contextMenu(wb, first, 'Dismiss Suggestion');
    const dismissedGroup = wb.page.locator('.pane-body .monaco-list-row', { hasText: /^Dismissed/ });
    await waitFor(() => dismissedGroup.count(), (n) => n === 1, 15_000, 'the Dismissed group');
    assert.equal(await suggestionRows().count(), before - 1);
    await dismissedGroup.click();
    const hidden = wb.page.locator('.pane-body .monaco-list-row', { hasText: /dismissed$/ });
    await waitFor(() => hidden.count(), (n) => n === 1, 15_000, 'the dismissed suggestion listed');
    assert.equal(await label(hidden.first()), name);
    await contextMenu(wb, hidden.first(), 'Restore Suggestion');
    await waitFor(() => dismissedGroup.count(), (n) => n === 0, 15_000, 'the Dismissed group gone');
    assert.equal(await suggestionRows().count(), before);
  });

  it("the unindexed-filter quick fix selects the matching suggestion in the view", async () => {
    await openFile(wb.page, 'queries/search.sql');
    // line 40: `category_id = $1` on products, which has no index on category_id (line 33's
    // users.created_at is indexed by now: the migration written above is part of the schema)
    // squiggles are read from the rendered lines: bring line 33 into view first
    await goTo(wb.page, 40, 8);
    await waitFor(() => squiggles(wb.page), (s) => s.some((q) => q.line === 40 && q.kind === 'info'), 30_000, 'the unindexed-filter diagnostic on line 40');
    await wb.page.keyboard.press('Control+.');
    const action = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Show the index suggestion for products (category_id)' }).first();
    await action.waitFor({ state: 'visible', timeout: 10_000 }).catch(async (e: unknown) => {
      await screenshot(wb.page, 'e2e-advisor-reveal-actions');
      throw e;
    });
    // the action list takes keys, not clicks (a pointer block covers it while it opens)
    const title = 'Show the index suggestion for products (category_id)';
    for (let i = 0; i < 8; i++) {
      const focused = await wb.page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label');
      if (focused === title) break;
      await wb.page.keyboard.press('ArrowDown');
    }
    assert.equal(await wb.page.locator('.action-widget .monaco-list-row.focused').first().getAttribute('aria-label'), title);
    await wb.page.keyboard.press('Enter');
    const selected = wb.page.locator('.pane-body .monaco-list-row.selected');
    const text = await waitFor(async () => (await selected.allTextContents()).join(' | '), (t) => /category_id/.test(t), 30_000, 'a products (category_id) suggestion selected');
    assert.match(text, /^(index|covering|partial|expression) \(/);
    await screenshot(wb.page, 'e2e-advisor-reveal');
  });
});
