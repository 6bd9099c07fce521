/**
 * Connection profiles: what `sqlperf.connections` holds, checked without ever throwing on a
 * bad shape (settings are user input), and turned into a node-postgres config with the
 * password from a SecretSource or the whole URL from an environment variable.
 */
import type { ClientConfig } from 'pg';
import type { ConnectionOptions } from 'node:tls';
import { DbError } from './errors';
import { parseConnectionUrl } from './connection-url';
import type { SecretSource } from './secrets';

export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-full';
export const SSL_MODES: readonly SslMode[] = ['disable', 'prefer', 'require', 'verify-full'];

export interface ConnectionProfile {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  ssl?: SslMode;
  /** never run anything that could write, not even inside a rolled-back transaction */
  readOnly?: boolean;
  /** name of an environment variable holding a full connection URL (password included) */
  urlFromEnv?: string;
}

export interface ProfileProblem {
  /** index in the settings array */
  index: number;
  name?: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface ProfileValidation {
  /** the valid profiles, in settings order */
  profiles: ConnectionProfile[];
  problems: ProfileProblem[];
}

export const DEFAULT_PORT = 5432;
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
export const APPLICATION_NAME = 'sqlperf';

const KNOWN_KEYS = new Set(['name', 'host', 'port', 'database', 'user', 'ssl', 'readOnly', 'urlFromEnv']);

/** Checks the raw `sqlperf.connections` value. Invalid entries are left out and explained. */
export function validateProfiles(raw: unknown): ProfileValidation {
  const out: ProfileValidation = { profiles: [], problems: [] };
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) {
    out.problems.push({ index: -1, severity: 'error', message: `sqlperf.connections must be a list of connection objects (got ${kindOf(raw)}).` });
    return out;
  }
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const r = validateProfile(entry, index);
    out.problems.push(...r.problems);
    if (!r.profile) return;
    if (seen.has(r.profile.name)) {
      out.problems.push({ index, name: r.profile.name, severity: 'error', message: `${label(index, r.profile.name)}: another connection already has this name; names must be unique.` });
      return;
    }
    seen.add(r.profile.name);
    out.profiles.push(r.profile);
  });
  return out;
}

/** Checks one entry; returns the profile when it is usable, and every problem found. */
export function validateProfile(raw: unknown, index = 0): { profile?: ConnectionProfile; problems: ProfileProblem[] } {
  const problems: ProfileProblem[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { problems: [{ index, severity: 'error', message: `${label(index)}: expected an object with name, host, port, database and user (got ${kindOf(raw)}).` }] };
  }
  const o = raw as Record<string, unknown>;
  const name = typeof o.name === 'string' ? o.name.trim() : '';
  const at = label(index, name || undefined);
  const error = (message: string) => problems.push({ index, name: name || undefined, severity: 'error', message: `${at}: ${message}` });
  const warn = (message: string) => problems.push({ index, name: name || undefined, severity: 'warning', message: `${at}: ${message}` });

  if (!name) error('"name" is required (a short label such as "local" or "staging").');

  const urlFromEnv = optionalString(o.urlFromEnv);
  if (o.urlFromEnv !== undefined && (urlFromEnv === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(urlFromEnv))) {
    error('"urlFromEnv" must be the name of an environment variable, such as "DATABASE_URL".');
  }
  // With a URL from the environment, host/port/database/user are optional fallbacks.
  const needFields = urlFromEnv === undefined;

  const host = optionalString(o.host);
  if (o.host !== undefined && host === undefined) error('"host" must be a non-empty string.');

  let port = DEFAULT_PORT;
  if (o.port !== undefined) {
    const p = typeof o.port === 'string' && /^\s*\d+\s*$/.test(o.port) ? Number(o.port) : o.port;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535) error(`"port" must be a whole number between 1 and 65535 (got ${JSON.stringify(o.port)}).`);
    else port = p;
  }

  const database = optionalString(o.database);
  if (o.database !== undefined && database === undefined) error('"database" must be a non-empty string.');
  else if (database === undefined && needFields) error('"database" is required.');

  const user = optionalString(o.user);
  if (o.user !== undefined && user === undefined) error('"user" must be a non-empty string.');
  else if (user === undefined && needFields) error('"user" is required.');

  let ssl: SslMode | undefined;
  if (o.ssl !== undefined) {
    if (typeof o.ssl === 'boolean') ssl = o.ssl ? 'require' : 'disable';
    else if (typeof o.ssl === 'string' && (SSL_MODES as readonly string[]).includes(o.ssl)) ssl = o.ssl as SslMode;
    else error(`"ssl" must be one of ${SSL_MODES.map((m) => `"${m}"`).join(', ')} (got ${JSON.stringify(o.ssl)}).`);
  }

  let readOnly: boolean | undefined;
  if (o.readOnly !== undefined) {
    if (typeof o.readOnly !== 'boolean') error(`"readOnly" must be true or false (got ${JSON.stringify(o.readOnly)}).`);
    else readOnly = o.readOnly;
  }

  for (const key of Object.keys(o)) {
    if (KNOWN_KEYS.has(key)) continue;
    if (/pass(word)?|secret/i.test(key)) warn(`"${key}" is ignored: passwords are never read from settings; they are kept in the editor's secret storage (or use "urlFromEnv").`);
    else warn(`unknown key "${key}" is ignored.`);
  }

  if (problems.some((p) => p.severity === 'error')) return { problems };
  const profile: ConnectionProfile = { name, host: host ?? 'localhost', port, database: database ?? '', user: user ?? '' };
  if (ssl) profile.ssl = ssl;
  if (readOnly !== undefined) profile.readOnly = readOnly;
  if (urlFromEnv) profile.urlFromEnv = urlFromEnv;
  return { profile, problems };
}

/** "user@host:port/database" for messages; never includes a password. */
export function describeTarget(profile: Pick<ConnectionProfile, 'host' | 'port' | 'database' | 'user' | 'urlFromEnv'>): string {
  if (profile.urlFromEnv && (!profile.database || !profile.user)) return `$${profile.urlFromEnv}`;
  return `${profile.user}@${hostForDisplay(profile.host)}:${profile.port}/${profile.database}`;
}

function hostForDisplay(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** A node-postgres config plus what the pool needs to describe and scrub errors. */
export interface ResolvedConnection {
  config: ClientConfig;
  /** "user@host:port/database" */
  description: string;
  host: string;
  port: number;
  database: string;
  user: string;
  sslMode: SslMode;
  /** secrets to scrub from anything shown (the password, the whole URL) */
  secrets: string[];
}

export interface ResolveOptions {
  connectTimeoutMs?: number;
}

/**
 * Builds the node-postgres config for a profile. The password comes from `secrets` (or is
 * left unset, so PGPASSWORD / ~/.pgpass / trust auth apply); with `urlFromEnv` everything
 * comes from that variable. `statement_timeout` is deliberately not set here: each explain
 * sets its own with SET LOCAL, so other work on the pool is not limited by it.
 */
export async function resolveConnectionConfig(
  profile: ConnectionProfile,
  secrets: SecretSource,
  env: Record<string, string | undefined> = process.env,
  options: ResolveOptions = {},
): Promise<ResolvedConnection> {
  let host = profile.host;
  let port = profile.port;
  let database = profile.database;
  let user = profile.user;
  let password: string | undefined;
  let sslMode: SslMode = profile.ssl ?? 'prefer';
  const extraSecrets: string[] = [];

  if (profile.urlFromEnv) {
    const url = env[profile.urlFromEnv];
    if (!url) {
      throw new DbError({
        kind: 'other',
        message: `Connection "${profile.name}" takes its URL from the environment variable ${profile.urlFromEnv}, which is not set.`,
        hint: `Set ${profile.urlFromEnv} in the environment VS Code (or the CLI) starts from, or remove "urlFromEnv" and fill in host, port, database and user.`,
      });
    }
    const parsed = parseConnectionUrl(url);
    if (!parsed.ok) {
      throw new DbError({
        kind: 'other',
        message: `Connection "${profile.name}": the URL in ${profile.urlFromEnv} cannot be used: ${parsed.message}.`,
        hint: 'Use the form postgresql://user:password@host:5432/database.',
      });
    }
    const u = parsed.value;
    host = u.host ?? host;
    port = u.port ?? port;
    database = u.database ?? database;
    user = u.user ?? user;
    password = u.password;
    if (!profile.ssl && u.sslmode) sslMode = sslModeFromLibpq(u.sslmode);
    extraSecrets.push(url);
  } else {
    password = await secrets.getPassword(profile.name);
  }

  const config: ClientConfig = {
    host,
    port,
    database,
    user,
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ssl: sslOptions(sslMode, host),
  };
  if (password !== undefined) config.password = password;
  return {
    config,
    description: describeTarget({ host, port, database, user }),
    host,
    port,
    database,
    user,
    sslMode,
    secrets: [...(password ? [password] : []), ...extraSecrets],
  };
}

/**
 * node-postgres has no "prefer": the pool tries TLS first and falls back to a plain
 * connection when the server says it does not support SSL (see server-target.ts).
 */
export function sslOptions(mode: SslMode, host: string): false | ConnectionOptions {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      // like libpq: encrypt, but do not verify the certificate
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, servername: /^[\d.:]+$/.test(host) ? undefined : host };
  }
}

function sslModeFromLibpq(mode: string): SslMode {
  switch (mode) {
    case 'disable':
      return 'disable';
    case 'require':
      return 'require';
    case 'verify-ca':
    case 'verify-full':
      return 'verify-full';
    default:
      return 'prefer'; // allow, prefer
  }
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function kindOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function label(index: number, name?: string): string {
  return `sqlperf.connections[${index}]${name ? ` ("${name}")` : ''}`;
}
