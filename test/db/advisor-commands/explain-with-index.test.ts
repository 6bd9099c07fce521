/**
 * "Explain with this index": the plan without and with one suggested index, on the real
 * server (HypoPG) and on the embedded database (CREATE INDEX, rolled back). The plan with
 * the index uses it and costs less; nothing is left behind (no hypothetical index, no
 * index, no open transaction, no prepared statement).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { buildWorkload, generateCandidates, type Candidate, type WorkloadQuery } from '../../../src/advisor';
import { tableResolver } from '../../../src/advisor/advise';
import { loadTables } from '../../../src/advisor/catalog';
import { explainWithIndex, type PlanJson } from '../../../src/advisor-commands/explain-with-index';
import { EmbeddedDatabase, noSecrets, PoolRegistry, prepareEmbeddedDatabase, type QueryTarget } from '../../../src/db';
import { requirePrerequisite } from '../../support/prerequisites';

const DATABASE_URL = process.env.SQLPERF_TEST_DATABASE_URL;
const SCHEMA = `explainix "Q" ${process.pid}`;
const S = `"${SCHEMA.replace(/"/g, '""')}"`;

const rootCost = (p: PlanJson) => (p[0].Plan as Record<string, unknown>)['Total Cost'] as number;
const planText = (p: PlanJson) => JSON.stringify(p);

async function candidateFor(target: QueryTarget, sql: string): Promise<{ q: WorkloadQuery; c: Candidate }> {
  const [q] = buildWorkload([{ text: sql, location: { file: 'q.sql', line: 1, column: 1 } }]);
  const c = await target.withSession(async (s) => {
    const { candidates } = generateCandidates([q], tableResolver(await loadTables(s, [q])));
    return candidates.find((x) => x.kind === 'btree');
  });
  assert.ok(c, 'a btree candidate');
  return { q, c };
}

describe('explain with this index on a server (HypoPG)', { skip: requirePrerequisite(!!DATABASE_URL, 'SQLPERF_TEST_DATABASE_URL is not set') }, () => {
  let client: Client;
  let registry: PoolRegistry;
  let target: QueryTarget;
  before(async () => {
    await loadParser();
    client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS hypopg');
    await client.query(`DROP SCHEMA IF EXISTS ${S} CASCADE; CREATE SCHEMA ${S};
      CREATE TABLE ${S}."Orders" (id bigint PRIMARY KEY, "Customer Id" int NOT NULL, total int NOT NULL);
      INSERT INTO ${S}."Orders" SELECT g, g % 5000, g % 100 FROM generate_series(1, 100000) g;
      ANALYZE ${S}."Orders";`);
    registry = new PoolRegistry(noSecrets, { env: { EXPLAINIX_URL: DATABASE_URL }, max: 2 });
    target = await registry.target({ name: 'explainix', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'EXPLAINIX_URL' });
  });
  after(async () => {
    await registry?.closeAll();
    await client?.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`);
    await client?.end();
  });

  it('plans the query without and with the hypothetical index (generic plan for $1), and leaves nothing behind', async () => {
    const { q, c } = await candidateFor(target, `SELECT id, total FROM ${S}."Orders" WHERE "Customer Id" = $1`);
    const r = await explainWithIndex(target, q, c);
    assert.equal(r.mode, 'hypopg');
    assert.equal(r.usedGenericPlan, true);
    assert.doesNotMatch(planText(r.before), /Index Scan|Bitmap/);
    assert.match(planText(r.after), /hypopg|<\d+>btree/i, 'the plan uses the hypothetical index');
    assert.ok(rootCost(r.after) < rootCost(r.before) * 0.5, `${rootCost(r.before)} -> ${rootCost(r.after)}`);
    // the same session went back to the pool: it holds no hypothetical index, no transaction, no prepared statement
    const left = await target.withSession(async (s) => ({
      hypo: (await s.query('SELECT count(*)::int AS n FROM hypopg()')).rows[0].n,
      prepared: (await s.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).rows[0].n,
      fresh: (await s.query('SELECT now() = statement_timestamp() AS fresh')).rows[0].fresh,
    }));
    assert.deepEqual(left, { hypo: 0, prepared: 0, fresh: true });
  });
});

describe('explain with this index on the embedded database', () => {
  const db = new EmbeddedDatabase();
  before(async () => {
    await loadParser();
    await prepareEmbeddedDatabase(db, { files: [{ path: 'schema.sql', text: `CREATE TABLE "Line Items" (id bigint PRIMARY KEY, sku text NOT NULL, qty int NOT NULL);` }], sampleRows: 20_000 });
  });
  after(() => db.close());

  it('creates the index in a transaction, plans with it, and rolls back', async () => {
    const { q, c } = await candidateFor(db, `SELECT id, qty FROM "Line Items" WHERE sku = $1`);
    const r = await explainWithIndex(db, q, c);
    assert.equal(r.mode, 'embedded');
    assert.match(planText(r.after), /sqlperf_explain_with_index/);
    assert.ok(rootCost(r.after) < rootCost(r.before), `${rootCost(r.before)} -> ${rootCost(r.after)}`);
    const left = await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'sqlperf_explain_with_index'`);
    assert.equal(left.rows[0].n, 0);
    const prepared = await db.query('SELECT count(*)::int AS n FROM pg_prepared_statements');
    assert.equal(prepared.rows[0].n, 0);
  });
});
