/**
 * A server target for `sqlperf slow` and `sqlperf profile`: --db <url> or a --connection
 * profile from .sqlperf.json, with the same password sources as `sqlperf explain`.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { memorySecrets, noSecrets, PoolRegistry, validateProfiles, type QueryTarget } from '../db';
import { parseConnectionUrl } from '../db/connection-url';
import { findConfig } from './config';
import { toSlash } from './files';
import type { ServerTargetOption } from './slow-args';

const DB_URL_ENV = 'SQLPERF_SLOW_DB_URL';
export const PASSWORD_ENV = 'SQLPERF_PASSWORD';

export class TargetUsageError extends Error {}

export interface OpenedTarget {
  target: QueryTarget;
  readOnlyProfile: boolean;
  close(): Promise<void>;
}

export async function openServerTarget(o: ServerTargetOption, cwd: string, env: Record<string, string | undefined>, note: (s: string) => void): Promise<OpenedTarget> {
  if (o.kind === 'db') {
    const parsed = parseConnectionUrl(o.url);
    if (!parsed.ok) throw new TargetUsageError(`--db: ${parsed.message} (postgresql://user:password@host:5432/database)`);
    const registry = new PoolRegistry(noSecrets, { env: { ...env, [DB_URL_ENV]: o.url }, max: 2 });
    const target = await registry.target({ name: '--db', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: DB_URL_ENV });
    return { target, readOnlyProfile: false, close: () => registry.closeAll().catch(() => undefined) };
  }
  const configFile = findConfig('.', cwd);
  if (!configFile) throw new TargetUsageError(`--connection ${o.name}: no .sqlperf.json found here or above; list connections under its "connections" key, or use --db <url>.`);
  const errors: ParseError[] = [];
  let raw: unknown;
  try {
    raw = parseJsonc(readFileSync(configFile, 'utf8'), errors, { allowTrailingComma: true });
  } catch (e) {
    throw new TargetUsageError(`cannot read ${configFile}: ${(e as Error).message}`);
  }
  if (errors.length) throw new TargetUsageError(`invalid settings file: ${configFile}`);
  const list = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).connections : undefined;
  const { profiles, problems } = validateProfiles(list);
  const file = toSlash(relative(cwd, configFile) || configFile);
  const profile = profiles.find((p) => p.name === o.name);
  for (const p of problems.filter((x) => !profile || x.name === o.name)) note(`${file}: ${p.message.replace(/^sqlperf\.connections/, 'connections')}`);
  if (!profile) {
    const known = profiles.map((p) => p.name);
    throw new TargetUsageError(`--connection: no usable connection named "${o.name}" in ${file}${known.length ? ` (there: ${known.join(', ')})` : ''}.`);
  }
  const password = env[PASSWORD_ENV];
  const registry = new PoolRegistry(password ? memorySecrets({ [profile.name]: password }) : noSecrets, { env, max: 2 });
  const target = await registry.target(profile);
  return { target, readOnlyProfile: profile.readOnly === true, close: () => registry.closeAll().catch(() => undefined) };
}
