/**
 * Safe EXPLAIN: one statement, checked by the parser; a transaction that is always rolled
 * back (READ ONLY unless the statement writes and the user allowed it); per-statement
 * timeouts with SET LOCAL; cancellation through pg_cancel_backend; parameters bound or
 * planned generically. Works the same on a server pool and on the embedded database.
 */
import { loadParser } from '../../server/engine/parse/pgquery';
import { checkExplainPolicy, useReadOnlyTransaction } from './analyze-policy';
import { classifyError, DbError, isConnectionLoss, isDbError } from './errors';
import { buildExplainScript, type ExplainScript, type SqlStep } from './explain-sql';
import { orderParamValues, type ParamInfo, type ParamValues } from './placeholders';
import { checkStatement, type CheckedStatement, type StatementKind } from './statement-check';
import type { QueryResultLike, QuerySession, QueryTarget } from './target';

export interface ExplainOptions {
  /** execute the statement (inside a rolled-back transaction) and report actual times */
  analyze: boolean;
  /** values for the parameters, by position or by name; omit to plan generically */
  params?: ParamValues;
  /** statement_timeout for this explain (default 30 s) */
  timeoutMs?: number;
  /** lock_timeout for this explain (default 5 s) */
  lockTimeoutMs?: number;
  /** the user confirmed that ANALYZE may execute a writing statement (rolled back) */
  allowWrite?: boolean;
  /** the profile is read-only: never execute anything that writes */
  readOnlyProfile?: boolean;
  /** VERBOSE output (column lists, schema-qualified names); default true */
  verbose?: boolean;
  signal?: AbortSignal;
}

/** The raw `EXPLAIN (FORMAT JSON)` value: an array with one object holding "Plan" etc. */
export type PlanJson = Array<Record<string, unknown>>;

export interface ExplainResult {
  planJson: PlanJson;
  /** server_version_num of the target */
  serverVersion: number;
  statementKind: StatementKind;
  usedGenericPlan: boolean;
  analyzed: boolean;
  /** the transaction was READ ONLY */
  readOnly: boolean;
  /** the statement's parameters as written ($1, :id, ?) in `$n` order */
  parameters: ParamInfo[];
  /** the statement as sent inside EXPLAIN (placeholders rewritten to $n) */
  sentStatement: string;
  target: QueryTarget['kind'];
}

export const DEFAULT_EXPLAIN_TIMEOUT_MS = 30_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

export async function explainStatement(target: QueryTarget, sql: string, options: ExplainOptions): Promise<ExplainResult> {
  await loadParser();
  const signal = options.signal;
  if (signal?.aborted) throw cancelled();

  const stmt = checkStatement(sql);
  const params = stmt.conversion.params;
  // no parameters: nothing to bind; parameters without values: a generic plan
  const values = params.length === 0 ? [] : options.params === undefined ? undefined : bindValues(params, options.params);
  const policy = {
    analyze: options.analyze,
    allowWrite: options.allowWrite ?? false,
    readOnlyProfile: options.readOnlyProfile ?? false,
    missingValues: values === undefined && params.length > 0,
  };
  const refusal = checkExplainPolicy(stmt, policy);
  if (refusal) throw refusal;

  const readOnly = useReadOnlyTransaction(stmt, policy);
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXPLAIN_TIMEOUT_MS;
  const version = await target.serverVersionNum();
  const script = buildExplainScript({
    serverVersionNum: version,
    analyze: options.analyze,
    verbose: options.verbose ?? true,
    statement: stmt.conversion.text,
    paramCount: params.length,
    values,
    readOnly,
    timeoutMs,
    lockTimeoutMs: options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  });

  try {
    const result = await target.withSession((session) => runScript(target, session, script, stmt, signal), {
      // running it again after a lost connection is harmless unless it executes a write
      idempotent: !(options.analyze && (stmt.writes || !readOnly)),
    });
    return {
      planJson: planFrom(result),
      serverVersion: version,
      statementKind: stmt.kind,
      usedGenericPlan: script.usedGenericPlan,
      analyzed: options.analyze,
      readOnly,
      parameters: params,
      sentStatement: stmt.conversion.text,
      target: target.kind,
    };
  } catch (e) {
    if (signal?.aborted) throw cancelled(e);
    const err = isDbError(e) ? e : classifyError(e, { target: target.description, phase: 'query' });
    if (err.kind === 'timeout' && err.code === '57014') {
      throw err.with({
        message: `The statement ran longer than ${timeoutMs} ms and was stopped (statement_timeout) on ${target.description}.`,
        hint: 'Raise the timeout, or use plain EXPLAIN, which plans the statement without running it.',
      });
    }
    throw err;
  }
}

async function runScript(target: QueryTarget, session: QuerySession, script: ExplainScript, stmt: CheckedStatement, signal?: AbortSignal): Promise<QueryResultLike> {
  let running = false;
  const onAbort = () => {
    if (running) target.cancel(session).catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  const run = async (step: SqlStep): Promise<QueryResultLike> => {
    if (signal?.aborted) throw cancelled();
    running = true;
    try {
      return await session.query(step.sql, step.params);
    } catch (e) {
      throw locate(e, step, stmt, target);
    } finally {
      running = false;
    }
  };

  try {
    // If BEGIN fails nothing is open; the error (often a lost connection) goes up as is.
    await session.query(script.begin);
    try {
      let last: QueryResultLike | undefined;
      for (const step of script.steps) last = await run(step);
      return last!;
    } finally {
      await closeTransaction(session, script.afterRollback);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * ROLLBACK, always, then the non-transactional cleanup. Never throws (it runs in a finally
 * and must not hide the real error): if ROLLBACK fails the connection is discarded, and
 * PostgreSQL rolls back a transaction whose connection closes.
 */
async function closeTransaction(session: QuerySession, afterRollback: string[]): Promise<void> {
  try {
    await session.query('ROLLBACK');
  } catch (e) {
    session.discard(e);
    return;
  }
  for (const sql of afterRollback) {
    try {
      await session.query(sql);
    } catch (e) {
      session.discard(e);
      return;
    }
  }
}

/**
 * Statement errors become DbErrors here, where it is known which text was sent, so the
 * server's position can be mapped back into the caller's SQL. Lost connections stay raw,
 * so the target can retry them.
 */
function locate(e: unknown, step: SqlStep, stmt: CheckedStatement, target: QueryTarget): unknown {
  if (isDbError(e) || isConnectionLoss(e)) return e;
  const err = classifyError(e, { target: target.description, phase: 'query' });
  if (err.position === undefined || step.statementOffset === undefined) return err.with({ position: undefined });
  const inStatement = err.position - step.statementOffset;
  if (inStatement < 0 || inStatement > stmt.conversion.text.length) return err.with({ position: undefined });
  return err.with({ position: stmt.offset + stmt.conversion.toOriginal(inStatement) });
}

function bindValues(params: ParamInfo[], given: ParamValues): unknown[] {
  const r = orderParamValues(params, given);
  if (r.ok) return r.values;
  const problem = r.extra > 0 ? `${r.extra} value(s) more than the ${params.length} parameter(s)` : `no value for ${r.missing.join(', ')}`;
  throw new DbError({ kind: 'sql', message: `The parameter values do not match the statement: ${problem}.`, hint: `The statement has ${params.length} parameter(s): ${params.map((p) => p.label).join(', ') || 'none'}.` });
}

function planFrom(result: QueryResultLike): PlanJson {
  const cell = result.rows[0]?.['QUERY PLAN'];
  const value = typeof cell === 'string' ? JSON.parse(cell) : cell;
  if (!Array.isArray(value)) throw new DbError({ kind: 'other', message: 'EXPLAIN returned no JSON plan.', hint: '' });
  return value as PlanJson;
}

function cancelled(cause?: unknown): DbError {
  return new DbError({ kind: 'cancelled', message: 'The explain was cancelled.', hint: '', cause });
}
