/**
 * Profile Query: one warm-up run, then N measured runs of the statement, each one an
 * EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) through the safe explain runner: a transaction
 * that is always rolled back, READ ONLY for queries, writes only with allowWrite and never
 * on a read-only profile (the same policy as EXPLAIN ANALYZE). The time of a run is the
 * server's "Execution Time": it leaves out network round trips and client decoding, which
 * are noise for comparing plans, and includes the (small) instrumentation overhead of
 * ANALYZE. One transaction per run means every run of an UPDATE sees the same rows.
 */
import { checkExplainPolicy } from '../db/analyze-policy';
import { DbError } from '../db/errors';
import { explainStatement } from '../db/explain-runner';
import type { ParamValues } from '../db/placeholders';
import { checkStatement } from '../db/statement-check';
import type { QueryTarget } from '../db/target';
import { loadParser } from '../../server/engine/parse/pgquery';
import { runFigures, summarizeTimes, type ProfileResult, type RunFigures } from './profile-stats';

export const DEFAULT_PROFILE_RUNS = 10;

export interface ProfileOptions {
  runs?: number;
  allowWrite?: boolean;
  readOnlyProfile?: boolean;
  params?: ParamValues;
  timeoutMs?: number;
  lockTimeoutMs?: number;
  signal?: AbortSignal;
  /** called before each run: 0 = the warm-up, then 1..runs */
  onProgress?: (done: number, total: number) => void;
}

/** Checks the policy without a database (for asking before connecting); returns the refusal or undefined. */
export async function profileRefusal(sql: string, o: Pick<ProfileOptions, 'allowWrite' | 'readOnlyProfile' | 'params'>): Promise<DbError | undefined> {
  await loadParser();
  const stmt = checkStatement(sql);
  return checkExplainPolicy(stmt, {
    analyze: true,
    allowWrite: o.allowWrite ?? false,
    readOnlyProfile: o.readOnlyProfile ?? false,
    missingValues: stmt.conversion.params.length > 0 && o.params === undefined,
  });
}

export async function profileStatement(target: QueryTarget, sql: string, o: ProfileOptions = {}): Promise<ProfileResult> {
  const runs = Math.max(1, Math.floor(o.runs ?? DEFAULT_PROFILE_RUNS));
  const times: number[] = [];
  let last: RunFigures | undefined;
  let planJson: unknown;
  let statementKind = '';
  let cancelled = false;
  for (let i = 0; i <= runs; i++) {
    if (o.signal?.aborted) {
      if (times.length === 0) throw new DbError({ kind: 'cancelled', message: 'Profiling was cancelled.', hint: '' });
      cancelled = true;
      break;
    }
    o.onProgress?.(i, runs);
    let r;
    try {
      r = await explainStatement(target, sql, {
        analyze: true,
        verbose: false,
        allowWrite: o.allowWrite,
        readOnlyProfile: o.readOnlyProfile,
        params: o.params,
        timeoutMs: o.timeoutMs,
        lockTimeoutMs: o.lockTimeoutMs,
        signal: o.signal,
      });
    } catch (e) {
      if (e instanceof DbError && e.kind === 'cancelled' && times.length > 0) {
        cancelled = true;
        break;
      }
      throw e;
    }
    statementKind = r.statementKind;
    if (i === 0) continue; // the warm-up: caches, plan cache, catalog lookups
    last = runFigures(r.planJson);
    planJson = r.planJson;
    times.push(last.executionTimeMs);
  }
  if (!last) throw new DbError({ kind: 'cancelled', message: 'Profiling was cancelled.', hint: '' });
  return { summary: summarizeTimes(times), timesMs: times, last, planJson, statementKind, cancelled };
}
