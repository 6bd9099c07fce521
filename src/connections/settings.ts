/**
 * The connection settings (`sqlperf.connections`, `sqlperf.activeConnection`,
 * `sqlperf.schemaFiles`, `sqlperf.embedded.sampleRows`, `sqlperf.explain.*`) read into one
 * checked value. Pure: the VS Code side passes a getter over its configuration, tests pass
 * a map. Settings are user input: a wrong type falls back to the default, never throws.
 */
// From the modules themselves, not '../db': activation must not load the parser or pg.
import { validateProfiles, type ConnectionProfile, type ProfileProblem } from '../db/profiles';

/** Defaults, equal to DEFAULT_SAMPLE_ROWS and explain-runner's (a unit test keeps them so);
 * not imported, since those modules load the parser and pg at activation. */
export const DEFAULT_SAMPLE_ROWS = 10_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

/** Where the embedded database finds the workspace's DDL (also the CLI's default). */
export const DEFAULT_SCHEMA_GLOBS: readonly string[] = ['**/schema.sql', '**/migrations/**/*.sql', '**/*.ddl.sql'];
/** Never searched for schema files. */
export const SCHEMA_EXCLUDE_GLOBS: readonly string[] = ['**/node_modules/**', '**/.git/**'];

export interface ConnectionSettings {
  /** the valid profiles, in settings order */
  profiles: ConnectionProfile[];
  /** what is wrong with the invalid ones (left out of `profiles`) */
  problems: ProfileProblem[];
  /** the active profile's name; '' = the embedded database */
  active: string;
  schemaFiles: string[];
  /** rows per empty table in the embedded database; 0 = none */
  sampleRows: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

/** Reads one setting by its key below `sqlperf.` (e.g. 'connections', 'explain.lockTimeoutMs'). */
export type SettingsGetter = (key: string) => unknown;

export function readConnectionSettings(get: SettingsGetter): ConnectionSettings {
  const { profiles, problems } = validateProfiles(get('connections'));
  const active = get('activeConnection');
  const globs = get('schemaFiles');
  return {
    profiles,
    problems,
    active: typeof active === 'string' ? active.trim() : '',
    schemaFiles:
      Array.isArray(globs) && globs.every((g) => typeof g === 'string')
        ? globs.map((g: string) => g.trim()).filter((g) => g !== '')
        : [...DEFAULT_SCHEMA_GLOBS],
    sampleRows: wholeNumber(get('embedded.sampleRows'), DEFAULT_SAMPLE_ROWS, 0),
    statementTimeoutMs: wholeNumber(get('explain.statementTimeoutMs'), DEFAULT_STATEMENT_TIMEOUT_MS, 1),
    lockTimeoutMs: wholeNumber(get('explain.lockTimeoutMs'), DEFAULT_LOCK_TIMEOUT_MS, 1),
  };
}

function wholeNumber(v: unknown, fallback: number, min: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : fallback;
}

/** What `sqlperf.activeConnection` points at, resolved against the profiles. */
export type ActiveChoice =
  | { kind: 'embedded' }
  | { kind: 'profile'; profile: ConnectionProfile }
  /** the name is not a valid profile: `reason` says why, for the status bar and errors */
  | { kind: 'missing'; name: string; reason: string };

export function resolveActive(s: Pick<ConnectionSettings, 'profiles' | 'problems' | 'active'>): ActiveChoice {
  if (!s.active) return { kind: 'embedded' };
  const profile = s.profiles.find((p) => p.name === s.active);
  if (profile) return { kind: 'profile', profile };
  const own = s.problems.filter((p) => p.name === s.active && p.severity === 'error');
  const reason = own.length
    ? own.map((p) => p.message).join(' ')
    : `There is no connection named "${s.active}" in sqlperf.connections.`;
  return { kind: 'missing', name: s.active, reason };
}

/** A stable key for the active choice: when it changes, consumers must acquire again. */
export function activeKey(choice: ActiveChoice): string {
  switch (choice.kind) {
    case 'embedded':
      return 'embedded';
    case 'profile':
      return `profile:${JSON.stringify(choice.profile)}`;
    case 'missing':
      return `missing:${choice.name}`;
  }
}
