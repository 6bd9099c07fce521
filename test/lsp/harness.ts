/**
 * Drives the bundled language server (dist/server.js) over stdio with the real protocol,
 * playing the client: it answers `workspace/configuration` from `settings` (which a test
 * may change at any time), records pushed diagnostics, refresh requests and registrations,
 * and always kills the child process when stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';

export const REPO = join(__dirname, '..', '..');
/** SQLPERF_LSP_SERVER lets a developer point the tests at another build of the server. */
export const SERVER_JS = process.env.SQLPERF_LSP_SERVER ?? join(REPO, 'dist', 'server.js');

export interface StartOptions {
  /** advertise `textDocument/diagnostic` (default true); false = a push-only client */
  pull?: boolean;
  /** advertise `workspace/configuration` (default true) */
  configuration?: boolean;
  /** the `sqlperf` section returned to `workspace/configuration` */
  settings?: Record<string, unknown>;
  initializationOptions?: unknown;
  /** workspace folder paths */
  folders?: string[];
}

export interface Server {
  connection: ProtocolConnection;
  initializeResult: InitializeResult;
  /** mutable: what `workspace/configuration` answers for section `sqlperf` */
  settings: Record<string, unknown>;
  /** every `workspace/configuration` item asked for */
  configurationRequests: Array<{ scopeUri?: string; section?: string }>;
  registrations: Array<{ method: string; registerOptions?: unknown }>;
  refreshCount(): number;
  /** pushed diagnostics per URI, newest last */
  pushed: Map<string, PublishDiagnosticsParams[]>;
  stderr(): string;
  open(uri: string, languageId: string, text: string): TextDocument;
  change(uri: string, changes: TextDocumentContentChangeEvent[]): TextDocument;
  close(uri: string): void;
  document(uri: string): TextDocument;
  pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport>;
  diagnostics(uri: string): Promise<Diagnostic[]>;
  hover(uri: string, line: number, character: number): Promise<Hover | null>;
  codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]>;
  /** resolves with the first push for `uri` (after the call) that satisfies `accept` */
  nextPush(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  stop(): Promise<void>;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export async function startServer(options: StartOptions = {}): Promise<Server> {
  if (!existsSync(SERVER_JS)) throw new Error(`${SERVER_JS} is missing: run \`node esbuild.mjs\` first`);
  const pull = options.pull ?? true;
  const configuration = options.configuration ?? true;
  const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // Requests fail at once when the server dies, instead of waiting for their timeout.
  const exited = new Promise<never>((_, reject) => {
    child.on('exit', (code, signal) => {
      reject(new Error(`server exited (code ${code}, signal ${signal})\nserver stderr:\n${stderr}`));
    });
  });
  exited.catch(() => undefined);
  const request = <T>(p: Promise<T>, what: string, ms = 15_000) => withTimeout(Promise.race([p, exited]), ms, what);
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));

  const docs = new Map<string, TextDocument>();
  const pushed = new Map<string, PublishDiagnosticsParams[]>();
  const pushWaiters: Array<(p: PublishDiagnosticsParams) => boolean> = [];
  const configurationRequests: Server['configurationRequests'] = [];
  const registrations: Server['registrations'] = [];
  let refreshes = 0;

  const server: Partial<Server> = { settings: options.settings ?? {} };
  connection.onRequest('workspace/configuration', (params: { items: Array<{ scopeUri?: string; section?: string }> }) => {
    configurationRequests.push(...params.items);
    return params.items.map((item) => (item.section === 'sqlperf' ? structuredClone(server.settings) : null));
  });
  connection.onRequest('client/registerCapability', (params: { registrations: Array<{ method: string; registerOptions?: unknown }> }) => {
    registrations.push(...params.registrations);
    return null;
  });
  connection.onRequest('workspace/diagnostic/refresh', () => {
    refreshes++;
    return null;
  });
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification('window/logMessage', (p: { message: string }) => {
    stderr += `[log] ${p.message}\n`;
  });
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const list = pushed.get(p.uri) ?? [];
    list.push(p);
    pushed.set(p.uri, list);
    for (let i = pushWaiters.length - 1; i >= 0; i--) if (pushWaiters[i](p)) pushWaiters.splice(i, 1);
  });
  connection.listen();

  const capabilities: ClientCapabilities = {
    textDocument: {
      synchronization: { didSave: false, dynamicRegistration: false },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      codeAction: {
        codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } },
        isPreferredSupport: true,
        dataSupport: true,
      },
      publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
    workspace: {
      configuration,
      workspaceFolders: true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
  };
  const folders = (options.folders ?? []).map((p) => ({ uri: fileUri(p), name: p.split(/[\\/]/).pop() ?? p }));
  let initializeResult: InitializeResult;
  try {
    initializeResult = await request(
      connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: folders[0]?.uri ?? null,
        workspaceFolders: folders.length ? folders : null,
        capabilities,
        initializationOptions: options.initializationOptions,
      }) as Promise<InitializeResult>,
      'initialize',
    );
    await connection.sendNotification('initialized', {});
  } catch (e) {
    kill(child);
    throw e;
  }

  const document = (uri: string) => {
    const d = docs.get(uri);
    if (!d) throw new Error(`not open: ${uri}`);
    return d;
  };

  Object.assign(server, {
    connection,
    initializeResult,
    configurationRequests,
    registrations,
    pushed,
    refreshCount: () => refreshes,
    stderr: () => stderr,
    document,
    open(uri: string, languageId: string, text: string) {
      const doc = TextDocument.create(uri, languageId, 1, text);
      docs.set(uri, doc);
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return doc;
    },
    change(uri: string, changes: TextDocumentContentChangeEvent[]) {
      const old = document(uri);
      const doc = TextDocument.update(old, changes, old.version + 1);
      docs.set(uri, doc);
      void connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: changes });
      return doc;
    },
    close(uri: string) {
      docs.delete(uri);
      void connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    pull(uri: string, previousResultId?: string) {
      return request(
        connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, identifier: 'sqlperf', previousResultId }) as Promise<DocumentDiagnosticReport>,
        'textDocument/diagnostic',
      );
    },
    async diagnostics(uri: string) {
      const report = await server.pull!(uri);
      if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
      return report.items;
    },
    hover(uri: string, line: number, character: number) {
      return request(connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } }) as Promise<Hover | null>, 'hover');
    },
    codeActions(uri: string, diagnostics: Diagnostic[]) {
      const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return request(connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>, 'codeAction');
    },
    nextPush(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000) {
      return new Promise<PublishDiagnosticsParams>((resolve, reject) => {
        const timer = setTimeout(() => {
          const i = pushWaiters.indexOf(waiter);
          if (i >= 0) pushWaiters.splice(i, 1);
          reject(new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(pushed.get(uri) ?? [])}`));
        }, timeoutMs);
        const waiter = (p: PublishDiagnosticsParams) => {
          if (p.uri !== uri || !accept(p)) return false;
          clearTimeout(timer);
          resolve(p);
          return true;
        };
        pushWaiters.push(waiter);
      });
    },
    async stop() {
      try {
        if (child.exitCode === null) {
          await request(connection.sendRequest('shutdown') as Promise<unknown>, 'shutdown', 2_000);
          await connection.sendNotification('exit');
        }
      } catch {
        // the kill below settles it
      } finally {
        connection.dispose();
        kill(child);
      }
    },
  });
  return server as Server;
}

function kill(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Applies a code action's edits for `uri` to a text, as the editor would. */
export function applyAction(doc: TextDocument, action: CodeAction): string {
  const edits: TextEdit[] = action.edit?.changes?.[doc.uri] ?? [];
  return TextDocument.applyEdits(doc, edits);
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
