/**
 * Connections in the editor: settings, secrets, the status bar, the embedded database and
 * the commands. `registerConnections` is the one call activate() makes; it does nothing
 * heavy (no connection, no PGlite) until something acquires the database.
 */
import type * as vscode from 'vscode';
import { registerConnectionCommands } from './commands';
import { ConnectionManager } from './manager';

export { ConnectionManager } from './manager';
export { COMMANDS as CONNECTION_COMMANDS } from './commands';
export type { AcquiredDatabase, ActiveDatabase, CancellationLike, ExplainDefaults } from './types';

export function registerConnections(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): ConnectionManager {
  const manager = new ConnectionManager(context, output);
  context.subscriptions.push(...registerConnectionCommands(manager), { dispose: () => void manager.dispose() });
  return manager;
}
