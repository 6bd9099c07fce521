/**
 * Test helpers for rules: run the analyzer over a fixture file, read the expectations
 * written in it, run one rule over one statement. See README.md for the fixture format.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Analyzer } from '../../../server/engine/analyze';
import { extractFacts } from '../../../server/engine/facts';
import { parsePg } from '../../../server/engine/parse/pgquery';
import { LineMap } from '../../../server/engine/parse/positions';
import { schemaOfTexts } from '../../../server/engine/schema/workspace';
import { DEFAULT_SETTINGS, type SqlperfSettings } from '../../../server/engine/settings';
import { DEFAULT_RULE_OPTIONS, type Finding, type HostInfo, type Report, type Rule, type RuleOptions } from '../../../server/engine/types';

/** `-- expect: select-star @ 3:8 "*"` (also `//` and `#`): rule, 1-based line and column, optional text of the range. */
const EXPECT = /(?:--|\/\/|#)\s*expect:\s*([a-z0-9-]+)\s*@\s*(\d+):(\d+)(?:\s+"((?:[^"\\]|\\.)*)")?/g;

export interface Expectation {
  rule: string;
  line: number;
  column: number;
  /** the exact text the diagnostic covers, when given */
  text?: string;
}

export interface Observed {
  rule: string;
  line: number;
  column: number;
  text: string;
  finding: Finding;
}

export function parseExpectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const m of text.matchAll(EXPECT)) {
    const e: Expectation = { rule: m[1], line: Number(m[2]), column: Number(m[3]) };
    if (m[4] !== undefined) e.text = m[4].replace(/\\(.)/g, '$1');
    out.push(e);
  }
  return out;
}

export const LANGUAGES: Record<string, string> = { '.sql': 'sql', '.ts': 'typescript', '.js': 'javascript', '.py': 'python', '.go': 'go' };

export function languageOf(path: string): string {
  const lang = LANGUAGES[extname(path)];
  if (!lang) throw new Error(`no language for fixture ${path}`);
  return lang;
}

/** Analyzes a fixture with the default settings (all rules at their defaults, plus `extra`). */
export function analyzeFile(path: string, settings: Partial<SqlperfSettings> = {}): { text: string; observed: Observed[] } {
  const text = readFileSync(path, 'utf8');
  const analyzer = new Analyzer({ ...DEFAULT_SETTINGS, ...settings });
  // the schema: the folder's schema.sql, if any, plus the fixture's own DDL (as in a workspace)
  const shared = join(dirname(path), 'schema.sql');
  const sqlTexts = existsSync(shared) && shared !== path ? [readFileSync(shared, 'utf8')] : [];
  if (languageOf(path) === 'sql') sqlTexts.push(text);
  analyzer.setSchema(schemaOfTexts(sqlTexts));
  const result = analyzer.analyze(text, languageOf(path));
  const lines = new LineMap(text);
  const observed = result.findings.map((f) => {
    const p = lines.positionAt(f.start);
    return { rule: f.rule, line: p.line + 1, column: p.character + 1, text: text.slice(f.start, f.end), finding: f };
  });
  return { text, observed };
}

export function format(o: { rule: string; line: number; column: number; text?: string }): string {
  return `${o.rule} @ ${o.line}:${o.column}${o.text !== undefined ? ` ${JSON.stringify(o.text)}` : ''}`;
}

export interface RuleRun {
  reports: Array<Report & { text: string }>;
}

/** Runs one rule over one PostgreSQL statement, as the analyzer would. */
export function runRule(rule: Rule, sql: string, opts: { options?: Partial<RuleOptions>; host?: HostInfo } = {}): RuleRun {
  const parsed = parsePg(sql);
  if (!parsed.ok) throw new Error(`fixture SQL does not parse: ${parsed.error.message}\n${sql}`);
  const ast = parsed.stmts[0].stmt;
  const facts = extractFacts(ast, sql);
  const reports: RuleRun['reports'] = [];
  rule.check({
    text: sql,
    ast,
    facts,
    options: { ...DEFAULT_RULE_OPTIONS, ...opts.options },
    host: opts.host,
    report: (r) => reports.push({ ...r, text: sql.slice(r.start, r.end) }),
  });
  return { reports };
}

/** Applies a fix's edits (statement-relative) to the text. */
export function applyEdits(text: string, edits: Array<{ start: number; end: number; newText: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** `sql` with the fixes of all of `rule`'s reports applied; every report must offer one. */
export function fixAll(rule: Rule, sql: string): string {
  const { reports } = runRule(rule, sql);
  assert.ok(reports.length > 0, `no report for ${sql}`);
  return applyEdits(
    sql,
    reports.flatMap((r) => {
      assert.ok(r.fix, `the report offers a fix: ${sql}`);
      return r.fix!.edits;
    }),
  );
}

/** The ASTs of the statements of (fixed) SQL; fails the test when it does not parse. */
export function parseAll(sql: string): Array<Record<string, unknown>> {
  const r = parsePg(sql);
  assert.ok(r.ok, `fixed SQL does not parse: ${sql}`);
  return r.stmts.map((s) => s.stmt);
}

/** The AST of the first statement of (fixed) SQL; fails the test when it does not parse. */
export function parses(sql: string): Record<string, unknown> {
  return parseAll(sql)[0];
}
