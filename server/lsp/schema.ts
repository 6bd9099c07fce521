/**
 * The workspace schema for the language server: the DDL of every `.sql` file under the
 * workspace folders (read in the background at startup, then kept current from file-watch
 * events) and of open `.sql` documents, whose live text wins over the file on disk. One
 * contribution per file (engine/schema/workspace.ts), so a change costs that file only.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Schema } from '../engine/schema/model';
import { WorkspaceSchema, type FileContribution } from '../engine/schema/workspace';
import { uriToPath } from './folders';

/** directories never worth reading */
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'target', 'vendor', '.venv', 'venv', '__pycache__']);
/** how long an open document's edits wait before its DDL is read again */
const EDIT_DELAY_MS = 150;

export interface SchemaServiceOptions {
  /** largest file read, in bytes (setting maxFileSizeKB) */
  maxBytes: (folder: string) => Promise<number>;
  /** the schema changed: diagnostics should be refreshed */
  changed: () => void;
  log: (message: string) => void;
}

export class SchemaService {
  private readonly ws = new WorkspaceSchema();
  /** open documents (by key): their text, not the disk's, is the contribution */
  private readonly open = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private scans = 0;

  constructor(private readonly options: SchemaServiceOptions) {}

  schema(): Schema | undefined {
    return this.ws.schema();
  }

  /** Reads every `.sql` file under the folders, yielding between files so requests go first. */
  async scan(folders: readonly string[]): Promise<void> {
    const scan = ++this.scans;
    let changed = false;
    for (const folder of folders) {
      const maxBytes = await this.options.maxBytes(folder);
      for await (const file of sqlFiles(folder)) {
        if (scan !== this.scans) return; // a newer scan took over
        if (this.open.has(file)) continue;
        const text = await readSmall(file, maxBytes);
        if (text !== undefined && this.ws.set(file, text)) changed = true;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (changed) this.options.changed();
  }

  /** An open `.sql` document changed (or was opened); `contribution` reads its DDL when the edits pause. */
  documentChanged(uri: string, contribution: () => FileContribution, immediate = false): void {
    const key = keyOf(uri);
    this.open.add(key);
    const run = () => {
      this.timers.delete(key);
      if (this.open.has(key) && this.ws.setContribution(key, contribution())) this.options.changed();
    };
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    if (immediate) run();
    else this.timers.set(key, setTimeout(run, EDIT_DELAY_MS));
  }

  /** An open document closed: the file on disk (if any) is the contribution again. */
  async documentClosed(uri: string): Promise<void> {
    const key = keyOf(uri);
    this.open.delete(key);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    await this.reload(key, uri);
  }

  /** A watched file was created, changed or deleted on disk. */
  async fileChanged(uri: string): Promise<void> {
    const key = keyOf(uri);
    if (!key.toLowerCase().endsWith('.sql') || this.open.has(key)) return;
    await this.reload(key, uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.scans++;
  }

  private async reload(key: string, uri: string): Promise<void> {
    const file = uriToPath(uri);
    const text = file ? await readSmall(file, await this.options.maxBytes(path.dirname(file))) : undefined;
    const changed = text === undefined ? this.ws.delete(key) : this.ws.set(key, text);
    if (changed) this.options.changed();
  }
}

/** Files are keyed by path (URIs spell one path several ways); other schemes by URI. */
function keyOf(uri: string): string {
  return uriToPath(uri) ?? uri;
}

async function readSmall(file: string, maxBytes: number): Promise<string | undefined> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function* sqlFiles(dir: string, depth = 0): AsyncGenerator<string> {
  if (depth > 20) return;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) yield* sqlFiles(full, depth + 1);
    } else if (e.isFile() && e.name.toLowerCase().endsWith('.sql')) yield full;
  }
}

export function folderUri(folder: string): string {
  return pathToFileURL(folder).href;
}
