import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { convertPlaceholders, orderParamValues } from '../../../src/db/placeholders';

before(loadParser);

const text = (sql: string) => convertPlaceholders(sql).text;
const labels = (sql: string) => convertPlaceholders(sql).params.map((p) => `${p.index}:${p.label}`);

describe('convertPlaceholders', () => {
  it('leaves $n alone and lists them', () => {
    assert.equal(text('SELECT * FROM t WHERE a = $1 AND b = $2'), 'SELECT * FROM t WHERE a = $1 AND b = $2');
    assert.deepEqual(labels('SELECT $2, $1'), ['1:$1', '2:$2']);
  });

  it('rewrites :name, reusing the number of a repeated name', () => {
    assert.equal(text('SELECT * FROM t WHERE a = :id OR b = :other OR c = :id'), 'SELECT * FROM t WHERE a = $1 OR b = $2 OR c = $1');
    assert.deepEqual(labels('SELECT :id, :other, :id'), ['1::id', '2::other']);
    assert.deepEqual(convertPlaceholders('SELECT :user_id').params[0].name, 'user_id');
  });

  it('does not take ::type casts, array slices, strings, identifiers or comments for :name', () => {
    assert.equal(text('SELECT a::int, b :: text, arr[1:n], arr[lo:hi] FROM t'), 'SELECT a::int, b :: text, arr[1:n], arr[lo:hi] FROM t');
    assert.equal(text(`SELECT ':x', E'\\':y', "col:z", $$ :w $$ -- :v\n/* :u */ FROM t`), `SELECT ':x', E'\\':y', "col:z", $$ :w $$ -- :v\n/* :u */ FROM t`);
    assert.equal(text('SELECT : x'), 'SELECT : x'); // not adjacent: not a placeholder
  });

  it('rewrites ? placeholders, including one glued to an operator', () => {
    assert.equal(text('SELECT * FROM t WHERE a = ? AND b IN (?, ?) LIMIT ?'), 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3) LIMIT $4');
    assert.equal(text('SELECT * FROM t WHERE a=? AND b<>?'), 'SELECT * FROM t WHERE a= $1 AND b<> $2');
    assert.equal(text('INSERT INTO t VALUES (?, ?)'), 'INSERT INTO t VALUES ($1, $2)');
  });

  it('keeps the jsonb ? ?| ?& and @? operators', () => {
    assert.equal(text(`SELECT * FROM t WHERE data ? 'k' AND tags ?| array['a'] AND tags ?& array['b'] AND doc @? '$.a'`), `SELECT * FROM t WHERE data ? 'k' AND tags ?| array['a'] AND tags ?& array['b'] AND doc @? '$.a'`);
    assert.equal(text(`SELECT * FROM t WHERE (data) ? 'k' AND data ? ?`), `SELECT * FROM t WHERE (data) ? 'k' AND data ? $1`);
    assert.equal(text(`SELECT * FROM t WHERE x.value ? 'k'`), `SELECT * FROM t WHERE x.value ? 'k'`); // value is a keyword, here a column
  });

  it('numbers :name and ? after the highest $n when styles are mixed', () => {
    const c = convertPlaceholders('SELECT $2, :a, ?, :a');
    assert.equal(c.text, 'SELECT $2, $3, $4, $3');
    assert.deepEqual(c.params.map((p) => p.label), ['$1', '$2', ':a', '?']);
  });

  it('maps offsets in the converted text back to the input', () => {
    const sql = 'SELECT * FROM t WHERE a = :alpha AND zz = ?';
    const c = convertPlaceholders(sql);
    assert.equal(c.text, 'SELECT * FROM t WHERE a = $1 AND zz = $2');
    const zz = c.text.indexOf('zz');
    assert.equal(sql.slice(c.toOriginal(zz)).slice(0, 2), 'zz');
    assert.equal(c.toOriginal(c.text.indexOf('$1') + 1), sql.indexOf(':alpha')); // inside: the placeholder's start
    assert.equal(c.toOriginal(0), 0);
  });

  it('handles non-ASCII text before a placeholder (byte vs UTF-16 offsets)', () => {
    const sql = `SELECT 'héllo wörld 🎉' AS x WHERE a = :id`;
    assert.equal(text(sql), `SELECT 'héllo wörld 🎉' AS x WHERE a = $1`);
  });

  it('leaves text the scanner rejects alone (the parser reports it)', () => {
    assert.equal(text(`SELECT 'unterminated :x`), `SELECT 'unterminated :x`);
  });
});

describe('orderParamValues', () => {
  const params = () => convertPlaceholders('SELECT $1, :name, ?').params;

  it('takes an array in $n order', () => {
    assert.deepEqual(orderParamValues(params(), [1, 'n', true]), { ok: true, values: [1, 'n', true] });
    assert.deepEqual(orderParamValues(params(), [1]), { ok: false, missing: [':name', '?'], extra: 0 });
    assert.deepEqual(orderParamValues(params(), [1, 2, 3, 4]), { ok: false, missing: [], extra: 1 });
  });

  it('takes an object by name, :name, $n or n', () => {
    assert.deepEqual(orderParamValues(params(), { $1: 1, name: 'n', 3: null }), { ok: true, values: [1, 'n', null] });
    assert.deepEqual(orderParamValues(params(), { 1: 1, ':name': 'n', $3: 0 }), { ok: true, values: [1, 'n', 0] });
    assert.deepEqual(orderParamValues(params(), { name: 'n' }), { ok: false, missing: ['$1', '? (#3)'], extra: 0 });
  });
});
