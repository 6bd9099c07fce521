/**
 * Settings per document: the editor's `sqlperf` section (pulled per document scope, or the
 * pushed / initialization settings of clients that cannot be asked), sanitized, merged with
 * the workspace folder's `.sqlperf.json`. Cached per document URI until the client says
 * something changed.
 */
import { mergeSettings, sanitize, type PartialSettings, type SqlperfSettings } from '../engine/settings';
import { ConfigFiles } from './configFile';
import { WorkspaceFolders } from './folders';

export interface SettingsSource {
  /** true when the client answers `workspace/configuration` */
  pull: boolean;
  /** asks the client for the `sqlperf` section scoped to a document */
  fetch(scopeUri: string): Promise<unknown>;
  log(message: string): void;
}

export class SettingsStore {
  readonly folders = new WorkspaceFolders();
  private readonly files: ConfigFiles;
  private readonly perDocument = new Map<string, Promise<SqlperfSettings>>();
  /** editor settings of clients without `workspace/configuration` */
  private pushed: unknown;
  private reportedProblems = new Set<string>();

  constructor(private readonly source: SettingsSource) {
    this.files = new ConfigFiles(source.log);
  }

  /** Settings from `initializationOptions` or a `didChangeConfiguration` payload. */
  setPushed(raw: unknown): void {
    this.pushed = raw;
  }

  forDocument(uri: string): Promise<SqlperfSettings> {
    let entry = this.perDocument.get(uri);
    if (!entry) {
      entry = this.resolve(uri);
      this.perDocument.set(uri, entry);
      // A failed pull must not stick: the next request tries again.
      entry.catch(() => this.perDocument.delete(uri));
    }
    return entry;
  }

  forget(uri: string): void {
    this.perDocument.delete(uri);
  }

  /** Editor settings changed: drop every document's settings. */
  invalidate(): void {
    this.perDocument.clear();
  }

  /** A `.sqlperf.json` changed: re-read the files too. */
  invalidateFiles(): void {
    this.files.clear();
    this.perDocument.clear();
  }

  private async resolve(uri: string): Promise<SqlperfSettings> {
    const editorRaw = this.source.pull ? await this.source.fetch(uri) : this.pushed;
    const editor = this.sanitized(editorRaw, 'editor settings');
    const folder = this.folders.folderOf(uri);
    const file: PartialSettings = folder ? await this.files.forFolder(folder) : {};
    return mergeSettings(editor, file);
  }

  private sanitized(raw: unknown, origin: string): PartialSettings {
    const { settings, problems } = sanitize(raw ?? undefined);
    for (const p of problems) {
      // The same bad value comes back for every document: say it once.
      const key = `${origin}: ${p}`;
      if (!this.reportedProblems.has(key)) {
        this.reportedProblems.add(key);
        this.source.log(`sqlperf: ${key}`);
      }
    }
    return settings;
  }
}

/** Clients put our settings either under `sqlperf` or at the top level of the object. */
export function sqlperfSection(raw: unknown): unknown {
  if (raw && typeof raw === 'object' && 'sqlperf' in raw) return (raw as { sqlperf: unknown }).sqlperf;
  return raw;
}
