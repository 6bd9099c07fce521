/**
 * The lexer behind the ranges must cut tokens exactly where PostgreSQL's scanner does.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lex } from '../../../server/engine/facts/lexer';
import { loadParser, scanPg } from '../../../server/engine/parse/pgquery';
import { ByteMap } from '../../../server/engine/parse/positions';
import { splitStatements } from '../../../server/engine/parse/splitter';
import { requirePrerequisite } from '../../support/prerequisites';

const CORPUS = process.env.SQLPERF_CORPUS ?? join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');
const REGRESS = join(CORPUS, 'postgres-regress');

before(async () => {
  await loadParser();
});

/** Token ranges as "start-end" in UTF-16, from both lexers. */
function both(sql: string): [string[], string[]] {
  const bytes = new ByteMap(sql);
  const pg = (scanPg(sql) ?? [])
    .filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
    .map((t) => `${bytes.toUtf16(t.start)}-${bytes.toUtf16(t.end)}`);
  return [lex(sql).map((t) => `${t.start}-${t.end}`), pg];
}

describe('lexer', () => {
  const cases = [
    "SELECT a.b, \"Q\"\"x\".*, $1, $$dollar ' \"$$, $tag$x$y$tag$, E'a\\'b', U&'\\0041', B'101', X'ff', N'n'",
    'SELECT 1.5e-3, .5, 1., 0x1F, 1_000, 1..2, a::int[], a->>\'k\', a @> b, a<>b, a!=-1, a<=-b, -- c\n 1 /* nested /* c */ */',
    "SELECT 'line one'\n  'line two', 'x' 'not continued', x+-1, @-1, 1*-2",
    'SELECT ä, "ü€", \'😀\', x ORDER BY 1',
    "select $1 || ':' || :name, a:=1",
  ];
  for (const sql of cases) {
    it(`cuts ${JSON.stringify(sql.slice(0, 40))}... like PostgreSQL`, () => {
      const [mine, theirs] = both(sql);
      assert.deepEqual(mine, theirs);
    });
  }

  it('never fails on unterminated input', () => {
    for (const sql of ["SELECT 'abc", 'SELECT "abc', 'SELECT $$abc', "SELECT E'\\"]) {
      const toks = lex(sql);
      assert.equal(toks[toks.length - 1].end, sql.length, sql);
    }
    assert.deepEqual(lex('SELECT /* abc').map((t) => t.word), ['select'], 'an open comment runs to the end');
  });

  it('agrees with libpg-query on the whole regression corpus', { skip: requirePrerequisite(existsSync(REGRESS), `corpus not found at ${REGRESS}`) }, () => {
    let statements = 0;
    for (const file of readdirSync(REGRESS).filter((f) => f.endsWith('.sql'))) {
      for (const s of splitStatements(readFileSync(join(REGRESS, file), 'utf8'))) {
        if (!scanPg(s.text)) continue;
        statements++;
        const [mine, theirs] = both(s.text);
        if (mine.join() !== theirs.join()) assert.deepEqual(mine, theirs, `${file}: ${s.text.slice(0, 120)}`);
      }
    }
    assert.ok(statements > 40_000);
  });
});
