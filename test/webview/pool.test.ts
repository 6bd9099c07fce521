/// <reference lib="dom" />
/**
 * The BUILT pool panel (dist/media/pool.js + pool.css) in Debian's Chromium, inside the
 * extension's HTML shell (src/pool/panel-html.ts: same CSP, a nonce) served from 127.0.0.1,
 * with `acquireVsCodeApi` provided by the test. CSP violations, page errors and dialogs fail
 * the test; hostile application names must render as text.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce } from '../../src/panels/html';
import { buildReport } from '../../src/pool/report';
import { appendHistory, historyPoint } from '../../src/pool/history';
import { summarize, type RawServerState } from '../../src/pool/summarize';
import type { HistoryPoint, UpdateMessage } from '../../src/pool/protocol';
import type { ActivityRow } from '../../src/pool/types';
import { buildPoolHtml } from '../../src/pool/panel-html';
import { requirePrerequisite } from '../support/prerequisites';

const ROOT = join(__dirname, '..', '..');
const MEDIA = join(ROOT, 'dist', 'media');
const CHROMIUM = process.env.SQLPERF_CHROMIUM ?? '/usr/bin/chromium';
const skip = requirePrerequisite(existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}`) || requirePrerequisite(existsSync(join(MEDIA, 'pool.js')), 'dist/media/pool.js not built (node esbuild.mjs)');

const EVIL = '<img src=x onerror=alert(1)>';

const row = (o: Partial<ActivityRow> & { pid: number }): ActivityRow => ({
  usename: 'app', application_name: 'web', client_addr: '10.0.0.1', backend_type: 'client backend', state: 'idle',
  backend_age: 600, xact_age: null, query_age: 1, state_age: 1, xmin_age: null, wait_event_type: null, wait_event: null, blocking_pids: [], query: 'SELECT 1', ...o,
});

function message(now: number, history: HistoryPoint[], disconnectedSince: number | null = null): UpdateMessage {
  const raw: RawServerState = {
    versionNum: 160000, description: 'postgres@db/shop', database: 'shop',
    activity: [
      row({ pid: 41, application_name: EVIL, state: 'idle in transaction', state_age: 45, query: `UPDATE t SET x = '${EVIL}'` }),
      row({ pid: 42, state: 'active', query_age: 7, blocking_pids: [41] }),
      row({ pid: 43 }),
      // one of sqlperf's own backends, under a hostile name (application_name is set by any client)
      row({ pid: 44, application_name: `sqlperf ${EVIL}`, state: 'active', query_age: 3, query: `SELECT '${EVIL}'` }),
    ],
    settings: { max_connections: '100', superuser_reserved_connections: '3', reserved_connections: '0', idle_in_transaction_session_timeout: '0 ms' },
    blksHit: 99_000, blksRead: 1000, sessions: 500,
  };
  const server = summarize(raw, { now, ownPool: { total: 2, idle: 1, waiting: 1, max: 3 } });
  const report = buildReport(server, [{ file: `src/${EVIL}.ts`, line: 3, library: 'node-postgres', settings: { max: 200 }, maxConnections: 200 }], {});
  return { type: 'update', label: `prod ${EVIL}`, readOnly: false, report, history: appendHistory(history, historyPoint(server)), disconnectedSince, intervalSeconds: 5 };
}

describe('pool panel in Chromium', { skip }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let base = '';
  const problems: string[] = [];

  before(async () => {
    const nonce = makeNonce();
    const origin = () => base;
    server = createServer((req, res) => {
      if (req.url === '/') {
        res.setHeader('content-type', 'text/html');
        res.end(buildPoolHtml({ cspSource: origin(), nonce, scriptUri: `${origin()}/pool.js`, styleUri: `${origin()}/pool.css` }));
      } else if (req.url === '/pool.js' || req.url === '/pool.css') {
        res.setHeader('content-type', req.url.endsWith('.js') ? 'text/javascript' : 'text/css');
        res.end(readFileSync(join(MEDIA, req.url.slice(1))));
      } else {
        res.statusCode = req.url === '/favicon.ico' ? 204 : 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    // a string, not a function: tsx's transform would put helpers in a serialized function
    await page.addInitScript(`
      window.__posted = [];
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
      window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null'), setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)) });
    `);
    await page.goto(`${base}/`);
  });

  after(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  const post = (m: unknown) => page.evaluate((msg) => window.postMessage(msg, '*'), m);

  it('says ready, renders findings, sparklines and groups, hostile names as text', async () => {
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted[0]), { type: 'ready' });
    let history: HistoryPoint[] = [];
    for (let i = 0; i < 5; i++) {
      const m = message(1_700_000_000_000 + i * 5000, history);
      history = m.history;
      await post(m);
    }
    // messages arrive asynchronously: wait until the fifth snapshot is drawn
    await page.waitForFunction(() => document.querySelector('svg.spark polyline')?.getAttribute('points')?.split(' ').length === 5, undefined, { timeout: 5000 });
    const titles = await page.$$eval('.finding-title', (els) => els.map((e) => e.textContent));
    assert.ok(titles.some((t) => t?.startsWith('your pools can open 200 connections')), titles.join('|'));
    assert.ok(titles.some((t) => t?.includes('idle in transaction')));
    assert.ok(titles.some((t) => t?.includes('pid 42')), 'lock wait');
    const polylines = await page.$$eval('svg.spark polyline', (els) => els.map((e) => e.getAttribute('points')));
    assert.ok(polylines.length >= 5);
    assert.equal(polylines[0]?.split(' ').length, 5, 'one point per snapshot');
    assert.equal(await page.$$eval('img', (els) => els.length), 0, 'no element injected');
    const text = await page.evaluate(() => document.body.textContent ?? '');
    assert.ok(text.includes(EVIL), 'the name shows as text');
    const locks = await page.$eval('#locks', (e) => e.textContent ?? '');
    assert.match(locks, /41/);
    await page.screenshot({ path: join(ROOT, 'test-results', 'pool-panel.png'), fullPage: true }).catch(() => undefined);
  });

  it("shows sqlperf's own pool (open of max, idle, waiting) and its backends, hostile names as text", async () => {
    const own = await page.$eval('#own', (e) => ({
      label: e.querySelector('.own-label')?.textContent,
      total: e.querySelector('.own-total')?.textContent,
      idle: e.querySelector('.own-idle')?.textContent,
      waiting: e.querySelector('.own-waiting')?.textContent,
      waitingWarns: e.querySelector('.own-waiting')?.classList.contains('warning'),
      count: e.querySelector('.own-count')?.textContent,
      rows: [...e.querySelectorAll('tr')].slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      elements: e.querySelectorAll('img, script, [onerror]').length,
    }));
    assert.deepEqual(own, {
      label: `prod ${EVIL}`,
      total: '2 / 3',
      idle: '1',
      waiting: '1',
      waitingWarns: true,
      count: '1 backend(s) on the server named sqlperf',
      rows: [['44', `sqlperf ${EVIL}`, 'active', '3 s', `SELECT '${EVIL}'`]],
      elements: 0,
    });
    await page.$eval('#own', (e) => e.scrollIntoView());
    await page.screenshot({ path: join(ROOT, 'test-results', 'pool-panel-own.png') }).catch(() => undefined);
  });

  it('links post openLocation; terminate posts the pid; refresh posts refresh', async () => {
    await page.click('#app a.location');
    await page.click('button.terminate');
    await page.click('button.refresh');
    const posted = (await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as Array<Record<string, unknown>>;
    assert.deepEqual(posted.slice(-3), [{ type: 'openLocation', file: `src/${EVIL}.ts`, line: 3 }, { type: 'terminate', pid: 41 }, { type: 'refresh' }]);
  });

  it('shows "disconnected since" and recovers; restores from state', async () => {
    // the panel renders on the next frame: wait for the text rather than read it at once
    const statusMatches = (re: string, want: boolean) =>
      page.waitForFunction(([source, expected]) => new RegExp(source as string).test(document.querySelector('.status')?.textContent ?? '') === expected, [re, want] as const, { timeout: 5000 });
    await post(message(1_700_000_100_000, [], 1_700_000_090_000));
    await statusMatches('disconnected since', true);
    await post(message(1_700_000_110_000, []));
    await statusMatches('disconnected', false);
    await page.reload();
    // restored from setState before any message arrives
    await page.waitForSelector('#findings li', { timeout: 5000 });
  });

  it('no CSP violations, page errors or dialogs', async () => {
    const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    assert.deepEqual([...csp, ...problems], []);
  });
});
