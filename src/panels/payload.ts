/**
 * PlanPayload: a plan as the panel shows it, built from EXPLAIN output (parsed JSON from a
 * run, or the text of a plan file). Pure; throws PlanParseError for input that is no plan.
 */
import { parsePlan, planTips, renderPlanText } from '../explain';
import type { PlanPayload } from './protocol';

export interface PayloadInput {
  id: string;
  title: string;
  statement: string | null;
  /** EXPLAIN (FORMAT JSON) output, or the text of a saved plan (JSON or text format) */
  plan: unknown;
  analyzed?: boolean;
  target: string | null;
  createdAt: number;
  sourceLinked: boolean;
}

export function buildPayload(i: PayloadInput): PlanPayload {
  const model = parsePlan(i.plan);
  const tips = planTips(model).sort((a, b) => b.score - a.score);
  const raw = typeof i.plan === 'string' ? i.plan : JSON.stringify(i.plan, null, 2);
  const rawKind = typeof i.plan === 'string' ? (/^\s*[[{]/.test(i.plan) ? 'json' : 'text') : 'json';
  return {
    id: i.id,
    title: i.title,
    statement: i.statement,
    model,
    tips,
    text: renderPlanText(model, tips),
    raw,
    rawKind,
    analyzed: i.analyzed ?? model.hasAnalyze,
    target: i.target,
    createdAt: i.createdAt,
    sourceLinked: i.sourceLinked,
  };
}

/** "EXPLAIN ANALYZE · embedded database · 14:03:12" */
export function runTitle(analyzed: boolean, target: string | null, createdAt: number): string {
  const d = new Date(createdAt);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
  return [analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN', target, time].filter(Boolean).join(' · ');
}
