/**
 * A schema with awkward names (space, double quote, upper case) and tables big enough for
 * the planner to prefer indexes, plus planted housekeeping problems.
 */
import { Client } from 'pg';
import { noSecrets, PoolRegistry, type QueryTarget } from '../../../src/db';

export const DATABASE_URL = process.env.SQLPERF_TEST_DATABASE_URL;

export interface AdvisorFixture {
  schema: string;
  /** quoted schema name, for SQL text */
  s: string;
  target: QueryTarget;
  client: Client;
  cleanup(): Promise<void>;
}

export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function createAdvisorFixture(): Promise<AdvisorFixture> {
  const schema = `Adv "Q" ${process.pid}_${Math.random().toString(36).slice(2, 6)}`;
  const s = q(schema);
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`CREATE EXTENSION IF NOT EXISTS hypopg`);
  await client.query(`CREATE SCHEMA ${s};
    CREATE TABLE ${s}."Orders" (id bigint PRIMARY KEY, "Customer Id" int NOT NULL, status text NOT NULL, placed_at timestamptz NOT NULL, total int NOT NULL, email text NOT NULL);
    INSERT INTO ${s}."Orders" SELECT g, g % 20000, CASE WHEN g % 100 = 0 THEN 'pending' ELSE 'done' END,
      timestamptz '2024-01-01' + g * interval '1 minute', g % 1000, 'User' || g || '@Example.com' FROM generate_series(1, 200000) g;
    CREATE TABLE ${s}."Line Items" (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES ${s}."Orders"(id), sku text NOT NULL, qty int NOT NULL);
    INSERT INTO ${s}."Line Items" SELECT g, 1 + g % 200000, 'sku' || (g % 5000), g % 7 FROM generate_series(1, 100000) g;
    CREATE INDEX li_sku_dup ON ${s}."Line Items" (sku);
    CREATE INDEX li_sku_idx ON ${s}."Line Items" (sku);
    CREATE INDEX li_qty_unused ON ${s}."Line Items" (qty);`);
  await client.query(`VACUUM ANALYZE ${s}."Orders"`);
  await client.query(`VACUUM ANALYZE ${s}."Line Items"`);
  const registry = new PoolRegistry(noSecrets, { env: { ADV_URL: DATABASE_URL }, max: 2 });
  const target = await registry.target({ name: 'adv', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: 'ADV_URL' });
  return {
    schema,
    s,
    target,
    client,
    async cleanup() {
      await registry.closeAll().catch(() => undefined);
      await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`).catch(() => undefined);
      await client.end();
    },
  };
}
