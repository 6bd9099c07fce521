/**
 * The text format (what psql shows and users paste) to the reported layer.
 *
 * The tree is rebuilt from indentation with an explicit stack, never recursion, so a
 * deep plan cannot overflow the call stack. EXPLAIN's layout (explain.c):
 *   - the root line at column r; its details, subplan headers and "->" children at r+2;
 *   - a child "->" at column a: its name at a+4, its details, headers and children at a+6;
 *   - "InitPlan 1 (returns $0)" / "SubPlan 2" / "CTE x" headers own the single "->" below;
 *   - "Worker N:" opens a section whose further lines are indented 2 more;
 *   - statement-level lines ("Planning Time:", "JIT:", "Trigger ...", "Execution Time:")
 *     return to column r.
 */
import { PlanParseError, excerpt } from './errors';
import { parseNodeName } from './nodeNames';
import { inferRelationships, newReportedNode, newReportedPlan, newWorker } from './reported';
import { applyNodeDetail, applyWorkerDetail } from './textDetails';
import { hasNodeFigures, parseBuffers, parseNodeLine, parseWorkerActuals, toNumber } from './textLines';
import type { JitInfo, ReportedNode, ReportedPlan, WorkerFigures } from './types';

interface Line {
  indent: number;
  text: string;
  lineNo: number;
}

type StackEntry =
  | { kind: 'node'; key: number; node: number }
  | { kind: 'subplan'; key: number; owner: number; name: string; relationship: 'InitPlan' | 'SubPlan'; used: boolean };

const SUBPLAN_HEADER = /^(?:(InitPlan|SubPlan) \d+(?: \(returns [^)]*\))?|CTE .+)$/;
const PLAN_LEVEL = /^(Planning Time|Planning time|Execution Time|Execution time|Total runtime|Planning|JIT|Trigger |Settings|Query Identifier|Serialization|Memory)\b/;
/** Arbitrary but generous: a node line split by terminal wrapping over more lines than this is not a wrap. */
const MAX_WRAP_JOINS = 8;

export function parseTextPlan(rawLines: string[], firstLineNumber = 1): ReportedPlan {
  const lines = joinWrappedLines(toLines(rawLines, firstLineNumber));
  const plan = newReportedPlan('text');
  const rootAt = findRoot(lines);
  if (rootAt < 0) throw notAPlan(lines);
  if (rootAt > 0) plan.warnings.push(`Ignored ${rootAt} line(s) before the plan (line ${lines[0].lineNo}: "${excerpt(lines[0].text)}").`);

  const root = lines[rootAt];
  const stats = { known: 0 };
  const rootText = root.text.startsWith('->') ? root.text.slice(2).trim() : root.text;
  plan.nodes.push(makeNode(rootText, null, root, plan.warnings, stats));
  const stack: StackEntry[] = [{ kind: 'node', key: root.indent, node: 0 }];
  let worker: { indent: number; figures: WorkerFigures } | null = null;
  let planLevel: { indent: number; block: string } | null = null;

  for (let i = rootAt + 1; i < lines.length; i++) {
    const line = lines[i];
    const { indent, text } = line;
    if (planLevel && indent > planLevel.indent) {
      applyPlanLevel(plan, planLevel.block, text, line);
      continue;
    }
    if (indent <= root.indent && !text.startsWith('->')) {
      const block = /^(Planning|JIT):?$/.exec(text);
      planLevel = { indent, block: block ? block[1] : '' };
      if (!block) applyPlanLevel(plan, '', text, line);
      continue;
    }
    if (planLevel) {
      plan.warnings.push(`Ignored line ${line.lineNo} after the statement-level lines: "${excerpt(text)}".`);
      continue;
    }
    if (worker && indent <= worker.indent) worker = null;

    if (text.startsWith('->')) {
      while (stack.length > 1 && stack[stack.length - 1].key >= indent) stack.pop();
      const top = stack[stack.length - 1];
      let parent: number;
      let relationship: 'InitPlan' | 'SubPlan' | null = null;
      let subplanName: string | null = null;
      if (top.kind === 'subplan') {
        parent = top.owner;
        if (!top.used) {
          top.used = true;
          relationship = top.relationship;
          subplanName = top.name;
        }
      } else parent = top.node;
      const node = makeNode(text.slice(2).trim(), parent, line, plan.warnings, stats);
      node.parentRelationship = relationship;
      node.subplanName = subplanName;
      plan.nodes.push(node);
      stack.push({ kind: 'node', key: indent, node: plan.nodes.length - 1 });
      continue;
    }
    if (SUBPLAN_HEADER.test(text)) {
      while (stack.length > 1 && stack[stack.length - 1].key >= indent) stack.pop();
      const top = stack[stack.length - 1];
      const owner = top.kind === 'node' ? top.node : top.owner;
      const relationship = text.startsWith('SubPlan') ? 'SubPlan' : 'InitPlan';
      stack.push({ kind: 'subplan', key: indent, owner, name: text, relationship, used: false });
      continue;
    }
    if (worker && indent > worker.indent) {
      applyWorkerDetail(worker.figures, text);
      continue;
    }
    const owner = ownerOf(stack, indent, plan.nodes);
    const workerMatch = /^Worker (\d+):\s*(.*)$/.exec(text);
    if (workerMatch) {
      worker = { indent, figures: workerFor(owner, Number(workerMatch[1])) };
      const rest = workerMatch[2];
      const actuals = parseWorkerActuals(rest);
      if (actuals) {
        worker.figures.actualStartupTimeMs = actuals.startup;
        worker.figures.actualTotalTimeMs = actuals.total;
        worker.figures.actualRows = actuals.rows;
        worker.figures.actualLoops = actuals.loops;
        if (actuals.rest) applyWorkerDetail(worker.figures, actuals.rest);
      } else if (rest) applyWorkerDetail(worker.figures, rest);
      continue;
    }
    applyNodeDetail(owner, text);
  }
  if (stats.known === 0) {
    throw new PlanParseError(
      `Expected a PostgreSQL EXPLAIN plan, but none of its ${plan.nodes.length} node line(s) names a PostgreSQL plan node ` +
        `(line ${root.lineNo}: "${excerpt(root.text)}"). Is this another database's plan?`,
      { line: root.lineNo },
    );
  }
  inferRelationships(plan.nodes);
  return plan;
}

function toLines(raw: string[], firstLineNumber: number): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    const r = raw[i].replace(/\t/g, '    ').trimEnd();
    if (r.trim() === '') continue;
    const indent = r.length - r.trimStart().length;
    out.push({ indent, text: r.trimStart(), lineNo: i + firstLineNumber });
  }
  return out;
}

/**
 * Rejoins node lines that a terminal or a narrow window wrapped: a line with "(cost=" or
 * "(actual" that does not end with ")" continues on the next line, and a cost-only line
 * may be followed by its "(actual ...)" part.
 */
function joinWrappedLines(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    let cur = lines[i];
    let joins = 0;
    while (joins < MAX_WRAP_JOINS && i + 1 < lines.length && isNodeText(cur.text)) {
      const next = lines[i + 1].text;
      const open = !cur.text.endsWith(')');
      const actualNext = /^\((actual |never executed)/.test(next) && !cur.text.includes('(actual ') && !cur.text.includes('(never executed)');
      if (!open && !actualNext) break;
      if (open && (next.startsWith('->') || SUBPLAN_HEADER.test(next))) break;
      // A wrap cuts inside a token; the paste may or may not keep the space at the cut.
      const sep = actualNext || /\s$/.test(cur.text) || /^(rows=|width=|loops=|\(|actual )/.test(next) ? ' ' : '';
      cur = { ...cur, text: `${cur.text}${sep}${next}`.replace(/\s{3,}\(/g, '  (') };
      i++;
      joins++;
    }
    out.push(cur);
  }
  return out;
}

function isNodeText(text: string): boolean {
  return text.includes('(cost=') || text.includes('(actual ');
}

/**
 * The root: the first line with a known node name and well-formed figures; else the first
 * with figures at all (so a newer PostgreSQL's unknown root still parses); else (COSTS OFF
 * without ANALYZE) the first known node name.
 */
function findRoot(lines: Line[]): number {
  let anyFigures = -1;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].text;
    if (!hasNodeFigures(text)) continue;
    const parsed = parseNodeLine(stripArrow(text));
    if (parsed.startupCost === null && parsed.actualLoops === null && !parsed.neverExecuted) continue;
    if (parseNodeName(parsed.name).known) return i;
    if (anyFigures < 0) anyFigures = i;
  }
  if (anyFigures >= 0) return anyFigures;
  return lines.findIndex((l) => parseNodeName(stripArrow(l.text)).known);
}

function stripArrow(text: string): string {
  return text.startsWith('->') ? text.slice(2).trim() : text;
}

function notAPlan(lines: Line[]): PlanParseError {
  const first = lines[0];
  return new PlanParseError(
    'Expected a PostgreSQL EXPLAIN plan (the JSON format, or the text format with lines like ' +
      '"Seq Scan on t  (cost=0.00..35.50 rows=2550 width=4)"), but found no plan node' +
      (first ? `; the input starts at line ${first.lineNo} with "${excerpt(first.text)}".` : '.'),
    { line: first?.lineNo ?? null },
  );
}

function makeNode(text: string, parentIndex: number | null, line: Line, warnings: string[], stats: { known: number }): ReportedNode {
  const parsed = parseNodeLine(text);
  const { known, ...identity } = parseNodeName(parsed.name);
  const node = newReportedNode(identity, parentIndex);
  if (known) stats.known++;
  else warnings.push(`Line ${line.lineNo}: unknown node type "${excerpt(parsed.name)}", kept as is.`);
  if (parsed.truncated) warnings.push(`Line ${line.lineNo}: the node's figures are cut short ("${excerpt(text)}"); parsed what was there.`);
  node.startupCost = parsed.startupCost;
  node.totalCost = parsed.totalCost;
  node.planRows = parsed.planRows;
  node.planWidth = parsed.planWidth;
  node.actualStartupTimeMs = parsed.actualStartupTimeMs;
  node.actualTotalTimeMs = parsed.actualTotalTimeMs;
  node.actualRows = parsed.actualRows;
  node.actualLoops = parsed.actualLoops;
  if (parsed.neverExecuted) {
    node.neverExecuted = true;
    node.actualLoops = 0;
    node.actualRows = 0;
  }
  return node;
}

/** The node a detail line at `indent` belongs to: the innermost open node left of it. */
function ownerOf(stack: StackEntry[], indent: number, nodes: ReportedNode[]): ReportedNode {
  for (let i = stack.length - 1; i >= 0; i--) {
    const e = stack[i];
    if (e.key < indent || i === 0) return nodes[e.kind === 'node' ? e.node : e.owner];
  }
  return nodes[0];
}

function workerFor(node: ReportedNode, n: number): WorkerFigures {
  let w = node.workers.find((x) => x.workerNumber === n);
  if (!w) {
    w = newWorker(n);
    node.workers.push(w);
  }
  return w;
}

function applyPlanLevel(plan: ReportedPlan, block: string, text: string, line: Line): void {
  const ms = (s: string) => toNumber(s.replace(/\s*ms$/, ''));
  const colon = text.indexOf(':');
  const key = colon > 0 ? text.slice(0, colon) : text;
  const value = colon > 0 ? text.slice(colon + 1).trim() : '';
  if (block === 'Planning') {
    if (key === 'Buffers') plan.planningBuffers = parseBuffers(value);
    return;
  }
  if (block === 'JIT') {
    plan.jit = applyJitLine(plan.jit ?? emptyJit(), key, value);
    return;
  }
  if (key === 'Planning Time' || key === 'Planning time') plan.planningTimeMs = ms(value);
  else if (key === 'Execution Time' || key === 'Execution time' || key === 'Total runtime') plan.executionTimeMs = ms(value);
  else if (key === 'Query Identifier') plan.queryIdentifier = value;
  else if (key === 'Settings') plan.settings = parseSettings(value);
  else if (key === 'Serialization') {
    const t = /time=([\d.]+)/.exec(value);
    const o = /output=([\d.]+)kB/.exec(value);
    const f = /format=(\w+)/.exec(value);
    plan.serialization = { timeMs: t ? Number(t[1]) : null, outputKb: o ? Number(o[1]) : null, format: f ? f[1] : null };
  } else if (text.startsWith('Trigger ')) {
    const m = /^Trigger (for constraint )?(.+?)(?: on (.+?))?: time=([\d.]+) calls=(\d+)$/.exec(text);
    if (m) {
      plan.triggers.push({
        name: m[2], constraintName: m[1] ? m[2] : null, relation: m[3] ?? null, timeMs: Number(m[4]), calls: Number(m[5]),
      });
    } else plan.warnings.push(`Line ${line.lineNo}: could not read the trigger line "${excerpt(text)}".`);
  } else if (!PLAN_LEVEL.test(text)) {
    plan.warnings.push(`Ignored line ${line.lineNo}: "${excerpt(text)}" is not part of EXPLAIN's output.`);
  }
}

function emptyJit(): JitInfo {
  return { functions: null, options: {}, generationMs: null, inliningMs: null, optimizationMs: null, emissionMs: null, totalMs: null };
}

/** "Functions: 3", "Options: Inlining false, ...", "Timing: Generation 0.3 ms (Deform 0.1 ms), Inlining 0.0 ms, ..., Total 3.3 ms" */
function applyJitLine(jit: JitInfo, key: string, value: string): JitInfo {
  if (key === 'Functions') jit.functions = toNumber(value);
  else if (key === 'Options') {
    for (const m of value.matchAll(/(\w+) (true|false)/g)) jit.options[m[1]] = m[2] === 'true';
  } else if (key === 'Timing') {
    // Drop PG17's "(Deform x ms)" so it is not read as the next phase.
    const flat = value.replace(/\([^)]*\)/g, '');
    for (const m of flat.matchAll(/(Generation|Inlining|Optimization|Emission|Total) ([\d.]+) ms/g)) {
      const v = Number(m[2]);
      if (m[1] === 'Generation') jit.generationMs = v;
      else if (m[1] === 'Inlining') jit.inliningMs = v;
      else if (m[1] === 'Optimization') jit.optimizationMs = v;
      else if (m[1] === 'Emission') jit.emissionMs = v;
      else jit.totalMs = v;
    }
  }
  return jit;
}

/** "work_mem = '64kB', enable_seqscan = 'off'" */
function parseSettings(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.matchAll(/([\w.]+) = '((?:[^']|'')*)'/g)) out[m[1]] = m[2].replace(/''/g, "'");
  return out;
}
