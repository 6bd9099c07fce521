/**
 * Registers slow queries and Profile Query: one call from activate(). Nothing heavy runs
 * here; the view shows "Refresh" until asked (or until a refresh on first reveal).
 */
import * as vscode from 'vscode';
import type { ActiveDatabase } from '../connections/types';
import { OPEN_LOCATION_COMMAND, SLOW_VIEW_ID } from '../views/slow-tree';
import { SlowController } from './controller';

export const SLOW_COMMANDS = {
  refresh: 'sqlperf.slowQueries.refresh',
  reset: 'sqlperf.slowQueries.reset',
  order: 'sqlperf.slowQueries.order',
  profile: 'sqlperf.profileQuery',
  openLocation: OPEN_LOCATION_COMMAND,
} as const;

const LANGUAGES = ['sql', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'go'].map((language) => ({ language }));

export function registerSlowQueries(db: ActiveDatabase, log: vscode.LogOutputChannel): vscode.Disposable {
  const controller = new SlowController(db, log);
  const view = vscode.window.createTreeView(SLOW_VIEW_ID, { treeDataProvider: controller.tree, showCollapseAll: true });
  let refreshedOnce = false;
  const subs: vscode.Disposable[] = [
    controller,
    view,
    view.onDidChangeVisibility((e) => {
      if (e.visible && !refreshedOnce) {
        refreshedOnce = true;
        void controller.refresh();
      }
    }),
    vscode.commands.registerCommand(SLOW_COMMANDS.refresh, () => {
      refreshedOnce = true;
      return controller.refresh();
    }),
    vscode.commands.registerCommand(SLOW_COMMANDS.reset, () => controller.reset()),
    vscode.commands.registerCommand(SLOW_COMMANDS.order, () => controller.chooseOrder()),
    vscode.commands.registerCommand(SLOW_COMMANDS.profile, (args?: { uri: string; offset: number }) => controller.profile(args)),
    vscode.commands.registerCommand(OPEN_LOCATION_COMMAND, async (file: string, line: number, column: number) => {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const at = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
    }),
    vscode.languages.registerCodeLensProvider(LANGUAGES, controller),
    vscode.languages.registerCodeActionsProvider(LANGUAGES, controller, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  ];
  if (view.visible) {
    refreshedOnce = true;
    void controller.refresh();
  }
  return vscode.Disposable.from(...subs);
}
