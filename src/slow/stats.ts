/**
 * Reading and resetting pg_stat_statements on a QueryTarget. Every failure that means
 * "the extension is not usable here" becomes a SlowQueriesUnavailable with the steps to
 * fix it; anything else (connection lost, ...) stays a DbError.
 */
import { DbError } from '../db/errors';
import type { QueryTarget } from '../db/target';
import { buildResetQuery, buildStatsQuery, SQLPERF_TAG } from './stats-sql';
import type { StatRow } from './types';
import { SlowQueriesUnavailable } from './unavailable';

export interface StatsReadOptions {
  /** rows fetched at most, heaviest by total time first (default 1000) */
  maxRows?: number;
}

export interface StatsRead {
  rows: StatRow[];
  /** rows whose text this user may not see (`<insufficient privilege>`): need pg_read_all_stats */
  hidden: number;
  serverVersionNum: number;
  database: string;
  user: string;
}

interface Setup {
  schema: string;
  database: string;
  user: string;
}

async function locateExtension(target: QueryTarget): Promise<Setup> {
  if (target.kind === 'embedded') throw new SlowQueriesUnavailable({ reason: 'embedded' });
  const r = await target.query(
    `${SQLPERF_TAG} SELECT current_database() AS db, current_user AS usr,
       (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements') AS schema,
       (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload`,
  );
  const row = r.rows[0] ?? {};
  const database = String(row.db ?? '');
  const user = String(row.usr ?? '');
  if (row.schema === null || row.schema === undefined) {
    const preload = typeof row.preload === 'string' ? row.preload : undefined;
    throw new SlowQueriesUnavailable({
      reason: 'not-installed',
      database,
      user,
      preloaded: preload === undefined ? undefined : /(^|[\s,])"?pg_stat_statements"?($|[\s,])/.test(preload),
    });
  }
  return { schema: String(row.schema), database, user };
}

function unavailableFrom(e: unknown, s: Setup): SlowQueriesUnavailable | undefined {
  const code = (e as { code?: unknown })?.code;
  const message = (e as Error)?.message;
  if (code === '55000' || /shared_preload_libraries/i.test(message ?? '')) {
    return new SlowQueriesUnavailable({ reason: 'not-loaded', database: s.database, user: s.user, serverMessage: message });
  }
  if (code === '42501') return new SlowQueriesUnavailable({ reason: 'no-permission', database: s.database, user: s.user, serverMessage: message });
  return undefined;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0)) || 0;

export async function readStatStatements(target: QueryTarget, o: StatsReadOptions = {}): Promise<StatsRead> {
  const setup = await locateExtension(target);
  const serverVersionNum = await target.serverVersionNum();
  let result;
  try {
    result = await target.query(buildStatsQuery({ serverVersionNum, schema: setup.schema, maxRows: o.maxRows ?? 1000 }));
  } catch (e) {
    throw unavailableFrom(e, setup) ?? e;
  }
  const rows: StatRow[] = [];
  let hidden = 0;
  for (const r of result.rows) {
    const query = String(r.query ?? '');
    if (query === '<insufficient privilege>') {
      hidden++;
      continue;
    }
    rows.push({
      queryid: String(r.queryid ?? ''),
      query,
      calls: num(r.calls),
      totalTimeMs: num(r.total_ms),
      meanTimeMs: num(r.mean_ms),
      rows: num(r.rows),
      sharedBlksHit: num(r.blks_hit),
      sharedBlksRead: num(r.blks_read),
    });
  }
  return { rows, hidden, serverVersionNum, database: setup.database, user: setup.user };
}

export interface ResetOptions {
  /** the profile is read-only: never reset */
  readOnlyProfile: boolean;
  /** the user confirmed (the UI asks; the CLI has no reset) */
  confirmed: boolean;
}

/** pg_stat_statements_reset(): only after confirmation, never on a read-only profile. */
export async function resetStatStatements(target: QueryTarget, o: ResetOptions): Promise<void> {
  if (o.readOnlyProfile) {
    throw new DbError({
      kind: 'permission',
      message: 'This connection is marked read-only; sqlperf does not reset pg_stat_statements on it.',
      hint: 'Reset from a connection without "readOnly", or ask the server administrator.',
    });
  }
  if (!o.confirmed) {
    throw new DbError({ kind: 'permission', message: 'Resetting pg_stat_statements needs confirmation.', hint: 'It discards the statistics of every statement on the server, for every user.' });
  }
  const setup = await locateExtension(target);
  try {
    await target.query(buildResetQuery(setup.schema));
  } catch (e) {
    throw unavailableFrom(e, setup) ?? e;
  }
}

export const RESET_CONFIRMATION =
  'Reset pg_stat_statements? This discards the statistics of every statement on this server (all databases and users, not only this workspace) and cannot be undone.';
