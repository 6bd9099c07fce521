/**
 * The embedded database (PGlite, PostgreSQL 18) loaded from the fixture schema: DDL
 * problems reported where they are written, sample rows that make the planner behave as
 * on real data, and the same safe-explain flows as on a server. One PGlite per file: its
 * cold start dominates the time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DbError } from '../../../src/db/errors';
import { EmbeddedDatabase } from '../../../src/db/embedded';
import { prepareEmbeddedDatabase, type PrepareReport } from '../../../src/db/embedded-workspace';
import { explainStatement, type ExplainOptions } from '../../../src/db/explain-runner';
import { orderSchemaFiles, type SchemaFile } from '../../../src/db/schema-loader';
import { snapshotSchema } from '../connection/helpers';

const FIXTURES = join(__dirname, 'fixtures', 'schema');

async function failure(p: Promise<unknown>): Promise<DbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof DbError, `expected a DbError, got ${e}`);
    return e;
  }
  assert.fail('expected a failure');
}

function nodeTypes(plan: unknown): string[] {
  const out: string[] = [];
  const walk = (n: Record<string, unknown>) => {
    out.push(`${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`);
    for (const c of (n.Plans as Array<Record<string, unknown>>) ?? []) walk(c);
  };
  walk((plan as Array<{ Plan: Record<string, unknown> }>)[0].Plan);
  return out;
}

describe('embedded database', () => {
  const db = new EmbeddedDatabase();
  const progress: Array<[string, number | undefined]> = [];
  let files: SchemaFile[];
  let report: PrepareReport;
  const explain = (sql: string, o: Partial<ExplainOptions> = {}) => explainStatement(db, sql, { analyze: false, ...o });

  before(async () => {
    // given out of order on purpose: the loader's helper orders them by file name
    files = orderSchemaFiles(
      readdirSync(FIXTURES)
        .reverse()
        .map((f) => ({ path: join(FIXTURES, f), text: readFileSync(join(FIXTURES, f), 'utf8') })),
    );
    report = await prepareEmbeddedDatabase(db, { files, progress: (m, f) => progress.push([m, f]) });
    await db.query(`CREATE FUNCTION remember(what text) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO audit_log (message) VALUES (what); RETURN 1; END $$`);
  });
  after(() => db.close());

  it('is PostgreSQL 18 and reported its progress from 0 to 1', async () => {
    assert.ok((await db.serverVersionNum()) >= 180000);
    const fractions = progress.map(([, f]) => f).filter((f): f is number => f !== undefined);
    assert.equal(fractions[0], 0);
    assert.equal(fractions[fractions.length - 1], 1);
    for (let i = 1; i < fractions.length; i++) assert.ok(fractions[i] >= fractions[i - 1], `progress went back: ${fractions.join(', ')}`);
    assert.ok(progress.some(([m]) => /Starting the embedded PostgreSQL/.test(m)));
    assert.ok(report.startMs > 0 && report.totalMs >= report.startMs);
  });

  it('loads the DDL files in name order and reports the statements that fail, with file and position', () => {
    assert.deepEqual(files.map((f) => f.path.split('/').pop()), ['001_core.sql', '002_orders.sql', '003_problems.sql']);
    const s = report.schema;
    assert.equal(s.files, 3);
    assert.equal(s.skipped, 2, 'BEGIN and COMMIT are not run');
    assert.equal(s.problems.length, 3, JSON.stringify(s.problems, null, 1));
    const problemsFile = files[2];
    for (const p of s.problems) {
      assert.equal(p.file, problemsFile.path);
      assert.ok(p.statementStart < p.statementEnd);
    }
    const [type, owner, syntax] = s.problems;
    assert.ok(problemsFile.text.slice(type.statementStart, type.statementEnd).startsWith('CREATE TABLE broken'));
    assert.match(type.message, /type "txet" does not exist/);
    assert.ok(problemsFile.text.slice(type.position).startsWith('txet'), 'position in UTF-16, after a non-ASCII comment');
    assert.match(owner.message, /role "role_that_does_not_exist" does not exist/);
    assert.match(syntax.message, /syntax error at or near "TABEL"/);
    assert.ok(problemsFile.text.slice(syntax.position).startsWith('TABEL'));
    assert.equal(s.loaded, s.statements - s.skipped - s.problems.length);
  });

  it('the statement after a failing one still loaded', async () => {
    const r = await db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'customers_country_idx'`);
    assert.equal(r.rows[0].n, 1);
  });

  it('fills every table with sample rows, parents first, respecting constraints', async () => {
    const sample = report.sample!;
    assert.deepEqual(sample.skipped, []);
    assert.deepEqual(sample.filled.map((f) => f.table).sort(), ['public.audit_log', 'public.customers', 'public.order_items', 'public.orders', 'public.products']);
    const order = sample.filled.map((f) => f.table);
    assert.ok(order.indexOf('public.customers') < order.indexOf('public.orders'));
    assert.ok(order.indexOf('public.orders') < order.indexOf('public.order_items'));
    assert.ok(order.indexOf('public.products') < order.indexOf('public.order_items'));
    for (const f of sample.filled) assert.equal(f.rows, 10_000);

    const facts = (
      await db.query(`SELECT
        (SELECT count(*) FROM order_items)::int AS items,
        (SELECT count(DISTINCT (order_id, product_id)) FROM order_items)::int AS item_keys,
        (SELECT count(DISTINCT product_id) FROM order_items)::int AS products_used,
        (SELECT count(DISTINCT customer_id) FROM orders)::int AS customers_used,
        (SELECT count(*) FROM customers WHERE tier NOT IN ('free', 'pro', 'enterprise'))::int AS bad_tiers,
        (SELECT count(DISTINCT status) FROM orders)::int AS statuses,
        (SELECT count(*) FROM orders WHERE shipped_at <= placed_at)::int AS bad_dates,
        (SELECT max(placed_at) - min(placed_at) FROM orders) > interval '3 years' AS spread,
        (SELECT max(id) FROM products)::int AS identity_max`)
    ).rows[0];
    assert.equal(facts.items, 10_000);
    assert.equal(facts.item_keys, 10_000, 'composite primary key pairs are unique');
    assert.ok((facts.products_used as number) > 1000, 'second foreign key spread over parents');
    assert.ok((facts.customers_used as number) > 1000);
    assert.equal(facts.bad_tiers, 0);
    assert.equal(facts.statuses, 4, 'enum labels from pg_enum');
    assert.equal(facts.bad_dates, 0);
    assert.equal(facts.spread, true);
    assert.equal(facts.identity_max, 10_000, 'identity column filled by PostgreSQL');
    // a new row takes the next serial value: the sequences were used, not bypassed
    const next = await db.query(`INSERT INTO audit_log (message) VALUES ('x') RETURNING id`);
    assert.equal(next.rows[0].id, 10_001);
    await db.query(`DELETE FROM audit_log WHERE id = 10001`);
  });

  it('with statistics, a selective predicate on an indexed column uses the index', async () => {
    const selective = await explain('SELECT * FROM orders WHERE customer_id = 42');
    assert.ok(nodeTypes(selective.planJson).some((n) => /Index Scan orders_customer_id_idx|Bitmap Index Scan orders_customer_id_idx/.test(n)), nodeTypes(selective.planJson).join(', '));
    const broad = await explain('SELECT * FROM orders WHERE total > 0');
    assert.deepEqual(nodeTypes(broad.planJson), ['Seq Scan']);
  });

  it('parameters: generic plans with EXPLAIN (GENERIC_PLAN) on 18, bound values otherwise', async () => {
    for (const sql of ['SELECT * FROM customers WHERE email = $1', 'SELECT * FROM customers WHERE email = :email', 'SELECT * FROM customers WHERE email = ?']) {
      const generic = await explain(sql);
      assert.equal(generic.usedGenericPlan, true);
      assert.match(JSON.stringify(generic.planJson), /\$1/);
      const bound = await explain(sql, { params: ['user7@example.com'], analyze: true });
      assert.equal(bound.usedGenericPlan, false);
      assert.equal((bound.planJson[0].Plan as Record<string, unknown>)['Actual Rows'], 1);
    }
  });

  it('ANALYZE of writes is refused without confirmation, and rolled back with it', async () => {
    const before = await snapshotSchema(db, 'public');
    const e = await failure(explain('DELETE FROM order_items', { analyze: true }));
    assert.equal(e.kind, 'permission');
    await explain('DELETE FROM order_items WHERE quantity > 1', { analyze: true, allowWrite: true });
    await explain(`UPDATE customers SET tier = 'free'`, { analyze: true, allowWrite: true });
    await explain(`INSERT INTO audit_log (message) SELECT 'm' || g FROM generate_series(1, 10) g RETURNING id`, { analyze: true, allowWrite: true });
    const after = await snapshotSchema(db, 'public');
    assert.deepEqual(after.tables, before.tables);
  });

  it('a SELECT calling a writing function is stopped by READ ONLY here too', async () => {
    const e = await failure(explain(`SELECT remember('x')`, { analyze: true }));
    assert.equal(e.code, '25006');
    assert.match(e.message, /READ ONLY/);
  });

  it('refuses more than one statement', async () => {
    const e = await failure(explain('SELECT 1; SELECT 2; SELECT 3'));
    assert.match(e.message, /Found 3 statements/);
  });

  it('serializes concurrent explains on its single session', async () => {
    const before = await snapshotSchema(db, 'public');
    const runs = await Promise.all([
      explain('SELECT count(*) FROM orders', { analyze: true }),
      explain(`UPDATE orders SET total = 1`, { analyze: true, allowWrite: true }),
      explain('SELECT * FROM customers WHERE id = :id', { params: { id: 5 }, analyze: true }),
      explain(`DELETE FROM audit_log`, { analyze: true, allowWrite: true }),
      db.query('SELECT count(*)::int AS n FROM orders'),
    ]);
    assert.equal(runs.length, 5);
    assert.deepEqual((await snapshotSchema(db, 'public')).tables, before.tables);
  });
});
