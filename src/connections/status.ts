/**
 * What the status-bar item says about the active connection. Pure: the item itself is a
 * few lines in the VS Code adapter.
 */

export type ConnectionPhase = 'idle' | 'connecting' | 'ok' | 'error';

export interface ConnectionStatus {
  /** the profile's name, or '' for the embedded database */
  name: string;
  phase: ConnectionPhase;
  /** "user@host:port/db" for a profile; never a password */
  target?: string;
  /** ok: e.g. "PostgreSQL 15.20" or the schema summary; error: the message and hint */
  detail?: string;
}

export interface StatusBarView {
  text: string;
  tooltip: string;
  /** show the warning background */
  warning: boolean;
}

export const SELECT_HINT = 'Click to select a connection.';

export function statusLabel(name: string): string {
  return name === '' ? 'embedded' : name;
}

export function statusBarView(s: ConnectionStatus): StatusBarView {
  const label = statusLabel(s.name);
  const icon = s.phase === 'connecting' ? '$(sync~spin)' : '$(database)';
  const what = s.name === '' ? 'Embedded database (PostgreSQL in WebAssembly, loaded with the workspace schema)' : `Connection "${s.name}"${s.target ? ` (${s.target})` : ''}`;
  const state = (() => {
    switch (s.phase) {
      case 'idle':
        return s.name === '' ? 'Starts on first use.' : 'Not connected yet.';
      case 'connecting':
        return s.name === '' ? 'Starting…' : 'Connecting…';
      case 'ok':
        return s.detail ? `Ready: ${s.detail}` : 'Ready.';
      case 'error':
        return s.detail ?? 'Failed.';
    }
  })();
  return {
    text: `${icon} ${label}`,
    tooltip: `SQL Perf: ${what}\n${state}\n${SELECT_HINT}`,
    warning: s.phase === 'error',
  };
}

/** server_version_num as people write it: 150020 -> "15.20", 90624 -> "9.6.24". */
export function formatServerVersion(num: number): string {
  if (!Number.isFinite(num) || num <= 0) return 'unknown version';
  const major = Math.floor(num / 10000);
  if (major >= 10) return `${major}.${num % 10000}`;
  return `${major}.${Math.floor(num / 100) % 100}.${num % 100}`;
}
