/**
 * `sqlperf check`: files in, located findings out. The analysis is the language server's
 * (same Analyzer, same settings merge), so a finding in CI is the squiggle in the editor.
 */
import { extname, relative } from 'node:path';
import { Analyzer } from '../../server/engine/analyze';
import { hostLanguageForPath, loadExtractors } from '../../server/engine/extract';
import { LineMap } from '../../server/engine/parse/positions';
import { keepParses, loadParser } from '../../server/engine/parse/pgquery';
import type { Schema } from '../../server/engine/schema/model';
import { contributionOfStatements, WorkspaceSchema } from '../../server/engine/schema/workspace';
import { splitStatements, type SqlStatement } from '../../server/engine/parse/splitter';
import type { SqlperfSettings } from '../../server/engine/settings';
import type { Severity } from '../../server/engine/types';
import { readSource, SQL_EXTENSIONS, toSlash } from './files';

/** One finding, positioned for people and tools: 1-based lines, 1-based UTF-16 columns. */
export interface LocatedFinding {
  /** relative to the current directory, `/` separators */
  file: string;
  line: number;
  column: number;
  endLine: number;
  /** exclusive, like ESLint's and SARIF's */
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
}

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface CheckResult {
  findings: LocatedFinding[];
  skipped: SkippedFile[];
  /** files read and analyzed (skipped ones not included) */
  checked: number;
  /** unreadable files etc., already phrased for stderr */
  warnings: string[];
  /** files the engine threw on (a bug): reported, the run goes on, the exit code says so */
  crashed: number;
}

/**
 * The parser, and the tree-sitter grammars when there is host code to read, load their
 * WebAssembly (asynchronously, once). A check of `.sql` files alone does without the
 * grammars: loading them cost as much as analyzing 60 KB of SQL.
 */
function loadEngine(files: readonly string[]): Promise<unknown> {
  const hostCode = files.some((f) => languageForPath(f) !== 'sql');
  return Promise.all([loadParser(), hostCode ? loadExtractors() : undefined]);
}

/** The engine's language id for a path: SQL for .sql and for anything it does not know. */
export function languageForPath(path: string): string {
  if (SQL_EXTENSIONS.has(extname(path).toLowerCase())) return 'sql';
  return hostLanguageForPath(path) ?? 'sql';
}

export async function checkFiles(files: readonly string[], settings: SqlperfSettings, cwd: string): Promise<CheckResult> {
  await loadEngine(files);
  const analyzer = new Analyzer(settings);
  const result: CheckResult = { findings: [], skipped: [], checked: 0, warnings: [], crashed: 0 };
  // UTF-16 length <= UTF-8 length <= 3 x UTF-16 length: anything above 3x the limit in bytes
  // is too large for certain, and is not worth reading.
  const maxBytes = settings.maxFileSizeKB * 1024 * 3;
  keepParses(true);
  try {
    const { schema, sqlFiles } = schemaOf(files, maxBytes);
    analyzer.setSchema(schema, { final: true });
    analyzeFiles(analyzer, files, sqlFiles, maxBytes, cwd, result);
  } finally {
    keepParses(false);
  }
  result.findings.sort(compareFindings);
  return result;
}

function analyzeFiles(analyzer: Analyzer, files: readonly string[], sqlFiles: Map<string, SplitSource>, maxBytes: number, cwd: string, result: CheckResult): void {
  for (const abs of files) {
    const file = displayPath(abs, cwd);
    const split = sqlFiles.get(abs);
    sqlFiles.delete(abs); // read once, held no longer than needed
    const read = split ? { ok: true as const, text: split.text } : readSource(abs, maxBytes);
    if (!read.ok) {
      result.skipped.push({ file, reason: read.reason });
      if (read.unreadable) result.warnings.push(`cannot read ${file}: ${read.reason}`);
      continue;
    }
    let analysis;
    try {
      analysis = analyzer.analyze(read.text, languageForPath(abs), undefined, split?.statements);
    } catch (e) {
      // An engine bug on one file must not cost the findings of all the others.
      result.crashed++;
      result.skipped.push({ file, reason: `internal error: ${(e as Error).message}` });
      result.warnings.push(`internal error while checking ${file} (please report it): ${(e as Error).stack ?? e}`);
      continue;
    }
    if (analysis.skipped) {
      result.skipped.push({ file, reason: analysis.skipped });
      continue;
    }
    result.checked++;
    if (analysis.findings.length === 0) continue;
    const lines = new LineMap(read.text);
    for (const f of analysis.findings) {
      const start = lines.positionAt(f.start);
      const end = lines.positionAt(Math.max(f.end, f.start));
      result.findings.push({
        file,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
      });
    }
  }
}

/** A `.sql` file read and split for the schema, kept for its analysis. */
interface SplitSource {
  text: string;
  statements: SqlStatement[];
}

/**
 * The schema the DDL among the checked `.sql` files describes, for the schema-aware rules,
 * and those files read and split, so the analysis does neither again (unreadable or too
 * large files are reported by the analysis pass, not here).
 */
function schemaOf(files: readonly string[], maxBytes: number): { schema: Schema | undefined; sqlFiles: Map<string, SplitSource> } {
  const ws = new WorkspaceSchema();
  const sqlFiles = new Map<string, SplitSource>();
  for (const abs of files) {
    if (!SQL_EXTENSIONS.has(extname(abs).toLowerCase())) continue;
    const read = readSource(abs, maxBytes);
    if (!read.ok || read.text.length > maxBytes / 3) continue;
    const statements = splitStatements(read.text);
    ws.setContribution(abs, contributionOfStatements(statements));
    sqlFiles.set(abs, { text: read.text, statements });
  }
  return { schema: ws.schema(), sqlFiles };
}

export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return toSlash(rel === '' ? abs : rel);
}

export function compareFindings(a: LocatedFinding, b: LocatedFinding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}
