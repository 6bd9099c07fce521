/**
 * Section e: the plan panel with a 5,000-node plan in Chromium (the built dist/media
 * bundle under the extension's CSP, as in test/webview). Prints the host's cost to build
 * the payload (parse, tips, text), the webview's first paint (message received -> boxes,
 * edges and header painted, two animation frames later), the grid's render, and frame
 * times while zooming with the wheel. The budget for first paint is 1 s (issue 5).
 *
 *   npx tsx bench/webview.ts      (or BENCH_ONLY=e npm run bench)
 */
import { buildPayload } from '../src/panels/payload';
import { PanelBrowser, webviewPrerequisite } from '../test/webview/harness';
import { fmt, median, nowMs, percentile, printTable, type Row } from './common';

const NODES = 5000;
const RUNS = 5;
const BUDGET_MS = 1000;

/** A join tree of exactly `total` nodes, in EXPLAIN (ANALYZE, FORMAT JSON)'s shape; deterministic. */
export function generatePlan(total: number, seed = 7): unknown {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let table = 0;
  const scan = (rel: string | null) => {
    const name = `t${table++ % 400}`;
    const rows = Math.round(10 + rnd() * 50000);
    const time = 0.01 + rnd() * 3;
    return {
      node: {
        'Node Type': rnd() < 0.7 ? 'Seq Scan' : 'Index Scan',
        ...(rel ? { 'Parent Relationship': rel } : {}),
        'Relation Name': name, Schema: 'public', Alias: `${name}_${table}`,
        ...(rnd() < 0.3 ? { 'Index Name': `${name}_pkey` } : {}),
        'Startup Cost': 0, 'Total Cost': rows / 10, 'Plan Rows': Math.round(rows * (0.2 + rnd() * 2)), 'Plan Width': 16,
        'Actual Startup Time': 0.001, 'Actual Total Time': time, 'Actual Rows': rows, 'Actual Loops': 1,
        'Shared Hit Blocks': Math.round(rnd() * 500), 'Shared Read Blocks': Math.round(rnd() * 50),
        Filter: '(x > 1)', 'Rows Removed by Filter': Math.round(rnd() * 1000),
      } as Record<string, unknown>,
      time, rows, cost: rows / 10, hit: 0, read: 0,
    };
  };
  type Built = ReturnType<typeof scan>;
  const build = (n: number, rel: string | null): Built => {
    if (n === 1) return scan(rel);
    if (n === 2) {
      const c = build(1, 'Outer');
      const time = c.time + rnd();
      return { node: { 'Node Type': 'Sort', ...(rel ? { 'Parent Relationship': rel } : {}), 'Startup Cost': c.cost, 'Total Cost': c.cost * 1.2, 'Plan Rows': c.rows, 'Plan Width': 16, 'Actual Startup Time': time, 'Actual Total Time': time, 'Actual Rows': c.rows, 'Actual Loops': 1, 'Sort Key': ['x'], Plans: [c.node] }, time, rows: c.rows, cost: c.cost * 1.2, hit: 0, read: 0 };
    }
    const hash = rnd() < 0.7 && n >= 4;
    const rest = n - 1 - (hash ? 1 : 0);
    const k = Math.max(1, Math.min(rest - 1, Math.round(rest * (0.3 + rnd() * 0.4))));
    const outer = build(k, 'Outer');
    const innerChild = build(rest - k, hash ? 'Outer' : 'Inner');
    const inner = hash
      ? { node: { 'Node Type': 'Hash', 'Parent Relationship': 'Inner', 'Startup Cost': innerChild.cost, 'Total Cost': innerChild.cost, 'Plan Rows': innerChild.rows, 'Plan Width': 16, 'Actual Startup Time': innerChild.time + 0.1, 'Actual Total Time': innerChild.time + 0.1, 'Actual Rows': innerChild.rows, 'Actual Loops': 1, Plans: [innerChild.node] }, time: innerChild.time + 0.1, rows: innerChild.rows, cost: innerChild.cost, hit: 0, read: 0 }
      : innerChild;
    const rows = Math.round(Math.min(outer.rows, inner.rows) * (0.5 + rnd()));
    const time = outer.time + inner.time + rnd() * 2;
    const cost = outer.cost + inner.cost + rows / 100;
    return {
      node: { 'Node Type': hash ? 'Hash Join' : 'Nested Loop', ...(rel ? { 'Parent Relationship': rel } : {}), 'Join Type': 'Inner', 'Startup Cost': 0, 'Total Cost': cost, 'Plan Rows': Math.round(rows * (0.5 + rnd())), 'Plan Width': 32, 'Actual Startup Time': 0.01, 'Actual Total Time': time, 'Actual Rows': rows, 'Actual Loops': 1, ...(hash ? { 'Hash Cond': '(a.id = b.id)' } : { 'Join Filter': '(a.id = b.id)' }), Plans: [outer.node, inner.node] },
      time, rows, cost, hit: 0, read: 0,
    };
  };
  const root = build(total, null);
  return [{ Plan: root.node, 'Planning Time': 12.5, 'Execution Time': root.time + 1 }];
}

export async function benchWebview(): Promise<Row[]> {
  const missing = webviewPrerequisite();
  if (missing) {
    console.log(`(e) skipped: ${missing}`);
    return [];
  }
  const plan = generatePlan(NODES);
  const builds: number[] = [];
  let payload = buildPayload({ id: 'warm', title: 'bench', statement: null, plan, target: 'bench', createdAt: 0, sourceLinked: false });
  for (let i = 0; i < RUNS; i++) {
    const t = nowMs();
    payload = buildPayload({ id: `bench-${i}`, title: `${NODES}-node plan`, statement: null, plan, target: 'bench', createdAt: 0, sourceLinked: false });
    builds.push(nowMs() - t);
  }
  if (payload.model.nodes.length !== NODES) throw new Error(`generated ${payload.model.nodes.length} nodes, wanted ${NODES}`);
  const bytes = JSON.stringify({ type: 'show', plan: payload }).length;

  const browser = await PanelBrowser.start();
  const paints: number[] = [];
  const grids: number[] = [];
  const frames: number[] = [];
  const drawn: number[] = [];
  const allRows: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const p = await browser.open({ width: 1400, height: 900 });
      const id = `bench-run-${i}`;
      const msg = { type: 'show', plan: { ...payload, id } };
      await p.page.evaluate((m) => {
        (window as unknown as { __t0: number }).__t0 = performance.now();
        window.postMessage(m, '*');
      }, msg as unknown as Record<string, unknown>);
      await p.page.waitForFunction((k) => document.body.dataset.rendered === k, id, { timeout: 60_000 });
      const paint = await p.page.evaluate((k) => {
        const mark = performance.getEntriesByName(`sqlperf-painted:${k}`)[0];
        return mark.startTime - (window as unknown as { __t0: number }).__t0;
      }, id);
      paints.push(paint);
      const laidOut = Number(await p.page.getAttribute('.diagram', 'data-nodes'));
      if (laidOut !== NODES) throw new Error(`the panel laid out ${laidOut} boxes, wanted ${NODES}`);
      drawn.push(await p.page.$$eval('.node', (els) => els.length));
      // zoom with the wheel, one event per frame, and record frame intervals
      // a string: tsx would put __name() helpers into a function's source
      const f = (await p.page.evaluate(`new Promise((resolve) => {
        const vp = document.querySelector('.viewport');
        const out = [];
        let last = performance.now();
        let n = 0;
        const tick = () => {
          const now = performance.now();
          if (n > 0) out.push(now - last);
          last = now;
          if (n++ >= 40) return resolve(out);
          vp.dispatchEvent(new WheelEvent('wheel', { deltaY: n < 20 ? -60 : 60, clientX: 600, clientY: 400, bubbles: true, cancelable: true }));
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      })`)) as number[];
      frames.push(...f);
      const g0 = nowMs();
      await p.page.click('.tab[data-tab="grid"]');
      await p.page.waitForSelector('table.grid tbody tr.row');
      await p.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      grids.push(nowMs() - g0);
      const a0 = nowMs();
      await p.page.click('button.show-more');
      await p.page.waitForSelector(`table.grid tbody tr.row:nth-child(${NODES})`);
      await p.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      allRows.push(nowMs() - a0);
      const problems = [...p.problems, ...(await browser.cspViolations(p))];
      if (problems.length) throw new Error(`problems in the panel: ${problems.join('; ')}`);
      await p.page.close();
    }
  } finally {
    await browser.close();
  }
  const paint = median(paints);
  return [
    { measure: `e: panel payload build, ${NODES} nodes (host: parse+tips+text)`, sqlperf: `${fmt(median(builds), 1)} ms`, peer: '', ratio: '', note: `${(bytes / 1e6).toFixed(1)} MB message` },
    { measure: `e: panel first paint, ${NODES} nodes (median of ${RUNS})`, sqlperf: `${fmt(paint, 0)} ms`, peer: `${BUDGET_MS} ms budget`, ratio: `${fmt(paint / BUDGET_MS, 2)}x`, note: `min ${fmt(Math.min(...paints), 0)} / max ${fmt(Math.max(...paints), 0)} ms; all laid out, ${median(drawn)} boxes near the view in the DOM` },
    { measure: `e: wheel zoom frame time, ${NODES} nodes`, sqlperf: `p50 ${fmt(percentile(frames, 50), 1)} ms`, peer: '', ratio: '', note: `p95 ${fmt(percentile(frames, 95), 1)} ms (headless, software rendering)` },
    { measure: `e: grid, first 500 of ${NODES} rows`, sqlperf: `${fmt(median(grids), 0)} ms`, peer: '', ratio: '', note: `click on the Grid tab to painted rows; all ${NODES}: ${fmt(median(allRows), 0)} ms more` },
  ];
}

if (require.main === module) {
  benchWebview().then(
    (rows) => printTable('sqlperf plan panel', rows),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
