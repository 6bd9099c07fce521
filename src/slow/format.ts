/**
 * Short human figures: "412k calls · mean 38 ms · 7% of total time". Pure.
 */
import type { SlowEntry } from './types';

export function formatCount(n: number): string {
  if (n >= 1e9) return `${trim(n / 1e9)}G`;
  if (n >= 1e6) return `${trim(n / 1e6)}M`;
  if (n >= 1e3) return `${trim(n / 1e3)}k`;
  return String(Math.round(n));
}

function trim(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/\.?0+$/, '');
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  if (ms >= 60_000) return `${trim(ms / 60_000)} min`;
  if (ms >= 1000) return `${trim(ms / 1000)} s`;
  if (ms >= 10) return `${Math.round(ms)} ms`;
  if (ms >= 1) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatShare(share: number): string {
  const pct = share * 100;
  return pct >= 1 || pct === 0 ? `${Math.round(pct)}%` : '<1%';
}

export function lensTitle(e: SlowEntry): string {
  return `${formatCount(e.calls)} calls · mean ${formatMs(e.meanTimeMs)} · ${formatShare(e.shareOfTotal)} of total time`;
}
