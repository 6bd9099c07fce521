/**
 * Why pg_stat_statements cannot be read, and the exact steps to fix it. Pure: the server
 * side (stats.ts) detects the case; the CLI and the view show `explainUnavailable`.
 */

export type UnavailableReason =
  /** the extension is not created in this database */
  | 'not-installed'
  /** created, but the library is not in shared_preload_libraries (or the server was not restarted) */
  | 'not-loaded'
  /** the view exists but this user may not read it */
  | 'no-permission'
  /** the embedded database has no statistics of production traffic */
  | 'embedded';

export interface UnavailableInit {
  reason: UnavailableReason;
  /** the database and user, for the message: "test as postgres" */
  database?: string;
  user?: string;
  /** the server's own words, when there were some */
  serverMessage?: string;
  /** shared_preload_libraries already lists it (known when readable) */
  preloaded?: boolean;
}

export class SlowQueriesUnavailable extends Error {
  readonly reason: UnavailableReason;
  readonly steps: string[];
  constructor(readonly init: UnavailableInit) {
    const { summary, steps } = explainUnavailable(init);
    super(summary);
    this.name = 'SlowQueriesUnavailable';
    this.reason = init.reason;
    this.steps = steps;
  }
}

export function isSlowQueriesUnavailable(e: unknown): e is SlowQueriesUnavailable {
  return e instanceof SlowQueriesUnavailable;
}

const PRELOAD_STEPS = [
  "Add pg_stat_statements to shared_preload_libraries in postgresql.conf (keep what is already there: shared_preload_libraries = 'pg_stat_statements'), or run: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements';",
  'Restart PostgreSQL (a reload is not enough), e.g. sudo systemctl restart postgresql. On a managed service (RDS, Cloud SQL, Azure) set it in the parameter group / flags; it is often on already.',
];

export function explainUnavailable(i: UnavailableInit): { summary: string; steps: string[] } {
  const db = i.database ? ` in database "${i.database}"` : '';
  const user = i.user ?? 'your user';
  const create = `In database "${i.database ?? '<your database>'}", as a superuser (or the database owner on PostgreSQL 13+): CREATE EXTENSION IF NOT EXISTS pg_stat_statements;`;
  const grant = `Let the connecting user read every user's statements: GRANT pg_read_all_stats TO ${quoteRole(user)}; (without it, other users' query texts show as <insufficient privilege>)`;
  switch (i.reason) {
    case 'not-installed':
      return {
        summary: `pg_stat_statements is not installed${db}: sqlperf reads the server's per-statement statistics from it.`,
        steps: [...(i.preloaded ? [] : PRELOAD_STEPS), create, grant],
      };
    case 'not-loaded':
      return {
        summary: `pg_stat_statements is created${db} but not loaded: it must be in shared_preload_libraries${i.serverMessage ? ` (server: ${i.serverMessage})` : ''}.`,
        steps: [...PRELOAD_STEPS, grant],
      };
    case 'no-permission':
      return {
        summary: `${user} may not read pg_stat_statements${db}${i.serverMessage ? ` (server: ${i.serverMessage})` : ''}.`,
        steps: [`GRANT pg_read_all_stats TO ${quoteRole(user)}; (PostgreSQL 10+; run it as a superuser)`, `or connect with a user that has it (e.g. the database owner)`],
      };
    case 'embedded':
      return {
        summary: 'Slow queries need a live PostgreSQL server with pg_stat_statements: the embedded database has no production statistics.',
        steps: ['Add a connection (SQL Perf: Add Connection) to the server whose traffic you want to see, and select it.', ...PRELOAD_STEPS, create, grant],
      };
  }
}

function quoteRole(user: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(user) ? user : `"${user.replace(/"/g, '""')}"`;
}

/** The explanation as text: summary, then numbered steps. */
export function formatUnavailable(e: { message: string; steps: readonly string[] }): string {
  return [e.message, '', 'To enable it:', ...e.steps.map((s, i) => `  ${i + 1}. ${s}`)].join('\n') + '\n';
}
