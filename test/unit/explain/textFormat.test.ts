import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePlan } from '../../../src/explain';
import { composeNodeType, parseNodeName } from '../../../src/explain/nodeNames';
import { assertNoNegative, assertSameModel, close, fixture, sumExclusive } from './helpers';

const HASH_JOIN_PSQL = `                                                   QUERY PLAN
----------------------------------------------------------------------------------------------------------------
 Hash Join  (cost=1.09..2.21 rows=3 width=8) (actual time=0.031..0.534 rows=3 loops=1)
   Output: a.x, b.y
   Hash Cond: (a.id = b.id)
   Buffers: shared hit=2 read=1
   ->  Seq Scan on public.a  (cost=0.00..1.05 rows=5 width=8) (actual time=0.008..0.209 rows=5 loops=1)
         Output: a.id, a.x
         Filter: (a.x > 0)
         Rows Removed by Filter: 7
         Buffers: shared hit=1
   ->  Hash  (cost=1.04..1.04 rows=4 width=8) (actual time=0.012..0.212 rows=4 loops=1)
         Output: b.y, b.id
         Buckets: 1024  Batches: 1  Memory Usage: 9kB
         Buffers: shared hit=1 read=1
         ->  Seq Scan on public.b  (cost=0.00..1.04 rows=4 width=8) (actual time=0.004..0.105 rows=4 loops=1)
               Output: b.y, b.id
               Buffers: shared hit=1 read=1
 Planning:
   Buffers: shared hit=12
 Planning Time: 0.123 ms
 Execution Time: 0.560 ms
(20 rows)
`;

describe('text format', () => {
  it('reads psql output with header, rule, footer and the leading column', () => {
    const m = parsePlan(HASH_JOIN_PSQL);
    assert.deepEqual(m.nodes.map((n) => n.nodeType), ['Hash Join', 'Seq Scan', 'Hash', 'Seq Scan']);
    assert.deepEqual(m.nodes.map((n) => n.parentId), [null, 0, 0, 2]);
    assert.deepEqual(m.nodes.map((n) => n.parentRelationship), [null, 'Outer', 'Inner', 'Outer']);
    assert.deepEqual(m.nodes.map((n) => n.relation), [null, 'a', null, 'b']);
    assert.equal(m.nodes[1].schema, 'public');
    assert.equal(m.nodes[0].joinType, 'Inner');
    assert.equal(m.nodes[1].rowsRemovedByFilterTotal, 7);
    assert.deepEqual(m.nodes[2].hash, { buckets: 1024, originalBuckets: 1024, batches: 1, originalBatches: 1, memoryKb: 9 });
    assert.equal(m.nodes[0].properties['Hash Cond'], '(a.id = b.id)');
    assert.equal(m.planningTimeMs, 0.123);
    assert.equal(m.executionTimeMs, 0.56);
    assert.equal(m.planningBuffers?.sharedHit, 12);
    assert.equal(m.totalCost, 2.21);
    assert.deepEqual(m.warnings, []);
    close(m.nodes[0].exclusiveTimeMs, 0.534 - 0.209 - 0.212, 1e-9, 'join exclusive');
    close(sumExclusive(m), 0.534, 1e-9, 'sum');
    assert.equal(m.nodes[0].exclusiveBuffers?.sharedHit, 0);
    assert.equal(m.nodes[2].exclusiveBuffers?.sharedRead, 0);
    assert.equal(m.nodes[3].exclusiveBuffers?.sharedRead, 1);
  });

  it('gives the same model without decoration, with other indentation and surrounding whitespace', () => {
    const bare = HASH_JOIN_PSQL.split('\n')
      .slice(2, -2)
      .map((l) => l.slice(1))
      .join('\n');
    const a = parsePlan(HASH_JOIN_PSQL);
    const b = parsePlan(`\n\n   \n${bare}\n\n  \n`);
    assertSameModel(b, a);
    assert.equal(b.executionTimeMs, a.executionTimeMs);
  });

  it('reads driver rows keyed "QUERY PLAN" and arrays of lines', () => {
    const lines = HASH_JOIN_PSQL.split('\n').slice(2, -2);
    const fromRows = parsePlan(lines.map((l) => ({ 'QUERY PLAN': l.slice(1) })));
    const fromLines = parsePlan(lines);
    assertSameModel(fromRows, parsePlan(HASH_JOIN_PSQL));
    assertSameModel(fromLines, parsePlan(HASH_JOIN_PSQL));
    // A tool's JSON export of the text-format rows.
    assertSameModel(parsePlan(JSON.stringify(lines.map((l) => ({ 'QUERY PLAN': l })))), parsePlan(HASH_JOIN_PSQL));
  });

  it('rejoins node lines wrapped by a narrow terminal', () => {
    const wrapped = ` Sort  (cost=32.88..32.96 rows=32 width=224) (actual time=0.532..0.532
rows=0 loops=1)
   Sort Key: n.nspname
   Sort Method: quicksort  Memory: 25kB
   ->  Hash Join  (cost=1.09..32.08 rows=32 width=224) (actual time=0.5
24..0.525 rows=0 loops=1)
         Hash Cond: (c.relnamespace = n.oid)
         ->  Seq Scan on pg_class c  (cost=0.00..29.84 rows=64 width=73
) (actual time=0.026..0.397 rows=128 loops=1)
         ->  Hash  (cost=1.07..1.07 rows=2 width=68)
 (actual time=0.062..0.062 rows=2 loops=1)
               ->  Seq Scan on pg_namespace n  (cost=0.00..1.07 rows=2 width=68) (actual time=0.032..0.038 rows=2 loops=1)
 Planning Time: 0.636 ms
 Execution Time: 0.616 ms`;
    const m = parsePlan(wrapped);
    assert.deepEqual(m.nodes.map((n) => n.nodeType), ['Sort', 'Hash Join', 'Seq Scan', 'Hash', 'Seq Scan']);
    assert.equal(m.nodes[0].actualRows, 0);
    assert.equal(m.nodes[1].actualStartupTimeMs, 0.524);
    assert.equal(m.nodes[2].planWidth, 73);
    assert.equal(m.nodes[2].actualRows, 128);
    assert.equal(m.nodes[3].actualTotalTimeMs, 0.062);
    assert.deepEqual(m.nodes[0].sort, { method: 'quicksort', spaceType: 'Memory', spaceKb: 25 });
    assert.deepEqual(m.warnings, []);
  });

  it('reads PostgreSQL 17 InitPlan, JIT, Serialization and Memory lines, and matches the same plan in JSON', () => {
    const text = parsePlan(fixture('pg17-initplan.txt'));
    const json = parsePlan(fixture('pg17-serialize.json'));
    assert.deepEqual(text.warnings, []);
    assertSameModel(text, json);
    const init = text.nodes[1];
    assert.equal(init.parentRelationship, 'InitPlan');
    assert.equal(init.subplanName, 'InitPlan 1');
    // The InitPlan runs inside the Seq Scan's filter: its time comes out of the scan.
    close(text.nodes[0].exclusiveTimeMs, 0.89 - 0.381, 1e-9, 'scan exclusive');
    close(sumExclusive(text), 0.89, 1e-9, 'sum');
    for (const m of [text, json]) {
      assert.equal(m.jit?.functions, 4);
      assert.equal(m.jit?.generationMs, 0.345);
      assert.equal(m.jit?.totalMs, 3.385);
      assert.equal(m.jit?.options.Expressions, true);
      assert.deepEqual(m.serialization, { timeMs: 0.12, outputKb: 12, format: 'text' });
      assert.equal(m.planningBuffers?.sharedHit, 12);
      close(m.nodes[0].io?.sharedReadMs ?? null, 0.21, 1e-9, 'io');
      close(m.nodes[0].exclusiveIo?.sharedReadMs ?? null, 0, 1e-9, 'exclusive io');
      close(m.nodes[2].exclusiveIo?.sharedReadMs ?? null, 0.21, 1e-9, 'leaf io');
    }
  });

  it('reads PostgreSQL 16 Buffers and I/O Timings groups', () => {
    const m = parsePlan(fixture('pg16-io-timings.txt'));
    const sort = m.nodes[0];
    assert.deepEqual(sort.buffers, {
      sharedHit: 10, sharedRead: 1990, sharedDirtied: 0, sharedWritten: 0, localHit: 3, localRead: 4, localDirtied: 0,
      localWritten: 0, tempRead: 5, tempWritten: 6,
    });
    assert.deepEqual(sort.io, { sharedReadMs: 12.5, sharedWriteMs: 0.25, localReadMs: 0.1, localWriteMs: 0, tempReadMs: 0.4, tempWriteMs: 0.3 });
    assert.equal(sort.exclusiveBuffers?.sharedRead, 0);
    assert.equal(sort.exclusiveBuffers?.tempWritten, 6);
    close(sort.exclusiveIo?.tempReadMs ?? null, 0.4, 1e-9, 'temp read');
    close(sort.exclusiveIo?.sharedReadMs ?? null, 0, 1e-9, 'shared read');
  });

  it('reads CTE headers and moves the CTE time into the scan that pulled it', () => {
    const m = parsePlan(` Aggregate  (cost=1.00..2.00 rows=1 width=8) (actual time=0.100..10.000 rows=1 loops=1)
   CTE x
     ->  Seq Scan on t  (cost=0.00..1.00 rows=1000 width=8) (actual time=0.010..4.000 rows=1000 loops=1)
   ->  Hash Join  (cost=1.00..2.00 rows=1000 width=0) (actual time=5.000..9.500 rows=1000 loops=1)
         Hash Cond: (a.id = b.id)
         ->  CTE Scan on x a  (cost=0.00..1.00 rows=1000 width=4) (actual time=0.020..5.500 rows=1000 loops=1)
         ->  Hash  (cost=1.00..1.00 rows=1000 width=4) (actual time=3.000..3.000 rows=1000 loops=1)
               Buckets: 1024  Batches: 1  Memory Usage: 40kB
               ->  CTE Scan on x b  (cost=0.00..1.00 rows=1000 width=4) (actual time=0.001..2.000 rows=1000 loops=1)
 Execution Time: 10.100 ms`);
    assert.deepEqual(m.nodes.map((n) => n.nodeType), ['Aggregate', 'Seq Scan', 'Hash Join', 'CTE Scan', 'Hash', 'CTE Scan']);
    assert.equal(m.nodes[1].parentRelationship, 'InitPlan');
    assert.equal(m.nodes[1].subplanName, 'CTE x');
    assert.equal(m.nodes[3].cteName, 'x');
    assert.equal(m.nodes[3].alias, 'a');
    assert.equal(m.nodes[2].parentRelationship, 'Outer');
    const excl = m.nodes.map((n) => Number(n.exclusiveTimeMs?.toFixed(6)));
    assert.deepEqual(excl, [0.5, 4, 1, 1.5, 1, 2]);
    close(sumExclusive(m), 10, 1e-9, 'sum');
  });

  it('keeps a SubPlan inside the node that evaluates it', () => {
    const m = parsePlan(` Seq Scan on a  (cost=0.00..8000.00 rows=500 width=4) (actual time=0.020..50.000 rows=100 loops=1)
   Filter: (SubPlan 1)
   Rows Removed by Filter: 900
   SubPlan 1
     ->  Index Scan using b_pkey on b  (cost=0.29..8.30 rows=1 width=4) (actual time=0.040..0.045 rows=1 loops=1000)
           Index Cond: (b.id = a.b_id)`);
    assert.equal(m.nodes[1].parentRelationship, 'SubPlan');
    assert.equal(m.nodes[1].index, 'b_pkey');
    close(m.nodes[1].inclusiveTimeMs, 45, 1e-9, 'subplan inclusive');
    close(m.nodes[0].exclusiveTimeMs, 5, 1e-9, 'scan exclusive');
  });

  it('reads Gather, workers, never executed, triggers and settings', () => {
    const m = parsePlan(` Gather  (cost=1000.00..2000.00 rows=100 width=4) (actual time=5.000..30.000 rows=90 loops=1)
   Workers Planned: 2
   Workers Launched: 1
   ->  Parallel Seq Scan on public.t  (cost=0.00..900.00 rows=42 width=4) (actual time=0.100..20.000 rows=45 loops=2)
         Filter: (t.x = 1)
         Rows Removed by Filter: 50000
         Buffers: shared hit=300
         Worker 0:  actual time=0.200..28.000 rows=40 loops=1
           Buffers: shared hit=140
   ->  Index Scan using u_pkey on u  (cost=0.29..8.30 rows=1 width=4) (never executed)
         Index Cond: (u.id = 1)
 Settings: work_mem = '64kB', search_path = 'it''s'
 Trigger for constraint t_u_fk: time=1.500 calls=3
 Trigger audit on t: time=0.500 calls=3
 Planning Time: 0.200 ms
 Execution Time: 32.500 ms`);
    const [gather, scan, never] = m.nodes;
    assert.equal(gather.workersPlanned, 2);
    assert.equal(gather.workersLaunched, 1);
    assert.equal(scan.nodeType, 'Parallel Seq Scan');
    assert.equal(scan.parallelAware, true);
    assert.equal(scan.workers.length, 1);
    assert.equal(scan.workers[0].actualTotalTimeMs, 28);
    assert.equal(scan.workers[0].buffers?.sharedHit, 140);
    assert.equal(scan.processes, 2);
    // Leader: 20 × 2 − 28 = 12 ms; the worker's 28 ms is the longest process.
    close(scan.inclusiveTimeMs, 28, 1e-9, 'parallel inclusive');
    assert.equal(scan.rowsActualTotal, 90);
    assert.equal(scan.rowsRemovedByFilterTotal, 100000);
    assert.equal(never.neverExecuted, true);
    assert.equal(never.actualLoops, 0);
    assert.equal(never.inclusiveTimeMs, 0);
    assert.equal(never.misestimate, null);
    assert.deepEqual(m.settings, { work_mem: '64kB', search_path: "it's" });
    assert.deepEqual(m.triggers, [
      { name: 't_u_fk', constraintName: 't_u_fk', relation: null, timeMs: 1.5, calls: 3 },
      { name: 'audit', constraintName: null, relation: 't', timeMs: 0.5, calls: 3 },
    ]);
    assertNoNegative(m);
  });

  it('reads per-worker sort lines with and without VERBOSE', () => {
    const plain = parsePlan(` Gather Merge  (cost=8402.43..9375.34 rows=83334 width=45) (actual time=34.716..56.041 rows=100000 loops=1)
   Workers Planned: 2
   Workers Launched: 2
   Buffers: shared hit=1049, temp read=2035 written=2247
   ->  Sort  (cost=8402.40..8506.57 rows=41667 width=45) (actual time=27.645..30.816 rows=33333 loops=3)
         Sort Key: z
         Sort Method: external merge  Disk: 2072kB
         Buffers: shared hit=1049, temp read=2035 written=2247
         Worker 0:  Sort Method: external merge  Disk: 2440kB
         Worker 1:  Sort Method: external merge  Disk: 976kB
         ->  Parallel Seq Scan on a  (cost=0.00..1351.67 rows=41667 width=45) (actual time=0.007..3.537 rows=33333 loops=3)
               Buffers: shared hit=935
 Planning:
   Buffers: shared hit=107
 Planning Time: 0.432 ms
 Execution Time: 59.032 ms`);
    const sort = plain.nodes[1];
    assert.deepEqual(sort.workers.map((w) => w.sort), [
      { method: 'external merge', spaceType: 'Disk', spaceKb: 2440 },
      { method: 'external merge', spaceType: 'Disk', spaceKb: 976 },
    ]);
    // No per-worker times: the average over leader + 2 workers.
    assert.equal(sort.processes, 3);
    close(sort.inclusiveTimeMs, 30.816, 1e-9, 'sort inclusive');
    assert.equal(sort.buffers?.tempWritten, 2247);
    assert.equal(sort.exclusiveBuffers?.tempWritten, 2247);

    const verbose = parsePlan(` Gather Merge  (cost=8402.43..9375.34 rows=83334 width=45) (actual time=44.042..71.468 rows=100000 loops=1)
   Output: id, x, y, z
   Workers Planned: 2
   Workers Launched: 2
   Buffers: shared hit=1049, temp read=2034 written=2246
   ->  Sort  (cost=8402.40..8506.57 rows=41667 width=45) (actual time=36.316..39.130 rows=33333 loops=3)
         Output: id, x, y, z
         Sort Key: a.z
         Sort Method: external merge  Disk: 2144kB
         Buffers: shared hit=1049, temp read=2034 written=2246
         Worker 0:  actual time=32.674..34.754 rows=28462 loops=1
           Sort Method: external merge  Disk: 1576kB
           Buffers: shared hit=323, temp read=581 written=641
         Worker 1:  actual time=34.989..37.303 rows=32207 loops=1
           Sort Method: external merge  Disk: 1768kB
           Buffers: shared hit=358, temp read=655 written=723
         ->  Parallel Seq Scan on scratch_explain.a  (cost=0.00..1351.67 rows=41667 width=45) (actual time=0.008..4.804 rows=33333 loops=3)
               Output: id, x, y, z
               Buffers: shared hit=935
               Worker 0:  actual time=0.007..5.878 rows=28462 loops=1
                 Buffers: shared hit=266
               Worker 1:  actual time=0.009..2.134 rows=32207 loops=1
                 Buffers: shared hit=301
 Planning Time: 0.074 ms
 Execution Time: 74.462 ms`);
    const vsort = verbose.nodes[1];
    assert.equal(vsort.properties['Sort Key'], 'a.z');
    assert.deepEqual(vsort.workers.map((w) => [w.actualTotalTimeMs, w.actualRows, w.sort?.spaceKb, w.buffers?.tempWritten]), [
      [34.754, 28462, 1576, 641],
      [37.303, 32207, 1768, 723],
    ]);
    // Leader: 39.130 × 3 − 34.754 − 37.303 = 45.333 ms, the slowest process.
    close(vsort.inclusiveTimeMs, 39.13 * 3 - 34.754 - 37.303, 1e-9, 'sort inclusive');
    close(verbose.nodes[2].inclusiveTimeMs, 4.804 * 3 - 5.878 - 2.134, 1e-9, 'scan inclusive');
    assertNoNegative(verbose);
    close(sumExclusive(verbose), 71.468, 1e-9, 'sum');
  });

  it('reads plans without timing (TIMING OFF) and without ANALYZE or costs', () => {
    const timingOff = parsePlan(` Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4) (actual rows=2550 loops=1)
 Execution Time: 0.500 ms`);
    assert.equal(timingOff.hasAnalyze, true);
    assert.equal(timingOff.hasTiming, false);
    assert.equal(timingOff.nodes[0].rowsActualTotal, 2550);
    assert.equal(timingOff.nodes[0].inclusiveTimeMs, null);
    assert.equal(timingOff.nodes[0].exclusiveTimeMs, null);

    const costsOff = parsePlan(`Hash Join
  Hash Cond: (a.id = b.id)
  ->  Seq Scan on a
  ->  Hash
        ->  Seq Scan on b`);
    assert.deepEqual(costsOff.nodes.map((n) => n.nodeType), ['Hash Join', 'Seq Scan', 'Hash', 'Seq Scan']);
    assert.equal(costsOff.hasAnalyze, false);
    assert.equal(costsOff.nodes[0].totalCost, null);
  });

  it('ignores psql chatter around the plan and says so', () => {
    const m = parsePlan(`test=# EXPLAIN SELECT * FROM t;
                          QUERY PLAN
-------------------------------------------------------
 Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4)
(1 row)

Time: 0.512 ms`);
    assert.equal(m.nodes.length, 1);
    assert.equal(m.warnings.length, 2);
    assert.match(m.warnings[0], /before the plan/);
    assert.match(m.warnings[1], /Time: 0.512 ms/);
  });
});

describe('node names', () => {
  const cases: Array<[string, Partial<ReturnType<typeof parseNodeName>>]> = [
    ['Parallel Index Only Scan Backward using t_idx on s.t x', {
      baseType: 'Index Only Scan', parallelAware: true, scanDirection: 'Backward', index: 't_idx', relation: 't', schema: 's', alias: 'x',
      nodeType: 'Parallel Index Only Scan',
    }],
    ['Hash Right Anti Join', { baseType: 'Hash Join', joinType: 'Right Anti', nodeType: 'Hash Right Anti Join' }],
    ['Nested Loop Left Join', { baseType: 'Nested Loop', joinType: 'Left' }],
    ['Nested Loop', { baseType: 'Nested Loop', joinType: 'Inner' }],
    ['Merge Join', { baseType: 'Merge Join', joinType: 'Inner' }],
    ['Finalize GroupAggregate', { baseType: 'Aggregate', strategy: 'Sorted', partialMode: 'Finalize' }],
    ['HashAggregate', { baseType: 'Aggregate', strategy: 'Hashed', partialMode: 'Simple' }],
    ['HashSetOp Except All', { baseType: 'SetOp', strategy: 'Hashed', command: 'Except All' }],
    ['Insert on t', { baseType: 'ModifyTable', operation: 'Insert', relation: 't', nodeType: 'Insert' }],
    ['Function Scan on pg_catalog.generate_series g', { baseType: 'Function Scan', functionName: 'generate_series', schema: 'pg_catalog', alias: 'g' }],
    ['Values Scan on "*VALUES*"', { baseType: 'Values Scan', alias: '*VALUES*' }],
    ['Subquery Scan on sub', { baseType: 'Subquery Scan', alias: 'sub' }],
    ['Custom Scan (ColumnarScan) on t', { baseType: 'Custom Scan', relation: 't', nodeType: 'Custom Scan (ColumnarScan)' }],
    ['Foreign Scan on ft', { baseType: 'Foreign Scan', operation: 'Select', relation: 'ft' }],
    ['Foreign Update on ft', { baseType: 'Foreign Scan', operation: 'Update', nodeType: 'Foreign Update' }],
    ['WorkTable Scan on r', { baseType: 'WorkTable Scan', cteName: 'r', alias: 'r' }],
    ['Bitmap Index Scan on "My Idx"', { baseType: 'Bitmap Index Scan', index: 'My Idx' }],
    ['Seq Scan on "My Schema"."My ""T""" "an alias"', { baseType: 'Seq Scan', schema: 'My Schema', relation: 'My "T"', alias: 'an alias' }],
    ['Async Foreign Scan on ft', { baseType: 'Foreign Scan', asyncCapable: true, nodeType: 'Async Foreign Scan' }],
    ['Some Future Node', { known: false, nodeType: 'Some Future Node' }],
  ];
  for (const [name, expected] of cases) {
    it(`parses "${name}"`, () => {
      const id = parseNodeName(name);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(id[k as keyof typeof id], v, `${name}: ${k}`);
      if (id.known && id.baseType !== 'Custom Scan') assert.equal(composeNodeType(id), id.nodeType);
    });
  }
});
