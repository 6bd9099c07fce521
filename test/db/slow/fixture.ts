/**
 * A tiny workspace (TS, Python, Go, .sql) whose statements use a table with a unique
 * name, a private schema holding it, and a workload that runs those statements with
 * different literal values each time. pg_stat_statements is server-wide and shared with
 * other test files, so results are filtered by the table name, and never reset here.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

export const DATABASE_URL = process.env.SQLPERF_TEST_DATABASE_URL;

export interface SlowFixture {
  /** the database the fixture lives in */
  url: string;
  dir: string;
  schema: string;
  table: string;
  /** statement id -> [relative file, 1-based line] */
  lines: Record<'sql' | 'ts' | 'py' | 'go', [string, number]>;
  cleanup(): Promise<void>;
}

export async function createFixture(url: string = DATABASE_URL!): Promise<SlowFixture> {
  const tag = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const schema = `sqlperf_slow_${tag}`;
  const table = `slw_${tag}`;
  const dir = mkdtempSync(join(tmpdir(), 'sqlperf-slow-'));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  write('queries/items.sql', `-- item lookups\n\nSELECT id, name FROM ${table} WHERE id = 1;\n\nSELECT sum(price) FROM ${table} WHERE name LIKE 'a%';\n`);
  write('app/items.ts', `import { pool } from './db';\n\nexport async function expensive(min: number) {\n  return pool.query('SELECT name, price FROM ${table} WHERE price > $1 ORDER BY price', [min]);\n}\n`);
  write('app/report.py', `def by_name(cursor, name):\n    cursor.execute(\n        "SELECT id FROM ${table} WHERE name = %s", (name,)\n    )\n    return cursor.fetchall()\n`);
  write('app/main.go', `package main\n\nimport "database/sql"\n\nfunc cheap(db *sql.DB, limit int) {\n\trows, _ := db.Query("SELECT count(*) FROM ${table} WHERE price < $1", limit)\n\t_ = rows\n}\n`);
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    await c.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}"."${table}" (id int PRIMARY KEY, name text NOT NULL, price numeric NOT NULL);
      INSERT INTO "${schema}"."${table}" SELECT g, 'n' || g, g % 100 FROM generate_series(1, 2000) g;`);
  } finally {
    await c.end();
  }
  return {
    url,
    dir,
    schema,
    table,
    lines: { sql: ['queries/items.sql', 3], ts: ['app/items.ts', 4], py: ['app/report.py', 3], go: ['app/main.go', 6] },
    async cleanup() {
      rmSync(dir, { recursive: true, force: true });
      const d = new Client({ connectionString: url });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => d.end());
    },
  };
}

/** Runs the workspace's statements (different literals each time) plus one that is not in the workspace. */
export async function runWorkload(f: SlowFixture): Promise<void> {
  const c = new Client({ connectionString: f.url, application_name: 'slow-workload' });
  await c.connect();
  try {
    await c.query(`SET search_path = "${f.schema}"`);
    const t = f.table;
    for (let i = 1; i <= 6; i++) await c.query(`SELECT id, name FROM ${t} WHERE id = ${i}`); // .sql, literal
    for (let i = 1; i <= 5; i++) await c.query(`SELECT name, price FROM ${t} WHERE price > $1 ORDER BY price`, [90 + i]); // ts
    for (let i = 1; i <= 4; i++) await c.query(`SELECT id FROM ${t} WHERE name = $1`, [`n${i}`]); // py
    for (let i = 1; i <= 3; i++) await c.query(`SELECT count(*) FROM ${t} WHERE price < ${i * 10}`); // go, literal
    for (let i = 1; i <= 2; i++) await c.query(`SELECT max(price) FROM ${t} WHERE id > ${i}`); // not in the workspace
  } finally {
    await c.end();
  }
}
