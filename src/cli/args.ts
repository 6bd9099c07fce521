/**
 * Command-line parsing for `sqlperf`. Pure: argv in, a command or a usage error out, so the
 * rules (what is a usage error, exit 2) are tested without spawning anything.
 */
import { parseAdviseArgs, type AdviseCommand } from './advise-args';
import { parseExplainArgs, type ExplainCliOptions } from './explain-args';
import { parsePoolArgs, type PoolCommand } from './pool-args';
import { parseProfileArgs, parseSlowArgs, type SlowCommand } from './slow-args';

export type Format = 'text' | 'json' | 'sarif';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];

export interface CheckOptions {
  paths: string[];
  format: Format;
  config?: string;
  dialect?: string;
  /** exit 1 when there are more warnings than this */
  maxWarnings?: number;
}

export type Command =
  | { kind: 'help'; topic?: 'check' | 'explain' }
  | { kind: 'version' }
  | { kind: 'check'; options: CheckOptions }
  | { kind: 'explain'; options: ExplainCliOptions }
  | { kind: 'usage-error'; message: string; topic?: 'explain' }
  | SlowCommand
  | PoolCommand
  | AdviseCommand;

export const USAGE = `Usage: sqlperf <command> [options]

Commands:
  check [paths...]      Find SQL performance problems in .sql files and in SQL embedded in
                        TypeScript, JavaScript, Python and Go (default path: .)
  explain [options]     Show the plan of one statement, from a server or the embedded
                        database (sqlperf explain --help for its options)
  pool [paths...]       Connection pool diagnostics: the server's connections and the pools
                        configured in the code (sqlperf pool --help for its options)
  slow [paths...]       pg_stat_statements matched to the files and lines that issue each
                        statement (sqlperf slow --help)
  profile [options]     run one statement N times and show the spread of its execution
                        time (sqlperf profile --help)
  advise [paths...]     index suggestions verified by the planner, and index housekeeping
                        (sqlperf advise --help)

Options for check:
  --format <fmt>        text (default), json or sarif
  --config <file>       settings file (default: the nearest .sqlperf.json)
  --dialect <name>      SQL dialect: postgres (default), mysql, sqlite, ...
  --max-warnings <n>    exit with 1 when there are more than n warnings

  -h, --help            show this help
  -v, --version         show the version

Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 usage, configuration
or internal error.
`;

const VALUE_OPTIONS = new Set(['--format', '--config', '--dialect', '--max-warnings']);

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) return { kind: 'usage-error', message: 'missing command' };
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { kind: 'help' };
  if (command === '-v' || command === '--version' || command === 'version') return { kind: 'version' };
  if (command === 'explain') return parseExplainArgs(rest);
  if (command === 'pool') return parsePoolArgs(rest);
  if (command === 'slow') return parseSlowArgs(rest);
  if (command === 'profile') return parseProfileArgs(rest);
  if (command === 'advise') return parseAdviseArgs(rest);
  if (command !== 'check') {
    return { kind: 'usage-error', message: command.startsWith('-') ? `unknown option ${command}` : `unknown command "${command}"` };
  }

  const options: CheckOptions = { paths: [], format: 'text' };
  let onlyPaths = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      options.paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '-h' || arg === '--help') return { kind: 'help', topic: 'check' };
    if (arg === '-v' || arg === '--version') return { kind: 'version' };

    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.has(name)) return { kind: 'usage-error', message: `unknown option ${name}` };
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < rest.length) value = rest[++i];
    if (value === undefined || value === '') return { kind: 'usage-error', message: `${name} needs a value` };

    switch (name) {
      case '--format':
        if (!(FORMATS as readonly string[]).includes(value)) {
          return { kind: 'usage-error', message: `unknown format "${value}" (use ${FORMATS.join(', ')})` };
        }
        options.format = value as Format;
        break;
      case '--config':
        options.config = value;
        break;
      case '--dialect':
        options.dialect = value.trim().toLowerCase();
        break;
      case '--max-warnings': {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 0) return { kind: 'usage-error', message: `--max-warnings needs a whole number >= 0, got "${value}"` };
        options.maxWarnings = n;
        break;
      }
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  return { kind: 'check', options };
}
