/**
 * "Explain Query" in the editor: the commands (Explain, Explain Analyze, Compare Plans,
 * Open Plan File, Export Plan as HTML), the "Explain" code lens above statements, the plan
 * history and the plan panel. `registerExplainCommands` is the one call activate() makes;
 * nothing heavy happens until a command runs (the parser, the tree-sitter grammars and the
 * database load on first use).
 */
import * as vscode from 'vscode';
import { PLAN_VIEW_TYPE, type ContentMessage } from '../panels/protocol';
import { PANEL_ACTIVE_CONTEXT, PlanPanel } from '../panels/plan-panel';
import type { ActiveDatabase } from '../connections/types';
import { ExplainLensProvider, LENS_LANGUAGES } from './codelens';
import { ExplainController, type ExplainArgs } from './explain';
import { PlanHistory } from './history';

/** Stable command ids (package.json contributes.commands). */
export const EXPLAIN_COMMANDS = {
  explain: 'sqlperf.explainQuery',
  explainAnalyze: 'sqlperf.explainAnalyzeQuery',
  compare: 'sqlperf.comparePlans',
  openPlanFile: 'sqlperf.openPlanFile',
  exportHtml: 'sqlperf.exportPlanHtml',
} as const;

export function registerExplainCommands(context: vscode.ExtensionContext, db: ActiveDatabase, log: vscode.LogOutputChannel): vscode.Disposable {
  const history = new PlanHistory(context.workspaceState);
  const panel = new PlanPanel(context.extensionUri, {
    log,
    runCommand: (c) => void vscode.commands.executeCommand(c === 'comparePlans' ? EXPLAIN_COMMANDS.compare : EXPLAIN_COMMANDS.openPlanFile),
  });
  const controller = new ExplainController(db, history, panel, log);
  const lenses = new ExplainLensProvider(EXPLAIN_COMMANDS.explain, EXPLAIN_COMMANDS.explainAnalyze);
  const subs: vscode.Disposable[] = [
    panel,
    lenses,
    vscode.commands.registerCommand(EXPLAIN_COMMANDS.explain, (args?: ExplainArgs) => controller.explain(false, args)),
    vscode.commands.registerCommand(EXPLAIN_COMMANDS.explainAnalyze, (args?: ExplainArgs) => controller.explain(true, args)),
    vscode.commands.registerCommand(EXPLAIN_COMMANDS.compare, () => controller.comparePlans()),
    vscode.commands.registerCommand(EXPLAIN_COMMANDS.openPlanFile, (uri?: vscode.Uri) => controller.openPlanFile(uri)),
    vscode.commands.registerCommand(EXPLAIN_COMMANDS.exportHtml, () => panel.requestExport()),
    vscode.languages.registerCodeLensProvider(LENS_LANGUAGES.map((language) => ({ language })), lenses),
    vscode.window.registerWebviewPanelSerializer(PLAN_VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const content = (state as { content?: ContentMessage } | undefined)?.content ?? null;
        panel.adopt(webviewPanel, content);
      },
    }),
  ];
  void vscode.commands.executeCommand('setContext', PANEL_ACTIVE_CONTEXT, false);
  return vscode.Disposable.from(...subs);
}
