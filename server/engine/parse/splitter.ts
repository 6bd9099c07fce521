/**
 * Splits a SQL document into statements the way psql does: at top-level semicolons, never
 * inside quotes, dollar quotes, comments, parentheses or a `BEGIN ATOMIC ... END` body;
 * psql meta-commands (`\set`, `\d`, `\gset` ...) are skipped and end the statement before
 * them. An unterminated quote runs to the end of the text, so the statements before it are
 * still found.
 *
 * The tokens come from a small lexer with PostgreSQL's rules for strings, identifiers and
 * comments, not from libpg-query's scanner: the scanner returns every token as JSON through
 * WebAssembly, which made splitting 7x slower than this lexer and the largest cost of the
 * whole analysis. The scanner stays the oracle: the tests split the whole regression corpus
 * and thousands of random edits both ways and require the same statements.
 */
export interface SqlStatement {
  /** the statement's text, from its first token to its last (no trailing semicolon) */
  text: string;
  /** UTF-16 offsets into the document */
  start: number;
  end: number;
}

export interface SplitToken {
  start: number; // UTF-16
  end: number;
  /** lower-cased keyword / identifier text, or the punctuation */
  word: string;
  kind: 'word' | 'punct' | 'other' | 'meta';
}

export function splitStatements(text: string): SqlStatement[] {
  return scanStatements(text).statements;
}

/**
 * Re-splits after an edit, re-lexing only a window around the changed characters: from the
 * statement before the edit to the first statement after it that the edit did not touch.
 * The result equals `splitStatements(text)`; statements outside the window keep their
 * string objects, so caches keyed by statement text hit without rehashing.
 */
export function resplitStatements(prevText: string, prev: SqlStatement[], text: string): SqlStatement[] {
  if (prevText === text) return prev;
  const max = Math.min(prevText.length, text.length);
  const p = commonPrefix(prevText, text, max);
  const s = commonSuffix(prevText, text, max - p);
  const oldEditEnd = prevText.length - s;
  const delta = text.length - prevText.length;

  // first statement the edit may touch; re-lex from the one before it, which may grow
  let k = 0;
  while (k < prev.length && prev[k].end < p) k++;
  const first = Math.max(0, k - 1);
  const windowStart = first < prev.length && first > 0 ? prev[first].start : 0;
  // first statement wholly after the edit: the window ends with it
  let j = k;
  while (j < prev.length && prev[j].start < oldEditEnd) j++;
  if (j >= prev.length || windowStart > p) return splitStatements(text);
  const windowEnd = prev[j].end + delta;

  const windowText = text.slice(windowStart, windowEnd);
  const { statements, clean, terminated } = scanStatements(windowText);
  if (!terminated) return splitStatements(text);
  const last = statements[statements.length - 1];
  // The window must end where statement j ends, at top level: then the unchanged text after
  // it splits exactly as before.
  if (!clean || !last || last.end !== windowText.length) return splitStatements(text);

  const out = prev.slice(0, first);
  for (const st of statements) out.push({ text: st.text, start: st.start + windowStart, end: st.end + windowStart });
  for (let i = j + 1; i < prev.length; i++) out.push({ text: prev[i].text, start: prev[i].start + delta, end: prev[i].end + delta });
  return out;
}

/**
 * Where two texts first differ. Whole blocks are compared natively first (`substring`
 * makes no copy), then characters: on a 400 KB document the character loop alone cost a
 * millisecond per keystroke.
 */
function commonPrefix(a: string, b: string, max: number): number {
  let p = 0;
  for (let block = 4096; block >= 16; block >>= 4) {
    while (p + block <= max && a.substring(p, p + block) === b.substring(p, p + block)) p += block;
  }
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** How many characters two texts have in common at their ends, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let s = 0;
  for (let block = 4096; block >= 16; block >>= 4) {
    while (s + block <= max && a.substring(a.length - s - block, a.length - s) === b.substring(b.length - s - block, b.length - s)) s += block;
  }
  while (s < max && a.charCodeAt(a.length - 1 - s) === b.charCodeAt(b.length - 1 - s)) s++;
  return s;
}

function endOfLine(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n < 0 ? text.length : n;
}

/** Token kinds of scanToken. */
const META = 0; // a psql meta-command, to the end of its line
const QUOTED = 1; // a string, quoted identifier or dollar-quoted body
const PUNCT = 2; // ( ) ;
const WORD = 3; // a keyword or identifier
const OTHER = 4; // any other character

interface Scanned {
  start: number;
  end: number;
  kind: number;
  /** false once a quote or comment ran to the end of the text (sticky) */
  terminated: boolean;
}

/**
 * psql's rules for where strings, dollar quotes, comments and meta-commands begin and end:
 * finds the next token at or after `i`, past whitespace and comments, into `r` (no object
 * per token: splitting is the first thing done to every file). False at the end of the
 * text. Never fails: an unterminated construct runs to the end.
 */
function scanToken(text: string, i: number, r: Scanned): boolean {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 9 || c === 13 || c === 12) {
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (c === 45 /* - */ && next === 45) {
      i = endOfLine(text, i);
      continue;
    }
    if (c === 47 /* / */ && next === 42 /* * */) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = text.charCodeAt(i);
        if (d === 47 && text.charCodeAt(i + 1) === 42) (depth++, (i += 2));
        else if (d === 42 && text.charCodeAt(i + 1) === 47) (depth--, (i += 2));
        else i++;
      }
      if (depth > 0) r.terminated = false;
      continue;
    }
    r.start = i;
    if (c === 92 /* \ */) return token(r, endOfLine(text, i), META);
    if (c === 39 /* ' */ || ((c === 69 || c === 101) /* E e */ && next === 39)) {
      const escapes = c !== 39;
      return quotedToken(r, quoted(text, escapes ? i + 2 : i + 1, 39, escapes), n);
    }
    if (c === 34 /* " */) return quotedToken(r, quoted(text, i + 1, 34, false), n);
    if (c === 36 /* $ */) {
      const tag = dollarTag(text, i);
      if (tag) {
        const close = text.indexOf(tag, i + tag.length);
        return quotedToken(r, close < 0 ? -1 : close + tag.length, n);
      }
    }
    if (c === 40 || c === 41 || c === 59 /* ( ) ; */) return token(r, i + 1, PUNCT);
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      return token(r, i, WORD);
    }
    return token(r, i + 1, OTHER);
  }
  return false;
}

function token(r: Scanned, end: number, kind: number): true {
  r.end = end;
  r.kind = kind;
  return true;
}

/** A quoted token ending at `end`, or at the text's end `n` when it never closes (-1). */
function quotedToken(r: Scanned, end: number, n: number): true {
  if (end < 0) r.terminated = false;
  return token(r, end < 0 ? n : end, QUOTED);
}

/**
 * Statements from scanToken's tokens, grouped as they come (no token list). Statements
 * end at top-level semicolons and before psql meta-commands; a CREATE FUNCTION /
 * PROCEDURE's `BEGIN ATOMIC ... END` body (CASE ... END nests inside it) is not top level.
 * `clean` is false when the text ends inside parentheses or such a body, `terminated`
 * false when it ends inside a quote or comment.
 */
export function scanStatements(text: string): { statements: SqlStatement[]; clean: boolean; terminated: boolean } {
  const out: SqlStatement[] = [];
  // the statement being grouped: its first and last token's offsets, and how many tokens
  // it has so far
  let start = -1;
  let end = -1;
  let count = 0;
  let firstIsCreate = false;
  let parens = 0;
  let atomicDepth = 0;
  let routine = false;
  let prevWasBegin = false;
  const flush = () => {
    if (start >= 0) out.push({ text: text.slice(start, end), start, end });
    start = end = -1;
    count = 0;
    firstIsCreate = routine = prevWasBegin = false;
    parens = atomicDepth = 0;
  };
  const r: Scanned = { start: 0, end: 0, kind: OTHER, terminated: true };
  while (scanToken(text, r.end, r)) {
    const s = r.start;
    const kind = r.kind;
    if (kind === META) {
      flush();
      continue;
    }
    if (kind === PUNCT) {
      const c = text.charCodeAt(s);
      if (c === 59 /* ; */ && parens <= 0 && atomicDepth <= 0) {
        flush();
        continue;
      }
      if (c === 40 /* ( */) parens++;
      else if (c === 41 /* ) */) parens--;
    }
    if (start < 0) start = s;
    end = r.end;
    count++;
    if (kind !== WORD) continue;
    // a word: only a few matter for grouping, recognised by length before comparing text
    const len = r.end - s;
    if (count === 1) {
      firstIsCreate = len === 6 && isWord(text, s, 'create');
    } else if (!routine && count <= 5 && firstIsCreate && (len === 8 || len === 9) && (isWord(text, s, 'function') || isWord(text, s, 'procedure'))) {
      routine = true;
    }
    if (routine) {
      if (len === 6 && prevWasBegin && isWord(text, s, 'atomic')) atomicDepth++;
      else if (atomicDepth > 0 && len === 4 && isWord(text, s, 'case')) atomicDepth++;
      else if (atomicDepth > 0 && len === 3 && isWord(text, s, 'end')) atomicDepth--;
      prevWasBegin = len === 5 && isWord(text, s, 'begin');
    }
  }
  const clean = parens <= 0 && atomicDepth <= 0;
  flush();
  return { statements: out, clean, terminated: r.terminated };
}

/** `text` at `at` spells `word` (lower-case ASCII) in any case: what `.toLowerCase() === word` says for these keywords. */
function isWord(text: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * The same tokens as objects (the DDL rules read them; scanStatements groups them without
 * making any). `terminated` is false when a quote or comment runs to the end of the text.
 */
export function lexTokens(text: string): { tokens: SplitToken[]; terminated: boolean } {
  const out: SplitToken[] = [];
  const r: Scanned = { start: 0, end: 0, kind: OTHER, terminated: true };
  while (scanToken(text, r.end, r)) {
    const { start, end, kind } = r;
    if (kind === META) out.push({ start, end, word: '\\', kind: 'meta' });
    else if (kind === PUNCT) out.push({ start, end, word: text[start], kind: 'punct' });
    else if (kind === WORD) out.push({ start, end, word: text.slice(start, end).toLowerCase(), kind: 'word' });
    else out.push({ start, end, word: '', kind: 'other' });
  }
  return { tokens: out, terminated: r.terminated };
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

/** `$tag$` or `$$` at i, else null (a `$1` parameter is not a dollar quote). */
function dollarTag(text: string, i: number): string | null {
  let j = i + 1;
  if (text.charCodeAt(j) === 36) return '$$';
  if (!isIdentStart(text.charCodeAt(j))) return null;
  while (j < text.length && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
  return text.charCodeAt(j) === 36 ? text.slice(i, j + 1) : null;
}

/** The offset after the closing quote, or -1 when the quote never closes. */
function quoted(text: string, from: number, quote: number, backslashEscapes: boolean): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return -1;
}
