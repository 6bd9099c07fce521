/**
 * Slow Queries in a real VS Code (code-server): a connection profile to the test server in
 * the settings, a workspace whose statements ran on it, the view lists the statement with
 * its file:line, and the code lens shows its calls above the line in the editor.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { requirePrerequisite } from '../support/prerequisites';
import { createFixture, DATABASE_URL, runWorkload, type SlowFixture } from '../db/slow/fixture';
import { openFile, prerequisitesMissing, runCommand, screenshot, startWorkbench, waitFor, type Workbench } from './harness';

const missing = prerequisitesMissing();
const skip = requirePrerequisite(!missing, missing ?? '') || requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set');

describe('Slow Queries view (code-server)', { skip }, () => {
  let wb: Workbench;
  let f: SlowFixture;

  // pg_stat_statements is server-wide and the other test suites fill it; the view lists the
  // current database's statements only, so the workload runs in a database of its own.
  const database = `sqlperf_e2e_slow_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };

  before(async () => {
    await admin(`DROP DATABASE IF EXISTS ${database}`);
    await admin(`CREATE DATABASE ${database}`);
    const u = new URL(DATABASE_URL!);
    u.pathname = `/${database}`;
    f = await createFixture(u.toString());
    await runWorkload(f);
    wb = await startWorkbench({
      workspaceFrom: f.dir,
      settings: {
        'sqlperf.connections': [{ name: 'e2e', host: u.hostname, port: Number(u.port || 5432), database: u.pathname.slice(1), user: decodeURIComponent(u.username) }],
        'sqlperf.activeConnection': 'e2e',
        'sqlperf.slowQueries.limit': 5000,
        'sqlperf.slowQueries.order': 'calls',
      },
    });
  });

  after(async () => {
    // the extension's own log lines about slow queries, to read when this test fails
    if (wb) for (const line of logLines(wb.userData).filter((l) => /slow queries|sqlperf:/i.test(l))) console.log(`# ${line}`);
    await wb?.stop();
    await f?.cleanup();
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  it('lists the matched statement with its location, and the code lens shows its calls', async () => {
    await openFile(wb.page, 'app/items.ts');
    await runCommand(wb.page, 'SQL Perf: Refresh Slow Queries');
    await runCommand(wb.page, 'Slow Queries: Focus on Slow Queries View');
    const rows = await waitFor(
      () => wb.page.locator('.pane-body .monaco-list-row').allTextContents(),
      // ordered by calls, the .sql statement (6 calls) comes first
      (t) => t.some((x) => x.includes('queries/items.sql:3')),
      60_000,
      'queries/items.sql:3 in the Slow Queries view',
    );
    assert.ok(rows.some((x) => x.includes(f.table)), rows.join('\n'));
    assert.ok(rows.some((x) => /not found in the workspace/.test(x)), rows.join('\n'));
    // The editor asks for code lenses when it shows the file; the statistics may have come
    // in after that ask. Show the file again and refresh, so the lens request sees them.
    await openFile(wb.page, 'app/items.ts');
    await runCommand(wb.page, 'SQL Perf: Refresh Slow Queries');
    const lenses = await waitFor(
      () => wb.page.locator('.codelens-decoration').allTextContents(),
      (t) => t.some((x) => /5 calls · mean/.test(x)),
      60_000,
      'the slow-queries code lens',
    );
    assert.ok(lenses.some((x) => /of total time/.test(x)), lenses.join('\n'));
    await screenshot(wb.page, 'e2e-slow-queries');
  });
});

function logLines(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.log') && /SQL Perf|sqlperf/i.test(p)) out.push(...readFileSync(p, 'utf8').split('\n'));
    }
  };
  try {
    walk(join(dir, 'logs'));
  } catch {
    // no logs yet
  }
  return out;
}
