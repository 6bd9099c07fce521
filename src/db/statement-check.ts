/**
 * Decides whether a piece of SQL can be explained, and what executing it would do. The
 * parser (libpg-query) is the judge: exactly one statement, of a kind EXPLAIN accepts, and
 * whether running it writes (INSERT/UPDATE/DELETE/MERGE, a data-modifying CTE, SELECT ...
 * FOR UPDATE, SELECT INTO / CREATE TABLE AS). What a called function does cannot be seen
 * here; the READ ONLY transaction catches that at run time.
 */
import { parsePg } from '../../server/engine/parse/pgquery';
import { splitStatements } from '../../server/engine/parse/splitter';
import { DbError } from './errors';
import { convertPlaceholders, type PlaceholderConversion } from './placeholders';

export type StatementKind = 'select' | 'values' | 'insert' | 'update' | 'delete' | 'merge' | 'create-table-as';

export interface CheckedStatement {
  /** the statement as written (no surrounding whitespace, no trailing semicolon) */
  original: string;
  /** UTF-16 offset of `original` in the text the caller passed */
  offset: number;
  /** `original` with `:name` and `?` rewritten to `$n` */
  conversion: PlaceholderConversion;
  kind: StatementKind;
  /** executing it changes data or takes row locks */
  writes: boolean;
  /** why it writes, for messages: "UPDATE", "a data-modifying WITH", "FOR UPDATE" */
  writeReason?: string;
}

const WRITE_NODES: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

const UTILITY_NAMES: Record<string, string> = {
  VacuumStmt: 'VACUUM / ANALYZE',
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  AlterTableStmt: 'ALTER TABLE',
  DropStmt: 'DROP',
  TruncateStmt: 'TRUNCATE',
  CopyStmt: 'COPY',
  CallStmt: 'CALL',
  DoStmt: 'DO',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  GrantStmt: 'GRANT',
  LockStmt: 'LOCK',
  ViewStmt: 'CREATE VIEW',
  CreateFunctionStmt: 'CREATE FUNCTION',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  ReindexStmt: 'REINDEX',
  ClusterStmt: 'CLUSTER',
  PrepareStmt: 'PREPARE',
  DeallocateStmt: 'DEALLOCATE',
  ListenStmt: 'LISTEN',
  NotifyStmt: 'NOTIFY',
};

const EXPLAINABLE = 'EXPLAIN takes SELECT, VALUES, INSERT, UPDATE, DELETE, MERGE and CREATE TABLE AS.';

/** Checks `sql` (which may carry comments and a trailing semicolon). Throws DbError kind 'sql'. */
export function checkStatement(sql: string): CheckedStatement {
  const found = splitStatements(sql);
  if (found.length === 0) throw refuse('There is no SQL statement to explain.', 'Put the cursor in a statement, or select one.');
  if (found.length > 1) {
    throw refuse(
      `Found ${found.length} statements; EXPLAIN takes exactly one.`,
      'Put the cursor inside one statement, or select just that statement, and try again.',
    );
  }
  const stmt = found[0];
  const conversion = convertPlaceholders(stmt.text);
  const parsed = parsePg(conversion.text);
  if (!parsed.ok) {
    const at = parsed.error.offset >= 0 ? stmt.start + conversion.toOriginal(parsed.error.offset) : undefined;
    throw new DbError({ kind: 'sql', message: `The statement does not parse: ${parsed.error.message}.`, hint: 'Fix the syntax error first.', position: at, code: '42601' });
  }
  if (parsed.stmts.length !== 1) {
    throw refuse(`Found ${parsed.stmts.length} statements; EXPLAIN takes exactly one.`, 'Select just one statement and try again.');
  }
  const node = parsed.stmts[0].stmt;
  const [type] = Object.keys(node);
  const body = node[type] as Record<string, unknown>;
  const base = { original: stmt.text, offset: stmt.start, conversion };

  switch (type) {
    case 'SelectStmt': {
      if (body.intoClause) return { ...base, kind: 'create-table-as', writes: true, writeReason: 'SELECT INTO (creates a table)' };
      const reason = writeInside(body);
      const kind: StatementKind = body.valuesLists ? 'values' : 'select';
      return { ...base, kind, writes: reason !== undefined, writeReason: reason };
    }
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return { ...base, kind: WRITE_NODES[type].toLowerCase() as StatementKind, writes: true, writeReason: WRITE_NODES[type] };
    case 'CreateTableAsStmt':
      return { ...base, kind: 'create-table-as', writes: true, writeReason: 'CREATE ... AS (creates a table)' };
    case 'ExplainStmt':
      throw refuse('This is already an EXPLAIN statement.', 'Remove the EXPLAIN prefix: sqlperf adds EXPLAIN with the options it needs.');
    case 'TransactionStmt':
      throw refuse('Transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT ...) cannot be explained.', 'Explain the statements inside the transaction one at a time; sqlperf wraps each in its own transaction.');
    case 'ExecuteStmt':
      throw refuse('EXECUTE of a prepared statement cannot be explained here (the prepared statement lives in another session).', 'Explain the prepared statement\'s own query instead.');
    case 'DeclareCursorStmt':
      throw refuse('DECLARE CURSOR cannot be explained here.', 'Explain the cursor\'s query (the part after FOR) instead.');
    default: {
      const name = UTILITY_NAMES[type] ?? firstWords(stmt.text);
      throw refuse(`${name} is a utility statement; EXPLAIN cannot take it. ${EXPLAINABLE}`, 'Explain a query instead.');
    }
  }
}

/** Finds a write hidden in a SELECT: a data-modifying WITH, or a locking clause. */
function writeInside(select: Record<string, unknown>): string | undefined {
  let found: string | undefined;
  const walk = (v: unknown): void => {
    if (found || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (k in WRITE_NODES) {
        found = `a data-modifying WITH (${WRITE_NODES[k]})`;
        return;
      }
      if (k === 'lockingClause' && Array.isArray(child) && child.length > 0) {
        found = lockingName(child[0]);
        return;
      }
      walk(child);
    }
  };
  walk(select);
  return found;
}

function lockingName(clause: unknown): string {
  const strength = (clause as { LockingClause?: { strength?: string } })?.LockingClause?.strength ?? '';
  const names: Record<string, string> = { LCS_FORUPDATE: 'FOR UPDATE', LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE', LCS_FORSHARE: 'FOR SHARE', LCS_FORKEYSHARE: 'FOR KEY SHARE' };
  return names[strength] ?? 'a row-locking clause';
}

function firstWords(text: string): string {
  const words = text.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').split(/\s+/).slice(0, 2);
  return words.join(' ').toUpperCase() || 'This statement';
}

function refuse(message: string, hint: string): DbError {
  return new DbError({ kind: 'sql', message, hint });
}
