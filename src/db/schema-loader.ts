/**
 * Loads the workspace's DDL into the embedded database, one statement at a time, so a
 * statement PostgreSQL rejects (an extension PGlite lacks, a role that does not exist, a
 * typo) is reported where it is written and the rest still loads. Problems carry file and
 * UTF-16 offsets so the editor can show them as diagnostics in those files.
 */
import { loadParser, parsePg } from '../../server/engine/parse/pgquery';
import { splitStatements } from '../../server/engine/parse/splitter';
import { isDbError } from './errors';
import type { ProgressFn } from './embedded';
import type { QueryTarget } from './target';

export interface SchemaFile {
  path: string;
  text: string;
}

export interface SchemaProblem {
  file: string;
  /** UTF-16 offsets of the statement in the file */
  statementStart: number;
  statementEnd: number;
  message: string;
  /** UTF-16 offset in the file of the spot the server pointed at, when it did */
  position?: number;
}

export interface SchemaLoadResult {
  files: number;
  statements: number;
  loaded: number;
  /** statements deliberately not run (transaction control) */
  skipped: number;
  /** statements that defined something an earlier file had already defined (not problems) */
  duplicates: number;
  problems: SchemaProblem[];
  ms: number;
}

/**
 * Orders files for loading: schema dumps (schema.sql, *.ddl.sql: the current state) first,
 * then migrations the way they are meant to run, by file name comparing digits as numbers
 * (2_x before 10_x), then by path. Many projects keep both a dump and the migrations that
 * built it: the dump has every column, and the migrations' repeated definitions are then
 * recognised as duplicates rather than reported.
 */
export function orderSchemaFiles<T extends { path: string }>(files: readonly T[]): T[] {
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  const migration = (p: string) => (/(^|[\\/])(migrations?|migrate)[\\/]/i.test(p) ? 1 : 0);
  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  return [...files].sort((a, b) => migration(a.path) - migration(b.path) || collator.compare(base(a.path), base(b.path)) || collator.compare(a.path, b.path));
}

/** SQLSTATEs of "already exists": a definition repeated by a later file. */
const DUPLICATE_DEFINITION = new Set(['42P07', '42710', '42P06', '42723', '42701']);

/** Statements skipped on purpose: each statement runs on its own, so a BEGIN ... COMMIT
 * around a migration must not turn one failure into "transaction is aborted" for the rest. */
const SKIPPED = new Set(['TransactionStmt']);

/** Runs every statement of `files` in the given order (see orderSchemaFiles). */
export async function loadSchema(db: QueryTarget, files: readonly SchemaFile[], progress?: ProgressFn): Promise<SchemaLoadResult> {
  const started = Date.now();
  await loadParser();
  const result: SchemaLoadResult = { files: files.length, statements: 0, loaded: 0, skipped: 0, duplicates: 0, problems: [], ms: 0 };
  for (const [i, file] of files.entries()) {
    progress?.(`Loading ${file.path}`, files.length ? i / files.length : 1);
    for (const stmt of splitStatements(file.text)) {
      result.statements++;
      const parsed = parsePg(stmt.text);
      if (!parsed.ok) {
        const at = parsed.error.offset >= 0 ? stmt.start + parsed.error.offset : undefined;
        result.problems.push({ file: file.path, statementStart: stmt.start, statementEnd: stmt.end, message: `syntax error: ${parsed.error.message}`, position: at });
        continue;
      }
      const type = Object.keys(parsed.stmts[0]?.stmt ?? {})[0];
      if (SKIPPED.has(type)) {
        result.skipped++;
        continue;
      }
      try {
        await db.query(stmt.text);
        result.loaded++;
      } catch (e) {
        if (isDbError(e) && e.code && DUPLICATE_DEFINITION.has(e.code)) {
          result.duplicates++;
          continue;
        }
        const position = isDbError(e) && e.position !== undefined && e.position <= stmt.text.length ? stmt.start + e.position : undefined;
        const message = serverReason(e);
        result.problems.push({ file: file.path, statementStart: stmt.start, statementEnd: stmt.end, message, position });
      }
    }
  }
  // pg_dump output sets search_path to '' (and more) for the session; later queries must
  // see the normal defaults.
  await db.query('RESET ALL').catch(() => undefined);
  progress?.(`Loaded ${result.loaded} of ${result.statements} statements`, 1);
  result.ms = Date.now() - started;
  return result;
}

/** The server's own words (plus its detail/hint): a diagnostic sits on the statement already. */
function serverReason(e: unknown): string {
  const raw = (isDbError(e) ? e.cause : e) as { message?: unknown; detail?: unknown; hint?: unknown } | undefined;
  const parts = [raw?.message, raw?.detail, raw?.hint].filter((x): x is string => typeof x === 'string' && x !== '');
  if (parts.length) return parts.join(' ');
  return isDbError(e) ? e.message : String(e);
}
