/**
 * Which files `check` looks at, and reading them safely. Walking never throws: a directory
 * or file we cannot read is a warning, a symlink loop is cut, and only regular files are
 * opened (a FIFO would block the run forever).
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { GlobMatcher } from './glob';

/** Extensions walked in directories: SQL plus the host languages the extractors know. */
export const SQL_EXTENSIONS = new Set(['.sql']);
export const HOST_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.py', '.go']);

export interface WalkResult {
  /** absolute paths, sorted, each once */
  files: string[];
  /** problems met while walking, for stderr */
  warnings: string[];
}

export interface WalkOptions {
  /** exclude matcher, applied to paths relative to `base` with `/` separators */
  exclude: GlobMatcher;
  base: string;
}

export function isCheckedExtension(path: string): boolean {
  const ext = extname(path).toLowerCase();
  return SQL_EXTENSIONS.has(ext) || HOST_EXTENSIONS.has(ext);
}

/**
 * Expands the roots (absolute paths that exist) into files. Files named explicitly are
 * always checked, whatever their extension or the exclude list says: the user asked.
 */
export function collectFiles(roots: readonly string[], opts: WalkOptions): WalkResult {
  const files = new Set<string>();
  const seenReal = new Set<string>();
  const warnings: string[] = [];
  const excluded = (abs: string, isDir: boolean): boolean => {
    const rel = toSlash(relative(opts.base, abs));
    // Outside the base (`sqlperf check ../other`), match the absolute path instead, so
    // `**/node_modules/**` still works there.
    const subject = rel === '' || rel.startsWith('..') ? toSlash(abs) : rel;
    return opts.exclude(subject) || (isDir && opts.exclude(`${subject}/`));
  };

  const addFile = (abs: string) => {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      real = abs;
    }
    // The same file reached through a symlink is checked once, under its first name.
    if (seenReal.has(real)) return;
    seenReal.add(real);
    files.add(abs);
  };

  const walk = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      warnings.push(`cannot read directory ${dir}: ${errCode(e)}`);
      return;
    }
    if (seenReal.has(real)) return; // a symlink loop, or a directory reached twice
    seenReal.add(real);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      warnings.push(`cannot read directory ${dir}: ${errCode(e)}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (e) {
          warnings.push(`cannot follow symbolic link ${abs}: ${errCode(e)}`);
          continue;
        }
      }
      if (isDir) {
        if (!excluded(abs, true)) walk(abs);
      } else if (isFile && isCheckedExtension(abs) && !excluded(abs, false)) {
        addFile(abs);
      }
    }
  };

  for (const root of roots) {
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch (e) {
      warnings.push(`cannot read ${root}: ${errCode(e)}`);
      continue;
    }
    if (isDir) walk(root);
    else addFile(root);
  }
  return { files: [...files].sort(), warnings };
}

export type ReadResult = { ok: true; text: string } | { ok: false; reason: string; unreadable?: boolean };

/**
 * Reads a file as UTF-8. NUL bytes or invalid UTF-8 mean "binary" (a compiled asset, an
 * image, a Latin-1 dump): decoding those would produce U+FFFD soup and false findings.
 * `maxBytes` avoids reading a huge file just to be told it is too large.
 */
export function readSource(path: string, maxBytes: number): ReadResult {
  let buf: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { ok: false, reason: 'not a regular file' };
    if (st.size > maxBytes) {
      return { ok: false, reason: `file is ${(st.size / 1048576).toFixed(1)} MB; larger than maxFileSizeKB allows` };
    }
    buf = readFileSync(path);
  } catch (e) {
    return { ok: false, reason: `unreadable (${errCode(e)})`, unreadable: true };
  }
  if (buf.includes(0)) return { ok: false, reason: 'binary' };
  if (!isUtf8(buf)) return { ok: false, reason: 'binary (not valid UTF-8)' };
  let text = buf.toString('utf8');
  // Editors hide the byte-order mark; drop it so our columns are the columns they show.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { ok: true, text };
}

export function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message ?? String(e);
}
