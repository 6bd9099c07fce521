/**
 * Schema load problems of the embedded database as diagnostics data: which file, which
 * range, what to say. Pure (no `vscode`): the adapter turns each into a vscode.Diagnostic.
 */
import { LineMap, type Range } from '../../server/engine/parse/positions';
import type { SchemaProblem } from '../db/schema-loader';

export const SCHEMA_DIAGNOSTIC_SOURCE = 'sqlperf';
export const SCHEMA_DIAGNOSTIC_CODE = 'schema-load';

export interface SchemaDiagnostic {
  range: Range;
  message: string;
}

/**
 * One diagnostic per problem, grouped by file. The range is the word the server pointed
 * at when it did, else the statement's first line (a whole CREATE TABLE underlined says
 * nothing more and hides the other squiggles).
 */
export function schemaDiagnostics(problems: readonly SchemaProblem[], textOf: (file: string) => string | undefined): Map<string, SchemaDiagnostic[]> {
  const out = new Map<string, SchemaDiagnostic[]>();
  const maps = new Map<string, LineMap>();
  for (const p of problems) {
    const text = textOf(p.file);
    if (text === undefined) continue;
    let lines = maps.get(p.file);
    if (!lines) maps.set(p.file, (lines = new LineMap(text)));
    let start: number;
    let end: number;
    if (p.position !== undefined && p.position >= p.statementStart && p.position < p.statementEnd) {
      start = p.position;
      const word = /^[\p{L}\p{N}_$."]+/u.exec(text.slice(start, p.statementEnd));
      end = start + Math.max(1, word ? word[0].length : 1);
    } else {
      start = p.statementStart;
      const nl = text.slice(start, p.statementEnd).search(/\r|\n/);
      end = nl < 0 ? p.statementEnd : start + nl;
    }
    const list = out.get(p.file) ?? [];
    list.push({ range: lines.rangeOf(start, Math.min(end, text.length)), message: `Not loaded into the embedded database: ${p.message}` });
    out.set(p.file, list);
  }
  return out;
}

/** One line for the output channel and the status tooltip. */
export function schemaSummary(r: { files: number; statements: number; loaded: number; skipped?: number; duplicates?: number; problems: readonly unknown[] }, sampleTables?: number): string {
  if (r.files === 0) return 'no schema files found (setting sqlperf.schemaFiles)';
  // BEGIN / COMMIT around a migration are skipped on purpose: they are not "not loaded"
  // so are definitions a schema dump and the migrations that built it both contain
  const parts = [`${r.loaded} of ${r.statements - (r.skipped ?? 0) - (r.duplicates ?? 0)} statements from ${r.files} file${r.files === 1 ? '' : 's'} loaded`];
  if (r.duplicates) parts.push(`${r.duplicates} repeated definition${r.duplicates === 1 ? '' : 's'} skipped`);
  if (r.problems.length) parts.push(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`);
  if (sampleTables !== undefined) parts.push(`sample rows in ${sampleTables} table${sampleTables === 1 ? '' : 's'}`);
  return parts.join(', ');
}
