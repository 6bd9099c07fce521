/**
 * Parses one statement with the parser of the configured dialect. PostgreSQL goes through
 * libpg-query; other dialects through node-sql-parser, which only validates syntax here
 * (rules read libpg-query's AST, so they run on other dialects only where PostgreSQL's
 * parser accepts the statement too).
 */
import { parsePg, parsePgOrKept } from './pgquery';
import { checkOtherDialect } from './dialects';

export interface SyntaxProblem {
  message: string;
  /** UTF-16 offsets relative to the statement */
  start: number;
  end: number;
}

export type StatementParse =
  | { ok: true; ast: Record<string, unknown> | null }
  | { ok: false; error: SyntaxProblem };

export function parseStatement(text: string, dialect: string): StatementParse {
  if (dialect === 'postgres' || dialect === 'postgresql') {
    const r = parsePgOrKept(text);
    if (r.ok) return { ok: true, ast: r.stmts[0]?.stmt ?? null };
    return { ok: false, error: locate(text, r.error.message, r.error.offset) };
  }
  const other = checkOtherDialect(text, dialect);
  if (!other.ok) return { ok: false, error: locate(text, other.message, other.offset) };
  const pg = parsePg(text);
  return { ok: true, ast: pg.ok ? pg.stmts[0]?.stmt ?? null : null };
}

/** Widens an error offset to the token there, so the squiggle is visible. */
function locate(text: string, message: string, offset: number): SyntaxProblem {
  if (offset < 0 || offset >= text.length) {
    // "at end of input": mark the last character
    const end = text.length;
    return { message, start: Math.max(0, end - 1), end };
  }
  let end = offset;
  while (end < text.length && /[\w$]/.test(text[end])) end++;
  if (end === offset) end = offset + 1;
  return { message, start: offset, end };
}
