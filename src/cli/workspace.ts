/**
 * What every command that reads the workspace starts with: the paths must exist, the
 * nearest `.sqlperf.json` over the defaults gives the settings, and the files under the
 * paths are walked with its exclude globs (relative to the settings file, like .gitignore).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { mergeSettings, type SqlperfSettings } from '../../server/engine/settings';
import { findConfig, loadConfig } from './config';
import { collectFiles } from './files';
import { compileGlobs } from './glob';
import { CliStop } from './io';

const EXIT_USAGE = 2;

export function workspaceFiles(paths: readonly string[], cwd: string, note: (s: string) => void): { settings: SqlperfSettings; files: string[] } {
  const roots = paths.map((p) => resolve(cwd, p));
  const missing = paths.filter((_, i) => !existsSync(roots[i]));
  if (missing.length) throw new CliStop(`no such file or directory: ${missing.join(', ')}`, EXIT_USAGE);
  const configFile = findConfig(paths[0], cwd);
  const config = configFile ? loadConfig(configFile) : { settings: {}, warnings: [] };
  config.warnings.forEach(note);
  const settings = mergeSettings({}, config.settings);
  const walked = collectFiles(roots, { exclude: compileGlobs(settings.exclude), base: configFile ? dirname(configFile) : cwd });
  walked.warnings.forEach(note);
  return { settings, files: walked.files };
}
