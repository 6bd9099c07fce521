/**
 * Workspace folders and which one a document belongs to. URIs are compared as file-system
 * paths, because clients spell the same folder differently (VS Code percent-encodes the
 * drive colon, other clients do not).
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

export class WorkspaceFolders {
  private paths: string[] = [];

  set(uris: string[]): void {
    this.paths = [];
    this.add(uris);
  }

  add(uris: string[]): void {
    // Longest first, so nested folders win over their parents.
    const added = uris.map(uriToPath).filter((p): p is string => !!p);
    this.paths = [...new Set([...this.paths, ...added])].sort((a, b) => b.length - a.length);
  }

  remove(uris: string[]): void {
    const gone = new Set(uris.map(uriToPath));
    this.paths = this.paths.filter((p) => !gone.has(p));
  }

  /** The folder (as a path) containing the document, or undefined (untitled, outside). */
  folderOf(documentUri: string): string | undefined {
    const file = uriToPath(documentUri);
    if (!file) return undefined;
    return this.paths.find((folder) => {
      const rel = path.relative(folder, file);
      return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
    });
  }
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}
