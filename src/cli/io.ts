/**
 * What every CLI command talks to: the working directory, the environment and the two
 * output streams. Tests pass their own; `processIo()` is the real process.
 */
import { formatDbError, isDbError } from '../db/errors';
import { ConfigError } from './config';
import { TargetUsageError } from './slow-target';

export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const processIo = (): CliIo => ({
  cwd: process.cwd(),
  env: process.env,
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
});

/** A failure with its exit code and what to print: thrown inside a command, reported once. */
export class CliStop extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

/**
 * The exit code for the errors every database command shares, after printing them:
 * a CliStop's own code, 1 for a database error (its message and hint), 2 for a usage or
 * settings error; null when `e` is none of these.
 */
export function reportSharedError(e: unknown, note: (s: string) => void): number | null {
  if (e instanceof CliStop) {
    note(e.message);
    return e.code;
  }
  if (isDbError(e)) {
    note(formatDbError(e));
    return 1;
  }
  if (e instanceof TargetUsageError || e instanceof ConfigError) {
    note(e.message);
    return 2;
  }
  return null;
}
