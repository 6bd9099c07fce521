/**
 * The advisor on the embedded database (PGlite): BEGIN; CREATE INDEX; EXPLAIN; ROLLBACK.
 * A small schema with awkward names, sample rows, suggestions verified, nothing left.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { advise, buildWorkload, type AdviceReport } from '../../../src/advisor';
import { EmbeddedDatabase, prepareEmbeddedDatabase } from '../../../src/db';

const SCHEMA = `CREATE SCHEMA "Shop ""X""";
CREATE TABLE "Shop ""X"""."Orders" (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "Customer Id" int NOT NULL, status text NOT NULL, placed_at timestamptz NOT NULL, email text NOT NULL);
CREATE TABLE "Shop ""X"""."Notes" (id bigint PRIMARY KEY, body text NOT NULL);
CREATE INDEX notes_body ON "Shop ""X"""."Notes" (body);`;

describe('index advisor on the embedded database', () => {
  const db = new EmbeddedDatabase();
  let report: AdviceReport;
  before(async () => {
    await loadParser();
    await prepareEmbeddedDatabase(db, { files: [{ path: 'schema.sql', text: SCHEMA }], sampleRows: 20_000 });
    const qs = buildWorkload(
      [
        `SELECT id, placed_at FROM "Shop ""X"""."Orders" WHERE "Customer Id" = $1 AND placed_at > $2`,
        `SELECT id FROM "Shop ""X"""."Orders" WHERE lower(email) = $1`,
        `SELECT * FROM "Shop ""X"""."Notes" WHERE body = $1`,
      ].map((text, i) => ({ text, location: { file: 'q.sql', line: i + 1, column: 1 } })),
    );
    report = await advise(db, qs);
  });
  after(() => db.close());

  it('suggests verified indexes with real sizes', () => {
    assert.ok(report.suggestions.length >= 1, report.notes.join('\n'));
    for (const s of report.suggestions) {
      assert.equal(s.verifiedBy, 'embedded');
      assert.match(s.definition, /^CREATE INDEX CONCURRENTLY "[^"]+" ON "Shop ""X"""\."Orders"/);
      assert.ok((s.estimatedSizeBytes ?? 0) >= 8192);
      assert.ok(s.queries.every((q) => q.costAfter <= q.costBefore * 0.7));
    }
    assert.ok(report.suggestions.some((s) => s.candidate.keys[0].column === 'Customer Id'));
    assert.deepEqual(report.housekeeping, [], 'housekeeping needs a live server');
  });

  it('an existing index suppresses its suggestion', () => {
    assert.ok(!report.suggestions.some((s) => s.candidate.table === 'Notes'));
    assert.ok(report.notes.some((n) => /notes_body covers it/.test(n)));
  });

  it('leaves no index and no open transaction behind', async () => {
    const left = await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname LIKE 'sqlperf_whatif%'`);
    assert.equal(left.rows[0].n, 0);
    const tx = await db.query('SELECT now() = statement_timestamp() AS fresh');
    assert.equal(tx.rows[0].fresh, true, 'no transaction left open');
  });
});
