import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadParser } from '../../../server/engine/parse/pgquery';
import { buildWorkload, generateCandidates, type TableInfo } from '../../../src/advisor';
import { tableResolver } from '../../../src/advisor/advise';
import { refKey } from '../../../src/advisor/catalog';
import { suggestedDefinition } from '../../../src/advisor/sql';
import { toAdviceJson } from '../../../src/advisor/json';
import { parseAdviseArgs } from '../../../src/cli/advise-args';

const orders: TableInfo = {
  schema: 'public',
  name: 'orders',
  columns: ['id', 'user_id', 'status', 'placed_at', 'total', 'email'],
  rows: 1e6,
  indexes: [{ name: 'orders_pkey', method: 'btree', keys: ['id'], include: [], unique: true, primary: true }],
};
const resolve = tableResolver(new Map([[refKey(undefined, 'orders'), orders]]));
const keys = (...sqls: string[]) => generateCandidates(buildWorkload(sqls.map((text, i) => ({ text, location: { file: 'a.sql', line: i + 1, column: 1 } }))), resolve);

describe('advisor candidates', () => {
  before(() => loadParser());

  it('equality columns first, then one range column', () => {
    const r = keys('SELECT id FROM orders WHERE placed_at > $2 AND user_id = $1');
    assert.ok(r.candidates.some((c) => c.key === 'CREATE INDEX ON "public"."orders" ("user_id", "placed_at")'), r.candidates.map((c) => c.key).join('\n'));
  });
  it('sort keys with LIMIT, keeping DESC', () => {
    const r = keys('SELECT id FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 5');
    assert.ok(r.candidates.some((c) => c.key.endsWith('("user_id", "placed_at" DESC)')));
  });
  it('partial index for a constant, expression index for a wrapped column', () => {
    const r = keys("SELECT id FROM orders o WHERE o.status = 'pending' AND lower(o.email) = $1");
    assert.ok(r.candidates.some((c) => c.kind === 'partial' && c.where === `"status" = 'pending'`));
    assert.ok(r.candidates.some((c) => c.kind === 'expression' && c.keys.some((k) => k.expression === 'lower("email")')));
  });
  it('covering index with INCLUDE when the read columns are known; none for *', () => {
    assert.ok(keys('SELECT total FROM orders WHERE user_id = $1').candidates.some((c) => c.kind === 'covering' && c.include.join() === 'total'));
    assert.ok(!keys('SELECT * FROM orders WHERE user_id = $1').candidates.some((c) => c.kind === 'covering'));
  });
  it('trigram GIN for a leading wildcard, marked as needing a real index', () => {
    const c = keys(`SELECT id FROM orders WHERE email LIKE '%' || $1 || '%'`).candidates.find((x) => x.kind === 'gin_trgm');
    assert.ok(c?.needsRealIndex);
    assert.match(c!.key, /USING gin \("email" gin_trgm_ops\)/);
  });
  it('an existing index with the same leading keys covers a candidate', () => {
    const r = keys('SELECT * FROM orders WHERE id = $1');
    assert.equal(r.candidates.length, 0);
    assert.equal(r.covered[0].index, 'orders_pkey');
  });
  it('the same statement shape is one query, weighted by count', () => {
    const w = buildWorkload(['SELECT id FROM orders WHERE user_id = 1', 'SELECT id FROM orders WHERE user_id = 2'].map((text) => ({ text, location: { file: 'a', line: 1, column: 1 } })));
    assert.equal(w.length, 1);
    assert.equal(w[0].weight, 2);
  });
  it('definitions quote identifiers and use CONCURRENTLY', () => {
    const weird: TableInfo = { ...orders, schema: 'My "S"', name: 'Big Table', columns: ['Col A'] };
    const r = generateCandidates(buildWorkload([{ text: 'SELECT 1 FROM "My ""S"""."Big Table" WHERE "Col A" = $1', location: { file: 'a', line: 1, column: 1 } }]), tableResolver(new Map([[refKey('My "S"', 'Big Table'), weird]])));
    assert.equal(suggestedDefinition(r.candidates[0]), 'CREATE INDEX CONCURRENTLY "Big Table_Col A_idx" ON "My ""S"""."Big Table" ("Col A");');
  });
  it('JSON shape of the issue', () => {
    const w = buildWorkload([{ text: 'SELECT id FROM orders WHERE user_id = $1', location: { file: 'a.sql', line: 3, column: 1 } }]);
    const c = generateCandidates(w, resolve).candidates[0];
    const j = toAdviceJson({ suggestions: [{ candidate: c, definition: suggestedDefinition(c), estimatedSizeBytes: 8192, queries: [{ query: 0, costBefore: 100, costAfter: 8 }], saving: 92, verifiedBy: 'hypopg' }], housekeeping: [{ kind: 'unused-index', table: 't', index: 'i', detail: 'd' }], queries: w, notes: [], target: 'server' }, (l) => `${l.file}:${l.line}`);
    // the fields first, then the extras
    assert.deepEqual(Object.keys(j.suggestions[0]), ['table', 'definition', 'columns', 'kind', 'estimatedSizeBytes', 'queries', 'verifiedBy', 'writeCost']);
    assert.equal(j.suggestions[0].writeCost, null);
    assert.deepEqual(j.suggestions[0].queries, [{ location: 'a.sql:3', costBefore: 100, costAfter: 8 }]);
    assert.deepEqual(j.housekeeping[0], { kind: 'unused-index', table: 't', index: 'i', detail: 'd' });
  });
  it('advise arguments', () => {
    assert.deepEqual(parseAdviseArgs(['--db', 'postgresql://x/y', 'src', '--format', 'json']), { kind: 'advise', options: { target: { kind: 'db', url: 'postgresql://x/y' }, paths: ['src'], format: 'json', threshold: 0.3, schema: [], stats: true } });
    const noStats = parseAdviseArgs(['--db', 'u', '--no-stats']);
    assert.equal(noStats.kind === 'advise' && noStats.options.stats, false);
    assert.equal(parseAdviseArgs(['--db', 'u', '--embedded']).kind, 'usage-error');
    assert.equal(parseAdviseArgs(['--threshold', '200']).kind, 'usage-error');
  });
});
