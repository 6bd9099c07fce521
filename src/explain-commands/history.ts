/**
 * The plan history: the last runs of each statement, kept in the workspace's state so
 * "Compare Plans" can put two of them side by side. Keyed by the statement's normalized
 * text (comments and whitespace dropped, keywords and unquoted names lower-cased), so
 * re-indenting a query keeps its history. Pure over a Memento-like store: unit-tested.
 */
import { lex } from '../../server/engine/facts/lexer';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HistoryRun {
  id: string;
  /** normalized statement text */
  key: string;
  /** the statement as written */
  statement: string;
  createdAt: number;
  analyzed: boolean;
  /** "embedded database" or the profile name */
  target: string;
  /** EXPLAIN (FORMAT JSON) output as PostgreSQL returned it */
  plan: unknown;
  /** workspace-relative path and 1-based line where the statement was, for the pick list */
  file?: string;
  line?: number;
}

interface Entry {
  key: string;
  statement: string;
  runs: HistoryRun[];
}

interface Stored {
  version: 1;
  entries: Entry[];
}

export const HISTORY_STATE_KEY = 'sqlperf.planHistory';
export const RUNS_PER_STATEMENT = 10;
export const MAX_STATEMENTS = 50;
/** Plans larger than this (as JSON) are not kept: workspace state is not a database. */
export const MAX_PLAN_CHARS = 1_000_000;

export function normalizeStatement(sql: string): string {
  const toks = lex(sql);
  const parts: string[] = [];
  for (const t of toks) {
    if (t.word === ';') continue;
    parts.push(t.kind === 'word' ? t.word : sql.slice(t.start, t.end));
  }
  return parts.join(' ');
}

export class PlanHistory {
  constructor(
    private readonly store: MementoLike,
    private readonly now: () => number = Date.now,
  ) {}

  private read(): Stored {
    const v = this.store.get<Stored>(HISTORY_STATE_KEY);
    if (!v || v.version !== 1 || !Array.isArray(v.entries)) return { version: 1, entries: [] };
    return v;
  }

  /** Keeps a run; returns it, or null when the plan is too large to keep. */
  async add(run: Omit<HistoryRun, 'id' | 'key' | 'createdAt'> & { createdAt?: number }): Promise<HistoryRun | null> {
    if (JSON.stringify(run.plan ?? null).length > MAX_PLAN_CHARS) return null;
    const key = normalizeStatement(run.statement);
    const createdAt = run.createdAt ?? this.now();
    const full: HistoryRun = { ...run, key, createdAt, id: `${createdAt.toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
    const data = this.read();
    const at = data.entries.findIndex((e) => e.key === key);
    const entry: Entry = at >= 0 ? data.entries.splice(at, 1)[0] : { key, statement: run.statement, runs: [] };
    entry.statement = run.statement;
    entry.runs = [full, ...entry.runs].slice(0, RUNS_PER_STATEMENT);
    data.entries.unshift(entry);
    data.entries = data.entries.slice(0, MAX_STATEMENTS);
    await this.store.update(HISTORY_STATE_KEY, data);
    return full;
  }

  /** Runs of this statement, newest first. */
  runsFor(sql: string): HistoryRun[] {
    const key = normalizeStatement(sql);
    return this.read().entries.find((e) => e.key === key)?.runs ?? [];
  }

  /** Every statement with its runs, most recently run first. */
  all(): Array<{ key: string; statement: string; runs: HistoryRun[] }> {
    return this.read().entries;
  }

  get(id: string): HistoryRun | undefined {
    for (const e of this.read().entries) {
      const r = e.runs.find((x) => x.id === id);
      if (r) return r;
    }
    return undefined;
  }

  /** The run before this one of the same statement, if any. */
  previous(id: string): HistoryRun | undefined {
    for (const e of this.read().entries) {
      const i = e.runs.findIndex((x) => x.id === id);
      if (i >= 0) return e.runs[i + 1];
    }
    return undefined;
  }

  async clear(): Promise<void> {
    await this.store.update(HISTORY_STATE_KEY, undefined);
  }
}

/** Orders two picked runs as before / after: the older one first. */
export function orderPair(a: HistoryRun, b: HistoryRun): [HistoryRun, HistoryRun] {
  return a.createdAt <= b.createdAt ? [a, b] : [b, a];
}
