/**
 * Rule behaviour that fixtures cannot express: options, host information, messages.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { largeOffset } from '../../../server/engine/rules/large-offset';
import { tooManyJoins } from '../../../server/engine/rules/too-many-joins';
import { queryInLoop } from '../../../server/engine/rules/query-in-loop';
import { selectStar } from '../../../server/engine/rules/select-star';
import { nonSargablePredicate } from '../../../server/engine/rules/non-sargable-predicate';
import { implicitCrossJoin } from '../../../server/engine/rules/implicit-cross-join';
import { limitWithoutOrderBy } from '../../../server/engine/rules/limit-without-order-by';
import type { HostInfo } from '../../../server/engine/types';
import { runRule } from './harness';

before(async () => {
  await loadParser();
});

describe('large-offset', () => {
  it('follows options.offsetThreshold (inclusive)', () => {
    const sql = 'SELECT id FROM t ORDER BY id LIMIT 10 OFFSET 500';
    assert.equal(runRule(largeOffset, sql).reports.length, 0);
    assert.equal(runRule(largeOffset, sql, { options: { offsetThreshold: 500 } }).reports.length, 1);
    assert.equal(runRule(largeOffset, sql, { options: { offsetThreshold: 501 } }).reports.length, 0);
  });

  it('reports a parameter offset whatever the threshold, and suggests keyset pagination', () => {
    const r = runRule(largeOffset, 'SELECT id FROM t ORDER BY id LIMIT 10 OFFSET $1::int', { options: { offsetThreshold: 1e9 } }).reports;
    assert.equal(r.length, 1);
    assert.equal(r[0].text, 'OFFSET $1::int');
    assert.match(r[0].message, /keyset pagination/);
  });
});

describe('too-many-joins', () => {
  const join = (n: number) => 'SELECT 1 FROM t0 ' + Array.from({ length: n - 1 }, (_, i) => `JOIN t${i + 1} ON t${i + 1}.id = t${i}.id`).join(' ');

  it('counts relations per FROM clause against options.maxJoins', () => {
    assert.equal(runRule(tooManyJoins, join(8)).reports.length, 0);
    const r = runRule(tooManyJoins, join(9)).reports;
    assert.equal(r.length, 1);
    assert.equal(r[0].text, 't8', 'the first relation past the limit');
    assert.match(r[0].message, /joins 9 relations/);
    assert.equal(runRule(tooManyJoins, join(4), { options: { maxJoins: 3 } }).reports.length, 1);
    assert.equal(runRule(tooManyJoins, join(4), { options: { maxJoins: 4 } }).reports.length, 0);
  });

  it('counts each subquery in its own FROM clause', () => {
    const sql = `SELECT 1 FROM a JOIN b ON true JOIN (${join(5).replace('SELECT 1', 'SELECT t0.id')}) s ON true`;
    assert.equal(runRule(tooManyJoins, sql, { options: { maxJoins: 5 } }).reports.length, 0);
    assert.equal(runRule(tooManyJoins, sql, { options: { maxJoins: 4 } }).reports.length, 1);
  });
});

describe('query-in-loop', () => {
  const host = (kind: string, line = 11): HostInfo => ({ language: 'typescript', callName: 'query', knownCall: true, loop: { kind, line } });
  const sql = 'SELECT id FROM orders WHERE user_id = $1';

  it('needs a loop', () => {
    assert.equal(runRule(queryInLoop, sql).reports.length, 0);
    assert.equal(runRule(queryInLoop, sql, { host: { language: 'typescript', callName: 'query', knownCall: true } }).reports.length, 0);
  });

  it('names the loop kind and its 1-based line, and covers the whole statement', () => {
    const [r] = runRule(queryInLoop, sql, { host: host('for-of') }).reports;
    assert.match(r.message, /`for-of` loop on line 12/);
    assert.match(r.message, /= ANY\(\$1\)/);
    assert.equal(r.text, sql);
    assert.match(runRule(queryInLoop, sql, { host: host('map', 0) }).reports[0].message, /\.map\(\) callback on line 1/);
    assert.match(runRule(queryInLoop, sql, { host: host('list-comprehension') }).reports[0].message, /list comprehension on line 12/);
  });

  it('gives write-specific advice', () => {
    assert.match(runRule(queryInLoop, 'INSERT INTO t (a) VALUES ($1)', { host: host('for') }).reports[0].message, /unnest/);
    assert.match(runRule(queryInLoop, 'UPDATE t SET a = $2 WHERE id = $1', { host: host('for') }).reports[0].message, /UPDATE \.\.\. FROM unnest/);
  });

  it('ignores statements without parameters and non-data statements', () => {
    assert.equal(runRule(queryInLoop, 'SELECT id FROM jobs LIMIT 1 FOR UPDATE SKIP LOCKED', { host: host('while') }).reports.length, 0);
    assert.equal(runRule(queryInLoop, 'BEGIN', { host: host('for') }).reports.length, 0);
    assert.equal(runRule(queryInLoop, 'SET search_path = $1', { host: host('for') }).reports.length, 0);
  });
});

describe('messages name what is slow', () => {
  it('select-star names the table', () => {
    assert.match(runRule(selectStar, 'SELECT * FROM public.orders').reports[0].message, /every column of `orders`/);
  });

  it('non-sargable-predicate explains each kind of wrapper', () => {
    const msg = (sql: string) => runRule(nonSargablePredicate, sql).reports.map((r) => r.message).join('\n');
    assert.match(msg('SELECT 1 FROM t WHERE lower(email) = $1'), /expression index on lower\(email\)/);
    assert.match(msg('SELECT 1 FROM t WHERE ts::date = $1'), /range/);
    assert.match(msg('SELECT 1 FROM t WHERE price * 2 > 10'), /Move the arithmetic/);
  });

  it('implicit-cross-join names both sides', () => {
    const [r] = runRule(implicitCrossJoin, 'SELECT 1 FROM orders o, customers c').reports;
    assert.match(r.message, /^`customers c` has no join condition with `orders o`/);
  });

  it('limit-without-order-by keeps quiet about outer-column lookups only when they are constants', () => {
    assert.equal(runRule(limitWithoutOrderBy, 'SELECT id FROM t WHERE k = $1 LIMIT 1').reports.length, 0);
    assert.equal(runRule(limitWithoutOrderBy, 'SELECT (SELECT id FROM u WHERE u.k = t.k LIMIT 1) FROM t').reports.length, 1);
    assert.equal(runRule(limitWithoutOrderBy, 'SELECT id FROM t WHERE k = $1 LIMIT 2').reports.length, 1);
  });
});
