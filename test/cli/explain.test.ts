/**
 * `sqlperf explain` end to end, through the bundled dist/cli.js (run `node esbuild.mjs`
 * first): a server (SQLPERF_TEST_DATABASE_URL), the embedded database on examples/, plan
 * files, and every refusal with its exit code and message.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parsePlan, toJson } from '../../src/explain';
import { writeConfirmationText } from '../../src/db/analyze-policy';
import { DATABASE_URL, holdServerShared, q, skipWithoutServer, uniqueSchema } from '../db/connection/helpers';
import { cliBuilt, REPO, run, TempWorkspace, type RunResult } from './helpers';

const EXAMPLES = join(REPO, 'examples');

const TOP_KEYS = ['planningTimeMs', 'executionTimeMs', 'totalCost', 'nodes', 'tips'];
const NODE_KEYS = [
  'id', 'parentId', 'nodeType', 'relation', 'index', 'inclusiveTimeMs', 'exclusiveTimeMs', 'percentOfTotal',
  'rowsEstimated', 'rowsActual', 'loops', 'misestimateFactor', 'rowsRemovedByFilter', 'buffers',
];
const TIME_FIELDS = ['inclusiveTimeMs', 'exclusiveTimeMs', 'percentOfTotal'] as const;

interface JsonPlan {
  planningTimeMs: number | null;
  executionTimeMs: number | null;
  totalCost: number | null;
  nodes: Array<Record<string, unknown>>;
  tips: Array<Record<string, unknown>>;
}

function json(r: RunResult): JsonPlan {
  assert.equal(r.code, 0, `exit ${r.code}\nstderr: ${r.stderr}`);
  try {
    return JSON.parse(r.stdout) as JsonPlan;
  } catch (e) {
    throw new Error(`stdout is not JSON (${(e as Error).message}): ${r.stdout.slice(0, 500)}`);
  }
}

/** A failure a person can read: a message, no stack trace, nothing on stdout. */
function assertCleanFailure(r: RunResult, code: number, message: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /^\s+at .+\(.*\)$/m, 'no stack trace');
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal(r.stdout, '');
}

function assertShape(plan: JsonPlan): void {
  assert.deepEqual(Object.keys(plan), TOP_KEYS);
  assert.ok(plan.nodes.length > 0);
  for (const n of plan.nodes) assert.deepEqual(Object.keys(n), NODE_KEYS);
  assert.equal(plan.nodes[0].parentId, null);
  assert.equal(typeof plan.totalCost, 'number');
}

before(() => {
  assert.ok(cliBuilt(), 'dist/cli.js is missing: run `node esbuild.mjs` first');
});

describe('sqlperf explain: usage', () => {
  it('--help prints the explain usage', () => {
    const r = run(['explain', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: sqlperf explain/);
    assert.match(r.stdout, /--allow-write/);
    assert.match(run(['--help']).stdout, /explain \[options\]/);
  });

  it('usage errors exit 2 with the message and the explain usage on stderr', () => {
    const cases: Array<[string[], RegExp]> = [
      [['explain'], /give the statement with --sql/],
      [['explain', '--db', 'mysql://x', '--sql', 'SELECT 1'], /--db: expected a URL starting with postgresql:\/\//],
      [['explain', '--file', 'no/such.sql'], /no such file: no\/such\.sql/],
      [['explain', '--plan-file', 'no/such.json'], /no such file: no\/such\.json/],
      [['explain', '--file', 'examples/queries/search.sql', '--line', '500'], /has \d+ lines; --line 500 is past its end/],
      [['explain', '--file', 'examples/app/orders.ts', '--line', '1'], /no embedded SQL statement at examples\/app\/orders\.ts:1/],
      [['explain', '--connection', 'nope', '--sql', 'SELECT 1'], /--connection/],
    ];
    for (const [args, message] of cases) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '');
    }
    assert.match(run(['explain', '--sql', 'x', '--format', 'xml']).stderr, /Usage: sqlperf explain/);
  });

  it('refuses several statements before starting any database (exit 1)', () => {
    const r = run(['explain', '--sql', 'SELECT 1; SELECT 2']);
    assertCleanFailure(r, 1, /--sql holds 2 statements; EXPLAIN takes exactly one/);
    assert.doesNotMatch(r.stderr, /embedded PostgreSQL/, 'nothing was started');
    const f = run(['explain', '--file', 'examples/queries/search.sql']);
    assertCleanFailure(f, 1, /search\.sql holds \d+ statements; EXPLAIN takes exactly one\. Choose it with --line \(statements start at lines 5, 13, 20/);
  });

  it('refuses what EXPLAIN cannot take, with the position', () => {
    assertCleanFailure(run(['explain', '--sql', 'VACUUM users']), 1, /VACUUM \/ ANALYZE is a utility statement/);
    assertCleanFailure(run(['explain', '--sql', 'SELECT 1 FRM t']), 1, /--sql:1:14: The statement does not parse: syntax error at or near "t"/);
  });
});

describe('sqlperf explain --plan-file', { skip: skipWithoutServer }, () => {
  const ws = new TempWorkspace();
  let release: () => Promise<void>;

  before(async () => {
    release = await holdServerShared();
    const c = new Client({ connectionString: DATABASE_URL });
    await c.connect();
    try {
      const sql = 'SELECT g, g % 7 AS m FROM generate_series(1, 2000) g WHERE g % 3 = 0 ORDER BY m, g';
      const jsonPlan = await c.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`);
      ws.write('plan.json', JSON.stringify(jsonPlan.rows[0]['QUERY PLAN'], null, 2));
      const textPlan = await c.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`);
      ws.write('plan.txt', textPlan.rows.map((r) => r['QUERY PLAN']).join('\n') + '\n');
    } finally {
      await c.end();
    }
  });
  after(async () => {
    ws.cleanup();
    await release?.();
  });

  it('reads a JSON plan: --format json prints exactly toJson(parsePlan(file))', () => {
    const plan = json(ws.run(['explain', '--plan-file', 'plan.json', '--format', 'json']));
    assertShape(plan);
    const expected = toJson(parsePlan(readFileSync(join(ws.dir, 'plan.json'), 'utf8')));
    assert.deepEqual(plan, JSON.parse(JSON.stringify(expected)));
    assert.deepEqual(plan.nodes.map((n) => n.nodeType), ['Sort', 'Function Scan']);
    assert.equal(typeof plan.executionTimeMs, 'number');
  });

  it('reads a text plan, and prints the text rendering', () => {
    const r = ws.run(['explain', '--plan-file', 'plan.txt']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^execution [\d.]+ ms · planning [\d.]+ ms · total cost [\d.]+$/m);
    assert.match(r.stdout, /^Sort {2}.*ms/m);
    assert.match(r.stdout, /^ {2}-> Function Scan on generate_series/m);
    const plan = json(ws.run(['explain', '--plan-file', 'plan.txt', '--format', 'json']));
    assert.deepEqual(plan.nodes.map((n) => n.nodeType), ['Sort', 'Function Scan']);
  });

  it('a file that is no plan is refused with where it stopped (exit 1)', () => {
    ws.write('notes.txt', 'nothing to see\n');
    assertCleanFailure(ws.run(['explain', '--plan-file', 'notes.txt']), 1, /notes\.txt:1: Expected a PostgreSQL EXPLAIN plan/);
  });
});

describe('sqlperf explain on a server (--db, --connection)', { skip: skipWithoutServer }, () => {
  const schema = uniqueSchema('cli_explain');
  const S = q(schema);
  const ws = new TempWorkspace();
  let release: () => Promise<void>;
  let client: Client;
  const tableState = async () => (await client.query(`SELECT md5(string_agg(t::text, ',' ORDER BY id)) AS h, count(*)::int AS n FROM ${S}.items t`)).rows[0];

  before(async () => {
    release = await holdServerShared();
    client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`CREATE SCHEMA ${S}`);
    await client.query(`CREATE TABLE ${S}.items (id serial PRIMARY KEY, k int NOT NULL, note text)`);
    await client.query(`INSERT INTO ${S}.items (k, note) SELECT g % 100, 'n' || g FROM generate_series(1, 5000) g`);
    await client.query(`CREATE INDEX items_k_idx ON ${S}.items (k)`);
    await client.query(`ANALYZE ${S}.items`);
  });
  after(async () => {
    await client?.query(`DROP SCHEMA IF EXISTS ${S} CASCADE`).catch(() => undefined);
    await client?.end();
    ws.cleanup();
    await release?.();
  });

  const db = (...args: string[]) => run(['explain', '--db', DATABASE_URL!, ...args]);

  it('text: the plan tree of a plain EXPLAIN', () => {
    const r = db('--sql', `SELECT * FROM ${S}.items WHERE k = 7`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^total cost [\d.]+$/m);
    assert.match(r.stdout, new RegExp(`(Bitmap Heap Scan|Index Scan|Seq Scan) on ${schema}\\.items`));
    assert.equal(r.stderr, '');
  });

  it('json without --analyze: the shape, costs and estimates, time fields null', () => {
    const plan = json(db('--sql', `SELECT * FROM ${S}.items WHERE k = 7`, '--format', 'json'));
    assertShape(plan);
    assert.equal(plan.planningTimeMs, null);
    assert.equal(plan.executionTimeMs, null);
    for (const n of plan.nodes) {
      for (const f of TIME_FIELDS) assert.equal(n[f], null, f);
      assert.equal(n.rowsActual, null);
      assert.equal(n.loops, null);
      assert.equal(typeof n.rowsEstimated, 'number');
    }
    assert.ok(plan.nodes.some((n) => n.relation === 'items'));
  });

  it('json with --analyze: times, actual rows, loops and buffers are numbers', () => {
    const plan = json(db('--analyze', '--sql', `SELECT * FROM ${S}.items WHERE k = 7`, '--format', 'json'));
    assertShape(plan);
    assert.equal(typeof plan.planningTimeMs, 'number');
    assert.equal(typeof plan.executionTimeMs, 'number');
    for (const n of plan.nodes) {
      for (const f of TIME_FIELDS) assert.equal(typeof n[f], 'number', f);
      assert.equal(typeof n.rowsActual, 'number');
      assert.equal(typeof n.loops, 'number');
      assert.equal(typeof n.buffers, 'object');
      assert.notEqual(n.buffers, null);
    }
    assert.equal(plan.nodes[0].rowsActual, 50);
  });

  it('parameters: planned generically without values (noted on stderr), bound with --param', () => {
    const generic = db('--sql', `SELECT * FROM ${S}.items WHERE k = $1`);
    assert.equal(generic.code, 0, generic.stderr);
    assert.match(generic.stderr, /planned generically, without values for \$1/);
    const bound = json(db('--analyze', '--sql', `SELECT * FROM ${S}.items WHERE k = :k`, '--param', '3', '--format', 'json'));
    assert.equal(bound.nodes[0].rowsActual, 50);
    assertCleanFailure(db('--analyze', '--sql', `SELECT * FROM ${S}.items WHERE k = $1`), 1, /needs values for its parameters \(\$1\).*--param/);
  });

  it('--analyze of an UPDATE is refused without --allow-write, explaining why (exit 1)', async () => {
    const before = await tableState();
    const r = db('--analyze', '--sql', `UPDATE ${S}.items SET k = k + 1 WHERE k < 10`);
    assertCleanFailure(r, 1, /EXPLAIN ANALYZE would execute UPDATE; that needs confirmation/);
    const confirmation = writeConfirmationText({ kind: 'update', writeReason: 'UPDATE' });
    assert.ok(r.stderr.includes(confirmation), 'the confirmation text says what rollback does and does not undo');
    assert.match(r.stderr, /--allow-write/);
    assert.deepEqual(await tableState(), before);
  });

  it('--analyze --allow-write runs the UPDATE and rolls it back: the table is unchanged', async () => {
    const before = await tableState();
    const plan = json(db('--analyze', '--allow-write', '--sql', `UPDATE ${S}.items SET k = k + 1, note = 'changed' WHERE k < 10`, '--format', 'json'));
    assert.equal(plan.nodes[0].nodeType, 'Update');
    assert.equal(typeof plan.executionTimeMs, 'number');
    assert.deepEqual(await tableState(), before);
    const text = db('--analyze', '--allow-write', '--sql', `DELETE FROM ${S}.items`);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, /the DELETE ran inside a transaction that was rolled back/);
    assert.deepEqual(await tableState(), before);
  });

  it('plain EXPLAIN of a write needs no confirmation and executes nothing', async () => {
    const before = await tableState();
    const r = db('--sql', `DELETE FROM ${S}.items`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Delete on/);
    assert.deepEqual(await tableState(), before);
  });

  it('a statement the server rejects: its message with the position in the file (exit 1)', () => {
    ws.write('bad.sql', `-- typo below\nSELECT id\nFROM ${schema}.itemz;\n`);
    const r = ws.run(['explain', '--db', DATABASE_URL!, '--file', 'bad.sql']);
    assertCleanFailure(r, 1, new RegExp(`bad\\.sql:3:6: PostgreSQL rejected the statement: relation "${schema}\\.itemz" does not exist`));
  });

  it('--connection reads the profile from .sqlperf.json; a readOnly profile never executes writes', async () => {
    ws.write('.sqlperf.json', JSON.stringify({ connections: [{ name: 'ci', urlFromEnv: 'SQLPERF_TEST_DATABASE_URL' }, { name: 'ro', urlFromEnv: 'SQLPERF_TEST_DATABASE_URL', readOnly: true }] }));
    const ok = ws.run(['explain', '--connection', 'ci', '--sql', `SELECT count(*) FROM ${S}.items`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Aggregate/);
    const before = await tableState();
    const ro = ws.run(['explain', '--connection', 'ro', '--analyze', '--allow-write', '--sql', `DELETE FROM ${S}.items`]);
    assertCleanFailure(ro, 1, /marked read-only, and EXPLAIN ANALYZE would execute DELETE/);
    assert.deepEqual(await tableState(), before);
    assertCleanFailure(ws.run(['explain', '--connection', 'nope', '--sql', 'SELECT 1']), 2, /no usable connection named "nope" in \.sqlperf\.json \(there: ci, ro\)/);
  });

  it('a wrong host gives one clear message, no stack trace, no password (exit 1)', () => {
    const r = run(['explain', '--db', 'postgresql://someone:hunter2-secret@no-such-host.invalid:5432/shop', '--sql', 'SELECT 1']);
    assertCleanFailure(r, 1, /Cannot connect to someone@no-such-host\.invalid:5432\/shop: (host not found|host name lookup failed)/);
    assert.ok(!r.stderr.includes('hunter2-secret'));
    const refused = run(['explain', '--db', 'postgresql://someone:hunter2-secret@127.0.0.1:1/shop', '--sql', 'SELECT 1']);
    assertCleanFailure(refused, 1, /Cannot connect to someone@127\.0\.0\.1:1\/shop: connection refused\. Check that PostgreSQL is running/);
    assert.ok(!refused.stderr.includes('hunter2-secret'));
  });
});

describe('sqlperf explain on the embedded database (examples/)', () => {
  it('loads examples/ (schema.sql, migrations) and plans a query picked with --file --line', () => {
    const r = run(['explain', '--file', 'queries/search.sql', '--line', '20', '--format', 'json'], EXAMPLES);
    const plan = json(r);
    assertShape(plan);
    assert.ok(plan.nodes.some((n) => n.relation === 'users'), JSON.stringify(plan.nodes));
    assert.equal(plan.executionTimeMs, null);
    // progress and the schema report on stderr
    assert.match(r.stderr, /Starting the embedded PostgreSQL/);
    assert.match(r.stderr, /Loading migrations\/001_init\.sql/);
    // schema.sql (a dump) loads first; the migrations' repeated definitions are recognised
    assert.match(r.stderr, /schema: (\d+) of \1 statements from 3 files loaded, \d+ repeated definitions skipped/);
    assert.doesNotMatch(r.stderr, /already exists/);
    assert.match(r.stderr, /planned generically, without values for \$1/);
  });

  it('--analyze on sample rows, from SQL embedded in TypeScript, with --sample-rows', () => {
    const r = run(['explain', '--embedded', '--file', 'app/orders.ts', '--line', '37', '--analyze', '--param', '1', '--sample-rows', '500'], EXAMPLES);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^execution [\d.]+ ms/m);
    assert.match(r.stdout, /order_items/);
    assert.match(r.stdout, /products/);
  });
});
