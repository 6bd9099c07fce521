/**
 * Dismissed suggestions, remembered per workspace (VS Code's workspaceState, or any store
 * of the same shape). A suggestion is known by its candidate key, the index definition
 * without a name, so it stays dismissed across refreshes and renames. No vscode.
 */
import type { Suggestion } from '../advisor/types';

/** The part of vscode.Memento this needs. */
export interface KeyValueStore {
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface DismissedEntry {
  key: string;
  /** shown in the "Dismissed" list */
  definition: string;
  table: string;
  /** ms since the epoch */
  at: number;
}

export const DISMISSED_STATE_KEY = 'sqlperf.advisor.dismissed';

export class DismissedSuggestions {
  constructor(private readonly store: KeyValueStore) {}

  all(): DismissedEntry[] {
    const v = this.store.get<unknown>(DISMISSED_STATE_KEY, []);
    // the stored value may come from an older or edited state: keep only well-formed entries
    return Array.isArray(v) ? v.filter((e): e is DismissedEntry => !!e && typeof e.key === 'string' && typeof e.definition === 'string') : [];
  }

  has(key: string): boolean {
    return this.all().some((e) => e.key === key);
  }

  async dismiss(s: Suggestion, now = Date.now()): Promise<void> {
    const rest = this.all().filter((e) => e.key !== s.candidate.key);
    const table = s.candidate.schema === 'public' ? s.candidate.table : `${s.candidate.schema}.${s.candidate.table}`;
    await this.store.update(DISMISSED_STATE_KEY, [...rest, { key: s.candidate.key, definition: s.definition, table, at: now }]);
  }

  async restore(key: string): Promise<void> {
    await this.store.update(DISMISSED_STATE_KEY, this.all().filter((e) => e.key !== key));
  }

  async restoreAll(): Promise<void> {
    await this.store.update(DISMISSED_STATE_KEY, []);
  }

  /** The suggestions to show and the ones hidden. */
  split(suggestions: readonly Suggestion[]): { shown: Suggestion[]; hidden: Suggestion[] } {
    const keys = new Set(this.all().map((e) => e.key));
    return { shown: suggestions.filter((s) => !keys.has(s.candidate.key)), hidden: suggestions.filter((s) => keys.has(s.candidate.key)) };
  }
}
