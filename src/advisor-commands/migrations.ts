/**
 * "Insert into new migration": where the workspace keeps its migrations, what the next file
 * is called there, and what it contains. Pure: plain paths in, names and text out.
 *
 * Naming follows the files already there:
 *   - timestamps: 20240131120000_x.sql (14 digits), 202401311200_x (12), 20240131_x (8),
 *     unix seconds (10 digits) or milliseconds (13): a new one from the clock, same width;
 *   - sequence numbers: 001_x.sql, 0002-x.sql, 7_x.sql: the largest + 1, same zero padding;
 *   - Flyway: V3__x.sql -> V4__x.sql;
 *   - golang-migrate / dbmate pairs: 000003_x.up.sql + .down.sql -> both;
 *   - one folder per migration (Prisma: 20240131120000_x/migration.sql) -> a new folder.
 */
import type { QueryCost, Suggestion, WorkloadQuery } from '../advisor/types';
import { qualifiedName, suggestedIndexName } from '../advisor/sql';

/** Folder names that hold migrations (the last path segment). */
const MIGRATION_DIR = /^(migrations?|migrate|db[-_]?migrations?|schema[-_]?migrations?|sql[-_]?migrations?)$/i;

export interface MigrationFolder {
  /** workspace-relative, '/'-separated ('' never: the root is not a migrations folder) */
  folder: string;
  /** flat: files in the folder; nested: one sub-folder per migration holding the .sql file(s) */
  layout: 'flat' | 'nested';
  /** names of the entries that follow the naming (files for flat, sub-folders for nested) */
  entries: string[];
  /** nested: the file name inside each sub-folder ('migration.sql') */
  innerFile?: string;
}

/**
 * The migrations folder among the workspace's .sql files (workspace-relative paths), or
 * null. The folder with the most migrations wins; a folder named exactly "migrations" breaks ties.
 */
export function findMigrationFolder(sqlFiles: readonly string[]): MigrationFolder | null {
  const flat = new Map<string, string[]>();
  const nested = new Map<string, { entries: Set<string>; inner: Map<string, number> }>();
  for (const raw of sqlFiles) {
    const parts = raw.replace(/\\/g, '/').split('/').filter(Boolean);
    if (parts.length >= 2 && MIGRATION_DIR.test(parts[parts.length - 2])) {
      const folder = parts.slice(0, -1).join('/');
      flat.set(folder, [...(flat.get(folder) ?? []), parts[parts.length - 1]]);
    } else if (parts.length >= 3 && MIGRATION_DIR.test(parts[parts.length - 3]) && /^\d/.test(parts[parts.length - 2])) {
      const folder = parts.slice(0, -2).join('/');
      const n = nested.get(folder) ?? { entries: new Set<string>(), inner: new Map<string, number>() };
      n.entries.add(parts[parts.length - 2]);
      const inner = parts[parts.length - 1];
      n.inner.set(inner, (n.inner.get(inner) ?? 0) + 1);
      nested.set(folder, n);
    }
  }
  const options: MigrationFolder[] = [
    ...[...flat].map(([folder, entries]) => ({ folder, layout: 'flat' as const, entries: entries.sort() })),
    ...[...nested].map(([folder, n]) => ({
      folder,
      layout: 'nested' as const,
      entries: [...n.entries].sort(),
      innerFile: [...n.inner].sort((a, b) => b[1] - a[1])[0][0],
    })),
  ];
  if (!options.length) return null;
  const score = (m: MigrationFolder) => m.entries.length * 10 + (/^migrations$/i.test(m.folder.split('/').pop() ?? '') ? 5 : 0) - m.folder.split('/').length;
  return options.sort((a, b) => score(b) - score(a) || a.folder.localeCompare(b.folder))[0];
}

type Scheme =
  | { kind: 'flyway'; next: number }
  | { kind: 'sequence'; next: number; width: number }
  | { kind: 'timestamp'; width: 8 | 12 | 14 }
  | { kind: 'unix'; width: 10 | 13 };

const pad2 = (n: number) => String(n).padStart(2, '0');

function utcStamp(now: Date, width: 8 | 12 | 14): string {
  const s = `${now.getUTCFullYear()}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}${pad2(now.getUTCSeconds())}`;
  return s.slice(0, width);
}

const looksLikeDate = (d: string) => /^(19|20)\d\d(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])/.test(d);

function schemeOf(entries: readonly string[]): { scheme: Scheme; separator: string; upDown: boolean } {
  const flyway = entries.map((e) => /^V(\d+)__/.exec(e)).filter((m): m is RegExpExecArray => !!m);
  const upDown = entries.some((e) => /\.up\.sql$/i.test(e)) && entries.some((e) => /\.down\.sql$/i.test(e));
  if (flyway.length && flyway.length >= entries.length / 2) {
    return { scheme: { kind: 'flyway', next: Math.max(...flyway.map((m) => Number(m[1]))) + 1 }, separator: '__', upDown: false };
  }
  const numbered = entries.map((e) => /^(\d+)([-_.]?)/.exec(e)).filter((m): m is RegExpExecArray => !!m);
  const seps = new Map<string, number>();
  for (const m of numbered) seps.set(m[2], (seps.get(m[2]) ?? 0) + 1);
  const separator = [...seps].sort((a, b) => b[1] - a[1])[0]?.[0] || '_';
  if (!numbered.length) return { scheme: { kind: 'timestamp', width: 14 }, separator: '_', upDown };
  const digits = numbered.map((m) => m[1]);
  const widths = new Set(digits.map((d) => d.length));
  const width = Math.max(...digits.map((d) => d.length));
  if (widths.size === 1 && (width === 14 || width === 12 || width === 8) && digits.every(looksLikeDate)) return { scheme: { kind: 'timestamp', width }, separator, upDown };
  if (widths.size === 1 && (width === 10 || width === 13) && digits.every((d) => /^1/.test(d))) return { scheme: { kind: 'unix', width }, separator, upDown };
  const next = Math.max(...digits.map(Number)) + 1;
  // zero padding only when the existing numbers are padded (001, 0002)
  const padded = digits.some((d) => d.length > 1 && d.startsWith('0'));
  return { scheme: { kind: 'sequence', next, width: padded ? width : 1 }, separator, upDown };
}

function prefixOf(s: Scheme, now: Date): string {
  switch (s.kind) {
    case 'flyway':
      return `V${s.next}`;
    case 'sequence':
      return String(s.next).padStart(s.width, '0');
    case 'timestamp':
      return utcStamp(now, s.width);
    case 'unix':
      return s.width === 13 ? String(now.getTime()) : String(Math.floor(now.getTime() / 1000));
  }
}

/** A file-name part from free text: lower case, [a-z0-9_], at most 60 characters. */
export function slugOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 60).replace(/_+$/, '') || 'add_index';
}

export interface NewMigration {
  /** workspace-relative paths of the files to create, the main (up) file first */
  files: Array<{ path: string; kind: 'up' | 'down' }>;
}

/** The next migration's file(s) in `m`, named after `slug`. */
export function nextMigration(m: MigrationFolder, slug: string, now: Date): NewMigration {
  const { scheme, separator, upDown } = schemeOf(m.entries);
  const prefix = prefixOf(scheme, now);
  const base = `${prefix}${separator}${slug}`;
  if (m.layout === 'nested') return { files: [{ path: `${m.folder}/${base}/${m.innerFile ?? 'migration.sql'}`, kind: 'up' }] };
  if (upDown) return { files: [{ path: `${m.folder}/${base}.up.sql`, kind: 'up' }, { path: `${m.folder}/${base}.down.sql`, kind: 'down' }] };
  return { files: [{ path: `${m.folder}/${base}.sql`, kind: 'up' }] };
}

/** Where to suggest saving when the workspace has no migrations folder. */
export function defaultMigrationPath(slug: string, now: Date): string {
  return `migrations/${utcStamp(now, 14)}_${slug}.sql`;
}

export function migrationSlug(s: Suggestion): string {
  return slugOf(`add_${suggestedIndexName(s.candidate)}`);
}

const pctDrop = (q: QueryCost) => (q.costBefore > 0 ? Math.round((1 - q.costAfter / q.costBefore) * 100) : 0);

export interface MigrationTextOptions {
  /** workspace-relative location text per query id ('queries/search.sql:13') */
  where: (queryId: number) => string[];
  /** 'hypopg on prod', 'embedded database' */
  verifiedOn: string;
  now: Date;
  sizeText?: string;
}

/** The up file: a comment header (what it speeds up, cost before -> after, size), lock_timeout advice, the statement. */
export function migrationText(s: Suggestion, o: MigrationTextOptions): string {
  const lines = [
    `-- ${suggestedIndexName(s.candidate)}: suggested by sqlperf's Index Advisor on ${o.now.toISOString().slice(0, 10)},`,
    `-- verified by the planner (${o.verifiedOn}).`,
    '-- It speeds up:',
  ];
  for (const q of s.queries) {
    const places = o.where(q.query);
    const at = places.length ? places.join(', ') : `query #${q.query}`;
    lines.push(`--   ${at}: cost ${q.costBefore.toFixed(1)} -> ${q.costAfter.toFixed(1)} (-${pctDrop(q)}%)`);
  }
  if (o.sizeText) lines.push(`-- Estimated size: ${o.sizeText}. Every write to the indexed columns of ${s.candidate.table} also updates it.`);
  lines.push(
    '--',
    '-- CREATE INDEX CONCURRENTLY does not block writes, but it cannot run inside a transaction:',
    '-- if your migration tool wraps each file in one, turn that off for this file.',
    '-- It still waits for a lock behind long transactions; a short lock_timeout makes it give up',
    '-- instead of making the queries queued behind it wait too. Run it again when it times out;',
    '-- a build that failed leaves an INVALID index: drop it (DROP INDEX CONCURRENTLY) before retrying.',
    "SET lock_timeout = '5s';",
    '',
    s.definition.trim().endsWith(';') ? s.definition.trim() : `${s.definition.trim()};`,
    '',
    'RESET lock_timeout;',
    '',
  );
  return lines.join('\n');
}

/** The down file of an up/down pair. */
export function migrationDownText(s: Suggestion): string {
  // the index lives in its table's schema
  return `DROP INDEX CONCURRENTLY IF EXISTS ${qualifiedName(s.candidate.schema, suggestedIndexName(s.candidate))};\n`;
}

/** Query locations of a report as 'file:line' strings, relative through `relative`. */
export function locationsOf(queries: readonly WorkloadQuery[], relative: (file: string) => string): (id: number) => string[] {
  const byId = new Map(queries.map((q) => [q.id, q.locations.map((l) => `${relative(l.file)}:${l.line}`)]));
  return (id) => byId.get(id) ?? [];
}
