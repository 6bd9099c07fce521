/**
 * The workspace's statements, fingerprinted: the same Analyzer the language server and
 * `sqlperf check` use finds them (in .sql files and embedded in host code), so a statement
 * the editor sees is a statement the matching sees.
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { Analyzer } from '../../server/engine/analyze';
import { hostLanguageForPath, loadExtractors } from '../../server/engine/extract';
import { LineMap } from '../../server/engine/parse/positions';
import { loadParser } from '../../server/engine/parse/pgquery';
import { mergeSettings, type SqlperfSettings } from '../../server/engine/settings';
import { fingerprintStatement } from './fingerprint';
import type { WorkspaceStatement } from './types';

let ready: Promise<void> | null = null;

/** libpg-query and the tree-sitter grammars (WebAssembly), loaded once. */
export function loadSlowEngine(): Promise<void> {
  ready ??= Promise.all([loadParser(), loadExtractors()]).then(() => undefined);
  return ready;
}

/** The engine's language id for a path: a host language, or SQL. */
export function languageOfPath(path: string): string {
  if (extname(path).toLowerCase() === '.sql') return 'sql';
  return hostLanguageForPath(path) ?? 'sql';
}

/** Statements of one document (after loadSlowEngine()). */
export function statementsOfText(analyzer: Analyzer, file: string, text: string, languageId: string): WorkspaceStatement[] {
  const analysis = analyzer.analyze(text, languageId);
  const lines = new LineMap(text);
  const out: WorkspaceStatement[] = [];
  for (const s of analysis.statements) {
    if (!s.ok) continue;
    const p = lines.positionAt(s.start);
    const e = lines.positionAt(s.end);
    out.push({
      file,
      line: p.line + 1,
      column: p.character + 1,
      start: s.start,
      end: s.end,
      endLine: e.line + 1,
      endColumn: e.character + 1,
      text: s.text,
      fingerprint: fingerprintStatement(s.text),
      language: s.host?.language ?? 'sql',
    });
  }
  return out;
}

export interface ScanResult {
  statements: WorkspaceStatement[];
  /** files that could not be read, with the reason */
  problems: string[];
}

/** Reads and scans files (absolute paths); settings default to sqlperf's defaults. */
export async function scanFiles(files: readonly string[], settings: SqlperfSettings = mergeSettings({}, {})): Promise<ScanResult> {
  await loadSlowEngine();
  const analyzer = new Analyzer(settings);
  const result: ScanResult = { statements: [], problems: [] };
  const maxBytes = settings.maxFileSizeKB * 1024 * 3;
  for (const file of files) {
    let text: string;
    try {
      if (statSync(file).size > maxBytes) continue;
      text = readFileSync(file, 'utf8');
    } catch (e) {
      result.problems.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    try {
      result.statements.push(...statementsOfText(analyzer, file, text, languageOfPath(file)));
    } catch (e) {
      result.problems.push(`${file}: ${(e as Error).message}`);
    }
  }
  return result;
}
