/**
 * A statement's complexity score, from its facts: what makes a query hard for the planner to
 * estimate and for a reader to follow. Shared by the `complexity` rule (diagnostic above a
 * threshold, breakdown on hover) and the code lens (the score on every statement).
 *
 * The weights are deliberately simple and documented in docs/rules/complexity.md; the
 * breakdown shows how each number was reached.
 */
import type { Facts } from './facts/types';

export const COMPLEXITY_WEIGHTS = {
  /** each join, explicit or comma */
  join: 2,
  /** each subquery, times its nesting depth (1 for a subquery of the statement) */
  subqueryPerDepth: 3,
  /** extra for a correlated subquery (may run once per outer row) */
  correlated: 4,
  aggregate: 1,
  window: 2,
  /** each OR branch beyond the first (ORs defeat index use and skew estimates) */
  orBranch: 1,
  setOperation: 3,
  cte: 2,
  /** extra for a recursive CTE */
  recursiveCte: 4,
} as const;

export interface ComplexityItem {
  /** stable key, e.g. 'joins' */
  factor: string;
  /** human label with the weight, e.g. 'joins (2 each)' */
  label: string;
  count: number;
  points: number;
}

export interface ComplexityScore {
  total: number;
  /** the factors that scored, in a fixed order */
  items: ComplexityItem[];
  /** the statement was nested too deep to see entirely: the score is a lower bound */
  truncated: boolean;
}

export function scoreComplexity(facts: Facts): ComplexityScore {
  const w = COMPLEXITY_WEIGHTS;
  const items: ComplexityItem[] = [];
  // Labels are built only for the factors that score: most statements score nothing.
  if (facts.joins.length > 0) addItem(items, 'joins', `joins (${w.join} each)`, facts.joins.length, facts.joins.length * w.join);
  if (facts.subqueries.length > 0) {
    let depthPoints = 0;
    let correlated = 0;
    for (const s of facts.subqueries) {
      depthPoints += s.depth * w.subqueryPerDepth;
      if (s.correlated) correlated++;
    }
    addItem(items, 'subqueries', `subqueries (${w.subqueryPerDepth} × nesting depth)`, facts.subqueries.length, depthPoints);
    if (correlated > 0) addItem(items, 'correlated', `correlated subqueries (+${w.correlated} each)`, correlated, correlated * w.correlated);
  }
  if (facts.aggregates.length > 0) addItem(items, 'aggregates', `aggregates (${w.aggregate} each)`, facts.aggregates.length, facts.aggregates.length * w.aggregate);
  if (facts.windows.length > 0) addItem(items, 'windows', `window functions (${w.window} each)`, facts.windows.length, facts.windows.length * w.window);
  let extraBranches = 0;
  for (const o of facts.ors) extraBranches += Math.max(0, o.branches - 1);
  if (extraBranches > 0) addItem(items, 'or', `OR branches beyond the first (${w.orBranch} each)`, extraBranches, extraBranches * w.orBranch);
  if (facts.setOperations.length > 0) {
    addItem(items, 'setOperations', `UNION / INTERSECT / EXCEPT (${w.setOperation} each)`, facts.setOperations.length, facts.setOperations.length * w.setOperation);
  }
  if (facts.ctes.length > 0) {
    addItem(items, 'ctes', `CTEs (${w.cte} each)`, facts.ctes.length, facts.ctes.length * w.cte);
    let recursive = 0;
    for (const c of facts.ctes) if (c.recursive) recursive++;
    if (recursive > 0) addItem(items, 'recursive', `recursive CTEs (+${w.recursiveCte} each)`, recursive, recursive * w.recursiveCte);
  }
  let total = 0;
  for (const i of items) total += i.points;
  return { total, items, truncated: facts.truncated };
}

function addItem(items: ComplexityItem[], factor: string, label: string, count: number, points: number): void {
  if (count > 0) items.push({ factor, label, count, points });
}

/** The breakdown as a markdown table (hover text). */
export function complexityMarkdown(score: ComplexityScore, threshold?: number): string {
  const lines = [`**Complexity ${score.total}**${threshold !== undefined ? ` (threshold ${threshold})` : ''}`, ''];
  if (score.items.length === 0) lines.push('Nothing to score: no joins, subqueries, aggregates, ORs, set operations or CTEs.');
  else {
    lines.push('| factor | count | points |', '|---|---:|---:|');
    for (const i of score.items) lines.push(`| ${i.label} | ${i.count} | ${i.points} |`);
    lines.push(`| **total** | | **${score.total}** |`);
  }
  if (score.truncated) lines.push('', '_The statement is nested deeper than sqlperf follows; the real score is higher._');
  return lines.join('\n');
}

/** One line for messages and code lens, e.g. '7 joins, 3 subqueries (1 correlated)'. */
export function complexitySummary(score: ComplexityScore): string {
  const count = (f: string) => score.items.find((i) => i.factor === f)?.count ?? 0;
  const parts: string[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (count('joins')) parts.push(plural(count('joins'), 'join', 'joins'));
  if (count('subqueries')) {
    const corr = count('correlated');
    parts.push(plural(count('subqueries'), 'subquery', 'subqueries') + (corr ? ` (${corr} correlated)` : ''));
  }
  if (count('aggregates')) parts.push(plural(count('aggregates'), 'aggregate', 'aggregates'));
  if (count('windows')) parts.push(plural(count('windows'), 'window function', 'window functions'));
  if (count('or')) parts.push(plural(count('or'), 'extra OR branch', 'extra OR branches'));
  if (count('setOperations')) parts.push(plural(count('setOperations'), 'set operation', 'set operations'));
  if (count('ctes')) parts.push(plural(count('ctes'), 'CTE', 'CTEs') + (count('recursive') ? ` (${count('recursive')} recursive)` : ''));
  return parts.join(', ');
}
