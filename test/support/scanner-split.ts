/**
 * The oracle for the splitter: the same grouping over tokens from libpg-query's own
 * scanner (PostgreSQL's lexer), so the tests can require that our lexer and PostgreSQL's
 * agree on where every string, comment and statement ends. null when the scanner rejects
 * the text (an unterminated quote).
 */
import { ByteMap } from '../../server/engine/parse/positions';
import { scanPg } from '../../server/engine/parse/pgquery';
import type { SplitToken, SqlStatement } from '../../server/engine/parse/splitter';

export function splitWithScanner(text: string): SqlStatement[] | null {
  const tokens = scannerTokens(text);
  return tokens && groupTokens(text, tokens).statements;
}

function scannerTokens(text: string): SplitToken[] | null {
  const out: SplitToken[] = [];
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
        // lines after it, so scan again from the end of the meta-command's line.
        if (end > skipUntil) {
          restartAt = skipUntil;
          break;
        }
        continue;
      }
      if (t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT') continue;
      if (t.text === '\\') {
        const nl = text.indexOf('\n', start);
        const eol = nl < 0 ? text.length : nl;
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

/**
 * Groups tokens into statements by the rules scanStatements applies while it lexes (kept
 * here, apart, so that the oracle does not share the code it checks). `clean` is false when
 * the text ends inside parentheses or a BEGIN ATOMIC body.
 */
function groupTokens(text: string, tokens: SplitToken[]): { statements: SqlStatement[]; clean: boolean } {
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
