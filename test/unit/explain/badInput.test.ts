import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffPlans, parsePlan, PlanParseError, planTips, renderPlanText, toJson } from '../../../src/explain';
import { bigJsonPlan, bigTextPlan } from './bigPlans';
import { assertNoNegative, fixture, sumExclusive } from './helpers';

const GOOD_JSON = fixture('pg17-serialize.json');
const GOOD_TEXT = fixture('pg17-initplan.txt');

function parseError(input: unknown): PlanParseError {
  try {
    parsePlan(input);
  } catch (e) {
    assert.ok(e instanceof PlanParseError, `expected PlanParseError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a PlanParseError');
}

describe('truncated input', () => {
  it('says a cut JSON plan is incomplete, wherever it was cut', () => {
    for (const at of [1, 10, Math.floor(GOOD_JSON.length / 3), Math.floor(GOOD_JSON.length / 2), GOOD_JSON.length - 10]) {
      const e = parseError(GOOD_JSON.slice(0, at));
      assert.match(e.message, /EXPLAIN \(FORMAT JSON\)/);
      assert.match(e.message, /incomplete|truncated|not valid JSON/);
    }
  });

  it('points at the line of a JSON syntax error', () => {
    const broken = GOOD_JSON.replace('"Plan Rows": 423,', '"Plan Rows": 423,,');
    const e = parseError(broken);
    assert.match(e.message, /line 12/);
    assert.equal(e.line, 12);
  });

  it('parses what is there of a cut text plan, with a warning for a cut node line', () => {
    const lines = GOOD_TEXT.split('\n');
    const atLine = parsePlan(lines.slice(0, 12).join('\n'));
    assert.equal(atLine.nodes.length, 2);
    const midLine = parsePlan(`${lines.slice(0, 12).join('\n')}\n           ->  Seq Scan on public.orders orders_1  (cost=0.00..22.70 rows=1270 width=16) (actual time=0.0`);
    assert.equal(midLine.nodes.length, 3);
    assert.equal(midLine.nodes[2].actualTotalTimeMs, null);
    assert.equal(midLine.nodes[2].planRows, 1270);
    assert.match(midLine.warnings.join('\n'), /cut short/);
    assertNoNegative(midLine);
  });
});

describe('input from other tools', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['MySQL EXPLAIN ANALYZE (tree)', fixture('mysql-explain-analyze.txt'), /another database/],
    ['MySQL tabular EXPLAIN', `+----+-------------+-------+------+------+\n| id | select_type | table | type | rows |\n+----+-------------+-------+------+------+\n|  1 | SIMPLE      | t     | ALL  | 1000 |\n+----+-------------+-------+------+------+`, /found no plan node/],
    ['SQLite EXPLAIN QUERY PLAN', 'QUERY PLAN\n`--SCAN t\n', /found no plan node/],
    ['SQL Server showplan XML', '<?xml version="1.0"?><ShowPlanXML xmlns="http://schemas.microsoft.com/sqlserver/2004/07/showplan"><BatchSequence/></ShowPlanXML>', /found no plan node/],
    ['Oracle DBMS_XPLAN', 'Plan hash value: 1357081020\n\n| Id  | Operation         | Name |\n|   0 | SELECT STATEMENT  |      |\n|*  1 |  TABLE ACCESS FULL| T    |', /found no plan node/],
    ['MySQL JSON', '{"query_block": {"select_id": 1, "table": {"table_name": "t"}}}', /"query_block"/],
    ['prose', 'The query was slow yesterday, can you look at it?', /starts at line 1 with "The query was slow/],
    ['binary garbage', '\u0000\u0001\u0002\u00ff\u00fe', /found no plan node/],
  ];
  for (const [name, input, message] of cases) {
    it(`rejects ${name} clearly`, () => {
      const e = parseError(input);
      assert.match(e.message, /Expected/);
      assert.match(e.message, message);
    });
  }

  it('keeps unknown node types from a newer PostgreSQL, with a warning', () => {
    const m = parsePlan(` Hash Join  (cost=1.00..2.00 rows=1 width=4) (actual time=0.100..1.000 rows=1 loops=1)
   ->  Vector Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=0.010..0.500 rows=1 loops=1)
   ->  Hash  (cost=1.00..1.00 rows=1 width=4) (actual time=0.200..0.200 rows=1 loops=1)
         ->  Seq Scan on u  (cost=0.00..1.00 rows=1 width=4) (actual time=0.010..0.100 rows=1 loops=1)`);
    assert.deepEqual(m.nodes.map((n) => n.nodeType), ['Hash Join', 'Vector Scan on t', 'Hash', 'Seq Scan']);
    assert.match(m.warnings.join('\n'), /unknown node type "Vector Scan on t"/);
  });
});

describe('a 50 MB plan', () => {
  it('parses deep and wide JSON without recursion and in linear time', () => {
    const small = bigJsonPlan(2000, 12000);
    const big = bigJsonPlan(20000, 120000);
    assert.ok(big.length > 50e6, `${(big.length / 1e6).toFixed(1)} MB`);
    let t = performance.now();
    const s = parsePlan(small);
    const smallMs = performance.now() - t;
    t = performance.now();
    const m = parsePlan(big);
    const bigMs = performance.now() - t;
    assert.equal(s.nodes.length, 2000 + 1 + 1 + 12000 + 120);
    assert.equal(m.nodes.length, 20000 + 1 + 1 + 120000 + 1200);
    assert.equal(m.nodes[m.nodes.length - 1].depth, 20001);
    assertNoNegative(m);
    assert.ok(Math.abs(sumExclusive(m) - (m.rootTimeMs ?? 0)) < 1e-3, 'exclusive times sum to the root');
    // Each CTE is hosted by its own scan, never by a same-named scan elsewhere.
    const cte = m.nodes.find((n) => n.subplanName === 'CTE c500');
    const scan = m.nodes.find((n) => n.cteName === 'c500');
    assert.ok(cte && scan);
    assert.ok(Math.abs((scan.exclusiveTimeMs ?? -1) - 0.0004) < 1e-9);
    // Ten times the input must not cost anywhere near a hundred times the time.
    assert.ok(bigMs < smallMs * 40 + 2000, `small ${smallMs.toFixed(0)} ms, big ${bigMs.toFixed(0)} ms`);
    // The other entry points cope too.
    t = performance.now();
    assert.ok(planTips(m).length >= 0);
    assert.equal(toJson(m).nodes.length, m.nodes.length);
    assert.ok(renderPlanText(m).length > 0);
    const d = diffPlans(m, m);
    assert.equal(d.matches.length, m.nodes.length);
    assert.ok(performance.now() - t < 30000);
  });

  it('parses a deep and wide text plan the same way', () => {
    const text = bigTextPlan(3000, 150000);
    assert.ok(text.length > 45e6, `${(text.length / 1e6).toFixed(1)} MB`);
    const m = parsePlan(text);
    assert.equal(m.nodes.length, 1 + 150000 + 3000);
    assert.equal(m.nodes[150000].buffers?.sharedHit, 1);
    assert.equal(m.nodes[150000].properties.Filter, '(partition_149999.payload IS NOT NULL)');
    const last = m.nodes[m.nodes.length - 1];
    assert.equal(last.nodeType, 'Limit');
    assert.equal(last.depth, 3000);
    assert.equal(last.parentId, m.nodes.length - 2);
    assert.deepEqual(m.warnings, []);
    assertNoNegative(m);
    assert.ok(Math.abs(sumExclusive(m) - (m.rootTimeMs ?? 0)) < 1e-3);
  });
});
