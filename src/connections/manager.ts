/**
 * The VS Code side of connections: settings, SecretStorage, the status-bar item, schema
 * files (find, read, watch), progress notifications and schema diagnostics, around the
 * vscode-free ConnectionCore. Nothing heavy happens here until the first acquire().
 */
import * as vscode from 'vscode';
import type { SchemaFile } from '../db';
import { ConnectionCore, type EmbeddedLoad, type ProgressRunner } from './core';
import { LazyPoolRegistry } from './lazy-registry';
import { SCHEMA_DIAGNOSTIC_CODE, SCHEMA_DIAGNOSTIC_SOURCE, schemaDiagnostics } from './schema-diagnostics';
import { profileOfSecretKey, SecretStorageSource } from './secrets';
import { readConnectionSettings, SCHEMA_EXCLUDE_GLOBS, type ConnectionSettings } from './settings';
import { statusBarView, type ConnectionStatus } from './status';
import type { AcquiredDatabase, ActiveDatabase, CancellationLike } from './types';

/** Settings whose change the manager reacts to. */
const WATCHED_SETTINGS = ['sqlperf.connections', 'sqlperf.activeConnection', 'sqlperf.schemaFiles', 'sqlperf.embedded.sampleRows', 'sqlperf.explain'];

/** The most schema files read per glob (a monorepo's thousands of migrations are still fine). */
const MAX_SCHEMA_FILES = 5000;

export const SELECT_CONNECTION_COMMAND = 'sqlperf.selectConnection';

export class ConnectionManager implements ActiveDatabase, vscode.Disposable {
  readonly secrets: SecretStorageSource;
  readonly registry: LazyPoolRegistry;
  readonly core: ConnectionCore;
  private readonly statusItem: vscode.StatusBarItem;
  private readonly diagnostics: vscode.DiagnosticCollection;
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  /** schema file path (as given to the database) -> its URI, from the last search */
  private readonly schemaUris = new Map<string, vscode.Uri>();
  private lastProblemsShown = '';

  constructor(
    context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.secrets = new SecretStorageSource(context.secrets);
    this.registry = new LazyPoolRegistry(this.secrets, {
      log: (m) => output.warn(m),
      onHealthChange: (name, health, reason) => this.core?.healthChanged(name, health, reason),
    });
    this.statusItem = vscode.window.createStatusBarItem('sqlperf.connection', vscode.StatusBarAlignment.Left, 20);
    this.statusItem.name = 'SQL Perf Connection';
    this.statusItem.command = SELECT_CONNECTION_COMMAND;
    this.diagnostics = vscode.languages.createDiagnosticCollection('sqlperf-schema');

    this.core = new ConnectionCore({
      settings: () => this.settings(),
      registry: this.registry,
      findSchemaFiles: (globs) => this.findSchemaFiles(globs),
      withProgress: this.withProgress,
      onStatus: (s) => this.showStatus(s),
      onEmbeddedLoaded: (load) => this.showSchemaProblems(load),
      log: (level, message) => output[level](message),
    });
    this.showStatus(this.core.status);
    this.statusItem.show();
    this.watchSchemaFiles();
    this.reportProfileProblems(false);

    this.disposables.push(
      this.statusItem,
      this.diagnostics,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!WATCHED_SETTINGS.some((s) => e.affectsConfiguration(s))) return;
        if (e.affectsConfiguration('sqlperf.schemaFiles')) this.watchSchemaFiles();
        if (e.affectsConfiguration('sqlperf.connections')) this.reportProfileProblems(true);
        this.core.refresh();
      }),
      // a password changed (here or in another window): the pool must log in again
      context.secrets.onDidChange((e) => {
        const name = profileOfSecretKey(e.key);
        if (name !== undefined) void this.registry.forget(name);
      }),
    );
  }

  settings(): ConnectionSettings {
    const config = vscode.workspace.getConfiguration('sqlperf');
    return readConnectionSettings((key) => config.get(key));
  }

  acquire(token?: CancellationLike): Promise<AcquiredDatabase> {
    return this.core.acquire(token);
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return new vscode.Disposable(this.core.onDidChange(listener).dispose);
  }

  /** Closes the pools and the embedded database; awaited by deactivate(). */
  async dispose(): Promise<void> {
    for (const d of [...this.disposables, ...this.watchers]) d.dispose();
    this.disposables.length = 0;
    this.watchers = [];
    await this.core.dispose();
  }

  // ---- schema files ----

  private async findSchemaFiles(globs: readonly string[]): Promise<SchemaFile[]> {
    const exclude = `{${SCHEMA_EXCLUDE_GLOBS.join(',')}}`;
    const found = new Map<string, vscode.Uri>();
    for (const glob of globs) {
      for (const uri of await vscode.workspace.findFiles(glob, exclude, MAX_SCHEMA_FILES)) found.set(uri.toString(), uri);
    }
    const files: SchemaFile[] = [];
    this.schemaUris.clear();
    const decoder = new TextDecoder('utf-8');
    for (const uri of found.values()) {
      let text: string;
      try {
        text = decoder.decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        this.output.warn(`cannot read schema file ${uri.fsPath}: ${(e as Error)?.message ?? e}`);
        continue;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      this.schemaUris.set(path, uri);
      files.push({ path, text });
    }
    this.output.info(`schema files (${globs.join(', ')}): ${files.length ? files.map((f) => f.path).join(', ') : 'none found'}`);
    return files;
  }

  private watchSchemaFiles(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const excluded = /(^|[\\/])(node_modules|\.git)[\\/]/;
    for (const glob of this.settings().schemaFiles) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const changed = (uri: vscode.Uri) => {
        if (!excluded.test(uri.fsPath)) this.core.scheduleReload(`${vscode.workspace.asRelativePath(uri)} changed`);
      };
      this.watchers.push(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
    }
  }

  private showSchemaProblems(load: EmbeddedLoad): void {
    this.diagnostics.clear();
    const texts = new Map(load.files.map((f) => [f.path, f.text]));
    for (const [file, list] of schemaDiagnostics(load.report.schema.problems, (f) => texts.get(f))) {
      const uri = this.schemaUris.get(file);
      if (!uri) continue;
      this.diagnostics.set(
        uri,
        list.map((d) => {
          const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
          const diagnostic = new vscode.Diagnostic(range, d.message, vscode.DiagnosticSeverity.Warning);
          diagnostic.source = SCHEMA_DIAGNOSTIC_SOURCE;
          diagnostic.code = SCHEMA_DIAGNOSTIC_CODE;
          return diagnostic;
        }),
      );
    }
  }

  // ---- UI ----

  private readonly withProgress: ProgressRunner = (kind, task) =>
    Promise.resolve(
      vscode.window.withProgress(
        {
          location: kind === 'first' ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
          title: kind === 'first' ? 'SQL Perf: preparing the embedded database' : 'SQL Perf: reloading the schema',
          cancellable: kind === 'first',
        },
        async (progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          let done = 0;
          try {
            return await task((message, fraction) => {
              let increment: number | undefined;
              if (fraction !== undefined && fraction > done) {
                increment = (fraction - done) * 100;
                done = fraction;
              }
              progress.report({ message, increment });
            }, abort.signal);
          } finally {
            sub.dispose();
          }
        },
      ),
    );

  private showStatus(s: ConnectionStatus): void {
    const view = statusBarView(s);
    this.statusItem.text = view.text;
    this.statusItem.tooltip = view.tooltip;
    this.statusItem.backgroundColor = view.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  /** Invalid `sqlperf.connections` entries: logged always, shown once per change. */
  private reportProfileProblems(notify: boolean): void {
    const problems = this.settings().problems;
    const text = problems.map((p) => p.message).join('\n');
    if (text === this.lastProblemsShown) return;
    this.lastProblemsShown = text;
    for (const p of problems) this.output[p.severity === 'error' ? 'error' : 'warn'](p.message);
    const errors = problems.filter((p) => p.severity === 'error');
    if (notify && errors.length) {
      void vscode.window.showWarningMessage(`SQL Perf: ${errors[0].message}${errors.length > 1 ? ` (and ${errors.length - 1} more; see the SQL Perf output)` : ''}`);
    }
  }
}
