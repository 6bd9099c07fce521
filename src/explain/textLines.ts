/**
 * Parsers for single lines of the text format: the node line ("Seq Scan on t  (cost=..)
 * (actual ..)") and the detail lines under it ("Buffers: ...", "Sort Method: ...").
 * Each is a pure function of one line; building the tree is textPlan.ts's job.
 *
 * Lines are parsed with indexOf/anchored regexes on short segments, never with a regex
 * that backtracks over the whole line, so a pathological line costs linear time.
 */
import type { BufferCounts, HashAggInfo, HashInfo, IoTimes, SortInfo } from './types';

export interface NodeLine {
  name: string;
  startupCost: number | null;
  totalCost: number | null;
  planRows: number | null;
  planWidth: number | null;
  actualStartupTimeMs: number | null;
  actualTotalTimeMs: number | null;
  actualRows: number | null;
  actualLoops: number | null;
  neverExecuted: boolean;
  /** The line ended in the middle of its figures (truncated input). */
  truncated: boolean;
}

const COST_RE = /^\(cost=([\d.]+)\.\.([\d.]+) rows=([\d.e+]+) width=(\d+)\)$/;
const ACTUAL_RE = /^\(actual (?:time=([\d.]+)\.\.([\d.]+) )?rows=([\d.]+) loops=([\d.]+)\)$/;

/** Splits a node line (without the "->" arrow) into its name and figures. */
export function parseNodeLine(text: string): NodeLine {
  const out: NodeLine = {
    name: '', startupCost: null, totalCost: null, planRows: null, planWidth: null, actualStartupTimeMs: null,
    actualTotalTimeMs: null, actualRows: null, actualLoops: null, neverExecuted: false, truncated: false,
  };
  let rest = text.trim();
  const actualAt = Math.max(rest.lastIndexOf('(actual '), rest.lastIndexOf('(never executed)'));
  if (actualAt >= 0) {
    const seg = rest.slice(actualAt).trim();
    if (seg === '(never executed)') out.neverExecuted = true;
    else {
      const m = ACTUAL_RE.exec(seg);
      if (m) {
        out.actualStartupTimeMs = m[1] !== undefined ? Number(m[1]) : null;
        out.actualTotalTimeMs = m[2] !== undefined ? Number(m[2]) : null;
        out.actualRows = Number(m[3]);
        out.actualLoops = Number(m[4]);
      } else out.truncated = true;
    }
    rest = rest.slice(0, actualAt).trimEnd();
  }
  const costAt = rest.lastIndexOf('(cost=');
  if (costAt >= 0) {
    const m = COST_RE.exec(rest.slice(costAt).trim());
    if (m) {
      out.startupCost = Number(m[1]);
      out.totalCost = Number(m[2]);
      out.planRows = Number(m[3]);
      out.planWidth = Number(m[4]);
    } else out.truncated = true;
    rest = rest.slice(0, costAt).trimEnd();
  }
  out.name = rest;
  return out;
}

/** True when a line carries a node's figures, i.e. it is certainly a node line. */
export function hasNodeFigures(text: string): boolean {
  return text.includes('(cost=') || text.includes('(actual ') || text.includes('(never executed)');
}

export function emptyBuffers(): BufferCounts {
  return {
    sharedHit: 0, sharedRead: 0, sharedDirtied: 0, sharedWritten: 0, localHit: 0, localRead: 0, localDirtied: 0,
    localWritten: 0, tempRead: 0, tempWritten: 0,
  };
}

export function emptyIo(): IoTimes {
  return { sharedReadMs: 0, sharedWriteMs: 0, localReadMs: 0, localWriteMs: 0, tempReadMs: 0, tempWriteMs: 0 };
}

const BUFFER_FIELD: Record<string, Record<string, keyof BufferCounts>> = {
  shared: { hit: 'sharedHit', read: 'sharedRead', dirtied: 'sharedDirtied', written: 'sharedWritten' },
  local: { hit: 'localHit', read: 'localRead', dirtied: 'localDirtied', written: 'localWritten' },
  temp: { read: 'tempRead', written: 'tempWritten' },
};

/** "shared hit=1 read=2 dirtied=3, local hit=4, temp read=5 written=6" */
export function parseBuffers(value: string): BufferCounts {
  const out = emptyBuffers();
  for (const group of value.split(',')) {
    const words = group.trim().split(/\s+/);
    const fields = BUFFER_FIELD[words[0]];
    if (!fields) continue;
    for (const w of words.slice(1)) {
      const eq = w.indexOf('=');
      const key = fields[w.slice(0, eq)];
      if (eq > 0 && key) out[key] = Number(w.slice(eq + 1)) || 0;
    }
  }
  return out;
}

/**
 * "I/O Timings: read=1.2 write=0.3" (PG 13-14), "shared/local read=.. write=.., temp read=.."
 * (PG 15), "shared read=.., local read=.., temp read=.." (PG 16+).
 */
export function parseIoTimings(value: string): IoTimes {
  const out = emptyIo();
  for (const group of value.split(',')) {
    const words = group.trim().split(/\s+/);
    let label = 'shared';
    if (words.length && !words[0].includes('=')) label = words.shift() ?? 'shared';
    const prefix = label === 'temp' ? 'temp' : label === 'local' ? 'local' : 'shared';
    for (const w of words) {
      const [k, v] = w.split('=');
      const ms = Number(v) || 0;
      if (k === 'read') out[`${prefix}ReadMs` as keyof IoTimes] += ms;
      else if (k === 'write') out[`${prefix}WriteMs` as keyof IoTimes] += ms;
    }
  }
  return out;
}

/** Splits a line of several "Key: value" pairs separated by two or more spaces. */
export function splitPairs(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const seg of text.split(/\s{2,}/)) {
    const colon = seg.indexOf(': ');
    if (colon > 0) out.push([seg.slice(0, colon), seg.slice(colon + 2).trim()]);
    else if (seg.endsWith(':')) out.push([seg.slice(0, -1), '']);
    else if (out.length) out[out.length - 1][1] += `  ${seg}`;
  }
  return out;
}

/** "5432kB" -> 5432 */
export function parseKb(value: string | undefined): number | null {
  if (value === undefined) return null;
  const m = /^(-?[\d.]+)\s*kB$/.exec(value.trim());
  return m ? Number(m[1]) : null;
}

/** "1024 (originally 512)" -> [1024, 512] */
function withOriginal(value: string | undefined): [number | null, number | null] {
  if (value === undefined) return [null, null];
  const m = /^(\d+)(?: \(originally (\d+)\))?$/.exec(value.trim());
  if (!m) return [null, null];
  return [Number(m[1]), m[2] !== undefined ? Number(m[2]) : Number(m[1])];
}

/** "Sort Method: external merge  Disk: 1234kB" (also inside "Worker N:" lines). */
export function parseSortPairs(pairs: Map<string, string>): SortInfo | null {
  const method = pairs.get('Sort Method');
  if (method === undefined) return null;
  const spaceType = pairs.has('Disk') ? 'Disk' : pairs.has('Memory') ? 'Memory' : null;
  return { method, spaceType, spaceKb: spaceType ? parseKb(pairs.get(spaceType)) : null };
}

/** "Buckets: 1024 (originally 1024)  Batches: 4 (originally 1)  Memory Usage: 9kB" */
export function parseHashPairs(pairs: Map<string, string>): HashInfo | null {
  if (!pairs.has('Buckets')) return null;
  const [buckets, originalBuckets] = withOriginal(pairs.get('Buckets'));
  const [batches, originalBatches] = withOriginal(pairs.get('Batches'));
  return { buckets, originalBuckets, batches, originalBatches, memoryKb: parseKb(pairs.get('Memory Usage')) };
}

/** "Planned Partitions: 4  Batches: 5  Memory Usage: 4145kB  Disk Usage: 3088kB" (HashAggregate). */
export function parseHashAggPairs(pairs: Map<string, string>): HashAggInfo | null {
  if (pairs.has('Buckets') || !pairs.has('Batches')) return null;
  return {
    batches: Number(pairs.get('Batches')) || null,
    plannedPartitions: pairs.has('Planned Partitions') ? Number(pairs.get('Planned Partitions')) : null,
    memoryKb: parseKb(pairs.get('Memory Usage')),
    diskKb: parseKb(pairs.get('Disk Usage')),
  };
}

/** "exact=12 lossy=34" (either may be missing). */
export function parseHeapBlocks(value: string): { exact: number | null; lossy: number | null } {
  const exact = /exact=(\d+)/.exec(value);
  const lossy = /lossy=(\d+)/.exec(value);
  return { exact: exact ? Number(exact[1]) : null, lossy: lossy ? Number(lossy[1]) : null };
}

/** "actual time=0.1..2.3 rows=4 loops=1" at the start of a "Worker N:" line. */
export function parseWorkerActuals(text: string): { startup: number | null; total: number | null; rows: number; loops: number; rest: string } | null {
  const m = /^actual (?:time=([\d.]+)\.\.([\d.]+) )?rows=([\d.]+) loops=([\d.]+)\s*(.*)$/.exec(text);
  if (!m) return null;
  return {
    startup: m[1] !== undefined ? Number(m[1]) : null,
    total: m[2] !== undefined ? Number(m[2]) : null,
    rows: Number(m[3]),
    loops: Number(m[4]),
    rest: m[5],
  };
}

/** Numbers as EXPLAIN prints them; null when absent or not a number. */
export function toNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : null;
}
