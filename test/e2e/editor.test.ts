/**
 * The packaged extension in a real VS Code (code-server) on a copy of examples/: it
 * activates, its diagnostics appear where they belong, a quick fix edits the text,
 * embedded SQL is analyzed, and a settings change turns a rule off live.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requirePrerequisite } from '../support/prerequisites';
import { editorText, goTo, openFile, prerequisitesMissing, problemCounts, screenshot, squiggles, startWorkbench, waitFor, type Workbench } from './harness';

const missing = prerequisitesMissing();

describe('VS Code (code-server)', { skip: requirePrerequisite(!missing, missing ?? '') }, () => {
  let wb: Workbench;

  before(async () => {
    wb = await startWorkbench();
  });

  after(async () => {
    await wb?.stop();
  });

  it('activates on a .sql file and shows diagnostics on the right lines', async () => {
    await openFile(wb.page, 'queries/search.sql');
    const counts = await waitFor(() => problemCounts(wb.page), (c) => c.warnings > 0, 60_000, 'warnings in the status bar');
    assert.ok(counts.warnings >= 6, `warnings: ${JSON.stringify(counts)}`);
    // `SELECT *` on line 5 of search.sql is select-star
    const marks = await waitFor(() => squiggles(wb.page), (s) => s.some((m) => m.line === 5), 20_000, 'a squiggle on line 5');
    assert.ok(marks.every((m) => m.kind === 'warning' || m.kind === 'info' || m.kind === 'error'), JSON.stringify(marks));
    await screenshot(wb.page, 'e2e-sql-diagnostics');
    const ms = await waitFor(() => wb.activationMs(), (v) => v !== null, 20_000, 'the activation log line');
    console.log(`# extension activation: ${ms} ms (from its own log)`);
  });

  it('shows the active connection in the status bar: the embedded database by default', async () => {
    const item = wb.page.locator('.statusbar-item', { hasText: 'embedded' });
    await item.first().waitFor({ timeout: 20_000 });
    assert.match((await item.first().textContent()) ?? '', /embedded/);
  });

  it('applies a quick fix from the editor', async () => {
    await openFile(wb.page, 'queries/search.sql');
    await waitFor(() => squiggles(wb.page), (s) => s.length > 0, 30_000, 'squiggles');
    // `coupon_code = NULL` on line 47: the null-comparison fix rewrites it as IS NULL
    await goTo(wb.page, 47, 20);
    await wb.page.keyboard.press('Control+.');
    await wb.page.waitForSelector('.action-widget', { timeout: 10_000 });
    await screenshot(wb.page, 'e2e-quick-fix');
    // The rule's own fix comes first (preferred), before the two "Ignore" actions.
    const first = await wb.page.locator('.action-widget .focused').first().textContent();
    assert.match(first ?? '', /Rewrite as IS NULL/);
    await wb.page.keyboard.press('Enter');
    const text = await waitFor(() => editorText(wb.page), (t) => t.includes('coupon_code IS NULL'), 10_000, 'the fixed text');
    assert.ok(!text.includes('coupon_code = NULL'));
    await wb.page.keyboard.press('Control+Z');
  });

  it('analyzes SQL embedded in TypeScript and Python', async () => {
    for (const [file, line] of [
      ['app/orders.ts', 54],
      ['app/reports.py', 33],
    ] as const) {
      await openFile(wb.page, file);
      await goTo(wb.page, line);
      const marks = await waitFor(() => squiggles(wb.page), (s) => s.some((m) => m.line === line), 30_000, `a squiggle on ${file}:${line}`);
      assert.ok(marks.length > 0);
      await screenshot(wb.page, `e2e-embedded-${file.replace(/\W/g, '-')}`);
    }
  });

  it('turns a rule off live when sqlperf.rules changes', async () => {
    await openFile(wb.page, 'queries/search.sql');
    await goTo(wb.page, 5);
    await waitFor(() => squiggles(wb.page), (s) => s.some((m) => m.line === 5), 30_000, 'select-star on line 5');
    const before = await problemCounts(wb.page);
    const settingsDir = join(wb.workspace, '.vscode');
    mkdirSync(settingsDir, { recursive: true });
    writeFileSync(join(settingsDir, 'settings.json'), JSON.stringify({ 'sqlperf.rules': { 'select-star': 'off' } }));
    await waitFor(() => squiggles(wb.page), (s) => !s.some((m) => m.line === 5), 30_000, 'the select-star squiggle to go away');
    const afterCounts = await problemCounts(wb.page);
    assert.ok(afterCounts.warnings < before.warnings, `${JSON.stringify(before)} -> ${JSON.stringify(afterCounts)}`);
    // the rest of the file still has its findings
    assert.ok(afterCounts.warnings > 0);
    assert.equal(JSON.parse(readFileSync(join(settingsDir, 'settings.json'), 'utf8'))['sqlperf.rules']['select-star'], 'off');
  });
});
