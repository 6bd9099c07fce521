/**
 * A client without pull diagnostics (Neovim 0.7-0.9, older editors): the server pushes
 * `textDocument/publishDiagnostics` on open, on change, on settings changes and on close.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type Server } from './harness';

describe('lsp: push diagnostics', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ pull: false, settings: {} });
  });
  after(async () => {
    await server?.stop();
  });

  it('does not advertise pull diagnostics', () => {
    assert.equal(server.initializeResult.capabilities.diagnosticProvider, undefined);
  });

  it('publishes on open, change and close', async () => {
    const uri = 'untitled:push.sql';
    let next = server.nextPush(uri);
    server.open(uri, 'sql', 'SELEC 1');
    let p = await next;
    assert.equal(p.version, 1);
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.range.start.character, d.range.end.character]), [['syntax-error', 0, 5]]);

    next = server.nextPush(uri);
    server.change(uri, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: 'T' }]);
    p = await next;
    assert.equal(p.version, 2);
    assert.deepEqual(p.diagnostics, []);

    next = server.nextPush(uri, (x) => x.diagnostics.length > 0);
    server.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'SELECT 1;\nSELEKT 2;\n' }]);
    p = await next;
    assert.equal(p.version, 3);
    assert.deepEqual(p.diagnostics.map((d) => d.range.start.line), [1]);

    next = server.nextPush(uri);
    server.close(uri);
    p = await next;
    assert.deepEqual(p.diagnostics, [], 'closing clears the document');
  });

  it('coalesces a burst of edits into one publish of the final text', async () => {
    const uri = 'untitled:burst.sql';
    const first = server.nextPush(uri);
    server.open(uri, 'sql', '');
    await first;
    const count = server.pushed.get(uri)!.length;
    const text = 'SELECT 1; SELEC 2';
    for (let i = 0; i < text.length; i++) {
      server.change(uri, [{ range: { start: { line: 0, character: i }, end: { line: 0, character: i } }, text: text[i] }]);
    }
    const p = await server.nextPush(uri, (x) => x.version === text.length + 1);
    assert.deepEqual(p.diagnostics.map((d) => d.range.start.character), [10]);
    assert.ok(server.pushed.get(uri)!.length - count < text.length, 'fewer publishes than keystrokes');
  });

  it('re-publishes open documents when settings change', async () => {
    const uri = 'untitled:settings.sql';
    const opened = server.nextPush(uri);
    server.open(uri, 'sql', 'SELECT 1;\n'.repeat(200));
    assert.deepEqual((await opened).diagnostics, []);

    const next = server.nextPush(uri, (x) => x.diagnostics.length > 0);
    server.settings = { maxFileSizeKB: 1 };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const p = await next;
    assert.deepEqual(p.diagnostics.map((d) => d.code), ['file-too-large']);
    assert.equal(server.refreshCount(), 0, 'no refresh requests to a push client');
  });
});
