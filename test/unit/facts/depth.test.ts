/**
 * Pathological nesting: the extractor must never overflow the stack. PostgreSQL accepts a
 * few thousand levels of nested expressions or subqueries; beyond MAX_DEPTH the extractor
 * stops descending and says so with `truncated`.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser, parsePg } from '../../../server/engine/parse/pgquery';
import { extractFacts, MAX_DEPTH } from '../../../server/engine/facts';
import { facts } from './helpers';

before(async () => {
  await loadParser();
});

describe('deep nesting', () => {
  it('handles 10,000 nested parentheses whether or not PostgreSQL accepts them', () => {
    for (const n of [10_000, 2_000]) {
      const sql = 'SELECT 1 FROM t WHERE ' + '('.repeat(n) + 'a = NULL' + ')'.repeat(n);
      const r = parsePg(sql);
      if (!r.ok) continue; // PostgreSQL's own limit: nothing to analyze
      const f = extractFacts(r.stmts[0].stmt, sql);
      assert.equal(f.predicates.length, 1, 'parentheses add no AST levels');
    }
  });

  const deep: Array<[string, string]> = [
    ['arithmetic', 'SELECT ' + Array(2500).fill('1').join(' + ')],
    ['NOT chains', 'SELECT 1 FROM t WHERE ' + 'NOT '.repeat(2500) + 'a = 1'],
    ['nested function calls', 'SELECT ' + 'f('.repeat(2500) + '1' + ')'.repeat(2500)],
    ['nested scalar subqueries', 'SELECT ' + '(SELECT '.repeat(900) + '1' + ')'.repeat(900)],
    ['nested FROM subqueries', 'SELECT * FROM ' + '(SELECT * FROM '.repeat(700) + 't' + ') x'.repeat(700)],
    ['nested CTEs', 'WITH a AS ('.repeat(700) + 'SELECT 1' + ') SELECT * FROM a'.repeat(700)],
  ];
  for (const [name, sql] of deep) {
    it(`stops at MAX_DEPTH on ${name} and marks the facts truncated`, () => {
      const r = parsePg(sql);
      assert.ok(r.ok, 'PostgreSQL accepts this depth');
      const f = extractFacts(r.stmts[0].stmt, sql);
      assert.equal(f.truncated, true);
      assert.ok(f.blocks.length <= MAX_DEPTH);
    });
  }

  it('survives an AST deeper than any parser would produce', () => {
    // 100,000 levels of A_Expr built by hand: recursion would overflow the stack
    let expr: unknown = { ColumnRef: { fields: [{ String: { sval: 'a' } }], location: 7 } };
    for (let i = 0; i < 100_000; i++) expr = { A_Expr: { kind: 'AEXPR_OP', name: [{ String: { sval: '+' } }], lexpr: expr, rexpr: { A_Const: { ival: { ival: 1 }, location: 9 } }, location: 8 } };
    const ast = { SelectStmt: { targetList: [{ ResTarget: { val: expr, location: 7 } }], op: 'SETOP_NONE' } };
    const f = extractFacts(ast, 'SELECT a+1');
    assert.equal(f.truncated, true);
  });

  it('is not truncated for ordinary statements', () => {
    assert.equal(facts('SELECT ' + Array(200).fill('1').join(' + ')).truncated, false);
    assert.equal(facts('SELECT 1 FROM t WHERE ' + Array(5000).fill('a = 1').join(' OR ')).truncated, false, 'long flat lists are not deep');
  });
});
