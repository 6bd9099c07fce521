/**
 * The report the CLI prints and the panel shows: server snapshot + app pools + findings,
 * its JSON form and its text form. Pure.
 */
import { allFindings, type FindingOptions } from './findings';
import { ownPoolText } from './own-pool';
import type { AppPoolConfig, PgBouncerSnapshot, PoolReport, ServerSnapshot } from './types';

export function buildReport(server: ServerSnapshot | null, app: AppPoolConfig[], o: FindingOptions & { serverError?: string; pgbouncer?: PgBouncerSnapshot | null } = {}): PoolReport {
  return {
    server,
    ...(o.serverError ? { serverError: o.serverError } : {}),
    ...(o.pgbouncer !== undefined ? { pgbouncer: o.pgbouncer } : {}),
    app,
    instances: Math.max(1, o.instances ?? 1),
    findings: allFindings(server, app, o, o.pgbouncer),
  };
}

/**
 * `sqlperf pool --format json`. Top level: `server` (the snapshot, whose first fields are
 * maxConnections, reservedConnections, usableConnections, clientConnections, utilization),
 * `byState` and `byApplication` (copies of the server's, for quick reading), `app`
 * (pools found in the code: file, line, location, library, maxConnections, settings),
 * `appMaxConnections` (sum × instances), `findings` (id, severity, title, detail, ...).
 */
export function reportJson(r: PoolReport): unknown {
  const known = r.app.filter((p) => typeof p.maxConnections === 'number');
  return {
    server: r.server
      ? r.server
      : null,
    ...(r.serverError ? { serverError: r.serverError } : {}),
    byState: r.server?.byState ?? {},
    byApplication: r.server?.byApplication ?? {},
    ...(r.pgbouncer ? { pgbouncer: r.pgbouncer } : {}),
    app: r.app.map((p) => ({ file: p.file, line: p.line, location: `${p.file}:${p.line}`, library: p.library, maxConnections: p.maxConnections ?? null, settings: p.settings, ...(p.createdInFunction ? { createdInFunction: p.createdInFunction } : {}) })),
    instances: r.instances,
    appMaxConnections: known.reduce((n, p) => n + (p.maxConnections as number), 0) * r.instances,
    findings: r.findings,
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const top = (m: Record<string, number>, n = 8): string =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '(none)';

export function reportText(r: PoolReport): string {
  const lines: string[] = [];
  const s = r.server;
  if (s) {
    lines.push(`Server ${s.description} (PostgreSQL ${Math.floor(s.versionNum / 10000)})`);
    lines.push(`  slots            ${s.clientConnections} / ${s.usableConnections} usable (${pct(s.utilization)}; max_connections ${s.maxConnections}, reserved ${s.reservedConnections})`);
    lines.push(`  by state         ${top(s.byState)}`);
    lines.push(`  by application   ${top(s.byApplication)}`);
    lines.push(`  by user          ${top(s.byUser)}`);
    lines.push(`  by client        ${top(s.byClient)}`);
    lines.push(`  idle in xact     ${s.idleInTransaction.count}${s.idleInTransaction.oldestSeconds !== null ? `, oldest ${s.idleInTransaction.oldestSeconds} s` : ''}`);
    lines.push(`  long queries     ${s.longQueries.length}   long transactions ${s.longTransactions.length}   oldest xmin age ${s.oldestXminAge ?? 'n/a'}`);
    lines.push(`  lock waits       ${s.lockWaits.length}`);
    lines.push(`  churn            ${s.churn.sessionsPerMinute !== null ? `${s.churn.sessionsPerMinute}/min` : `${s.churn.startedLastMinute} started in the last minute`}${s.churn.sessionsTotal !== null ? ` (${s.churn.sessionsTotal} sessions since stats reset)` : ''}`);
    lines.push(`  cache hit rate   ${pct(s.cache.hitRate)}`);
    for (const k of ['idle_in_transaction_session_timeout', 'statement_timeout', 'idle_session_timeout']) lines.push(`  ${k.padEnd(16)} ${s.settings[k] ?? 'n/a'}`);
    lines.push(`  sqlperf itself   ${s.sqlperf.backends} backend(s)${s.sqlperf.pool ? `; this process's pool ${ownPoolText(s.sqlperf.pool)}` : ''}`);
  } else {
    lines.push(`Server: not read${r.serverError ? ` (${r.serverError})` : ' (give --db or --connection)'}`);
  }
  if (r.pgbouncer) {
    const b = r.pgbouncer;
    lines.push(`PgBouncer: clients active ${b.clientsActive}, waiting ${b.clientsWaiting}; servers active ${b.serversActive}, idle ${b.serversIdle}; maxwait ${b.maxWait.toFixed(1)} s`);
  }
  lines.push('');
  lines.push(`Application pools (${r.app.length})${r.instances > 1 ? `, × ${r.instances} instances` : ''}`);
  for (const p of r.app) {
    const max = p.maxConnections === null ? 'unlimited' : p.maxConnections === undefined ? '?' : String(p.maxConnections);
    const set = Object.entries(p.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(`  ${p.file}:${p.line}  ${p.library}  max ${max}${set ? `  ${set}` : ''}`);
  }
  lines.push('');
  lines.push(`Findings (${r.findings.length})`);
  for (const f of r.findings) {
    lines.push(`  ${f.severity.padEnd(8)} ${f.id}: ${f.title}`);
    lines.push(`           ${f.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
