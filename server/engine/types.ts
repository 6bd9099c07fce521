/**
 * The contract between the analyzer, the rules and their consumers (language server, CLI).
 * Offsets are UTF-16 code units. Inside a rule they are relative to the statement's text;
 * the analyzer moves them to document offsets.
 */
import type { Facts } from './facts/types';
import type { Schema } from './schema/model';

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
  /**
   * Runs without a schema but does more with one (e.g. `select-star`'s quick fix): like the
   * `needs: ['schema']` rules it runs in the analyzer's schema pass, whose findings are
   * cached by the schema parts the statement names; `schema` is undefined when there is none.
   */
  usesSchema?: boolean;
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
  /** an editor command offered as a code action (e.g. reveal the matching index suggestion) */
  command?: FindingCommand;
}

/**
 * A command a finding offers. The language server fills in where the finding is: for
 * `sqlperf.advisor.revealSuggestion` it adds `uri` and `line` (0-based) to the first argument.
 */
export interface FindingCommand {
  title: string;
  command: string;
  arguments: unknown[];
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
  /** `deep-subquery-nesting` threshold: subqueries nested deeper than this are reported */
  maxSubqueryDepth: number;
}

export const DEFAULT_RULE_OPTIONS: RuleOptions = {
  complexityThreshold: 25,
  maxJoins: 8,
  offsetThreshold: 1000,
  maxSubqueryDepth: 3,
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
  /**
   * The workspace's schema (from its DDL files), for rules with `needs: ['schema']`; those
   * run only when it is present.
   */
  schema?: Schema;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
  /**
   * Host-file rules (`meta.hostOnly`) that look at the application code itself rather than
   * at one SQL string (pool misuse, sequential queries, interpolation): run once per host
   * document over its syntax tree. Such rules leave `check` empty. Offsets are document
   * offsets.
   */
  checkHostFile?(ctx: HostFileContext): void;
}

/** What a host-file rule sees: the document's tree-sitter tree, indexed once (extract/host-model.ts). */
export interface HostFileContext {
  model: import('./extract/host-model').HostModel;
  /** the configured SQL call names (setting `embedded.calls`) */
  calls: readonly string[];
  report(r: Report): void;
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
  command?: FindingCommand;
}

/** The parse error rule id: not a registered rule, always on. */
export const SYNTAX_ERROR = 'syntax-error';

/** A statement that parsed but could not be analyzed (an engine bug or a pathological input). */
export const ANALYSIS_FAILED = 'analysis-failed';
