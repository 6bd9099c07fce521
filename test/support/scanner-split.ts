/**
 * The oracle for the splitter: the same grouping over tokens from libpg-query's own
 * scanner (PostgreSQL's lexer), so the tests can require that our lexer and PostgreSQL's
 * agree on where every string, comment and statement ends. null when the scanner rejects
 * the text (an unterminated quote).
 */
import { ByteMap } from '../../server/engine/parse/positions';
import { scanPg } from '../../server/engine/parse/pgquery';
import { groupTokens, type SplitToken, type SqlStatement } from '../../server/engine/parse/splitter';

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
