/**
 * What the rest of the client (the plan panel, the index advisor, the pool diagnostics)
 * sees of connections: one interface, no `vscode` import, so its consumers can be tested
 * with a fake.
 */
import type { QueryTarget } from '../db';

/** Per-explain limits from the settings, named like ExplainOptions' fields so they spread in. */
export interface ExplainDefaults {
  /** `sqlperf.explain.statementTimeoutMs` */
  timeoutMs: number;
  /** `sqlperf.explain.lockTimeoutMs` */
  lockTimeoutMs: number;
}

export interface AcquiredDatabase {
  target: QueryTarget;
  /** the profile's name, or "embedded database" */
  label: string;
  /** the profile is marked read-only: pass it as ExplainOptions.readOnlyProfile */
  readOnly: boolean;
  embedded: boolean;
  /**
   * The explain limits from the settings:
   * `explainStatement(db.target, sql, { analyze, readOnlyProfile: db.readOnly, ...db.explainDefaults })`.
   */
  explainDefaults: ExplainDefaults;
}

/** The minimal cancellation token shape (vscode.CancellationToken fits it). */
export interface CancellationLike {
  isCancellationRequested: boolean;
  onCancellationRequested?: (listener: () => unknown) => { dispose(): unknown };
}

export interface ActiveDatabase {
  /**
   * The active profile's target, or the embedded database loaded with the workspace schema;
   * created lazily, with progress shown the first time. Rejects with a DbError (kind
   * 'cancelled' when the token or the progress notification cancelled the wait; show
   * nothing then).
   */
  acquire(token?: CancellationLike): Promise<AcquiredDatabase>;
  /**
   * Fires when what acquire() returns changes: another active connection, an edited
   * profile, or the embedded database reloaded after a schema file changed (its schema
   * load problems are then shown as diagnostics in those files). Acquire again.
   */
  onDidChange(listener: () => void): { dispose(): void };
}
