import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SAMPLE_ROWS as DB_SAMPLE_ROWS } from '../../../src/db/sample-rows';
import { DEFAULT_EXPLAIN_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS as DB_LOCK_TIMEOUT_MS } from '../../../src/db/explain-runner';
import { SSL_MODES } from '../../../src/db/profiles';
import {
  activeKey,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_SAMPLE_ROWS,
  DEFAULT_SCHEMA_GLOBS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  readConnectionSettings,
  resolveActive,
} from '../../../src/connections/settings';

const read = (values: Record<string, unknown>) => readConnectionSettings((k) => values[k]);
const local = { name: 'local', host: 'localhost', port: 5432, database: 'shop', user: 'me' };

describe('readConnectionSettings', () => {
  it('gives the defaults when nothing is set', () => {
    const s = read({});
    assert.deepEqual(s, {
      profiles: [],
      problems: [],
      active: '',
      schemaFiles: [...DEFAULT_SCHEMA_GLOBS],
      sampleRows: 10_000,
      statementTimeoutMs: 30_000,
      lockTimeoutMs: 5_000,
    });
  });

  it('keeps the defaults equal to the database side\'s (copied to keep activation light)', () => {
    assert.equal(DEFAULT_SAMPLE_ROWS, DB_SAMPLE_ROWS);
    assert.equal(DEFAULT_STATEMENT_TIMEOUT_MS, DEFAULT_EXPLAIN_TIMEOUT_MS);
    assert.equal(DEFAULT_LOCK_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS);
  });

  it('reads valid values and falls back on wrong types', () => {
    const s = read({
      connections: [local, { name: 'broken' }],
      activeConnection: ' local ',
      schemaFiles: ['db/*.sql', '  ', 'ddl/**'],
      'embedded.sampleRows': 0,
      'explain.statementTimeoutMs': 1500.7,
      'explain.lockTimeoutMs': -1,
    });
    assert.deepEqual(s.profiles, [local]);
    assert.ok(s.problems.some((p) => p.name === 'broken' && p.severity === 'error'));
    assert.equal(s.active, 'local');
    assert.deepEqual(s.schemaFiles, ['db/*.sql', 'ddl/**']);
    assert.equal(s.sampleRows, 0);
    assert.equal(s.statementTimeoutMs, 1500);
    assert.equal(s.lockTimeoutMs, 5000);
    assert.deepEqual(read({ schemaFiles: 'schema.sql', 'embedded.sampleRows': '5' }).schemaFiles, [...DEFAULT_SCHEMA_GLOBS]);
    assert.equal(read({ 'embedded.sampleRows': '5' }).sampleRows, 10_000);
    assert.equal(read({ activeConnection: 42 }).active, '');
  });
});

describe('resolveActive', () => {
  it('empty means the embedded database', () => {
    assert.deepEqual(resolveActive(read({ connections: [local] })), { kind: 'embedded' });
  });
  it('finds the named profile', () => {
    assert.deepEqual(resolveActive(read({ connections: [local], activeConnection: 'local' })), { kind: 'profile', profile: local });
  });
  it('explains a name that is missing or names an invalid profile', () => {
    const missing = resolveActive(read({ connections: [local], activeConnection: 'staging' }));
    assert.equal(missing.kind, 'missing');
    assert.match((missing as { reason: string }).reason, /no connection named "staging"/);
    const invalid = resolveActive(read({ connections: [{ name: 'staging', port: 'x' }], activeConnection: 'staging' }));
    assert.equal(invalid.kind, 'missing');
    assert.match((invalid as { reason: string }).reason, /"port" must be a whole number/);
  });
  it('activeKey changes when the active profile is edited, not when another one is', () => {
    const a = activeKey(resolveActive(read({ connections: [local, { ...local, name: 'other' }], activeConnection: 'local' })));
    const b = activeKey(resolveActive(read({ connections: [local, { ...local, name: 'other', port: 5433 }], activeConnection: 'local' })));
    const c = activeKey(resolveActive(read({ connections: [{ ...local, port: 5433 }], activeConnection: 'local' })));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(activeKey({ kind: 'embedded' }), 'embedded');
  });
});

describe('package.json declares the connection settings', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;

  it('with the defaults the code uses', () => {
    assert.deepEqual(props['sqlperf.schemaFiles'].default, DEFAULT_SCHEMA_GLOBS);
    assert.equal(props['sqlperf.embedded.sampleRows'].default, DEFAULT_SAMPLE_ROWS);
    assert.equal(props['sqlperf.explain.statementTimeoutMs'].default, DEFAULT_STATEMENT_TIMEOUT_MS);
    assert.equal(props['sqlperf.explain.lockTimeoutMs'].default, DEFAULT_LOCK_TIMEOUT_MS);
    assert.equal(props['sqlperf.activeConnection'].default, '');
    assert.deepEqual(props['sqlperf.connections'].default, []);
  });

  it('with a schema for the profile fields validateProfile knows, and no password field', () => {
    const item = props['sqlperf.connections'].items;
    assert.deepEqual(Object.keys(item.properties).sort(), ['database', 'host', 'name', 'port', 'readOnly', 'ssl', 'urlFromEnv', 'user']);
    assert.deepEqual(item.properties.ssl.enum, SSL_MODES);
    assert.equal(item.additionalProperties, false);
  });

  it('with the connection commands under the SQL Perf category', () => {
    const commands = new Map(pkg.contributes.commands.map((c: { command: string; title: string; category: string }) => [c.command, c]));
    for (const [id, title] of [
      ['sqlperf.addConnection', 'Add Connection'],
      ['sqlperf.selectConnection', 'Select Connection'],
      ['sqlperf.removeConnection', 'Remove Connection'],
      ['sqlperf.testConnection', 'Test Connection'],
    ]) {
      const c = commands.get(id) as { title: string; category: string } | undefined;
      assert.ok(c, id);
      assert.equal(c.title, title);
      assert.equal(c.category, 'SQL Perf');
    }
  });
});
