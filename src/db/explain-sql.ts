/**
 * Builds the exact statements one explain sends, from the server version and what is
 * known about the statement. Pure, so every version's variant is unit-tested without a
 * server. Version differences handled (server_version_num):
 *   - SETTINGS needs 12+, WAL 13+ (and ANALYZE);
 *   - EXPLAIN (GENERIC_PLAN) exists from 16; before, a generic plan is had with
 *     PREPARE + SET LOCAL plan_cache_mode = force_generic_plan (12+) + EXECUTE with NULLs
 *     (a generic plan does not look at the values).
 * Values, when given, are bound for real with the extended protocol: PostgreSQL passes
 * Bind parameters through EXPLAIN to the planner (a custom plan, as the application gets
 * for its first executions). `EXPLAIN EXECUTE stmt($1)` would not work: EXECUTE's
 * arguments cannot be Bind parameters of the EXPLAIN.
 */
import { escapeIdentifier } from 'pg';

export const PREPARED_NAME = 'sqlperf_stmt';

export interface ExplainSqlInput {
  serverVersionNum: number;
  analyze: boolean;
  verbose: boolean;
  /** the statement with `$n` placeholders only */
  statement: string;
  paramCount: number;
  /** values for $1..$n, or undefined to plan generically */
  values?: unknown[];
  readOnly: boolean;
  timeoutMs: number;
  lockTimeoutMs: number;
}

export interface SqlStep {
  sql: string;
  params?: unknown[];
  /** where the user's statement starts inside `sql`, to map server error positions back */
  statementOffset?: number;
}

export interface ExplainScript {
  begin: string;
  /** run in order after BEGIN; the last one returns the plan */
  steps: SqlStep[];
  /** run after ROLLBACK (PREPARE is not transactional, so DEALLOCATE must be explicit) */
  afterRollback: string[];
  usedGenericPlan: boolean;
}

export function explainOptions(version: number, o: { analyze: boolean; verbose: boolean; genericPlan?: boolean }): string {
  const opts: string[] = [];
  if (o.analyze) opts.push('ANALYZE', 'BUFFERS');
  if (o.verbose) opts.push('VERBOSE');
  if (version >= 120000) opts.push('SETTINGS');
  if (o.analyze && version >= 130000) opts.push('WAL');
  if (o.genericPlan) opts.push('GENERIC_PLAN');
  opts.push('FORMAT JSON');
  return `(${opts.join(', ')})`;
}

export function buildExplainScript(i: ExplainSqlInput): ExplainScript {
  const ms = (n: number) => String(Math.max(0, Math.floor(n)));
  const begin = i.readOnly ? 'BEGIN READ ONLY' : 'BEGIN';
  const steps: SqlStep[] = [
    { sql: `SET LOCAL statement_timeout = ${ms(i.timeoutMs)}` },
    { sql: `SET LOCAL lock_timeout = ${ms(i.lockTimeoutMs)}` },
  ];
  const generic = i.paramCount > 0 && i.values === undefined;
  if (generic && i.analyze) throw new Error('a generic plan cannot be analyzed'); // checked by the policy first

  if (generic && i.serverVersionNum < 160000) {
    const name = escapeIdentifier(PREPARED_NAME);
    const prefix = `PREPARE ${name} AS `;
    const nulls = Array.from({ length: i.paramCount }, () => 'NULL').join(', ');
    steps.push(
      { sql: 'SET LOCAL plan_cache_mode = force_generic_plan' },
      { sql: prefix + i.statement, statementOffset: prefix.length },
      { sql: `EXPLAIN ${explainOptions(i.serverVersionNum, { analyze: false, verbose: i.verbose })} EXECUTE ${name}(${nulls})` },
    );
    return { begin, steps, afterRollback: [`DEALLOCATE ${name}`], usedGenericPlan: true };
  }

  const prefix = `EXPLAIN ${explainOptions(i.serverVersionNum, { analyze: i.analyze, verbose: i.verbose, genericPlan: generic })} `;
  // Without values this goes out over the simple protocol: a `$1` left in the text is then
  // read by EXPLAIN (GENERIC_PLAN) and not expected in a Bind message.
  steps.push({ sql: prefix + i.statement, params: generic ? undefined : i.values, statementOffset: prefix.length });
  return { begin, steps, afterRollback: [], usedGenericPlan: generic };
}
