import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildExplainScript, explainOptions, type ExplainSqlInput } from '../../../src/db/explain-sql';

const base: ExplainSqlInput = { serverVersionNum: 150020, analyze: false, verbose: true, statement: 'SELECT * FROM t WHERE a = $1', paramCount: 1, readOnly: true, timeoutMs: 2500.7, lockTimeoutMs: 1000 };

describe('explainOptions', () => {
  it('adds what each version supports', () => {
    assert.equal(explainOptions(110000, { analyze: true, verbose: false }), '(ANALYZE, BUFFERS, FORMAT JSON)');
    assert.equal(explainOptions(120000, { analyze: true, verbose: true }), '(ANALYZE, BUFFERS, VERBOSE, SETTINGS, FORMAT JSON)');
    assert.equal(explainOptions(150020, { analyze: true, verbose: true }), '(ANALYZE, BUFFERS, VERBOSE, SETTINGS, WAL, FORMAT JSON)');
    assert.equal(explainOptions(150020, { analyze: false, verbose: true }), '(VERBOSE, SETTINGS, FORMAT JSON)');
    assert.equal(explainOptions(180006, { analyze: false, verbose: false, genericPlan: true }), '(SETTINGS, GENERIC_PLAN, FORMAT JSON)');
  });
});

describe('buildExplainScript', () => {
  it('starts READ ONLY with local timeouts (whole milliseconds)', () => {
    const s = buildExplainScript({ ...base, values: [1] });
    assert.equal(s.begin, 'BEGIN READ ONLY');
    assert.deepEqual(s.steps.slice(0, 2).map((x) => x.sql), ['SET LOCAL statement_timeout = 2500', 'SET LOCAL lock_timeout = 1000']);
    assert.equal(buildExplainScript({ ...base, values: [1], readOnly: false }).begin, 'BEGIN');
  });

  it('binds given values for real (extended protocol), no PREPARE', () => {
    const s = buildExplainScript({ ...base, values: ['42'], analyze: true });
    const last = s.steps[s.steps.length - 1];
    assert.equal(last.sql, 'EXPLAIN (ANALYZE, BUFFERS, VERBOSE, SETTINGS, WAL, FORMAT JSON) SELECT * FROM t WHERE a = $1');
    assert.deepEqual(last.params, ['42']);
    assert.equal(last.sql.slice(last.statementOffset!), base.statement);
    assert.equal(s.usedGenericPlan, false);
    assert.deepEqual(s.afterRollback, []);
  });

  it('plans generically with PREPARE + force_generic_plan before 16, and deallocates after the rollback', () => {
    const s = buildExplainScript({ ...base, statement: 'SELECT * FROM t WHERE a = $1 AND b = $2', paramCount: 2 });
    const sqls = s.steps.map((x) => x.sql);
    assert.deepEqual(sqls.slice(2), [
      'SET LOCAL plan_cache_mode = force_generic_plan',
      'PREPARE "sqlperf_stmt" AS SELECT * FROM t WHERE a = $1 AND b = $2',
      'EXPLAIN (VERBOSE, SETTINGS, FORMAT JSON) EXECUTE "sqlperf_stmt"(NULL, NULL)',
    ]);
    assert.equal(s.steps[3].sql.slice(s.steps[3].statementOffset!), 'SELECT * FROM t WHERE a = $1 AND b = $2');
    assert.deepEqual(s.afterRollback, ['DEALLOCATE "sqlperf_stmt"']);
    assert.equal(s.usedGenericPlan, true);
  });

  it('uses EXPLAIN (GENERIC_PLAN) from 16, sent without parameters', () => {
    for (const v of [160000, 170004, 180006]) {
      const s = buildExplainScript({ ...base, serverVersionNum: v });
      const last = s.steps[s.steps.length - 1];
      assert.match(last.sql, /^EXPLAIN \(VERBOSE, SETTINGS, GENERIC_PLAN, FORMAT JSON\) SELECT/);
      assert.equal(last.params, undefined);
      assert.equal(s.usedGenericPlan, true);
      assert.deepEqual(s.afterRollback, []);
    }
  });

  it('a statement without parameters is explained directly', () => {
    const s = buildExplainScript({ ...base, statement: 'SELECT 1', paramCount: 0, values: [] });
    assert.equal(s.steps.length, 3);
    assert.equal(s.usedGenericPlan, false);
  });
});
