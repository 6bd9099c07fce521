/**
 * Arguments of `sqlperf explain`. Pure: argv in, options or a usage error out.
 */

export type ExplainFormat = 'text' | 'json';

export type ExplainTargetOption =
  | { kind: 'db'; url: string }
  | { kind: 'connection'; name: string }
  /** the default: PGlite loaded with the schema files under the current directory */
  | { kind: 'embedded' };

export type ExplainSourceOption =
  | { kind: 'sql'; sql: string }
  | { kind: 'file'; file: string; line?: number }
  | { kind: 'plan-file'; file: string };

export interface ExplainCliOptions {
  target: ExplainTargetOption;
  source: ExplainSourceOption;
  analyze: boolean;
  allowWrite: boolean;
  /** values for $1, $2, ... (or :name / ? in order of appearance) */
  params: string[];
  format: ExplainFormat;
  /** schema globs for the embedded database; empty = the defaults */
  schema: string[];
  /** rows per empty table in the embedded database; undefined = the default */
  sampleRows?: number;
}

export type ExplainCommand =
  | { kind: 'explain'; options: ExplainCliOptions }
  | { kind: 'help'; topic: 'explain' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string; topic: 'explain' };

export const EXPLAIN_USAGE = `Usage: sqlperf explain [target] [--analyze [--allow-write]] <statement> [options]
       sqlperf explain --plan-file <PLAN.json|PLAN.txt> [--format text|json]

Shows the plan of one SQL statement, with per-node times, rows and tips.

Target (default: --embedded):
  --db <url>              a PostgreSQL server: postgresql://user:password@host:5432/db
  --connection <name>     a profile from "connections" in .sqlperf.json; the password comes
                          from SQLPERF_PASSWORD, PGPASSWORD or ~/.pgpass (or the profile's
                          urlFromEnv variable)
  --embedded              PostgreSQL in WebAssembly, loaded with the schema files found under
                          the current directory, plus sample rows
  --schema <glob...>      schema files for --embedded (default: **/schema.sql
                          **/migrations/**/*.sql **/*.ddl.sql)
  --sample-rows <n>       rows generated per empty table for --embedded (default 10000; 0: none)

Statement (exactly one):
  --sql "<statement>"     the statement itself
  --file <file>           a .sql file holding one statement, or any statement with --line;
                          .ts/.js/.py/.go: the SQL embedded at --line
  --line <n>              1-based line of the statement in --file
  --plan-file <file>      no database: read EXPLAIN output (JSON or text format) from a file

Options:
  --analyze               run the statement (EXPLAIN ANALYZE) for actual times and rows,
                          inside a transaction that is always rolled back
  --allow-write           let --analyze execute INSERT, UPDATE, DELETE or MERGE (rolled back;
                          sequences still advance)
  --param <value...>      values for $1, $2, ... in order; without them a statement with
                          parameters is planned generically (plain EXPLAIN only)
  --format <fmt>          text (default) or json

Exit codes: 0 plan shown, 1 the database or the plan refused (message on stderr), 2 usage.
`;

const FLAGS = new Set(['--embedded', '--analyze', '--allow-write']);
const SINGLE = new Set(['--db', '--connection', '--sql', '--file', '--line', '--plan-file', '--format', '--sample-rows']);
const MULTI = new Set(['--param', '--schema']);

export function parseExplainArgs(argv: readonly string[]): ExplainCommand {
  const usage = (message: string): ExplainCommand => ({ kind: 'usage-error', message, topic: 'explain' });
  const seen = new Map<string, string>();
  const params: string[] = [];
  const schema: string[] = [];
  const flags = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return { kind: 'help', topic: 'explain' };
    if (arg === '-v' || arg === '--version') return { kind: 'version' };
    if (!arg.startsWith('--')) return usage(`unexpected argument "${arg}" (put SQL in --sql "...")`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAGS.has(name)) {
      if (eq > 0) return usage(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (SINGLE.has(name)) {
      let value: string | undefined;
      if (eq > 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      if (value === undefined || value === '') return usage(`${name} needs a value`);
      if (seen.has(name)) return usage(`${name} given twice`);
      seen.set(name, value);
      continue;
    }
    if (MULTI.has(name)) {
      const into = name === '--param' ? params : schema;
      if (eq > 0) into.push(arg.slice(eq + 1));
      else {
        // every following argument up to the next option: --param 42 'x'  (a value that
        // starts with "--" is given as --param=--x)
        const start = into.length;
        while (i + 1 < argv.length && !argv[i + 1].startsWith('--')) into.push(argv[++i]);
        if (into.length === start) return usage(`${name} needs a value`);
      }
      continue;
    }
    return usage(`unknown option ${name}`);
  }

  const targets = ['--db', '--connection', '--embedded'].filter((t) => seen.has(t) || flags.has(t));
  if (targets.length > 1) return usage(`choose one target: ${targets.join(' or ')}`);
  const sources = (['--sql', '--file', '--plan-file'] as const).filter((s) => seen.has(s));
  if (sources.length === 0) return usage('give the statement with --sql "..." or --file <file> (or a plan with --plan-file)');
  if (sources.length > 1) return usage(`choose one of ${sources.join(', ')}`);
  if (seen.has('--line') && !seen.has('--file')) return usage('--line goes with --file');

  const format = seen.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(`unknown format "${format}" (use text or json)`);

  let line: number | undefined;
  if (seen.has('--line')) {
    line = Number(seen.get('--line'));
    if (!Number.isInteger(line) || line < 1) return usage(`--line needs a line number (1 or more), got "${seen.get('--line')}"`);
  }
  let sampleRows: number | undefined;
  if (seen.has('--sample-rows')) {
    sampleRows = Number(seen.get('--sample-rows'));
    if (!Number.isInteger(sampleRows) || sampleRows < 0) return usage(`--sample-rows needs a whole number >= 0, got "${seen.get('--sample-rows')}"`);
  }

  if (seen.has('--plan-file')) {
    const extra = [...targets, ...['--analyze', '--allow-write'].filter((f) => flags.has(f)), ...(params.length ? ['--param'] : []), ...(schema.length ? ['--schema'] : []), ...(sampleRows !== undefined ? ['--sample-rows'] : [])];
    if (extra.length) return usage(`--plan-file reads a plan and uses no database: drop ${extra.join(', ')}`);
  }

  const target: ExplainTargetOption = seen.has('--db') ? { kind: 'db', url: seen.get('--db')! } : seen.has('--connection') ? { kind: 'connection', name: seen.get('--connection')! } : { kind: 'embedded' };
  if (target.kind !== 'embedded' && (schema.length || sampleRows !== undefined)) {
    return usage(`${schema.length ? '--schema' : '--sample-rows'} is for the embedded database, not --${target.kind}`);
  }

  const source: ExplainSourceOption = seen.has('--sql')
    ? { kind: 'sql', sql: seen.get('--sql')! }
    : seen.has('--file')
      ? { kind: 'file', file: seen.get('--file')!, line }
      : { kind: 'plan-file', file: seen.get('--plan-file')! };

  return {
    kind: 'explain',
    options: { target, source, analyze: flags.has('--analyze'), allowWrite: flags.has('--allow-write'), params, format, schema, sampleRows },
  };
}
