/**
 * Arguments of `sqlperf advise`. Pure: argv in, options or a usage error out.
 */
export type AdviseTarget = { kind: 'db'; url: string } | { kind: 'connection'; name: string } | { kind: 'embedded' };

export interface AdviseCliOptions {
  target: AdviseTarget;
  paths: string[];
  format: 'text' | 'json';
  /** 0..1 */
  threshold: number;
  /** rows per table in the embedded database */
  sampleRows?: number;
  /** schema files for the embedded database (globs); default the usual ones */
  schema: string[];
  /** on a server, add pg_stat_statements' statements to the workload (default true; --no-stats) */
  stats: boolean;
}

export type AdviseCommand =
  | { kind: 'advise'; options: AdviseCliOptions }
  | { kind: 'help'; topic: 'advise' }
  | { kind: 'usage-error'; message: string; topic: 'advise' };

export const ADVISE_USAGE = `Usage: sqlperf advise [--db <url> | --connection <name> | --embedded] [paths...] [options]

Suggests indexes for the statements found in the paths (.sql files and SQL embedded in
TypeScript, JavaScript, Python and Go), each verified by the planner: HypoPG hypothetical
indexes on a server, BEGIN; CREATE INDEX; EXPLAIN; ROLLBACK on the embedded database.
Chosen greedily for the whole workload; each suggestion lowers the cost of at least one
statement by the threshold. On a server it also lists unused, duplicate and redundant
indexes and foreign keys without an index.

  --db <url>            postgresql://user:password@host:5432/db (needs CREATE EXTENSION hypopg)
  --connection <name>   a profile from "connections" in .sqlperf.json
  --embedded            the embedded database loaded with the schema files here (default)
  --schema <glob...>    schema files for the embedded database
                        (default: **/schema.sql **/migrations/**/*.sql **/*.ddl.sql)
  --sample-rows <n>     rows per table in the embedded database (default 10000)
  --threshold <pct>     minimum cost reduction of one statement, in percent (default 30)
  --no-stats            on a server, do not add pg_stat_statements' statements to the workload
                        (by default they are, weighted by calls x mean time)
  --format <fmt>        text (default) or json

Exit codes: 0 advised, 1 the database failed or HypoPG is missing, 2 usage.
`;

const VALUE = new Set(['--db', '--connection', '--format', '--threshold', '--sample-rows']);

export function parseAdviseArgs(argv: readonly string[]): AdviseCommand {
  const err = (message: string): AdviseCommand => ({ kind: 'usage-error', message, topic: 'advise' });
  const o: AdviseCliOptions = { target: { kind: 'embedded' }, paths: [], format: 'text', threshold: 0.3, schema: [], stats: true };
  const targets: string[] = [];
  let onlyPaths = false;
  let inSchema = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('--') || arg === '-') {
      if (inSchema) o.schema.push(arg);
      else o.paths.push(arg);
      continue;
    }
    inSchema = false;
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'advise' };
    if (arg === '--embedded') {
      targets.push(arg);
      o.target = { kind: 'embedded' };
      continue;
    }
    if (arg === '--no-stats') {
      o.stats = false;
      continue;
    }
    if (arg === '--schema') {
      inSchema = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (name === '--schema' && eq > 0) {
      o.schema.push(arg.slice(eq + 1));
      continue;
    }
    if (!VALUE.has(name)) return err(`unknown option ${name}`);
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') return err(`${name} needs a value`);
    switch (name) {
      case '--db':
        targets.push(name);
        o.target = { kind: 'db', url: value };
        break;
      case '--connection':
        targets.push(name);
        o.target = { kind: 'connection', name: value };
        break;
      case '--format':
        if (value !== 'text' && value !== 'json') return err(`unknown format "${value}" (use text, json)`);
        o.format = value;
        break;
      case '--threshold': {
        const n = Number(value);
        if (!Number.isFinite(n) || n <= 0 || n >= 100) return err(`--threshold needs a percentage between 0 and 100, got "${value}"`);
        o.threshold = n / 100;
        break;
      }
      case '--sample-rows': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) return err(`--sample-rows needs a whole number >= 0, got "${value}"`);
        o.sampleRows = n;
        break;
      }
    }
  }
  if (targets.length > 1) return err(`use one of --db, --connection, --embedded (got ${targets.join(', ')})`);
  if (o.paths.length === 0) o.paths.push('.');
  return { kind: 'advise', options: o };
}
