/**
 * `sqlperf profile` from the bundled CLI against a real server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { requirePrerequisite } from '../support/prerequisites';
import { DATABASE_URL } from '../db/slow/fixture';
import { cliBuilt, run } from './helpers';

const skip = requirePrerequisite(cliBuilt(), 'dist/cli.js (run node esbuild.mjs)') || requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set');

describe('sqlperf profile', { skip }, () => {
  const schema = `sqlperf_profile_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const t = `"${schema}".t`;
  let c: Client;
  before(async () => {
    c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(`CREATE SCHEMA "${schema}"; CREATE TABLE ${t} AS SELECT g AS id, g % 7 AS k FROM generate_series(1, 5000) g`);
  });
  after(async () => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });

  it('--format json: min <= median <= p95 <= max over N runs', () => {
    const r = run(['profile', '--db', DATABASE_URL!, '--sql', `SELECT * FROM ${t} WHERE k = 3`, '--runs', '6', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.runs, 6);
    assert.equal(j.timesMs.length, 6);
    assert.ok(j.minMs <= j.medianMs && j.medianMs <= j.p95Ms && j.p95Ms <= j.maxMs, r.stdout);
    assert.equal(j.rows, 714);
    assert.equal(typeof j.sharedHitBlocks, 'number');
  });

  it('text output and parameters', () => {
    const r = run(['profile', '--db', DATABASE_URL!, '--sql', `SELECT count(*) FROM ${t} WHERE k = $1`, '--param', '2', '--runs', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^runs\s+3/m);
    assert.match(r.stdout, /^p95\s+[\d.]+ ms/m);
  });

  it('an UPDATE needs --allow-write, and leaves the table unchanged', async () => {
    const sum = async () => (await c.query(`SELECT sum(k)::int AS s FROM ${t}`)).rows[0].s;
    const before = await sum();
    const refused = run(['profile', '--db', DATABASE_URL!, '--sql', `UPDATE ${t} SET k = k + 1`]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /needs confirmation/);
    const r = run(['profile', '--db', DATABASE_URL!, '--sql', `UPDATE ${t} SET k = k + 1`, '--allow-write', '--runs', '3']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rolled back/);
    assert.equal(await sum(), before);
  });

  it('needs --sql', () => {
    const r = run(['profile', '--db', DATABASE_URL!]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--sql/);
  });
});
