/**
 * The `sqlperf` command. Wiring only: arguments -> settings -> files -> engine -> output ->
 * exit code. Exit codes: 0 no errors, 1 error findings (or more warnings than
 * --max-warnings), 2 usage or configuration errors.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SUPPORTED_DIALECTS } from '../../server/engine/parse/dialects';
import { mergeSettings } from '../../server/engine/settings';
import { parseArgs, USAGE, type CheckOptions } from './args';
import { ADVISE_USAGE } from './advise-args';
import { EXPLAIN_USAGE } from './explain-args';
import { POOL_USAGE } from './pool-args';
import { PROFILE_USAGE, SLOW_USAGE } from './slow-args';
import { checkFiles } from './check';
import { ConfigError, findConfig, loadConfig } from './config';
import { collectFiles } from './files';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { countFindings, formatText } from './format/text';
import { compileGlobs } from './glob';
import { VERSION } from './meta';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

function warn(message: string): void {
  process.stderr.write(`sqlperf: ${message}\n`);
}

async function runCheck(opts: CheckOptions): Promise<number> {
  const cwd = process.cwd();
  const roots = opts.paths.map((p) => resolve(cwd, p));
  const missing = opts.paths.filter((_, i) => !existsSync(roots[i]));
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);

  const configFile = opts.config ? resolve(cwd, opts.config) : findConfig(opts.paths[0], cwd);
  if (opts.config && !existsSync(configFile!)) throw new UsageError(`config file not found: ${opts.config}`);
  const config = configFile ? loadConfig(configFile) : { settings: {}, warnings: [] };
  config.warnings.forEach(warn);

  // The editor layer is empty here: the CLI is the file's settings over the defaults,
  // exactly what the language server computes for a user who changed nothing.
  const settings = mergeSettings({}, config.settings);
  if (opts.dialect) {
    if (!SUPPORTED_DIALECTS.includes(opts.dialect) && opts.dialect !== 'postgresql') {
      throw new UsageError(`unknown dialect "${opts.dialect}" (use one of: ${SUPPORTED_DIALECTS.join(', ')})`);
    }
    settings.dialect = opts.dialect;
  }

  // Exclude globs are relative to the settings file's directory, like .gitignore.
  const base = configFile ? dirname(configFile) : cwd;
  const walked = collectFiles(roots, { exclude: compileGlobs(settings.exclude), base });
  walked.warnings.forEach(warn);

  const result = await checkFiles(walked.files, settings, cwd);
  result.warnings.forEach(warn);

  switch (opts.format) {
    case 'json':
      process.stdout.write(formatJson(result.findings));
      for (const s of result.skipped) warn(`skipped ${s.file}: ${s.reason}`);
      break;
    case 'sarif':
      process.stdout.write(formatSarif(result, settings, cwd));
      for (const s of result.skipped) warn(`skipped ${s.file}: ${s.reason}`);
      break;
    default:
      process.stdout.write(formatText(result, useColor()));
  }

  const counts = countFindings(result.findings);
  // A file the engine crashed on was not checked: CI must not pass on it silently.
  if (result.crashed > 0) return EXIT_USAGE;
  if (counts.errors > 0) return EXIT_FINDINGS;
  if (opts.maxWarnings !== undefined && counts.warnings > opts.maxWarnings) {
    warn(`${counts.warnings} warnings, more than --max-warnings ${opts.maxWarnings}`);
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** https://no-color.org: any non-empty NO_COLOR turns colour off; pipes never get it. */
function useColor(): boolean {
  return process.stdout.isTTY === true && !process.env.NO_COLOR;
}

function usageFor(topic: string | undefined): string {
  return topic === 'explain' ? EXPLAIN_USAGE : topic === 'slow' ? SLOW_USAGE : topic === 'profile' ? PROFILE_USAGE : topic === 'pool' ? POOL_USAGE : topic === 'advise' ? ADVISE_USAGE : USAGE;
}

export async function main(argv: readonly string[]): Promise<number> {
  const command = parseArgs(argv);
  switch (command.kind) {
    case 'help':
      process.stdout.write(usageFor(command.topic));
      return EXIT_OK;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return EXIT_OK;
    case 'usage-error':
      warn(command.message);
      process.stderr.write(`\n${usageFor(command.topic)}`);
      return EXIT_USAGE;
    case 'explain':
      // loaded on demand: `check` needs neither node-postgres nor PGlite
      return (await import('./explain')).runExplain(command.options);
    case 'slow':
      // loaded on demand, like explain
      return (await import('./slow')).runSlow(command.options);
    case 'profile':
      return (await import('./profile')).runProfile(command.options);
    case 'pool':
      // loaded on demand, like explain
      return (await import('./pool')).runPool(command.options);
    case 'advise':
      // loaded on demand, like explain
      return (await import('./advise')).runAdvise(command.options);
    case 'check':
      try {
        return await runCheck(command.options);
      } catch (e) {
        if (e instanceof UsageError || e instanceof ConfigError) {
          warn(e.message);
          return EXIT_USAGE;
        }
        throw e;
      }
  }
}

// `sqlperf check | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    // Let stdout drain before exiting: a large JSON report piped to another process
    // would otherwise be cut short.
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sqlperf: internal error: ${(e as Error)?.stack ?? e}\n`);
    process.exitCode = EXIT_USAGE;
  },
);
