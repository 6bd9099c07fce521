/**
 * Which statement `sqlperf explain --file F [--line N]` means: in a .sql file the
 * statement at line N (comment lines above a statement belong to it); in a host file
 * (.ts, .js, .py, .go) the SQL embedded at line N. Without --line the file must hold
 * exactly one. Needs the parser (and, for host files, the extractors) loaded.
 */
import { extname } from 'node:path';
import { extractEmbedded, hostLanguageForPath, mapEndToHost, mapToHost, type EmbeddedOptions } from '../../server/engine/extract';
import { LineMap } from '../../server/engine/parse/positions';
import { splitStatements } from '../../server/engine/parse/splitter';

export interface SourceStatement {
  /** the SQL to explain */
  sql: string;
  /** UTF-16 offsets of the statement in the file */
  start: number;
  end: number;
  /** maps an offset in `sql` to an offset in the file (for error positions) */
  toFile(offset: number): number;
}

export type PickResult = { ok: true; statement: SourceStatement } | { ok: false; message: string; usage: boolean };

/** Every statement of a file, in order: SQL statements, or the SQL embedded in host code. */
export function statementsOf(path: string, text: string, options?: EmbeddedOptions): { statements: SourceStatement[]; host: boolean } {
  const language = extname(path).toLowerCase() === '.sql' ? null : hostLanguageForPath(path);
  if (!language) {
    return {
      host: false,
      statements: splitStatements(text).map((s) => ({ sql: s.text, start: s.start, end: s.end, toFile: (o) => s.start + o })),
    };
  }
  const statements: SourceStatement[] = [];
  for (const region of extractEmbedded(text, language, options)) {
    for (const s of splitStatements(region.sql)) {
      statements.push({
        sql: s.text,
        start: mapToHost(region, s.start),
        end: mapEndToHost(region, s.end),
        toFile: (o) => mapToHost(region, s.start + o),
      });
    }
  }
  return { host: true, statements };
}

/**
 * The statement at 1-based `line`. In SQL files a line between statements (a comment, a
 * blank line) picks the statement that follows; in host files only a line the SQL itself
 * spans counts.
 */
export function pickStatement(path: string, text: string, line: number | undefined, options?: EmbeddedOptions): PickResult {
  const { statements, host } = statementsOf(path, text, options);
  const lines = new LineMap(text);
  const lineOf = (offset: number) => lines.positionAt(offset).line + 1;
  const what = host ? 'embedded SQL statement' : 'SQL statement';

  if (line === undefined) {
    if (statements.length === 1) return { ok: true, statement: statements[0] };
    if (statements.length === 0) return { ok: false, usage: false, message: `${path} holds no ${what}.` };
    const starts = statements.map((s) => lineOf(s.start));
    const list = starts.length > 12 ? `${starts.slice(0, 12).join(', ')}, …` : starts.join(', ');
    return {
      ok: false,
      usage: false,
      message: `${path} holds ${statements.length} statements; EXPLAIN takes exactly one. Choose it with --line (statements start at lines ${list}).`,
    };
  }

  if (line > lines.lineCount) return { ok: false, usage: true, message: `${path} has ${lines.lineCount} lines; --line ${line} is past its end.` };
  const containing = statements.find((s) => lineOf(s.start) <= line && line <= lineOf(Math.max(s.start, s.end - 1)));
  if (containing) return { ok: true, statement: containing };
  if (!host) {
    const following = statements.find((s) => lineOf(s.start) > line);
    if (following) return { ok: true, statement: following };
  }
  return { ok: false, usage: true, message: `There is no ${what} at ${path}:${line}.` };
}
