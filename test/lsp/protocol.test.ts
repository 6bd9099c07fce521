/**
 * The basic protocol round trip with a pull-capable client: capabilities, diagnostics,
 * incremental edits, hover, suppression code actions, positions after non-ASCII text.
 * Built on syntax errors, which exist whatever rules are registered.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol/node';
import { applyAction, startServer, type Server } from './harness';

describe('lsp: protocol', () => {
  let server: Server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('advertises pull diagnostics, incremental sync, hover and quick fixes', () => {
    const caps = server.initializeResult.capabilities;
    assert.deepEqual(caps.diagnosticProvider, { identifier: 'sqlperf', interFileDependencies: false, workspaceDiagnostics: false });
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
    assert.equal(caps.hoverProvider, true);
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.equal(server.initializeResult.serverInfo?.name, 'sqlperf');
  });

  it('registers for .sqlperf.json changes and configuration changes', async () => {
    await new Promise((r) => setTimeout(r, 200));
    const watch = server.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(watch?.registerOptions, { watchers: [{ globPattern: '**/.sqlperf.json' }] });
    assert.ok(server.registrations.some((r) => r.method === 'workspace/didChangeConfiguration'));
  });

  it('reports a syntax error with its range, code and source', async () => {
    const uri = 'untitled:syntax.sql';
    server.open(uri, 'sql', 'SELEC 1');
    const items = await server.diagnostics(uri);
    assert.equal(items.length, 1, JSON.stringify(items));
    const [d] = items;
    assert.equal(d.code, 'syntax-error');
    assert.equal(d.source, 'sqlperf');
    assert.equal(d.severity, 1);
    assert.deepEqual(d.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } });
    assert.equal(typeof d.message, 'string');
    assert.match(d.message as string, /syntax error/i);
    assert.equal(d.codeDescription, undefined, 'syntax errors have no rule page');
    assert.deepEqual(d.data, { rule: 'syntax-error' });
  });

  it('answers "unchanged" for the same version and settings', async () => {
    const uri = 'untitled:unchanged.sql';
    server.open(uri, 'sql', 'SELEC 1');
    const first = await server.pull(uri);
    assert.equal(first.kind, 'full');
    const resultId = (first as { resultId?: string }).resultId;
    assert.ok(resultId);
    const second = await server.pull(uri, resultId);
    assert.deepEqual(second, { kind: 'unchanged', resultId });
  });

  it('answers "unchanged" after an edit that changes no diagnostic, and the full list after one that does', async () => {
    const uri = 'untitled:unchanged-edits.sql';
    server.open(uri, 'sql', 'SELECT *\nFROM t WHERE a = NULL;\nSELEC 2;\n');
    const first = await server.pull(uri);
    assert.equal(first.kind, 'full');
    const id = first.resultId;
    // a space at the end of the first line: a new version, the same findings
    server.change(uri, [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 8 } }, text: ' ' }]);
    assert.deepEqual(await server.pull(uri, id), { kind: 'unchanged', resultId: id });
    // fixing the syntax error changes the list: all of it comes back, under a new id
    server.change(uri, [{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, text: 'T' }]);
    const third = await server.pull(uri, id);
    assert.ok(third.kind === 'full');
    assert.notEqual(third.resultId, id);
    const codes = third.items.map((d) => d.code);
    assert.ok(codes.includes('null-comparison') && !codes.includes('syntax-error'), JSON.stringify(codes));
    // a space that moves a finding: the same rules, new positions, so the full list
    server.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: ' ' }]);
    assert.equal((await server.pull(uri, third.resultId)).kind, 'full');
  });

  it('follows incremental edits', async () => {
    const uri = 'untitled:edits.sql';
    server.open(uri, 'sql', 'SELECT 1;\nSELEC 2;\n');
    let items = await server.diagnostics(uri);
    assert.deepEqual(items.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['syntax-error', 1, 0]]);

    // SELEC -> SELECT: the error goes away
    server.change(uri, [{ range: { start: { line: 1, character: 5 }, end: { line: 1, character: 5 } }, text: 'T' }]);
    items = await server.diagnostics(uri);
    assert.deepEqual(items, []);

    // break the first statement instead: only it is reported, at its new place
    server.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }, text: '\n  SELEKT' }]);
    assert.equal(server.document(uri).getText(), '\n  SELEKT 1;\nSELECT 2;\n');
    items = await server.diagnostics(uri);
    assert.deepEqual(items.map((d) => [d.code, d.range]), [['syntax-error', { start: { line: 1, character: 2 }, end: { line: 1, character: 8 } }]]);
  });

  it('gives UTF-16 columns after non-ASCII text', async () => {
    const uri = 'untitled:unicode.sql';
    // é is 2 bytes in UTF-8, 😀 is 4 bytes and a surrogate pair (2 UTF-16 units)
    const text = "SELECT 'héllo 😀 wörld' AS x; SELEC 1";
    server.open(uri, 'sql', text);
    const items = await server.diagnostics(uri);
    assert.equal(items.length, 1, JSON.stringify(items));
    const expected = text.indexOf('SELEC 1');
    assert.deepEqual(items[0].range, { start: { line: 0, character: expected }, end: { line: 0, character: expected + 5 } });
  });

  it('hovers over a diagnostic with the explanation, and nothing elsewhere', async () => {
    const uri = 'untitled:hover.sql';
    server.open(uri, 'sql', 'SELECT 1;\nSELEC 2;');
    await server.diagnostics(uri);
    const hover = await server.hover(uri, 1, 2);
    assert.ok(hover, 'a hover on the error');
    const value = (hover.contents as { kind: string; value: string }).value;
    assert.equal((hover.contents as { kind: string }).kind, 'markdown');
    assert.match(value, /syntax-error/);
    assert.match(value, /rejects this statement/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    assert.equal(await server.hover(uri, 0, 3), null);
    assert.equal(await server.hover(uri, 99, 0), null, 'past the end is not an error');
  });

  it('offers line and file suppressions that silence the diagnostic', async () => {
    const uri = 'untitled:suppress.sql';
    const doc = server.open(uri, 'sql', 'SELECT 1;\n    SELEC 2;\nSELEC 3;');
    const items = await server.diagnostics(uri);
    assert.equal(items.length, 2);
    const actions = await server.codeActions(uri, [items[0]]);
    const titles = actions.map((a) => a.title);
    assert.deepEqual(titles, ['Ignore syntax-error for this line', 'Ignore syntax-error in this file']);
    assert.ok(actions.every((a) => a.kind === 'quickfix'));

    const lineFixed = applyAction(doc, actions[0]);
    assert.equal(lineFixed, 'SELECT 1;\n    -- sqlperf-ignore syntax-error\n    SELEC 2;\nSELEC 3;');
    server.change(uri, [{ text: lineFixed }]);
    const after = await server.diagnostics(uri);
    assert.deepEqual(after.map((d) => d.range.start.line), [3], 'only the unsuppressed error is left');

    const fileFixed = applyAction(server.document(uri), (await server.codeActions(uri, after))[1]);
    assert.ok(fileFixed.startsWith('-- sqlperf-ignore-file syntax-error\nSELECT 1;'), fileFixed);
    server.change(uri, [{ text: fileFixed }]);
    assert.deepEqual(await server.diagnostics(uri), []);
  });

  it('adds a rule to an existing ignore comment instead of stacking another', async () => {
    const uri = 'untitled:stack.sql';
    const doc = server.open(uri, 'sql', '-- sqlperf-ignore select-star\nSELEC 1;');
    const items = await server.diagnostics(uri);
    const [line] = await server.codeActions(uri, items);
    assert.equal(applyAction(doc, line), '-- sqlperf-ignore select-star, syntax-error\nSELEC 1;');
  });

  it('uses the host language comment syntax for embedded SQL', async () => {
    const uri = 'untitled:app.py';
    const doc = server.open(uri, 'python', 'x = 1\n');
    // No finding needed: the action is derived from the diagnostic the client sends.
    const diagnostic = { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', source: 'sqlperf', code: 'select-star', data: { rule: 'select-star' } };
    const actions = await server.codeActions(uri, [diagnostic]);
    assert.equal(applyAction(doc, actions[0]), '# sqlperf-ignore select-star\nx = 1\n');
    assert.equal(applyAction(doc, actions[1]), '# sqlperf-ignore-file select-star\nx = 1\n');
  });

  it('ignores diagnostics of other sources', async () => {
    const uri = 'untitled:other.sql';
    server.open(uri, 'sql', 'SELECT 1');
    const actions = await server.codeActions(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', source: 'eslint', code: 'x' }]);
    assert.deepEqual(actions, []);
  });
});
