/**
 * Which statement `--file F --line N` picks, in SQL files and in host code.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pickStatement } from '../../src/cli/explain-source';
import { loadExtractors } from '../../server/engine/extract';
import { loadParser } from '../../server/engine/parse/pgquery';

before(async () => {
  await Promise.all([loadParser(), loadExtractors()]);
});

const sqlFile = [
  '-- first',           // 1
  'SELECT 1',           // 2
  'FROM a;',            // 3
  '',                   // 4
  '-- second: about b', // 5
  'SELECT 2 FROM b;',   // 6
  '',                   // 7
].join('\n');

const picked = (path: string, text: string, line?: number) => {
  const r = pickStatement(path, text, line);
  return r.ok ? r.statement.sql : r;
};

describe('pickStatement in SQL files', () => {
  it('picks the statement spanning the line, or the one after a comment or blank line', () => {
    assert.equal(picked('q.sql', sqlFile, 2), 'SELECT 1\nFROM a');
    assert.equal(picked('q.sql', sqlFile, 3), 'SELECT 1\nFROM a');
    assert.equal(picked('q.sql', sqlFile, 1), 'SELECT 1\nFROM a');
    assert.equal(picked('q.sql', sqlFile, 4), 'SELECT 2 FROM b');
    assert.equal(picked('q.sql', sqlFile, 5), 'SELECT 2 FROM b');
    assert.equal(picked('q.sql', sqlFile, 6), 'SELECT 2 FROM b');
  });
  it('refuses lines after the last statement or past the end (usage errors)', () => {
    assert.deepEqual(picked('q.sql', sqlFile, 7), { ok: false, usage: true, message: 'There is no SQL statement at q.sql:7.' });
    const past = pickStatement('q.sql', sqlFile, 99);
    assert.ok(!past.ok && past.usage && /has 7 lines/.test(past.message));
  });
  it('without --line the file must hold exactly one statement, and says where they start', () => {
    assert.equal(picked('one.sql', '-- x\nSELECT 3;\n'), 'SELECT 3');
    assert.deepEqual(picked('q.sql', sqlFile), {
      ok: false,
      usage: false,
      message: 'q.sql holds 2 statements; EXPLAIN takes exactly one. Choose it with --line (statements start at lines 2, 6).',
    });
    assert.deepEqual(picked('empty.sql', '-- nothing\n'), { ok: false, usage: false, message: 'empty.sql holds no SQL statement.' });
  });
  it('maps positions in the statement back to the file', () => {
    const r = pickStatement('q.sql', sqlFile, 6);
    assert.ok(r.ok);
    assert.equal(sqlFile.slice(r.statement.toFile(14)), 'b;\n');
  });
});

describe('pickStatement in host files', () => {
  const ts = [
    "import { pool } from './db';",                                          // 1
    'export async function f(id: number) {',                                 // 2
    '  const a = await pool.query(',                                         // 3
    "    'SELECT id, email FROM users WHERE id = $1',",                      // 4
    '    [id],',                                                             // 5
    '  );',                                                                  // 6
    '  return pool.query(`SELECT * FROM orders WHERE user_id = ${id}`);',    // 7
    '}',                                                                     // 8
  ].join('\n');

  it('picks the embedded SQL at the line, with interpolations as $n', () => {
    assert.equal(picked('app.ts', ts, 4), 'SELECT id, email FROM users WHERE id = $1');
    assert.match(picked('app.ts', ts, 7) as string, /^SELECT \* FROM orders WHERE user_id = \$1\s*$/);
  });
  it('a line without SQL is a usage error; without --line there must be one statement', () => {
    assert.deepEqual(picked('app.ts', ts, 2), { ok: false, usage: true, message: 'There is no embedded SQL statement at app.ts:2.' });
    const r = pickStatement('app.ts', ts, undefined);
    assert.ok(!r.ok && /holds 2 statements.*lines 4, 7/.test(r.message));
  });
  it('works for Python and Go too', () => {
    assert.equal(picked('r.py', 'def f(cur):\n    cur.execute("SELECT 1 FROM t WHERE a = %s", (1,))\n', 2), 'SELECT 1 FROM t WHERE a = $1');
    const go = 'package main\n\nfunc f(db *sql.DB) {\n\tdb.QueryRow("SELECT name FROM items WHERE id = $1", 1)\n}\n';
    assert.equal(picked('main.go', go, 4), 'SELECT name FROM items WHERE id = $1');
  });
});
