import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { housekeepingFindings } from '../../../src/advisor';
import type { IndexRow } from '../../../src/advisor/housekeeping';
import { selectIndexes } from '../../../src/advisor/select';
import type { WhatIf } from '../../../src/advisor/whatif';
import type { Candidate, WorkloadQuery } from '../../../src/advisor/types';

const ix = (name: string, keys: number[], o: Partial<IndexRow> = {}): IndexRow => ({ schema: 'public', table: 't', name, method: 'btree', keys, keyText: keys.map(String), include: [], predicate: null, unique: false, primary: false, constraint: false, scans: 5, sizeBytes: 8192, ...o });

describe('advisor housekeeping', () => {
  it('duplicate, redundant, unused and missing FK index', () => {
    const f = housekeepingFindings(
      [ix('t_pkey', [1], { unique: true, primary: true, constraint: true, scans: 0 }), ix('a', [2]), ix('b', [2]), ix('c', [3]), ix('d', [3, 4]), ix('e', [5], { scans: 0 })],
      [{ schema: 'public', table: 't', name: 'fk1', columns: [6], columnNames: ['x'], references: 'u' }, { schema: 'public', table: 't', name: 'fk2', columns: [2], columnNames: ['y'], references: 'u' }],
    );
    const kinds = f.map((x) => `${x.kind}:${x.index ?? x.detail.split(' ')[2]}`);
    assert.deepEqual(kinds.sort(), ['duplicate-index:b', 'fk-without-index:fk1', 'redundant-index:c', 'unused-index:e'].sort());
  });
});

describe('greedy selection', () => {
  const q = (id: number, weight = 1): WorkloadQuery => ({ id, text: '', facts: {} as WorkloadQuery['facts'], outputColumns: { star: true, columns: [] }, locations: [], weight });
  const cand = (key: string): Candidate => ({ key, kind: 'btree', schema: 's', table: 't', method: 'btree', keys: [{ column: key }], include: [], queries: [], needsRealIndex: false });
  // cost model: query 0 needs "a" (100 -> 10), query 1 needs "b" (100 -> 60, under the threshold), "ab" helps both
  const fake: WhatIf = {
    mode: 'hypopg',
    async evaluate(set, queries) {
      const has = (k: string) => set.some((c) => c.key === k);
      const costs = new Map<number, number>();
      for (const qq of queries) costs.set(qq.id, qq.id === 0 ? (has('a') || has('ab') ? 10 : 100) : has('ab') ? 50 : has('b') ? 60 : 100);
      return { costs, sizes: new Map(set.map((c) => [c.key, 1000])), rejected: new Map(), failed: new Map() };
    },
    async cleanup() {},
  };
  it('takes the biggest weighted saving first and stops under the threshold', async () => {
    const r = await selectIndexes(fake, [q(0), q(1, 3)], [cand('a'), cand('b'), cand('ab')]);
    assert.deepEqual(r.chosen.map((c) => c.candidate.key), ['ab']);
    assert.deepEqual(r.chosen[0].queries, [{ query: 0, costBefore: 100, costAfter: 10 }, { query: 1, costBefore: 100, costAfter: 50 }]);
    assert.equal(r.chosen[0].size, 1000);
  });
});
