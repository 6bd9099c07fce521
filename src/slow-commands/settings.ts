/**
 * `sqlperf.slowQueries.*` and `sqlperf.profile.runs`, read from a plain getter. Pure.
 */
import { SLOW_ORDERS, type SlowOrder } from '../slow/types';

export interface SlowSettings {
  order: SlowOrder;
  limit: number;
  /** mean time (ms) from which a matched statement gets an information diagnostic */
  informationMeanMs: number;
  /** mean time (ms) from which the diagnostic is a warning */
  warningMeanMs: number;
  codeLens: boolean;
  profileRuns: number;
}

export const SLOW_DEFAULTS: SlowSettings = { order: 'total', limit: 50, informationMeanMs: 10, warningMeanMs: 100, codeLens: true, profileRuns: 10 };

export function readSlowSettings(get: (key: string) => unknown): SlowSettings {
  const num = (k: string, d: number, min: number) => {
    const v = get(k);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : d;
  };
  const order = get('slowQueries.order');
  return {
    order: (SLOW_ORDERS as readonly unknown[]).includes(order) ? (order as SlowOrder) : SLOW_DEFAULTS.order,
    limit: Math.floor(num('slowQueries.limit', SLOW_DEFAULTS.limit, 1)),
    informationMeanMs: num('slowQueries.informationMeanMs', SLOW_DEFAULTS.informationMeanMs, 0),
    warningMeanMs: num('slowQueries.warningMeanMs', SLOW_DEFAULTS.warningMeanMs, 0),
    codeLens: get('slowQueries.codeLens') !== false,
    profileRuns: Math.floor(num('profile.runs', SLOW_DEFAULTS.profileRuns, 1)),
  };
}

export type SlowSeverity = 'warning' | 'information' | null;

/** The slow-in-production diagnostic's severity for a mean time, or null for none. */
export function slowSeverity(meanMs: number, s: Pick<SlowSettings, 'informationMeanMs' | 'warningMeanMs'>): SlowSeverity {
  if (meanMs >= s.warningMeanMs) return 'warning';
  if (meanMs >= s.informationMeanMs) return 'information';
  return null;
}
