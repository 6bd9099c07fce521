/**
 * Arguments of `sqlperf pool`. Pure: argv in, options or a usage error out.
 */

export type PoolFormat = 'text' | 'json';

export interface PoolCliOptions {
  target: { kind: 'db'; url: string } | { kind: 'connection'; name: string } | { kind: 'none' };
  paths: string[];
  format: PoolFormat;
  /** processes per application pool */
  instances: number;
  /** PgBouncer admin console URL (postgresql://user@host:6432/pgbouncer) */
  pgbouncer?: string;
}

export type PoolCommand =
  | { kind: 'pool'; options: PoolCliOptions }
  | { kind: 'help'; topic: 'pool' }
  | { kind: 'usage-error'; message: string; topic: 'pool' };

export const POOL_USAGE = `Usage: sqlperf pool [--db <url> | --connection <name>] [paths...] [options]

Connection pool diagnostics: the server's connections (slots, states, idle in transaction,
long queries, lock waits, churn, cache hit rate, settings) and the pool configurations
found in the code under paths (node-postgres, SQLAlchemy, Go database/sql, pgxpool), joined
into findings. Without --db or --connection only the code is read.

Options:
  --db <url>              a PostgreSQL server: postgresql://user:password@host:5432/db
  --connection <name>     a profile from "connections" in .sqlperf.json (password from
                          SQLPERF_PASSWORD, PGPASSWORD or ~/.pgpass)
  --pgbouncer <url>       PgBouncer's admin console: postgresql://user@host:6432/pgbouncer
  --instances <n>         processes running each application pool (default 1)
  --format <fmt>          text (default) or json

Exit codes: 0 no critical finding, 1 a critical finding or the server could not be read,
2 usage.
`;

export function parsePoolArgs(argv: readonly string[]): PoolCommand {
  const usage = (message: string): PoolCommand => ({ kind: 'usage-error', message, topic: 'pool' });
  const options: PoolCliOptions = { target: { kind: 'none' }, paths: [], format: 'text', instances: 1 };
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { kind: 'help', topic: 'pool' };
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!['--db', '--connection', '--format', '--instances', '--pgbouncer'].includes(name)) return usage(`unknown option ${name}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') return usage(`${name} needs a value`);
    switch (name) {
      case '--db':
      case '--connection':
        if (options.target.kind !== 'none') return usage('give one of --db and --connection');
        options.target = name === '--db' ? { kind: 'db', url: value } : { kind: 'connection', name: value };
        break;
      case '--pgbouncer':
        options.pgbouncer = value;
        break;
      case '--format':
        if (value !== 'text' && value !== 'json') return usage(`unknown format "${value}" (use text or json)`);
        options.format = value;
        break;
      case '--instances': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return usage(`--instances needs a whole number >= 1, got "${value}"`);
        options.instances = n;
        break;
      }
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return { kind: 'pool', options };
}
