/**
 * "Explain with this index": the plan of one workload query without and with one suggested
 * index, for the plan panel's compare view. No vscode.
 *   - server: HypoPG on one session (hypothetical indexes are per connection); hypopg_reset()
 *     before and always after, so nothing is left behind;
 *   - embedded: one transaction, the index created for real, ANALYZE, EXPLAIN, ROLLBACK.
 * Both plans come from the same session, so they differ by the index only. The advisor's
 * tree shows costs with the suggestions chosen before this one in place; this compares the
 * index alone, which the panel's title says.
 */
import { createIndexSql, quoteIdent } from '../advisor/sql';
import type { Candidate, WorkloadQuery } from '../advisor/types';
import { buildExplainScript } from '../db/explain-sql';
import type { QuerySession, QueryTarget } from '../db/target';

export type PlanJson = Array<Record<string, unknown>>;

export interface IndexComparison {
  before: PlanJson;
  after: PlanJson;
  mode: 'hypopg' | 'embedded';
  usedGenericPlan: boolean;
}

export interface ExplainWithIndexOptions {
  timeoutMs?: number;
  lockTimeoutMs?: number;
  signal?: AbortSignal;
}

export class IndexExplainUnavailable extends Error {}

/** The highest `$n` of the statement (0 without parameters). */
export function paramCountOf(q: Pick<WorkloadQuery, 'facts'>): number {
  return q.facts.params.length ? Math.max(...q.facts.params) : 0;
}

function planOf(rows: Array<Record<string, unknown>>): PlanJson {
  const cell = rows[0]?.['QUERY PLAN'];
  const plan = typeof cell === 'string' ? JSON.parse(cell) : cell;
  if (!Array.isArray(plan)) throw new Error('EXPLAIN returned no plan');
  return plan as PlanJson;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new IndexExplainUnavailable('cancelled');
}

/** Runs the explain script's steps in the already open transaction; returns the plan and the clean-up statements. */
async function explainSteps(session: QuerySession, version: number, q: Pick<WorkloadQuery, 'text' | 'facts'>, o: ExplainWithIndexOptions): Promise<{ plan: PlanJson; afterwards: string[]; generic: boolean }> {
  const script = buildExplainScript({
    serverVersionNum: version,
    analyze: false,
    verbose: false,
    statement: q.text,
    paramCount: paramCountOf(q),
    readOnly: true,
    timeoutMs: o.timeoutMs ?? 30_000,
    lockTimeoutMs: o.lockTimeoutMs ?? 5_000,
  });
  let last;
  for (const step of script.steps) last = await session.query(step.sql, step.params);
  return { plan: planOf(last!.rows), afterwards: script.afterRollback, generic: script.usedGenericPlan };
}

async function rollback(session: QuerySession): Promise<void> {
  try {
    await session.query('ROLLBACK');
  } catch (e) {
    session.discard(e);
  }
}

async function run(session: QuerySession, sql: string[]): Promise<void> {
  for (const s of sql) await session.query(s).catch((e: unknown) => session.discard(e));
}

export async function explainWithIndex(target: QueryTarget, q: Pick<WorkloadQuery, 'text' | 'facts'>, c: Candidate, o: ExplainWithIndexOptions = {}): Promise<IndexComparison> {
  const version = await target.serverVersionNum();
  return target.withSession(async (session) => {
    if (target.kind === 'server') {
      const ext = await session.query('SELECT 1 AS ok FROM pg_extension WHERE extname = $1', ['hypopg']);
      if (!ext.rows.length) throw new IndexExplainUnavailable('HypoPG is not installed in this database: run CREATE EXTENSION hypopg, or use the embedded database.');
      if (c.needsRealIndex) throw new IndexExplainUnavailable(`HypoPG cannot make a hypothetical ${c.method.toUpperCase()} index; explain it on the embedded database.`);
      await session.query('SELECT hypopg_reset()');
      try {
        const plans: PlanJson[] = [];
        let generic = false;
        for (const withIndex of [false, true]) {
          checkAborted(o.signal);
          if (withIndex) await session.query('SELECT indexrelid FROM hypopg_create_index($1)', [createIndexSql(c)]);
          await session.query('BEGIN READ ONLY');
          let afterwards: string[] = [];
          try {
            const r = await explainSteps(session, version, q, o);
            plans.push(r.plan);
            afterwards = r.afterwards;
            generic = r.generic;
          } finally {
            await rollback(session);
            await run(session, afterwards);
          }
        }
        return { before: plans[0], after: plans[1], mode: 'hypopg' as const, usedGenericPlan: generic };
      } finally {
        await session.query('SELECT hypopg_reset()').catch((e: unknown) => session.discard(e));
      }
    }
    await session.query('BEGIN');
    const cleanup: string[] = [];
    try {
      checkAborted(o.signal);
      const before = await explainSteps(session, version, q, o);
      // PREPARE is not transactional: free the name before the second plan
      await run(session, before.afterwards);
      await session.query(createIndexSql(c, { name: 'sqlperf_explain_with_index' }));
      // an expression index needs statistics on the expression to be costed fairly
      await session.query(`ANALYZE ${quoteIdent(c.schema)}.${quoteIdent(c.table)}`);
      checkAborted(o.signal);
      const after = await explainSteps(session, version, q, o);
      cleanup.push(...after.afterwards);
      return { before: before.plan, after: after.plan, mode: 'embedded' as const, usedGenericPlan: before.generic };
    } finally {
      await rollback(session);
      await run(session, cleanup);
    }
  });
}
