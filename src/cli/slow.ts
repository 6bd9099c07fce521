/**
 * `sqlperf slow`: pg_stat_statements joined with the statements of the given paths.
 * stdout holds only the list (text, or the JSON array); notes and errors go to stderr.
 * Exit 0 listed, 1 unavailable or failed, 2 usage.
 */
import { relative } from 'node:path';
import { formatCount, formatMs, formatUnavailable, isSlowQueriesUnavailable, matchStatements, readStatStatements, scanFiles, type SlowEntry } from '../slow';
import { toSlash } from './files';
import type { SlowCliOptions } from './slow-args';
import { openServerTarget } from './slow-target';
import { processIo, type CliIo, reportSharedError } from './io';
import { workspaceFiles } from './workspace';

export type SlowIo = CliIo;

export interface SlowJsonEntry {
  query: string;
  calls: number;
  totalTimeMs: number;
  meanTimeMs: number;
  rows: number;
  sharedBlksRead: number;
  sharedBlksHit: number;
  locations: string[];
}

export function toJsonEntries(entries: readonly SlowEntry[], cwd: string): SlowJsonEntry[] {
  return entries.map((e) => ({
    query: e.query,
    calls: e.calls,
    totalTimeMs: round(e.totalTimeMs),
    meanTimeMs: round(e.meanTimeMs),
    rows: e.rows,
    sharedBlksRead: e.sharedBlksRead,
    sharedBlksHit: e.sharedBlksHit,
    locations: e.locations.map((l) => `${display(l.file, cwd)}:${l.line}`),
  }));
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return toSlash(rel && !rel.startsWith('..') ? rel : file);
}

export function formatSlowText(entries: readonly SlowEntry[], cwd: string): string {
  if (entries.length === 0) return 'pg_stat_statements has no statements for this database yet.\n';
  const out: string[] = [];
  entries.forEach((e, i) => {
    const oneLine = e.query.replace(/\s+/g, ' ').trim();
    out.push(`${i + 1}. ${oneLine.length > 160 ? `${oneLine.slice(0, 157)}...` : oneLine}`);
    out.push(`   ${formatCount(e.calls)} calls · total ${formatMs(e.totalTimeMs)} · mean ${formatMs(e.meanTimeMs)} · ${formatCount(e.rows)} rows · ${formatCount(e.sharedBlksRead)} blocks read · ${(e.shareOfTotal * 100).toFixed(1)}% of total time`);
    if (e.locations.length === 0) out.push('   not found in the workspace');
    for (const l of e.locations) out.push(`   at ${display(l.file, cwd)}:${l.line}:${l.column}`);
  });
  return out.join('\n') + '\n';
}

export async function runSlow(o: SlowCliOptions, io: SlowIo = processIo()): Promise<number> {
  const note = (s: string) => io.stderr(`sqlperf: ${s}\n`);
  let opened;
  try {
    const { settings, files } = workspaceFiles(o.paths, io.cwd, note);

    opened = await openServerTarget(o.target, io.cwd, io.env, note);
    const stats = await readStatStatements(opened.target);
    if (stats.hidden > 0) {
      note(`${stats.hidden} statements of other users are hidden from ${stats.user}: GRANT pg_read_all_stats TO ${stats.user}; to see them`);
    }
    const scan = await scanFiles(files, settings);
    scan.problems.forEach((p) => note(`cannot read ${p}`));
    const entries = matchStatements(stats.rows, scan.statements, { order: o.order, limit: o.limit });
    io.stdout(o.format === 'json' ? `${JSON.stringify(toJsonEntries(entries, io.cwd), null, 2)}\n` : formatSlowText(entries, io.cwd));
    return 0;
  } catch (e) {
    if (isSlowQueriesUnavailable(e)) {
      io.stderr(`sqlperf: ${formatUnavailable(e)}`);
      return 1;
    }
    const shared = reportSharedError(e, note);
    if (shared !== null) return shared;
    throw e;
  } finally {
    await opened?.close();
  }
}
