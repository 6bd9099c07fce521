/**
 * "SQL Perf: Show Pool Diagnostics": the host side. Reads the active database every
 * `sqlperf.pool.refreshIntervalSeconds` while the panel is visible, keeps a short history
 * for the sparklines, scans the workspace for pool configurations (on open and when a host
 * file is saved), and joins both into findings (src/pool). When the server goes away the
 * last report stays, marked "disconnected since ...", and polling goes on until it is back.
 */
import * as vscode from 'vscode';
import type { ActiveDatabase, AcquiredDatabase } from '../connections/types';
import { formatDbError, isDbError } from '../db/errors';
import { findPoolConfigs, loadPoolFinder } from '../pool/app-config';
import { appendHistory, historyPoint } from '../pool/history';
import { ownPoolStats, withOwnPool } from '../pool/own-pool';
import { buildPoolHtml } from '../pool/panel-html';
import { isPgBouncerDatabase, takePgBouncerSnapshot } from '../pool/pgbouncer';
import { parsePoolWebviewMessage, POOL_VIEW_TYPE, type HistoryPoint, type UpdateMessage } from '../pool/protocol';
import { buildReport } from '../pool/report';
import { takeServerSnapshot } from '../pool/server-queries';
import type { AppPoolConfig, PgBouncerSnapshot, ServerSnapshot } from '../pool/types';
import { makeNonce } from './html';

const HOST_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/dist/**,**/.git/**,**/out/**,**/vendor/**}';
const MAX_FILES = 3000;

export function registerPoolPanel(context: vscode.ExtensionContext, db: ActiveDatabase, log: vscode.LogOutputChannel): void {
  let panel: PoolPanel | undefined;
  context.subscriptions.push(
    vscode.commands.registerCommand('sqlperf.showPoolDiagnostics', () => {
      if (!panel || panel.disposed) panel = new PoolPanel(context.extensionUri, db, log);
      panel.reveal();
    }),
    // After a window reload VS Code hands the panel back (activation event
    // onWebviewPanel:sqlperf.poolDiagnostics); the webview shows its saved state at once and
    // the host starts polling again.
    vscode.window.registerWebviewPanelSerializer(POOL_VIEW_TYPE, {
      async deserializeWebviewPanel(restored: vscode.WebviewPanel) {
        panel?.dispose();
        panel = new PoolPanel(context.extensionUri, db, log, restored);
      },
    }),
    { dispose: () => panel?.dispose() },
  );
}

class PoolPanel {
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private history: HistoryPoint[] = [];
  private lastServer: ServerSnapshot | null = null;
  private app: AppPoolConfig[] = [];
  private appScanned = false;
  private disconnectedSince: number | null = null;
  private last: UpdateMessage | null = null;
  private refreshing = false;
  private acquired: AcquiredDatabase | undefined;
  disposed = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly db: ActiveDatabase,
    private readonly log: vscode.LogOutputChannel,
    restored?: vscode.WebviewPanel,
  ) {
    const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
    const options = { enableScripts: true, localResourceRoots: [media] };
    this.panel = restored ?? vscode.window.createWebviewPanel(POOL_VIEW_TYPE, 'SQL Perf: Pool Diagnostics', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, options);
    if (restored) this.panel.webview.options = options;
    const w = this.panel.webview;
    w.html = buildPoolHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'pool.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'pool.css')).toString(),
    });
    this.disposables.push(
      w.onDidReceiveMessage((m) => void this.onMessage(m)),
      this.panel.onDidChangeViewState(() => {
        if (this.panel.visible) void this.refresh();
      }),
      this.panel.onDidDispose(() => this.dispose()),
      db.onDidChange(() => {
        this.acquired = undefined;
        this.history = [];
        this.lastServer = null;
        void this.refresh();
      }),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|py|go)$/.test(d.fileName)) this.appScanned = false;
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sqlperf.pool')) this.schedule();
      }),
    );
    this.schedule();
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
    void this.refresh();
  }

  private config() {
    const c = vscode.workspace.getConfiguration('sqlperf.pool');
    return { interval: Math.max(1, c.get<number>('refreshIntervalSeconds', 5)), instances: Math.max(1, c.get<number>('instances', 1)) };
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.panel.visible) void this.refresh();
    }, this.config().interval * 1000);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = parsePoolWebviewMessage(raw);
    if (!m) return;
    switch (m.type) {
      case 'ready':
        if (this.last) void this.panel.webview.postMessage(this.last);
        void this.refresh();
        break;
      case 'refresh':
        this.appScanned = false;
        void this.refresh();
        break;
      case 'openLocation': {
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder) return;
        const uri = vscode.Uri.joinPath(folder.uri, m.file);
        const pos = new vscode.Position(Math.max(0, m.line - 1), 0);
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
        break;
      }
      case 'terminate':
        await this.terminate(m.pid);
        break;
    }
  }

  private async terminate(pid: number): Promise<void> {
    const a = this.acquired;
    if (!a || a.embedded) return;
    if (a.readOnly) {
      void vscode.window.showWarningMessage(`"${a.label}" is a read-only profile: sqlperf does not terminate backends there.`);
      return;
    }
    const yes = 'Terminate';
    const pick = await vscode.window.showWarningMessage(`Terminate backend ${pid} on ${a.label}? Its transaction is rolled back and its client disconnected.`, { modal: true }, yes);
    if (pick !== yes) return;
    try {
      const r = await a.target.query('SELECT pg_terminate_backend($1::int) AS ok', [pid]);
      if (r.rows[0]?.ok !== true) void vscode.window.showWarningMessage(`Backend ${pid} was not terminated (gone already, or not permitted).`);
    } catch (e) {
      void vscode.window.showErrorMessage(isDbError(e) ? formatDbError(e) : String(e));
    }
    void this.refresh();
  }

  private async scanApp(): Promise<void> {
    if (this.appScanned) return;
    this.appScanned = true;
    try {
      await loadPoolFinder();
      const files = await vscode.workspace.findFiles(HOST_GLOB, EXCLUDE_GLOB, MAX_FILES);
      const found: AppPoolConfig[] = [];
      for (const uri of files) {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        found.push(...findPoolConfigs(text, vscode.workspace.asRelativePath(uri, false)));
      }
      this.app = found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    } catch (e) {
      this.log.warn(`pool diagnostics: workspace scan failed: ${(e as Error)?.message ?? e}`);
    }
  }

  async refresh(): Promise<void> {
    if (this.refreshing || this.disposed) return;
    this.refreshing = true;
    void this.panel.webview.postMessage({ type: 'busy', busy: true });
    try {
      await this.scanApp();
      let server: ServerSnapshot | null = this.lastServer;
      let pgbouncer: PgBouncerSnapshot | null | undefined;
      let serverError: string | undefined;
      try {
        this.acquired ??= await this.db.acquire();
        const a = this.acquired;
        if (a.embedded) {
          serverError = 'The embedded database has no clients to diagnose: choose a server connection (SQL Perf: Select Connection).';
          server = null;
        } else if (isPgBouncerDatabase(a.target.description.split('/').pop() ?? '')) {
          pgbouncer = await takePgBouncerSnapshot(a.target);
          server = null;
        } else {
          server = withOwnPool(await takeServerSnapshot(a.target, { previous: this.lastServer }), ownPoolStats(a.target));
          this.lastServer = server;
          this.history = appendHistory(this.history, historyPoint(server));
        }
        this.disconnectedSince = null;
      } catch (e) {
        if (isDbError(e) && e.kind === 'cancelled') return;
        this.disconnectedSince ??= Date.now();
        serverError = isDbError(e) ? formatDbError(e) : String((e as Error)?.message ?? e);
      }
      const { instances, interval } = this.config();
      const report = buildReport(server, this.app, { instances, serverError, pgbouncer });
      this.last = {
        type: 'update',
        label: this.acquired?.label ?? 'no connection',
        readOnly: this.acquired ? this.acquired.readOnly || this.acquired.embedded : true,
        report,
        history: this.history,
        disconnectedSince: this.disconnectedSince,
        intervalSeconds: interval,
      };
      void this.panel.webview.postMessage(this.last);
    } finally {
      this.refreshing = false;
      void this.panel.webview.postMessage({ type: 'busy', busy: false });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
