/**
 * extractFacts: what each kind of statement is reduced to, and the ranges it reports.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import type { CreateIndex, AlterTable } from '../../../server/engine/facts/types';
import { at, facts } from './helpers';

before(async () => {
  await loadParser();
});

describe('statement kinds and wrappers', () => {
  const kinds: Array<[string, string, string | undefined]> = [
    ['SELECT 1', 'select', undefined],
    ['VALUES (1)', 'select', undefined],
    ['INSERT INTO t VALUES (1)', 'insert', undefined],
    ['UPDATE t SET a = 1', 'update', undefined],
    ['DELETE FROM t', 'delete', undefined],
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', 'merge', undefined],
    ['EXPLAIN (ANALYZE) SELECT 1', 'select', 'explain'],
    ['EXPLAIN DELETE FROM t WHERE a = 1', 'delete', 'explain'],
    ['PREPARE q AS SELECT $1::int', 'select', 'prepare'],
    ['DECLARE c CURSOR FOR SELECT 1', 'select', 'declare-cursor'],
    ['CREATE TABLE x AS SELECT 1', 'select', 'create-table-as'],
    ['CREATE MATERIALIZED VIEW mv AS SELECT 1', 'select', 'create-table-as'],
    ['CREATE VIEW v AS SELECT 1', 'select', 'create-view'],
    ['COPY (SELECT 1) TO STDOUT', 'select', 'copy'],
    ['CREATE INDEX ON t (a)', 'create-index', undefined],
    ['ALTER TABLE t ADD COLUMN a int', 'alter-table', undefined],
    ['DROP INDEX CONCURRENTLY ix', 'drop-index', undefined],
    ['CREATE TABLE t (a int)', 'create-table', undefined],
    ['SET search_path = public', 'other', undefined],
    ['COPY t FROM STDIN', 'other', undefined],
  ];
  for (const [sql, kind, wrapper] of kinds) {
    it(`${sql} -> ${kind}${wrapper ? ` (${wrapper})` : ''}`, () => {
      const f = facts(sql);
      assert.equal(f.kind, kind);
      assert.equal(f.wrapper, wrapper);
      assert.equal(f.truncated, false);
    });
  }

  it('records the statement head and its AST kind', () => {
    const sql = 'WITH x AS (SELECT 1) SELECT * FROM x';
    const f = facts(sql);
    assert.equal(at(sql, f.head), 'WITH');
    assert.equal(f.astKind, 'SelectStmt');
    assert.equal(at(sql, f.blocks[0].head), 'SELECT');
    assert.deepEqual(f.span, { start: 0, end: sql.length });
  });
});

describe('relations and FROM items', () => {
  it('records names, aliases, schemas and tight ranges', () => {
    const sql = 'SELECT 1 FROM public.orders AS o JOIN "Line Items" li ON li.order_id = o.id, ONLY customers';
    const f = facts(sql);
    assert.deepEqual(
      f.relations.map((r) => [r.kind, r.schema, r.name, r.alias, r.refName, at(sql, r.span), r.fromItem, r.only]),
      [
        ['table', 'public', 'orders', 'o', 'o', 'public.orders AS o', 0, false],
        ['table', undefined, 'Line Items', 'li', 'li', '"Line Items" li', 0, false],
        ['table', undefined, 'customers', undefined, 'customers', 'customers', 1, true],
      ],
    );
    assert.deepEqual(f.blocks[0].from.map((i) => [i.names, at(sql, i.span)]), [
      [['o', 'li'], 'public.orders AS o JOIN "Line Items" li ON li.order_id = o.id'],
      [['customers'], 'customers'],
    ]);
  });

  it('knows subqueries, VALUES, functions, CTE references, LATERAL and TABLESAMPLE', () => {
    const sql = `WITH c AS (SELECT 1 AS n)
      SELECT 1 FROM c, (SELECT 2) one, (VALUES (1), (2)) v(x), generate_series(1, 3) g,
      LATERAL (SELECT c.n) l, big TABLESAMPLE SYSTEM (1)`;
    const f = facts(sql);
    const top = f.relations.filter((r) => r.block === 0);
    assert.deepEqual(
      top.map((r) => [r.kind, r.refName, r.lateral, r.singleRow, r.tablesample]),
      [
        ['cte', 'c', false, true, false],
        ['subquery', 'one', false, true, false],
        ['values', 'v', false, false, false],
        ['function', 'g', false, false, false],
        ['subquery', 'l', true, true, false],
        ['table', 'big', false, false, true],
      ],
    );
    assert.equal(at(sql, top[1].span), '(SELECT 2) one');
    assert.equal(at(sql, top[2].span), '(VALUES (1), (2)) v(x)');
    assert.equal(at(sql, top[4].span), 'LATERAL (SELECT c.n) l');
    assert.equal(f.ctes[0].references, 1);
  });
});

describe('joins', () => {
  it('classifies explicit, natural, USING, CROSS and comma joins', () => {
    const sql = 'SELECT 1 FROM a JOIN b ON b.id = a.id LEFT JOIN c USING (id) NATURAL FULL JOIN d CROSS JOIN e, f';
    const f = facts(sql);
    assert.deepEqual(
      f.joins.map((j) => [j.type, j.natural, j.using, at(sql, j.condition), j.left, j.right]),
      [
        ['inner', false, undefined, 'b.id = a.id', ['a'], ['b']],
        ['left', false, ['id'], undefined, ['a', 'b'], ['c']],
        ['full', true, undefined, undefined, ['a', 'b', 'c'], ['d']],
        ['cross', false, undefined, undefined, ['a', 'b', 'c', 'd'], ['e']],
        ['comma', false, undefined, undefined, ['a', 'b', 'c', 'd', 'e'], ['f']],
      ],
    );
  });

  it('groups comma-joined items that WHERE or LATERAL connect', () => {
    const components = (sql: string) => facts(sql).blocks[0].from.map((i) => i.component);
    assert.deepEqual(components('SELECT 1 FROM a, b, c WHERE b.x = c.x'), [0, 1, 1]);
    assert.deepEqual(components('SELECT 1 FROM a, b, c WHERE a.x = b.x AND c.y = 1'), [0, 0, 2]);
    assert.deepEqual(components('SELECT 1 FROM a, b WHERE a.x = 1 OR b.y = a.y'), [0, 0]);
    assert.deepEqual(components('SELECT 1 FROM a, b WHERE EXISTS (SELECT 1 FROM c WHERE c.a = a.id AND c.b = b.id)'), [0, 0]);
    assert.deepEqual(components('SELECT 1 FROM a, unnest(a.tags) t'), [0, 0]);
    assert.deepEqual(components('SELECT 1 FROM a, LATERAL (SELECT * FROM b WHERE b.a = a.id) s, c'), [0, 0, 2]);
    assert.equal(facts('SELECT 1 FROM a, b WHERE x = y').blocks[0].linkUnknown, true);
    assert.equal(facts('SELECT 1 FROM a, b WHERE a.x = y').blocks[0].linkUnknown, true);
    assert.equal(facts('SELECT 1 FROM a, b WHERE x = 1').blocks[0].linkUnknown, false);
  });
});

describe('select list', () => {
  it('records * and t.* with their ranges, not count(*)', () => {
    const sql = 'SELECT *, t.*, "Q".* , count(*) FROM t, "Q"';
    const f = facts(sql);
    assert.deepEqual(f.stars.map((s) => [s.qualifier, at(sql, s.span), s.clause]), [
      [undefined, '*', 'select'],
      ['t', 't.*', 'select'],
      ['Q', '"Q".*', 'select'],
    ]);
    assert.equal(f.blocks[0].targetCount, 4);
  });

  it('knows constant select lists and RETURNING stars', () => {
    assert.equal(facts('SELECT 1, $1, NULL, true FROM t').blocks[0].constantTargets, true);
    assert.equal(facts('SELECT 1, a FROM t').blocks[0].constantTargets, false);
    const sql = 'DELETE FROM t WHERE a = 1 RETURNING *';
    assert.deepEqual(facts(sql).stars.map((s) => [s.clause, at(sql, s.span)]), [['returning', '*']]);
  });
});

describe('predicates', () => {
  it('records operator, operands, wrappers and the other side', () => {
    const sql = `SELECT 1 FROM t WHERE lower(t.email) = $1 AND created_at::date >= '2024-01-01'
      AND price * 2 < 10 AND a <> b AND c = NULL AND d != 3 AND e > (SELECT 1)`;
    const f = facts(sql);
    assert.deepEqual(
      f.predicates.map((p) => [p.kind, p.operator, at(sql, p.opSpan), p.left.kind, p.left.wrapper, p.left.wrapperName, at(sql, p.left.span), p.right?.kind]),
      [
        ['comparison', '=', '=', 'expression', 'function', 'lower', 'lower(t.email)', 'param'],
        ['comparison', '>=', '>=', 'expression', 'cast', 'date', 'created_at::date', 'constant'],
        ['comparison', '<', '<', 'expression', 'arithmetic', '*', 'price * 2', 'constant'],
        ['comparison', '<>', '<>', 'column', undefined, undefined, 'a', 'column'],
        ['comparison', '=', '=', 'column', undefined, undefined, 'c', 'null'],
        ['comparison', '<>', '!=', 'column', undefined, undefined, 'd', 'constant'],
        ['comparison', '>', '>', 'column', undefined, undefined, 'e', 'subquery'],
      ],
    );
    assert.deepEqual(f.predicates[0].left.columns.map((c) => [c.qualifier, c.name, c.scope, at(sql, c.span)]), [['t', 'email', 'local', 't.email']]);
    assert.equal(f.predicates[1].right?.value, '2024-01-01');
  });

  it('records LIKE, IN, BETWEEN, IS NULL, IS DISTINCT FROM and ANY with negation', () => {
    const sql = `SELECT 1 FROM t WHERE a NOT LIKE 'x%' AND b ILIKE '%y' AND c IN (1, 2) AND d NOT IN (3)
      AND e NOT BETWEEN 1 AND 2 AND f IS NOT NULL AND g IS DISTINCT FROM 1 AND h = ANY($1) AND i @> '{1}'`;
    const f = facts(sql);
    assert.deepEqual(
      f.predicates.map((p) => [p.kind, p.operator, p.negated, at(sql, p.opSpan), p.right?.kind]),
      [
        ['like', 'like', true, 'NOT LIKE', 'constant'],
        ['like', 'ilike', false, 'ILIKE', 'constant'],
        ['in-list', 'in', false, 'IN', 'list'],
        ['in-list', 'in', true, 'NOT IN', 'list'],
        ['between', 'between', true, 'NOT BETWEEN', 'list'],
        ['null-test', 'is null', true, 'IS NOT NULL', undefined],
        ['distinct', 'is distinct from', false, 'IS DISTINCT FROM', 'constant'],
        ['array', 'any', false, '= ANY', 'param'],
        ['other', '@>', false, '@>', 'constant'],
      ],
    );
    assert.equal(at(sql, f.predicates[5].span), 'f IS NOT NULL');
  });

  it('knows which LIKE patterns start with a wildcard', () => {
    const like = (pattern: string) => facts(`SELECT 1 FROM t WHERE a LIKE ${pattern}`).predicates[0].like;
    assert.deepEqual(like("'abc%'"), { leadingWildcard: false, param: false, prefix: 'abc%' });
    assert.deepEqual(like("'%abc'"), { leadingWildcard: true, param: false, prefix: '%abc' });
    assert.deepEqual(like("'_bc'"), { leadingWildcard: true, param: false, prefix: '_bc' });
    assert.deepEqual(like("'%' || $1"), { leadingWildcard: true, param: false, prefix: '%' });
    assert.deepEqual(like("concat('%', $1, '%')"), { leadingWildcard: true, param: false, prefix: '%' });
    assert.deepEqual(like('$1'), { leadingWildcard: false, param: true });
    assert.deepEqual(like("'\\%x'"), { leadingWildcard: false, param: false, prefix: '\\%x' });
  });

  it('records clause, OR membership and OR groups', () => {
    const sql = 'SELECT CASE WHEN x = 1 THEN 0 END FROM a JOIN b ON b.id = a.id WHERE (p = 1 OR q = 2 OR r = 3) AND s = 4 GROUP BY 1 HAVING count(*) > 1';
    const f = facts(sql);
    assert.deepEqual(
      f.predicates.map((p) => [at(sql, p.span), p.clause, p.underOr]),
      [
        ['b.id = a.id', 'join', false],
        ['x = 1', 'select', false],
        ['p = 1', 'where', true],
        ['q = 2', 'where', true],
        ['r = 3', 'where', true],
        ['s = 4', 'where', false],
        ['count(*) > 1', 'having', false],
      ],
      'FROM (with its JOIN conditions) is walked before the select list',
    );
    assert.deepEqual(f.ors.map((o) => [o.branches, o.clause, at(sql, o.span)]), [[3, 'where', 'p = 1 OR q = 2 OR r = 3']]);
  });

  it('records NOT IN (subquery) in both spellings', () => {
    const sql = 'SELECT 1 FROM t WHERE a NOT IN (SELECT x FROM u) AND NOT (b IN (SELECT y FROM v)) AND c <> ALL (SELECT z FROM w)';
    const f = facts(sql);
    assert.deepEqual(
      f.predicates.map((p) => [p.kind, p.operator, p.compare, p.negated, at(sql, p.opSpan)]),
      [
        ['sublink', 'in', '=', true, 'NOT IN'],
        ['sublink', 'in', '=', true, 'NOT (b IN'],
        ['sublink', 'all', '<>', false, '<> ALL'],
      ],
    );
  });
});

describe('sort keys, limits and locking', () => {
  it('records ORDER BY keys with direction, random() and positions', () => {
    const sql = 'SELECT a FROM t ORDER BY a DESC NULLS LAST, random(), 1, lower(b) USING <';
    const f = facts(sql);
    assert.equal(at(sql, f.blocks[0].orderBy), 'ORDER BY');
    assert.deepEqual(
      f.sorts.map((s) => [at(sql, s.span), s.direction, s.nulls, s.random, s.position]),
      [
        ['a', 'desc', 'last', false, undefined],
        ['random()', 'default', 'default', true, undefined],
        ['1', 'default', 'default', false, 1],
        ['lower(b)', 'using', 'default', false, undefined],
      ],
    );
  });

  it('does not take window or aggregate ORDER BY for the query order', () => {
    const f = facts('SELECT row_number() OVER (ORDER BY a), array_agg(b ORDER BY c) FROM t');
    assert.equal(f.sorts.length, 0);
    assert.equal(f.blocks[0].orderBy, undefined);
  });

  it('records LIMIT / OFFSET / FETCH values and their clauses', () => {
    const limit = (sql: string) => {
      const b = facts(sql).blocks[0];
      return [b.limit && [b.limit.kind, b.limit.value, at(sql, b.limit.clause)], b.offset && [b.offset.kind, b.offset.value, at(sql, b.offset.clause)]];
    };
    assert.deepEqual(limit('SELECT 1 FROM t LIMIT 10 OFFSET $1'), [['constant', 10, 'LIMIT 10'], ['param', undefined, 'OFFSET $1']]);
    assert.deepEqual(limit('SELECT 1 FROM t OFFSET 20 ROWS FETCH NEXT 5 ROWS ONLY'), [['constant', 5, 'FETCH NEXT 5 ROWS ONLY'], ['constant', 20, 'OFFSET 20 ROWS']]);
    assert.deepEqual(limit('SELECT 1 FROM t FETCH FIRST ROW ONLY'), [['constant', 1, 'FETCH FIRST ROW ONLY'], undefined]);
    assert.deepEqual(limit('SELECT 1 FROM t LIMIT ALL'), [undefined, undefined]);
    assert.deepEqual(limit('SELECT 1 FROM t LIMIT (2 + 3)'), [['expression', undefined, 'LIMIT (2 + 3)'], undefined]);
    assert.deepEqual(limit('SELECT 1 FROM t LIMIT 0'), [['constant', 0, 'LIMIT 0'], undefined]);
  });

  it('records locking clauses', () => {
    assert.deepEqual(facts('SELECT 1 FROM t FOR UPDATE SKIP LOCKED').blocks[0].locking, [{ strength: 'update', wait: 'skip locked' }]);
    assert.deepEqual(facts('SELECT 1 FROM t FOR KEY SHARE NOWAIT').blocks[0].locking, [{ strength: 'key share', wait: 'nowait' }]);
  });
});

describe('subqueries, correlation and CTEs', () => {
  it('records depth, context and correlation', () => {
    const sql = `SELECT (SELECT max(x) FROM u WHERE u.t_id = t.id) FROM t
      WHERE EXISTS (SELECT 1 FROM v WHERE v.k IN (SELECT k FROM w WHERE w.z = t.z)) AND t.a IN (SELECT a FROM s)`;
    const f = facts(sql);
    assert.deepEqual(
      f.subqueries.map((s) => [s.context, s.depth, s.correlated, s.parent]),
      [
        ['scalar', 1, true, 0],
        ['in', 2, true, 2],
        ['exists', 1, true, 0],
        ['in', 1, false, 0],
      ],
    );
    // the innermost subquery refers to t, two levels up: both levels are correlated
    assert.deepEqual(f.blocks[3].outerRefs, ['t.z']);
    assert.deepEqual(f.blocks[2].outerRefs, ['t.z']);
  });

  it('treats unqualified names in a FROM-less subquery as outer references', () => {
    const f = facts('SELECT (SELECT a + 1) FROM t');
    assert.equal(f.subqueries[0].correlated, true);
  });

  it('records CTEs, their references, recursion and materialization', () => {
    const sql = `WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3),
      m AS MATERIALIZED (SELECT * FROM t), unused AS NOT MATERIALIZED (SELECT 1),
      d AS (DELETE FROM q RETURNING id)
      SELECT * FROM r JOIN m ON true JOIN m m2 ON true, d`;
    const f = facts(sql);
    assert.deepEqual(
      f.ctes.map((c) => [c.name, at(sql, c.span), c.recursive, c.materialized, c.references, c.body, f.blocks[c.block]?.role]),
      [
        ['r', 'r', true, 'default', 1, 'select', 'cte'],
        ['m', 'm', false, 'always', 2, 'select', 'cte'],
        ['unused', 'unused', false, 'never', 0, 'select', 'cte'],
        ['d', 'd', false, 'default', 1, 'delete', 'cte'],
      ],
    );
  });

  it('records set operations with their keyword', () => {
    const sql = 'SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT DISTINCT SELECT 4';
    const f = facts(sql);
    assert.deepEqual(
      f.setOperations.map((s) => [s.op, s.all, at(sql, s.span)]).sort(),
      [
        ['except', false, 'EXCEPT DISTINCT'],
        ['intersect', false, 'INTERSECT'],
        ['union', true, 'UNION ALL'],
      ],
    );
    const top = f.blocks[0];
    assert.ok(top.setOp);
    assert.equal(f.blocks[top.setOp.left].role, 'set-branch');
  });
});

describe('aggregates and window functions', () => {
  it('tells them apart', () => {
    const sql = 'SELECT count(*), sum(DISTINCT a) FILTER (WHERE b), rank() OVER w, avg(c) OVER (PARTITION BY d), my_agg(e ORDER BY f) FROM t WINDOW w AS (ORDER BY a)';
    const f = facts(sql);
    assert.deepEqual(f.aggregates.map((a) => [a.name, a.star, a.distinct, a.filter, at(sql, a.span)]), [
      ['count', true, false, false, 'count(*)'],
      ['sum', false, true, true, 'sum(DISTINCT a) FILTER (WHERE b)'],
      ['my_agg', false, false, false, 'my_agg(e ORDER BY f)'],
    ]);
    assert.deepEqual(f.windows.map((w) => [w.name, at(sql, w.span)]), [
      ['rank', 'rank() OVER w'],
      ['avg', 'avg(c) OVER (PARTITION BY d)'],
    ]);
    assert.equal(f.blocks[0].aggregates, true);
    assert.equal(facts('SELECT rank() OVER (ORDER BY a) FROM t').blocks[0].aggregates, false);
  });
});

describe('writes', () => {
  it('records UPDATE / DELETE / INSERT / MERGE with or without WHERE', () => {
    const w = (sql: string) => facts(sql).writes.map((x) => [x.kind, x.table, x.alias, x.hasWhere, at(sql, x.head), x.returning]);
    assert.deepEqual(w('UPDATE ONLY s.orders o SET a = 1 FROM c WHERE c.id = o.cid RETURNING o.id'), [['update', 'orders', 'o', true, 'UPDATE ONLY s.orders', true]]);
    assert.deepEqual(w('DELETE FROM orders'), [['delete', 'orders', undefined, false, 'DELETE FROM orders', false]]);
    assert.deepEqual(w('DELETE FROM orders WHERE CURRENT OF cur'), [['delete', 'orders', undefined, true, 'DELETE FROM orders', false]]);
    assert.deepEqual(w('INSERT INTO log (a) SELECT a FROM src'), [['insert', 'log', undefined, false, 'INSERT INTO log', false]]);
    assert.deepEqual(w('MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE'), [['merge', 't', undefined, false, 'MERGE INTO t', false]]);
    assert.deepEqual(
      w('WITH gone AS (DELETE FROM a RETURNING id) UPDATE b SET x = 1'),
      [
        ['delete', 'a', undefined, false, 'DELETE FROM a', true],
        ['update', 'b', undefined, false, 'UPDATE b', false],
      ],
    );
  });

  it('makes the UPDATE target FROM item 0 and its FROM list the following ones', () => {
    const sql = 'UPDATE t SET a = u.a FROM u, v WHERE u.id = t.id';
    const b = facts(sql).blocks[0];
    assert.equal(b.statement, 'update');
    assert.deepEqual(b.from.map((i) => [i.names, i.component]), [[['t'], 0], [['u'], 0], [['v'], 2]]);
  });

  it('walks the INSERT source as its own block', () => {
    const f = facts('INSERT INTO t SELECT * FROM u WHERE u.a = 1');
    assert.deepEqual(f.blocks.map((b) => [b.role, b.statement]), [['statement', 'insert'], ['insert-source', 'select']]);
    assert.equal(f.predicates[0].block, 1);
  });
});

describe('DDL', () => {
  it('describes CREATE INDEX', () => {
    const sql = 'CREATE UNIQUE INDEX IF NOT EXISTS ix ON app.users USING btree (lower(email), id) INCLUDE (name) WHERE active';
    const ix = facts(sql).ddl[0] as CreateIndex;
    assert.deepEqual(
      [ix.table, ix.schema, ix.name, ix.concurrently, ix.unique, ix.only, ix.method, ix.columns, ix.partial, at(sql, ix.head), at(sql, ix.tableSpan)],
      ['users', 'app', 'ix', false, true, false, 'btree', ['lower(email)', 'id'], true, 'CREATE UNIQUE INDEX', 'app.users'],
    );
    assert.equal(sql.slice(0, ix.concurrentlyAt), 'CREATE UNIQUE INDEX');
    const c = facts('CREATE INDEX CONCURRENTLY ON ONLY p (a)').ddl[0] as CreateIndex;
    assert.deepEqual([c.concurrently, c.only, c.name], [true, true, undefined]);
  });

  it('describes ALTER TABLE actions', () => {
    const sql = `ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT gen_random_uuid(), ADD COLUMN b int DEFAULT 0,
      ALTER COLUMN c TYPE bigint, ALTER COLUMN d SET NOT NULL, ALTER COLUMN e DROP DEFAULT,
      ADD CONSTRAINT fk FOREIGN KEY (x) REFERENCES u (id) NOT VALID, VALIDATE CONSTRAINT fk,
      ADD CONSTRAINT pk PRIMARY KEY USING INDEX pk_idx, DROP COLUMN f`;
    const a = facts(sql).ddl[0] as AlterTable;
    assert.equal(a.table, 't');
    assert.deepEqual(
      a.actions.map((x) => [x.action, x.column, x.default, x.notNull, x.constraint]),
      [
        ['add-column', 'a', { volatile: true }, true, undefined],
        ['add-column', 'b', { volatile: false }, undefined, undefined],
        ['alter-column-type', 'c', undefined, undefined, undefined],
        ['set-not-null', 'd', undefined, undefined, undefined],
        ['drop-default', 'e', undefined, undefined, undefined],
        ['add-constraint', undefined, undefined, undefined, { type: 'foreign-key', name: 'fk', notValid: true, usingIndex: false }],
        ['validate-constraint', 'fk', undefined, undefined, undefined],
        ['add-constraint', undefined, undefined, undefined, { type: 'primary-key', name: 'pk', notValid: false, usingIndex: true }],
        ['drop-column', 'f', undefined, undefined, undefined],
      ],
    );
  });
});

describe('parameters', () => {
  it('lists distinct parameter numbers, DDL included', () => {
    assert.deepEqual(facts('SELECT $2, $1 FROM t WHERE a = $2 LIMIT $3').params, [1, 2, 3]);
    assert.deepEqual(facts('PREPARE p AS SELECT 1 FROM t WHERE a = $1').params, [1]);
    assert.deepEqual(facts('SELECT 1').params, []);
  });
});
