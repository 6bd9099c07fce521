/// <reference lib="dom" />
/**
 * Runs the BUILT plan panel (dist/media/plan.js + plan.css) in Debian's Chromium the way VS
 * Code runs it: the HTML shell from src/panels/html.ts (same CSP, same nonce discipline),
 * served from a local HTTP server on 127.0.0.1, `acquireVsCodeApi` provided by the test
 * (it records postMessage calls and keeps setState), theme variables set through the CSSOM
 * on <html> and the theme class on <body>, as VS Code does. CSP violations, console errors,
 * page errors and dialogs (an injected `alert`) are collected so tests can fail on them.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPanelHtml, makeNonce } from '../../src/panels/html';
import type { HostToWebview } from '../../src/panels/protocol';

export const ROOT = join(__dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env.SQLPERF_CHROMIUM ?? '/usr/bin/chromium';
const MEDIA = join(ROOT, 'dist', 'media');

export function webviewPrerequisite(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(join(MEDIA, 'plan.js'))) return 'dist/media/plan.js not built (node esbuild.mjs)';
  return null;
}

export const LIGHT: Record<string, string> = {
  '--vscode-font-family': 'system-ui, "Segoe UI", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'Consolas, "DejaVu Sans Mono", monospace',
  '--vscode-editor-font-size': '12px',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-descriptionForeground': '#717171',
  '--vscode-editor-background': '#ffffff',
  '--vscode-sideBar-background': '#f8f8f8',
  '--vscode-panel-border': '#e5e5e5',
  '--vscode-focusBorder': '#005fb8',
  '--vscode-textLink-foreground': '#005fb8',
  '--vscode-button-background': '#005fb8',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#e5e5e5',
  '--vscode-button-secondaryForeground': '#3b3b3b',
  '--vscode-input-background': '#ffffff',
  '--vscode-input-foreground': '#3b3b3b',
  '--vscode-input-border': '#cecece',
  '--vscode-badge-background': '#cccccc',
  '--vscode-badge-foreground': '#3b3b3b',
  '--vscode-list-hoverBackground': '#f2f2f2',
  '--vscode-list-activeSelectionBackground': '#e8e8e8',
  '--vscode-list-activeSelectionForeground': '#000000',
  '--vscode-charts-red': '#e51400',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-yellow': '#bf8803',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-blue': '#1a85ff',
  '--vscode-editorWarning-foreground': '#bf8803',
  '--vscode-textCodeBlock-background': '#f8f8f8',
};

export const DARK: Record<string, string> = {
  ...LIGHT,
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-sideBar-background': '#181818',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-list-activeSelectionBackground': '#04395e',
  '--vscode-list-activeSelectionForeground': '#ffffff',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-textCodeBlock-background': '#2b2b2b',
};

export interface PanelPage {
  page: Page;
  /** messages the webview posted to the "host" */
  posted(): Promise<Array<Record<string, unknown>>>;
  /** what the webview last passed to setState */
  state(): Promise<unknown>;
  send(m: HostToWebview): Promise<void>;
  /** CSP violations, console errors, page errors, dialogs */
  problems: string[];
}

export class PanelBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<PanelBrowser> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/' || path === '/index.html') {
        const origin = `http://${req.headers.host}`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(buildPanelHtml({ cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/media/plan.js`, styleUri: `${origin}/media/plan.css` }));
        return;
      }
      const m = /^\/media\/(plan\.(js|css))$/.exec(path);
      if (m) {
        res.writeHead(200, { 'content-type': m[2] === 'js' ? 'text/javascript' : 'text/css' });
        res.end(readFileSync(join(MEDIA, m[1])));
        return;
      }
      // a browser asks for /favicon.ico; a webview does not: answer without an error
      res.writeHead(path === '/favicon.ico' ? 204 : 404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    return new PanelBrowser(browser, server, `http://127.0.0.1:${port}`);
  }

  /** Opens the panel page; `state` is what getState() returns at start (a restored panel). */
  async open(opts: { theme?: 'light' | 'dark'; state?: unknown; width?: number; height?: number } = {}): Promise<PanelPage> {
    const page = await this.browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 } });
    const problems: string[] = [];
    const vars = opts.theme === 'dark' ? DARK : LIGHT;
    const kind = opts.theme === 'dark' ? 'vscode-dark' : 'vscode-light';
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    // A string, not a function: tsx's transform would put helper calls (__name) into a
    // function's source, which does not exist in the page.
    await page.addInitScript(`(() => {
      const state = ${JSON.stringify(opts.state ?? null)};
      const vars = ${JSON.stringify(vars)};
      const kind = ${JSON.stringify(kind)};
      const posted = [];
      const csp = [];
      let saved = state;
      window.__posted = posted;
      window.__csp = csp;
      window.__state = () => saved;
      window.acquireVsCodeApi = () => ({
        postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => saved,
        setState: (s) => { saved = s; },
      });
      document.addEventListener('securitypolicyviolation', (e) => csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample));
      const applyVars = () => { for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v); };
      if (document.documentElement) applyVars();
      else new MutationObserver((_, o) => { if (document.documentElement) { applyVars(); o.disconnect(); } }).observe(document, { childList: true });
      const applyKind = () => document.body.classList.add(kind);
      if (document.body) applyKind();
      else document.addEventListener('DOMContentLoaded', applyKind);
    })();`);
    await page.goto(`${this.origin}/`);
    await page.waitForFunction(() => ((window as unknown as { __posted: Array<{ type: string }> }).__posted ?? []).some((m) => m.type === 'ready'));
    return {
      page,
      problems,
      posted: () => page.evaluate(() => (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted),
      state: () => page.evaluate(() => (window as unknown as { __state: () => unknown }).__state()),
      send: async (m) => {
        await page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown as Record<string, unknown>);
      },
    };
  }

  /** A page with arbitrary HTML (the exported file), collecting the same problems. */
  async openHtml(html: string): Promise<{ page: Page; problems: string[] }> {
    const page = await this.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
    await page.route('http://export.test/', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
    await page.goto('http://export.test/');
    return { page, problems };
  }

  async cspViolations(p: PanelPage): Promise<string[]> {
    return p.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Waits until the webview painted content with this key (plan id, or "before~after"). */
export async function waitRendered(p: PanelPage, key: string): Promise<void> {
  await p.page.waitForFunction((k) => document.body.dataset.rendered === k, key, { timeout: 15_000 });
}
