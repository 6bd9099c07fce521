/** The statement under the cursor or in the selection (src/explain-commands/statement-at.ts). */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractEmbedded, loadExtractors } from '../../../server/engine/extract';
import { hostStatements, isExplainable, pickStatement, sqlStatements } from '../../../src/explain-commands/statement-at';

const SQL = `-- first: all products
SELECT * FROM products;

-- second: ünïcödé comment, then the statement
SELECT id
FROM orders
WHERE note = 'café; not a terminator';

UPDATE orders SET total = 0 WHERE id = 1;
`;

const pick = (text: string, a: number, b = a, regions: Parameters<typeof pickStatement>[0]['regions'] = null) => pickStatement({ text, selectionStart: a, selectionEnd: b, regions });
const sqlOf = (r: ReturnType<typeof pick>) => (r.ok ? r.statement.sql : `error: ${r.message}`);

describe('statement under the cursor in a .sql file', () => {
  it('picks the statement the cursor is in, also right after its semicolon', () => {
    const at = SQL.indexOf('FROM orders');
    assert.equal(sqlOf(pick(SQL, at)), "SELECT id\nFROM orders\nWHERE note = 'café; not a terminator'");
    const afterSemi = SQL.indexOf('FROM products;') + 'FROM products;'.length;
    assert.equal(sqlOf(pick(SQL, afterSemi)), 'SELECT * FROM products');
  });

  it('between statements (a comment, a blank line) picks the one that follows; after the last, the last', () => {
    assert.equal(sqlOf(pick(SQL, SQL.indexOf('second'))), "SELECT id\nFROM orders\nWHERE note = 'café; not a terminator'");
    assert.equal(sqlOf(pick(SQL, 0)), 'SELECT * FROM products');
    assert.equal(sqlOf(pick(SQL, SQL.length)), 'UPDATE orders SET total = 0 WHERE id = 1');
  });

  it('maps offsets both ways, with non-ASCII text before the statement', () => {
    const r = pick(SQL, SQL.indexOf('WHERE note'));
    assert.ok(r.ok);
    const s = r.statement;
    assert.equal(SQL.slice(s.start, s.end), s.sql);
    const o = s.sql.indexOf('orders');
    assert.equal(SQL.slice(s.toDocument(o), s.toDocumentEnd(o + 6)), 'orders');
    assert.equal(s.fromDocument(s.toDocument(o)), o);
    assert.equal(s.fromDocument(0), -1);
  });

  it('explains the selection when there is one, and refuses two statements', () => {
    const a = SQL.indexOf('SELECT id');
    const b = SQL.indexOf("terminator'") + "terminator'".length;
    assert.equal(sqlOf(pick(SQL, a, b)), "SELECT id\nFROM orders\nWHERE note = 'café; not a terminator'");
    const two = pick(SQL, 0, SQL.length);
    assert.equal(two.ok, false);
    assert.match(sqlOf(two), /holds 3 statements/);
    const sub = pick(SQL, SQL.indexOf('SELECT * FROM products'), SQL.indexOf('SELECT * FROM products') + 'SELECT * FROM products'.length);
    assert.ok(sub.ok && sub.statement.start === SQL.indexOf('SELECT * FROM products'));
  });

  it('says so when the file holds no statement', () => {
    assert.match(sqlOf(pick('-- nothing here\n', 3)), /no SQL statement/);
  });

  it('lists statements and knows which EXPLAIN takes', () => {
    assert.deepEqual(sqlStatements(SQL).map((s) => isExplainable(s.sql)), [true, true, true]);
    assert.equal(isExplainable('CREATE INDEX i ON t (x)'), false);
    assert.equal(isExplainable('(SELECT 1) UNION (SELECT 2)'), true);
    assert.equal(isExplainable('WITH x AS (SELECT 1) SELECT * FROM x'), true);
  });
});

describe('statement under the cursor in host code', () => {
  const TS = `import { pool } from './db';

export async function recent(userId: number) {
  const rows = await pool.query(
    'SELECT id, total FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 10',
    [userId],
  );
  const label = "é"; // not SQL
  return pool.query(\`SELECT * FROM users WHERE id = \${userId}\`);
}
`;

  before(async () => {
    await loadExtractors();
  });

  it('finds the embedded statement at the cursor and maps ranges back to the host file', () => {
    const regions = extractEmbedded(TS, 'typescript');
    assert.equal(regions.length, 2);
    const at = TS.indexOf('FROM orders');
    const r = pick(TS, at, at, regions);
    assert.ok(r.ok);
    assert.equal(r.statement.sql, 'SELECT id, total FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 10');
    const o = r.statement.sql.indexOf('orders');
    assert.equal(TS.slice(r.statement.toDocument(o), r.statement.toDocumentEnd(o + 6)), 'orders');
    assert.equal(r.statement.fromDocument(TS.indexOf('orders')), o);
    // the cursor on the quote counts; the interpolation became a same-width placeholder
    const t = pick(TS, TS.indexOf('`SELECT'), TS.indexOf('`SELECT'), regions);
    assert.ok(t.ok);
    assert.match(t.statement.sql, /^SELECT \* FROM users WHERE id = \$1\s*$/);
    assert.equal(hostStatements(regions).length, 2);
  });

  it('refuses a cursor outside any SQL string, and explains selected text there', () => {
    const regions = extractEmbedded(TS, 'typescript');
    const r = pick(TS, TS.indexOf('const label'), TS.indexOf('const label'), regions);
    assert.equal(r.ok, false);
    assert.match(sqlOf(r), /no SQL at the cursor/);
    const a = TS.indexOf('FROM orders');
    const sel = pick(TS, a, a + 'FROM orders'.length, regions);
    assert.equal(sqlOf(sel), 'FROM orders');
  });
});
