/** Builders and checks shared by the plan tests (unit and db). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanModel } from '../../../src/explain';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'plans');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

type Json = Record<string, unknown>;

/**
 * A JSON plan node with ANALYZE figures: `[startup, total, rows, loops]` per loop, as
 * EXPLAIN prints them; costs default to something plausible.
 */
export function jnode(type: string, actual: [number, number, number, number] | null, extra: Json = {}, plans: Json[] = []): Json {
  const node: Json = {
    'Node Type': type,
    'Parallel Aware': false,
    'Startup Cost': 0,
    'Total Cost': 100,
    'Plan Rows': actual ? actual[2] : 100,
    'Plan Width': 4,
  };
  if (actual) {
    node['Actual Startup Time'] = actual[0];
    node['Actual Total Time'] = actual[1];
    node['Actual Rows'] = actual[2];
    node['Actual Loops'] = actual[3];
  }
  Object.assign(node, extra);
  if (plans.length) node.Plans = plans;
  return node;
}

export function jplan(root: Json, extra: Json = {}): Json[] {
  return [{ Plan: root, ...extra }];
}

export function sumExclusive(model: PlanModel): number {
  return model.nodes.reduce((s, n) => s + (n.exclusiveTimeMs ?? 0), 0);
}

export function assertNoNegative(model: PlanModel, tolerance = 1e-9): void {
  for (const n of model.nodes) {
    if (n.exclusiveTimeMs !== null) assert.ok(n.exclusiveTimeMs >= -tolerance, `node ${n.id} ${n.nodeType}: exclusive ${n.exclusiveTimeMs}`);
    if (n.exclusiveBuffers) {
      for (const [k, v] of Object.entries(n.exclusiveBuffers)) assert.ok(v >= 0, `node ${n.id} ${k} = ${v}`);
    }
  }
}

export function close(actual: number | null, expected: number, tolerance = 1e-6, what = ''): void {
  assert.ok(actual !== null, `${what} is null`);
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

/**
 * The text and JSON parsers must agree on one execution's plan: structure, names, rows,
 * loops, buffers, and times within the text's 3-decimal rounding (per loop).
 */
export function assertSameModel(text: PlanModel, json: PlanModel): void {
  assert.equal(text.nodes.length, json.nodes.length, 'node count');
  for (let i = 0; i < json.nodes.length; i++) {
    const t = text.nodes[i];
    const j = json.nodes[i];
    const at = `node ${i} (${j.nodeType})`;
    assert.equal(t.nodeType, j.nodeType, `${at} nodeType`);
    assert.equal(t.baseType, j.baseType, `${at} baseType`);
    assert.equal(t.parentId, j.parentId, `${at} parentId`);
    assert.equal(t.parentRelationship, j.parentRelationship, `${at} parentRelationship`);
    assert.equal(t.subplanName, j.subplanName, `${at} subplanName`);
    assert.equal(t.relation, j.relation, `${at} relation`);
    assert.equal(t.schema, j.schema, `${at} schema`);
    assert.equal(t.alias, j.alias, `${at} alias`);
    assert.equal(t.index, j.index, `${at} index`);
    assert.equal(t.cteName, j.cteName, `${at} cteName`);
    assert.equal(t.joinType, j.joinType, `${at} joinType`);
    assert.equal(t.planRows, j.planRows, `${at} planRows`);
    assert.equal(t.totalCost, j.totalCost, `${at} totalCost`);
    assert.equal(t.actualRows, j.actualRows, `${at} actualRows`);
    assert.equal(t.actualLoops, j.actualLoops, `${at} actualLoops`);
    assert.equal(t.rowsRemovedByFilterTotal ?? 0, j.rowsRemovedByFilterTotal ?? 0, `${at} rowsRemovedByFilter`);
    assert.equal(t.lossyHeapBlocks ?? 0, j.lossyHeapBlocks ?? 0, `${at} lossyHeapBlocks`);
    assert.equal(t.exactHeapBlocks ?? 0, j.exactHeapBlocks ?? 0, `${at} exactHeapBlocks`);
    assert.deepEqual(t.sort, j.sort, `${at} sort`);
    assert.equal(t.workersLaunched, j.workersLaunched, `${at} workersLaunched`);
    assert.equal(t.workers.length, j.workers.length, `${at} workers`);
    assert.equal(t.processes, j.processes, `${at} processes`);
    // The text omits all-zero Buffers lines; JSON always has them.
    for (const k of ['sharedHit', 'sharedRead', 'tempRead', 'tempWritten'] as const) {
      assert.equal(t.buffers?.[k] ?? 0, j.buffers?.[k] ?? 0, `${at} buffers.${k}`);
      assert.equal(t.exclusiveBuffers?.[k] ?? 0, j.exclusiveBuffers?.[k] ?? 0, `${at} exclusiveBuffers.${k}`);
    }
    const tol = 0.0005 * Math.max(1, j.actualLoops ?? 1) + 1e-9;
    if (j.inclusiveTimeMs !== null) close(t.inclusiveTimeMs, j.inclusiveTimeMs, tol, `${at} inclusive`);
    if (j.exclusiveTimeMs !== null) close(t.exclusiveTimeMs, j.exclusiveTimeMs, tol * 4, `${at} exclusive`);
  }
}
