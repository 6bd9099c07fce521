/**
 * sqlperf's own pool in the report: the active target's node-postgres counts, read without
 * importing the driver (the embedded database has no pool, so it gives nothing). Pure.
 */
import type { OwnPoolStats, ServerSnapshot } from './types';

interface HasPoolStats {
  poolStats(): OwnPoolStats;
}

/** The target's pool counts, or undefined when the target has no pool (embedded, a fake). */
export function ownPoolStats(target: unknown): OwnPoolStats | undefined {
  const t = target as Partial<HasPoolStats> | null;
  if (!t || typeof t.poolStats !== 'function') return undefined;
  const s = t.poolStats();
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return { total: n(s.total), idle: n(s.idle), waiting: n(s.waiting), ...(typeof s.max === 'number' ? { max: s.max } : {}) };
}

/**
 * The snapshot with this window's pool attached. Read after the snapshot's own session was
 * released, so the figures are the resting state, not "one busy: the reader itself".
 */
export function withOwnPool(server: ServerSnapshot, pool: OwnPoolStats | undefined): ServerSnapshot {
  return pool ? { ...server, sqlperf: { ...server.sqlperf, pool } } : server;
}

/** "2 open (1 idle, 0 waiting) of at most 3" */
export function ownPoolText(p: OwnPoolStats): string {
  return `${p.total} open (${p.idle} idle, ${p.waiting} waiting)${p.max !== undefined ? ` of at most ${p.max}` : ''}`;
}
