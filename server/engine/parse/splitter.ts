/**
 * Splits a SQL document into statements the way psql does: at top-level semicolons, never
 * inside quotes, dollar quotes, comments, parentheses or a `BEGIN ATOMIC ... END` body;
 * psql meta-commands (`\set`, `\d`, `\gset` ...) are skipped and end the statement before
 * them. The tokens come from libpg-query's own scanner, so what counts as a string or a
 * comment is exactly what PostgreSQL thinks. When the scanner rejects the text (an
 * unterminated quote), a small lexer with the same rules takes over, so the statements
 * before the broken one are still found.
 */
import { ByteMap } from './positions';
import { scanPg } from './pgquery';

export interface SqlStatement {
  /** the statement's text, from its first token to its last (no trailing semicolon) */
  text: string;
  /** UTF-16 offsets into the document */
  start: number;
  end: number;
}

interface Tok {
  start: number; // UTF-16
  end: number;
  /** lower-cased keyword / identifier text, or the punctuation */
  word: string;
  kind: 'word' | 'punct' | 'other' | 'meta';
}

export function splitStatements(text: string): SqlStatement[] {
  const tokens = pgTokens(text) ?? fallbackTokens(text);
  return group(text, tokens).statements;
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
  let p = 0;
  while (p < max && prevText.charCodeAt(p) === text.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && prevText.charCodeAt(prevText.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
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
  const tokens = pgTokens(windowText);
  if (!tokens) return splitStatements(text);
  const { statements, clean } = group(windowText, tokens);
  const last = statements[statements.length - 1];
  // The window must end where statement j ends, at top level: then the unchanged text after
  // it splits exactly as before.
  if (!clean || !last || last.end !== windowText.length) return splitStatements(text);

  const out = prev.slice(0, first);
  for (const st of statements) out.push({ text: st.text, start: st.start + windowStart, end: st.end + windowStart });
  for (let i = j + 1; i < prev.length; i++) out.push({ text: prev[i].text, start: prev[i].start + delta, end: prev[i].end + delta });
  return out;
}

/** Exposed for tests: split with the fallback lexer only. */
export function splitStatementsFallback(text: string): SqlStatement[] {
  return group(text, fallbackTokens(text)).statements;
}

function pgTokens(text: string): Tok[] | null {
  const out: Tok[] = [];
  let base = 0;
  for (;;) {
    const part = base === 0 ? text : text.slice(base);
    const raw = scanPg(part);
    if (!raw) return null;
    const bytes = new ByteMap(part);
    let skipUntil = -1;
    let restartAt = -1;
    for (const t of raw) {
      const start = bytes.toUtf16(t.start) + base;
      const end = bytes.toUtf16(t.end) + base;
      if (start < skipUntil) {
        // The scanner does not know psql meta-commands: a quote in one can swallow the
        // lines after it. Scan again from the end of the meta-command's line.
        if (end > skipUntil) {
          restartAt = skipUntil;
          break;
        }
        continue;
      }
      if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
      if (t.text === '\\') {
        const eol = endOfLine(text, start);
        out.push({ start, end: eol, word: '\\', kind: 'meta' });
        skipUntil = eol;
        continue;
      }
      const isWord = t.tokenName === 'IDENT' || t.keywordName !== 'NO_KEYWORD';
      const isPunct = t.text.length === 1 && '();'.includes(t.text);
      out.push({ start, end, word: isWord || isPunct ? t.text.toLowerCase() : '', kind: isWord ? 'word' : isPunct ? 'punct' : 'other' });
    }
    if (restartAt < 0) return out;
    base = restartAt;
  }
}

function endOfLine(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  return n < 0 ? text.length : n;
}

/** Groups tokens into statements; `clean` is false when text ends inside parentheses or a BEGIN ATOMIC body. */
function group(text: string, tokens: Tok[]): { statements: SqlStatement[]; clean: boolean } {
  const out: SqlStatement[] = [];
  let first = -1;
  let last = -1;
  let parens = 0;
  let atomicDepth = 0;
  let routine = false; // statement is CREATE [OR REPLACE] FUNCTION/PROCEDURE
  let prevWord = '';
  const flush = () => {
    if (first >= 0) {
      const start = tokens[first].start;
      const end = tokens[last].end;
      out.push({ text: text.slice(start, end), start, end });
    }
    first = last = -1;
    parens = atomicDepth = 0;
    routine = false;
    prevWord = '';
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'meta') {
      flush();
      continue;
    }
    if (t.word === ';' && parens <= 0 && atomicDepth <= 0) {
      flush();
      continue;
    }
    if (first < 0) first = i;
    last = i;
    if (t.word === '(') parens++;
    else if (t.word === ')') parens--;
    else if (t.kind === 'word') {
      if (!routine && (t.word === 'function' || t.word === 'procedure') && i - first <= 4 && tokens[first].word === 'create') routine = true;
      if (routine) {
        if (t.word === 'atomic' && prevWord === 'begin') atomicDepth++;
        else if (atomicDepth > 0 && t.word === 'case') atomicDepth++;
        else if (atomicDepth > 0 && t.word === 'end') atomicDepth--;
      }
      prevWord = t.word;
    }
  }
  const clean = parens <= 0 && atomicDepth <= 0;
  flush();
  return { statements: out, clean };
}

/**
 * A lexer with psql's rules for where strings and comments begin and end. It only needs to
 * find the tokens that matter for splitting, and it never fails: an unterminated construct
 * runs to the end of the text.
 */
function fallbackTokens(text: string): Tok[] {
  const out: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      i = endOfLine(text, i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') (depth++, (i += 2));
        else if (text[i] === '*' && text[i + 1] === '/') (depth--, (i += 2));
        else i++;
      }
      continue;
    }
    if (c === '\\') {
      const eol = endOfLine(text, i);
      out.push({ start: i, end: eol, word: '\\', kind: 'meta' });
      i = eol;
      continue;
    }
    const start = i;
    if (c === "'" || ((c === 'E' || c === 'e') && text[i + 1] === "'")) {
      const escapes = c !== "'";
      i = quoted(text, escapes ? i + 2 : i + 1, "'", escapes);
      out.push({ start, end: i, word: '', kind: 'other' });
      continue;
    }
    if (c === '"') {
      i = quoted(text, i + 1, '"', false);
      out.push({ start, end: i, word: '', kind: 'other' });
      continue;
    }
    if (c === '$') {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const close = text.indexOf(m[0], i + m[0].length);
        i = close < 0 ? n : close + m[0].length;
        out.push({ start, end: i, word: '', kind: 'other' });
        continue;
      }
    }
    if (c === '(' || c === ')' || c === ';') {
      out.push({ start, end: i + 1, word: c, kind: 'punct' });
      i++;
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (i < n && /[A-Za-z_0-9$\u0080-\uffff]/.test(text[i])) i++;
      out.push({ start, end: i, word: text.slice(start, i).toLowerCase(), kind: 'word' });
      continue;
    }
    i++;
    out.push({ start, end: i, word: '', kind: 'other' });
  }
  return out;
}

function quoted(text: string, from: number, quote: string, backslashEscapes: boolean): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}
