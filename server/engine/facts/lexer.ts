/**
 * A JavaScript lexer with PostgreSQL's token boundaries (scan.l), used to turn AST locations
 * into ranges (`Tokens` below; the ranges themselves are in tokens.ts). libpg-query's own
 * `scanSync` gives the same tokens but costs as much as parsing the statement (a WebAssembly
 * call plus JSON per token); this is about ten times cheaper. A test compares both over the
 * regression corpus.
 *
 * Offsets are UTF-16. Comments are dropped. The lexer never fails: an unterminated string
 * or comment runs to the end of the text.
 */

import { ByteMap } from '../parse/positions';
import type { Span } from './types';

export interface LexToken {
  start: number;
  end: number;
  /** lower-cased text for words, the text otherwise */
  word: string;
  kind: 'word' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'punct';
}

/** Characters that allow a multi-character operator to end in + or - (scan.l). */
const OP_SPECIAL = /[~!@#^&|`?%]/;

/** Character classes of ASCII: one lookup instead of a chain of comparisons in the scanner's loops. */
const IDENT_START = 1;
const IDENT_CHAR = 2;
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  ASCII[c] = (start ? IDENT_START | IDENT_CHAR : 0) | ((c >= 48 && c <= 57) || c === 36 ? IDENT_CHAR : 0);
}

/** a-z, A-Z, _, and any non-ASCII character */
function isIdentStart(c: number): boolean {
  return c >= 128 || (ASCII[c] & IDENT_START) !== 0;
}

/** an identifier start, a digit or `$` */
function isIdentChar(c: number): boolean {
  return c >= 128 || (ASCII[c] & IDENT_CHAR) !== 0;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Token kinds as numbers (what `scan` finds); `KIND_NAMES` gives the `LexToken` names. */
const WORD = 0;
const QUOTED = 1;
const STRING = 2;
const NUMBER = 3;
const PARAM = 4;
const OP = 5;
const PUNCT = 6;
const KIND_NAMES: ReadonlyArray<LexToken['kind']> = ['word', 'quoted', 'string', 'number', 'param', 'op', 'punct'];

/** What `scan` found: one token. Reused between calls: scanning allocates nothing. */
interface Scanned {
  start: number;
  end: number;
  kind: number;
  /** the token's word is its text lower-cased (words, numbers, U&"quoted" identifiers) */
  lower: boolean;
}

function scanned(): Scanned {
  return { start: 0, end: 0, kind: WORD, lower: false };
}

/** The token's `word`: its text, lower-cased for words. */
function tokenWord(text: string, start: number, end: number, lower: boolean): string {
  return lower ? text.slice(start, end).toLowerCase() : text.slice(start, end);
}

export function lex(text: string): LexToken[] {
  const out: LexToken[] = [];
  const r = scanned();
  let i = 0;
  while (scan(text, i, r)) {
    out.push({ start: r.start, end: r.end, word: tokenWord(text, r.start, r.end, r.lower), kind: KIND_NAMES[r.kind] });
    i = r.end;
  }
  return out;
}

/**
 * The next token at or after `from` (whitespace and comments skipped) into `r`; false at the
 * end of the text. Tokens come one at a time so that callers can stop early.
 */
function scan(text: string, from: number, r: Scanned): boolean {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    r.start = i;
    r.lower = false;
    // The most common tokens first: words (unless a string prefix E'' B'' X'' U&''), numbers.
    if (isIdentStart(c)) {
      if (next === 39) {
        if (c === 69 || c === 101) {
          r.end = quotedEnd(text, i + 2, 39, true);
          r.kind = STRING;
          return true;
        }
        // (N'...' is not here: PostgreSQL scans it as the keyword NCHAR followed by a string)
        if (c === 66 || c === 98 || c === 88 || c === 120) {
          r.end = quotedEnd(text, i + 2, 39, false);
          r.kind = STRING;
          return true;
        }
      } else if (next === 38 && (c === 85 || c === 117)) {
        const q = text.charCodeAt(i + 2);
        if (q === 39 || q === 34) {
          r.end = quotedEnd(text, i + 3, q, false);
          r.kind = q === 39 ? STRING : QUOTED;
          r.lower = q !== 39;
          return true;
        }
      }
      i++;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      r.end = i;
      r.kind = WORD;
      r.lower = true;
      return true;
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      r.end = numberEnd(text, i);
      r.kind = NUMBER;
      r.lower = true;
      return true;
    }
    // comments
    if (c === 45 && next === 45) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === 47 && next === 42) {
      i = blockCommentEnd(text, i);
      continue;
    }
    if (c === 39) {
      r.end = quotedEnd(text, i + 1, 39, false);
      r.kind = STRING;
      return true;
    }
    if (c === 34) {
      r.end = quotedEnd(text, i + 1, 34, false);
      r.kind = QUOTED;
      return true;
    }
    if (c === 36) {
      // $1 parameter, or a dollar quote $tag$ ... $tag$
      if (isDigit(next)) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        r.end = i;
        r.kind = PARAM;
        return true;
      }
      let k = i + 1;
      if (k < n && isIdentStart(text.charCodeAt(k))) {
        while (k < n && isIdentChar(text.charCodeAt(k)) && text.charCodeAt(k) !== 36) k++;
      }
      if (text.charCodeAt(k) === 36) {
        const tag = text.slice(i, k + 1);
        const close = text.indexOf(tag, k + 1);
        r.end = close < 0 ? n : close + tag.length;
        r.kind = STRING;
        return true;
      }
    }
    if ((c === 58 && (next === 58 || next === 61)) || (c === 46 && next === 46)) {
      // `::`, `:=`, `..`
      r.end = i + 2;
      r.kind = PUNCT;
      return true;
    }
    if (isOpChar(c)) {
      const end = operatorEnd(text, i);
      r.end = end;
      r.kind = end - i === 1 && isSelf(c) ? PUNCT : OP;
      return true;
    }
    r.end = i + 1;
    r.kind = PUNCT;
    return true;
  }
  return false;
}

/** `~!@#^&|\`?+-*\/%<>=` */
function isOpChar(c: number): boolean {
  switch (c) {
    case 126: case 33: case 64: case 35: case 94: case 38: case 124: case 96: case 63:
    case 43: case 45: case 42: case 47: case 37: case 60: case 62: case 61:
      return true;
    default:
      return false;
  }
}

/** One-character operators PostgreSQL returns as themselves: `+-*\/%^<>=` (of the operator characters). */
function isSelf(c: number): boolean {
  switch (c) {
    case 43: case 45: case 42: case 47: case 37: case 94: case 60: case 62: case 61:
      return true;
    default:
      return false;
  }
}

function blockCommentEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  const n = text.length;
  while (i < n) {
    if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
      depth++;
      i += 2;
    } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return n;
}

function quotedEnd(text: string, from: number, quote: number, backslash: boolean): number {
  let end = quotedEnd1(text, from, quote, backslash);
  if (quote !== 39) return end;
  // 'a'<newline>'b' is one string constant in PostgreSQL
  for (;;) {
    let k = end;
    let newline = false;
    while (k < text.length && isSpace(text.charCodeAt(k))) {
      if (text.charCodeAt(k) === 10 || text.charCodeAt(k) === 13) newline = true;
      k++;
    }
    if (!newline || text.charCodeAt(k) !== 39) return end;
    end = quotedEnd1(text, k + 1, quote, backslash);
  }
}

function quotedEnd1(text: string, from: number, quote: number, backslash: boolean): number {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (backslash && c === 92) {
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
  return n;
}

function numberEnd(text: string, from: number): number {
  const n = text.length;
  let i = from;
  const c0 = text.charCodeAt(i);
  const c1 = text.charCodeAt(i + 1) | 32;
  if (c0 === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
    // 0x / 0o / 0b integers (PostgreSQL 16+)
    i += 2;
    while (i < n && (isIdentChar(text.charCodeAt(i)) && text.charCodeAt(i) !== 36)) i++;
    return i;
  }
  i = digitsEnd(text, i);
  // `1..5` is 1 then `..`; `1.5` and `1.` are numbers
  if (text.charCodeAt(i) === 46 && text.charCodeAt(i + 1) !== 46) i = digitsEnd(text, i + 1);
  const e = text.charCodeAt(i) | 32;
  if (e === 101) {
    const s = text.charCodeAt(i + 1);
    const k = s === 43 || s === 45 ? i + 2 : i + 1;
    if (isDigit(text.charCodeAt(k))) i = digitsEnd(text, k);
  }
  return i;
}

/** Digits with `_` separators (PostgreSQL 16+) from `i`. */
function digitsEnd(text: string, i: number): number {
  const n = text.length;
  while (i < n && (isDigit(text.charCodeAt(i)) || (text.charCodeAt(i) === 95 && isDigit(text.charCodeAt(i + 1))))) i++;
  return i;
}

/** scan.l: the longest run of operator characters, cut at a comment start, without a trailing +/- unless special. */
function operatorEnd(text: string, from: number): number {
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isOpChar(c)) break;
    const d = text.charCodeAt(i + 1);
    if ((c === 45 && d === 45) || (c === 47 && d === 42)) break;
    i++;
  }
  if (i === from) return from + 1;
  const last = text.charCodeAt(i - 1);
  if (i - from > 1 && (last === 43 || last === 45)) {
    let op = text.slice(from, i);
    if (!OP_SPECIAL.test(op)) {
      while (op.length > 1 && (op.endsWith('+') || op.endsWith('-'))) op = op.slice(0, -1);
      i = from + op.length;
    }
  }
  return i;
}

// ---- a statement's tokens -----------------------------------------------------------------

export type Tok = LexToken;

/** Bracket classes: an opener is odd, its closer the next even number. `case` ... `end` counts as a bracket. */
const NONE = 0;
const OPEN_PAREN = 1;
const CLOSE_PAREN = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const CASE = 5;
const END = 6;

/**
 * The statement's tokens (UTF-16 offsets) and lookups by AST location (UTF-8 bytes).
 *
 * Lexing is lazy: tokens are scanned only as far as a lookup needs, so a statement whose
 * facts need only its first tokens (most DDL: CREATE TABLE, CREATE FUNCTION, DROP, SET ...)
 * is never lexed to its end. Tokens are kept as parallel arrays of numbers; a token's word
 * (its lower-cased text) is sliced only when asked for; brackets are classified as they are
 * scanned, so bracket matching compares small integers. The class lives here, next to the
 * scanner it calls for every token (a call within one module is direct also where modules
 * are compiled one by one to CommonJS, as under tsx).
 */
export class Tokens {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** lexer kind, +8 when the word is lower-cased */
  private readonly kinds: number[] = [];
  private readonly brackets: number[] = [];
  /** words sliced so far ('' = not yet: no token has an empty word) */
  private readonly words: string[] = [];
  private n = 0;
  private pos = 0;
  private done = false;
  private bytes: ByteMap | null = null;
  /** the text's first `ascii` characters are ASCII (Infinity: all of it) */
  private ascii = 0;
  private readonly r: Scanned = scanned();
  /** scratch stack for match / balance */
  private readonly stack: number[] = [];
  /**
   * The last balance() closed every bracket it met without moving the start: its result is
   * its own balance (balance(s, e) on it gives it back), so a caller that keeps the start
   * need not balance it again.
   */
  balanced = false;

  constructor(readonly text: string) {}

  /** Scans one more token; false at the end of the text. */
  private more(): boolean {
    if (this.done) return false;
    const r = this.r;
    if (!scan(this.text, this.pos, r)) {
      this.done = true;
      return false;
    }
    this.starts.push(r.start);
    this.ends.push(r.end);
    this.kinds.push(r.lower ? r.kind + 8 : r.kind);
    this.brackets.push(bracketOf(this.text, r));
    this.words.push('');
    this.pos = r.end;
    this.n++;
    return true;
  }

  /** Token `i` exists (scanning up to it). */
  has(i: number): boolean {
    if (!(i >= 0)) return false;
    while (this.n <= i) if (!this.more()) return false;
    return true;
  }

  /** The number of tokens: scans the whole statement. */
  get length(): number {
    while (this.more());
    return this.n;
  }

  /** Index of the token containing UTF-8 byte offset `b` (an AST location), or of the first token after it; -1 if none. */
  at(b: number): number {
    // In the text's ASCII prefix a byte offset is the UTF-16 offset: no byte map needed (most
    // statements are ASCII, and most lookups come early in a statement)
    if (b <= 0) return this.atUtf16(0);
    if (b <= this.ascii || b <= this.asciiPrefix(b)) return this.atUtf16(b);
    if (!this.bytes) this.bytes = new ByteMap(this.text);
    return this.atUtf16(this.bytes.toUtf16(b));
  }

  /** Extends the known ASCII prefix towards `upTo` characters (or the end); returns its length. */
  private asciiPrefix(upTo: number): number {
    const text = this.text;
    const end = Math.min(upTo, text.length);
    let i = this.ascii;
    while (i < end && text.charCodeAt(i) < 128) i++;
    this.ascii = i;
    // past the end of an all-ASCII text, the offset maps to the end, as ByteMap does
    if (i === text.length) this.ascii = Infinity;
    return this.ascii;
  }

  /** Index of the token containing UTF-16 offset `o`, or of the first token after it; -1 if none. */
  atUtf16(o: number): number {
    const ends = this.ends;
    // scan until a token ends after `o`
    while (this.n === 0 || ends[this.n - 1] <= o) if (!this.more()) break;
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= o) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.n ? lo : -1;
  }

  word(i: number): string {
    if (!this.has(i)) return '';
    const w = this.words[i];
    if (w !== '') return w;
    return (this.words[i] = tokenWord(this.text, this.starts[i], this.ends[i], this.kinds[i] >= 8));
  }

  /** Token `i` is a number. */
  isNumber(i: number): boolean {
    return this.has(i) && (this.kinds[i] & 7) === NUMBER;
  }

  /** UTF-16 start of token `i` (which must exist). */
  start(i: number): number {
    return this.has(i) ? this.starts[i] : 0;
  }

  /** Token `i`, clamped to the existing ones; -1 when there are none. */
  private clamp(i: number): number {
    if (i < 0) i = 0;
    if (this.has(i)) return i;
    return this.n - 1;
  }

  /** UTF-16 span of tokens i..j inclusive. */
  span(i: number, j: number): Span {
    const a = this.clamp(i);
    const b = this.clamp(j);
    if (a < 0 || b < 0) return { start: 0, end: 0 };
    return { start: this.starts[a], end: this.ends[b] };
  }

  /** Index of the token closing the group opened at `i` (which must be an opener), else `i`. */
  match(i: number): number {
    const stack = this.stack;
    stack.length = 0;
    const brackets = this.brackets;
    for (let k = i; this.has(k); k++) {
      const b = brackets[k];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else {
        if (stack.length === 0 || stack[stack.length - 1] !== b - 1) return i;
        stack.pop();
        if (stack.length === 0) return k;
      }
    }
    return i;
  }

  /** Index of the `(` that encloses token `i` (the nearest unmatched one before it), or -1. */
  enclosingOpen(i: number): number {
    this.has(i - 1);
    const brackets = this.brackets;
    let depth = 0;
    for (let k = Math.min(i, this.n) - 1; k >= 0; k--) {
      const b = brackets[k];
      if (b === CLOSE_PAREN) depth++;
      else if (b === OPEN_PAREN) {
        if (depth === 0) return k;
        depth--;
      }
    }
    return -1;
  }

  /** `balance(s, e)[0]`, without looking past `e`. */
  balanceStart(s: number, e: number): number {
    return this.widenStart(s, this.scanBrackets(s, e));
  }

  /**
   * Matches the brackets of [s, e]: leaves the unclosed openers on `this.stack` and returns
   * how many closers had no opener inside the range.
   */
  private scanBrackets(s: number, e: number): number {
    const stack = this.stack;
    stack.length = 0;
    const brackets = this.brackets;
    this.has(e);
    let unmatchedClosers = 0;
    for (let k = s; k <= e; k++) {
      const b = brackets[k];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else if (stack.length && stack[stack.length - 1] === b - 1) stack.pop();
      else if (stack.length === 0) unmatchedClosers++;
    }
    return unmatchedClosers;
  }

  /** Moves `s` back over the openers of `unmatchedClosers` closers. */
  private widenStart(s: number, unmatchedClosers: number): number {
    const brackets = this.brackets;
    let depth = 0;
    while (unmatchedClosers > 0 && s > 0) {
      const b = brackets[--s];
      if (b === NONE) continue;
      if (!(b & 1)) depth++;
      else if (depth === 0) unmatchedClosers--;
      else depth--;
    }
    return s;
  }

  /** Widens [s, e] so that every bracket / CASE inside it is closed. */
  balance(s: number, e: number): [number, number] {
    const unmatchedClosers = this.scanBrackets(s, e);
    const stack = this.stack;
    const brackets = this.brackets;
    while (stack.length && this.has(e + 1)) {
      const b = brackets[++e];
      if (b === NONE) continue;
      if (b & 1) stack.push(b);
      else {
        if (stack[stack.length - 1] !== b - 1) break;
        stack.pop();
      }
    }
    this.balanced = stack.length === 0 && unmatchedClosers === 0;
    return [this.widenStart(s, unmatchedClosers), e];
  }
}

/** The bracket class of a scanned token: `(`, `)`, `[`, `]`, the words `case` and `end`. */
function bracketOf(text: string, r: Scanned): number {
  const len = r.end - r.start;
  if (r.kind === PUNCT) {
    if (len !== 1) return NONE;
    switch (text.charCodeAt(r.start)) {
      case 40:
        return OPEN_PAREN;
      case 41:
        return CLOSE_PAREN;
      case 91:
        return OPEN_BRACKET;
      case 93:
        return CLOSE_BRACKET;
      default:
        return NONE;
    }
  }
  if (r.kind !== WORD) return NONE;
  const s = r.start;
  if (len === 4) {
    return (text.charCodeAt(s) | 32) === 99 && (text.charCodeAt(s + 1) | 32) === 97 && (text.charCodeAt(s + 2) | 32) === 115 && (text.charCodeAt(s + 3) | 32) === 101 ? CASE : NONE;
  }
  if (len === 3) {
    return (text.charCodeAt(s) | 32) === 101 && (text.charCodeAt(s + 1) | 32) === 110 && (text.charCodeAt(s + 2) | 32) === 100 ? END : NONE;
  }
  return NONE;
}
