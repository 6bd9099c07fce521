/**
 * PgBouncer's admin console (the virtual database "pgbouncer"): SHOW POOLS, SHOW STATS,
 * SHOW DATABASES. It speaks only the simple query protocol, which a QueryTarget uses for a
 * statement without parameters.
 */
import type { QueryTarget } from '../db';
import type { PgBouncerSnapshot } from './types';

type Row = Record<string, string | number | null>;

function clean(rows: Array<Record<string, unknown>>): Row[] {
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null || v === undefined ? null : typeof v === 'number' ? v : /^-?\d+(\.\d+)?$/.test(String(v)) ? Number(v) : String(v)])));
}

/** True when the connection is PgBouncer's console (a plain server rejects SHOW POOLS). */
export function isPgBouncerDatabase(database: string): boolean {
  return database === 'pgbouncer';
}

export function summarizePgBouncer(pools: Row[], stats: Row[], databases: Row[]): PgBouncerSnapshot {
  const sum = (k: string) => pools.reduce((n, p) => n + (typeof p[k] === 'number' ? (p[k] as number) : 0), 0);
  const maxWait = pools.reduce((m, p) => Math.max(m, (Number(p.maxwait) || 0) + (Number(p.maxwait_us) || 0) / 1e6), 0);
  return {
    pools,
    stats,
    databases,
    clientsActive: sum('cl_active'),
    clientsWaiting: sum('cl_waiting'),
    serversActive: sum('sv_active'),
    serversIdle: sum('sv_idle'),
    maxWait,
  };
}

/** Reads the three SHOW commands; a session is used so a single admin connection suffices. */
export async function takePgBouncerSnapshot(target: Pick<QueryTarget, 'query'>): Promise<PgBouncerSnapshot> {
  const pools = clean((await target.query('SHOW POOLS')).rows);
  const stats = clean((await target.query('SHOW STATS')).rows);
  const databases = clean((await target.query('SHOW DATABASES')).rows);
  return summarizePgBouncer(pools, stats, databases);
}
