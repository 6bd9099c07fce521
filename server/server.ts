/**
 * The sqlperf language server: LSP wiring only. Everything with logic lives in server/lsp/
 * (and the analysis itself in server/engine/). Works over `--stdio`, `--node-ipc` and
 * `--socket`, whichever the client starts it with.
 */
import {
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  ProposedFeatures,
  TextDocuments,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadParser } from './engine/parse/pgquery';
import { loadExtractors } from './engine/extract';
import { CONFIG_FILE_NAME } from './engine/settings';
import { AnalyzerPool } from './lsp/analyzers';
import { clientFeatures, initialFolders, serverCapabilities, type ClientFeatures } from './lsp/capabilities';
import { codeActions } from './lsp/codeActions';
import { ComplexityLenses } from './lsp/complexityLens';
import { isConfigFileUri } from './lsp/configFile';
import { guarded } from './lsp/guard';
import { hoverAt } from './lsp/hover';
import { PushScheduler } from './lsp/push';
import { DocumentResults } from './lsp/results';
import { SettingsStore, sqlperfSection } from './lsp/settings';
import { folderUri, SchemaService } from './lsp/schema';
import { contributionOf, contributionOfStatements, type FileContribution } from './engine/schema/workspace';
import { uriToPath } from './lsp/folders';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
// Failures go to the error level, everything else (bad settings values) to warnings.
const log = (message: string) => connection.console.error(message);
const warn = (message: string) => connection.console.warn(message);

let features: ClientFeatures = clientFeatures({ capabilities: {}, processId: null, rootUri: null, workspaceFolders: null });

// The parser (and the tree-sitter grammars) load asynchronously once; every request that
// analyzes waits for them. Host languages degrade to "no findings" if the grammars fail.
let hostLanguages = true;
const ready: Promise<void> = Promise.all([
  loadParser(),
  loadExtractors().catch((e: unknown) => {
    hostLanguages = false;
    warn(`sqlperf: embedded SQL disabled, the grammars did not load: ${(e as Error)?.message ?? e}`);
  }),
]).then(() => undefined);
ready.catch((e: unknown) => log(`sqlperf: the SQL parser did not load: ${(e as Error)?.stack ?? e}`));

const settings = new SettingsStore({
  get pull() {
    return features.configuration;
  },
  fetch: (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'sqlperf' }),
  log: warn,
});
// The workspace schema (DDL of the folders' .sql files and of open .sql documents) for the
// schema-aware rules; a change re-checks every open document.
const schemas = new SchemaService({
  maxBytes: async (folder) => {
    try {
      return (await settings.forDocument(`${folderUri(folder)}/schema.sql`)).maxFileSizeKB * 1024;
    } catch {
      return 5120 * 1024;
    }
  },
  changed: () => refresh(),
  log: warn,
});
/** workspace folder paths, for the schema scan */
let folderPaths: string[] = [];
function scanSchema(): void {
  void guarded(log, 'schema scan', undefined, async () => {
    await ready;
    await schemas.scan(folderPaths);
  });
}
const results = new DocumentResults(settings, new AnalyzerPool(), (languageId) => languageId === 'sql' || hostLanguages, () => schemas.schema());

const push = new PushScheduler((uri) =>
  guarded(log, `diagnostics for ${uri}`, undefined, async () => {
    const doc = documents.get(uri);
    if (!doc) return;
    await ready;
    const r = await results.analyze(doc);
    if (documents.get(uri)) await connection.sendDiagnostics({ uri, version: r.version, diagnostics: r.diagnostics });
  }),
);

connection.onInitialize((params): InitializeResult => {
  features = clientFeatures(params);
  settings.folders.set(initialFolders(params));
  folderPaths = initialFolders(params).map(uriToPath).filter((p): p is string => !!p);
  if (!features.configuration) settings.setPushed(sqlperfSection(params.initializationOptions));
  return { capabilities: serverCapabilities(features), serverInfo: { name: 'sqlperf' } };
});

connection.onInitialized(() => {
  void guarded(log, 'registrations', undefined, async () => {
    if (features.dynamicConfiguration) {
      await connection.client.register(DidChangeConfigurationNotification.type, { section: 'sqlperf' });
    }
    if (features.dynamicWatchedFiles) {
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] });
      // .sql files on disk feed the workspace schema (separately: a client may drop one registration)
      await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.sql' }] });
    }
  });
  if (features.workspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      settings.folders.add(e.added.map((f) => f.uri));
      settings.folders.remove(e.removed.map((f) => f.uri));
      settings.invalidateFiles();
      folderPaths = [...new Set([...folderPaths, ...e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p)])];
      refresh();
      if (e.added.length) scanSchema();
    });
  }
  scanSchema();
});

connection.onDidChangeConfiguration((params) => {
  // Clients with `workspace/configuration` are asked again per document; the others send
  // the new values here.
  if (!features.configuration) settings.setPushed(sqlperfSection(params.settings));
  settings.invalidate();
  refresh();
});

connection.onDidChangeWatchedFiles((params) => {
  for (const c of params.changes) {
    if (c.uri.toLowerCase().endsWith('.sql')) void guarded(log, 'schema update', undefined, async () => {
      await ready;
      await schemas.fileChanged(c.uri);
    });
  }
  if (!params.changes.some((c) => isConfigFileUri(c.uri))) return;
  settings.invalidateFiles();
  refresh();
});

documents.onDidChangeContent((e) => {
  if (!features.pullDiagnostics) push.schedule(e.document.uri);
  const uri = e.document.uri;
  if (e.document.languageId === 'sql') {
    // the first version is read at once (opening a DDL file should inform the others quickly)
    const first = e.document.version <= 1;
    ready.then(() => schemas.documentChanged(uri, () => documentDdl(uri), first)).catch((err: unknown) => log(`sqlperf: schema update failed: ${(err as Error)?.stack ?? err}`));
  }
});

/** An open document's DDL, from its latest analysis's statements when it is current. */
function documentDdl(uri: string): FileContribution {
  const doc = documents.get(uri);
  if (!doc) return contributionOf('');
  const r = results.current(doc);
  if (r && r.languageId === 'sql') return r.analysis.skipped ? contributionOf('') : contributionOfStatements(r.analysis.statements);
  const text = doc.getText();
  return text.length > 5120 * 1024 ? contributionOf('') : contributionOf(text);
}

documents.onDidClose((e) => {
  const uri = e.document.uri;
  if (e.document.languageId === 'sql') void guarded(log, 'schema update', undefined, () => schemas.documentClosed(uri));
  settings.forget(uri);
  results.forget(uri);
  if (!features.pullDiagnostics) {
    push.cancel(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  }
});

connection.languages.diagnostics.on((params) =>
  guarded<DocumentDiagnosticReport>(log, 'pull diagnostics', { kind: DocumentDiagnosticReportKind.Full, items: [] }, async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    await ready;
    const r = await results.analyze(doc);
    if (params.previousResultId === r.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: r.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: r.resultId, items: r.diagnostics };
  }),
);

connection.onHover((params) =>
  guarded(log, 'hover', null, async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    await ready;
    return hoverAt(doc, results.current(doc) ?? (await results.analyze(doc)), params.position);
  }),
);

connection.onCodeAction((params) =>
  guarded(log, 'code actions', [], async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    await ready;
    return codeActions(doc, results.current(doc) ?? (await results.analyze(doc)), params);
  }),
);

const complexityLenses = new ComplexityLenses();
connection.onCodeLens((params) =>
  guarded(log, 'code lenses', [], async () => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc || doc.languageId !== 'sql') return [];
    await ready;
    const enabled = (await settings.forDocument(doc.uri)).codeLens.complexity;
    return complexityLenses.lenses(doc, results.current(doc) ?? (await results.analyze(doc)), enabled);
  }),
);

connection.onShutdown(() => {
  push.dispose();
  schemas.dispose();
});

/**
 * Settings or a config file changed: have every open document's diagnostics computed
 * again. Coalesced, because one save can arrive both as a watched-file event and as a
 * configuration change.
 */
let refreshTimer: NodeJS.Timeout | undefined;
function refresh(): void {
  if (refreshTimer) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    if (features.refreshCodeLens) {
      connection.sendRequest(CodeLensRefreshRequest.type).catch((e: unknown) => log(`sqlperf: code lens refresh failed: ${(e as Error)?.message ?? e}`));
    }
    if (features.pullDiagnostics) {
      if (features.refreshDiagnostics) {
        connection.languages.diagnostics.refresh().catch((e: unknown) => log(`sqlperf: diagnostics refresh failed: ${(e as Error)?.message ?? e}`));
      }
    } else {
      for (const doc of documents.all()) push.schedule(doc.uri, 0);
    }
  }, 30);
}

documents.listen(connection);
connection.listen();
