/**
 * The plan model's entry points (DESIGN §4 "Plans"): parse EXPLAIN output in the JSON or
 * text format into one model, score tips, diff two plans, render for the CLI.
 */
import { PlanParseError } from './errors';
import { normalizeInput } from './input';
import { parseJsonPlan } from './jsonPlan';
import { buildModel } from './model';
import { parseTextPlan } from './textPlan';
import type { PlanModel } from './types';

export { PlanParseError } from './errors';
export { planTips, TIP_THRESHOLDS } from './tips';
export { diffPlans, SAME_WITHIN } from './diff';
export { renderPlanText } from './renderText';
export { toJson } from './toJson';
export type { PlanJson, PlanJsonNode } from './toJson';
export type * from './types';

/**
 * Parses EXPLAIN output: a string (JSON or text format, as psql or another tool printed
 * it), the parsed JSON (the array PostgreSQL returns or its first element), or a driver's
 * rows keyed "QUERY PLAN". Throws PlanParseError saying what was expected and where the
 * input stopped matching; recoverable oddities end up in `model.warnings`.
 */
export function parsePlan(input: string | unknown): PlanModel {
  const normalized = normalizeInput(input);
  const reported = normalized.kind === 'json' ? parseJsonPlan(normalized.value) : parseTextPlan(normalized.lines, normalized.firstLineNumber);
  if (reported.nodes.length === 0) throw new PlanParseError('Expected at least one plan node, found none.');
  return buildModel(reported);
}
