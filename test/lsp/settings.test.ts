/**
 * Settings flow: pulled per document, changed through didChangeConfiguration, merged with
 * the workspace folder's `.sqlperf.json`, and initializationOptions for clients that
 * cannot be asked.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ruleById } from '../../server/engine/rules';
import { eventually, fileUri, startServer, type Server } from './harness';

/** About 2 KB of harmless SQL: over a 1 KB limit, analyzed normally otherwise. */
const TWO_KB = 'SELECT 1;\n'.repeat(200);

function codes(items: Array<{ code?: number | string }>): Array<number | string | undefined> {
  return items.map((d) => d.code);
}

async function changeSettings(server: Server, settings: Record<string, unknown>): Promise<void> {
  const before = server.refreshCount();
  server.settings = settings;
  await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'diagnostics refresh');
}

describe('lsp: editor settings', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ settings: { maxFileSizeKB: 1 } });
  });
  after(async () => {
    await server?.stop();
  });

  it('pulls the sqlperf section scoped to the document', async () => {
    const uri = 'untitled:scoped.sql';
    server.open(uri, 'sql', 'SELECT 1');
    await server.diagnostics(uri);
    assert.ok(server.configurationRequests.some((r) => r.scopeUri === uri && r.section === 'sqlperf'), JSON.stringify(server.configurationRequests));
  });

  it('applies maxFileSizeKB, then follows a change after a refresh', async () => {
    const uri = 'untitled:big.sql';
    server.open(uri, 'sql', TWO_KB);
    const items = await server.diagnostics(uri);
    assert.deepEqual(codes(items), ['file-too-large']);
    assert.equal(items[0].severity, 3);
    assert.deepEqual(items[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.match(items[0].message as string, /maxFileSizeKB/);

    await changeSettings(server, {});
    assert.deepEqual(await server.diagnostics(uri), []);
  });

  it('switches the dialect', async () => {
    const uri = 'untitled:dialect.sql';
    server.open(uri, 'sql', 'SELECT TOP 5 name FROM people');
    await changeSettings(server, { dialect: 'postgres' });
    assert.deepEqual(codes(await server.diagnostics(uri)), ['syntax-error']);
    await changeSettings(server, { dialect: 'transactsql' });
    assert.deepEqual(codes(await server.diagnostics(uri)), []);
  });

  it('keeps working with invalid settings values', async () => {
    const uri = 'untitled:invalid.sql';
    server.open(uri, 'sql', 'SELEC 1');
    await changeSettings(server, { maxFileSizeKB: 'huge', rules: 'all', thresholds: { joins: -1 } });
    assert.deepEqual(codes(await server.diagnostics(uri)), ['syntax-error']);
  });
});

describe('lsp: .sqlperf.json', () => {
  let server: Server;
  let folder: string;
  let configFile: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'sqlperf-lsp-'));
    configFile = join(folder, '.sqlperf.json');
    // JSONC: comments and trailing commas are allowed
    writeFileSync(configFile, '{\n  // CI and the editor agree\n  "maxFileSizeKB": 1,\n}\n');
    server = await startServer({ folders: [folder], settings: {} });
  });
  after(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('is honoured for documents in the folder only', async () => {
    const inside = fileUri(join(folder, 'queries', 'big.sql'));
    server.open(inside, 'sql', TWO_KB);
    assert.deepEqual(codes(await server.diagnostics(inside)), ['file-too-large']);

    const outside = 'untitled:outside.sql';
    server.open(outside, 'sql', TWO_KB);
    assert.deepEqual(await server.diagnostics(outside), []);
  });

  it('wins over the editor settings', async () => {
    const uri = fileUri(join(folder, 'dialect.sql'));
    server.open(uri, 'sql', 'SELECT TOP 5 name FROM people');
    writeFileSync(configFile, '{ "dialect": "postgres" }');
    const before = server.refreshCount();
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(configFile), type: 2 }] });
    await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'refresh after file change');
    await changeSettings(server, { dialect: 'transactsql' });
    assert.deepEqual(codes(await server.diagnostics(uri)), ['syntax-error'], 'the file says postgres');
  });

  it('is re-read when the client reports a change', async () => {
    const uri = fileUri(join(folder, 'queries', 'reread.sql'));
    writeFileSync(configFile, '{ "maxFileSizeKB": 1 }');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(configFile), type: 2 }] });
    server.open(uri, 'sql', TWO_KB);
    await eventually(async () => (codes(await server.diagnostics(uri)).includes('file-too-large') ? true : undefined), 5_000, 'file-too-large');

    writeFileSync(configFile, '{}');
    const before = server.refreshCount();
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(configFile), type: 2 }] });
    await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'refresh after file change');
    assert.deepEqual(await server.diagnostics(uri), []);
  });

  it('turns rules off, and the editor may override single rules', async () => {
    const uri = fileUri(join(folder, 'rules.sql'));
    await changeSettings(server, {});
    writeFileSync(configFile, '{ "rules": { "select-star": "off", "null-comparison": "off" } }');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(configFile), type: 2 }] });
    server.open(uri, 'sql', 'SELECT * FROM users WHERE email = NULL');
    await eventually(async () => {
      const found = codes(await server.diagnostics(uri));
      return !found.includes('select-star') && !found.includes('null-comparison') ? true : undefined;
    }, 5_000, 'rules off from the file');

    await changeSettings(server, { rules: { 'select-star': 'hint' } });
    const items = await server.diagnostics(uri);
    assert.equal(items.find((d) => d.code === 'select-star')?.severity, 4, 'the editor wins for the rule it names');
    assert.ok(!items.some((d) => d.code === 'null-comparison'), 'the file still rules the others');
    await changeSettings(server, {});
  });

  it('survives a broken file', async () => {
    const uri = fileUri(join(folder, 'broken.sql'));
    await changeSettings(server, {});
    writeFileSync(configFile, '{ "maxFileSizeKB": [}');
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(configFile), type: 2 }] });
    server.open(uri, 'sql', 'SELEC 1');
    assert.deepEqual(codes(await server.diagnostics(uri)), ['syntax-error']);
  });
});

describe('lsp: client without workspace/configuration', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ configuration: false, initializationOptions: { sqlperf: { maxFileSizeKB: 1 } } });
  });
  after(async () => {
    await server?.stop();
  });

  it('uses initializationOptions, then settings sent with didChangeConfiguration', async () => {
    const uri = 'untitled:init.sql';
    server.open(uri, 'sql', TWO_KB);
    assert.deepEqual(codes(await server.diagnostics(uri)), ['file-too-large']);

    const before = server.refreshCount();
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { sqlperf: { maxFileSizeKB: 100 } } });
    await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'refresh');
    assert.deepEqual(await server.diagnostics(uri), []);
    assert.deepEqual(server.configurationRequests, [], 'never asks a client that cannot answer');
  });
});
