/**
 * `sqlperf.advisor.revealSuggestion`: which suggestion of a report answers a diagnostic's
 * "index on table (columns)", or why there is none. Pure.
 */
import type { AdviceReport, Suggestion } from '../advisor/types';

export interface RevealArgs {
  /** 'orders' or 'sales.orders' (the rule's display name: public is left out) */
  table: string;
  columns: string[];
  /** the document the diagnostic is in, as a path (the edge converts the URI), and its 1-based line */
  file?: string;
  line?: number;
}

/** Checks the command's argument (it comes from a code action: untrusted shape). */
export function parseRevealArgs(raw: unknown): (RevealArgs & { uri?: string }) | string {
  const o = (Array.isArray(raw) ? raw[0] : raw) as Record<string, unknown> | undefined;
  if (!o || typeof o !== 'object') return 'expected { table, columns } (from the unindexed-filter diagnostic)';
  if (typeof o.table !== 'string' || !o.table.trim()) return 'the table name is missing';
  if (!Array.isArray(o.columns) || !o.columns.length || !o.columns.every((c) => typeof c === 'string' && c.length > 0)) return 'the column list is missing or not a list of names';
  return {
    table: o.table.trim(),
    columns: o.columns as string[],
    ...(typeof o.uri === 'string' && o.uri ? { uri: o.uri } : {}),
    ...(typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 0 ? { line: o.line } : {}),
  };
}

export type RevealResult =
  | { kind: 'found'; suggestion: Suggestion; exact: boolean }
  | { kind: 'dismissed'; suggestion: Suggestion }
  | { kind: 'none'; reason: string };

const unquote = (s: string) => (/^".*"$/.test(s) ? s.slice(1, -1).replace(/""/g, '"') : s);

/** True when the suggestion's table is `name` (schema-qualified or not; exact first, then ignoring case). */
export function sameTable(s: Suggestion, name: string, ignoreCase = false): boolean {
  const eq = (a: string, b: string) => (ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b);
  const whole = unquote(name);
  const c = s.candidate;
  if (eq(c.table, whole) && (c.schema === 'public' || !name.includes('.'))) return true;
  const dot = name.indexOf('.');
  if (dot > 0) return eq(c.schema, unquote(name.slice(0, dot))) && eq(c.table, unquote(name.slice(dot + 1)));
  return false;
}

/** 3: its leading key columns are exactly these; 2: its keys or INCLUDE hold them all; 1: it leads with the first; 0: none. */
export function columnMatch(s: Suggestion, columns: readonly string[]): number {
  const keys = s.candidate.keys.map((k) => k.column).filter((k): k is string => k !== undefined);
  const lead = new Set(keys.slice(0, columns.length));
  if (columns.every((c) => lead.has(c)) && lead.size === new Set(columns).size) return 3;
  const all = new Set([...keys, ...s.candidate.include]);
  if (columns.every((c) => all.has(c))) return 2;
  return keys[0] === columns[0] ? 1 : 0;
}

const best = (list: readonly Suggestion[], columns: readonly string[]) =>
  list
    .map((s) => ({ s, m: columnMatch(s, columns) }))
    .filter((x) => x.m > 0)
    .sort((a, b) => b.m - a.m || b.s.saving - a.s.saving)[0];

export interface RevealContext {
  dismissedKeys: ReadonlySet<string>;
  threshold: number;
  /** 'embedded database', a profile name */
  source: string;
  relative?: (file: string) => string;
}

export function findSuggestion(report: AdviceReport, a: RevealArgs, ctx: RevealContext): RevealResult {
  let onTable = report.suggestions.filter((s) => sameTable(s, a.table));
  if (!onTable.length) onTable = report.suggestions.filter((s) => sameTable(s, a.table, true));
  const shown = onTable.filter((s) => !ctx.dismissedKeys.has(s.candidate.key));
  const hit = best(shown, a.columns);
  if (hit) return { kind: 'found', suggestion: hit.s, exact: hit.m === 3 };
  const hidden = best(onTable.filter((s) => ctx.dismissedKeys.has(s.candidate.key)), a.columns);
  if (hidden) return { kind: 'dismissed', suggestion: hidden.s };
  return { kind: 'none', reason: noSuggestionReason(report, a, ctx, shown) };
}

function noSuggestionReason(report: AdviceReport, a: RevealArgs, ctx: RevealContext, others: readonly Suggestion[]): string {
  const what = `${a.table} (${a.columns.join(', ')})`;
  const pct = Math.round(ctx.threshold * 100);
  const rel = ctx.relative ?? ((f: string) => f);
  const lower = a.table.toLowerCase().split('.').pop()!;
  const note = report.notes.find((n) => n.toLowerCase().includes(lower) && a.columns.some((c) => n.includes(c)));
  const parts = [`No verified index suggestion for ${what} on ${ctx.source}.`];
  if (note) parts.push(`The advisor noted: ${note}.`);
  // the line may be 0-based (LSP) or 1-based: accept both
  const covers = (l: { file: string; line: number; endLine?: number }, line: number) => l.file === a.file && l.line <= line && (l.endLine ?? l.line) >= line;
  const query = a.file !== undefined && a.line !== undefined ? report.queries.find((q) => q.locations.some((l) => covers(l, a.line!) || covers(l, a.line! + 1))) : undefined;
  if (a.file !== undefined && a.line !== undefined && !query) parts.push(`The statement at ${rel(a.file)}:${a.line} is not in the advisor's workload (unsaved, or not recognized as SQL), so it was not planned.`);
  else if (!note) parts.push(`The planner found no index on these columns that lowers the cost of ${query ? `the query at ${rel(a.file!)}:${a.line}` : 'a workload query'} by ${pct}% or more (small tables are read whole anyway, and the embedded database has few rows unless sampled).`);
  if (others.length) parts.push(`${a.table} has other suggestions: ${others.map((s) => `(${s.candidate.keys.map((k) => k.column ?? k.expression).join(', ')})`).join(', ')}.`);
  return parts.join(' ');
}
