/**
 * The complexity code lens: the score and its heaviest factors above each `.sql` statement
 * that scores, nothing above trivial statements or in host code, and off by setting.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens } from 'vscode-languageserver-protocol/node';
import { eventually, startServer, type Server } from './harness';

const SQL = [
  'INSERT INTO t (a) VALUES (1);',
  '',
  'SELECT o.id, (SELECT count(*) FROM items i WHERE i.order_id = o.id) AS n',
  'FROM orders o',
  'JOIN users u ON u.id = o.user_id',
  'JOIN accounts a ON a.id = u.account_id',
  'JOIN plans p ON p.id = a.plan_id;',
  '',
  'SELECT * FROM broken WHERE;',
].join('\n');

function lenses(server: Server, uri: string): Promise<CodeLens[]> {
  return server.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as Promise<CodeLens[]>;
}

describe('lsp: complexity code lens', () => {
  let server: Server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('is advertised', () => {
    assert.ok(server.initializeResult.capabilities.codeLensProvider);
  });

  it('shows the score and the heaviest factors above the statement that scores', async () => {
    const uri = 'untitled:lens.sql';
    server.open(uri, 'sql', SQL);
    const found = await lenses(server, uri);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.equal(found[0].range.start.line, 2, 'above the SELECT, not the INSERT or the broken statement');
    // 3 joins (2 each) + 1 subquery (3) + correlated (+4) + 1 aggregate (1) = 14
    assert.equal(found[0].command?.title, 'complexity 14 · 3 joins · 1 correlated subquery · 1 subquery');
  });

  it('follows edits', async () => {
    const uri = 'untitled:lens-edit.sql';
    server.open(uri, 'sql', 'SELECT 1 FROM a JOIN b ON a.id = b.id');
    assert.equal((await lenses(server, uri))[0]?.command?.title, 'complexity 2 · 1 join');
    server.change(uri, [{ text: 'SELECT 1 FROM a' }]);
    assert.deepEqual(await lenses(server, uri), []);
  });

  it('is not shown for SQL embedded in host code', async () => {
    const uri = 'untitled:lens.ts';
    server.open(uri, 'typescript', 'await db.query("SELECT 1 FROM a JOIN b ON a.id = b.id JOIN c ON c.id = b.id");');
    assert.deepEqual(await lenses(server, uri), []);
  });

  it('turns off with sqlperf.codeLens.complexity', async () => {
    const uri = 'untitled:lens-off.sql';
    server.open(uri, 'sql', 'SELECT 1 FROM a JOIN b ON a.id = b.id');
    assert.equal((await lenses(server, uri)).length, 1);
    server.settings = { codeLens: { complexity: false } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await eventually(async () => ((await lenses(server, uri)).length === 0 ? true : undefined), 5_000, 'lenses gone');
  });
});
