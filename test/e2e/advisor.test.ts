/**
 * Index Advisor in a real VS Code (code-server) on a copy of examples/, no connection
 * configured: the embedded database is loaded with the workspace schema, the SQL Perf
 * sidebar's Index Advisor view shows verified suggestions grouped by table, and a query
 * row opens its file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requirePrerequisite } from '../support/prerequisites';
import { openFile, prerequisitesMissing, runCommand, screenshot, startWorkbench, waitFor, type Workbench } from './harness';

const missing = prerequisitesMissing();
const skip = requirePrerequisite(!missing, missing ?? '');

describe('Index Advisor view (code-server)', { skip }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await startWorkbench();
  });
  after(async () => wb?.stop());

  it('shows a verified suggestion for the examples workspace on the embedded database', async () => {
    await openFile(wb.page, 'queries/search.sql');
    await runCommand(wb.page, 'Index Advisor: Focus on Index Advisor View');
    const rows = await waitFor(
      () => wb.page.locator('.pane-body .monaco-list-row').allTextContents(),
      (t) => t.some((x) => /(index|covering|partial|expression) \(/.test(x) && /cost/.test(x)),
      240_000,
      'a suggestion row in the Index Advisor view',
    );
    await screenshot(wb.page, 'advisor-view');
    assert.ok(rows.some((x) => /users|products|orders/.test(x)), rows.join('\n'));
    assert.ok(rows.some((x) => /embedded/.test(x)), rows.join('\n'));
  });
});
