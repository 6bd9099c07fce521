/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * End-to-end harness: the packaged .vsix in a real VS Code (code-server 4.100 = VS Code
 * 1.100 for the browser), driven through Debian's Chromium with playwright-core.
 *
 * Everything it starts lives in a throwaway folder and is stopped by process id in
 * `stop()`: code-server runs detached in its own process group so its children go too.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

export const ROOT = join(__dirname, '..', '..');
export const RESULTS = join(ROOT, 'test-results');
const VSIX = join(ROOT, 'sqlperf.vsix');
const CHROMIUM = process.env.SQLPERF_CHROMIUM ?? '/usr/bin/chromium';

export interface Workbench {
  page: Page;
  workspace: string;
  userData: string;
  /** milliseconds, read from the extension's own log line */
  activationMs(): Promise<number | null>;
  stop(): Promise<void>;
}

/** Installs code-server if needed (about 1.5 minutes the first time) and returns its entry script. */
export function codeServerEntry(): string {
  if (process.env.SQLPERF_CODE_SERVER_ENTRY) return process.env.SQLPERF_CODE_SERVER_ENTRY;
  const script = join(ROOT, '..', 'shared', 'tools', 'install-code-server.sh');
  if (!existsSync(script)) throw new Error(`code-server installer not found at ${script}; set SQLPERF_CODE_SERVER_ENTRY`);
  const out = execFileSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

export function prerequisitesMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `Chromium not found at ${CHROMIUM} (apt-get install chromium)`;
  if (!existsSync(VSIX)) return `${VSIX} not built (npm run package)`;
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs} ms`);
}

export interface StartOptions {
  /** extra user settings */
  settings?: Record<string, unknown>;
  /** folder copied as the workspace (default: examples/) */
  workspaceFrom?: string;
}

export async function startWorkbench(opts: StartOptions = {}): Promise<Workbench> {
  const entry = codeServerEntry();
  const base = mkdtempSync(join(tmpdir(), 'sqlperf-e2e-'));
  const extensions = join(base, 'extensions');
  const userData = join(base, 'user-data');
  const workspace = join(base, 'workspace');
  mkdirSync(join(userData, 'User'), { recursive: true });
  cpSync(opts.workspaceFrom ?? join(ROOT, 'examples'), workspace, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'workbench.tips.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'editor.codeLens': true,
      'files.autoSave': 'off',
      ...opts.settings,
    }),
  );
  execFileSync(process.execPath, [entry, '--extensions-dir', extensions, '--user-data-dir', userData, '--install-extension', VSIX], { stdio: 'ignore' });

  const port = await freePort();
  const log = join(base, 'code-server.log');
  const child = spawn(
    process.execPath,
    [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', userData, '--extensions-dir', extensions, workspace],
    { detached: true, stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, SQLPERF_E2E: '1' } },
  );
  let browser: Browser | null = null;
  const stop = async () => {
    await browser?.close().catch(() => undefined);
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await new Promise((r) => setTimeout(r, 300));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000, child);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    // The workbench takes a few seconds after it appears before it accepts keys.
    await page.waitForSelector('#status\\.problems', { timeout: 60_000 });
    await page.waitForTimeout(2500);
    void log;
    return {
      page,
      workspace,
      userData,
      activationMs: () => readActivation(userData),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** The extension writes `sqlperf activated in N ms` to its output channel, which lands in the logs folder. */
async function readActivation(userData: string): Promise<number | null> {
  const logs = join(userData, 'logs');
  if (!existsSync(logs)) return null;
  const stack = [logs];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, name.name);
      if (name.isDirectory()) stack.push(p);
      else if (name.name.endsWith('.log')) {
        const m = /sqlperf activated in (\d+) ms/.exec(readFileSync(p, 'utf8'));
        if (m) return Number(m[1]);
      }
    }
  }
  return null;
}

export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 10_000 });
  await page.keyboard.type(relativePath, { delay: 10 });
  await page.waitForTimeout(700);
  await page.keyboard.press('Enter');
  const name = relativePath.split('/').pop()!;
  await page.waitForSelector(`.tab[aria-label^="${name}"], .tab[data-resource-name="${name}"]`, { timeout: 15_000 });
  await page.waitForTimeout(500);
}

export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 10_000 });
  await page.keyboard.type(title, { delay: 10 });
  await page.waitForTimeout(600);
  await page.keyboard.press('Enter');
}

/** Counts from the status bar's problems item, e.g. "Errors: 1, Warnings: 3". */
export async function problemCounts(page: Page): Promise<{ errors: number; warnings: number; infos: number }> {
  const label = (await page.getAttribute('#status\\.problems', 'aria-label')) ?? '';
  const n = (re: RegExp) => Number(re.exec(label)?.[1] ?? 0);
  return { errors: n(/Errors?: (\d+)/i), warnings: n(/Warnings?: (\d+)/i), infos: n(/Infos?: (\d+)/i) };
}

/** Waits until `predicate` holds, polling; returns the last value seen. */
export async function waitFor<T>(read: () => Promise<T>, predicate: (v: T) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!predicate(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 300));
    last = await read();
  }
  return last;
}

/** Squiggles in the visible editor, with the 1-based line each one sits on. */
export async function squiggles(page: Page): Promise<Array<{ kind: string; line: number }>> {
  return page.evaluate(() => {
    const out: Array<{ kind: string; line: number }> = [];
    const editor = document.querySelector('.editor-instance .monaco-editor') ?? document.querySelector('.monaco-editor');
    if (!editor) return out;
    const lineHeight = Number((editor.querySelector('.view-line') as HTMLElement | null)?.style.height.replace('px', '') || 19);
    const lines = [...editor.querySelectorAll('.margin-view-overlays .line-numbers')] as HTMLElement[];
    const tops = lines.map((l) => ({ top: (l.parentElement as HTMLElement).offsetTop, n: Number(l.textContent) }));
    for (const el of editor.querySelectorAll('[class*="squiggly-"]')) {
      const kind = /squiggly-(\w+)/.exec(el.className)?.[1] ?? '';
      const top = (el.parentElement as HTMLElement).offsetTop;
      const hit = tops.find((t) => Math.abs(t.top - top) < lineHeight / 2);
      out.push({ kind, line: hit?.n ?? -1 });
    }
    return out;
  });
}

export async function editorText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.editor-instance .view-lines .view-line')] as HTMLElement[];
    return lines
      .map((l) => ({ top: parseFloat(l.style.top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n');
  });
}

/** Moves the cursor to a 1-based line and column with "Go to Line". */
export async function goTo(page: Page, line: number, column = 1): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 10_000 });
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
}

/** The frame whose document contains `selector` (webviews are nested iframes). */
export async function findFrame(page: Page, selector: string, timeoutMs = 20_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // frame detached while we looked
      }
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no frame contains ${selector}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export function writeWorkspaceFile(wb: Workbench, relativePath: string, text: string): void {
  writeFileSync(join(wb.workspace, relativePath), text);
}
