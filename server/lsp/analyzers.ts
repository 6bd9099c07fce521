/**
 * One Analyzer per distinct settings. An Analyzer drops its statement cache when it is
 * reconfigured, so documents with different settings (two folders, two `.sqlperf.json`)
 * sharing one would thrash it; a few analyzers keyed by settings keep every cache warm.
 */
import { Analyzer } from '../engine/analyze';
import { settingsKey, type SqlperfSettings } from '../engine/settings';

const MAX_ANALYZERS = 4;

export class AnalyzerPool {
  private readonly byKey = new Map<string, Analyzer>();

  get(settings: SqlperfSettings): { analyzer: Analyzer; key: string } {
    const key = settingsKey(settings);
    let analyzer = this.byKey.get(key);
    if (analyzer) {
      // Map order is insertion order: re-insert to mark as recently used.
      this.byKey.delete(key);
    } else {
      analyzer = new Analyzer(settings);
      if (this.byKey.size >= MAX_ANALYZERS) this.byKey.delete(this.byKey.keys().next().value!);
    }
    this.byKey.set(key, analyzer);
    return { analyzer, key };
  }
}
