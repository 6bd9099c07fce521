/**
 * `sqlperf pool` through the bundle (dist/cli.js): the app side on examples/app, the server
 * side on the test server, the JSON shape, usage errors.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requirePrerequisite } from '../support/prerequisites';
import { parsePoolArgs } from '../../src/cli/pool-args';
import { cliBuilt, run } from './helpers';

const skipBuild = requirePrerequisite(cliBuilt(), 'dist/cli.js not built (node esbuild.mjs)');
const URL = process.env.SQLPERF_TEST_DATABASE_URL;
const skipServer = skipBuild || requirePrerequisite(!!URL, 'SQLPERF_TEST_DATABASE_URL (a PostgreSQL server) is not set');

describe('sqlperf pool: arguments', () => {
  it('parses targets, paths, format and instances', () => {
    assert.deepEqual(parsePoolArgs(['--db', 'postgresql://x@h/d', 'src', '--format=json', '--instances', '3']), {
      kind: 'pool',
      options: { target: { kind: 'db', url: 'postgresql://x@h/d' }, paths: ['src'], format: 'json', instances: 3 },
    });
    assert.equal(parsePoolArgs(['--db', 'a', '--connection', 'b']).kind, 'usage-error');
    assert.equal(parsePoolArgs(['--format', 'sarif']).kind, 'usage-error');
    assert.equal(parsePoolArgs(['--instances', '0']).kind, 'usage-error');
    assert.deepEqual(parsePoolArgs([]), { kind: 'pool', options: { target: { kind: 'none' }, paths: ['.'], format: 'text', instances: 1 } });
  });
});

describe('sqlperf pool: the bundle', { skip: skipBuild }, () => {
  it('reads the code alone without a server', () => {
    const r = run(['pool', 'examples/app', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.server, null);
    assert.deepEqual(j.app.map((p: { location: string; library: string; maxConnections: number }) => `${p.location} ${p.library} ${p.maxConnections}`), [
      'examples/app/main.go:21 database/sql 200',
      'examples/app/orders.ts:5 node-postgres 50',
      'examples/app/reports.py:8 sqlalchemy 60',
    ]);
    assert.ok(j.findings.some((f: { id: string }) => f.id === 'pool-no-acquire-timeout'));
  });
  it('usage errors exit 2 with the pool usage', () => {
    const r = run(['pool', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /sqlperf pool/);
    assert.equal(run(['pool', 'no/such/dir']).code, 2);
    assert.match(run(['pool', '--help']).stdout, /Usage: sqlperf pool/);
  });
  it('an unreachable server exits 1 with one clear line, no stack', () => {
    const r = run(['pool', '--db', 'postgresql://postgres@127.0.0.1:1/test', 'examples/app']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.match(r.stdout, /Server: not read/);
  });
});

describe('sqlperf pool: against the server', { skip: skipServer }, () => {
  it('joins the server and the examples: 310 connections against the usable slots', () => {
    const r = run(['pool', '--db', URL!, 'examples/app', '--format', 'json']);
    assert.equal(r.code, 1, 'a critical finding exits 1');
    const j = JSON.parse(r.stdout);
    for (const k of ['maxConnections', 'reservedConnections', 'usableConnections', 'clientConnections', 'utilization']) assert.equal(typeof j.server[k], 'number', k);
    assert.equal(typeof j.byState, 'object');
    assert.ok(j.byApplication.sqlperf >= 1, 'its own connection shows');
    assert.equal(j.appMaxConnections, 310);
    const f = j.findings.find((x: { id: string }) => x.id === 'pools-exceed-server');
    assert.equal(f.severity, 'critical');
    assert.equal(f.title, `your pools can open 310 connections; the server accepts ${j.server.usableConnections}`);
    const text = run(['pool', '--db', URL!, 'examples/app', '--instances', '2']);
    assert.match(text.stdout, /your pools can open 620 connections/);
  });
});
