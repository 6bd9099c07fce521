/**
 * Prepares the embedded database for a workspace: start PGlite, load the DDL files, fill
 * sample rows, ANALYZE. One progress callback covers the whole thing, since the first
 * explain without a configured connection waits for all of it.
 */
import type { EmbeddedDatabase, ProgressFn } from './embedded';
import { DEFAULT_SAMPLE_ROWS, fillSampleRows, type SampleRowsResult } from './sample-rows';
import { loadSchema, type SchemaFile, type SchemaLoadResult } from './schema-loader';

export interface PrepareOptions {
  /** DDL files in the order they should run (see orderSchemaFiles) */
  files: readonly SchemaFile[];
  /** rows per empty table; 0 or false for none (default 10,000) */
  sampleRows?: number | false;
  progress?: ProgressFn;
}

export interface PrepareReport {
  /** time spent waiting for PGlite to start (0 when it was running) */
  startMs: number;
  schema: SchemaLoadResult;
  sample?: SampleRowsResult;
  totalMs: number;
}

export async function prepareEmbeddedDatabase(db: EmbeddedDatabase, options: PrepareOptions): Promise<PrepareReport> {
  const started = Date.now();
  const progress = options.progress;
  const wasStarted = db.started;
  await db.start(scaled(progress, 0, 0.5));
  const startMs = wasStarted ? 0 : Date.now() - started;
  const schema = await loadSchema(db, options.files, scaled(progress, 0.5, 0.7));
  const rows = options.sampleRows === false ? 0 : options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  const sample = rows > 0 ? await fillSampleRows(db, { rowsPerTable: rows, progress: scaled(progress, 0.7, 1) }) : undefined;
  const totalMs = Date.now() - started;
  progress?.(`Embedded database ready in ${totalMs} ms`, 1);
  return { startMs, schema, sample, totalMs };
}

/** Maps a step's 0..1 progress into [from, to] of the whole. */
function scaled(progress: ProgressFn | undefined, from: number, to: number): ProgressFn | undefined {
  if (!progress) return undefined;
  return (message, fraction) => progress(message, fraction === undefined ? undefined : from + (to - from) * fraction);
}
