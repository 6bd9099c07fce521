/**
 * What the client can do, read once from `initialize`, and what the server offers in return.
 */
import { CodeActionKind, TextDocumentSyncKind, type InitializeParams, type ServerCapabilities } from 'vscode-languageserver/node';

export const DIAGNOSTIC_IDENTIFIER = 'sqlperf';

export interface ClientFeatures {
  /** `textDocument/diagnostic`; without it (e.g. Neovim before 0.10) we push */
  pullDiagnostics: boolean;
  /** `workspace/diagnostic/refresh` */
  refreshDiagnostics: boolean;
  /** `workspace/configuration` */
  configuration: boolean;
  dynamicConfiguration: boolean;
  dynamicWatchedFiles: boolean;
  workspaceFolders: boolean;
  /** `workspace/codeLens/refresh` */
  refreshCodeLens: boolean;
}

export function clientFeatures(params: InitializeParams): ClientFeatures {
  const c = params.capabilities;
  return {
    pullDiagnostics: !!c.textDocument?.diagnostic,
    refreshDiagnostics: !!c.workspace?.diagnostics?.refreshSupport,
    configuration: !!c.workspace?.configuration,
    dynamicConfiguration: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    dynamicWatchedFiles: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!c.workspace?.workspaceFolders,
    refreshCodeLens: !!c.workspace?.codeLens?.refreshSupport,
  };
}

export function serverCapabilities(features: ClientFeatures): ServerCapabilities {
  const caps: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    hoverProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    codeLensProvider: { resolveProvider: false },
  };
  if (features.pullDiagnostics) {
    caps.diagnosticProvider = { identifier: DIAGNOSTIC_IDENTIFIER, interFileDependencies: false, workspaceDiagnostics: false };
  }
  if (features.workspaceFolders) {
    caps.workspace = { workspaceFolders: { supported: true, changeNotifications: true } };
  }
  return caps;
}

/** Workspace folder URIs from `initialize`, falling back to the deprecated root fields. */
export function initialFolders(params: InitializeParams): string[] {
  if (params.workspaceFolders?.length) return params.workspaceFolders.map((f) => f.uri);
  if (params.rootUri) return [params.rootUri];
  return [];
}
