/**
 * `sqlperf advise`: the workspace's statements -> verified index suggestions (and, on a
 * server, housekeeping). stdout holds only the report; notes and progress go to stderr.
 * Exit 0 advised, 1 the database failed (or HypoPG is missing), 2 usage.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { advise, AdvisorUnavailable, formatBytes, toAdviceJson, type AdviceReport, type QueryLocation } from '../advisor';
import { workloadOfFiles } from '../advisor/workspace';
import { DEFAULT_SCHEMA_GLOBS, SCHEMA_EXCLUDE_GLOBS } from '../connections/settings';
import { EmbeddedDatabase, orderSchemaFiles, prepareEmbeddedDatabase, type QueryTarget, type SchemaFile } from '../db';
import type { AdviseCliOptions } from './advise-args';
import { collectFiles, toSlash } from './files';
import { compileGlobs } from './glob';
import { openServerTarget } from './slow-target';
import { processIo, type CliIo, reportSharedError } from './io';
import { workspaceFiles } from './workspace';

export type AdviseIo = CliIo;

function display(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return toSlash(rel && !rel.startsWith('..') ? rel : file);
}

export function formatAdviceText(r: AdviceReport, where: (l: QueryLocation) => string): string {
  const out: string[] = [];
  const byId = new Map(r.queries.map((q) => [q.id, q]));
  out.push(r.suggestions.length ? `${r.suggestions.length} index suggestion(s), verified ${r.target === 'server' ? 'with HypoPG' : 'on the embedded database'}:` : `No index lowers the cost of a statement enough (${r.queries.length} statement(s) checked).`);
  r.suggestions.forEach((s, i) => {
    out.push('', `${i + 1}. ${s.definition}`);
    const w = s.writeCost;
    const writes = w ? ` · ${w.indexesBefore} -> ${w.indexesAfter} indexes per insert${w.writeHeavy ? ' · write-heavy table' : ''}` : '';
    out.push(`   ${s.candidate.kind} · ${s.estimatedSizeBytes == null ? 'size unknown' : `~${formatBytes(s.estimatedSizeBytes)}`}${writes}`);
    for (const qc of s.queries) {
      for (const l of byId.get(qc.query)?.locations ?? []) {
        const pct = qc.costBefore > 0 ? Math.round((1 - qc.costAfter / qc.costBefore) * 100) : 0;
        out.push(`   ${where(l)}  cost ${qc.costBefore.toFixed(2)} -> ${qc.costAfter.toFixed(2)} (-${pct}%)`);
      }
    }
  });
  if (r.housekeeping.length) {
    out.push('', 'Housekeeping:');
    for (const h of r.housekeeping) out.push(`  ${h.kind}  ${h.table}${h.index ? `  ${h.index}` : ''}: ${h.detail}`);
  }
  return out.join('\n') + '\n';
}

function findSchemaFiles(cwd: string, globs: readonly string[]): SchemaFile[] {
  const wanted = compileGlobs(globs);
  const walked = collectFiles([cwd], { exclude: compileGlobs(SCHEMA_EXCLUDE_GLOBS), base: cwd });
  return orderSchemaFiles(
    walked.files.filter((f) => wanted(toSlash(relative(cwd, f)))).map((f) => ({ path: toSlash(relative(cwd, f)), text: readFileSync(f, 'utf8') })),
  );
}

async function openEmbedded(o: AdviseCliOptions, io: AdviseIo, note: (s: string) => void): Promise<{ target: QueryTarget; close(): Promise<void> }> {
  const files = findSchemaFiles(io.cwd, o.schema.length ? o.schema : DEFAULT_SCHEMA_GLOBS);
  if (files.length === 0) note(`no schema files under ${io.cwd}; the embedded database is empty (use --schema, or --db)`);
  const db = new EmbeddedDatabase();
  let last = '';
  const report = await prepareEmbeddedDatabase(db, {
    files,
    sampleRows: o.sampleRows,
    progress: (m) => {
      if (m !== last) note(m);
      last = m;
    },
  });
  if (report.schema.problems.length) note(`schema: ${report.schema.problems.length} statement(s) of the schema files failed to load`);
  return { target: db, close: () => db.close().catch(() => undefined) };
}

export async function runAdvise(o: AdviseCliOptions, io: AdviseIo = processIo()): Promise<number> {
  const note = (s: string) => io.stderr(`sqlperf: ${s}\n`);
  let opened: { target: QueryTarget; close(): Promise<void> } | undefined;
  try {
    const { settings, files } = workspaceFiles(o.paths, io.cwd, note);
    const { queries, problems } = await workloadOfFiles(files, settings);
    problems.forEach((p) => note(`cannot read ${p}`));
    opened = o.target.kind === 'embedded' ? await openEmbedded(o, io, note) : await openServerTarget(o.target, io.cwd, io.env, note);
    const started = Date.now();
    const report = await advise(opened.target, queries, { threshold: o.threshold, serverStats: o.stats });
    report.notes.forEach(note);
    note(`advised on ${report.queries.length} statement(s) in ${Date.now() - started} ms`);
    const where = (l: QueryLocation) => `${display(l.file, io.cwd)}:${l.line}`;
    io.stdout(o.format === 'json' ? `${JSON.stringify(toAdviceJson(report, where), null, 2)}\n` : formatAdviceText(report, where));
    return 0;
  } catch (e) {
    if (e instanceof AdvisorUnavailable) {
      note(e.message);
      return 1;
    }
    const shared = reportSharedError(e, note);
    if (shared !== null) return shared;
    throw e;
  } finally {
    await opened?.close();
  }
}
