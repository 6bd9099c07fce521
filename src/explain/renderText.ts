/**
 * Plain-text rendering of a plan model for the CLI: an indented tree, one line per node,
 * then the tips. No colours or terminal codes: the caller decides.
 */
import { planTips } from './tips';
import type { PlanModel, PlanNode, Tip } from './types';

/** Misestimates at or above this factor get an arrow and the factor. */
export const RENDER_MISESTIMATE_FACTOR = 10;
/** How many of the heaviest nodes (by exclusive time) are marked. */
export const RENDER_HEAVIEST = 3;
/** Indentation stops growing here so a very deep plan stays readable (the depth is shown instead). */
const MAX_INDENT_DEPTH = 40;

export function renderPlanText(model: PlanModel, tips: Tip[] = planTips(model)): string {
  const out: string[] = [];
  const summary = [
    model.executionTimeMs !== null ? `execution ${ms(model.executionTimeMs)}` : null,
    model.planningTimeMs !== null ? `planning ${ms(model.planningTimeMs)}` : null,
    model.totalCost !== null ? `total cost ${model.totalCost.toFixed(2)}` : null,
    model.jit?.totalMs != null ? `JIT ${ms(model.jit.totalMs)}` : null,
  ].filter((x): x is string => x !== null);
  if (summary.length) out.push(summary.join(' · '));

  const heaviest = new Map<number, number>();
  if (model.hasTiming) {
    [...model.nodes]
      .filter((n) => (n.exclusiveTimeMs ?? 0) > 0)
      .sort((a, b) => (b.exclusiveTimeMs ?? 0) - (a.exclusiveTimeMs ?? 0))
      .slice(0, RENDER_HEAVIEST)
      .forEach((n, i) => heaviest.set(n.id, i + 1));
  }
  for (const n of model.nodes) {
    const depth = Math.min(n.depth, MAX_INDENT_DEPTH);
    const pad = '  '.repeat(depth);
    if (n.subplanName) out.push(`${pad}${n.subplanName}`);
    const arrow = n.parentId === null ? '' : '-> ';
    const deep = n.depth > MAX_INDENT_DEPTH ? `[depth ${n.depth}] ` : '';
    const rank = heaviest.get(n.id);
    const parts = [`${pad}${arrow}${deep}${title(n)}`, figures(n), rank ? `◀ #${rank} heaviest` : ''].filter(Boolean);
    out.push(parts.join('  '));
  }
  if (tips.length) {
    out.push('', 'Tips:');
    for (const t of tips) {
      const where = t.nodeId !== null ? ` (node ${t.nodeId})` : '';
      out.push(`  [${t.score.toFixed(1)}] ${t.id}${where}: ${t.title}`);
      out.push(`        ${t.detail}`);
    }
  }
  if (model.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of model.warnings.slice(0, 20)) out.push(`  ${w}`);
    if (model.warnings.length > 20) out.push(`  … ${model.warnings.length - 20} more`);
  }
  return `${out.join('\n')}\n`;
}

function title(n: PlanNode): string {
  let s = n.nodeType;
  if (n.scanDirection === 'Backward') s += ' Backward';
  if (n.index && n.baseType !== 'Bitmap Index Scan') s += ` using ${n.index}`;
  if (n.baseType === 'Bitmap Index Scan' && n.index) s += ` on ${n.index}`;
  const object = n.relation ?? n.cteName ?? n.functionName;
  if (object) {
    s += ` on ${n.schema ? `${n.schema}.` : ''}${object}`;
    if (n.alias && n.alias !== object) s += ` ${n.alias}`;
  } else if (n.alias && (n.baseType === 'Subquery Scan' || n.baseType === 'Values Scan')) s += ` on ${n.alias}`;
  return s;
}

function figures(n: PlanNode): string {
  const parts: string[] = [];
  if (n.neverExecuted) parts.push('never executed');
  else if (n.exclusiveTimeMs !== null) {
    const pct = n.percentOfTotal !== null ? ` (${n.percentOfTotal.toFixed(1)}%)` : '';
    parts.push(`${ms(n.exclusiveTimeMs)}${pct}`);
  }
  else if (n.totalCost !== null) parts.push(`cost ${n.totalCost.toFixed(2)}`);
  if (n.rowsActualTotal !== null) {
    let rows = `rows ${count(n.rowsActualTotal)}/${n.rowsEstimatedTotal !== null ? count(n.rowsEstimatedTotal) : '?'}`;
    const m = n.misestimate;
    if (m && m.direction && m.factor >= RENDER_MISESTIMATE_FACTOR) rows += ` ${m.direction === 'under' ? '↑' : '↓'}${factor(m.factor)}`;
    parts.push(rows);
  } else if (n.planRows !== null) parts.push(`est rows ${count(n.planRows)}`);
  if ((n.actualLoops ?? 0) > 1) parts.push(`loops ${count(n.actualLoops ?? 0)}`);
  return parts.join('  ');
}

function ms(x: number): string {
  return `${x >= 100 ? x.toFixed(1) : x.toFixed(3)} ms`;
}

function count(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

function factor(x: number): string {
  return `${x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1)}×`;
}
