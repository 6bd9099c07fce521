import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DismissedSuggestions, DISMISSED_STATE_KEY, type KeyValueStore } from '../../../src/advisor-commands/dismissed';
import { suggestion } from './fixtures';

/** The shape of VS Code's workspaceState, kept in a Map (values round-trip through JSON like the real one). */
function memento(initial: Record<string, unknown> = {}): KeyValueStore & { raw: Map<string, string> } {
  const raw = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  return {
    raw,
    get: <T>(key: string, d: T) => (raw.has(key) ? (JSON.parse(raw.get(key)!) as T) : d),
    update: async (key: string, value: unknown) => void raw.set(key, JSON.stringify(value)),
  };
}

describe('dismissed index suggestions', () => {
  const a = suggestion('orders', ['customer_id']);
  const b = suggestion('users', ['email']);

  it('hides a dismissed suggestion, also in a new store over the same state (a reload)', async () => {
    const state = memento();
    await new DismissedSuggestions(state).dismiss(a, 1000);
    const again = new DismissedSuggestions(state);
    assert.deepEqual(again.split([a, b]).shown, [b]);
    assert.deepEqual(again.split([a, b]).hidden, [a]);
    assert.deepEqual(again.all(), [{ key: a.candidate.key, definition: a.definition, table: 'orders', at: 1000 }]);
  });

  it('is keyed by the definition, so a new report of the same index stays hidden; dismissing twice keeps one entry', async () => {
    const d = new DismissedSuggestions(memento());
    await d.dismiss(a);
    await d.dismiss(suggestion('orders', ['customer_id'], { saving: 1 }));
    assert.equal(d.all().length, 1);
    assert.ok(d.has(suggestion('orders', ['customer_id']).candidate.key));
    assert.ok(!d.has(suggestion('orders', ['customer_id', 'status']).candidate.key));
  });

  it('restores one or all', async () => {
    const d = new DismissedSuggestions(memento());
    await d.dismiss(a);
    await d.dismiss(b);
    await d.restore(a.candidate.key);
    assert.deepEqual(d.split([a, b]).shown, [a]);
    await d.restoreAll();
    assert.deepEqual(d.split([a, b]).shown, [a, b]);
  });

  it('ignores a malformed stored value', () => {
    assert.deepEqual(new DismissedSuggestions(memento({ [DISMISSED_STATE_KEY]: 'oops' })).all(), []);
    assert.deepEqual(new DismissedSuggestions(memento({ [DISMISSED_STATE_KEY]: [null, { key: 1 }, { key: 'k', definition: 'd', table: 't', at: 1 }] })).all().map((e) => e.key), ['k']);
  });
});
