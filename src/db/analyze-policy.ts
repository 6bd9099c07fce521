/**
 * What may run, and how. Plain EXPLAIN never executes the statement, so it is always
 * allowed. EXPLAIN ANALYZE executes it inside a transaction that is always rolled back;
 * statements that write need the user's confirmation (`allowWrite`) and are never run on a
 * read-only profile. Pure functions: the UI can ask the same questions before running.
 */
import { DbError } from './errors';
import type { CheckedStatement } from './statement-check';

export interface PolicyInput {
  analyze: boolean;
  allowWrite: boolean;
  readOnlyProfile: boolean;
  /** parameters exist but no values were given */
  missingValues: boolean;
}

/** Returns the refusal, or undefined when the explain may run. */
export function checkExplainPolicy(stmt: Pick<CheckedStatement, 'kind' | 'writes' | 'writeReason' | 'conversion'>, p: PolicyInput): DbError | undefined {
  if (!p.analyze) return undefined;
  if (p.missingValues) {
    const labels = stmt.conversion.params.map((x) => x.label).join(', ');
    return new DbError({
      kind: 'sql',
      message: `EXPLAIN ANALYZE runs the statement, so it needs values for its parameters (${labels}).`,
      hint: 'Give a value for each parameter, or use plain EXPLAIN, which plans the statement generically without values.',
    });
  }
  if (!stmt.writes) return undefined;
  if (p.readOnlyProfile) {
    return new DbError({
      kind: 'permission',
      message: `This connection is marked read-only, and EXPLAIN ANALYZE would execute ${stmt.writeReason ?? 'a write'}.`,
      hint: 'Use plain EXPLAIN (it does not execute the statement), or a connection without "readOnly".',
    });
  }
  if (!p.allowWrite) {
    return new DbError({
      kind: 'permission',
      message: `EXPLAIN ANALYZE would execute ${stmt.writeReason ?? 'a write'}; that needs confirmation.`,
      hint: writeConfirmationText(stmt),
    });
  }
  return undefined;
}

/**
 * The question the UI asks before ANALYZE of a writing statement. It says what rollback
 * does not undo: sequences (nextval is never rolled back; restoring them with setval would
 * race with other sessions, so sqlperf leaves them advanced), and side effects outside the
 * database that triggers or functions may have.
 */
export function writeConfirmationText(stmt: Pick<CheckedStatement, 'kind' | 'writeReason'>): string {
  const what = stmt.writeReason ?? stmt.kind.toUpperCase();
  return (
    `EXPLAIN ANALYZE executes this ${what} for real, inside a transaction that is rolled back afterwards, so table contents end up unchanged. ` +
    'Not undone by the rollback: sequences it advances (serial/identity columns, nextval) keep their new value; ' +
    'effects outside the database (e.g. triggers calling dblink or writing files) stay. ' +
    'Its row locks are held until the rollback and can block other sessions while it runs.'
  );
}

/**
 * Whether the transaction may be READ ONLY. Every plain EXPLAIN is (the executor never
 * starts). An analyzed read-only query is, so a function it calls that writes is stopped by
 * PostgreSQL (SQLSTATE 25006). `allowWrite` on a query lifts that, after the user saw the
 * 25006 refusal and confirmed; a read-only profile never lifts it.
 */
export function useReadOnlyTransaction(stmt: Pick<CheckedStatement, 'writes'>, p: Pick<PolicyInput, 'analyze' | 'allowWrite' | 'readOnlyProfile'>): boolean {
  if (!p.analyze || p.readOnlyProfile) return true;
  if (stmt.writes) return false;
  return !p.allowWrite;
}
