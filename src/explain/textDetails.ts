/**
 * Applies one text-format detail line ("Rows Removed by Filter: 9", "Buffers: ...",
 * "Sort Method: ...") to the node or worker it belongs to, filling the same fields the
 * JSON parser fills from the corresponding keys.
 */
import {
  parseBuffers, parseHashAggPairs, parseHashPairs, parseHeapBlocks, parseIoTimings, parseSortPairs, splitPairs, toNumber,
} from './textLines';
import type { IoTimes, ReportedNode, WorkerFigures } from './types';
import { IO_KEYS } from './types';

/** Lines that carry several "Key: value" pairs separated by two spaces. */
const MULTI_PAIR_FIRST_KEYS = new Set([
  'Sort Method', 'Buckets', 'Batches', 'Planned Partitions', 'Hits', 'Full-sort Groups', 'Pre-sorted Groups',
]);

/** Splits "Key: value" (or the multi-pair lines) into pairs; a line without a key gives []. */
export function detailPairs(text: string): Array<[string, string]> {
  const colon = text.indexOf(': ');
  const key = colon > 0 ? text.slice(0, colon) : text.endsWith(':') ? text.slice(0, -1) : '';
  if (!key) return [];
  if (MULTI_PAIR_FIRST_KEYS.has(key)) return splitPairs(text);
  return [[key, colon > 0 ? text.slice(colon + 2).trim() : '']];
}

export function applyNodeDetail(node: ReportedNode, text: string): void {
  const pairs = detailPairs(text);
  if (pairs.length === 0) {
    addProperty(node.properties, 'Other', text);
    return;
  }
  const map = new Map(pairs);
  const [key, value] = pairs[0];
  switch (key) {
    case 'Buffers':
      node.buffers = parseBuffers(value);
      return;
    case 'I/O Timings':
      node.io = addIo(node.io, parseIoTimings(value));
      return;
    case 'Rows Removed by Filter':
      node.rowsRemovedByFilter = toNumber(value);
      return;
    case 'Rows Removed by Join Filter':
      node.rowsRemovedByJoinFilter = toNumber(value);
      return;
    case 'Rows Removed by Index Recheck':
      node.rowsRemovedByIndexRecheck = toNumber(value);
      return;
    case 'Heap Fetches':
      node.heapFetches = toNumber(value);
      return;
    case 'Heap Blocks': {
      const hb = parseHeapBlocks(value);
      node.exactHeapBlocks = hb.exact ?? 0;
      node.lossyHeapBlocks = hb.lossy ?? 0;
      return;
    }
    case 'Workers Planned':
      node.workersPlanned = toNumber(value);
      return;
    case 'Workers Launched':
      node.workersLaunched = toNumber(value);
      return;
    case 'Single Copy':
      node.singleCopy = value === 'true';
      return;
    default:
      break;
  }
  node.sort = parseSortPairs(map) ?? node.sort;
  node.hash = parseHashPairs(map) ?? node.hash;
  node.hashAgg = parseHashAggPairs(map) ?? node.hashAgg;
  for (const [k, v] of pairs) addProperty(node.properties, k, v);
}

export function applyWorkerDetail(worker: WorkerFigures, text: string): void {
  const pairs = detailPairs(text);
  if (pairs.length === 0) {
    addProperty(worker.properties, 'Other', text);
    return;
  }
  if (pairs[0][0] === 'Buffers') {
    worker.buffers = parseBuffers(pairs[0][1]);
    return;
  }
  worker.sort = parseSortPairs(new Map(pairs)) ?? worker.sort;
  for (const [k, v] of pairs) addProperty(worker.properties, k, v);
}

function addProperty(props: Record<string, string>, key: string, value: string): void {
  props[key] = key in props ? `${props[key]}; ${value}` : value;
}

function addIo(a: IoTimes | null, b: IoTimes): IoTimes {
  if (!a) return b;
  const out = { ...a };
  for (const k of IO_KEYS) out[k] += b[k];
  return out;
}
