/**
 * Text heuristics on candidate SQL: does a string look like SQL, and rewriting of driver
 * parameter markers that PostgreSQL's parser would reject into same-width `$n` markers.
 */
import { placeholder } from './mapping';

/** First words that make a variable's string a SQL candidate (DESIGN §3). */
const VARIABLE_KEYWORDS = new Set([
  'select', 'insert', 'update', 'delete', 'with', 'create', 'alter', 'drop', 'merge', 'truncate', 'explain', 'values',
]);

/**
 * First words a string passed to a known call may start with. Names such as `query`,
 * `execute`, `text` or `Get` are also used by non-SQL APIs (`el.text("Total")`,
 * `cache.Get("user:1")`, `r.Get("/users", h)`), so a call argument must at least start like
 * a statement (or like a misspelt one: `SELEC` is exactly what a syntax error should catch).
 */
const STATEMENT_KEYWORDS = new Set([
  ...VARIABLE_KEYWORDS,
  'table', 'begin', 'commit', 'rollback', 'start', 'end', 'abort', 'savepoint', 'release', 'set', 'reset', 'show',
  'grant', 'revoke', 'copy', 'call', 'do', 'lock', 'vacuum', 'analyze', 'analyse', 'refresh', 'reindex',
  'cluster', 'comment', 'declare', 'fetch', 'move', 'close', 'prepare', 'execute', 'deallocate', 'listen', 'notify',
  'unlisten', 'discard', 'checkpoint', 'load', 'security', 'import', 'replace', 'upsert', 'use', 'pragma',
  'describe', 'desc',
]);

/** Keywords whose near-misses (one edit away) still count as an attempt at SQL. */
const TYPO_TARGETS = ['select', 'insert', 'update', 'delete', 'create', 'alter', 'drop', 'with', 'merge', 'truncate', 'values'];

/** Start of the first word, skipping whitespace, SQL comments and opening parentheses; -1 if none. */
export function firstWordStart(sql: string): number {
  const limit = Math.min(sql.length, 4000);
  let i = 0;
  while (i < limit) {
    const c = sql.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 40 /* ( */) i++;
    else if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      const nl = sql.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl + 1;
    } else if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) return -1;
      i = close + 2;
    } else return /[A-Za-z_]/.test(sql[i]) ? i : -1;
  }
  return -1;
}

/** The first word, lower-cased ('' when the text does not start with a word). */
export function firstSqlWord(sql: string): string {
  const i = firstWordStart(sql);
  if (i < 0) return '';
  const m = /^[A-Za-z_]+/.exec(sql.slice(i, i + 40));
  return m ? m[0].toLowerCase() : '';
}

export function isVariableSqlCandidate(sql: string): boolean {
  return VARIABLE_KEYWORDS.has(firstSqlWord(sql));
}

/** Optimal string alignment distance (edits incl. one transposition) of at most `max`; words are short. */
function nearlyEqual(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        d[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i].push(v);
    }
  }
  return d[a.length][b.length] <= max;
}

/** Guard for arguments of known calls: true when the text starts like a SQL statement. */
export function startsLikeStatement(sql: string): boolean {
  const w = firstSqlWord(sql);
  if (!w) return false;
  if (STATEMENT_KEYWORDS.has(w)) return true;
  if (w.length < 4 || w.length > 9) return false;
  // a misspelt keyword needs something after it, or `Selected` alone would qualify
  if (!/\s\S/.test(sql.slice(firstWordStart(sql)))) return false;
  return TYPO_TARGETS.some((k) => nearlyEqual(w, k, 1));
}

const LOOSE_DML = /^(select|insert|update|delete|with)\b[\s\S]*?\b(from|into|set|values|select)\b/i;
const LOOSE_DDL =
  /^(create|alter|drop)\s+(or\s+replace\s+)?(unique\s+|temp\s+|temporary\s+|materialized\s+)?(table|index|view|schema|sequence|type|function|trigger|extension|procedure)\b|^truncate\s+(table\s+)?[A-Za-z_"]|^merge\s+into\b|^explain\s+(analyze\s+|\()?\s*(select|insert|update|delete|with)\b/i;

/** First words worth a closer look for a loose string (a cheap pre-filter). */
export const LOOSE_FIRST_WORDS = new Set(['select', 'insert', 'update', 'delete', 'with', 'create', 'alter', 'drop', 'truncate', 'merge', 'explain']);

/** A string not tied to a known call is taken as SQL only when it plainly is. */
export function looksLikeSql(sql: string): boolean {
  const i = firstWordStart(sql);
  if (i < 0) return false;
  // Bound the search so a megabyte of prose cannot make the lazy scan expensive.
  const s = sql.slice(i, i + 20000);
  return LOOSE_DML.test(s) || LOOSE_DDL.test(s);
}

export interface ParamStyles {
  /** psycopg / DB-API `%s` and `%(name)s` (`%%` is a literal percent) */
  percent: boolean;
  /** `:name` (SQLAlchemy text(), sqlx named queries, knex, Sequelize) */
  colon: boolean;
  /** str.format fields `{}`, `{0}`, `{name}` (`{{` is a literal brace) */
  braces: boolean;
}

const IDENT = /[A-Za-z0-9_]/;

/**
 * Replaces parameter markers outside SQL quotes and comments by `$n` markers of the same
 * width, numbering from `first`. Width is preserved, so offsets and segments stay valid.
 */
export function rewriteParams(sql: string, styles: ParamStyles, first: number): string {
  if (!styles.percent && !styles.colon && !styles.braces) return sql;
  if (!/[%:{]/.test(sql)) return sql;
  let out: string[] | null = null;
  let last = 0;
  let n = first;
  const replace = (start: number, end: number): void => {
    out ??= [];
    out.push(sql.slice(last, start), placeholder(n++, end - start));
    last = end;
  };
  const len = sql.length;
  let i = 0;
  while (i < len) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // quoted literal or identifier; a doubled quote is an escaped quote
      let j = i + 1;
      while (j < len) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? len : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? len : close + 2;
    } else if (c === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '') && (i === 0 || !IDENT.test(sql[i - 1]))) {
      // dollar-quoted string $tag$...$tag$ (not a $1 parameter)
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (m) {
        const close = sql.indexOf(m[0], i + m[0].length);
        i = close < 0 ? len : close + m[0].length;
      } else i++;
    } else if (styles.percent && c === '%') {
      if (sql[i + 1] === '%') i += 2;
      else if (sql[i + 1] === 's') {
        replace(i, i + 2);
        i += 2;
      } else if (sql[i + 1] === '(') {
        const m = /^%\([^()\s]{1,64}\)s/.exec(sql.slice(i, i + 72));
        if (m) {
          replace(i, i + m[0].length);
          i += m[0].length;
        } else i++;
      } else i++;
    } else if (styles.colon && c === ':') {
      const prev = i > 0 ? sql[i - 1] : ' ';
      const m = /^:[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i, i + 128));
      if (m && prev !== ':' && !IDENT.test(prev) && prev !== ']' && prev !== ')') {
        replace(i, i + m[0].length);
        i += m[0].length;
      } else {
        i += sql[i + 1] === ':' ? 2 : 1; // skip `::` casts whole
      }
    } else if (styles.braces && c === '{') {
      if (sql[i + 1] === '{') i += 2;
      else {
        const m = /^\{[A-Za-z0-9_.[\]!:<>^=+ -]{0,64}\}/.exec(sql.slice(i, i + 72));
        if (m && m[0].length >= 2) {
          replace(i, i + m[0].length);
          i += m[0].length;
        } else i++;
      }
    } else i++;
  }
  if (!out) return sql;
  (out as string[]).push(sql.slice(last));
  return (out as string[]).join('');
}
