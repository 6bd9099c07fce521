/**
 * The workspace schema in the language server: DDL read from the folders' .sql files and
 * from open documents feeds the schema-aware rules, and a change to the DDL re-checks the
 * queries of other documents.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { eventually, fileUri, startServer, type Server } from './harness';

const DDL = 'CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL);\n';
const QUERY = "SELECT id FROM orders WHERE status = 'paid';\n";

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

describe('lsp: workspace schema', () => {
  let server: Server;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-schema-'));
    mkdirSync(join(dir, 'db'));
    mkdirSync(join(dir, 'node_modules', 'dep'), { recursive: true });
    writeFileSync(join(dir, 'db', 'schema.sql'), DDL);
    writeFileSync(join(dir, 'db', 'queries.sql'), QUERY);
    // only on disk, never opened: read by the background scan
    writeFileSync(join(dir, 'db', '002_customers.sql'), 'CREATE TABLE customers (id bigint PRIMARY KEY, email text);\n');
    // a table only node_modules defines: never read, so it stays unknown
    writeFileSync(join(dir, 'node_modules', 'dep', 'vendor.sql'), 'CREATE TABLE vendored (id int PRIMARY KEY);\n');
    server = await startServer({ folders: [dir], settings: {} });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports unindexed-filter from the DDL document and drops it once the index is added there', async () => {
    const ddlUri = fileUri(join(dir, 'db', 'schema.sql'));
    const queryUri = fileUri(join(dir, 'db', 'queries.sql'));
    server.open(ddlUri, 'sql', DDL);
    server.open(queryUri, 'sql', QUERY);
    const found = await eventually(async () => {
      const ds = await server.diagnostics(queryUri);
      return ds.find((d) => d.code === 'unindexed-filter');
    }, 10_000, 'unindexed-filter on the query');
    assert.equal(found.range.start.line, 0);
    assert.equal(found.range.start.character, 28);
    assert.match(String(found.message), /orders \(status\)/);

    // the code action that reveals the matching index suggestion
    const actions = await server.codeActions(queryUri, [found]);
    const reveal = actions.find((a) => a.command?.command === 'sqlperf.advisor.revealSuggestion');
    assert.ok(reveal, `no reveal action among ${actions.map((a) => a.title).join(', ')}`);
    assert.deepEqual(reveal.command!.arguments, [{ table: 'orders', columns: ['status'], uri: queryUri, line: 0 }]);

    const refreshes = server.refreshCount();
    // add the index in the (unsaved) DDL document: its live text wins over the disk
    server.change(ddlUri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'CREATE INDEX orders_status_idx ON orders (status);\n' }]);
    await eventually(async () => {
      const ds = await server.diagnostics(queryUri);
      return codes(ds).includes('unindexed-filter') ? undefined : true;
    }, 10_000, 'unindexed-filter to disappear');
    await eventually(() => (server.refreshCount() > refreshes ? true : undefined), 5_000, 'a diagnostics refresh request');
  });

  it('follows .sql files changed on disk (workspace/didChangeWatchedFiles)', async () => {
    const uri = fileUri(join(dir, 'db', 'invoices-queries.sql'));
    server.open(uri, 'sql', 'SELECT id FROM invoices WHERE id = 1;\n');
    await eventually(async () => (codes(await server.diagnostics(uri)).includes('unknown-table-or-column') ? true : undefined), 10_000, 'unknown table first');
    const file = join(dir, 'db', '003_invoices.sql');
    writeFileSync(file, 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(file), type: 1 }] });
    await eventually(async () => (codes(await server.diagnostics(uri)).includes('unknown-table-or-column') ? undefined : true), 10_000, 'the table to become known');
  });

  it('reads DDL files from disk that are not open, and skips node_modules', async () => {
    const uri = fileUri(join(dir, 'db', 'other.sql'));
    server.open(uri, 'sql', 'SELECT id FROM customers WHERE emial = 1;\nSELECT id FROM vendored WHERE id = 1;\n');
    const ds = await eventually(async () => {
      const all = await server.diagnostics(uri);
      return all.some((d) => d.code === 'unknown-table-or-column' && d.range.start.line === 0) ? all : undefined;
    }, 10_000, 'unknown column on the query');
    const unknown = ds.filter((d) => d.code === 'unknown-table-or-column');
    assert.deepEqual(
      unknown.map((d) => [d.range.start.line, String(d.message).match(/`[^`]+`/)?.[0]]),
      [
        [0, '`emial`'],
        [1, '`vendored`'],
      ],
    );
  });
});

describe('lsp: workspace schema, push client', () => {
  let server: Server;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-schema-push-'));
    server = await startServer({ pull: false, folders: [dir], settings: {} });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-publishes the other documents when the DDL document changes', async () => {
    const ddlUri = fileUri(join(dir, 'schema.sql'));
    const queryUri = fileUri(join(dir, 'queries.sql'));
    server.open(ddlUri, 'sql', DDL);
    const withFinding = server.nextPush(queryUri, (p) => codes(p.diagnostics).includes('unindexed-filter'));
    server.open(queryUri, 'sql', QUERY);
    await withFinding;
    const without = server.nextPush(queryUri, (p) => !codes(p.diagnostics).includes('unindexed-filter'));
    server.change(ddlUri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'CREATE INDEX ON orders (status);\n' }]);
    const p = await without;
    assert.equal(p.version, 1, 'the query document itself did not change');
  });
});
