/**
 * The advisor end to end on one target: one dedicated session (HypoPG's indexes live in
 * it), catalog -> candidates -> greedy selection -> suggestions, and housekeeping on a
 * server. The session is always left clean: hypopg_reset() and ROLLBACK in finally.
 */
import type { QueryTarget } from '../db/target';
import { SQLPERF_TAG } from '../slow/stats-sql';
import { loadTables, refKey, type Queryable } from './catalog';
import { generateCandidates, type TableResolver } from './candidates';
import { housekeepingFindings, readHousekeeping } from './housekeeping';
import { queriesOfTable, selectIndexes, DEFAULT_THRESHOLD } from './select';
import { suggestedDefinition } from './sql';
import { mergeWorkloads, statsWorkload } from './stats-workload';
import { addTableStats, isWriteHeavy, readTableActivity, tableFindings } from './table-stats';
import type { AdviceReport, Candidate, TableInfo, WorkloadQuery, WriteCost } from './types';
import { HypoPgWhatIf, TransactionalWhatIf, type WhatIf } from './whatif';

export interface AdviseOptions {
  /** minimum cost reduction of one query for a suggestion (default 0.3) */
  threshold?: number;
  maxSuggestions?: number;
  /** run housekeeping (server only; default true) */
  housekeeping?: boolean;
  /** limit housekeeping to these schemas (default: every user schema) */
  schemas?: readonly string[];
  signal?: AbortSignal;
  progress?: (message: string, fraction?: number) => void;
  /**
   * on a server, add pg_stat_statements' statements to the workload, weighted by calls x
   * mean time and merged with the workspace's by fingerprint (default true)
   */
  serverStats?: boolean;
}

export class AdvisorUnavailable extends Error {}

export function tableResolver(tables: Map<string, TableInfo>): TableResolver {
  const all = [...tables.values()];
  return (schema, name) => tables.get(refKey(schema, name)) ?? all.find((t) => t.name === name && (schema === undefined || t.schema === schema));
}

async function hasExtension(db: Queryable, name: string): Promise<boolean> {
  const r = await db.query(`${SQLPERF_TAG} SELECT 1 AS ok FROM pg_extension WHERE extname = $1`, [name]);
  return r.rows.length > 0;
}

export async function advise(target: QueryTarget, workspaceQueries: readonly WorkloadQuery[], o: AdviseOptions = {}): Promise<AdviceReport> {
  const version = await target.serverVersionNum();
  const notes: string[] = [];
  let queries = workspaceQueries;
  if (target.kind === 'server' && o.serverStats !== false) {
    o.progress?.('Reading pg_stat_statements');
    const st = await statsWorkload(target);
    if (st.unavailable) notes.push(`pg_stat_statements not used: ${st.unavailable.split('\n')[0]}`);
    else notes.push(`pg_stat_statements: ${st.queries.length} statement shape(s) added to the workload (weighted by calls x mean time)`);
    queries = mergeWorkloads(workspaceQueries, st.queries);
  }
  const report = await target.withSession(async (session) => {
    o.progress?.('Reading the catalog');
    const tables = await loadTables(session, queries);
    // correlation (BRIN) and write counters: only a live server has them
    if (target.kind === 'server') await addTableStats(session, tables.values());
    const resolve = tableResolver(tables);
    const { candidates, covered } = generateCandidates(queries, resolve);
    for (const c of covered) notes.push(`skipped ${c.candidate.key}: the existing index ${c.index} covers it`);

    let whatIf: WhatIf;
    let usable: Candidate[];
    if (target.kind === 'server') {
      if (!(await hasExtension(session, 'hypopg'))) {
        throw new AdvisorUnavailable(`HypoPG is not installed in this database: run CREATE EXTENSION hypopg (package postgresql-<version>-hypopg), or use the embedded database.`);
      }
      whatIf = new HypoPgWhatIf(session, version, o.signal);
      usable = candidates.filter((c) => !c.needsRealIndex);
      for (const c of candidates.filter((x) => x.needsRealIndex)) notes.push(`not verified: ${c.key} (HypoPG cannot fake a GIN index; verify it on the embedded database: sqlperf advise --embedded)`);
    } else {
      whatIf = new TransactionalWhatIf(session, version, o.signal);
      const trgm = (await hasExtension(session, 'pg_trgm')) || (await session.query('CREATE EXTENSION IF NOT EXISTS pg_trgm').then(() => true, () => false));
      usable = candidates.filter((c) => !c.needsRealIndex || (c.method === 'gin' && trgm));
      if (!trgm) for (const c of candidates.filter((x) => x.needsRealIndex)) notes.push(`not verified: ${c.key} (pg_trgm is not available in the embedded database)`);
    }

    try {
      const sel = await selectIndexes(whatIf, queries, usable, {
        threshold: o.threshold ?? DEFAULT_THRESHOLD,
        maxSuggestions: o.maxSuggestions,
        queriesFor: queriesOfTable(queries, resolve),
        signal: o.signal,
        progress: o.progress,
      });
      for (const [key, msg] of sel.rejected) notes.push(`rejected by the database: ${key}: ${msg}`);
      for (const [key, others] of sel.redundant) notes.push(`dropped as redundant: ${key} (${others.length ? others.join('; ') : 'the other suggestions'} do its work)`);
      for (const [id, msg] of sel.failed) notes.push(`could not plan query at ${loc(queries, id)}: ${msg}`);
      let housekeeping: AdviceReport['housekeeping'] = [];
      if (target.kind === 'server' && o.housekeeping !== false) {
        o.progress?.('Housekeeping');
        const rows = await readHousekeeping(session, o.schemas);
        housekeeping = housekeepingFindings(rows.indexes, rows.foreignKeys);
        housekeeping.push(...tableFindings(await readTableActivity(session, o.schemas)));
      }
      const writeCosts = writeCostsOf(sel.chosen.map((c) => c.candidate), resolve);
      for (const [table, w] of new Map(sel.chosen.map((c) => [`${c.candidate.schema}.${c.candidate.table}`, writeCosts.get(c.candidate.key)!]))) {
        if (w.writeHeavy) notes.push(`${table} is write-heavy (${w.tableWrites} writes, ${w.tableReads} reads since the statistics reset): each suggested index there adds work to every insert; ${w.indexesBefore} -> ${w.indexesAfter} indexes`);
      }
      return {
        suggestions: sel.chosen.map((c) => ({
          candidate: c.candidate,
          definition: suggestedDefinition(c.candidate),
          estimatedSizeBytes: c.size,
          queries: c.queries,
          saving: c.saving,
          verifiedBy: whatIf.mode,
          writeCost: writeCosts.get(c.candidate.key),
        })),
        housekeeping,
        queries: [...queries],
        notes,
        target: target.kind,
      } satisfies AdviceReport;
    } finally {
      await whatIf.cleanup();
    }
  });
  return report;
}

/** Per suggestion: the indexes an INSERT on its table maintains now and with every suggestion for that table. */
export function writeCostsOf(chosen: readonly Candidate[], resolve: (schema: string | undefined, name: string) => TableInfo | undefined): Map<string, WriteCost> {
  const perTable = new Map<string, number>();
  for (const c of chosen) perTable.set(`${c.schema}\u0000${c.table}`, (perTable.get(`${c.schema}\u0000${c.table}`) ?? 0) + 1);
  const out = new Map<string, WriteCost>();
  for (const c of chosen) {
    const t = resolve(c.schema, c.table);
    const before = t?.indexes.length ?? 0;
    const w = t?.writes;
    out.set(c.key, {
      indexesBefore: before,
      indexesAfter: before + (perTable.get(`${c.schema}\u0000${c.table}`) ?? 0),
      tableWrites: w ? w.inserts + w.updates + w.deletes : undefined,
      tableReads: w?.reads,
      writeHeavy: isWriteHeavy(w),
    });
  }
  return out;
}

function loc(queries: readonly WorkloadQuery[], id: number): string {
  const l = queries.find((q) => q.id === id)?.locations[0];
  return l ? `${l.file}:${l.line}` : `#${id}`;
}
