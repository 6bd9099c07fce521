/**
 * The contract between the analyzer, the rules and their consumers (language server, CLI).
 * Offsets are UTF-16 code units. Inside a rule they are relative to the statement's text;
 * the analyzer moves them to document offsets.
 */
import type { Facts } from './facts/types';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type Category = 'performance' | 'locking' | 'correctness' | 'host-code' | 'pool';
export type RuleSetting = Severity | 'off';

export interface RuleMeta {
  /** kebab-case, stable: the diagnostic code and the settings key */
  id: string;
  category: Category;
  defaultSeverity: Severity;
  /** false: off unless the user turns it on */
  enabledByDefault?: boolean;
  needs: Array<'schema' | 'database'>;
  /** one sentence: what it finds and why it is slow */
  description: string;
  /** only meaningful for SQL embedded in host code */
  hostOnly?: boolean;
  /** PostgreSQL-specific advice: not run for other dialects */
  postgresOnly?: boolean;
}

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface Report {
  start: number;
  end: number;
  message: string;
  fix?: Fix;
  /** extra explanation for hover (e.g. the complexity breakdown), markdown */
  detail?: string;
}

/** Where an embedded statement sits in host code (absent for .sql files). */
export interface HostInfo {
  language: string;
  callName: string;
  knownCall: boolean;
  /** innermost loop around the call; `line` is 0-based (add 1 for messages) */
  loop?: { kind: string; line: number };
}

export interface RuleOptions {
  /** `complexity` threshold */
  complexityThreshold: number;
  /** `too-many-joins` threshold */
  maxJoins: number;
  /** `large-offset` threshold */
  offsetThreshold: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  complexityThreshold: 25,
  maxJoins: 8,
  offsetThreshold: 1000,
};

/**
 * What earlier statements of the same `.sql` document established, for the few rules that
 * need file-level context (`missing-lock-timeout`, `set-not-null`). Computed by the analyzer
 * from the statements' text with `DocumentScan` (rules/ddl-util.ts); it is part of the
 * per-statement cache key, so a cached finding never outlives the context it was made in.
 */
export interface DocumentContext {
  /** a non-zero lock_timeout (SET, SET LOCAL, set_config) is in force: set earlier and not reset since */
  lockTimeout: boolean;
  /** an earlier statement takes a table lock that lock_timeout would bound (see lockingHead) */
  lockingBefore: boolean;
  /** `table.column` (as PostgreSQL folds the names, without schema) for which an earlier ALTER TABLE added CHECK (column IS NOT NULL) */
  notNullChecks: readonly string[];
}

export interface RuleContext {
  /** the statement's text */
  text: string;
  /** libpg-query's AST of the statement (one RawStmt's `stmt`) */
  ast: Record<string, unknown>;
  facts: Facts;
  options: RuleOptions;
  host?: HostInfo;
  /**
   * File-level context from earlier statements of the same `.sql` document (see
   * DocumentContext); absent for SQL embedded in host code, where each string stands alone.
   */
  document?: DocumentContext;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** A finding in document coordinates. */
export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fix?: Fix;
  detail?: string;
}

/** The parse error rule id: not a registered rule, always on. */
export const SYNTAX_ERROR = 'syntax-error';

/** A statement that parsed but could not be analyzed (an engine bug or a pathological input). */
export const ANALYSIS_FAILED = 'analysis-failed';
