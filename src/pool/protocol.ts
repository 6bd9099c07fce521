/**
 * Messages between the pool panel's host (src/panels/pool-panel.ts) and its webview
 * (media/pool/main.ts). Types only: both sides import this file.
 */
import type { PoolReport } from './types';

export const POOL_VIEW_TYPE = 'sqlperf.poolDiagnostics';

/** One sample of the figures drawn as sparklines. */
export interface HistoryPoint {
  t: number;
  clients: number;
  usable: number;
  active: number;
  idleInTransaction: number;
  lockWaits: number;
  sessionsPerMinute: number | null;
  cacheHitRate: number | null;
}

export interface UpdateMessage {
  type: 'update';
  /** the profile's name or "embedded database" */
  label: string;
  readOnly: boolean;
  report: PoolReport;
  history: HistoryPoint[];
  /** set while the server cannot be reached: since when (ms since epoch) */
  disconnectedSince: number | null;
  intervalSeconds: number;
}

export type HostToWebview = UpdateMessage | { type: 'busy'; busy: boolean };

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'openLocation'; file: string; line: number }
  | { type: 'terminate'; pid: number };

/** Checks a message from the webview (it is untrusted input). */
export function parsePoolWebviewMessage(m: unknown): WebviewToHost | null {
  if (!m || typeof m !== 'object') return null;
  const o = m as Record<string, unknown>;
  switch (o.type) {
    case 'ready':
    case 'refresh':
      return { type: o.type };
    case 'openLocation':
      return typeof o.file === 'string' && Number.isInteger(o.line) ? { type: 'openLocation', file: o.file, line: o.line as number } : null;
    case 'terminate':
      return Number.isInteger(o.pid) && (o.pid as number) > 0 ? { type: 'terminate', pid: o.pid as number } : null;
    default:
      return null;
  }
}
