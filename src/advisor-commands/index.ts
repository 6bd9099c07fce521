/**
 * Registers the Index Advisor view and its commands: one call from activate(). The
 * advisor, the engine and the database code load on the first refresh (dynamic import).
 *
 * Per suggestion: copy the CREATE INDEX CONCURRENTLY statement, insert it into a new
 * migration file, explain a query it speeds up with the index in place (the plan panel's
 * compare view), dismiss it (remembered per workspace; restore from the "Dismissed" group
 * or "Show Dismissed Suggestions"). `sqlperf.advisor.revealSuggestion` answers the
 * unindexed-filter diagnostic's code action.
 */
import * as vscode from 'vscode';
import type { AdviceReport, Suggestion, WorkloadQuery } from '../advisor/types';
import type { ActiveDatabase } from '../connections/types';
import type { PlanPanel } from '../panels/plan-panel';
import { ADVISOR_OPEN_COMMAND, ADVISOR_VIEW_ID, AdvisorTreeProvider, queryIdOf, suggestionOf } from '../views/advisor-tree';
import { DismissedSuggestions } from './dismissed';
import { defaultMigrationPath, findMigrationFolder, locationsOf, migrationDownText, migrationSlug, migrationText, nextMigration } from './migrations';
import { findSuggestion, parseRevealArgs } from './reveal';

export const ADVISOR_COMMANDS = {
  refresh: 'sqlperf.advisor.refresh',
  copy: 'sqlperf.advisor.copyDefinition',
  open: ADVISOR_OPEN_COMMAND,
  insertMigration: 'sqlperf.advisor.insertMigration',
  explainWithIndex: 'sqlperf.advisor.explainWithIndex',
  dismiss: 'sqlperf.advisor.dismiss',
  restore: 'sqlperf.advisor.restore',
  showDismissed: 'sqlperf.advisor.showDismissed',
  reveal: 'sqlperf.advisor.revealSuggestion',
} as const;

const FILE_GLOB = '**/*.{sql,ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,build,vendor,.venv,venv,__pycache__}/**';

function threshold(): number {
  const v = vscode.workspace.getConfiguration('sqlperf').get<number>('advisor.threshold', 30);
  return Math.min(95, Math.max(1, v)) / 100;
}

const columnsText = (s: Suggestion) => s.candidate.keys.map((k) => k.column ?? k.expression).join(', ');
const relativePath = (file: string) => vscode.workspace.asRelativePath(file, false);

export function registerIndexAdvisor(context: vscode.ExtensionContext, db: ActiveDatabase, log: vscode.LogOutputChannel): vscode.Disposable {
  const dismissed = new DismissedSuggestions(context.workspaceState);
  const tree = new AdvisorTreeProvider(dismissed);
  const view = vscode.window.createTreeView(ADVISOR_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  let running: Promise<void> | null = null;
  let planPanel: PlanPanel | undefined;

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
          const uris = await vscode.workspace.findFiles(FILE_GLOB, EXCLUDE_GLOB, 20_000, token);
          const [{ workloadOfFiles }, { advise }] = await Promise.all([import('../advisor/workspace'), import('../advisor/advise')]);
          const { queries, problems } = await workloadOfFiles(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
          for (const p of problems) log.warn(`index advisor: cannot read ${p}`);
          if (token.isCancellationRequested) throw Object.assign(new Error('cancelled'), { kind: 'cancelled' });
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

  const currentReport = (): { report: AdviceReport; source: string } | undefined => {
    const s = tree.current;
    return s.kind === 'report' ? { report: s.report, source: s.source } : undefined;
  };

  const fail = async (what: string, e: unknown) => {
    const { formatDbError, isDbError } = await import('../db/errors');
    if (isDbError(e) && e.kind === 'cancelled') return;
    const message = isDbError(e) ? formatDbError(e) : String((e as Error)?.message ?? e);
    log.error(`index advisor: ${what}: ${message}`);
    void vscode.window.showErrorMessage(`SQL Perf: ${what}: ${message}`);
  };

  // ---- Insert into new migration ----
  const insertMigration = async (node: unknown) => {
    const s = suggestionOf(node);
    const r = currentReport();
    if (!s || !r) return;
    const folder = vscode.workspace.workspaceFolders?.[0];
    const now = new Date();
    const slug = migrationSlug(s);
    const { formatBytes } = await import('../advisor/housekeeping');
    const rel = (file: string) => (folder ? vscode.workspace.asRelativePath(file, false) : file);
    const up = migrationText(s, {
      where: locationsOf(r.report.queries, rel),
      verifiedOn: `${s.verifiedBy === 'hypopg' ? 'HypoPG hypothetical index' : 'CREATE INDEX in a rolled-back transaction'} on ${r.source}`,
      now,
      sizeText: s.estimatedSizeBytes == null ? undefined : formatBytes(s.estimatedSizeBytes),
    });
    const encode = (t: string) => new TextEncoder().encode(t);
    let target: vscode.Uri | undefined;
    let extra: { uri: vscode.Uri; text: string } | undefined;
    if (folder) {
      const sql = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.sql'), EXCLUDE_GLOB, 20_000);
      const found = findMigrationFolder(sql.map((u) => vscode.workspace.asRelativePath(u, false)));
      if (found) {
        const next = nextMigration(found, slug, now);
        target = vscode.Uri.joinPath(folder.uri, next.files[0].path);
        const down = next.files.find((f) => f.kind === 'down');
        if (down) extra = { uri: vscode.Uri.joinPath(folder.uri, down.path), text: migrationDownText(s) };
        log.info(`index advisor: new migration in ${found.folder} (${found.layout}, ${found.entries.length} existing): ${next.files.map((f) => f.path).join(', ')}`);
      }
    }
    if (!target) {
      target = await vscode.window.showSaveDialog({
        title: 'SQL Perf: No migrations folder found — save the new migration as',
        defaultUri: folder ? vscode.Uri.joinPath(folder.uri, defaultMigrationPath(slug, now)) : undefined,
        filters: { SQL: ['sql'] },
        saveLabel: 'Create Migration',
      });
      if (!target) return;
    }
    try {
      for (const f of [target, extra?.uri]) {
        if (!f) continue;
        const exists = await vscode.workspace.fs.stat(f).then(() => true, () => false);
        if (exists && f !== target) throw new Error(`${relativePath(f.fsPath)} exists already`);
        if (exists) {
          const pick = await vscode.window.showWarningMessage(`${relativePath(f.fsPath)} exists. Replace it?`, { modal: true }, 'Replace');
          if (pick !== 'Replace') return;
        }
      }
      await vscode.workspace.fs.writeFile(target, encode(up));
      if (extra) await vscode.workspace.fs.writeFile(extra.uri, encode(extra.text));
      const doc = await vscode.workspace.openTextDocument(target);
      await vscode.window.showTextDocument(doc, { preview: false });
    } catch (e) {
      await fail('could not write the migration', e);
    }
  };

  // ---- Explain with this index ----
  const explainWithIndexCommand = async (node: unknown) => {
    const s = suggestionOf(node);
    const r = currentReport();
    if (!s || !r) return;
    // a query row: that query; a suggestion row: the query it helps most
    const id = queryIdOf(node) ?? [...s.queries].sort((a, b) => b.costBefore - b.costAfter - (a.costBefore - a.costAfter))[0]?.query;
    const q: WorkloadQuery | undefined = r.report.queries.find((x) => x.id === id);
    if (!q) {
      void vscode.window.showWarningMessage('SQL Perf: the query of this suggestion is no longer in the report; refresh the Index Advisor.');
      return;
    }
    try {
      const acquired = await db.acquire();
      const [{ explainWithIndex, IndexExplainUnavailable }, { buildPayload }, panels] = await Promise.all([
        import('./explain-with-index'),
        import('../panels/payload'),
        import('../panels/plan-panel'),
      ]);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `SQL Perf: explaining with ${columnsText(s)} on ${acquired.label}`, cancellable: true },
        async (_progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          try {
            return await explainWithIndex(acquired.target, q, s.candidate, { signal: abort.signal, timeoutMs: acquired.explainDefaults.timeoutMs, lockTimeoutMs: acquired.explainDefaults.lockTimeoutMs });
          } catch (e) {
            if (e instanceof IndexExplainUnavailable) {
              if (!token.isCancellationRequested) void vscode.window.showWarningMessage(`SQL Perf: ${e.message}`);
              return null;
            }
            throw e;
          } finally {
            sub.dispose();
          }
        },
      );
      if (!result) return;
      const createdAt = Date.now();
      const how = result.mode === 'hypopg' ? 'hypothetical index (HypoPG)' : 'index created and rolled back';
      const generic = result.usedGenericPlan ? ' · generic plan' : '';
      const at = q.locations[0] ? ` · ${relativePath(q.locations[0].file)}:${q.locations[0].line}` : '';
      const before = buildPayload({ id: `advisor-before-${createdAt.toString(36)}`, title: `without the index · ${acquired.label}${at}${generic}`, statement: q.text, plan: result.before, analyzed: false, target: acquired.label, createdAt, sourceLinked: false });
      const after = buildPayload({ id: `advisor-after-${createdAt.toString(36)}`, title: `with (${columnsText(s)}) alone, ${how} · ${acquired.label}${generic}`, statement: `${s.definition}\n\n${q.text}`, plan: result.after, analyzed: false, target: acquired.label, createdAt: createdAt + 1, sourceLinked: false });
      planPanel ??= new panels.PlanPanel(context.extensionUri, {
        log,
        runCommand: (c) => void vscode.commands.executeCommand(c === 'comparePlans' ? 'sqlperf.comparePlans' : 'sqlperf.openPlanFile'),
      });
      planPanel.show(panels.compareMessage(before, after));
      log.info(`index advisor: explained query ${q.id} with ${s.candidate.key}: cost ${before.model.nodes[0]?.totalCost ?? '?'} -> ${after.model.nodes[0]?.totalCost ?? '?'} (${result.mode})`);
    } catch (e) {
      await fail('Explain with this index failed', e);
    }
  };

  // ---- Dismiss / restore ----
  const dismiss = async (node: unknown) => {
    const s = suggestionOf(node);
    if (!s) return;
    await dismissed.dismiss(s);
    tree.refreshView();
    vscode.window.setStatusBarMessage(`SQL Perf: dismissed ${s.candidate.table} (${columnsText(s)}); restore it from "Dismissed" in the Index Advisor`, 5000);
  };
  const restore = async (node: unknown) => {
    const s = suggestionOf(node);
    if (!s) return;
    await dismissed.restore(s.candidate.key);
    tree.refreshView();
  };
  const showDismissed = async () => {
    const all = dismissed.all();
    if (!all.length) {
      void vscode.window.showInformationMessage('SQL Perf: no dismissed index suggestions in this workspace.');
      return;
    }
    const picks = await vscode.window.showQuickPick(
      all.map((e) => ({ label: e.table, description: new Date(e.at).toLocaleString(), detail: e.definition, key: e.key })),
      { canPickMany: true, title: 'SQL Perf: Dismissed index suggestions', placeHolder: 'Pick the suggestions to show again' },
    );
    if (!picks?.length) return;
    for (const p of picks) await dismissed.restore(p.key);
    tree.refreshView();
  };

  // ---- Reveal (from the unindexed-filter diagnostic) ----
  const reveal = async (raw: unknown) => {
    const args = parseRevealArgs(raw);
    if (typeof args === 'string') {
      void vscode.window.showErrorMessage(`SQL Perf: cannot show an index suggestion: ${args}.`);
      return;
    }
    await vscode.commands.executeCommand(`${ADVISOR_VIEW_ID}.focus`);
    refreshedOnce = true;
    if (tree.current.kind !== 'report') await refresh();
    const state = tree.current;
    if (state.kind === 'error') {
      void vscode.window.showErrorMessage(`SQL Perf: the Index Advisor could not run: ${state.message}`);
      return;
    }
    if (state.kind !== 'report') return; // cancelled
    let file: string | undefined;
    if (args.uri) {
      try {
        file = vscode.Uri.parse(args.uri, true).fsPath;
      } catch {
        file = undefined;
      }
    }
    const dismissedKeys = new Set(dismissed.all().map((e) => e.key));
    const found = findSuggestion(state.report, { ...args, file }, { dismissedKeys, threshold: threshold(), source: state.source, relative: relativePath });
    if (found.kind === 'none') {
      void vscode.window.showInformationMessage(`SQL Perf: ${found.reason}`);
      return;
    }
    if (found.kind === 'dismissed') {
      const pick = await vscode.window.showInformationMessage(`SQL Perf: you dismissed the suggestion ${found.suggestion.definition}`, 'Restore It');
      if (pick !== 'Restore It') return;
      await dismissed.restore(found.suggestion.candidate.key);
      tree.refreshView();
    }
    await view.reveal(tree.nodeOf(found.suggestion), { select: true, focus: true, expand: true });
    if (found.kind === 'found' && !found.exact) vscode.window.setStatusBarMessage(`SQL Perf: the closest verified suggestion: (${columnsText(found.suggestion)})`, 6000);
  };

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
    vscode.commands.registerCommand(ADVISOR_COMMANDS.insertMigration, insertMigration),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.explainWithIndex, explainWithIndexCommand),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.dismiss, dismiss),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.restore, restore),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.showDismissed, showDismissed),
    vscode.commands.registerCommand(ADVISOR_COMMANDS.reveal, reveal),
    { dispose: () => planPanel?.dispose() },
  ];
  if (view.visible) {
    refreshedOnce = true;
    void refresh();
  }
  return vscode.Disposable.from(...subs);
}
