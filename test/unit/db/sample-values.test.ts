import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fillOrder } from '../../../src/db/fk-order';
import { buildInsert, coprimeMultiplier, type TableInfo } from '../../../src/db/sample-rows';
import { allowedValuesFromCheck, valueExpression, type ColumnInfo } from '../../../src/db/sample-values';

const col = (over: Partial<ColumnInfo>): ColumnInfo => ({
  name: 'c', attnum: 1, notNull: false, typeSql: 'integer', baseType: 'int4', category: 'N', typtype: 'b', typmod: -1, enumCount: 0, hasDefault: false, generatedByServer: false, ...over,
});
const ctx = { table: 'public.t', unique: false };

describe('valueExpression', () => {
  it('casts to the column type and is injective in g when unique', () => {
    assert.equal(valueExpression(col({}), { ...ctx, unique: true }), '(g)::integer');
    assert.equal(valueExpression(col({}), ctx), '(1 + g % 1000)::integer');
    assert.equal(valueExpression(col({ name: 'code', baseType: 'text', category: 'S', typeSql: 'text' }), { ...ctx, unique: true }), "('code' || '-' || g)::text");
    assert.match(valueExpression(col({ name: 'email', baseType: 'varchar', category: 'S', typeSql: 'character varying(50)' }), ctx)!, /'user' \|\| g \|\| '@example\.com'/);
  });

  it('keeps numeric values inside the declared precision', () => {
    const typmod = (p: number, s: number) => ((p << 16) | s) + 4;
    assert.equal(valueExpression(col({ baseType: 'numeric', typeSql: 'numeric(4,2)', typmod: typmod(4, 2) }), ctx), '(1 + (g % 98) + (g % 100) / 100.0)::numeric(4,2)');
    assert.equal(valueExpression(col({ baseType: 'numeric', typeSql: 'numeric(2,2)', typmod: typmod(2, 2) }), ctx), '((1 + g % 99) / 1000.0)::numeric(2,2)');
  });

  it('covers the common types and returns null for unknown ones', () => {
    for (const baseType of ['int2', 'int8', 'float8', 'bool', 'date', 'timestamp', 'timestamptz', 'time', 'interval', 'uuid', 'jsonb', 'json', 'bytea', 'inet', 'macaddr', 'tsvector', 'money', 'bpchar', 'citext']) {
      assert.ok(valueExpression(col({ baseType, category: 'X' }), ctx), baseType);
    }
    assert.equal(valueExpression(col({ baseType: 'point', category: 'G' }), ctx), null);
    assert.equal(valueExpression(col({ category: 'A', baseType: '_int4', typeSql: 'integer[]' }), ctx), "('{}')::integer[]");
    assert.equal(valueExpression(col({ typtype: 'e', enumCount: 3, baseType: 'mood', category: 'E', typeSql: 'public.mood' }), ctx), '((enum_range(NULL::public.mood))[1 + (g % 3)::int])::public.mood');
  });

  it('takes allowed values from a CHECK list, quoted', () => {
    assert.equal(valueExpression(col({ baseType: 'text', category: 'S', typeSql: 'text' }), { ...ctx, allowed: ['a', "it's"] }), "((ARRAY['a', 'it''s'])[1 + (g % 2)::int])::text");
  });

  it('quotes column names it embeds', () => {
    assert.match(valueExpression(col({ name: "we'ird", baseType: 'text', category: 'S', typeSql: 'text' }), { ...ctx, unique: true })!, /'we''ird'/);
  });
});

describe('allowedValuesFromCheck', () => {
  it('reads IN lists and = ANY (ARRAY[...]) as pg_get_constraintdef prints them', () => {
    assert.deepEqual(allowedValuesFromCheck("CHECK ((tier = ANY (ARRAY['free'::text, 'pro'::text])))"), ['free', 'pro']);
    assert.deepEqual(allowedValuesFromCheck("CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b''c'::character varying])::text[])))"), ['a', "b'c"]);
    assert.equal(allowedValuesFromCheck('CHECK ((price > (0)::numeric))'), undefined);
    assert.equal(allowedValuesFromCheck("CHECK ((a = ANY (ARRAY['x'::text])) OR (b > 1))"), undefined);
  });
});

describe('fillOrder', () => {
  const names: Record<number, string> = { 1: 'customers', 2: 'orders', 3: 'items', 4: 'products', 5: 'a', 6: 'b' };
  it('puts parents before children, ties by name, cycles last', () => {
    const order = fillOrder([3, 2, 1, 4, 5, 6], [
      { child: 2, parent: 1 },
      { child: 3, parent: 2 },
      { child: 3, parent: 4 },
      { child: 2, parent: 2 }, // self reference: ignored
      { child: 5, parent: 6 },
      { child: 6, parent: 5 }, // a cycle
    ], (id) => names[id]);
    assert.deepEqual(order.map((id) => names[id]), ['customers', 'orders', 'products', 'items', 'a', 'b']);
  });
});

describe('coprimeMultiplier', () => {
  it('finds k with gcd(1 + d*k, c) = 1', () => {
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    for (const [d, c] of [[10000, 10000], [6, 9], [4, 15], [1, 1], [7, 49]]) {
      const k = coprimeMultiplier(d, c);
      assert.equal(gcd((1 + d * k) % c, c), 1, `${d} ${c} -> ${k}`);
    }
  });
});

describe('buildInsert', () => {
  const parent: TableInfo = { oid: 1, sql: '"public"."p"', label: 'public.p', columns: [], unique: new Set([1]), fks: [], checks: [] };
  const child: TableInfo = {
    oid: 2,
    sql: '"public"."c"',
    label: 'public.c',
    unique: new Set(),
    checks: [],
    fks: [{ name: 'c_p_fkey', parent: 1, attnums: [2], refColumns: ['id'] }],
    columns: [
      col({ name: 'id', attnum: 1, notNull: true, hasDefault: true, generatedByServer: true }),
      col({ name: 'p_id', attnum: 2, notNull: true }),
      col({ name: 'shape', attnum: 3, baseType: 'point', category: 'G', typeSql: 'point' }),
    ],
  };
  const byOid = new Map([[1, parent], [2, child]]);

  it('omits server-filled and ungeneratable nullable columns, and joins parents by row number', () => {
    const r = buildInsert(child, 500, { avoid: new Map(), unique: new Set(), byOid, available: new Map([[1, 40]]) });
    assert.ok(r.ok);
    assert.equal(
      r.sql,
      'INSERT INTO "public"."c" ("p_id") SELECT fk1."id" FROM generate_series(1::bigint, 500) AS gs(g) ' +
        'LEFT JOIN (SELECT "id", row_number() OVER (ORDER BY "id") - 1 AS rn FROM "public"."p" WHERE "id" IS NOT NULL) AS fk1 ON fk1.rn = g % 40',
    );
  });

  it('refuses a NOT NULL foreign key whose parent has no rows', () => {
    const r = buildInsert(child, 500, { avoid: new Map(), unique: new Set(), byOid, available: new Map() });
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /NOT NULL foreign key column p_id references public\.p, which has no rows/);
  });
});
