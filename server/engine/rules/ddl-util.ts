/**
 * Helpers for the migration and locking rules. They read DDL details straight from
 * libpg-query's AST (AlterTableStmt, DropStmt, VacuumStmt, ...) and find the keywords around
 * them with the splitter's lexer: many DDL nodes (AlterTableCmd, DropStmt, ClusterStmt) carry
 * no `location` at all, so ranges come from the tokens.
 *
 * Also here: `DocumentScan`, the little state machine the analyzer runs over the statements
 * of a `.sql` document to tell rules what earlier statements established (a lock_timeout, a
 * CHECK (col IS NOT NULL)). It reads only the statements' text (their first tokens), so it
 * costs nothing on cache hits; see `DocumentContext` in ../types.ts.
 */
import { lexTokens, type SplitToken } from '../parse/splitter';
import { ByteMap } from '../parse/positions';
import type { Span } from '../facts/types';
import type { DocumentContext } from '../types';

export type Node = Record<string, unknown>;

// ---- AST access -------------------------------------------------------------------------

/** `{ Type: body }` -> [Type, body] */
export function unwrapNode(n: unknown): [string, Node] | undefined {
  if (!n || typeof n !== 'object' || Array.isArray(n)) return undefined;
  for (const k in n as Node) {
    const v = (n as Node)[k];
    if (v && typeof v === 'object' && !Array.isArray(v)) return [k, v as Node];
    return undefined;
  }
  return undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The body of a node of the given type, or undefined. */
export function bodyOf(n: unknown, type: string): Node | undefined {
  // unwrapNode(n) without its tuple: every migration rule asks this of every statement
  if (!n || typeof n !== 'object' || Array.isArray(n)) return undefined;
  for (const k in n as Node) {
    const v = (n as Node)[k];
    return k === type && v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
  }
  return undefined;
}

/** `[{String: {sval}}]` -> the svals */
export function names(v: unknown): string[] {
  return list(v).map((x) => String(bodyOf(x, 'String')?.sval ?? ''));
}

/** A TypeName's last name, lower-cased (`pg_catalog.int4` -> `int4`). */
export function typeNameOf(typeName: unknown): string {
  // names(...).pop(), without the list
  const n = list((typeName as Node | undefined)?.names);
  return n.length ? String(bodyOf(n[n.length - 1], 'String')?.sval ?? '').toLowerCase() : '';
}

/** Temporary relations: nobody else can wait for their locks. */
export function isTempRelation(rel: Node | undefined): boolean {
  return !!rel && (rel.relpersistence === 't' || rel.schemaname === 'pg_temp');
}

// ---- tokens and ranges ------------------------------------------------------------------

let memoText = '';
let memoTokens: SplitToken[] = [];
let memoBytes: ByteMap | null = null;

/** The statement's tokens (comments skipped); memoized for the statement being checked. */
export function tokensOf(text: string): SplitToken[] {
  if (text !== memoText || memoBytes === null) {
    memoText = text;
    memoTokens = lexTokens(text).tokens;
    memoBytes = new ByteMap(text);
  }
  return memoTokens;
}

/** A libpg-query `location` (UTF-8 bytes) as a UTF-16 offset into the statement. */
export function offsetOf(text: string, location: unknown): number {
  tokensOf(text);
  return typeof location === 'number' && location >= 0 ? memoBytes!.toUtf16(location) : 0;
}

/** Index of the first token starting at or after `offset` (tokens.length when none). */
export function tokenIndexAt(tokens: SplitToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function isPunct(text: string, t: SplitToken | undefined, ch: string): boolean {
  return !!t && t.end - t.start === ch.length && text.startsWith(ch, t.start) && t.kind !== 'word';
}

/** The index of the `)` matching the `(` at index i (or the last token). */
export function matchParen(text: string, tokens: SplitToken[], i: number): number {
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    if (isPunct(text, tokens[k], '(')) depth++;
    else if (isPunct(text, tokens[k], ')') && --depth === 0) return k;
  }
  return tokens.length - 1;
}

/** Span of tokens i..j inclusive. */
export function tokenSpan(tokens: SplitToken[], i: number, j: number): Span {
  return { start: tokens[i].start, end: tokens[Math.max(i, j)].end };
}

/** Span of the statement's first n tokens (e.g. `DROP INDEX`). */
export function headSpan(text: string, n: number): Span {
  const t = tokensOf(text);
  if (t.length === 0) return { start: 0, end: Math.min(1, text.length) };
  return tokenSpan(t, 0, Math.min(n, t.length) - 1);
}

/** The index of the first token after the first `n` that has word `w`, searching at most `limit` tokens. */
export function findWord(tokens: SplitToken[], from: number, w: string, limit = 8): number {
  for (let k = from; k < tokens.length && k < from + limit; k++) if (tokens[k].word === w) return k;
  return -1;
}

/** A (possibly qualified) name starting at token i: its last token index. */
export function qualifiedNameEnd(text: string, tokens: SplitToken[], i: number): number {
  let k = i;
  while (k + 2 < tokens.length && isPunct(text, tokens[k + 1], '.') && tokens[k + 2].kind !== 'punct') k += 2;
  return k;
}

/** The relation's name as written (`s.t`, `"Orders"`), from its RangeVar. */
export function relationText(text: string, rel: Node | undefined): string {
  if (!rel) return '';
  const tokens = tokensOf(text);
  const i = tokenIndexAt(tokens, offsetOf(text, rel.location));
  if (i >= tokens.length) return String(rel.relname ?? '');
  const j = qualifiedNameEnd(text, tokens, i);
  return text.slice(tokens[i].start, tokens[j].end);
}

/** A function call's span: its (qualified) name through the closing parenthesis. */
export function callSpan(text: string, call: Node): Span {
  const tokens = tokensOf(text);
  const i = tokenIndexAt(tokens, offsetOf(text, call.location));
  if (i >= tokens.length) return { start: 0, end: text.length };
  let k = i;
  while (k < tokens.length && !isPunct(text, tokens[k], '(')) k++;
  return tokenSpan(tokens, i, k < tokens.length ? matchParen(text, tokens, k) : i);
}

/**
 * The text of each command of an ALTER TABLE (`ADD COLUMN ...`, `ALTER COLUMN c SET NOT
 * NULL`), aligned with `cmds`: the statement cut at top-level commas after the table name.
 * Null when the cut does not give one piece per command (then use `alterHead`).
 */
export function alterCommandSpans(text: string, stmt: Node): Span[] | null {
  const tokens = tokensOf(text);
  const rel = stmt.relation as Node | undefined;
  const cmds = list(stmt.cmds);
  if (!rel) return null;
  const i = tokenIndexAt(tokens, offsetOf(text, rel.location));
  if (i >= tokens.length) return null;
  let k = qualifiedNameEnd(text, tokens, i) + 1;
  if (isPunct(text, tokens[k], '*')) k++;
  const spans: Span[] = [];
  let depth = 0;
  let first = k;
  for (; k <= tokens.length; k++) {
    const t = tokens[k];
    if (k === tokens.length || (depth === 0 && isPunct(text, t, ','))) {
      if (first < k) spans.push(tokenSpan(tokens, first, k - 1));
      first = k + 1;
      continue;
    }
    if (isPunct(text, t, '(') || isPunct(text, t, '[')) depth++;
    else if (isPunct(text, t, ')') || isPunct(text, t, ']')) depth--;
  }
  return spans.length === cmds.length ? spans : null;
}

/** `ALTER TABLE [IF EXISTS] [ONLY] name`: the fallback range for an ALTER TABLE command. */
export function alterHead(text: string, stmt: Node): Span {
  const tokens = tokensOf(text);
  const rel = stmt.relation as Node | undefined;
  const i = rel ? tokenIndexAt(tokens, offsetOf(text, rel.location)) : tokens.length;
  if (i >= tokens.length) return headSpan(text, 2);
  return tokenSpan(tokens, 0, qualifiedNameEnd(text, tokens, i));
}

/** Some command of the ALTER TABLE has this subtype (`AT_AddConstraint`, ...): checked before the commands' ranges are worked out. */
export function hasCommand(stmt: Node, subtype: string): boolean {
  for (const c of list(stmt.cmds)) if (bodyOf(c, 'AlterTableCmd')?.subtype === subtype) return true;
  return false;
}

/** The ALTER TABLE commands with their spans (the head when the commands cannot be cut apart). */
export function alterCommands(text: string, ast: Node): Array<{ cmd: Node; span: Span; spanExact: boolean }> {
  const stmt = bodyOf(ast, 'AlterTableStmt');
  if (!stmt || stmt.objtype !== 'OBJECT_TABLE') return [];
  const spans = alterCommandSpans(text, stmt);
  const head = spans ? null : alterHead(text, stmt);
  const out: Array<{ cmd: Node; span: Span; spanExact: boolean }> = [];
  list(stmt.cmds).forEach((c, n) => {
    const cmd = bodyOf(c, 'AlterTableCmd');
    if (cmd) out.push({ cmd, span: spans ? spans[n] : head!, spanExact: !!spans });
  });
  return out;
}

/** An identifier as PostgreSQL would read it back (quoted unless plain lower-case). */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// ---- document-level context -------------------------------------------------------------

/** What a statement's first tokens say about the locks it takes (textual, shared by the rule and DocumentScan). */
export interface LockingHead {
  /** the keywords naming the statement, e.g. `ALTER TABLE` */
  span: Span;
  /** upper-cased statement name for messages */
  what: string;
}

/**
 * Statements that wait for a table lock which `lock_timeout` bounds: ALTER TABLE, CREATE
 * INDEX and REINDEX without CONCURRENTLY, DROP TABLE / INDEX / MATERIALIZED VIEW / TRIGGER,
 * TRUNCATE, VACUUM FULL, CLUSTER, REFRESH MATERIALIZED VIEW, LOCK, CREATE TRIGGER.
 * Only the first tokens are read (no parse), so the analyzer can run this on every
 * statement of a document for free.
 */
export function lockingHead(text: string): LockingHead | null {
  // most statements are turned away by their first letter or word, without lexing (this
  // runs on every statement): the words below begin with a, c, d, l, r, t or v
  const c = text.charCodeAt(0);
  if (isIdentStart(c)) {
    const lower = c | 32;
    if (lower !== 97 && lower !== 99 && lower !== 100 && lower !== 108 && lower !== 114 && lower !== 116 && lower !== 118) return null;
  }
  const first = firstWord(text);
  if (first !== null && !LOCKING_FIRST_WORDS.has(first)) return null;
  // CREATE TABLE, DROP FUNCTION, ALTER VIEW, ...: turned away by the second word
  const seconds = first === null ? undefined : LOCKING_SECOND_WORDS[first];
  if (seconds) {
    const second = wordAfter(text, first!.length);
    if (second !== null && !seconds.has(second)) return null;
  }
  // the rule and DocumentScan ask about the same statement one after the other
  if (text === lockingMemo.text) return lockingMemo.head;
  const head = lockingHeadOf(text);
  lockingMemo.text = text;
  lockingMemo.head = head;
  return head;
}

const lockingMemo: { text: string; head: LockingHead | null } = { text: '', head: null };

function lockingHeadOf(text: string): LockingHead | null {
  const t = lexTokens(text.length > 400 ? text.slice(0, 400) : text).tokens;
  const w = (i: number) => t[i]?.word ?? '';
  const span = (n: number): Span => ({ start: t[0].start, end: t[n - 1].end });
  const mk = (n: number): LockingHead => {
    const s = span(n);
    return { span: s, what: text.slice(s.start, s.end).replace(/\s+/g, ' ').toUpperCase() };
  };
  switch (w(0)) {
    case 'alter':
      return w(1) === 'table' ? mk(2) : null;
    case 'create': {
      let i = 1;
      if (w(i) === 'unique') i++;
      if (w(i) === 'index') return w(i + 1) === 'concurrently' ? null : mk(i + 1);
      if (w(1) === 'trigger' || (w(1) === 'constraint' && w(2) === 'trigger')) return mk(w(1) === 'trigger' ? 2 : 3);
      if (w(1) === 'or' && w(2) === 'replace' && w(3) === 'trigger') return mk(4);
      return null;
    }
    case 'drop':
      if (w(1) === 'index') return w(2) === 'concurrently' ? null : mk(2);
      if (w(1) === 'table' || w(1) === 'trigger') return mk(2);
      if (w(1) === 'materialized' && w(2) === 'view') return mk(3);
      return null;
    case 'truncate':
    case 'cluster':
    case 'lock':
      return mk(1);
    case 'reindex':
      for (let i = 1; i < 6 && i < t.length; i++) if (w(i) === 'concurrently') return null;
      return mk(1);
    case 'refresh':
      return w(1) === 'materialized' && w(2) === 'view' && w(3) !== 'concurrently' ? mk(3) : null;
    case 'vacuum': {
      if (w(1) === 'full') return mk(2);
      if (t[1] && text[t[1].start] === '(') {
        for (let i = 2; i < t.length && t[i].word !== ')' && text[t[i].start] !== ')'; i++) {
          if (w(i) === 'full') {
            const v = w(i + 1);
            return v === 'false' || v === 'off' || text[t[i + 1]?.start] === '0' ? null : { span: tokenSpan(t, 0, i), what: 'VACUUM FULL' };
          }
        }
      }
      return null;
    }
    default:
      return null;
  }
}

/** The first words lockingHead answers anything but null for. */
const LOCKING_FIRST_WORDS = new Set(['alter', 'create', 'drop', 'truncate', 'cluster', 'lock', 'reindex', 'refresh', 'vacuum']);

/** For these first words, the second words lockingHead can answer anything but null for. */
const LOCKING_SECOND_WORDS: Record<string, Set<string> | undefined> = {
  alter: new Set(['table']),
  create: new Set(['unique', 'index', 'trigger', 'constraint', 'or']),
  drop: new Set(['index', 'table', 'trigger', 'materialized']),
  refresh: new Set(['materialized']),
};

/**
 * The `word` of the token after offset `from` (which ends the first token) when it is an
 * identifier after plain whitespace; null when it is anything else, and lexing must tell.
 */
function wordAfter(text: string, from: number): string | null {
  let i = from;
  // the splitter's whitespace
  for (let c = text.charCodeAt(i); c === 32 || c === 10 || c === 9 || c === 13 || c === 12; c = text.charCodeAt(++i));
  if (i === from) return null;
  const c = text.charCodeAt(i);
  if (!isIdentStart(c) || ((c === 69 || c === 101) && text.charCodeAt(i + 1) === 39)) return null;
  const start = i;
  i++;
  while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
  return text.slice(start, i).toLowerCase();
}

/**
 * The `word` of the text's first token as lexTokens gives it, when the text starts with an
 * identifier (as a statement's text does); null when it does not, and lexing must tell.
 */
function firstWord(text: string): string | null {
  const c = text.charCodeAt(0);
  if (!isIdentStart(c)) return null;
  // E'...' is a string
  if ((c === 69 || c === 101) && text.charCodeAt(1) === 39) return null;
  let i = 1;
  while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
  return text.slice(0, i).toLowerCase();
}

/** As the splitter's lexer: a-z, A-Z, _, non-ASCII; then also digits and `$`. */
function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

/** `CHECK (col IS NOT NULL)` in an ALTER TABLE: the column name as PostgreSQL folds it. */
const NOT_NULL_CHECK = /\bcheck\s*\(\s*\(?\s*("(?:[^"]|"")+"|[a-z_][\w$]*)\s+is\s+not\s+null\s*\)?\s*\)/gi;

function foldIdent(s: string): string {
  return s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase();
}

/** The first words DocumentScan.advance looks past (besides ALTER and SELECT). */
const SCAN_FIRST_WORDS = new Set(['set', 'reset', 'discard', 'commit', 'rollback', 'end', 'abort']);

/**
 * Statement texts that change nothing DocumentScan tracks, whatever came before (most
 * SELECTs, CREATE TABLE, ...): an edit re-walks every statement of the document, and the
 * unchanged ones are answered by one lookup (the texts are the same string objects from
 * one split to the next). Bounded; emptied when full.
 */
const INERT = new Set<string>();
const INERT_LIMIT = 50_000;

function inert(text: string): void {
  if (INERT.size >= INERT_LIMIT) INERT.clear();
  INERT.add(text);
}

/** The context of a document's first statement: nothing established yet. */
export const EMPTY_DOCUMENT: DocumentContext = Object.freeze({ lockTimeout: false, lockingBefore: false, notNullChecks: Object.freeze([]) as readonly string[] });

/**
 * Walks a document's statements in order and says, before each, what the earlier ones
 * established. `key()` is '' while nothing has been (the common case: the analyzer's cache
 * key then stays the bare statement text).
 */
export class DocumentScan {
  private session = false;
  private local = false;
  private locking = false;
  private checks: string[] = [];
  private ctx: DocumentContext = EMPTY_DOCUMENT;
  private ctxKey = '';
  private dirty = false;

  context(): DocumentContext {
    if (this.dirty) {
      this.dirty = false;
      const lockTimeout = this.session || this.local;
      if (lockTimeout || this.locking || this.checks.length) {
        this.ctx = { lockTimeout, lockingBefore: this.locking, notNullChecks: [...this.checks] };
        this.ctxKey = `${lockTimeout ? 1 : 0}${this.locking ? 1 : 0}${this.checks.join('\u0001')}`;
      } else {
        this.ctx = EMPTY_DOCUMENT;
        this.ctxKey = '';
      }
    }
    return this.ctx;
  }

  /** A key for the context: '' for EMPTY_DOCUMENT; differs whenever the context differs. */
  key(): string {
    this.context();
    return this.ctxKey;
  }

  /** Takes in a statement (after the rules have seen it with the previous context). */
  advance(text: string): void {
    // the words below begin with one of these letters (checked first: this runs on every statement)
    switch (text.charCodeAt(0) | 32) {
      case 97: // a
      case 99: // c
      case 100: // d
      case 101: // e
      case 108: // l
      case 114: // r
      case 115: // s
      case 116: // t
      case 118: // v
        break;
      default:
        return;
    }
    // the language server walks every statement of a document on every keystroke
    if (INERT.has(text)) return;
    const head = text.slice(0, 12).toLowerCase();
    // fast exit: statements of other kinds change nothing (the text starts at its first token)
    if (!/^(alter|set|reset|select|discard|commit|rollback|end|abort|create|drop|truncate|cluster|lock|reindex|refresh|vacuum)\b/.test(head)) return;
    const locks = lockingHead(text) !== null;
    if (!this.locking && locks) {
      this.locking = true;
      this.dirty = true;
    }
    if (head.startsWith('alter')) {
      this.noteChecks(text);
      return;
    }
    // by the first word alone: SELECT needs no tokens, and CREATE, DROP, ... nothing more
    const first = firstWord(text);
    if (first === 'select') {
      if (!this.noteSetConfig(text) && !locks) inert(text);
      return;
    }
    if (first !== null && !SCAN_FIRST_WORDS.has(first)) {
      if (!locks) inert(text);
      return;
    }
    const t = lexTokens(text.length > 400 ? text.slice(0, 400) : text).tokens;
    const w = (i: number) => t[i]?.word ?? '';
    switch (w(0)) {
      case 'set': {
        let i = 1;
        let local = false;
        if (w(i) === 'session') i++;
        else if (w(i) === 'local') (local = true), i++;
        if (w(i) !== 'lock_timeout') return;
        const value = t[i + 1] && (w(i + 1) === 'to' || text[t[i + 1].start] === '=') ? text.slice(t[i + 2]?.start ?? text.length).trim() : '';
        const on = !/^(?:'?\s*0+\s*(?:ms|s|min)?\s*'?|default|'')$/i.test(value) && value !== '';
        this.setTimeout(local, on);
        return;
      }
      case 'reset':
        if (w(1) === 'lock_timeout' || w(1) === 'all') this.setTimeout(false, false), this.setTimeout(true, false);
        return;
      case 'discard':
        if (w(1) === 'all') this.setTimeout(false, false), this.setTimeout(true, false);
        return;
      case 'commit':
      case 'rollback':
      case 'end':
      case 'abort':
        if (w(1) !== 'prepared') this.setTimeout(true, false);
        return;
      case 'select':
        this.noteSetConfig(text);
        return;
      default:
    }
  }

  /** `SELECT set_config('lock_timeout', '5s', false)`; false when the statement has none. */
  private noteSetConfig(text: string): boolean {
    const m = /\bset_config\s*\(\s*'lock_timeout'\s*,\s*'([^']*)'\s*,\s*(\w+)/i.exec(text);
    if (m) this.setTimeout(/^t/i.test(m[2]), !/^\s*0+\s*(?:ms|s|min)?\s*$/i.test(m[1]) && m[1].trim() !== '');
    return m !== null;
  }

  private setTimeout(local: boolean, on: boolean): void {
    if (local ? this.local === on : this.session === on) return;
    if (local) this.local = on;
    else this.session = on;
    this.dirty = true;
  }

  private noteChecks(text: string): void {
    if (!/is\s+not\s+null/i.test(text)) return;
    const t = lexTokens(text.length > 400 ? text.slice(0, 400) : text).tokens;
    if (t[1]?.word !== 'table') return;
    let i = 2;
    if (t[i]?.word === 'if' && t[i + 1]?.word === 'exists') i += 2;
    if (t[i]?.word === 'only') i++;
    if (!t[i]) return;
    const end = qualifiedNameEnd(text, t, i);
    const table = foldIdent(text.slice(t[end].start, t[end].end));
    for (const m of text.matchAll(NOT_NULL_CHECK)) {
      const key = `${table}.${foldIdent(m[1])}`;
      if (!this.checks.includes(key)) {
        this.checks.push(key);
        this.dirty = true;
      }
    }
  }
}

/**
 * From the token at `location` on, the span through the first token with word `last`
 * (looked for among the next `limit` tokens): e.g. `CONSTRAINT fk FOREIGN KEY`. Just the
 * first token when `last` is not found.
 */
export function spanThrough(text: string, location: unknown, last: string, limit = 6): Span {
  const tokens = tokensOf(text);
  const i = tokenIndexAt(tokens, offsetOf(text, location));
  if (i >= tokens.length) return headSpan(text, 1);
  const j = findWord(tokens, i, last, limit);
  return tokenSpan(tokens, i, j < 0 ? i : j);
}

/** The part of `span` before its first top-level token with one of the words (e.g. `USING`). */
export function cutBefore(text: string, span: Span, words: string[]): Span {
  const tokens = tokensOf(text);
  let depth = 0;
  let prevEnd = span.start;
  for (let k = tokenIndexAt(tokens, span.start); k < tokens.length && tokens[k].start < span.end; k++) {
    const t = tokens[k];
    if (isPunct(text, t, '(')) depth++;
    else if (isPunct(text, t, ')')) depth--;
    else if (depth === 0 && k > tokenIndexAt(tokens, span.start) && words.includes(t.word)) return { start: span.start, end: prevEnd };
    prevEnd = t.end;
  }
  return span;
}
