/**
 * `sqlperf advise` (the built dist/cli.js): JSON shape of the issue on a server with
 * HypoPG and on the embedded database, text output, usage errors.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { requirePrerequisite } from '../support/prerequisites';
import { createAdvisorFixture, DATABASE_URL, type AdvisorFixture } from '../db/advisor/fixture';
import { cliBuilt, TempWorkspace } from './helpers';

const skipCli = requirePrerequisite(cliBuilt(), 'dist/cli.js is not built (node esbuild.mjs)');

interface Json {
  suggestions: Array<{ table: string; definition: string; columns: string[]; kind: string; estimatedSizeBytes: number | null; queries: Array<{ location: string; costBefore: number; costAfter: number }> }>;
  housekeeping: Array<{ kind: string; table: string; index: string | null; detail: string }>;
}

describe('sqlperf advise', { skip: skipCli }, () => {
  it('usage errors exit 2', () => {
    const ws = new TempWorkspace();
    try {
      const r = ws.run(['advise', '--db', 'postgresql://x/y', '--embedded']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /use one of --db, --connection, --embedded/);
      assert.equal(ws.run(['advise', '--help']).code, 0);
    } finally {
      ws.cleanup();
    }
  });

  it('embedded: schema + queries in the workspace -> a verified suggestion', () => {
    const ws = new TempWorkspace();
    try {
      ws.write('schema.sql', 'CREATE TABLE events (id bigint PRIMARY KEY, "User Id" int NOT NULL, kind text NOT NULL, at timestamptz NOT NULL);\n');
      ws.write('app/events.ts', `export const f = (db: any, u: number) => db.query('SELECT id, at FROM events WHERE "User Id" = $1 ORDER BY at DESC LIMIT 20', [u]);\n`);
      const r = ws.run(['advise', '--embedded', '--format', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as Json;
      assert.equal(j.suggestions.length, 1, r.stdout);
      assert.match(j.suggestions[0].definition, /^CREATE INDEX CONCURRENTLY "events_User Id[^"]*_idx" ON "public"\."events" \("User Id"(, "at" DESC)?\)( INCLUDE \([^)]*\))?;$/);
      assert.equal(j.suggestions[0].columns[0], 'User Id');
      assert.equal(j.suggestions[0].queries[0].location, 'app/events.ts:1');
      assert.deepEqual(j.housekeeping, []);
    } finally {
      ws.cleanup();
    }
  });

  describe('on a server with HypoPG', { skip: requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set') }, () => {
    let f: AdvisorFixture;
    let ws: TempWorkspace;
    before(async () => {
      f = await createAdvisorFixture();
      ws = new TempWorkspace();
      ws.write('queries/orders.sql', `-- by customer\nSELECT id, total FROM ${f.s}."Orders" WHERE "Customer Id" = $1 AND placed_at >= $2;\n`);
    });
    after(async () => {
      ws?.cleanup();
      await f?.cleanup();
    });

    it('prints the JSON shape with a CREATE INDEX CONCURRENTLY definition and housekeeping', () => {
      const r = ws.run(['advise', '--db', DATABASE_URL!, '--format', 'json', '.']);
      assert.equal(r.code, 0, r.stderr);
      const j = JSON.parse(r.stdout) as Json;
      assert.deepEqual(Object.keys(j), ['suggestions', 'housekeeping']);
      const s = j.suggestions.find((x) => x.table.endsWith('Orders'));
      assert.ok(s, r.stdout);
      assert.match(s.definition, /^CREATE INDEX CONCURRENTLY "Orders_Customer Id_placed_at_idx" ON "Adv ""Q"" [^"]+"\."Orders" \("Customer Id", "placed_at"\)( INCLUDE \("id", "total"\))?;$/);
      assert.match(s.kind, /^(btree|covering)$/);
      assert.ok(s.estimatedSizeBytes! > 0);
      assert.equal(s.queries[0].location, 'queries/orders.sql:2');
      assert.ok(s.queries[0].costAfter < s.queries[0].costBefore * 0.7);
      assert.ok(j.housekeeping.some((h) => h.kind === 'fk-without-index' && h.table.endsWith('Line Items')));
    });

    it('text output', () => {
      const r = ws.run(['advise', '--db', DATABASE_URL!]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1\. CREATE INDEX CONCURRENTLY/);
      assert.match(r.stdout, /queries\/orders\.sql:2 {2}cost [\d.]+ -> [\d.]+ \(-\d+%\)/);
      assert.match(r.stdout, /Housekeeping:/);
    });
  });
});
