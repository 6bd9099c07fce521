/**
 * SQL embedded in host code: findings land at host-document positions, and the "ignore
 * for this line" fix writes a comment that is valid where it goes (a host comment above
 * the call, a SQL comment inside a multi-line string).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyAction, eventually, startServer, type Server } from './harness';

describe('lsp: embedded SQL', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ settings: {} });
  });
  after(async () => {
    await server?.stop();
  });

  async function suppressFirst(uri: string, languageId: string, text: string): Promise<{ range: unknown; fixed: string; after: unknown[] }> {
    const doc = server.open(uri, languageId, text);
    const items = await server.diagnostics(uri);
    assert.equal(items.length, 1, JSON.stringify(items));
    assert.equal(items[0].code, 'syntax-error');
    const [ignoreLine] = await server.codeActions(uri, items);
    const fixed = applyAction(doc, ignoreLine);
    server.change(uri, [{ text: fixed }]);
    return { range: items[0].range, fixed, after: await server.diagnostics(uri) };
  }

  it('TypeScript: one-line call gets a // comment above it', async () => {
    const text = 'const rows = await db.query(`SELEC 1`);\n';
    const r = await suppressFirst('untitled:one.ts', 'typescript', text);
    assert.deepEqual(r.range, { start: { line: 0, character: 29 }, end: { line: 0, character: 34 } });
    assert.equal(r.fixed, `// sqlperf-ignore syntax-error\n${text}`);
    assert.deepEqual(r.after, []);
  });

  it('TypeScript: inside a multi-line template the comment is SQL', async () => {
    const text = 'async function f() {\n  const rows = await db.query(`\n    SELECT 1;\n    SELEC 2\n  `);\n}\n';
    const r = await suppressFirst('untitled:multi.ts', 'typescript', text);
    assert.deepEqual(r.range, { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } });
    assert.equal(r.fixed, 'async function f() {\n  const rows = await db.query(`\n    SELECT 1;\n    -- sqlperf-ignore syntax-error\n    SELEC 2\n  `);\n}\n');
    assert.deepEqual(r.after, []);
  });

  it('Python: triple-quoted string', async () => {
    const r = await suppressFirst('untitled:q.py', 'python', 'cursor.execute("""\n    SELEC 1\n""")\n');
    assert.equal(r.fixed, 'cursor.execute("""\n    -- sqlperf-ignore syntax-error\n    SELEC 1\n""")\n');
    assert.deepEqual(r.after, []);
  });

  it('Go: keeps the tab indentation', async () => {
    const r = await suppressFirst('untitled:q.go', 'go', 'package main\n\nfunc f() {\n\tdb.Query("SELEC 1")\n}\n');
    assert.deepEqual(r.range, { start: { line: 3, character: 11 }, end: { line: 3, character: 16 } });
    assert.equal(r.fixed, 'package main\n\nfunc f() {\n\t// sqlperf-ignore syntax-error\n\tdb.Query("SELEC 1")\n}\n');
    assert.deepEqual(r.after, []);
  });

  it('maps positions after non-ASCII host text', async () => {
    const uri = 'untitled:unicode.ts';
    const text = "const label = 'naïve 😀'; await db.query('SELEC 1');\n";
    server.open(uri, 'typescript', text);
    const items = await server.diagnostics(uri);
    const at = text.indexOf('SELEC');
    assert.deepEqual(items.map((d) => d.range), [{ start: { line: 0, character: at }, end: { line: 0, character: at + 5 } }]);
  });

  it('honours sqlperf.embedded.enabled', async () => {
    const uri = 'untitled:disabled.ts';
    server.open(uri, 'typescript', 'db.query(`SELEC 1`);\n');
    assert.equal((await server.diagnostics(uri)).length, 1);
    const before = server.refreshCount();
    server.settings = { embedded: { enabled: false } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'refresh');
    assert.deepEqual(await server.diagnostics(uri), []);
    server.settings = {};
  });
});
