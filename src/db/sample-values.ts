/**
 * SQL expressions that produce synthetic column values from the row number `g` (a bigint
 * from generate_series). Pure: a column description in, an expression out, so each type's
 * generator is unit-tested without a database. Values are deterministic (the same schema
 * gives the same data, so plans are reproducible), spread (dates over four years, numbers
 * over a range, text with a few thousand distinct values) and unique where a unique index
 * or primary key needs it (then they are injective in g).
 */
import { escapeLiteral } from 'pg';

export interface ColumnInfo {
  name: string;
  attnum: number;
  notNull: boolean;
  /** format_type(atttypid, atttypmod): a valid, quoted type name for a cast */
  typeSql: string;
  /** pg_type.typname of the column type, or of the domain's base type */
  baseType: string;
  /** pg_type.typcategory (A array, B bool, D date/time, N numeric, S string, U user, E enum...) */
  category: string;
  /** pg_type.typtype of the (base) type: 'e' for enums */
  typtype: string;
  typmod: number;
  /** number of labels when the type is an enum */
  enumCount: number;
  hasDefault: boolean;
  /** identity, generated, or a serial default (nextval): PostgreSQL fills it */
  generatedByServer: boolean;
}

export interface ValueContext {
  /** schema-qualified table name, only used to vary uuids between tables */
  table: string;
  unique: boolean;
  /** allowed values, when a CHECK (col IN (...)) constraint lists them */
  allowed?: string[];
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];
const FOUR_YEARS_DAYS = 1461;
const FOUR_YEARS_SECONDS = FOUR_YEARS_DAYS * 86400;

/**
 * An expression of the column's type for row `g`, or null when no generator fits (the
 * caller then uses NULL, the default, or skips the table).
 */
export function valueExpression(col: ColumnInfo, ctx: ValueContext): string | null {
  const raw = rawExpression(col, ctx);
  return raw === null ? null : `(${raw})::${col.typeSql}`;
}

function rawExpression(col: ColumnInfo, ctx: ValueContext): string | null {
  const name = escapeLiteral(col.name);
  if (ctx.allowed && ctx.allowed.length > 0) {
    return `(ARRAY[${ctx.allowed.map(escapeLiteral).join(', ')}])[1 + (g % ${ctx.allowed.length})::int]`;
  }
  if (col.category === 'A') return `'{}'`; // arrays: empty
  if (col.typtype === 'e') {
    if (col.enumCount === 0) return null;
    return `(enum_range(NULL::${col.typeSql}))[1 + (g % ${col.enumCount})::int]`;
  }
  // one "hour" step per column position keeps start < end pairs ordered (CHECK (ends_at > starts_at))
  const spread = `((g * 104729) % ${FOUR_YEARS_SECONDS})`; // a prime step: wraps, so even a few rows span the years
  switch (col.baseType) {
    case 'int2':
      return ctx.unique ? 'g' : '1 + g % 100';
    case 'int4':
    case 'int8':
    case 'oid':
      return ctx.unique ? 'g' : '1 + g % 1000';
    case 'numeric':
      return numericExpression(col.typmod, ctx.unique);
    case 'float4':
    case 'float8':
      return ctx.unique ? 'g + 0.5' : '(g % 1000) * 1.5 + 0.25'; // positive
    case 'money':
      return '((g % 1000) + 0.99)::numeric';
    case 'bool':
      return 'g % 4 = 0';
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'citext':
      return textExpression(col, ctx.unique);
    case 'date':
      return ctx.unique ? `DATE '2021-01-01' + g::int` : `DATE '2021-01-01' + ((g * 7919) % ${FOUR_YEARS_DAYS})::int + ${col.attnum}`;
    case 'timestamp':
      return `TIMESTAMP '2021-01-01' + ${ctx.unique ? 'g * 60' : spread} * INTERVAL '1 second' + ${col.attnum} * INTERVAL '1 hour'`;
    case 'timestamptz':
      return `TIMESTAMPTZ '2021-01-01 00:00:00+00' + ${ctx.unique ? 'g * 60' : spread} * INTERVAL '1 second' + ${col.attnum} * INTERVAL '1 hour'`;
    case 'time':
    case 'timetz':
      return `TIME '00:00' + (g % 86400) * INTERVAL '1 second'`;
    case 'interval':
      return `(g % 1000) * INTERVAL '1 minute'`;
    case 'uuid':
      return `md5(${escapeLiteral(ctx.table)} || ':' || ${name} || ':' || g)::uuid`;
    case 'json':
    case 'jsonb':
      return `jsonb_build_object('id', g, 'kind', 'k' || (g % 5))`;
    case 'bytea':
      return `decode(md5(g::text), 'hex')`;
    case 'inet':
    case 'cidr':
      return `('10.' || (g / 65536 % 256) || '.' || (g / 256 % 256) || '.' || (g % 256))::inet`;
    case 'macaddr':
      return `('08:00:2b:' || lpad(to_hex((g / 65536 % 256)::int), 2, '0') || ':' || lpad(to_hex((g / 256 % 256)::int), 2, '0') || ':' || lpad(to_hex((g % 256)::int), 2, '0'))`;
    case 'tsvector':
      return `to_tsvector('simple', 'word' || (g % 100))`;
  }
  // unknown types of a known family
  if (col.category === 'N') return ctx.unique ? 'g' : '1 + g % 1000';
  if (col.category === 'S') return textExpression(col, ctx.unique);
  if (col.category === 'B') return 'g % 4 = 0';
  return null;
}

function textExpression(col: ColumnInfo, unique: boolean): string {
  const name = escapeLiteral(col.name);
  if (/e-?mail/i.test(col.name)) return `'user' || g || '@example.com'`;
  if (unique) return `${name} || '-' || g`;
  // a dozen words times a prime: a few thousand distinct values of varied length
  return `(ARRAY[${WORDS.map((w) => `'${w}'`).join(', ')}])[1 + (g % ${WORDS.length})::int] || ' ' || (g % 997)`;
}

/** Keeps values inside numeric(p, s): fewer integer digits than the precision allows. */
function numericExpression(typmod: number, unique: boolean): string {
  if (typmod < 4) return unique ? 'g + 0.5' : '1 + (g % 1000) + (g % 100) / 100.0';
  const precision = ((typmod - 4) >> 16) & 0xffff;
  const scale = (typmod - 4) & 0xffff;
  const intDigits = precision - scale;
  if (intDigits <= 0) return `(1 + g % 99) / 1000.0`; // numeric(2,2): values below 1
  const limit = Math.min(1000, 10 ** intDigits);
  if (unique) return limit >= 1000 ? 'g' : `g % ${limit - 1}`;
  // positive (CHECK (price > 0) is common) and below 10^intDigits after rounding
  return `1 + (g % ${Math.max(1, limit - 2)}) + (g % 100) / 100.0`;
}

/**
 * Values a CHECK constraint allows for one column, from pg_get_constraintdef text such as
 * `CHECK ((status = ANY (ARRAY['new'::text, 'paid'::text])))` or `CHECK (kind IN ('a','b'))`.
 */
export function allowedValuesFromCheck(def: string): string[] | undefined {
  if (!/=\s*ANY\s*\(|\bIN\s*\(/i.test(def)) return undefined;
  if (/\b(AND|OR|NOT)\b/i.test(def.replace(/'(?:[^']|'')*'/g, "''"))) return undefined;
  const values = [...def.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
  return values.length ? values : undefined;
}
