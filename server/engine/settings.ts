/**
 * Settings shared by the language server and the CLI. The editor's `sqlperf.*` settings and
 * the workspace's `.sqlperf.json` (JSONC) both map onto this one shape.
 *
 * Precedence: built-in defaults < editor settings < `.sqlperf.json`, so the editor and CI
 * agree on what the repository asks for. The one exception is `rules`, merged per rule with
 * the editor's entries last: a developer may silence a rule locally without editing the file.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { RuleSetting } from './types';
import { DEFAULT_SQL_CALLS } from './extract/calls';

export interface SqlperfSettings {
  /** 'postgres' or a node-sql-parser database name (mysql, mariadb, sqlite, bigquery, ...) */
  dialect: string;
  /** per-rule severity or 'off'; missing rules use their default */
  rules: Record<string, RuleSetting>;
  thresholds: {
    complexity: number;
    joins: number;
    offset: number;
    /** subquery nesting depth above which `deep-subquery-nesting` reports */
    subqueryDepth: number;
  };
  embedded: {
    enabled: boolean;
    /** function / method / tag names whose first argument is SQL */
    calls: string[];
  };
  /** files larger than this are not analyzed (one information diagnostic says so) */
  maxFileSizeKB: number;
  /** CLI: globs of files to skip */
  exclude: string[];
  /** editor only: what the language server shows as code lenses in `.sql` files */
  codeLens: {
    /** the complexity score and its main factors above each statement that scores */
    complexity: boolean;
  };
}

export const DEFAULT_EMBEDDED_CALLS = DEFAULT_SQL_CALLS;

export const DEFAULT_SETTINGS: SqlperfSettings = {
  dialect: 'postgres',
  rules: {},
  thresholds: { complexity: 25, joins: 8, offset: 1000, subqueryDepth: 3 },
  embedded: { enabled: true, calls: DEFAULT_EMBEDDED_CALLS },
  maxFileSizeKB: 5120,
  exclude: ['**/node_modules/**', '**/.git/**', '**/dist/**'],
  codeLens: { complexity: true },
};

export type PartialSettings = {
  dialect?: string;
  rules?: Record<string, RuleSetting>;
  thresholds?: Partial<SqlperfSettings['thresholds']>;
  embedded?: Partial<SqlperfSettings['embedded']>;
  maxFileSizeKB?: number;
  exclude?: string[];
  codeLens?: Partial<SqlperfSettings['codeLens']>;
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/** Keeps only well-typed values: settings come from users' files and must not crash us. */
export function sanitize(raw: unknown): { settings: PartialSettings; problems: string[] } {
  const problems: string[] = [];
  const out: PartialSettings = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    if (raw !== undefined && raw !== null) problems.push('settings must be an object');
    return { settings: out, problems };
  }
  const r = raw as Record<string, unknown>;
  if (r.dialect !== undefined) {
    if (typeof r.dialect === 'string' && r.dialect.trim()) out.dialect = r.dialect.trim().toLowerCase();
    else problems.push('"dialect" must be a string');
  }
  if (r.rules !== undefined) {
    if (r.rules && typeof r.rules === 'object' && !Array.isArray(r.rules)) {
      out.rules = {};
      for (const [id, value] of Object.entries(r.rules as Record<string, unknown>)) {
        const v = value === false ? 'off' : value;
        if (typeof v === 'string' && SEVERITIES.has(v)) out.rules[id] = v as RuleSetting;
        else problems.push(`rules.${id}: expected one of error, warning, information, hint, off`);
      }
    } else problems.push('"rules" must be an object of rule id -> severity');
  }
  if (r.thresholds !== undefined) {
    const t = r.thresholds as Record<string, unknown>;
    out.thresholds = {};
    for (const key of ['complexity', 'joins', 'offset', 'subqueryDepth'] as const) {
      if (t && t[key] !== undefined) {
        if (typeof t[key] === 'number' && Number.isFinite(t[key]) && (t[key] as number) > 0) out.thresholds[key] = t[key] as number;
        else problems.push(`thresholds.${key} must be a positive number`);
      }
    }
  }
  if (r.embedded !== undefined) {
    const e = r.embedded as Record<string, unknown>;
    out.embedded = {};
    if (e && typeof e.enabled === 'boolean') out.embedded.enabled = e.enabled;
    if (e && e.calls !== undefined) {
      if (Array.isArray(e.calls) && e.calls.every((c) => typeof c === 'string')) out.embedded.calls = e.calls as string[];
      else problems.push('embedded.calls must be an array of strings');
    }
  }
  if (r.maxFileSizeKB !== undefined) {
    if (typeof r.maxFileSizeKB === 'number' && r.maxFileSizeKB > 0) out.maxFileSizeKB = r.maxFileSizeKB;
    else problems.push('maxFileSizeKB must be a positive number');
  }
  if (r.exclude !== undefined) {
    if (Array.isArray(r.exclude) && r.exclude.every((c) => typeof c === 'string')) out.exclude = r.exclude as string[];
    else problems.push('exclude must be an array of glob strings');
  }
  if (r.codeLens !== undefined) {
    const c = r.codeLens as Record<string, unknown>;
    out.codeLens = {};
    if (c && c.complexity !== undefined) {
      if (typeof c.complexity === 'boolean') out.codeLens.complexity = c.complexity;
      else problems.push('codeLens.complexity must be true or false');
    }
  }
  return { settings: out, problems };
}

export function mergeSettings(editor: PartialSettings, file: PartialSettings): SqlperfSettings {
  const d = DEFAULT_SETTINGS;
  return {
    dialect: file.dialect ?? editor.dialect ?? d.dialect,
    rules: { ...d.rules, ...file.rules, ...editor.rules },
    thresholds: { ...d.thresholds, ...editor.thresholds, ...file.thresholds },
    embedded: { ...d.embedded, ...editor.embedded, ...file.embedded },
    maxFileSizeKB: file.maxFileSizeKB ?? editor.maxFileSizeKB ?? d.maxFileSizeKB,
    exclude: file.exclude ?? editor.exclude ?? d.exclude,
    codeLens: { ...d.codeLens, ...editor.codeLens, ...file.codeLens },
  };
}

export const CONFIG_FILE_NAME = '.sqlperf.json';

/** Parses `.sqlperf.json` text (comments and trailing commas allowed). */
export function parseConfigFile(text: string): { settings: PartialSettings; problems: string[] } {
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true });
  const problems = errors.map((e) => `${printParseErrorCode(e.error)} at offset ${e.offset}`);
  const { settings, problems: more } = sanitize(raw);
  return { settings, problems: [...problems, ...more] };
}

/** A stable key: analysis results cached under one key stay valid while it is unchanged. */
export function settingsKey(s: SqlperfSettings): string {
  // Lenses do not change what is analyzed: toggling them keeps the analyzer and its cache.
  return JSON.stringify({ ...s, codeLens: undefined });
}
