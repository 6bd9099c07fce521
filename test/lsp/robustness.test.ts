/**
 * Inputs that must not take the server down: binary content, empty documents, unknown
 * languages, requests for documents that are not open, malformed code action requests.
 * After each, the server must still answer.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type Server } from './harness';

describe('lsp: robustness', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ settings: {} });
  });
  after(async () => {
    await server?.stop();
  });

  /** The server is alive and analyzing. */
  async function stillAnswers(): Promise<void> {
    const uri = `untitled:alive-${Math.random().toString(36).slice(2)}.sql`;
    server.open(uri, 'sql', 'SELEC 1');
    const items = await server.diagnostics(uri);
    assert.deepEqual(items.map((d) => d.code), ['syntax-error']);
  }

  it('says nothing about a binary document', async () => {
    const uri = 'untitled:binary.sql';
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0x00, 0x01]);
    server.open(uri, 'sql', bytes.toString('latin1') + '\u0000'.repeat(100) + 'SELEC 1');
    assert.deepEqual(await server.diagnostics(uri), []);
    assert.equal(await server.hover(uri, 0, 3), null);
    await stillAnswers();
  });

  it('handles empty and whitespace-only documents', async () => {
    for (const [name, text] of [['empty', ''], ['blank', '  \n\n\t\n'], ['semicolons', ';;;'], ['comment', '-- just a comment\n/* and */']] as const) {
      const uri = `untitled:${name}.sql`;
      server.open(uri, 'sql', text);
      assert.deepEqual(await server.diagnostics(uri), [], name);
    }
    await stillAnswers();
  });

  it('ignores languages it does not handle and documents it does not know', async () => {
    server.open('untitled:notes.txt', 'plaintext', 'SELEC 1');
    assert.deepEqual(await server.diagnostics('untitled:notes.txt'), []);
    assert.deepEqual(await server.diagnostics('untitled:never-opened.sql'), []);
    assert.equal(await server.hover('untitled:never-opened.sql', 0, 0), null);
    assert.deepEqual(await server.codeActions('untitled:never-opened.sql', []), []);
    await stillAnswers();
  });

  it('survives malformed code action requests', async () => {
    const uri = 'untitled:malformed.sql';
    server.open(uri, 'sql', 'SELEC 1');
    const weird = [
      { range: { start: { line: 50, character: 3 }, end: { line: 60, character: 0 } }, message: 'x', source: 'sqlperf', code: 'syntax-error', data: 'not an object' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, message: 'x', source: 'sqlperf', code: 42 },
    ];
    const actions = await server.codeActions(uri, weird as never);
    assert.ok(Array.isArray(actions));
    await stillAnswers();
  });

  it('handles unterminated quotes and deep nesting', async () => {
    const cases = {
      quote: "SELECT 'never closed\nFROM t;",
      dollar: 'SELECT $$ open;\nSELECT 1;',
      comment: 'SELECT 1; /* open',
      nested: `SELECT ${'('.repeat(10_000)}1${')'.repeat(10_000)};`,
      long: `SELECT ${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(', ')} FROM t;`,
    };
    for (const [name, text] of Object.entries(cases)) {
      const uri = `untitled:${name}.sql`;
      server.open(uri, 'sql', text);
      const items = await server.diagnostics(uri);
      assert.ok(Array.isArray(items), name);
    }
    await stillAnswers();
  });

  it('reports 10,000 nested parentheses as PostgreSQL does, and still analyzes the next statement', async () => {
    const uri = 'untitled:deep.sql';
    server.open(uri, 'sql', `SELECT ${'('.repeat(10_000)}1${')'.repeat(10_000)};\nSELECT * FROM t;`);
    const items = await server.diagnostics(uri);
    const error = items.find((d) => d.code === 'syntax-error');
    assert.ok(error, JSON.stringify(items));
    assert.match(String(error.message), /memory exhausted|stack depth/);
    assert.ok(items.some((d) => d.code === 'select-star' && d.range.start.line === 1), JSON.stringify(items));
    await stillAnswers();
  });

  it('says a 20 MB file is too large instead of analyzing it', async () => {
    const uri = 'untitled:huge.sql';
    const text = 'SELECT * FROM t WHERE a = 1;\n'.repeat(730_000);
    assert.ok(text.length > 20_000_000);
    server.open(uri, 'sql', text);
    const items = await server.diagnostics(uri);
    assert.equal(items.length, 1, JSON.stringify(items.slice(0, 3)));
    assert.equal(items[0].code, 'file-too-large');
    assert.match(String(items[0].message), /MB.*maxFileSizeKB/);
    await stillAnswers();
  });

  it('analyzes SQL embedded in host languages without crashing', async () => {
    const sources = {
      typescript: 'const rows = await db.query(`SELECT * FROM users WHERE id = ${id}`);\n',
      python: 'cursor.execute("SELECT * FROM users WHERE email = NULL")\n',
      go: 'package main\n\nfunc f() { db.Query("SELECT * FROM users") }\n',
      javascript: 'db.query("SELEC 1")\n',
    };
    for (const [languageId, text] of Object.entries(sources)) {
      const uri = `untitled:embedded.${languageId}`;
      server.open(uri, languageId, text);
      const items = await server.diagnostics(uri);
      assert.ok(Array.isArray(items), languageId);
      assert.ok(items.every((d) => d.source === 'sqlperf'));
    }
    await stillAnswers();
  });
});
