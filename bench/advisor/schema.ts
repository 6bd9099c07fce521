/**
 * The advisor benchmark's data: an app-like schema (accounts, users, products, orders,
 * order_items, events) with skewed foreign keys, a skewed status column, append-only
 * timestamps and text, generated on the server with INSERT ... SELECT generate_series.
 *
 * Deterministic: every "random" value is a hash of the row number, a column number and the
 * seed (hashint8), so the same seed gives the same rows whatever order the server writes
 * them in. The database is reused when its bench_meta row says same seed and version.
 */
import { Client } from 'pg';

/** bump when the schema or the generator changes: a stale database is rebuilt */
export const DATA_VERSION = 3;
export const DEFAULT_SEED = 42;

export const ROWS = {
  accounts: 20_000,
  users: 200_000,
  products: 50_000,
  orders: 1_000_000,
  order_items: 2_000_000,
  events: 1_500_000,
} as const;

export const totalRows = () => Object.values(ROWS).reduce((a, b) => a + b, 0);

/** uniform [0, 1) from (row, column, seed); inlined by the planner, so it is cheap */
function hashFunction(seed: number): string {
  return `CREATE FUNCTION bench_u(g bigint, k int) RETURNS float8 IMMUTABLE PARALLEL SAFE LANGUAGE sql
    AS $$ SELECT (hashint8(g * 1000003 + k * 7919 + ${Math.trunc(seed)})::float8 + 2147483648) / 4294967296 $$`;
}

/** Zipf-like: low ids are much more frequent (u^3 piles up near 0). */
const skewed = (n: number, k: number) => `(1 + floor(${n} * bench_u(g, ${k}) ^ 3))::bigint`;
const uniform = (n: number, k: number) => `(1 + floor(${n} * bench_u(g, ${k})))::bigint`;

export function schemaSql(seed: number): string[] {
  const W = `(ARRAY['amber','birch','cedar','delta','ember','fjord','grove','harbor','iris','juniper','kestrel','lumen','maple','nova','orchid','pine'])`;
  const word = (k: number) => `${W}[1 + floor(16 * bench_u(g, ${k}))::int]`;
  return [
    hashFunction(seed),
    `CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, plan text NOT NULL, created_at timestamptz NOT NULL)`,
    `INSERT INTO accounts SELECT g, initcap(${word(1)}) || ' ' || initcap(${word(2)}) || ' ' || g,
       CASE WHEN bench_u(g, 3) < 0.7 THEN 'free' WHEN bench_u(g, 3) < 0.95 THEN 'team' ELSE 'enterprise' END,
       timestamptz '2019-01-01' + g * interval '1 hour'
     FROM generate_series(1, ${ROWS.accounts}) g`,
    `CREATE TABLE users (id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts(id), email text NOT NULL,
       name text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL, last_login_at timestamptz)`,
    `INSERT INTO users SELECT g, ${skewed(ROWS.accounts, 1)},
       ${word(2)} || '.' || ${word(3)} || g || '@' || (ARRAY['Example.com','mail.test','corp.test'])[1 + floor(3 * bench_u(g, 4))::int],
       initcap(${word(5)}) || ' ' || initcap(${word(6)}),
       CASE WHEN bench_u(g, 7) < 0.9 THEN 'active' WHEN bench_u(g, 7) < 0.98 THEN 'invited' ELSE 'disabled' END,
       timestamptz '2020-01-01' + g * interval '6 minutes',
       CASE WHEN bench_u(g, 8) < 0.1 THEN NULL ELSE timestamptz '2024-01-01' + bench_u(g, 9) * interval '300 days' END
     FROM generate_series(1, ${ROWS.users}) g`,
    `CREATE TABLE products (id bigint PRIMARY KEY, sku text NOT NULL, name text NOT NULL, description text NOT NULL,
       category_id int NOT NULL, price numeric(10,2) NOT NULL, active boolean NOT NULL)`,
    `INSERT INTO products SELECT g, 'SKU-' || lpad(g::text, 7, '0'), initcap(${word(1)}) || ' ' || ${word(2)} || ' ' || g,
       'A ' || ${word(3)} || ' ' || ${word(4)} || ' made of ' || ${word(5)} || ', size ' || (g % 13),
       (1 + floor(200 * bench_u(g, 6) ^ 2))::int, round((1 + 500 * bench_u(g, 7))::numeric, 2), bench_u(g, 8) < 0.95
     FROM generate_series(1, ${ROWS.products}) g`,
    `CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), account_id bigint NOT NULL REFERENCES accounts(id),
       status text NOT NULL, total numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, shipped_at timestamptz, coupon_code text)`,
    `INSERT INTO orders SELECT g, ${skewed(ROWS.users, 1)}, ${skewed(ROWS.accounts, 2)},
       CASE WHEN bench_u(g, 3) < 0.005 THEN 'pending' WHEN bench_u(g, 3) < 0.6 THEN 'paid' WHEN bench_u(g, 3) < 0.9 THEN 'shipped' ELSE 'cancelled' END,
       round((5 + 995 * bench_u(g, 4) ^ 2)::numeric, 2),
       timestamptz '2022-01-01' + g * interval '90 seconds' + bench_u(g, 5) * interval '1 hour',
       CASE WHEN bench_u(g, 3) >= 0.6 AND bench_u(g, 3) < 0.9 THEN timestamptz '2022-01-02' + g * interval '90 seconds' END,
       CASE WHEN bench_u(g, 6) < 0.03 THEN 'C' || floor(1000 * bench_u(g, 7))::int END
     FROM generate_series(1, ${ROWS.orders}) g`,
    `CREATE TABLE order_items (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders(id), product_id bigint NOT NULL REFERENCES products(id),
       quantity int NOT NULL, unit_price numeric(10,2) NOT NULL)`,
    `INSERT INTO order_items SELECT g, ${uniform(ROWS.orders, 1)}, ${skewed(ROWS.products, 2)}, 1 + floor(5 * bench_u(g, 3))::int,
       round((1 + 500 * bench_u(g, 4))::numeric, 2)
     FROM generate_series(1, ${ROWS.order_items}) g`,
    `CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users(id), kind text NOT NULL,
       created_at timestamptz NOT NULL, payload text)`,
    // append-only: created_at grows with id (correlation ~1), which is what BRIN is for
    `INSERT INTO events SELECT g, ${skewed(ROWS.users, 1)},
       CASE WHEN bench_u(g, 2) < 0.5 THEN 'page_view' WHEN bench_u(g, 2) < 0.75 THEN 'click' WHEN bench_u(g, 2) < 0.9 THEN 'search'
            WHEN bench_u(g, 2) < 0.97 THEN 'login' WHEN bench_u(g, 2) < 0.995 THEN 'purchase' ELSE 'login_failed' END,
       timestamptz '2024-01-01' + g * interval '10 seconds',
       '{"path":"/' || ${word(3)} || '/' || ${word(4)} || '","ms":' || floor(900 * bench_u(g, 5))::int || '}'
     FROM generate_series(1, ${ROWS.events}) g`,
  ];
}

export interface LoadResult {
  reused: boolean;
  ms: number;
}

async function metaMatches(url: string, seed: number): Promise<boolean> {
  const c = new Client({ connectionString: url });
  try {
    await c.connect();
    const r = await c.query('SELECT seed, version FROM bench_meta');
    return r.rows.length === 1 && Number(r.rows[0].seed) === seed && Number(r.rows[0].version) === DATA_VERSION;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Creates (or reuses) the benchmark database; `adminUrl` must be allowed to CREATE DATABASE. */
export async function ensureBenchDatabase(adminUrl: string, dbUrl: string, dbName: string, seed: number, log: (s: string) => void): Promise<LoadResult> {
  const started = Date.now();
  if (await metaMatches(dbUrl, seed)) return { reused: true, ms: Date.now() - started };
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const ident = `"${dbName.replace(/"/g, '""')}"`;
    await admin.query(`DROP DATABASE IF EXISTS ${ident}`);
    await admin.query(`CREATE DATABASE ${ident}`);
  } finally {
    await admin.end();
  }
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query('SET synchronous_commit = off');
    await c.query("SET maintenance_work_mem = '256MB'");
    await c.query('CREATE EXTENSION IF NOT EXISTS hypopg');
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_trgm').catch(() => undefined);
    for (const sql of schemaSql(seed)) {
      const m = /^(?:CREATE TABLE|INSERT INTO) (\w+)/.exec(sql.trim());
      if (m && sql.trim().startsWith('INSERT')) log(`loading ${m[1]} ...`);
      await c.query(sql);
    }
    log('VACUUM ANALYZE ...');
    await c.query('VACUUM ANALYZE');
    await c.query('CREATE TABLE bench_meta (seed int NOT NULL, version int NOT NULL)');
    await c.query('INSERT INTO bench_meta VALUES ($1, $2)', [seed, DATA_VERSION]);
  } finally {
    await c.end();
  }
  return { reused: false, ms: Date.now() - started };
}
