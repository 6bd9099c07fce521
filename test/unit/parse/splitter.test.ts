import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { resplitStatements, splitStatements } from '../../../server/engine/parse/splitter';
import { splitWithScanner } from '../../support/scanner-split';

before(loadParser);

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe('splitStatements', () => {
  it('splits at top-level semicolons and keeps offsets', () => {
    const sql = 'SELECT 1;\n  SELECT 2 ;SELECT 3';
    const stmts = splitStatements(sql);
    assert.deepEqual(stmts.map((s) => s.text), ['SELECT 1', 'SELECT 2', 'SELECT 3']);
    for (const s of stmts) assert.equal(sql.slice(s.start, s.end), s.text);
  });

  it('does not split inside strings, dollar quotes, E strings and nested comments', () => {
    const sql = [
      "SELECT 'a;b', E'it\\'s;', \"x;y\" FROM t;",
      'CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; SELECT 2; $fn$ LANGUAGE sql;',
      'SELECT /* a; /* nested; */ still; */ 1;',
      'SELECT 1 -- trailing; comment\n;',
    ].join('\n');
    assert.deepEqual(texts(sql).length, 4);
    assert.match(texts(sql)[1], /\$fn\$ LANGUAGE sql$/);
  });

  it('keeps BEGIN ATOMIC bodies whole', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3;';
    assert.deepEqual(texts(sql), [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END',
      'SELECT 3',
    ]);
  });

  it('does not split inside parentheses', () => {
    assert.deepEqual(texts('CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1;').length, 2);
  });

  it('skips psql meta-commands, which also end the statement before them', () => {
    const sql = "\\set ON_ERROR_STOP 0\nSELECT 1 \\gset\n\\d+ t\nSELECT 2;\n\\echo 'it''s done\nSELECT 3;";
    assert.deepEqual(texts(sql), ['SELECT 1', 'SELECT 2', 'SELECT 3']);
  });

  it('maps offsets to UTF-16 with non-ASCII text before statements', () => {
    const sql = "SELECT 'café 🚀';\nSELECT 'ü' FROM t;";
    const stmts = splitStatements(sql);
    assert.equal(stmts.length, 2);
    for (const s of stmts) assert.equal(sql.slice(s.start, s.end), s.text);
    assert.equal(stmts[1].text, "SELECT 'ü' FROM t");
  });

  it('finds the statements before an unterminated dollar quote', () => {
    const sql = 'SELECT 1;\nSELECT 2;\nSELECT $$never closed;\nSELECT 4;';
    const stmts = texts(sql);
    assert.deepEqual(stmts.slice(0, 2), ['SELECT 1', 'SELECT 2']);
    assert.equal(stmts.length, 3);
    assert.match(stmts[2], /^SELECT \$\$never closed;\nSELECT 4;$/);
  });

  it('handles empty and comment-only text', () => {
    assert.deepEqual(texts(''), []);
    assert.deepEqual(texts('-- nothing\n/* here */\n;;'), []);
  });
});

describe('lexer', () => {
  it('agrees with the libpg-query scanner on tricky text', () => {
    const sql = "SELECT 'a;b', E'\\';' FROM t; SELECT $x$ ; $x$; /* ; /* ; */ */ SELECT (1;2); \\set a 'b'\nSELECT \"q;\"; SELECT a$b$c, $1 FROM x$$y;";
    assert.deepEqual(splitStatements(sql), splitWithScanner(sql));
  });
});

describe('resplitStatements', () => {
  // A small deterministic generator, so a failure reproduces.
  function rng(seed: number) {
    return () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  }
  const base = [
    "SELECT 1;",
    "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;",
    "SELECT 'a;b', E'it\\'s' FROM t WHERE x = 'é'; -- note",
    "/* block ; /* nested */ */ UPDATE t SET a = (1); \\set x 1",
    "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;",
    "SELECT (1;",
    "SELECT 2;",
  ].join('\n');
  const pieces = [';', "'", '$$', '(', ')', '/*', '*/', '--', '\n', 'x', ' ', 'BEGIN ATOMIC ', 'END', '\\', 'é', '"'];

  it('equals a full split after random edits', () => {
    const rand = rng(42);
    for (let round = 0; round < 3000; round++) {
      let text = base;
      let stmts = splitStatements(text);
      for (let e = 0; e < 5; e++) {
        const at = Math.floor(rand() * (text.length + 1));
        const del = rand() < 0.4 ? Math.floor(rand() * 4) : 0;
        const ins = rand() < 0.8 ? pieces[Math.floor(rand() * pieces.length)] : '';
        const next = text.slice(0, at) + ins + text.slice(at + del);
        const incremental = resplitStatements(text, stmts, next);
        const full = splitStatements(next);
        assert.deepEqual(incremental, full, JSON.stringify({ text, next }));
        const oracle = splitWithScanner(next);
        if (oracle) assert.deepEqual(full, oracle, `lexer and PostgreSQL's scanner disagree on ${JSON.stringify(next)}`);
        text = next;
        stmts = incremental;
      }
    }
  });

  it('keeps the string objects of untouched statements', () => {
    const text = 'SELECT 1;\nSELECT 2;\nSELECT 3;\nSELECT 4;';
    const prev = splitStatements(text);
    const next = resplitStatements(text, prev, text.replace('SELECT 2', 'SELECT 22'));
    assert.equal(next[3].text, prev[3].text);
    assert.equal(next[3].start, prev[3].start + 1);
    assert.equal(next[1].text, 'SELECT 22');
  });
});
