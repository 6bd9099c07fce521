import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_SQL_CALLS,
  extractEmbedded,
  hostLanguageForPath,
  isHostLanguage,
  loadExtractors,
  mapFromHost,
  mapToHost,
  type EmbeddedRegion,
  type HostLanguage,
} from '../../../server/engine/extract';
import { assertMaps, regionWith } from './helpers';

before(loadExtractors);

describe('extract: API', () => {
  it('recognises host languages by id and by path', () => {
    for (const id of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go']) assert.ok(isHostLanguage(id));
    for (const id of ['sql', 'rust', '', 'constructor', 'toString']) assert.equal(isHostLanguage(id), false);
    const cases: Array<[string, HostLanguage | null]> = [
      ['src/a.ts', 'typescript'], ['a.mts', 'typescript'], ['a.cts', 'typescript'], ['a.d.ts', 'typescript'],
      ['App.tsx', 'typescriptreact'], ['a.js', 'javascript'], ['a.mjs', 'javascript'], ['a.cjs', 'javascript'],
      ['A.JSX', 'javascriptreact'], ['C:\\app\\db.py', 'python'], ['main.go', 'go'],
      ['schema.sql', null], ['Makefile', null], ['go', null], ['a.pyc', null],
    ];
    for (const [p, lang] of cases) assert.equal(hostLanguageForPath(p), lang, p);
  });

  it('has the documented default call list', () => {
    for (const name of ['query', 'execute', 'executemany', '$queryRaw', '$executeRawUnsafe', 'text', 'QueryRowContext', 'Prisma.sql']) {
      assert.ok(DEFAULT_SQL_CALLS.includes(name), name);
    }
  });

  it('returns regions in document order, a string that is not SQL gives none', () => {
    assert.deepEqual(extractEmbedded("const a = 'hello'; greet('Select a file'); db.query(x);", 'typescript'), []);
    assert.deepEqual(extractEmbedded('', 'python'), []);
    assert.deepEqual(extractEmbedded('package m', 'go'), []);
    const rs = extractEmbedded("db.query('SELECT 2 FROM b'); const s = sql`SELECT 1 FROM a`;", 'typescript');
    assert.deepEqual(rs.map((r) => r.hostStart), [...rs.map((r) => r.hostStart)].sort((a, b) => a - b));
  });
});

describe('extract: exact host positions with non-ASCII text before the SQL', () => {
  const check = (text: string, language: HostLanguage) => {
    const r = regionWith(extractEmbedded(text, language), 'FROM');
    assertMaps(text, r, 'SELECT', 'FROM', 'WHERE');
    assert.equal(text.slice(r.hostStart, r.hostStart + 6), r.sql.slice(0, 6));
    // and back: the host offset of FROM is sql's FROM
    assert.equal(mapFromHost(r, text.indexOf('FROM')), r.sql.indexOf('FROM'));
    return r;
  };

  it('TypeScript: emoji (surrogate pairs) and accents on the lines and on the same line before', () => {
    check("// café 🚀 naïve\nconst label = 'é'; const x = '🚀'; await db.query('SELECT * FROM users WHERE name = $1', ['Zoë']);", 'typescript');
    check("/* 日本語 */ const a = 'é', r = await db.query(`SELECT 'ü' AS u FROM t WHERE x = ${'🚀'}`);", 'typescript');
  });

  it('Python', () => {
    check("# café 🚀\nlabel = 'é'; cur.execute(\"SELECT 'ñ' FROM users WHERE id = %s\", ('🚀',))", 'python');
    check("x = 'é' ; q = f\"SELECT {'🚀'} FROM users WHERE id = {i}\"; cur.execute(q)", 'python');
  });

  it('Go', () => {
    check('package m\n// café 🚀\nfunc f() { s := "é"; db.Query(`SELECT \'€\' FROM users WHERE id = $1`, s) }', 'go');
    check('package m\nfunc f() { s := "🚀"; db.Query("SELECT \\"é\\" FROM users WHERE id = $1", s) }', 'go');
  });

  it('CRLF line endings', () => {
    const text = "// café\r\nasync function f() {\r\n  await db.query(`\r\n    SELECT id\r\n    FROM users\r\n    WHERE id = $1`, [1]);\r\n}\r\n";
    const r = check(text, 'javascript');
    assert.ok(r.sql.includes('\r\n'));
  });
});

/** Realistic code used for the robustness and size tests. */
const SAMPLES: Record<'typescript' | 'python' | 'go', string> = {
  typescript: `import { Pool } from 'pg';
// café 🚀
export class OrderRepo {
  constructor(private readonly pool: Pool) {}
  async byCustomer(ids: number[]): Promise<Order[]> {
    const q = \`SELECT o.id, o.total FROM orders o WHERE o.customer_id = $1\`;
    const out: Order[] = [];
    for (const id of ids) {
      const { rows } = await this.pool.query(q, [id]);
      out.push(...rows);
    }
    await Promise.all(ids.map((id) => this.pool.query('UPDATE customers SET seen = now() WHERE id = $1', [id])));
    const report = "SELECT status, count(*) FROM orders GROUP BY status";
    return out.concat(await prisma.$queryRaw<Order[]>\`SELECT * FROM orders WHERE id = \${ids[0]}\`);
  }
}
`,
  python: `import psycopg
# café 🚀
class OrderRepo:
    def by_customer(self, ids):
        q = """SELECT o.id, o.total FROM orders o WHERE o.customer_id = %s"""
        out = []
        for i in ids:
            self.cur.execute(q, (i,))
            out.extend(self.cur.fetchall())
        rows = [self.cur.execute("UPDATE customers SET seen = now() WHERE id = %(id)s", {"id": i}) for i in ids]
        report = "SELECT status, count(*) FROM orders GROUP BY status"
        return out
`,
  go: `package repo
// café 🚀
func (r *Repo) ByCustomer(ctx context.Context, ids []int64) ([]Order, error) {
	q := \`SELECT o.id, o.total FROM orders o WHERE o.customer_id = $1\`
	var out []Order
	for _, id := range ids {
		rows, err := r.db.QueryContext(ctx, q, id)
		if err != nil {
			return nil, err
		}
		rows.Close()
	}
	_, err := r.db.ExecContext(ctx, "UPDATE customers SET seen = now() WHERE id = $1", ids[0])
	report := "SELECT status, count(*) FROM orders GROUP BY status"
	return out, err
}
`,
};

function assertWellFormed(text: string, regions: EmbeddedRegion[]): void {
  for (const r of regions) {
    assert.ok(r.hostStart >= 0 && r.hostStart <= text.length);
    for (const i of [0, r.sql.length >> 1, r.sql.length]) {
      const h = mapToHost(r, i);
      assert.ok(h >= 0 && h <= text.length, `offset ${h} outside the document`);
    }
    assert.ok(r.callStart <= r.callEnd && r.callEnd <= text.length);
  }
}

describe('extract: robustness', () => {
  it('finds the expected regions in each sample', () => {
    const ts = extractEmbedded(SAMPLES.typescript, 'typescript');
    assert.deepEqual(ts.map((r) => [r.origin, r.loop?.kind ?? null]), [
      ['variable', 'for-of'],
      ['call-argument', 'map'],
      ['string', null],
      ['tagged-template', null],
    ]);
    const py = extractEmbedded(SAMPLES.python, 'python');
    assert.deepEqual(py.map((r) => [r.origin, r.loop?.kind ?? null]), [
      ['variable', 'for'],
      ['call-argument', 'list-comprehension'],
      ['string', null],
    ]);
    const go = extractEmbedded(SAMPLES.go, 'go');
    assert.deepEqual(go.map((r) => [r.origin, r.loop?.kind ?? null]), [
      ['variable', 'for-range'],
      ['call-argument', null],
      ['string', null],
    ]);
  });

  it('broken files (unbalanced braces, unterminated strings, every truncation) do not throw', () => {
    const broken: Array<[string, HostLanguage]> = [
      ["async function f() {\n  await db.query('SELECT * FROM t WHERE id = $1'\n  for (const x of xs) {\n", 'typescript'],
      ['db.query(`SELECT * FROM t WHERE x = ${', 'typescript'],
      ["db.query('SELECT * FROM t", 'javascript'],
      ['const a = <div>{db.query("SELECT 1 FROM t")', 'typescriptreact'],
      ['def f(:\n    cur.execute("""SELECT * FROM t\n', 'python'],
      ['cur.execute(f"SELECT {x FROM t")', 'python'],
      ['package m\nfunc f() {\n\tdb.Query("SELECT * FROM t WHERE id = $1\n', 'go'],
      ['package m\nfunc f( { for { db.Exec(`DELETE FROM t', 'go'],
      ['}}}}{{{{))))((((', 'typescript'],
    ];
    for (const [text, lang] of broken) assertWellFormed(text, extractEmbedded(text, lang));
    for (const lang of ['typescript', 'python', 'go'] as const) {
      const text = SAMPLES[lang];
      for (let cut = 0; cut <= text.length; cut += 7) assertWellFormed(text.slice(0, cut), extractEmbedded(text.slice(0, cut), lang));
    }
  });

  it('binary garbage and odd strings do not throw', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let garbage = '';
    for (let i = 0; i < 20000; i++) garbage += String.fromCharCode(Math.floor(rand() * 0xffff));
    const odd = [
      garbage,
      '\u0000\u0001\uFFFE\uD800 db.query("SELECT \uDC00 FROM t")',
      "db.query('SELECT 1 FROM t \\u{110000} \\x')",
      'cur.execute("SELECT \\N{BULLET} \\U0010FFFF FROM t")',
      'package m\nfunc f() { db.Query("SELECT \\400 \\U00110000 FROM t") }',
    ];
    for (const lang of ['typescript', 'javascript', 'python', 'go', 'typescriptreact'] as const) {
      for (const text of odd) assertWellFormed(text, extractEmbedded(text, lang));
    }
  });

  it('a 2 MB host file extracts (linear work: no timing assertion)', () => {
    for (const lang of ['typescript', 'python', 'go'] as const) {
      const unit = SAMPLES[lang];
      const copies = Math.ceil(2_000_000 / unit.length);
      const body = lang === 'go' ? unit.replace(/^package repo\n/, '') : unit;
      const text = (lang === 'go' ? 'package repo\n' : '') + Array.from({ length: copies }, () => body).join('\n');
      const regions = extractEmbedded(text, lang);
      const perUnit = extractEmbedded(unit, lang).length;
      assert.equal(regions.length, perUnit * copies, lang);
      // the last copy maps as well as the first
      const last = regions[regions.length - 1];
      const i = last.sql.indexOf('FROM');
      assert.equal(text.slice(mapToHost(last, i), mapToHost(last, i) + 4), 'FROM');
    }
  });

  it('concatenating thousands of pieces does not overflow the stack', () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => `'c${i}, '`).join(' + ');
    const text = `db.query('SELECT ' + ${pieces} + 'x FROM t');`;
    const [r] = extractEmbedded(text, 'javascript');
    assert.ok(r.sql.startsWith('SELECT c0, c1, '));
    assertMaps(text, r, 'c4999, ', 'x FROM t');
  });
});
