/**
 * `sqlperf slow` from the bundled CLI against a real server: JSON attributes the workload
 * to file:line in SQL, TypeScript, Python and Go; the explanation when pg_stat_statements is
 * missing; usage errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { requirePrerequisite } from '../support/prerequisites';
import { createFixture, DATABASE_URL, runWorkload, type SlowFixture } from '../db/slow/fixture';
import { cliBuilt, run } from './helpers';

const skipCli = requirePrerequisite(cliBuilt(), 'dist/cli.js (run node esbuild.mjs)');

describe('sqlperf slow: usage', { skip: skipCli }, () => {
  it('needs a server', () => {
    const r = run(['slow']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--db <url> or --connection <name>/);
  });
  it('rejects an unknown order', () => {
    const r = run(['slow', '--db', 'postgresql://x@localhost/db', '--order', 'fastest']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown order "fastest"/);
  });
  it('prints its help', () => {
    const r = run(['slow', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /sqlperf slow/);
  });
});

const skipDb = skipCli || requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set');

describe('sqlperf slow on a real server', { skip: skipDb }, () => {
  let f: SlowFixture;
  before(async () => {
    f = await createFixture();
    await runWorkload(f);
  });
  after(async () => f?.cleanup());

  it('--format json lists calls with their file:line', () => {
    const r = run(['slow', '--db', DATABASE_URL!, '.', '--order', 'calls', '--limit', '1000', '--format', 'json'], f.dir);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as Array<{ query: string; calls: number; totalTimeMs: number; meanTimeMs: number; rows: number; locations: string[] }>;
    const mine = list.filter((e) => e.query.includes(f.table));
    const at = (calls: number) => mine.find((e) => e.calls === calls)!.locations;
    assert.deepEqual(at(6), [`${f.lines.sql[0]}:${f.lines.sql[1]}`]);
    assert.deepEqual(at(5), [`${f.lines.ts[0]}:${f.lines.ts[1]}`]);
    assert.deepEqual(at(4), [`${f.lines.py[0]}:${f.lines.py[1]}`]);
    assert.deepEqual(at(3), [`${f.lines.go[0]}:${f.lines.go[1]}`]);
    assert.deepEqual(at(2), []);
    for (const e of mine) for (const k of ['calls', 'totalTimeMs', 'meanTimeMs', 'rows'] as const) assert.equal(typeof e[k], 'number');
  });

  it('text output says "not found in the workspace"', () => {
    const r = run(['slow', '--db', DATABASE_URL!, '--order', 'calls', '--limit', '1000'], f.dir);
    assert.equal(r.code, 0, r.stderr);
    const block = r.stdout.split(/\n(?=\d+\. )/).find((b) => b.includes(`max(price) FROM ${f.table}`));
    assert.ok(block, r.stdout.slice(0, 2000));
    assert.match(block, /not found in the workspace/);
    const ts = r.stdout.split(/\n(?=\d+\. )/).find((b) => b.includes(`price > $1 ORDER BY price`) && b.includes(f.table))!;
    assert.match(ts, /at app\/items\.ts:4:/);
  });

  it('explains the steps when the extension is not created, exit 1, no stack trace', async () => {
    const name = `sqlperf_slow_noext_cli_${process.pid}`;
    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(DATABASE_URL!);
      url.pathname = `/${name}`;
      const r = run(['slow', '--db', url.toString()], f.dir);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /pg_stat_statements is not installed/);
      assert.match(r.stderr, /CREATE EXTENSION IF NOT EXISTS pg_stat_statements/);
      assert.match(r.stderr, /GRANT pg_read_all_stats/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => undefined);
      await admin.end();
    }
  });
});
