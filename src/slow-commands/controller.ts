/**
 * The VS Code edge of slow queries: the view, the code lens, the `slow-in-production`
 * diagnostic with its quick actions, refresh / reset / order, and Profile Query. The heavy
 * parts (libpg-query, tree-sitter, the pg driver) load on first use.
 */
import * as vscode from 'vscode';
import type { ActiveDatabase } from '../connections/types';
import type { SlowEntry, WorkspaceStatement } from '../slow/types';
import { lensTitle, formatMs, formatCount } from '../slow/format';
import { SLOW_ORDERS, type SlowOrder } from '../slow/types';
import { SlowTreeProvider } from '../views/slow-tree';
import { readSlowSettings, slowSeverity, type SlowSettings } from './settings';

type SlowModule = typeof import('../slow');
let slowModule: Promise<SlowModule> | null = null;
const loadSlow = (): Promise<SlowModule> => (slowModule ??= import('../slow'));

export const DIAGNOSTIC_CODE = 'slow-in-production';
const LANGUAGES = ['sql', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go'];
const FILE_GLOB = '**/*.{sql,ts,tsx,mts,cts,js,jsx,mjs,cjs,py,go}';
const EXCLUDE_GLOB = '**/{node_modules,.git,dist,out,build,vendor,.venv,venv,__pycache__}/**';

function settings(): SlowSettings {
  const c = vscode.workspace.getConfiguration('sqlperf');
  return readSlowSettings((k) => c.get(k));
}

export class SlowController implements vscode.CodeLensProvider, vscode.CodeActionProvider, vscode.Disposable {
  readonly tree = new SlowTreeProvider();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('sqlperf-slow');
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  /** all entries read (not only the shown ones), by fingerprint */
  private byKey = new Map<string, SlowEntry>();
  private refreshing: Promise<void> | null = null;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly db: ActiveDatabase,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(
      this.db.onDidChange(() => this.clear()),
      vscode.workspace.onDidChangeTextDocument((e) => this.updateDocument(e.document)),
      vscode.workspace.onDidOpenTextDocument((d) => this.updateDocument(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sqlperf.slowQueries')) void this.refresh();
      }),
    );
  }

  private clear(): void {
    this.byKey.clear();
    this.diagnostics.clear();
    this.tree.setState({ kind: 'idle' });
    this.lensChanged.fire();
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const s = settings();
    this.tree.setState({ kind: 'loading' });
    await vscode.window.withProgress({ location: { viewId: 'sqlperf.slowQueries' }, title: 'Reading pg_stat_statements' }, async () => {
      const slow = await loadSlow();
      try {
        const acquired = await this.db.acquire();
        const stats = await slow.readStatStatements(acquired.target);
        const uris = await vscode.workspace.findFiles(FILE_GLOB, EXCLUDE_GLOB, 20_000);
        const scan = await slow.scanFiles(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
        for (const p of scan.problems) this.log.warn(`slow queries: cannot read ${p}`);
        const all = slow.matchStatements(stats.rows, scan.statements, { order: s.order });
        this.byKey = new Map(all.map((e) => [e.key, e]));
        this.tree.setState({ kind: 'entries', entries: all.slice(0, s.limit), source: acquired.label, hidden: stats.hidden });
        this.log.info(`slow queries: ${stats.rows.length} statements read from ${acquired.label}, ${all.filter((e) => e.locations.length).length} found in the workspace`);
      } catch (e) {
        this.byKey.clear();
        if (slow.isSlowQueriesUnavailable(e)) {
          this.tree.setState({ kind: 'message', message: e.message, steps: e.steps });
        } else if (isDbErrorLike(e)) {
          if (e.kind === 'cancelled') this.tree.setState({ kind: 'idle' });
          else this.tree.setState({ kind: 'message', message: e.message, steps: e.hint ? [e.hint] : [] });
        } else {
          this.log.error(`slow queries: ${(e as Error)?.stack ?? e}`);
          this.tree.setState({ kind: 'message', message: `Could not read pg_stat_statements: ${(e as Error)?.message ?? e}`, steps: [] });
        }
      }
    });
    for (const d of vscode.workspace.textDocuments) await this.updateDocument(d);
    // after the documents were analyzed once (grammars loaded): the lens request is then quick
    this.lensChanged.fire();
  }

  /** Statements of an open document with their entry (live text, so edits keep the lens in place). */
  private async matched(document: vscode.TextDocument): Promise<Array<{ statement: WorkspaceStatement; entry: SlowEntry }>> {
    if (this.byKey.size === 0 || !LANGUAGES.includes(document.languageId)) return [];
    const slow = await loadSlow();
    await slow.loadSlowEngine();
    const { Analyzer } = await import('../../server/engine/analyze');
    const { mergeSettings } = await import('../../server/engine/settings');
    const statements = slow.statementsOfText(new Analyzer(mergeSettings({}, {})), document.uri.fsPath, document.getText(), document.languageId);
    const out: Array<{ statement: WorkspaceStatement; entry: SlowEntry }> = [];
    for (const statement of statements) {
      const entry = statement.fingerprint ? this.byKey.get(statement.fingerprint) : undefined;
      if (entry) out.push({ statement, entry });
    }
    return out;
  }

  private async updateDocument(document: vscode.TextDocument): Promise<void> {
    if (!LANGUAGES.includes(document.languageId)) return;
    if (this.byKey.size === 0) {
      this.diagnostics.delete(document.uri);
      return;
    }
    const s = settings();
    const list: vscode.Diagnostic[] = [];
    for (const { statement, entry } of await this.matched(document)) {
      const severity = slowSeverity(entry.meanTimeMs, s);
      if (!severity) continue;
      const range = new vscode.Range(document.positionAt(statement.start), document.positionAt(statement.end));
      const d = new vscode.Diagnostic(
        range,
        `In production: mean ${formatMs(entry.meanTimeMs)} over ${formatCount(entry.calls)} calls (${(entry.shareOfTotal * 100).toFixed(1)}% of total time), from pg_stat_statements.`,
        severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
      );
      d.source = 'sqlperf';
      d.code = DIAGNOSTIC_CODE;
      list.push(d);
    }
    this.diagnostics.set(document.uri, list);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!settings().codeLens) return [];
    return (await this.matched(document)).map(({ statement, entry }) => {
      const at = document.positionAt(statement.start);
      return new vscode.CodeLens(new vscode.Range(at, at), {
        title: `$(pulse) ${lensTitle(entry)}`,
        tooltip: 'From pg_stat_statements (SQL Perf: Slow Queries). Click to profile this statement.',
        command: 'sqlperf.profileQuery',
        arguments: [{ uri: document.uri.toString(), offset: statement.start }],
      });
    });
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.code !== DIAGNOSTIC_CODE) continue;
      const args = { uri: document.uri.toString(), offset: document.offsetAt(d.range.start) };
      const explain = new vscode.CodeAction('Explain this statement', vscode.CodeActionKind.QuickFix);
      explain.command = { title: 'Explain', command: 'sqlperf.explainQuery', arguments: [args] };
      explain.diagnostics = [d];
      const profile = new vscode.CodeAction('Profile this statement', vscode.CodeActionKind.QuickFix);
      profile.command = { title: 'Profile', command: 'sqlperf.profileQuery', arguments: [args] };
      profile.diagnostics = [d];
      out.push(explain, profile);
    }
    return out;
  }

  async reset(): Promise<void> {
    const slow = await loadSlow();
    try {
      const acquired = await this.db.acquire();
      if (acquired.readOnly) {
        void vscode.window.showWarningMessage(`Connection "${acquired.label}" is marked read-only; sqlperf does not reset pg_stat_statements on it.`);
        return;
      }
      const answer = await vscode.window.showWarningMessage(slow.RESET_CONFIRMATION, { modal: true }, 'Reset');
      if (answer !== 'Reset') return;
      await slow.resetStatStatements(acquired.target, { readOnlyProfile: acquired.readOnly, confirmed: true });
      await this.refresh();
    } catch (e) {
      this.showError(slow, e);
    }
  }

  async chooseOrder(): Promise<void> {
    const labels: Record<SlowOrder, string> = { total: 'Total time', mean: 'Mean time', calls: 'Calls', rows: 'Rows', reads: 'Shared blocks read' };
    const current = settings().order;
    const pick = await vscode.window.showQuickPick(
      SLOW_ORDERS.map((o) => ({ label: labels[o], description: o === current ? 'current' : undefined, order: o })),
      { title: 'Order slow queries by' },
    );
    if (pick) await vscode.workspace.getConfiguration('sqlperf').update('slowQueries.order', pick.order, vscode.ConfigurationTarget.Global);
  }

  async profile(args?: { uri: string; offset: number }): Promise<void> {
    const slow = await loadSlow();
    try {
      const picked = await pickStatementAt(args);
      if (!picked) return;
      const acquired = await this.db.acquire();
      const { checkStatement } = await import('../db/statement-check');
      const { writeConfirmationText } = await import('../db/analyze-policy');
      const stmt = checkStatement(picked);
      let params: string[] | undefined;
      if (stmt.conversion.params.length) {
        params = [];
        for (const p of stmt.conversion.params) {
          const v = await vscode.window.showInputBox({ title: 'Profile Query', prompt: `Value for ${p.label} (profiling runs the statement, so it needs values)` });
          if (v === undefined) return;
          params.push(v);
        }
      }
      let allowWrite = false;
      if (stmt.writes) {
        if (acquired.readOnly) {
          void vscode.window.showWarningMessage(`Connection "${acquired.label}" is marked read-only, and profiling would execute ${stmt.writeReason ?? 'a write'}.`);
          return;
        }
        const ok = await vscode.window.showWarningMessage(`Profile runs this statement ${settings().profileRuns + 1} times. ${writeConfirmationText(stmt)}`, { modal: true }, 'Run and roll back');
        if (ok !== 'Run and roll back') return;
        allowWrite = true;
      }
      const runs = settings().profileRuns;
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'SQL Perf: profiling', cancellable: true },
        (progress, token) => {
          const ac = new AbortController();
          token.onCancellationRequested(() => ac.abort());
          return slow.profileStatement(acquired.target, picked, {
            runs,
            allowWrite,
            readOnlyProfile: acquired.readOnly,
            params,
            signal: ac.signal,
            ...acquired.explainDefaults,
            onProgress: (i, n) => progress.report({ message: i === 0 ? 'warm-up run' : `run ${i} of ${n}`, increment: i === 0 ? 0 : 100 / n }),
          });
        },
      );
      const { parsePlan, renderPlanText } = await import('../explain');
      let planText = '';
      try {
        planText = renderPlanText(parsePlan(result.planJson));
      } catch {
        planText = JSON.stringify(result.planJson, null, 2);
      }
      const doc = await vscode.workspace.openTextDocument({
        language: 'markdown',
        content: profileMarkdown(picked, acquired.label, slow.formatProfileText(result), planText),
      });
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    } catch (e) {
      this.showError(slow, e);
    }
  }

  private showError(slow: SlowModule, e: unknown): void {
    if (slow.isSlowQueriesUnavailable(e)) {
      void vscode.window.showWarningMessage(`${e.message} ${e.steps.join(' ')}`);
      return;
    }
    if (isDbErrorLike(e)) {
      if (e.kind !== 'cancelled') void vscode.window.showErrorMessage(e.hint ? `${e.message} ${e.hint}` : e.message);
      return;
    }
    this.log.error(`sqlperf: ${(e as Error)?.stack ?? e}`);
    void vscode.window.showErrorMessage(`SQL Perf: ${(e as Error)?.message ?? e}`);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.diagnostics.dispose();
    this.lensChanged.dispose();
    this.tree.dispose();
  }
}

function isDbErrorLike(e: unknown): e is { kind: string; message: string; hint: string } {
  return e instanceof Error && e.name === 'DbError';
}

/** The statement at the cursor (or at args' offset): the selection, the .sql statement, or the embedded SQL. */
async function pickStatementAt(args?: { uri: string; offset: number }): Promise<string | undefined> {
  let document: vscode.TextDocument;
  let start: number;
  let end: number;
  if (args) {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
    start = end = args.offset;
  } else {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Open a file and put the cursor in a SQL statement to profile it.');
      return undefined;
    }
    document = editor.document;
    start = document.offsetAt(editor.selection.start);
    end = document.offsetAt(editor.selection.end);
  }
  const [{ pickStatement }, extract, { loadParser }] = await Promise.all([
    import('../explain-commands/statement-at'),
    import('../../server/engine/extract'),
    import('../../server/engine/parse/pgquery'),
  ]);
  await Promise.all([loadParser(), extract.loadExtractors()]);
  const languageId = document.languageId;
  const calls = vscode.workspace.getConfiguration('sqlperf', document.uri).get<string[]>('embedded.calls');
  const text = document.getText();
  const regions = extract.isHostLanguage(languageId) ? extract.extractEmbedded(text, languageId, { calls: Array.isArray(calls) && calls.length ? calls : extract.DEFAULT_SQL_CALLS }) : null;
  const r = pickStatement({ text, selectionStart: start, selectionEnd: end, regions });
  if (!r.ok) {
    void vscode.window.showInformationMessage(r.message);
    return undefined;
  }
  return r.statement.sql;
}

function profileMarkdown(sql: string, target: string, figures: string, plan: string): string {
  return [
    '# Profile Query',
    '',
    `On **${target}**:`,
    '',
    '```sql',
    sql.trim(),
    '```',
    '',
    '```text',
    figures.trimEnd(),
    '```',
    '',
    '## Plan of the last run',
    '',
    '```text',
    plan.trimEnd(),
    '```',
    '',
  ].join('\n');
}
