/** The panel's short in-memory history: one point per snapshot, the last N kept. Pure. */
import type { HistoryPoint } from './protocol';
import type { ServerSnapshot } from './types';

export const HISTORY_LENGTH = 120;

export function historyPoint(s: ServerSnapshot): HistoryPoint {
  return {
    t: s.takenAt,
    clients: s.clientConnections,
    usable: s.usableConnections,
    active: s.byState.active ?? 0,
    idleInTransaction: s.idleInTransaction.count,
    lockWaits: s.lockWaits.length,
    sessionsPerMinute: s.churn.sessionsPerMinute,
    cacheHitRate: s.cache.hitRate,
  };
}

export function appendHistory(history: readonly HistoryPoint[], point: HistoryPoint, max = HISTORY_LENGTH): HistoryPoint[] {
  const next = [...history, point];
  return next.length > max ? next.slice(next.length - max) : next;
}
