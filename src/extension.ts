/**
 * Activation: wires the parts together and nothing else.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { registerConnections, type ConnectionManager } from './connections';
import { registerPoolPanel } from './panels/pool-panel';
import { registerSlowQueries } from './slow-commands';
import { registerIndexAdvisor } from './advisor-commands';
import { registerExplainCommands } from './explain-commands';

let client: LanguageClient | undefined;
let connections: ConnectionManager | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  // A log channel: the language client requires one, and it lands in the logs folder.
  const output = vscode.window.createOutputChannel('SQL Perf', { log: true });
  context.subscriptions.push(output);

  client = createClient(context, output);
  // Not awaited: activation must not wait on the server, and the other features do not
  // need it.
  client.start().then(
    () => output.info(`language server ready in ${Date.now() - started} ms`),
    (e: unknown) => output.error(`sqlperf: the language server did not start: ${(e as Error)?.message ?? e}`),
  );
  // Settings, status bar and commands only; pools and PGlite start on first use.
  connections = registerConnections(context, output);
  // Explain commands, code lens and the plan panel; the parser and grammars load on first use.
  context.subscriptions.push(registerExplainCommands(context, connections, output));
  // Slow Queries view, its code lens and diagnostics, Profile Query; pg_stat_statements is read on first view/refresh.
  context.subscriptions.push(registerSlowQueries(connections, output));
  // Index Advisor view; the advisor, the parser and the database load on the first refresh.
  context.subscriptions.push(registerIndexAdvisor(context, connections, output));
  // Pool diagnostics panel: the command only; nothing is read until the panel opens.
  registerPoolPanel(context, connections, output);
  // The e2e run reads this line to check activation stays fast: keep its wording.
  output.info(`sqlperf activated in ${Date.now() - started} ms`);
}

export function deactivate(): Thenable<void> | undefined {
  const c = client;
  client = undefined;
  const m = connections;
  connections = undefined;
  return Promise.all([c?.stop(), m?.dispose()]).then(() => undefined);
}
