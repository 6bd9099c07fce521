/**
 * Query parameters as people write them: `$1` (PostgreSQL), `:name` (JDBC named, psql-ish,
 * ORMs) and `?` (JDBC, many drivers). PostgreSQL only understands `$n`, so the other two
 * are rewritten to `$n`. The rewrite works on libpg-query's scanner tokens, so strings,
 * quoted identifiers, comments and dollar-quoted bodies are never touched, and `::type`
 * casts (a single TYPECAST token) are never mistaken for `:name`.
 *
 * `?` is ambiguous: jsonb has a `?` operator (`data ? 'key'`). A `?` is a placeholder when
 * nothing that could be its left operand comes before it (an operator, `(`, `,`, or a
 * keyword such as WHERE, AND, LIMIT); after an identifier, a literal or `)` it is the
 * operator. `?|`, `?&`, `@?` are always operators.
 */
import { scanPg, type PgToken } from '../../server/engine/parse/pgquery';
import { ByteMap } from '../../server/engine/parse/positions';

export type ParamStyle = 'dollar' | 'named' | 'positional';

export interface ParamInfo {
  /** 1-based: the `$n` the parameter has in the converted text */
  index: number;
  /** how the user wrote it: "$1", ":customer_id", "?" */
  label: string;
  style: ParamStyle;
  /** for named parameters, the name without the colon */
  name?: string;
}

export interface PlaceholderConversion {
  /** the statement with only `$n` placeholders */
  text: string;
  /** one entry per `$n`, ordered by n (gaps in user-written `$n` are filled as "$k") */
  params: ParamInfo[];
  /** maps a UTF-16 offset in `text` back to the input */
  toOriginal(offset: number): number;
}

interface Edit {
  /** UTF-16 range in the input */
  start: number;
  end: number;
  replacement: string;
}

/** keywords after which an expression (so a placeholder) starts */
const EXPRESSION_KEYWORDS = new Set([
  'select', 'where', 'and', 'or', 'not', 'in', 'between', 'like', 'ilike', 'similar', 'is', 'on', 'having',
  'limit', 'offset', 'then', 'else', 'when', 'case', 'values', 'set', 'by', 'returning', 'distinct', 'all',
  'any', 'some', 'using', 'first', 'next', 'fetch', 'escape', 'to', 'over', 'partition', 'with', 'into',
  'exists', 'symmetric', 'from', 'do', 'update',
]);

const OPERAND_TOKENS = new Set(['IDENT', 'UIDENT', 'SCONST', 'USCONST', 'ICONST', 'FCONST', 'BCONST', 'XCONST', 'PARAM']);

/** a comparison operator glued to a `?` by the scanner: `b=?`, `a<>?` */
const GLUED_COMPARISON = /^(=|<>|!=|<=|>=|<|>)\?$/;

export function convertPlaceholders(sql: string): PlaceholderConversion {
  const raw = scanPg(sql);
  // The scanner rejects unterminated quotes; leave the text alone and let the parser
  // report the real error.
  if (!raw) return { text: sql, params: [], toOriginal: (o) => o };
  const bytes = new ByteMap(sql);
  const tokens = raw
    .filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT')
    .map((t) => ({ ...t, start: bytes.toUtf16(t.start), end: bytes.toUtf16(t.end) }));

  const dollar = new Set<number>();
  for (const t of tokens) if (t.tokenName === 'PARAM') dollar.add(Number(t.text.slice(1)));
  let next = Math.max(0, ...dollar) + 1;

  const edits: Edit[] = [];
  const named = new Map<string, ParamInfo>();
  const added: ParamInfo[] = [];
  let brackets = 0;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.text === '[') brackets++;
    else if (t.text === ']') brackets = Math.max(0, brackets - 1);
    else if (t.text === ':' && brackets === 0) {
      const n = tokens[i + 1];
      if (n && n.start === t.end && isIdentifierToken(n)) {
        const name = n.text;
        let info = named.get(name);
        if (!info) {
          info = { index: next++, label: `:${name}`, style: 'named', name };
          named.set(name, info);
          added.push(info);
        }
        edits.push({ start: t.start, end: n.end, replacement: `$${info.index}` });
        i++;
      }
    } else if (t.text === '?' && !isOperand(tokens[i - 1])) {
      const info: ParamInfo = { index: next++, label: '?', style: 'positional' };
      added.push(info);
      edits.push({ start: t.start, end: t.end, replacement: `$${info.index}` });
    } else if (GLUED_COMPARISON.test(t.text)) {
      const info: ParamInfo = { index: next++, label: '?', style: 'positional' };
      added.push(info);
      edits.push({ start: t.end - 1, end: t.end, replacement: ` $${info.index}` });
    }
  }

  const params: ParamInfo[] = [];
  const maxDollar = Math.max(0, ...dollar);
  for (let n = 1; n <= maxDollar; n++) params.push({ index: n, label: `$${n}`, style: 'dollar' });
  params.push(...added);
  return applyEdits(sql, edits, params);
}

function isIdentifierToken(t: PgToken): boolean {
  return (t.tokenName === 'IDENT' || t.keywordName !== 'NO_KEYWORD') && /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*$/.test(t.text);
}

function isOperand(prev: PgToken | undefined): boolean {
  if (!prev) return false;
  if (OPERAND_TOKENS.has(prev.tokenName)) return true;
  if (prev.text === ')' || prev.text === ']') return true;
  if (prev.keywordName !== 'NO_KEYWORD') return !EXPRESSION_KEYWORDS.has(prev.text.toLowerCase());
  return false; // punctuation and operators
}

function applyEdits(sql: string, edits: Edit[], params: ParamInfo[]): PlaceholderConversion {
  if (edits.length === 0) return { text: sql, params, toOriginal: (o) => o };
  edits.sort((a, b) => a.start - b.start);
  let text = '';
  let from = 0;
  // [newStart, newEnd, origStart, origEnd] per edit, for mapping positions back
  const spans: Array<[number, number, number, number]> = [];
  for (const e of edits) {
    text += sql.slice(from, e.start);
    const newStart = text.length;
    text += e.replacement;
    spans.push([newStart, text.length, e.start, e.end]);
    from = e.end;
  }
  text += sql.slice(from);
  const toOriginal = (offset: number): number => {
    let delta = 0;
    for (const [ns, ne, os, oe] of spans) {
      if (offset < ns) break;
      if (offset < ne) return os; // inside a replacement: point at the placeholder
      delta = oe - ne;
    }
    return Math.max(0, Math.min(sql.length, offset + delta));
  };
  return { text, params, toOriginal };
}

export type ParamValues = unknown[] | Record<string, unknown>;

/**
 * Orders the caller's values by `$n`. An array is taken as given ($1 first); an object is
 * looked up by name (`id` or `:id`) for named parameters and by `$n` / `n` for any.
 * Returns the values, or the labels of parameters that got no value.
 */
export function orderParamValues(params: ParamInfo[], values: ParamValues): { ok: true; values: unknown[] } | { ok: false; missing: string[]; extra: number } {
  if (Array.isArray(values)) {
    if (values.length === params.length) return { ok: true, values: [...values] };
    return { ok: false, missing: params.slice(values.length).map((p) => p.label), extra: Math.max(0, values.length - params.length) };
  }
  const out: unknown[] = [];
  const missing: string[] = [];
  for (const p of params) {
    const keys = [...(p.name ? [p.name, `:${p.name}`] : []), `$${p.index}`, String(p.index)];
    const key = keys.find((k) => Object.prototype.hasOwnProperty.call(values, k));
    if (key === undefined) missing.push(p.label === '?' ? `? (#${p.index})` : p.label);
    else out.push(values[key]);
  }
  return missing.length ? { ok: false, missing, extra: 0 } : { ok: true, values: out };
}
