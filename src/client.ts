/**
 * Starts the sqlperf language client. The server is the bundled dist/server.js in its own
 * Node process (IPC), so a slow analysis never blocks the extension host.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SUPPORTED_LANGUAGES } from '../server/lsp/languages';

export const CLIENT_ID = 'sqlperf';

export function createClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SUPPORTED_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      // The server caches `.sqlperf.json` per folder and drops it on these events.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/.sqlperf.json'),
    },
    outputChannel,
  };
  // The id makes the client honour the `sqlperf.trace.server` setting.
  return new LanguageClient(CLIENT_ID, 'SQL Perf', serverOptions, clientOptions);
}
