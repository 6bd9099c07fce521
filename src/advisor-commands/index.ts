/**
 * Registers the Index Advisor view and its commands: one call from activate(). The
 * advisor, the engine and the database code load on the first refresh (dynamic import).
 */
import * as vscode from 'vscode';
import type { ActiveDatabase } from '../connections/types';
import { ADVISOR_OPEN_COMMAND, ADVISOR_VIEW_ID, AdvisorTreeProvider, suggestionOf } from '../views/advisor-tree';

export const ADVISOR_COMMANDS = {
  refresh: 'sqlperf.advisor.refresh',
  copy: 'sqlperf.advisor.copyDefinition',
  open: ADVISOR_OPEN_COMMAND,
} as const;

const FILE_GLOB = '**/*.{sql,ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,build,vendor,.venv,venv,__pycache__}/**';

function threshold(): number {
  const v = vscode.workspace.getConfiguration('sqlperf').get<number>('advisor.threshold', 30);
  return Math.min(95, Math.max(1, v)) / 100;
}

export function registerIndexAdvisor(db: ActiveDatabase, log: vscode.LogOutputChannel): vscode.Disposable {
  const tree = new AdvisorTreeProvider();
  const view = vscode.window.createTreeView(ADVISOR_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  let running: Promise<void> | null = null;

  const refresh = () =>
    (running ??= Promise.resolve(vscode.window
      .withProgress({ location: vscode.ProgressLocation.Notification, title: 'SQL Perf: Index Advisor', cancellable: true }, async (progress, token) => {
        tree.setState({ kind: 'loading' });
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          progress.report({ message: 'connecting' });
          const acquired = await db.acquire(token);
          progress.report({ message: 'finding the workspace queries' });
          const uris = await vscode.workspace.findFiles(FILE_GLOB, EXCLUDE_GLOB, 20_000);
          const [{ workloadOfFiles }, { advise }] = await Promise.all([import('../advisor/workspace'), import('../advisor/advise')]);
          const { queries, problems } = await workloadOfFiles(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
          for (const p of problems) log.warn(`index advisor: cannot read ${p}`);
          const started = Date.now();
          const report = await advise(acquired.target, queries, {
            threshold: threshold(),
            signal: abort.signal,
            progress: (message) => progress.report({ message }),
          });
          for (const n of report.notes) log.info(`index advisor: ${n}`);
          log.info(`index advisor: ${report.suggestions.length} suggestion(s) for ${queries.length} queries on ${acquired.label} in ${Date.now() - started} ms`);
          tree.setState({ kind: 'report', report, source: acquired.label });
        } catch (e) {
          if (token.isCancellationRequested || (e as { kind?: string })?.kind === 'cancelled') {
            tree.setState({ kind: 'idle' });
            return;
          }
          const { formatDbError, isDbError } = await import('../db');
          const message = isDbError(e) ? formatDbError(e) : String((e as Error)?.message ?? e);
          log.error(`index advisor: ${message}`);
          tree.setState({ kind: 'error', message });
        } finally {
          sub.dispose();
        }
      })
      .then(() => undefined))
      .finally(() => (running = null)));

  let refreshedOnce = false;
  const subs: vscode.Disposable[] = [
    tree,
    view,
    view.onDidChangeVisibility((e) => {
      if (e.visible && !refreshedOnce) {
        refreshedOnce = true;
        void refresh();
      }
    }),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.refresh, () => {
      refreshedOnce = true;
      return refresh();
    }),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.copy, async (node: unknown) => {
      const s = suggestionOf(node);
      if (!s) return;
      await vscode.env.clipboard.writeText(s.definition);
      void vscode.window.showInformationMessage(`Copied: ${s.definition}`);
    }),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.open, async (file: string, line: number, column: number) => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const at = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
    }),
  ];
  if (view.visible) {
    refreshedOnce = true;
    void refresh();
  }
  return vscode.Disposable.from(...subs);
}
