/**
 * Finds and reads `.sqlperf.json`, the file the language server reads too, so CI and the
 * editor agree. Problems are returned, not printed: main decides where they go.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { CONFIG_FILE_NAME, parseConfigFile, type PartialSettings } from '../../server/engine/settings';
import { LineMap } from '../../server/engine/parse/positions';

export interface LoadedConfig {
  /** absolute path of the file, when one was found */
  file?: string;
  settings: PartialSettings;
  /** problems that did not stop us (unknown severity, wrong type): reported as warnings */
  warnings: string[];
}

export class ConfigError extends Error {}

/**
 * The nearest `.sqlperf.json` at or above the first path (a directory, or a file's
 * directory); failing that, the current directory's. The nearest one wins, the way
 * ESLint and Prettier look up theirs.
 */
export function findConfig(firstPath: string, cwd: string): string | undefined {
  let dir = resolve(cwd, firstPath);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const candidate = resolve(dir, CONFIG_FILE_NAME);
    if (isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const inCwd = resolve(cwd, CONFIG_FILE_NAME);
  return isFile(inCwd) ? inCwd : undefined;
}

function isFile(path: string): boolean {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Throws ConfigError when the file cannot be read or is not JSON(C) at all. */
export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // jsonc-parser recovers from syntax errors and returns what it could read; a broken
  // settings file must stop the run instead, or CI would silently lint with other rules.
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) {
    const lines = new LineMap(text);
    const where = errors
      .map((e) => {
        const p = lines.positionAt(e.offset);
        return `${file}:${p.line + 1}:${p.character + 1}: ${printParseErrorCode(e.error)}`;
      })
      .join('\n');
    throw new ConfigError(`invalid settings file:\n${where}`);
  }
  const { settings, problems } = parseConfigFile(text);
  return { file, settings, warnings: problems.map((p) => `${file}: ${p}`) };
}
