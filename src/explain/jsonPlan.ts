/**
 * EXPLAIN (FORMAT JSON) output to the reported layer. Walks the "Plans" tree with an
 * explicit stack (a deep plan must not overflow the call stack) and tolerates missing or
 * mistyped fields: a missing figure becomes null, never a crash.
 */
import { PlanParseError } from './errors';
import { composeNodeType, emptyIdentity } from './nodeNames';
import { newReportedNode, newReportedPlan, newWorker } from './reported';
import type { BufferCounts, IoTimes, JitInfo, ParentRelationship, ReportedNode, ReportedPlan, WorkerFigures } from './types';

type Json = Record<string, unknown>;

const BUFFER_JSON_KEYS: Record<string, keyof BufferCounts> = {
  'Shared Hit Blocks': 'sharedHit', 'Shared Read Blocks': 'sharedRead', 'Shared Dirtied Blocks': 'sharedDirtied',
  'Shared Written Blocks': 'sharedWritten', 'Local Hit Blocks': 'localHit', 'Local Read Blocks': 'localRead',
  'Local Dirtied Blocks': 'localDirtied', 'Local Written Blocks': 'localWritten', 'Temp Read Blocks': 'tempRead',
  'Temp Written Blocks': 'tempWritten',
};

/** PG ≤ 15 "I/O Read Time" covers shared and local together. */
const IO_JSON_KEYS: Record<string, keyof IoTimes> = {
  'I/O Read Time': 'sharedReadMs', 'I/O Write Time': 'sharedWriteMs',
  'Shared I/O Read Time': 'sharedReadMs', 'Shared I/O Write Time': 'sharedWriteMs',
  'Local I/O Read Time': 'localReadMs', 'Local I/O Write Time': 'localWriteMs',
  'Temp I/O Read Time': 'tempReadMs', 'Temp I/O Write Time': 'tempWriteMs',
};

const PARENT_RELATIONSHIPS = new Set(['Outer', 'Inner', 'Member', 'Subquery', 'InitPlan', 'SubPlan']);

/** Keys read into typed fields; everything else goes to `properties`. */
const CONSUMED = new Set([
  'Node Type', 'Parallel Aware', 'Async Capable', 'Strategy', 'Partial Mode', 'Operation', 'Command', 'Scan Direction',
  'Join Type', 'Relation Name', 'Schema', 'Alias', 'Index Name', 'CTE Name', 'Tuplestore Name', 'Function Name',
  'Table Function Name', 'Custom Plan Provider', 'Parent Relationship', 'Subplan Name', 'Startup Cost', 'Total Cost',
  'Plan Rows', 'Plan Width', 'Actual Startup Time', 'Actual Total Time', 'Actual Rows', 'Actual Loops', 'Workers Planned',
  'Workers Launched', 'Single Copy', 'Workers', 'Rows Removed by Filter', 'Rows Removed by Join Filter',
  'Rows Removed by Index Recheck', 'Heap Fetches', 'Exact Heap Blocks', 'Lossy Heap Blocks', 'Sort Method',
  'Sort Space Used', 'Sort Space Type', 'Hash Buckets', 'Original Hash Buckets', 'Hash Batches', 'Original Hash Batches',
  'Peak Memory Usage', 'HashAgg Batches', 'Planned Partitions', 'Disk Usage', 'Plans',
  ...Object.keys(BUFFER_JSON_KEYS), ...Object.keys(IO_JSON_KEYS),
]);

export function parseJsonPlan(value: unknown): ReportedPlan {
  const plan = newReportedPlan('json');
  const top = topObject(value, plan.warnings);
  const rootNode = 'Plan' in top ? top.Plan : top;
  if (!isObject(rootNode)) {
    throw new PlanParseError(`Expected "Plan" to be an object (a plan node), got ${describe(rootNode)}.`);
  }
  readStatement(top, plan);

  const stack: Array<{ obj: Json; parent: number | null }> = [{ obj: rootNode, parent: null }];
  // Parsed JSON cannot loop, but an object handed in by a caller can.
  const seen = new Set<Json>();
  while (stack.length > 0) {
    const { obj, parent } = stack.pop() as { obj: Json; parent: number | null };
    if (seen.has(obj)) {
      plan.warnings.push('A plan node appears twice in its own tree (a cycle); the repeat is ignored.');
      continue;
    }
    seen.add(obj);
    const index = plan.nodes.length;
    plan.nodes.push(readNode(obj, parent, index, plan.warnings));
    const children = obj.Plans;
    if (children === undefined) continue;
    if (!Array.isArray(children)) {
      plan.warnings.push(`Node ${index}: "Plans" is ${describe(children)}, not an array; its children are ignored.`);
      continue;
    }
    // Reverse so the first child is popped first: ids stay in preorder.
    for (let i = children.length - 1; i >= 0; i--) {
      const c: unknown = children[i];
      if (isObject(c)) stack.push({ obj: c, parent: index });
      else plan.warnings.push(`Node ${index}: child ${i} is ${describe(c)}, not a plan node; ignored.`);
    }
  }
  return plan;
}

function topObject(value: unknown, warnings: string[]): Json {
  let v = value;
  if (Array.isArray(v)) {
    if (v.length === 0) throw new PlanParseError('Expected EXPLAIN (FORMAT JSON) output: an array holding one object with a "Plan" key, got an empty array.');
    if (v.length > 1) warnings.push(`The JSON holds ${v.length} plans; only the first is read.`);
    v = v[0];
  }
  if (!isObject(v)) {
    throw new PlanParseError(`Expected EXPLAIN (FORMAT JSON) output: an object with a "Plan" key, got ${describe(v)}.`);
  }
  if (!('Plan' in v) && !('Node Type' in v)) {
    const keys = Object.keys(v).slice(0, 8).map((k) => `"${k}"`).join(', ');
    throw new PlanParseError(
      `Expected EXPLAIN (FORMAT JSON) output: an object with a "Plan" key, found an object with keys ${keys || '(none)'}. ` +
        'Is this another tool\'s plan format?',
    );
  }
  return v;
}

function readNode(obj: Json, parent: number | null, index: number, warnings: string[]): ReportedNode {
  const baseType = str(obj['Node Type']);
  if (baseType === null) warnings.push(`Node ${index} has no "Node Type"; shown as "Unknown".`);
  const id = emptyIdentity(baseType ?? 'Unknown');
  id.parallelAware = obj['Parallel Aware'] === true;
  id.asyncCapable = obj['Async Capable'] === true;
  id.strategy = str(obj.Strategy);
  id.partialMode = str(obj['Partial Mode']);
  id.operation = str(obj.Operation);
  id.command = str(obj.Command);
  id.scanDirection = obj['Scan Direction'] === 'Backward' ? 'Backward' : null;
  id.joinType = str(obj['Join Type']);
  id.relation = str(obj['Relation Name']);
  id.schema = str(obj.Schema);
  id.alias = str(obj.Alias);
  id.index = str(obj['Index Name']);
  id.cteName = str(obj['CTE Name']) ?? str(obj['Tuplestore Name']);
  id.functionName = str(obj['Function Name']) ?? str(obj['Table Function Name']);
  id.nodeType = composeNodeType({ ...id, customProvider: str(obj['Custom Plan Provider']) });

  const node = newReportedNode(id, parent);
  const rel = str(obj['Parent Relationship']);
  node.parentRelationship = rel !== null && PARENT_RELATIONSHIPS.has(rel) ? (rel as ParentRelationship) : rel === null ? null : 'Child';
  node.subplanName = str(obj['Subplan Name']);
  node.startupCost = num(obj['Startup Cost']);
  node.totalCost = num(obj['Total Cost']);
  node.planRows = num(obj['Plan Rows']);
  node.planWidth = num(obj['Plan Width']);
  node.actualStartupTimeMs = num(obj['Actual Startup Time']);
  node.actualTotalTimeMs = num(obj['Actual Total Time']);
  node.actualRows = num(obj['Actual Rows']);
  node.actualLoops = num(obj['Actual Loops']);
  node.neverExecuted = node.actualLoops === 0;
  node.workersPlanned = num(obj['Workers Planned']);
  node.workersLaunched = num(obj['Workers Launched']);
  node.singleCopy = obj['Single Copy'] === true;
  node.rowsRemovedByFilter = num(obj['Rows Removed by Filter']);
  node.rowsRemovedByJoinFilter = num(obj['Rows Removed by Join Filter']);
  node.rowsRemovedByIndexRecheck = num(obj['Rows Removed by Index Recheck']);
  node.heapFetches = num(obj['Heap Fetches']);
  node.exactHeapBlocks = num(obj['Exact Heap Blocks']);
  node.lossyHeapBlocks = num(obj['Lossy Heap Blocks']);
  node.buffers = readBuffers(obj);
  node.io = readIo(obj);
  node.sort = readSort(obj);
  if ('Hash Buckets' in obj) {
    node.hash = {
      buckets: num(obj['Hash Buckets']), originalBuckets: num(obj['Original Hash Buckets']), batches: num(obj['Hash Batches']),
      originalBatches: num(obj['Original Hash Batches']), memoryKb: num(obj['Peak Memory Usage']),
    };
  } else if ('HashAgg Batches' in obj || 'Disk Usage' in obj) {
    node.hashAgg = {
      batches: num(obj['HashAgg Batches']), plannedPartitions: num(obj['Planned Partitions']),
      memoryKb: num(obj['Peak Memory Usage']), diskKb: num(obj['Disk Usage']),
    };
  }
  if (Array.isArray(obj.Workers)) node.workers = obj.Workers.filter(isObject).map(readWorker);
  node.properties = readProperties(obj, CONSUMED);
  return node;
}

function readWorker(w: Json): WorkerFigures {
  const out = newWorker(num(w['Worker Number']) ?? -1);
  out.actualStartupTimeMs = num(w['Actual Startup Time']);
  out.actualTotalTimeMs = num(w['Actual Total Time']);
  out.actualRows = num(w['Actual Rows']);
  out.actualLoops = num(w['Actual Loops']);
  out.buffers = readBuffers(w);
  out.sort = readSort(w);
  out.properties = readProperties(w, new Set(['Worker Number', 'Actual Startup Time', 'Actual Total Time', 'Actual Rows', 'Actual Loops', ...CONSUMED]));
  return out;
}

function readStatement(top: Json, plan: ReportedPlan): void {
  plan.planningTimeMs = num(top['Planning Time']);
  plan.executionTimeMs = num(top['Execution Time']) ?? num(top['Total Runtime']);
  if (isObject(top.Planning)) plan.planningBuffers = readBuffers(top.Planning);
  if (isObject(top.JIT)) plan.jit = readJit(top.JIT);
  if (Array.isArray(top.Triggers)) {
    for (const t of top.Triggers) {
      if (!isObject(t)) continue;
      plan.triggers.push({
        name: str(t['Trigger Name']) ?? str(t['Constraint Name']) ?? '?',
        constraintName: str(t['Constraint Name']),
        relation: str(t.Relation),
        timeMs: num(t.Time),
        calls: num(t.Calls),
      });
    }
  }
  if (isObject(top.Settings)) {
    for (const [k, v] of Object.entries(top.Settings)) plan.settings[k] = String(v);
  }
  const qid = top['Query Identifier'];
  if (qid !== undefined && qid !== null) plan.queryIdentifier = String(qid);
  if (isObject(top.Serialization)) {
    const s = top.Serialization;
    plan.serialization = { timeMs: num(s.Time), outputKb: num(s['Output Volume']), format: str(s.Format) };
  }
}

function readJit(j: Json): JitInfo {
  const out: JitInfo = { functions: num(j.Functions), options: {}, generationMs: null, inliningMs: null, optimizationMs: null, emissionMs: null, totalMs: null };
  if (isObject(j.Options)) {
    for (const [k, v] of Object.entries(j.Options)) if (typeof v === 'boolean') out.options[k] = v;
  }
  if (isObject(j.Timing)) {
    const t = j.Timing;
    // PG17 nests "Generation": { "Deform": x, "Total": y }.
    const phase = (v: unknown) => (isObject(v) ? num(v.Total) : num(v));
    out.generationMs = phase(t.Generation);
    out.inliningMs = phase(t.Inlining);
    out.optimizationMs = phase(t.Optimization);
    out.emissionMs = phase(t.Emission);
    out.totalMs = phase(t.Total);
  }
  return out;
}

function readBuffers(obj: Json): BufferCounts | null {
  let found = false;
  const out = {} as BufferCounts;
  for (const [k, field] of Object.entries(BUFFER_JSON_KEYS)) {
    const v = num(obj[k]);
    if (v !== null) found = true;
    out[field] = v ?? 0;
  }
  return found ? out : null;
}

function readIo(obj: Json): IoTimes | null {
  let found = false;
  const out: IoTimes = { sharedReadMs: 0, sharedWriteMs: 0, localReadMs: 0, localWriteMs: 0, tempReadMs: 0, tempWriteMs: 0 };
  for (const [k, field] of Object.entries(IO_JSON_KEYS)) {
    const v = num(obj[k]);
    if (v !== null) {
      found = true;
      out[field] += v;
    }
  }
  return found ? out : null;
}

function readSort(obj: Json) {
  const method = str(obj['Sort Method']);
  if (method === null) return null;
  return { method, spaceType: str(obj['Sort Space Type']), spaceKb: num(obj['Sort Space Used']) };
}

function readProperties(obj: Json, consumed: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (consumed.has(k)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) out[k] = v.map(String).join(', ');
  }
  return out;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** A finite number, or a numeric string (some tools quote numbers); else null. */
function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
