/**
 * A JavaScript lexer with PostgreSQL's token boundaries (scan.l), used to turn AST locations
 * into ranges. libpg-query's own `scanSync` gives the same tokens but costs as much as
 * parsing the statement (a WebAssembly call plus JSON per token); this is about ten times
 * cheaper. A test compares both over the regression corpus.
 *
 * Offsets are UTF-16. Comments are dropped. The lexer never fails: an unterminated string
 * or comment runs to the end of the text.
 */

export interface LexToken {
  start: number;
  end: number;
  /** lower-cased text for words, the text otherwise */
  word: string;
  kind: 'word' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'punct';
}

const OP_CHARS = new Set('~!@#^&|`?+-*/%<>=');
/** Characters that allow a multi-character operator to end in + or - (scan.l). */
const OP_SPECIAL = /[~!@#^&|`?%]/;
const SELF = new Set(',()[].;:+-*/%^<>=');

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 128;
}

function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

export function lex(text: string): LexToken[] {
  const out: LexToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const next = text.charCodeAt(i + 1);
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
    const start = i;
    // strings with a prefix: E'', B'', X'', U&''
    if ((c === 69 || c === 101) && next === 39) {
      i = quotedEnd(text, i + 2, 39, true);
      out.push({ start, end: i, word: text.slice(start, i), kind: 'string' });
      continue;
    }
    // (N'...' is not here: PostgreSQL scans it as the keyword NCHAR followed by a string)
    if ((c === 66 || c === 98 || c === 88 || c === 120) && next === 39) {
      i = quotedEnd(text, i + 2, 39, false);
      out.push({ start, end: i, word: text.slice(start, i), kind: 'string' });
      continue;
    }
    if ((c === 85 || c === 117) && next === 38 && (text.charCodeAt(i + 2) === 39 || text.charCodeAt(i + 2) === 34)) {
      const q = text.charCodeAt(i + 2);
      i = quotedEnd(text, i + 3, q, false);
      out.push({ start, end: i, word: q === 39 ? text.slice(start, i) : text.slice(start, i).toLowerCase(), kind: q === 39 ? 'string' : 'quoted' });
      continue;
    }
    if (c === 39) {
      i = quotedEnd(text, i + 1, 39, false);
      out.push({ start, end: i, word: text.slice(start, i), kind: 'string' });
      continue;
    }
    if (c === 34) {
      i = quotedEnd(text, i + 1, 34, false);
      out.push({ start, end: i, word: text.slice(start, i), kind: 'quoted' });
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      out.push({ start, end: i, word: text.slice(start, i).toLowerCase(), kind: 'word' });
      continue;
    }
    if (c === 36) {
      // $1 parameter, or a dollar quote $tag$ ... $tag$
      if (isDigit(next)) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        out.push({ start, end: i, word: text.slice(start, i), kind: 'param' });
        continue;
      }
      let k = i + 1;
      if (k < n && isIdentStart(text.charCodeAt(k))) {
        while (k < n && isIdentChar(text.charCodeAt(k)) && text.charCodeAt(k) !== 36) k++;
      }
      if (text.charCodeAt(k) === 36) {
        const tag = text.slice(i, k + 1);
        const close = text.indexOf(tag, k + 1);
        i = close < 0 ? n : close + tag.length;
        out.push({ start, end: i, word: text.slice(start, i), kind: 'string' });
        continue;
      }
    }
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      i = numberEnd(text, i);
      out.push({ start, end: i, word: text.slice(start, i).toLowerCase(), kind: 'number' });
      continue;
    }
    if (c === 58 && (next === 58 || next === 61)) {
      i += 2;
      out.push({ start, end: i, word: text.slice(start, i), kind: 'punct' });
      continue;
    }
    if (c === 46 && next === 46) {
      i += 2;
      out.push({ start, end: i, word: '..', kind: 'punct' });
      continue;
    }
    if (OP_CHARS.has(text[i])) {
      i = operatorEnd(text, i);
      const word = text.slice(start, i);
      out.push({ start, end: i, word, kind: word.length === 1 && SELF.has(word) ? 'punct' : 'op' });
      continue;
    }
    i++;
    out.push({ start, end: i, word: text[start], kind: 'punct' });
  }
  return out;
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
  while (i < n && OP_CHARS.has(text[i])) {
    if (i > from && ((text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*'))) break;
    if (i === from && ((text[i] === '-' && text[i + 1] === '-') || (text[i] === '/' && text[i + 1] === '*'))) break;
    i++;
  }
  if (i === from) return from + 1;
  let op = text.slice(from, i);
  if (op.length > 1 && (op.endsWith('+') || op.endsWith('-')) && !OP_SPECIAL.test(op)) {
    while (op.length > 1 && (op.endsWith('+') || op.endsWith('-'))) op = op.slice(0, -1);
    i = from + op.length;
  }
  return i;
}
