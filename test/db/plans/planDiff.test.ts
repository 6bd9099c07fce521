/** Diff of two real plans of one query, before and after creating the index it needs. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffPlans, parsePlan, type PlanModel } from '../../../src/explain';
import { requirePrerequisite } from '../../support/prerequisites';
import { databaseUrl, PlanLab } from './lab';

const skip = requirePrerequisite(databaseUrl() !== '', 'SQLPERF_TEST_DATABASE_URL (a PostgreSQL server for the db tests)');

const QUERY = 'SELECT * FROM orders WHERE customer_id = 42';
const SETTINGS = { max_parallel_workers_per_gather: '0' };

describe('diff of real plans (PostgreSQL)', { skip }, () => {
  let lab: PlanLab;
  let beforeAnalyze: PlanModel;
  let afterAnalyze: PlanModel;
  let beforeCosts: PlanModel;
  let afterCosts: PlanModel;

  before(async () => {
    lab = await PlanLab.open('sqlperf_plandiff');
    await lab.run(`
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL, note text NOT NULL);
      INSERT INTO orders SELECT g, g % 1000, g % 97, md5(g::text) FROM generate_series(1, 100000) g;
      ANALYZE orders;
    `);
    await lab.explainJson(QUERY, SETTINGS); // warm-up
    beforeAnalyze = parsePlan((await lab.explainJson(QUERY, SETTINGS)).json);
    beforeCosts = parsePlan(await lab.explainCosts(QUERY, SETTINGS));
    await lab.run('CREATE INDEX orders_customer_idx ON orders (customer_id); ANALYZE orders;');
    await lab.explainJson(QUERY, SETTINGS);
    afterAnalyze = parsePlan((await lab.explainJson(QUERY, SETTINGS)).json);
    afterCosts = parsePlan(await lab.explainCosts(QUERY, SETTINGS));
  });

  after(async () => {
    await lab?.close();
  });

  it('reports "faster" on execution time and the scan that changed type', () => {
    const d = diffPlans(beforeAnalyze, afterAnalyze);
    assert.equal(d.verdict?.basis, 'execution-time');
    assert.equal(d.verdict?.outcome, 'faster', JSON.stringify(d.verdict));
    assert.ok((d.verdict?.ratio ?? 0) > 2);
    const scan = d.matches.find((m) => beforeAnalyze.nodes[m.beforeId].relation === 'orders');
    assert.ok(scan, 'the scan on orders is matched');
    assert.equal(beforeAnalyze.nodes[scan.beforeId].nodeType, 'Seq Scan');
    assert.ok(scan.nodeType, 'its type changed');
    assert.equal(scan.nodeType.before, 'Seq Scan');
    assert.match(scan.nodeType.after, /^(Index Scan|Bitmap Heap Scan|Index Only Scan)$/);
    assert.equal(afterAnalyze.nodes[scan.afterId].relation, 'orders');
    assert.ok((scan.time?.ratio ?? 0) > 1);
    assert.deepEqual(scan.rows, { before: 100, after: 100, actual: true });
    // A bitmap scan brings its Bitmap Index Scan, which has no counterpart before.
    for (const id of d.unmatchedAfter) assert.equal(afterAnalyze.nodes[id].index, 'orders_customer_idx');
    assert.deepEqual(d.unmatchedBefore, []);
  });

  it('judges plans without ANALYZE by total cost', () => {
    const d = diffPlans(beforeCosts, afterCosts);
    assert.equal(d.verdict?.basis, 'total-cost');
    assert.equal(d.verdict?.outcome, 'faster');
    assert.ok((d.verdict?.before ?? 0) > (d.verdict?.after ?? 0));
  });
});
