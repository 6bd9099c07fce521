/**
 * Arguments of `sqlperf slow` and `sqlperf profile`. Pure: argv in, options or a usage
 * error out.
 */
import { SLOW_ORDERS, type SlowOrder } from '../slow/types';

export type SlowFormat = 'text' | 'json';
export type ServerTargetOption = { kind: 'db'; url: string } | { kind: 'connection'; name: string };

export interface SlowCliOptions {
  target: ServerTargetOption;
  paths: string[];
  order: SlowOrder;
  limit: number;
  format: SlowFormat;
}

export interface ProfileCliOptions {
  target: ServerTargetOption;
  sql: string;
  runs: number;
  allowWrite: boolean;
  params: string[];
  format: SlowFormat;
}

export type SlowCommand =
  | { kind: 'slow'; options: SlowCliOptions }
  | { kind: 'profile'; options: ProfileCliOptions }
  | { kind: 'help'; topic: 'slow' | 'profile' }
  | { kind: 'usage-error'; message: string; topic: 'slow' | 'profile' };

export const SLOW_USAGE = `Usage: sqlperf slow (--db <url> | --connection <name>) [paths...] [options]

Lists the server's statements from pg_stat_statements, heaviest first, each with the files
and lines in the workspace that issue it (matched by libpg-query fingerprint, so literal
values and parameter styles do not matter), or "not found in the workspace".

  --db <url>            postgresql://user:password@host:5432/db
  --connection <name>   a profile from "connections" in .sqlperf.json (password from
                        SQLPERF_PASSWORD, PGPASSWORD or ~/.pgpass)
  paths                 files and folders to search for the statements (default: .)
  --order <key>         total (default), mean, calls, rows or reads (shared blocks read)
  --limit <n>           show the first n statements (default 20)
  --format <fmt>        text (default) or json

Exit codes: 0 listed, 1 pg_stat_statements unavailable or the database failed, 2 usage.
`;

export const PROFILE_USAGE = `Usage: sqlperf profile (--db <url> | --connection <name>) --sql "<statement>" [options]

Runs the statement once to warm up, then N times, each with EXPLAIN (ANALYZE, BUFFERS)
inside a transaction that is rolled back, and prints min, median, p95, max and mean of the
server's execution time, the rows returned and the buffers of the last run.

  --runs <n>            measured runs (default 10)
  --param <value...>    values for $1, $2, ... in order
  --allow-write         let it run INSERT, UPDATE, DELETE or MERGE (rolled back each time;
                        sequences still advance); refused on read-only profiles
  --format <fmt>        text (default) or json

Exit codes: 0 profiled, 1 refused or the database failed, 2 usage.
`;

const FORMATS: readonly SlowFormat[] = ['text', 'json'];

interface Raw {
  values: Map<string, string>;
  multi: Map<string, string[]>;
  flags: Set<string>;
  positional: string[];
}

function scan(argv: readonly string[], single: Set<string>, multi: Set<string>, flags: Set<string>): Raw | string | 'help' {
  const raw: Raw = { values: new Map(), multi: new Map(), flags: new Set(), positional: [] };
  let onlyPaths = false;
  let current: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('--') || arg === '-') {
      if (arg === '-h') return 'help';
      if (current) raw.multi.get(current)!.push(arg);
      else raw.positional.push(arg);
      continue;
    }
    current = null;
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (flags.has(name)) {
      raw.flags.add(name);
      continue;
    }
    if (multi.has(name)) {
      if (!raw.multi.has(name)) raw.multi.set(name, []);
      if (eq > 0) raw.multi.get(name)!.push(arg.slice(eq + 1));
      else current = name;
      continue;
    }
    if (!single.has(name)) return `unknown option ${name}`;
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length) value = argv[++i];
    if (value === undefined || value === '') return `${name} needs a value`;
    if (raw.values.has(name)) return `${name} given twice`;
    raw.values.set(name, value);
  }
  return raw;
}

function targetOf(raw: Raw): ServerTargetOption | string {
  const db = raw.values.get('--db');
  const conn = raw.values.get('--connection');
  if (db && conn) return 'use either --db or --connection, not both';
  if (db) return { kind: 'db', url: db };
  if (conn) return { kind: 'connection', name: conn };
  return 'a server is needed: --db <url> or --connection <name>';
}

function formatOf(raw: Raw): SlowFormat | string {
  const f = raw.values.get('--format') ?? 'text';
  return (FORMATS as readonly string[]).includes(f) ? (f as SlowFormat) : `unknown format "${f}" (use text or json)`;
}

function positiveInt(raw: Raw, name: string, fallback: number): number | string {
  const v = raw.values.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 ? n : `${name} needs a whole number >= 1, got "${v}"`;
}

export function parseSlowArgs(argv: readonly string[]): SlowCommand {
  const usage = (message: string): SlowCommand => ({ kind: 'usage-error', message, topic: 'slow' });
  const raw = scan(argv, new Set(['--db', '--connection', '--order', '--limit', '--format']), new Set(), new Set());
  if (raw === 'help') return { kind: 'help', topic: 'slow' };
  if (typeof raw === 'string') return usage(raw);
  const target = targetOf(raw);
  if (typeof target === 'string') return usage(target);
  const format = formatOf(raw);
  if (!FORMATS.includes(format as SlowFormat)) return usage(format);
  const order = raw.values.get('--order') ?? 'total';
  if (!(SLOW_ORDERS as readonly string[]).includes(order)) return usage(`unknown order "${order}" (use ${SLOW_ORDERS.join(', ')})`);
  const limit = positiveInt(raw, '--limit', 20);
  if (typeof limit === 'string') return usage(limit);
  return {
    kind: 'slow',
    options: { target, paths: raw.positional.length ? raw.positional : ['.'], order: order as SlowOrder, limit, format: format as SlowFormat },
  };
}

export function parseProfileArgs(argv: readonly string[]): SlowCommand {
  const usage = (message: string): SlowCommand => ({ kind: 'usage-error', message, topic: 'profile' });
  const raw = scan(argv, new Set(['--db', '--connection', '--sql', '--runs', '--format']), new Set(['--param']), new Set(['--allow-write']));
  if (raw === 'help') return { kind: 'help', topic: 'profile' };
  if (typeof raw === 'string') return usage(raw);
  if (raw.positional.length) return usage(`unexpected argument "${raw.positional[0]}" (give the statement with --sql)`);
  const target = targetOf(raw);
  if (typeof target === 'string') return usage(target);
  const format = formatOf(raw);
  if (!FORMATS.includes(format as SlowFormat)) return usage(format);
  const sql = raw.values.get('--sql');
  if (!sql || !sql.trim()) return usage('--sql "<statement>" is required');
  const runs = positiveInt(raw, '--runs', 10);
  if (typeof runs === 'string') return usage(runs);
  return {
    kind: 'profile',
    options: { target, sql, runs, allowWrite: raw.flags.has('--allow-write'), params: raw.multi.get('--param') ?? [], format: format as SlowFormat },
  };
}
