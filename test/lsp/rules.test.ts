/**
 * Rule findings through the protocol: docs links, hover text from the registry, the rule's
 * own quick fix, and turning a rule off in settings.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ruleById } from '../../server/engine/rules';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The server links the rule pages shipped beside its bundle (dist/../docs/rules). */
const docsPage = (id: string) => pathToFileURL(join(__dirname, '..', '..', 'docs', 'rules', `${id}.md`)).toString();
import { applyAction, eventually, startServer, type Server } from './harness';

const QUERY = 'SELECT * FROM users WHERE email = NULL';

describe('lsp: rules', () => {
  let server: Server;
  before(async () => {
    server = await startServer({ settings: {} });
  });
  after(async () => {
    await server?.stop();
  });

  it('reports select-star and null-comparison with links to their docs', async () => {
    const uri = 'untitled:rules.sql';
    server.open(uri, 'sql', QUERY);
    const items = await server.diagnostics(uri);
    for (const id of ['select-star', 'null-comparison']) {
      const d = items.find((x) => x.code === id);
      assert.ok(d, `${id} in ${JSON.stringify(items)}`);
      assert.equal(d.source, 'sqlperf');
      assert.equal(d.codeDescription?.href, docsPage(id));
      assert.deepEqual((d.data as { rule: string }).rule, id);
    }
    const star = items.find((x) => x.code === 'select-star')!;
    assert.equal(star.range.start.line, 0);
    assert.equal(QUERY.slice(star.range.start.character, star.range.end.character).includes('*'), true);
  });

  it('hovers with the rule description and docs link', async () => {
    const uri = 'untitled:hover-rule.sql';
    server.open(uri, 'sql', QUERY);
    const star = (await server.diagnostics(uri)).find((x) => x.code === 'select-star')!;
    const hover = await server.hover(uri, star.range.start.line, star.range.start.character);
    const value = (hover?.contents as { value: string }).value;
    assert.ok(value.includes(ruleById('select-star')!.meta.description), value);
    assert.ok(value.includes(docsPage('select-star')), value);
  });

  it('hovers with the finding detail (complexity breakdown) and honours thresholds', async () => {
    const uri = 'untitled:complex.sql';
    server.open(uri, 'sql', 'SELECT a.id FROM a JOIN b ON b.a_id = a.id JOIN c ON c.b_id = b.id WHERE a.x = 1 OR b.y = 2');
    assert.ok(!(await server.diagnostics(uri)).some((x) => x.code === 'complexity'), 'under the default threshold');
    const before = server.refreshCount();
    server.settings = { thresholds: { complexity: 1 } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'refresh');
    const d = (await server.diagnostics(uri)).find((x) => x.code === 'complexity');
    assert.ok(d, 'over a threshold of 1');
    const hover = await server.hover(uri, d.range.start.line, d.range.start.character);
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /\*\*Complexity \d+\*\* \(threshold 1\)/);
    assert.match(value, /\| factor \| count \| points \|/);
    server.settings = {};
  });

  it('applies the null-comparison fix as IS NULL', async () => {
    const uri = 'untitled:fix.sql';
    const doc = server.open(uri, 'sql', QUERY);
    const d = (await server.diagnostics(uri)).find((x) => x.code === 'null-comparison')!;
    const actions = await server.codeActions(uri, [d]);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.kind, 'quickfix');
    const fixed = applyAction(doc, fix);
    assert.match(fixed, /email IS NULL/i);
    server.change(uri, [{ text: fixed }]);
    assert.ok(!(await server.diagnostics(uri)).some((x) => x.code === 'null-comparison'));
  });

  it('turns a rule off through sqlperf.rules', async () => {
    const uri = 'untitled:off.sql';
    server.open(uri, 'sql', QUERY);
    assert.ok((await server.diagnostics(uri)).some((x) => x.code === 'select-star'));
    const before = server.refreshCount();
    server.settings = { rules: { 'select-star': 'off' } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await eventually(() => (server.refreshCount() > before ? true : undefined), 5_000, 'refresh');
    assert.ok(!(await server.diagnostics(uri)).some((x) => x.code === 'select-star'));

    server.settings = { rules: { 'select-star': 'error' } };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const d = await eventually(async () => (await server.diagnostics(uri)).find((x) => x.code === 'select-star'), 5_000, 'select-star back');
    assert.equal(d.severity, 1, 'severity follows the setting');
    server.settings = {};
  });
});
