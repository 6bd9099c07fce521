import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SqlBuilder, hostEnd, mapEndToHost, mapFromHost, mapRangeToHost, mapToHost, placeholder } from '../../../server/engine/extract/mapping';
import { decodeGoEscape, decodeJsEscape, decodePyEscape } from '../../../server/engine/extract/escapes';
import { firstSqlWord, looksLikeSql, rewriteParams, startsLikeStatement } from '../../../server/engine/extract/sqlText';

describe('placeholder', () => {
  it('pads to the width, or keeps as many characters as fit', () => {
    assert.equal(placeholder(1, 4), '$1  ');
    assert.equal(placeholder(3, 2), '$3');
    assert.equal(placeholder(10, 2), '$1');
    assert.equal(placeholder(10, 3), '$10');
    assert.equal(placeholder(7, 0), '');
  });
});

describe('SqlBuilder and offset mapping', () => {
  it('a single verbatim run needs no table', () => {
    const host = "q('SELECT 1')";
    const b = new SqlBuilder(host);
    b.verbatim(3, 11);
    const r = b.finish()!;
    assert.deepEqual(r, { sql: 'SELECT 1', hostStart: 3 });
    assert.equal(mapToHost(r, 0), 3);
    assert.equal(mapToHost(r, 8), 11);
    assert.equal(mapFromHost(r, 10), 7);
    assert.equal(mapFromHost(r, 2), -1);
  });

  it('same-width interpolations stay linear', () => {
    const host = '`a ${x} b`';
    const b = new SqlBuilder(host);
    b.verbatim(1, 3);
    b.hole(3, 7, true);
    b.verbatim(7, 9);
    const r = b.finish()!;
    assert.equal(r.sql, 'a $1   b');
    assert.equal(r.segments, undefined);
  });

  it('escapes, pieces and narrow operands get segments that map exactly', () => {
    //            0123456789012345678901234
    const host = "'A\\nB' + x + 'C'";
    const b = new SqlBuilder(host);
    b.verbatim(1, 2); // A
    b.decoded('\n', 2, 4); // \n
    b.verbatim(4, 5); // B
    b.hole(9, 10, false); // x -> $1
    b.verbatim(14, 15); // C
    const r = b.finish()!;
    assert.equal(r.sql, 'A\nB$1C');
    assert.ok(r.segments);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((i) => mapToHost(r, i)), [1, 2, 4, 9, 9, 14, 15]);
    assert.deepEqual(mapRangeToHost(r, 1, 2), { start: 2, end: 4 }, 'an escape maps to its whole source');
    assert.deepEqual(mapRangeToHost(r, 3, 5), { start: 9, end: 10 }, 'a placeholder maps to its operand');
    assert.equal(mapEndToHost(r, 3), 5, 'end of a piece stays before its closing quote');
    assert.equal(hostEnd(r), 15);
    assert.equal(mapFromHost(r, 14), 5);
    assert.equal(mapFromHost(r, 6), -1, 'between pieces');
    assert.equal(mapFromHost(r, 3), 1, 'inside an escape: its character');
  });

  it('a leading line continuation does not move hostStart off sql[0]', () => {
    const host = "'\\\nSELECT'";
    const b = new SqlBuilder(host);
    b.decoded('', 1, 3);
    b.verbatim(3, 9);
    const r = b.finish()!;
    assert.equal(r.sql, 'SELECT');
    assert.equal(r.hostStart, 3);
    assert.equal(mapToHost(r, 0), 3);
  });

  it('an empty builder gives null', () => {
    assert.equal(new SqlBuilder('').finish(), null);
  });
});

describe('escape decoding', () => {
  it('JavaScript', () => {
    assert.equal(decodeJsEscape('\\n'), '\n');
    assert.equal(decodeJsEscape("\\'"), "'");
    assert.equal(decodeJsEscape('\\x41'), 'A');
    assert.equal(decodeJsEscape('\\u00e9'), 'é');
    assert.equal(decodeJsEscape('\\u{1F680}'), '🚀');
    assert.equal(decodeJsEscape('\\\n'), '');
    assert.equal(decodeJsEscape('\\\r\n'), '');
    assert.equal(decodeJsEscape('\\0'), '\0');
    assert.equal(decodeJsEscape('\\u{110000}'), '\ufffd');
  });

  it('Python', () => {
    assert.equal(decodePyEscape('\\n', false), '\n');
    assert.equal(decodePyEscape('\\U0001F680', false), '🚀');
    assert.equal(decodePyEscape('\\101', false), 'A');
    assert.equal(decodePyEscape('\\d', false), '\\d', 'unknown escapes keep the backslash');
    assert.equal(decodePyEscape('\\u00e9', true), '\\u00e9', 'no \\u in bytes');
  });

  it('Go', () => {
    assert.equal(decodeGoEscape('\\"'), '"');
    assert.equal(decodeGoEscape('\\t'), '\t');
    assert.equal(decodeGoEscape('\\101'), 'A');
    assert.equal(decodeGoEscape('\\U0001F680'), '🚀');
  });
});

describe('SQL heuristics', () => {
  it('first word skips whitespace, comments and parentheses', () => {
    assert.equal(firstSqlWord('  -- get users\n /* x */ (SELECT 1)'), 'select');
    assert.equal(firstSqlWord('$1 WHERE'), '');
    assert.equal(firstSqlWord('/* unterminated'), '');
  });

  it('call arguments must start like a statement (or a misspelt one)', () => {
    for (const s of ['SELECT 1', 'with x as (select 1) select * from x', 'BEGIN', 'SELEC * FROM t', 'UDPATE t SET a = 1', 'insrt into t values (1)']) {
      assert.ok(startsLikeStatement(s), s);
    }
    for (const s of ['Hello world', 'users:1', '/users/{id}', 'Selected', 'Total: 3', '', 'page']) assert.equal(startsLikeStatement(s), false, s);
  });

  it('loose strings must plainly be SQL', () => {
    for (const s of ['SELECT a FROM t', 'insert into t (a) values (1)', 'UPDATE t SET a = 1', 'DELETE FROM t', 'CREATE INDEX i ON t (a)', 'with x as (select 1) select 1']) {
      assert.ok(looksLikeSql(s), s);
    }
    for (const s of ['Select an option', 'update available', 'Delete this item?', 'create account']) assert.equal(looksLikeSql(s), false, s);
  });
});

describe('rewriteParams', () => {
  const all = { percent: true, colon: true, braces: false };

  it('replaces %s, %(name)s and :name outside quotes and comments, keeping the width', () => {
    const sql = "SELECT * FROM t WHERE a = %s AND b = %(bee)s AND c = :cee AND d LIKE '%s:x' -- %s :y\n AND e::int > 1 AND f = '100%%' AND g = 5 %% 2";
    const out = rewriteParams(sql, all, 1);
    assert.equal(out.length, sql.length);
    assert.equal(out, "SELECT * FROM t WHERE a = $1 AND b = " + '$2'.padEnd('%(bee)s'.length) + " AND c = $3   AND d LIKE '%s:x' -- %s :y\n AND e::int > 1 AND f = '100%%' AND g = 5 %% 2");
  });

  it('leaves dollar-quoted bodies, identifiers and existing $n alone; numbers from `first`', () => {
    const sql = 'SELECT $1, "a:b", $fn$ :x $fn$, :y';
    assert.equal(rewriteParams(sql, all, 2), 'SELECT $1, "a:b", $fn$ :x $fn$, $2');
  });

  it('str.format fields only when asked', () => {
    assert.equal(rewriteParams('SELECT * FROM {} WHERE a = {name} AND b = {{x}}', { percent: false, colon: false, braces: true }, 1), 'SELECT * FROM $1 WHERE a = $2     AND b = {{x}}');
    assert.equal(rewriteParams('SELECT {a}', { percent: true, colon: true, braces: false }, 1), 'SELECT {a}');
  });
});
