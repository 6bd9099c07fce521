/**
 * Host-file rules (Rule.checkHostFile: pool misuse, sequential queries, interpolated SQL):
 * what the fixtures cannot show — settings, suppression, per-version reuse, the configured
 * call list, and that they share the one parse with the per-statement rules.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { loadExtractors } from '../../../server/engine/extract';
import { Analyzer } from '../../../server/engine/analyze';
import { DEFAULT_SETTINGS, type SqlperfSettings } from '../../../server/engine/settings';
import { RULES } from '../../../server/engine/rules';
import { LineMap } from '../../../server/engine/parse/positions';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

before(async () => {
  await loadParser();
  await loadExtractors();
});

function analyze(text: string, language = 'typescript', settings: Partial<SqlperfSettings> = {}, key?: string, analyzer?: Analyzer) {
  const a = analyzer ?? new Analyzer({ ...DEFAULT_SETTINGS, ...settings });
  return a.analyze(text, language, key).findings.map((f) => ({ rule: f.rule, severity: f.severity, text: text.slice(f.start, f.end), message: f.message }));
}

const POOL_NO_TIMEOUT = `import { Pool } from 'pg';
export const pool = new Pool({ max: 5 });
`;

describe('host-file rules', () => {
  it('are registered with a checkHostFile, an empty statement check and hostOnly', () => {
    const ids = RULES.filter((r) => r.checkHostFile).map((r) => r.meta.id).sort();
    assert.deepEqual(ids, ['client-not-released', 'pool-per-request', 'pool-without-timeout', 'sequential-independent-queries', 'sql-string-interpolation', 'transaction-via-pool-query']);
    for (const r of RULES.filter((x) => x.checkHostFile)) assert.equal(r.meta.hostOnly, true, r.meta.id);
  });

  it('report in host code alongside the per-statement rules of the same file', () => {
    const text = `${POOL_NO_TIMEOUT}
export async function load(ids: number[]) {
  for (const id of ids) await pool.query('SELECT id FROM users WHERE id = $1', [id]);
}
`;
    const rules = analyze(text).map((f) => f.rule);
    assert.ok(rules.includes('pool-without-timeout'), rules.join());
    assert.ok(rules.includes('query-in-loop'), rules.join());
  });

  it('stay out of .sql files', () => {
    assert.deepEqual(analyze("SELECT 1; -- new Pool({}) pool.query('BEGIN')", 'sql').filter((f) => f.rule.startsWith('pool')), []);
  });

  it('follow the rule settings: off, and a severity override', () => {
    assert.deepEqual(analyze(POOL_NO_TIMEOUT, 'typescript', { rules: { 'pool-without-timeout': 'off' } }), []);
    const [f] = analyze(POOL_NO_TIMEOUT, 'typescript', { rules: { 'pool-without-timeout': 'error' } });
    assert.equal(f.rule, 'pool-without-timeout');
    assert.equal(f.severity, 'error');
  });

  it('are silenced by suppression comments in the host language', () => {
    const ts = POOL_NO_TIMEOUT.replace('export const pool', '// sqlperf-ignore pool-without-timeout\nexport const pool');
    assert.deepEqual(analyze(ts), []);
    const py = 'from sqlalchemy import create_engine\nengine = create_engine(URL, pool_timeout=None)  # sqlperf-ignore pool-without-timeout\n';
    assert.deepEqual(analyze(py, 'python'), []);
    assert.equal(analyze(py.replace('  # sqlperf-ignore pool-without-timeout', ''), 'python').length, 1);
  });

  it('say nothing when embedded SQL analysis is disabled', () => {
    assert.deepEqual(analyze(POOL_NO_TIMEOUT, 'typescript', { embedded: { enabled: false, calls: DEFAULT_SETTINGS.embedded.calls } }), []);
  });

  it('follow edits of a document analyzed under a key (reusing findings of an unchanged version)', () => {
    const a = new Analyzer(DEFAULT_SETTINGS);
    const first = analyze(POOL_NO_TIMEOUT, 'typescript', {}, 'file:///a.ts', a);
    assert.deepEqual(first.map((f) => f.rule), ['pool-without-timeout']);
    assert.deepEqual(analyze(POOL_NO_TIMEOUT, 'typescript', {}, 'file:///a.ts', a), first);
    const fixed = POOL_NO_TIMEOUT.replace('max: 5', 'max: 5, connectionTimeoutMillis: 5000');
    assert.deepEqual(analyze(fixed, 'typescript', {}, 'file:///a.ts', a), []);
    // a settings change is not hidden by the reuse
    a.configure({ ...DEFAULT_SETTINGS, rules: { 'pool-without-timeout': 'off' } });
    assert.deepEqual(analyze(POOL_NO_TIMEOUT, 'typescript', {}, 'file:///a.ts', a), []);
  });

  it('pool-without-timeout quick fixes set a bound, after which the rule is quiet', () => {
    const cases: Array<[string, string, string]> = [
      ['typescript', "import { Pool } from 'pg';\nexport const p = new Pool();\n", 'new Pool({ connectionTimeoutMillis: 5000 })'],
      ['typescript', "import { Pool } from 'pg';\nexport const p = new Pool({ max: 5 });\n", 'new Pool({ connectionTimeoutMillis: 5000, max: 5 })'],
      ['typescript', "import { Pool } from 'pg';\nexport const p = new Pool({ connectionTimeoutMillis: 0 });\n", 'new Pool({ connectionTimeoutMillis: 5000 })'],
      ['python', 'engine = create_engine(URL, pool_timeout=None)\n', 'create_engine(URL, pool_timeout=30)'],
    ];
    for (const [language, text, expected] of cases) {
      const a = new Analyzer(DEFAULT_SETTINGS);
      const found = a.analyze(text, language).findings.filter((f) => f.rule === 'pool-without-timeout');
      assert.equal(found.length, 1, text);
      const fix = found[0].fix;
      assert.ok(fix, `a fix for ${text}`);
      let fixed = text;
      for (const e of [...fix.edits].sort((x, y) => y.start - x.start)) fixed = fixed.slice(0, e.start) + e.newText + fixed.slice(e.end);
      assert.ok(fixed.includes(expected), fixed);
      assert.deepEqual(analyze(fixed, language).filter((f) => f.rule === 'pool-without-timeout'), [], fixed);
    }
  });

  it('sql-string-interpolation follows the configured SQL calls', () => {
    const text = 'export async function f(db: any, x: string) {\n  return db.run(`SELECT id FROM t WHERE a = ${x}`);\n}\n';
    assert.deepEqual(analyze(text).filter((f) => f.rule === 'sql-string-interpolation'), []);
    const withRun = analyze(text, 'typescript', { embedded: { enabled: true, calls: [...DEFAULT_SETTINGS.embedded.calls, 'run'] } });
    assert.deepEqual(withRun.filter((f) => f.rule === 'sql-string-interpolation').map((f) => f.text), ['${x}']);
  });

  it('work in plain JavaScript (CommonJS) too', () => {
    const js = "const { Pool } = require('pg');\nconst pool = new Pool({ connectionTimeoutMillis: 1000 });\nasync function t() {\n  await pool.query('BEGIN');\n}\n";
    assert.deepEqual(analyze(js, 'javascript').map((f) => [f.rule, f.severity, f.text]), [['transaction-via-pool-query', 'error', "pool.query('BEGIN')"]]);
  });

  it('name the handler line and the factory in pool-per-request messages', () => {
    const text = `import { Pool } from 'pg';
function makePool() {
  return new Pool({ connectionTimeoutMillis: 1000 });
}
export function handler(req: unknown, res: unknown) {
  return makePool();
}
`;
    const [f] = analyze(text).filter((x) => x.rule === 'pool-per-request');
    assert.match(f.message, /`makePool`, which the request handler on line 6 calls/);
  });

  it('pool-without-timeout explains Go calls without a context, with the call and its line', () => {
    const go = `package x

import "database/sql"

func open() *sql.DB {
	db, _ := sql.Open("pgx", "")
	db.SetMaxOpenConns(10)
	db.Exec("DELETE FROM sessions")
	return db
}
`;
    const [f] = analyze(go, 'go').filter((x) => x.rule === 'pool-without-timeout');
    assert.equal(f.text, 'db.SetMaxOpenConns(10)');
    assert.match(f.message, /`db\.Exec` \(line 8\).*ExecContext/);
  });

  it('sequential-independent-queries counts every query of the run in its message', () => {
    const text = `import { Pool } from 'pg';
const pool = new Pool({ connectionTimeoutMillis: 1000 });
export async function f() {
  const a = await pool.query('SELECT 1 AS a');
  const b = await pool.query('SELECT 2 AS b');
  const c = await pool.query('SELECT 3 AS c');
  return [a, b, c];
}
`;
    const found = analyze(text).filter((x) => x.rule === 'sequential-independent-queries');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^3 queries run one after another \(lines 4, 5, 6\)/);
  });

  it('report the pool and interpolation problems of the examples/ app, and nothing else there', () => {
    const root = join(__dirname, '..', '..', '..', 'examples', 'app');
    const HOST_FILE_RULES = new Set(RULES.filter((r) => r.checkHostFile).map((r) => r.meta.id));
    const found: string[] = [];
    for (const [file, language] of [['orders.ts', 'typescript'], ['reports.py', 'python'], ['main.go', 'go']]) {
      const text = readFileSync(join(root, file), 'utf8');
      const lines = new LineMap(text);
      for (const f of new Analyzer(DEFAULT_SETTINGS).analyze(text, language).findings) {
        if (!HOST_FILE_RULES.has(f.rule)) continue;
        const p = lines.positionAt(f.start);
        found.push(`${file}:${p.line + 1}:${p.character + 1} ${f.rule} ${text.slice(f.start, f.end)}`);
      }
    }
    assert.deepEqual(found, [
      'orders.ts:10:3 pool-without-timeout connectionTimeoutMillis: 0',
      'orders.ts:54:54 sql-string-interpolation ${sortColumn}',
      'orders.ts:54:84 sql-string-interpolation ${offset}',
      'main.go:27:2 pool-without-timeout db.SetMaxOpenConns(200)',
    ]);
  });

  it('never throw on broken host code', () => {
    for (const [lang, text] of [
      ['typescript', 'const pool = new Pool({ connectionTimeoutMillis: '],
      ['python', 'def f(:\n  engine = create_engine(pool_timeout=None'],
      ['go', 'func f( { db, _ := sql.Open("pgx"'],
      ['typescript', 'app.get("/x", async (req, res) => { const p = new Pool(); await p.query(`SELECT ${'],
    ]) {
      assert.doesNotThrow(() => analyze(text, lang));
    }
  });
});
