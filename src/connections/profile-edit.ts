/**
 * Editing `sqlperf.connections` the way the commands do, as plain functions over the raw
 * settings values: entries this code does not understand (or that are invalid) are kept
 * as they are, so a command never loses what the user typed by hand.
 */
import { describeTarget, validateProfile, type ConnectionProfile, type SslMode } from '../db/profiles';

export type SettingsLevel = 'workspace' | 'global';

/** The two values of `inspect('sqlperf.connections')` that matter here. */
export interface LevelValues<T = unknown> {
  globalValue?: T;
  workspaceValue?: T;
}

/** The settings object written for a profile: every field explicit, no password. */
export function profileToSetting(p: ConnectionProfile): Record<string, unknown> {
  const o: Record<string, unknown> = { name: p.name, host: p.host, port: p.port, database: p.database, user: p.user };
  if (p.ssl) o.ssl = p.ssl;
  if (p.readOnly !== undefined) o.readOnly = p.readOnly;
  if (p.urlFromEnv) o.urlFromEnv = p.urlFromEnv;
  return o;
}

function rawName(entry: unknown): string | undefined {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
  const n = (entry as Record<string, unknown>).name;
  return typeof n === 'string' ? n.trim() : undefined;
}

/** Names in a raw list, valid entries or not. */
export function namesIn(list: unknown): string[] {
  return Array.isArray(list) ? list.map(rawName).filter((n): n is string => !!n) : [];
}

/** Replaces the entry with the profile's name (in place), or appends the profile. */
export function upsertProfile(list: unknown, profile: ConnectionProfile): unknown[] {
  const out = Array.isArray(list) ? [...list] : [];
  const entry = profileToSetting(profile);
  const i = out.findIndex((e) => rawName(e) === profile.name);
  if (i >= 0) out[i] = entry;
  else out.push(entry);
  return out;
}

/** The list without the entries named `name`. */
export function removeProfile(list: unknown, name: string): { list: unknown[]; removed: boolean } {
  const before = Array.isArray(list) ? list : [];
  const after = before.filter((e) => rawName(e) !== name);
  return { list: after, removed: after.length !== before.length };
}

/**
 * Where a new profile goes. The list in effect is the workspace's when it has one, else
 * the user's (VS Code does not merge arrays across levels), so:
 * - the workspace has a list: add it there;
 * - only the user settings have one: add it there too, or writing a workspace list would
 *   hide the user's profiles in this workspace;
 * - neither: the workspace when one is open, else the user settings.
 */
export function chooseWriteLevel(values: LevelValues, hasWorkspace: boolean): SettingsLevel {
  if (hasWorkspace && values.workspaceValue !== undefined) return 'workspace';
  if (Array.isArray(values.globalValue) && values.globalValue.length > 0) return 'global';
  return hasWorkspace ? 'workspace' : 'global';
}

/** The levels whose list holds a profile of this name (Remove takes it out of each). */
export function levelsHolding(values: LevelValues, name: string): SettingsLevel[] {
  const out: SettingsLevel[] = [];
  if (namesIn(values.workspaceValue).includes(name)) out.push('workspace');
  if (namesIn(values.globalValue).includes(name)) out.push('global');
  return out;
}

// ---- input validation for the Add Connection prompts (undefined = fine) ----

export function checkName(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Give the connection a short name, such as "local" or "staging".';
  if (v.length > 64) return 'Keep the name under 64 characters.';
  return undefined;
}

export function checkPort(value: string): string | undefined {
  const v = value.trim();
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 65535) return 'A port is a whole number between 1 and 65535.';
  return undefined;
}

export function checkRequired(what: string): (value: string) => string | undefined {
  return (value) => (value.trim() ? undefined : `The ${what} is required.`);
}

export interface ProfileAnswers {
  name: string;
  host: string;
  port: string;
  database: string;
  user: string;
  ssl: SslMode;
  readOnly: boolean;
}

/** The profile the Add Connection answers describe, checked like a settings entry. */
export function profileFromAnswers(a: ProfileAnswers): { profile?: ConnectionProfile; error?: string } {
  const r = validateProfile({
    name: a.name.trim(),
    host: a.host.trim() || 'localhost',
    port: Number(a.port.trim() || 5432),
    database: a.database.trim(),
    user: a.user.trim(),
    ssl: a.ssl,
    readOnly: a.readOnly,
  });
  if (r.profile) return { profile: r.profile };
  return { error: r.problems.map((p) => p.message).join(' ') };
}

export interface SslChoice {
  mode: SslMode;
  label: string;
  detail: string;
}

export const SSL_CHOICES: readonly SslChoice[] = [
  { mode: 'prefer', label: 'prefer', detail: 'Encrypt when the server supports it, else connect in plain text (libpq\'s default).' },
  { mode: 'require', label: 'require', detail: 'Always encrypt; do not verify the server certificate.' },
  { mode: 'verify-full', label: 'verify-full', detail: 'Always encrypt and verify the certificate and host name.' },
  { mode: 'disable', label: 'disable', detail: 'Never encrypt (local servers).' },
];

/** The quick pick entries of Select Connection: the embedded database first, then each profile. */
export interface ConnectionPick {
  /** the value for `sqlperf.activeConnection`: '' for the embedded database */
  name: string;
  label: string;
  description?: string;
  detail?: string;
  active: boolean;
}

export const EMBEDDED_PICK_LABEL = 'Embedded database (workspace schema)';

export function connectionPicks(profiles: readonly ConnectionProfile[], active: string): ConnectionPick[] {
  const picks: ConnectionPick[] = [
    {
      name: '',
      label: EMBEDDED_PICK_LABEL,
      description: active === '' ? 'active' : undefined,
      detail: 'PostgreSQL in WebAssembly, loaded with the schema files of this workspace and sample rows',
      active: active === '',
    },
  ];
  for (const p of profiles) {
    const flags = [p.name === active ? 'active' : '', p.readOnly ? 'read-only' : ''].filter(Boolean).join(', ');
    picks.push({
      name: p.name,
      label: p.name,
      description: flags || undefined,
      detail: describeTarget(p) + (p.ssl ? ` · ssl ${p.ssl}` : ''),
      active: p.name === active,
    });
  }
  return picks;
}
