/**
 * The connection commands: Add, Select, Remove and Test Connection. Prompts and settings
 * writes only; what to write comes from profile-edit.ts.
 */
import * as vscode from 'vscode';
import type { ConnectionProfile, DbError, SslMode } from '../db';
import { formatDbError, isDbError } from '../db/errors';
import { describeTarget } from '../db/profiles';
import { memorySecrets } from '../db/secrets';
import type { ConnectionManager } from './manager';
import type { ProbeResult } from './probe';
import {
  checkName,
  checkPort,
  checkRequired,
  chooseWriteLevel,
  connectionPicks,
  levelsHolding,
  namesIn,
  profileFromAnswers,
  removeProfile,
  SSL_CHOICES,
  upsertProfile,
  type SettingsLevel,
} from './profile-edit';

/** Stable command ids (package.json contributes.commands). */
export const COMMANDS = {
  add: 'sqlperf.addConnection',
  select: 'sqlperf.selectConnection',
  remove: 'sqlperf.removeConnection',
  test: 'sqlperf.testConnection',
} as const;

export function registerConnectionCommands(manager: ConnectionManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.add, () => addConnection(manager)),
    vscode.commands.registerCommand(COMMANDS.select, () => selectConnection(manager)),
    vscode.commands.registerCommand(COMMANDS.remove, () => removeConnection(manager)),
    vscode.commands.registerCommand(COMMANDS.test, () => testConnection(manager)),
  ];
}

const hasWorkspace = () => (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
const configTarget = (level: SettingsLevel) => (level === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
/** activeConnection is a plain string: the workspace value wins over the user's, so write it there when there is one. */
const activeLevel = (): SettingsLevel => (hasWorkspace() ? 'workspace' : 'global');

async function addConnection(m: ConnectionManager): Promise<void> {
  const existing = m.settings().profiles;
  const step = (n: number) => `SQL Perf: Add Connection (${n}/7)`;
  const input = (n: number, o: vscode.InputBoxOptions) => vscode.window.showInputBox({ title: step(n), ignoreFocusOut: true, ...o });

  const name = (
    await input(1, {
      prompt: 'A short name for this connection',
      placeHolder: 'local',
      validateInput: (v) =>
        checkName(v) ??
        (existing.some((p) => p.name === v.trim())
          ? { message: `Replaces the connection "${v.trim()}" (leave the password empty to keep its stored one).`, severity: vscode.InputBoxValidationSeverity.Warning }
          : undefined),
    })
  )?.trim();
  if (name === undefined) return;
  const prev: ConnectionProfile | undefined = existing.find((p) => p.name === name);

  const host = await input(2, { prompt: 'Host name or IP address of the PostgreSQL server', value: prev?.host ?? 'localhost', validateInput: checkRequired('host') });
  if (host === undefined) return;
  const port = await input(3, { prompt: 'Port', value: String(prev?.port ?? 5432), validateInput: checkPort });
  if (port === undefined) return;
  const database = await input(4, { prompt: 'Database name', value: prev?.database ?? '', placeHolder: 'postgres', validateInput: checkRequired('database name') });
  if (database === undefined) return;
  const user = await input(5, { prompt: 'User name', value: prev?.user ?? '', placeHolder: 'postgres', validateInput: checkRequired('user name') });
  if (user === undefined) return;
  const password = await input(6, {
    prompt: prev
      ? 'Password: kept in VS Code\'s secret storage, never in settings. Leave empty to keep the stored one.'
      : 'Password: kept in VS Code\'s secret storage, never in settings. Leave empty to use PGPASSWORD, ~/.pgpass or trust authentication.',
    password: true,
  });
  if (password === undefined) return;

  const ssl = await vscode.window.showQuickPick(
    SSL_CHOICES.map((c) => ({ label: c.label, detail: c.detail, mode: c.mode, picked: c.mode === (prev?.ssl ?? 'prefer') })),
    { title: 'SQL Perf: Add Connection (7/7): TLS', placeHolder: 'Encryption (sslmode)', ignoreFocusOut: true },
  );
  if (!ssl) return;
  const access = await vscode.window.showQuickPick(
    [
      { label: 'Read-write', detail: 'EXPLAIN ANALYZE of INSERT, UPDATE, DELETE runs after you confirm, inside a transaction that is always rolled back.', readOnly: false },
      { label: 'Read-only', detail: 'Never execute a statement that writes, not even rolled back (production, replicas).', readOnly: true },
    ],
    { title: 'SQL Perf: Add Connection: access', placeHolder: 'May sqlperf execute writing statements (always rolled back)?', ignoreFocusOut: true },
  );
  if (!access) return;

  const made = profileFromAnswers({ name, host, port, database, user, ssl: ssl.mode as SslMode, readOnly: access.readOnly });
  if (!made.profile) {
    void vscode.window.showErrorMessage(`SQL Perf: ${made.error}`);
    return;
  }
  const profile = made.profile;
  const effectivePassword = password !== '' ? password : prev ? await m.secrets.getPassword(name) : undefined;

  const outcome = await runProbe(profile, effectivePassword);
  if (!outcome.ok) {
    const choice = await vscode.window.showWarningMessage(`SQL Perf: could not connect with "${name}": ${formatDbError(outcome.error)}`, 'Save Anyway');
    if (choice !== 'Save Anyway') return;
  }

  // password first: the settings change makes the pool (re)connect
  if (password !== '') await m.secrets.setPassword(name, password);
  else if (!prev) await m.secrets.deletePassword(name); // a leftover from a removed profile of the same name
  await m.registry.forget(name);

  const config = vscode.workspace.getConfiguration('sqlperf');
  const inspected = config.inspect<unknown[]>('connections') ?? { key: 'sqlperf.connections' };
  const level = chooseWriteLevel(inspected, hasWorkspace());
  const list = level === 'workspace' ? inspected.workspaceValue : inspected.globalValue;
  await config.update('connections', upsertProfile(list, profile), configTarget(level));
  await config.update('activeConnection', name, configTarget(activeLevel()));

  const where = level === 'workspace' ? 'workspace settings' : 'user settings';
  if (outcome.ok) {
    m.core.reportTest(name, { ok: true, version: shortVersion(outcome.result.version) });
    void vscode.window.showInformationMessage(`SQL Perf: connected to "${name}" (${outcome.result.description}), PostgreSQL ${outcome.result.version}. Saved in the ${where} and made active.`);
  } else {
    m.core.reportTest(name, { ok: false, error: outcome.error });
    void vscode.window.showInformationMessage(`SQL Perf: "${name}" saved in the ${where} and made active.`);
  }
}

type ProbeOutcome = { ok: true; result: ProbeResult } | { ok: false; error: DbError };

/** Probes with the given password (or none) on a private connection, with a progress notification. */
function runProbe(profile: ConnectionProfile, password: string | undefined, secrets = memorySecrets(password !== undefined ? { [profile.name]: password } : {})): Promise<ProbeOutcome> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `SQL Perf: connecting to ${profile.urlFromEnv ? `"${profile.name}"` : describeTarget(profile)}…` },
      async (): Promise<ProbeOutcome> => {
        try {
          // loaded here, not at activation: it brings node-postgres
          const { probeProfile } = await import('./probe');
          return { ok: true, result: await probeProfile(profile, secrets) };
        } catch (e) {
          if (isDbError(e)) return { ok: false, error: e };
          throw e;
        }
      },
    ),
  );
}

interface NamedPick extends vscode.QuickPickItem {
  name?: string;
  action?: 'add';
}

async function selectConnection(m: ConnectionManager): Promise<void> {
  const s = m.settings();
  const items: NamedPick[] = connectionPicks(s.profiles, s.active).map((p) => ({
    label: `${p.name === '' ? '$(server-environment)' : '$(database)'} ${p.label}`,
    description: p.description,
    detail: p.detail,
    name: p.name,
  }));
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(add) Add Connection…', action: 'add' });
  const picked = await vscode.window.showQuickPick(items, { title: 'SQL Perf: Select Connection', placeHolder: 'The database EXPLAIN and the index advisor use' });
  if (!picked) return;
  if (picked.action === 'add') return addConnection(m);
  if (picked.name === undefined) return;
  if (picked.name !== s.active) {
    await vscode.workspace.getConfiguration('sqlperf').update('activeConnection', picked.name, configTarget(activeLevel()));
  }
  // A server connects right away so the status bar tells whether it works; the embedded
  // database waits for its first use (it takes seconds to start).
  if (picked.name !== '') m.acquire().catch(() => undefined);
}

async function removeConnection(m: ConnectionManager): Promise<void> {
  const config = vscode.workspace.getConfiguration('sqlperf');
  const inspected = config.inspect<unknown[]>('connections') ?? { key: 'sqlperf.connections' };
  const names = [...new Set([...namesIn(inspected.workspaceValue), ...namesIn(inspected.globalValue)])];
  if (names.length === 0) {
    void vscode.window.showInformationMessage('SQL Perf: there are no connections to remove.');
    return;
  }
  const profiles = m.settings().profiles;
  const picked = await vscode.window.showQuickPick(
    names.map((name) => {
      const p = profiles.find((x) => x.name === name);
      return { label: name, description: p ? describeTarget(p) : undefined };
    }),
    { title: 'SQL Perf: Remove Connection', placeHolder: 'The connection to remove (its stored password is deleted too)' },
  );
  if (!picked) return;
  const name = picked.label;
  const confirm = await vscode.window.showWarningMessage(`Remove the connection "${name}"? Its stored password is deleted too.`, { modal: true }, 'Remove');
  if (confirm !== 'Remove') return;

  for (const level of levelsHolding(inspected, name)) {
    const list = level === 'workspace' ? inspected.workspaceValue : inspected.globalValue;
    await config.update('connections', removeProfile(list, name).list, configTarget(level));
  }
  const active = config.inspect<string>('activeConnection');
  if (active?.workspaceValue === name) await config.update('activeConnection', '', vscode.ConfigurationTarget.Workspace);
  if (active?.globalValue === name) await config.update('activeConnection', '', vscode.ConfigurationTarget.Global);
  await m.secrets.deletePassword(name);
  await m.registry.forget(name);
  void vscode.window.showInformationMessage(`SQL Perf: removed the connection "${name}".`);
}

async function testConnection(m: ConnectionManager): Promise<void> {
  const s = m.settings();
  const items: NamedPick[] = [];
  if (s.active === '') items.push({ label: '$(server-environment) Embedded database (workspace schema)', description: 'active', name: '' });
  for (const p of s.profiles) items.push({ label: `$(database) ${p.name}`, description: [describeTarget(p), p.name === s.active ? 'active' : ''].filter(Boolean).join(' · '), name: p.name });
  if (items.length === 0) return;
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: 'SQL Perf: Test Connection' });
  if (!picked || picked.name === undefined) return;

  if (picked.name === '') {
    try {
      const db = await m.acquire();
      const v = await db.target.query("SELECT current_setting('server_version') AS v");
      const load = m.core.embeddedLoad;
      const schema = load ? ` Schema: ${load.report.schema.loaded} statements from ${load.files.length} file(s), ${load.report.schema.problems.length} problem(s).` : '';
      void vscode.window.showInformationMessage(`SQL Perf: the embedded database works (PostgreSQL ${String(v.rows[0]?.v)}, PGlite).${schema}`);
    } catch (e) {
      if (isDbError(e) && e.kind === 'cancelled') return;
      void vscode.window.showErrorMessage(`SQL Perf: ${isDbError(e) ? formatDbError(e) : String(e)}`);
    }
    return;
  }

  const profile = s.profiles.find((p) => p.name === picked.name)!;
  const outcome = await runProbe(profile, undefined, m.secrets);
  if (outcome.ok) {
    m.core.reportTest(profile.name, { ok: true, version: shortVersion(outcome.result.version) });
    void vscode.window.showInformationMessage(`SQL Perf: connected to "${profile.name}" (${outcome.result.description}), PostgreSQL ${outcome.result.version}.`);
    return;
  }
  m.core.reportTest(profile.name, { ok: false, error: outcome.error });
  const actions = outcome.error.kind === 'auth' && !profile.urlFromEnv ? ['Update Password'] : ['Open Settings'];
  const choice = await vscode.window.showErrorMessage(`SQL Perf: ${formatDbError(outcome.error)}`, ...actions);
  if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'sqlperf.connections');
  if (choice === 'Update Password') {
    const password = await vscode.window.showInputBox({ title: `SQL Perf: password for "${profile.name}"`, prompt: 'Kept in VS Code\'s secret storage, never in settings.', password: true, ignoreFocusOut: true });
    if (password === undefined) return;
    await m.secrets.setPassword(profile.name, password);
    await m.registry.forget(profile.name);
    return testConnection(m);
  }
}

/** "15.20 (Debian 15.20-0+deb12u1)" -> "15.20" */
function shortVersion(v: string): string {
  return v.split(/\s/)[0] || v;
}
