/**
 * The one place that loads libpg-query. Its WebAssembly module loads asynchronously once;
 * after that every call is synchronous, which keeps the analyzer simple and fast.
 *
 * We call the module's exports directly (the very functions libpg-query's `parseSync`,
 * `scanSync` and `fingerprintSync` call) instead of going through its JavaScript wrapper,
 * which per call mallocs a copy of the input, walks the input twice in JavaScript (to size
 * and to encode it) and walks the whole JSON result byte by byte to find its end. Here the
 * input goes into one reused buffer and the result's end is found natively: about 10% of
 * the parse time, on every statement. Results are the same as the wrapper's, errors and
 * their positions included (checked over the whole regression corpus). Should a
 * libpg-query release lack those exports, we fall back to its public functions.
 *
 * (Parsing several statements per call was tried too: on this corpus it saved under 5%,
 * and less where statements fail, since a failed batch is parsed again.)
 */
import type * as PgLib from 'libpg-query';

/** The parts of the Emscripten module we use (names as libpg-query 17/18 export them). */
interface PgModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(input: number): number;
  _wasm_free_parse_result(result: number): void;
  _wasm_scan(input: number): number;
  _wasm_fingerprint(input: number): number;
  _wasm_free_string(ptr: number): void;
  stringToUTF8(str: string, ptr: number, maxBytes: number): void;
  UTF8ToString(ptr: number): string;
}

const EXPORTS = ['_malloc', '_free', '_wasm_parse_query_raw', '_wasm_free_parse_result', '_wasm_scan', '_wasm_fingerprint', '_wasm_free_string', 'stringToUTF8', 'UTF8ToString'];

let loading: Promise<void> | null = null;
let loaded = false;
/** the module, called directly */
let mod: PgModule | null = null;
/** libpg-query's public API, when the module lacks an export we need */
let lib: typeof PgLib | null = null;

export function loadParser(): Promise<void> {
  if (!loading) {
    loading = (async () => {
      const m = await moduleDirectly();
      if (m && EXPORTS.every((k) => typeof m[k] === 'function') && m.HEAPU8 instanceof Uint8Array && m.HEAPU32 instanceof Uint32Array) {
        mod = m as unknown as PgModule;
      } else {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        lib = require('libpg-query') as typeof PgLib;
        await lib.loadModule();
      }
      loaded = true;
    })();
  }
  return loading;
}

/** libpg-query's Emscripten module, instantiated by us; null when this release lays its files out otherwise. */
async function moduleDirectly(): Promise<Record<string, unknown> | null> {
  let factory: () => Promise<Record<string, unknown>>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    factory = require('libpg-query/wasm/libpg-query.js');
  } catch {
    return null;
  }
  return factory();
}

export function parserReady(): boolean {
  return loaded;
}

function ensureLoaded(): void {
  if (!loaded) throw new Error('libpg-query is not loaded: await loadParser() first');
}

// ---- calling the module --------------------------------------------------------------

/** The input buffer, reused between calls (released when a huge statement grew it). */
let inputPtr = 0;
let inputCap = 0;
const KEEP_INPUT_BYTES = 1 << 20;
const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** String.prototype.isWellFormed (ES2024; Node 20): no lone surrogates */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function wellFormed(s: string): boolean {
  return isWellFormed !== undefined && isWellFormed.call(s);
}

/** Copies `sql` as NUL-terminated UTF-8 into the input buffer (what libpg-query's stringToPtr does, without a malloc per call). */
function input(m: PgModule, sql: string): number {
  // at most 3 UTF-8 bytes per UTF-16 unit, plus the NUL
  const need = sql.length * 3 + 1;
  if (need > inputCap) {
    if (inputPtr) m._free(inputPtr);
    inputCap = Math.max(need, 4096);
    inputPtr = m._malloc(inputCap);
    if (!inputPtr) {
      inputCap = 0;
      throw new Error('Failed to parse query: memory allocation failed');
    }
  }
  if (wellFormed(sql)) {
    // native encoding; emscripten's stringToUTF8 gives the same bytes for well-formed text
    const { written } = encoder.encodeInto(sql, m.HEAPU8.subarray(inputPtr, inputPtr + inputCap - 1));
    m.HEAPU8[inputPtr + written] = 0;
  } else {
    // lone surrogates: emscripten encodes them as such, TextEncoder as U+FFFD
    m.stringToUTF8(sql, inputPtr, inputCap);
  }
  return inputPtr;
}

function releaseInput(m: PgModule): void {
  if (inputCap > KEEP_INPUT_BYTES) {
    m._free(inputPtr);
    inputPtr = 0;
    inputCap = 0;
  }
}

/** A NUL-terminated UTF-8 string in the module's memory (emscripten's UTF8ToString, with a native search for the end). */
function readString(m: PgModule, ptr: number): string {
  if (!ptr) return '';
  const heap = m.HEAPU8;
  const end = heap.indexOf(0, ptr);
  return decoder.decode(heap.subarray(ptr, end < 0 ? heap.length : end));
}

/** Messages libpg-query's scan / fingerprint wrappers treat as errors. */
function isErrorText(s: string): boolean {
  return s.startsWith('syntax error') || s.startsWith('deparse error') || s.startsWith('ERROR');
}

// ---- parse ------------------------------------------------------------------------------

export interface PgParseError {
  message: string;
  /** 0-based UTF-16 offset into the parsed text, or -1 when PostgreSQL gave none */
  offset: number;
}

export type PgParseResult = { ok: true; stmts: Array<{ stmt: Record<string, unknown> }> } | { ok: false; error: PgParseError };

export function parsePg(sql: string): PgParseResult {
  ensureLoaded();
  if (!mod) return parseWithLib(sql);
  if (sql === '') return { ok: false, error: { message: 'Query cannot be empty', offset: -1 } };
  const m = mod;
  let result: number;
  try {
    result = m._wasm_parse_query_raw(input(m, sql));
  } catch (e) {
    // a trap in the WebAssembly (libpg-query's parseSync would throw it too)
    releaseInput(m);
    return { ok: false, error: { message: (e as Error)?.message ?? String(e), offset: -1 } };
  }
  let json: string;
  try {
    if (!result) return { ok: false, error: { message: 'Failed to parse query: memory allocation failed', offset: -1 } };
    // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error; }
    const heap32 = m.HEAPU32;
    const tree = heap32[result >> 2];
    const error = heap32[(result + 8) >> 2];
    if (error) {
      // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos; ... }
      const messagePtr = heap32[error >> 2];
      const cursorpos = heap32[(error + 16) >> 2] | 0;
      const message = messagePtr ? m.UTF8ToString(messagePtr) : 'Unknown error';
      // libpg-query: `cursorpos > 0 ? cursorpos - 1 : 0`, in characters
      return { ok: false, error: { message, offset: codePointsToUtf16(sql, cursorpos > 0 ? cursorpos - 1 : 0) } };
    }
    if (!tree) return { ok: false, error: { message: 'No parse tree generated', offset: -1 } };
    json = readString(m, tree);
  } finally {
    if (result) m._wasm_free_parse_result(result);
    releaseInput(m);
  }
  const parsed = JSON.parse(json) as { stmts?: Array<{ stmt: Record<string, unknown> }> };
  return { ok: true, stmts: parsed.stmts ?? [] };
}

function parseWithLib(sql: string): PgParseResult {
  try {
    const result = lib!.parseSync(sql) as unknown as { stmts?: Array<{ stmt: Record<string, unknown> }> };
    return { ok: true, stmts: result.stmts ?? [] };
  } catch (e) {
    const err = e as { message?: string; sqlDetails?: { message?: string; cursorPosition?: number } };
    const message = err.sqlDetails?.message ?? err.message ?? String(e);
    const pos = err.sqlDetails?.cursorPosition;
    return { ok: false, error: { message, offset: typeof pos === 'number' ? codePointsToUtf16(sql, pos) : -1 } };
  }
}

/** PostgreSQL counts error positions in characters (code points); editors in UTF-16 units. */
/**
 * Parses handed from one reader of a text to the next. The CLI reads the DDL of every file
 * for the schema before it analyzes the same files, and without this would parse each DDL
 * statement twice (a quarter of `check`'s time on PostgreSQL's regression suite). Off unless
 * a caller turns it on; each kept parse is handed over once, then forgotten.
 */
let keeping = false;
const kept = new Map<string, PgParseResult>();

export function keepParses(on: boolean): void {
  keeping = on;
  if (!on) kept.clear();
}

/** parsePg, keeping the result for the next reader when keepParses(true) is on. */
export function parsePgForLater(sql: string): PgParseResult {
  const r = parsePg(sql);
  if (keeping) kept.set(sql, r);
  return r;
}

/** parsePg, or the parse an earlier reader kept for this exact text. */
export function parsePgOrKept(sql: string): PgParseResult {
  if (kept.size > 0) {
    const r = kept.get(sql);
    if (r) {
      kept.delete(sql);
      return r;
    }
  }
  return parsePg(sql);
}

export function codePointsToUtf16(text: string, codePoints: number): number {
  if (codePoints < 0) return -1;
  let i = 0;
  for (let n = 0; n < codePoints && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }
  return i;
}

// ---- scan and fingerprint --------------------------------------------------------------------

export interface PgToken {
  /** UTF-8 byte offsets */
  start: number;
  end: number;
  text: string;
  tokenName: string;
  keywordName: string;
}

/** Calls a module function that takes the query and returns a string it allocated; null on a libpg-query error text. */
function callForString(m: PgModule, fn: (input: number) => number, sql: string): string | null {
  let ptr = 0;
  try {
    ptr = fn.call(m, input(m, sql));
    const s = readString(m, ptr);
    return isErrorText(s) ? null : s;
  } finally {
    if (ptr) m._wasm_free_string(ptr);
    releaseInput(m);
  }
}

/** Scans `sql` into tokens; null when the scanner rejects it (e.g. an unterminated quote). */
export function scanPg(sql: string): PgToken[] | null {
  ensureLoaded();
  try {
    if (!mod) return lib!.scanSync(sql).tokens as PgToken[];
    const s = callForString(mod, mod._wasm_scan, sql);
    return s === null ? null : ((JSON.parse(s) as { tokens: PgToken[] }).tokens);
  } catch {
    return null;
  }
}

export function fingerprintPg(sql: string): string | null {
  ensureLoaded();
  try {
    if (!mod) return lib!.fingerprintSync(sql);
    return callForString(mod, mod._wasm_fingerprint, sql);
  } catch {
    return null;
  }
}
