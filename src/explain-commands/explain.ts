/**
 * The explain commands' VS Code side: find the statement, ask what must be asked
 * (confirmation for ANALYZE of a write, parameter values for ANALYZE), run EXPLAIN with a
 * cancellable progress notification (cancel aborts the signal, which sends
 * pg_cancel_backend), keep the run in the history and show it in the panel. Failures are
 * one message (formatDbError), never a stack.
 */
import * as vscode from 'vscode';
import { DEFAULT_SQL_CALLS, extractEmbedded, isHostLanguage, loadExtractors, type EmbeddedOptions } from '../../server/engine/extract';
import { loadParser } from '../../server/engine/parse/pgquery';
import type { ActiveDatabase } from '../connections/types';
// from the modules themselves, not '../db': its index pulls in node-postgres, which
// src/connections loads only when a server connection is first used
import { checkExplainPolicy, writeConfirmationText } from '../db/analyze-policy';
import { formatDbError, isDbError } from '../db/errors';
import { explainStatement } from '../db/explain-runner';
import { checkStatement, type CheckedStatement } from '../db/statement-check';
import { PlanParseError } from '../explain';
import { buildPayload, runTitle } from '../panels/payload';
import { compareMessage, type PlanPanel } from '../panels/plan-panel';
import type { PlanPayload } from '../panels/protocol';
import { mapPlanToSource } from '../panels/source-map';
import { orderPair, type HistoryRun, type PlanHistory } from './history';
import { pickStatement, type FoundStatement } from './statement-at';

/** Arguments the code lens passes: the document and an offset inside the statement. */
export interface ExplainArgs {
  uri: string;
  offset: number;
}

export function embeddedOptions(uri: vscode.Uri): EmbeddedOptions {
  const calls = vscode.workspace.getConfiguration('sqlperf', uri).get<string[]>('embedded.calls');
  return { calls: Array.isArray(calls) && calls.length ? calls : DEFAULT_SQL_CALLS };
}

export class ExplainController {
  constructor(
    private readonly db: ActiveDatabase,
    private readonly history: PlanHistory,
    private readonly panel: PlanPanel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async explain(analyze: boolean, args?: ExplainArgs): Promise<void> {
    try {
      await this.run(analyze, args);
    } catch (e) {
      this.fail(e);
    }
  }

  private async run(analyze: boolean, args?: ExplainArgs, allowWriteAfter25006 = false): Promise<void> {
    const editor = await this.editorFor(args);
    if (!editor) {
      void vscode.window.showWarningMessage('SQL Perf: open a SQL file (or code that runs SQL) and put the cursor in a statement to explain it.');
      return;
    }
    const doc = editor.document;
    const text = doc.getText();
    const offset = args ? args.offset : doc.offsetAt(editor.selection.start);
    const selEnd = args ? args.offset : doc.offsetAt(editor.selection.end);
    let regions = null;
    if (doc.languageId !== 'sql' && isHostLanguage(doc.languageId)) {
      await loadExtractors();
      regions = extractEmbedded(text, doc.languageId, embeddedOptions(doc.uri));
    } else if (doc.languageId !== 'sql' && offset === selEnd) {
      void vscode.window.showWarningMessage('SQL Perf: Explain works in .sql files and in TypeScript, JavaScript, Python and Go code; elsewhere, select the SQL first.');
      return;
    }
    const pick = pickStatement({ text, selectionStart: offset, selectionEnd: selEnd, regions });
    if (!pick.ok) {
      void vscode.window.showWarningMessage(`SQL Perf: ${pick.message}`);
      return;
    }
    const stmt = pick.statement;
    await loadParser();
    const checked = checkStatement(stmt.sql);

    const db = await this.db.acquire();
    let allowWrite = allowWriteAfter25006;
    if (analyze && checked.writes) {
      if (db.readOnly) {
        const refusal = checkExplainPolicy(checked, { analyze: true, allowWrite: false, readOnlyProfile: true, missingValues: false });
        if (refusal) throw refusal;
      }
      const go = 'Run and Roll Back';
      const answer = await vscode.window.showWarningMessage(`EXPLAIN ANALYZE will execute this ${checked.writeReason ?? 'write'} on ${db.label}.`, { modal: true, detail: writeConfirmationText(checked) }, go);
      if (answer !== go) return;
      allowWrite = true;
    }
    let params: unknown[] | undefined;
    if (analyze && checked.conversion.params.length > 0) {
      params = await askParams(checked);
      if (!params) return;
    }

    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `SQL Perf: ${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} on ${db.label}`, cancellable: true },
      async (progress, token) => {
        progress.report({ message: analyze ? 'running the statement (rolled back afterwards)…' : 'planning…' });
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          return await explainStatement(db.target, stmt.sql, {
            analyze,
            allowWrite,
            readOnlyProfile: db.readOnly,
            params,
            signal: abort.signal,
            ...db.explainDefaults,
          });
        } finally {
          sub.dispose();
        }
      },
    ).then(undefined, async (e: unknown) => {
      if (isDbError(e) && e.code === '25006' && analyze && !db.readOnly && !allowWrite) {
        const again = 'Run Allowing Writes';
        const answer = await vscode.window.showErrorMessage(formatDbError(e), again);
        if (answer === again) await this.run(analyze, { uri: doc.uri.toString(), offset: stmt.start }, true);
        return null;
      }
      if (isDbError(e) && e.position !== undefined) moveTo(editor, stmt, e.position);
      throw e;
    });
    if (!result) return;

    const createdAt = Date.now();
    const run = await this.history.add({
      statement: stmt.sql,
      analyzed: result.analyzed,
      target: db.label,
      plan: result.planJson,
      file: vscode.workspace.asRelativePath(doc.uri),
      line: doc.positionAt(stmt.start).line + 1,
      createdAt,
    });
    const id = run?.id ?? `run-${createdAt.toString(36)}`;
    const payload = buildPayload({
      id,
      title: `${runTitle(result.analyzed, db.label, createdAt)}${result.usedGenericPlan ? ' · generic plan' : ''}`,
      statement: stmt.sql,
      plan: result.planJson,
      analyzed: result.analyzed,
      target: db.label,
      createdAt,
      sourceLinked: true,
    });
    this.log.info(`explained ${vscode.workspace.asRelativePath(doc.uri)}:${doc.positionAt(stmt.start).line + 1} on ${db.label}: ${payload.model.nodes.length} nodes`);
    const map = mapPlanToSource(payload.model, stmt.sql);
    this.panel.show(
      { type: 'show', plan: payload },
      {
        planId: id,
        uri: doc.uri,
        version: doc.version,
        snapshot: text,
        start: stmt.start,
        end: stmt.end,
        toDocument: stmt.toDocument,
        toDocumentEnd: stmt.toDocumentEnd,
        fromDocument: stmt.fromDocument,
        map,
      },
    );
  }

  private async editorFor(args?: ExplainArgs): Promise<vscode.TextEditor | undefined> {
    if (!args || typeof args.uri !== 'string') return vscode.window.activeTextEditor;
    const uri = vscode.Uri.parse(args.uri);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    if (visible) return visible;
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preserveFocus: true });
  }

  // ---- compare ----

  async comparePlans(): Promise<void> {
    try {
      const entries = this.history.all();
      if (!entries.some((e) => e.runs.length)) {
        void vscode.window.showInformationMessage('SQL Perf: no plans to compare yet. Run "SQL Perf: Explain Query" (the last 10 runs of each statement are kept for this workspace).');
        return;
      }
      type Item = vscode.QuickPickItem & { run?: HistoryRun };
      const items: Item[] = [];
      for (const e of entries) {
        if (!e.runs.length) continue;
        items.push({ label: firstLine(e.statement), kind: vscode.QuickPickItemKind.Separator });
        for (const r of e.runs) {
          items.push({
            label: `${r.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} · ${new Date(r.createdAt).toLocaleString()}`,
            description: [r.target, summary(r)].filter(Boolean).join(' · '),
            detail: r.file ? `${r.file}:${r.line ?? ''}  ${firstLine(r.statement)}` : firstLine(r.statement),
            run: r,
          });
        }
      }
      const picked = await vscode.window.showQuickPick(items, {
        canPickMany: true,
        title: 'SQL Perf: Compare Plans',
        placeHolder: 'Pick two runs: the older one is "before"',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return;
      const runs = picked.filter((p) => p.run).map((p) => p.run!);
      if (runs.length !== 2) {
        void vscode.window.showWarningMessage(`SQL Perf: pick exactly two runs to compare (you picked ${runs.length}).`);
        return;
      }
      const [before, after] = orderPair(runs[0], runs[1]);
      this.panel.show(compareMessage(this.payloadOf(before), this.payloadOf(after)));
    } catch (e) {
      this.fail(e);
    }
  }

  private payloadOf(r: HistoryRun): PlanPayload {
    return buildPayload({ id: r.id, title: runTitle(r.analyzed, r.target, r.createdAt), statement: r.statement, plan: r.plan, analyzed: r.analyzed, target: r.target, createdAt: r.createdAt, sourceLinked: false });
  }

  // ---- plan files ----

  async openPlanFile(uri?: vscode.Uri): Promise<void> {
    try {
      if (!(uri instanceof vscode.Uri)) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          openLabel: 'Open Plan',
          title: 'SQL Perf: Open a saved EXPLAIN plan (JSON or text format)',
          filters: { 'EXPLAIN plans': ['json', 'txt', 'plan', 'log'], 'All files': ['*'] },
        });
        if (!picked?.length) return;
        uri = picked[0];
      }
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      const name = uri.path.split('/').pop() ?? 'plan';
      let payload: PlanPayload;
      try {
        payload = buildPayload({ id: `file-${Date.now().toString(36)}`, title: name, statement: null, plan: text, target: null, createdAt: Date.now(), sourceLinked: false });
      } catch (e) {
        if (e instanceof PlanParseError) {
          void vscode.window.showErrorMessage(`SQL Perf: ${name} is not an EXPLAIN plan: ${e.message}`);
          return;
        }
        throw e;
      }
      this.panel.show({ type: 'show', plan: payload });
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    if (isDbError(e)) {
      if (e.kind === 'cancelled') {
        vscode.window.setStatusBarMessage('SQL Perf: explain cancelled', 4000);
        return;
      }
      void vscode.window.showErrorMessage(`SQL Perf: ${formatDbError(e)}`);
      return;
    }
    if (e instanceof PlanParseError) {
      void vscode.window.showErrorMessage(`SQL Perf: the plan could not be read: ${e.message}`);
      return;
    }
    const message = e instanceof Error ? e.message : String(e);
    this.log.error(`explain failed: ${e instanceof Error && e.stack ? e.stack : message}`);
    void vscode.window.showErrorMessage(`SQL Perf: ${message}`);
  }
}

/** Asks a value for each parameter (ANALYZE runs the statement, so it needs real values). */
async function askParams(checked: CheckedStatement): Promise<unknown[] | undefined> {
  const values: unknown[] = [];
  const params = checked.conversion.params;
  for (const [i, p] of params.entries()) {
    const v = await vscode.window.showInputBox({
      title: `EXPLAIN ANALYZE: parameter ${i + 1} of ${params.length}`,
      prompt: `Value for ${p.label}, as text (PostgreSQL converts it to the parameter's type). Leave empty for NULL. Plain EXPLAIN needs no values.`,
      ignoreFocusOut: true,
    });
    if (v === undefined) return undefined;
    values.push(v === '' ? null : v);
  }
  return values;
}

function moveTo(editor: vscode.TextEditor, stmt: FoundStatement, position: number): void {
  const at = editor.document.positionAt(stmt.toDocument(position));
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function firstLine(sql: string): string {
  const line = sql.replace(/\s+/g, ' ').trim();
  return line.length > 90 ? `${line.slice(0, 89)}…` : line;
}

function summary(r: HistoryRun): string {
  try {
    const top = (r.plan as Array<Record<string, unknown>>)[0];
    const exec = top?.['Execution Time'];
    if (typeof exec === 'number') return `${exec.toFixed(2)} ms`;
    const cost = (top?.Plan as Record<string, unknown> | undefined)?.['Total Cost'];
    return typeof cost === 'number' ? `cost ${cost.toFixed(2)}` : '';
  } catch {
    return '';
  }
}
