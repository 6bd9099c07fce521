/**
 * The one place that loads libpg-query. Its WebAssembly module loads asynchronously once;
 * after that every call is synchronous, which keeps the analyzer simple and fast.
 */
import * as pg from 'libpg-query';

let loading: Promise<void> | null = null;
let loaded = false;

export function loadParser(): Promise<void> {
  if (!loading) {
    loading = pg.loadModule().then(() => {
      loaded = true;
    });
  }
  return loading;
}

export function parserReady(): boolean {
  return loaded;
}

function ensureLoaded(): void {
  if (!loaded) throw new Error('libpg-query is not loaded: await loadParser() first');
}

export interface PgParseError {
  message: string;
  /** 0-based UTF-16 offset into the parsed text, or -1 when PostgreSQL gave none */
  offset: number;
}

export type PgParseResult = { ok: true; stmts: Array<{ stmt: Record<string, unknown> }> } | { ok: false; error: PgParseError };

export function parsePg(sql: string): PgParseResult {
  ensureLoaded();
  try {
    const result = pg.parseSync(sql) as unknown as { stmts?: Array<{ stmt: Record<string, unknown> }> };
    return { ok: true, stmts: result.stmts ?? [] };
  } catch (e) {
    const err = e as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
    const message = err.sqlDetails?.message ?? err.message ?? String(e);
    const pos = err.sqlDetails?.cursorPosition;
    return { ok: false, error: { message, offset: typeof pos === 'number' ? codePointsToUtf16(sql, pos) : -1 } };
  }
}

/** PostgreSQL counts error positions in characters (code points); editors in UTF-16 units. */
export function codePointsToUtf16(text: string, codePoints: number): number {
  if (codePoints < 0) return -1;
  let i = 0;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return i;
}

export interface PgToken {
  /** UTF-8 byte offsets */
  start: number;
  end: number;
  text: string;
  tokenName: string;
  keywordName: string;
}

/** Scans `sql` into tokens; null when the scanner rejects it (e.g. an unterminated quote). */
export function scanPg(sql: string): PgToken[] | null {
  ensureLoaded();
  try {
    return pg.scanSync(sql).tokens as PgToken[];
  } catch {
    return null;
  }
}

export function fingerprintPg(sql: string): string | null {
  ensureLoaded();
  try {
    return pg.fingerprintSync(sql);
  } catch {
    return null;
  }
}
