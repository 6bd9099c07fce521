/**
 * `sqlperf pool`: the server's connections and the application's pools, joined into
 * findings (src/pool). stdout holds only the report; notes and errors go to stderr.
 * Exit 0 no critical finding, 1 a critical finding or the server could not be read, 2 usage.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { formatDbError, isDbError, memorySecrets, noSecrets, PoolRegistry, validateProfiles, type ConnectionProfile, type QueryTarget } from '../db';
import { parseConnectionUrl } from '../db/connection-url';
import { findPoolConfigs, loadPoolFinder } from '../pool/app-config';
import { takePgBouncerSnapshot } from '../pool/pgbouncer';
import { buildReport, reportJson, reportText } from '../pool/report';
import { takeServerSnapshot } from '../pool/server-queries';
import type { AppPoolConfig, PgBouncerSnapshot, ServerSnapshot } from '../pool/types';
import { ConfigError, findConfig } from './config';
import { HOST_EXTENSIONS, readSource, toSlash } from './files';
import type { PoolCliOptions } from './pool-args';
import { processIo, type CliIo, CliStop } from './io';
import { workspaceFiles } from './workspace';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const DB_URL_ENV = 'SQLPERF_POOL_DB_URL';
const PGBOUNCER_URL_ENV = 'SQLPERF_POOL_PGBOUNCER_URL';
const PASSWORD_ENV = 'SQLPERF_PASSWORD';

export type PoolIo = CliIo;

export async function runPool(o: PoolCliOptions, io: PoolIo = processIo()): Promise<number> {
  const note = (s: string) => io.stderr(`sqlperf: ${s}\n`);
  try {
    const app = await scanApp(o.paths, io, note);
    let server: ServerSnapshot | null = null;
    let serverError: string | undefined;
    let pgbouncer: PgBouncerSnapshot | null | undefined;
    const registry = new PoolRegistry(o.target.kind === 'connection' && io.env[PASSWORD_ENV] ? memorySecrets({ [o.target.name]: io.env[PASSWORD_ENV]! }) : noSecrets, {
      env: { ...io.env, ...(o.target.kind === 'db' ? { [DB_URL_ENV]: o.target.url } : {}), ...(o.pgbouncer ? { [PGBOUNCER_URL_ENV]: o.pgbouncer } : {}) },
      max: 2,
    });
    try {
      const profile = profileFor(o, io, note);
      if (profile) {
        try {
          const target: QueryTarget = await registry.target(profile);
          server = await takeServerSnapshot(target);
        } catch (e) {
          if (!isDbError(e)) throw e;
          serverError = formatDbError(e);
          note(serverError);
        }
      }
      if (o.pgbouncer) {
        const parsed = parseConnectionUrl(o.pgbouncer);
        if (!parsed.ok) throw new CliStop(`--pgbouncer: ${parsed.message}`, EXIT_USAGE);
        try {
          const target = await registry.target({ name: '--pgbouncer', host: 'localhost', port: 6432, database: 'pgbouncer', user: '', urlFromEnv: PGBOUNCER_URL_ENV });
          pgbouncer = await takePgBouncerSnapshot(target);
        } catch (e) {
          if (!isDbError(e)) throw e;
          note(`PgBouncer: ${formatDbError(e)}`);
          pgbouncer = null;
        }
      }
    } finally {
      await registry.closeAll().catch(() => undefined);
    }
    const report = buildReport(server, app, { instances: o.instances, serverError, pgbouncer });
    io.stdout(o.format === 'json' ? `${JSON.stringify(reportJson(report), null, 2)}\n` : reportText(report));
    if (serverError) return EXIT_FAILED;
    return report.findings.some((f) => f.severity === 'critical') ? EXIT_FAILED : EXIT_OK;
  } catch (e) {
    if (e instanceof CliStop) {
      note(e.message);
      return e.code;
    }
    if (e instanceof ConfigError) {
      note(e.message);
      return EXIT_USAGE;
    }
    throw e;
  }
}

function profileFor(o: PoolCliOptions, io: PoolIo, note: (s: string) => void): ConnectionProfile | null {
  if (o.target.kind === 'none') return null;
  if (o.target.kind === 'db') {
    const parsed = parseConnectionUrl(o.target.url);
    if (!parsed.ok) throw new CliStop(`--db: ${parsed.message} (postgresql://user:password@host:5432/database)`, EXIT_USAGE);
    return { name: '--db', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: DB_URL_ENV };
  }
  const name = o.target.name;
  const configFile = findConfig('.', io.cwd);
  if (!configFile) throw new CliStop(`--connection ${name}: no .sqlperf.json found here or above; list connections under its "connections" key, or use --db <url>.`, EXIT_USAGE);
  const errors: ParseError[] = [];
  const raw: unknown = parseJsonc(readFileSync(configFile, 'utf8'), errors, { allowTrailingComma: true });
  if (errors.length) throw new ConfigError(`invalid settings file: ${configFile}`);
  const list = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).connections : undefined;
  const { profiles, problems } = validateProfiles(list);
  const profile = profiles.find((p) => p.name === name);
  const file = toSlash(relative(io.cwd, configFile) || configFile);
  for (const p of problems.filter((x) => !profile || x.name === name)) note(`${file}: ${p.message.replace(/^sqlperf\.connections/, 'connections')}`);
  if (!profile) throw new CliStop(`--connection: no usable connection named "${name}" in ${file}`, EXIT_USAGE);
  return profile;
}

async function scanApp(paths: string[], io: PoolIo, note: (s: string) => void): Promise<AppPoolConfig[]> {
  const { files } = workspaceFiles(paths, io.cwd, note);
  const hostFiles = files.filter((f) => HOST_EXTENSIONS.has(f.slice(f.lastIndexOf('.')).toLowerCase()));
  if (hostFiles.length === 0) return [];
  await loadPoolFinder();
  const out: AppPoolConfig[] = [];
  for (const abs of hostFiles) {
    const r = readSource(abs, 4 * 1024 * 1024);
    if (!r.ok) continue;
    out.push(...findPoolConfigs(r.text, toSlash(relative(io.cwd, abs) || abs)));
  }
  return out;
}
