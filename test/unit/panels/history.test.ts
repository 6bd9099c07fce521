/** The plan history in workspace state (src/explain-commands/history.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HISTORY_STATE_KEY, MAX_PLAN_CHARS, MAX_STATEMENTS, normalizeStatement, orderPair, PlanHistory, RUNS_PER_STATEMENT, type MementoLike } from '../../../src/explain-commands/history';

function memento(): MementoLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(k: string) => data.get(k) as T | undefined,
    update: async (k: string, v: unknown) => {
      // what VS Code does: the value goes through JSON
      if (v === undefined) data.delete(k);
      else data.set(k, JSON.parse(JSON.stringify(v)));
    },
  };
}

const run = (statement: string, plan: unknown = [{ Plan: { 'Node Type': 'Result' } }], analyzed = false) => ({ statement, plan, analyzed, target: 'embedded database' });

describe('plan history', () => {
  it('normalizes statements: comments, whitespace, keyword case and the semicolon do not matter; literals do', () => {
    assert.equal(normalizeStatement('SELECT  *\n  FROM Orders -- all\n WHERE id = 1;'), normalizeStatement('select * from orders where id=1'));
    assert.notEqual(normalizeStatement("SELECT 'A'"), normalizeStatement("SELECT 'a'"));
    assert.notEqual(normalizeStatement('SELECT "A" FROM t'), normalizeStatement('SELECT "a" FROM t'));
  });

  it('keeps the last runs of each statement, newest first, in workspace state', async () => {
    let now = 1000;
    const m = memento();
    const h = new PlanHistory(m, () => ++now);
    for (let i = 0; i < RUNS_PER_STATEMENT + 3; i++) await h.add(run('SELECT * FROM orders', [{ Plan: { 'Node Type': 'Seq Scan', i } }]));
    await h.add(run('select *\nfrom orders;'));
    const runs = h.runsFor('SELECT * FROM orders');
    assert.equal(runs.length, RUNS_PER_STATEMENT);
    assert.deepEqual(runs.map((r) => r.createdAt), [...runs.map((r) => r.createdAt)].sort((a, b) => b - a));
    assert.equal(runs[0].statement, 'select *\nfrom orders;');
    assert.ok(m.data.has(HISTORY_STATE_KEY));
    assert.equal(h.get(runs[3].id)?.id, runs[3].id);
    assert.equal(h.previous(runs[0].id)?.id, runs[1].id);
    assert.equal(h.previous(runs[RUNS_PER_STATEMENT - 1].id), undefined);
  });

  it('lists statements most recently run first and forgets the oldest beyond the cap', async () => {
    const h = new PlanHistory(memento());
    for (let i = 0; i < MAX_STATEMENTS + 5; i++) await h.add(run(`SELECT ${i}`));
    await h.add(run('SELECT 7'));
    const all = h.all();
    assert.equal(all.length, MAX_STATEMENTS);
    assert.equal(all[0].statement, 'SELECT 7');
    assert.ok(!all.some((e) => e.statement === 'SELECT 0'));
  });

  it('does not keep plans too large for workspace state', async () => {
    const h = new PlanHistory(memento());
    const big = [{ Plan: { 'Node Type': 'Result', pad: 'x'.repeat(MAX_PLAN_CHARS) } }];
    assert.equal(await h.add(run('SELECT 1', big)), null);
    assert.equal(h.all().length, 0);
  });

  it('orders a picked pair as before / after by time, and survives junk in the store', async () => {
    const m = memento();
    const h = new PlanHistory(m);
    const a = (await h.add({ ...run('SELECT 1'), createdAt: 5 }))!;
    const b = (await h.add({ ...run('SELECT 1'), createdAt: 9 }))!;
    assert.deepEqual(orderPair(b, a).map((r) => r.createdAt), [5, 9]);
    await m.update(HISTORY_STATE_KEY, { version: 99 });
    assert.deepEqual(h.all(), []);
    await h.clear();
    assert.equal(m.data.has(HISTORY_STATE_KEY), false);
  });
});
