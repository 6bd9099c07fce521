/**
 * A column compared with a value of another type, where PostgreSQL resolves the comparison
 * by converting the column (so no B-tree index on it can be used) or finds no operator at
 * all (the statement fails). What PostgreSQL does, case by case:
 *
 * - `int_col = 1.5`, `int_col = $1::numeric`, `int_col = 2.0::float8`: no integer-numeric
 *   operator exists, the column is cast to numeric / float8 -> index unusable.
 * - `numeric_col = 1.5::float8`: numeric is cast to float8 -> index unusable.
 * - `char_col = 'x'::text` (char(n) = bpchar): the column is cast to text -> index unusable.
 * - `text_col = 42`, `varchar_col = $1::int`, `int_col = '42'::text`, `uuid_col = 'x'::text`,
 *   `timestamp_col = 'x'::text`: no such operator -> error ("operator does not exist").
 *
 * Fine and never reported: an untyped string literal or parameter (`int_col = '42'`,
 * `ts_col = '2024-01-01'`, `col = $1`: the literal takes the column's type); integers of
 * different widths (`bigint_col = 1`, `smallint_col = 100000`: cross-type operators of one
 * operator family); `varchar_col = 'x'::text` (binary coercible); date vs timestamp vs
 * timestamptz (one operator family); numeric column vs integer literal.
 */
import type { Operand, Predicate } from '../facts/types';
import type { Rule } from '../types';
import { displayName, resolveColumn } from './schema-util';

type Family = 'int' | 'numeric' | 'float' | 'text' | 'bpchar' | 'datetime' | 'uuid' | 'bool';

const FAMILY: Record<string, Family> = {
  int2: 'int', int4: 'int', int8: 'int', smallint: 'int', integer: 'int', int: 'int', bigint: 'int',
  numeric: 'numeric', decimal: 'numeric',
  float4: 'float', float8: 'float', real: 'float', 'double precision': 'float', float: 'float',
  text: 'text', varchar: 'text', 'character varying': 'text', citext: 'text',
  bpchar: 'bpchar', char: 'bpchar', character: 'bpchar',
  date: 'datetime', timestamp: 'datetime', timestamptz: 'datetime',
  uuid: 'uuid', bool: 'bool', boolean: 'bool',
};

const COMPARE = new Set(['=', '<>', '<', '<=', '>', '>=', 'in', 'between']);

type Outcome = 'cast-column' | 'error' | undefined;

/** What happens when a column of family `col` meets a value of family `val`. */
function outcome(col: Family, val: Family): Outcome {
  if (col === val) return undefined;
  switch (col) {
    case 'int':
      return val === 'numeric' || val === 'float' ? 'cast-column' : 'error';
    case 'numeric':
      return val === 'float' ? 'cast-column' : val === 'int' ? undefined : 'error';
    case 'float':
      return val === 'int' || val === 'numeric' ? undefined : 'error';
    case 'bpchar':
      return val === 'text' ? 'cast-column' : 'error';
    case 'text':
      return 'error';
    default:
      return 'error';
  }
}

export const implicitTypeCast: Rule = {
  meta: {
    id: 'implicit-type-cast',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: ['schema'],
    postgresOnly: true,
    description: 'A column compared with a value of another type is converted (its index cannot be used) or the comparison fails.',
  },
  check({ facts, schema, text, report }) {
    if (!schema) return;
    for (const p of facts.predicates) {
      if (!COMPARE.has(p.operator) || (p.kind !== 'comparison' && p.kind !== 'in-list' && p.kind !== 'between')) continue;
      const block = facts.blocks[p.block];
      if (!block) continue;
      for (const [side, other] of [[p.left, p.right], [p.right, p.left]] as const) {
        if (side?.kind !== 'column' || !other) continue;
        const col = side.columns[0];
        const hit = col && resolveColumn(facts, schema, block, col);
        const def = hit && hit.table.columns.get(col.name);
        const colFamily = def && FAMILY[def.type];
        if (!hit || !def || !colFamily) continue;
        for (const value of values(p, other)) {
          const lit = literalType(text.slice(value.span.start, value.span.end), value);
          const valFamily = lit && FAMILY[lit];
          if (!lit || !valFamily) continue;
          const what = outcome(colFamily, valFamily);
          if (!what) continue;
          const name = `${displayName(hit.table)}.${col.name}`;
          report({
            start: value.span.start,
            end: value.span.end,
            message:
              what === 'cast-column'
                ? `\`${name}\` is ${def.type} but is compared with ${article(lit)} ${lit} value: PostgreSQL converts the column to ${lit} for every row, so no index on \`${col.name}\` can be used. Compare with ${article(def.type)} ${def.type} value.`
                : `\`${name}\` is ${def.type} but is compared with ${article(lit)} ${lit} value: PostgreSQL has no ${def.type} ${p.operator === 'in' || p.operator === 'between' ? '=' : p.operator} ${lit} operator and rejects the statement. Compare with ${article(def.type)} ${def.type} value (or an untyped literal).`,
          });
          break;
        }
      }
    }
  },
};

/** The values compared: the operand, or each element of an IN list / BETWEEN bounds. */
function values(p: Predicate, o: Operand): Array<{ span: { start: number; end: number }; kind: Operand['kind'] }> {
  if (o.kind === 'constant' || o.kind === 'param') return [o];
  if (o.kind === 'list' && (p.kind === 'in-list' || p.kind === 'between')) return [{ span: o.span, kind: 'list' }];
  return [];
}

const CAST_SUFFIX = /::\s*("?[a-z_][a-z0-9_ ]*"?)\s*(?:\([^)]*\))?\s*$/i;
const CAST_FUNCTION = /^cast\s*\([\s\S]*\bas\s+([a-z_][a-z0-9_ ]*?)\s*(?:\([^)]*\))?\s*\)$/i;

/** The type of a literal or parameter as written; undefined when untyped (unknown) or not simple. */
function literalType(src: string, o: { kind: Operand['kind'] }): string | undefined {
  const s = src.trim();
  if (o.kind === 'list') {
    // IN (1.5, 2.5) / BETWEEN 1.5 AND 2: the first element decides (all must agree for PostgreSQL)
    const inner = s.replace(/^\(/, '').replace(/\)$/, '');
    const first = inner.split(/,|\band\b/i)[0]?.trim() ?? '';
    return first ? literalType(first, { kind: 'constant' }) : undefined;
  }
  const cast = CAST_SUFFIX.exec(s) ?? CAST_FUNCTION.exec(s);
  if (cast) return normalize(cast[1].replace(/"/g, ''));
  if (o.kind === 'param' || /^\$\d+$/.test(s)) return undefined;
  if (/^[+-]?\d+$/.test(s)) return 'integer';
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+(\.\d*)?e[+-]?\d+)$/i.test(s)) return 'numeric';
  return undefined; // strings are unknown-typed: they take the column's type
}

function normalize(t: string): string {
  const x = t.trim().toLowerCase().replace(/\s+/g, ' ');
  if (x === 'character varying') return 'varchar';
  if (x === 'double precision') return 'float8';
  if (x === 'timestamp with time zone') return 'timestamptz';
  if (x === 'timestamp without time zone') return 'timestamp';
  return x;
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
