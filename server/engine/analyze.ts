/**
 * The analyzer: a document in, findings in document coordinates out. Work is per statement
 * and cached by the statement's text (plus its host context), so an edit re-analyzes only
 * the statements it touched.
 */
import { extractFacts } from './facts';
import { resplitStatements, splitStatements, type SqlStatement } from './parse/splitter';
import { parseStatement } from './parse/statement';
import { extractEmbedded, isHostLanguage, mapEndToHost, mapToHost, type EmbeddedRegion } from './extract';
import { HostModel } from './extract/host-model';
import type { Node as TreeNode } from '@vscode/tree-sitter-wasm';
import { RULES } from './rules';
import { DocumentScan } from './rules/ddl-util';
import { suppressedBy } from './suppress';
import type { Schema } from './schema/model';
import { depsSignature, schemaDeps, type SchemaDep } from './schema/deps';
import type { SqlperfSettings } from './settings';
import { settingsKey } from './settings';
import { ANALYSIS_FAILED, SYNTAX_ERROR, type DocumentContext, type Finding, type HostInfo, type Report, type Rule, type RuleContext, type RuleOptions, type Severity } from './types';

/** A finding relative to its statement (cached form). */
interface RelativeFinding extends Omit<Finding, 'fix'> {
  fix?: Finding['fix'];
}

export interface AnalyzedStatement {
  /** document offsets of the SQL (for host files: of the region's first/last character) */
  start: number;
  end: number;
  text: string;
  ok: boolean;
  host?: HostInfo;
}

export interface DocumentAnalysis {
  findings: Finding[];
  statements: AnalyzedStatement[];
  /** why the document was not analyzed, when it was not */
  skipped?: string;
}

interface ActiveRule {
  rule: Rule;
  severity: Severity;
}

const CACHE_LIMIT = 20_000;
/** the schema-pass signature of findings made without a schema: equal to no real signature */
const NO_SCHEMA = '\u0000no schema';
/** `reporting.out` between statements: a report made outside runRules is dropped */
const NO_FINDINGS: RelativeFinding[] = [];
/** documents whose last split is kept for incremental re-splitting */
const DOCUMENT_MEMO_LIMIT = 64;

/**
 * Holds the per-statement cache. One per consumer (the server keeps one for its lifetime);
 * it clears itself when the settings change.
 */
export class Analyzer {
  /**
   * Findings by statement, in one map per document context (DocumentScan's key; '' for none
   * and for host code, whose key holds its host context): a statement is looked up by its
   * own text, never by a string built from it (building one copies the whole statement).
   */
  private cache = new Map<string, Map<string, RelativeFinding[]>>();
  /** entries in all of `cache`'s maps */
  private cached = 0;
  private splits = new Map<string, { text: string; statements: SqlStatement[] }>();
  private key = '';
  private activeSql: ActiveRule[] = [];
  private activeHost: ActiveRule[] = [];
  /** host-file rules (Rule.checkHostFile): once per host document, not per statement */
  private activeHostFile: ActiveRule[] = [];
  /** host-file findings of the last analyzed version of each document (see hostFileFindings) */
  private hostMemo = new Map<string, { text: string; findings: Finding[] }>();
  private options!: RuleOptions;
  /** the workspace schema and the rules that need it (see setSchema, schemaFindings) */
  private schema: Schema | undefined;
  /** setSchema's `final`: the schema cache records no dependencies */
  private schemaFinal = false;
  private activeSchemaSql: ActiveRule[] = [];
  private activeSchemaHost: ActiveRule[] = [];
  /**
   * Schema-rule findings by statement (same key as `cache`, without document scope), valid
   * while the signatures of the schema parts the statement names are unchanged.
   */
  private schemaCache = new Map<string, { deps: SchemaDep[]; sig: string | undefined; version: string; findings: RelativeFinding[] }>();
  /** the rule running now and where its findings go (see runRules) */
  private readonly reporting: { out: RelativeFinding[]; id: string; severity: Severity } = { out: NO_FINDINGS, id: '', severity: 'warning' };
  private readonly report = (r: Report): void => {
    const { out, id, severity } = this.reporting;
    if (out === NO_FINDINGS) return;
    out.push({ rule: id, severity, message: r.message, start: r.start, end: r.end, fix: r.fix, detail: r.detail, command: r.command });
  };

  constructor(private settings: SqlperfSettings) {
    this.configure(settings);
  }

  configure(settings: SqlperfSettings): void {
    const key = settingsKey(settings);
    if (key === this.key) return;
    this.key = key;
    this.settings = settings;
    this.cache.clear();
    this.cached = 0;
    this.hostMemo.clear();
    this.schemaCache.clear();
    this.options = {
      complexityThreshold: settings.thresholds.complexity,
      maxJoins: settings.thresholds.joins,
      offsetThreshold: settings.thresholds.offset,
      maxSubqueryDepth: settings.thresholds.subqueryDepth,
    };
    const active: ActiveRule[] = [];
    for (const rule of RULES) {
      const setting = settings.rules[rule.meta.id] ?? (rule.meta.enabledByDefault === false ? 'off' : rule.meta.defaultSeverity);
      if (setting !== 'off') active.push({ rule, severity: setting });
    }
    // the rules that run on a statement of a .sql file / of host code, in registry order
    const postgres = settings.dialect === 'postgres' || settings.dialect === 'postgresql';
    this.activeSql = active.filter(({ rule }) => !rule.meta.hostOnly && (postgres || !rule.meta.postgresOnly));
    this.activeHost = active.filter(({ rule }) => !rule.checkHostFile && (postgres || !rule.meta.postgresOnly));
    // rules that read the schema run apart, cached by the schema parts they read (schemaFindings)
    const readsSchema = ({ rule }: ActiveRule) => rule.meta.needs.includes('schema') || !!rule.meta.usesSchema;
    this.activeSchemaSql = this.activeSql.filter(readsSchema);
    this.activeSchemaHost = this.activeHost.filter(readsSchema);
    this.activeSql = this.activeSql.filter((r) => !readsSchema(r));
    this.activeHost = this.activeHost.filter((r) => !readsSchema(r));
    this.activeHostFile = active.filter(({ rule }) => rule.checkHostFile && (postgres || !rule.meta.postgresOnly));
  }

  /**
   * Analyzes a document. Pass `documentKey` (e.g. its URI) when the same document will be
   * analyzed again after edits: the statement split is then redone only around the edit.
   * A caller that has split the SQL text already (the CLI, for the schema) passes
   * `statements`, which must be `splitStatements(text)`.
   */
  analyze(text: string, languageId: string, documentKey?: string, statements?: readonly SqlStatement[]): DocumentAnalysis {
    const limit = this.settings.maxFileSizeKB * 1024;
    if (text.length > limit) {
      const mb = (text.length / 1048576).toFixed(1);
      return {
        findings: [],
        statements: [],
        skipped: `File is ${mb} MB; sqlperf analyzes files up to ${(limit / 1048576).toFixed(1)} MB (setting maxFileSizeKB).`,
      };
    }
    if (looksBinary(text)) return { findings: [], statements: [], skipped: 'File looks binary; not analyzed.' };

    const findings: Finding[] = [];
    const analyzed: AnalyzedStatement[] = [];
    if (isHostLanguage(languageId)) {
      if (!this.settings.embedded.enabled) return { findings, statements: analyzed };
      // Host-file rules read the tree extraction parsed (one parse); an unchanged version of
      // the document reuses their findings.
      const memo = documentKey === undefined ? undefined : this.hostMemo.get(documentKey);
      const reuse = memo !== undefined && memo.text === text;
      let hostFindings: Finding[] = reuse ? memo.findings : [];
      const inspect = reuse || this.activeHostFile.length === 0 ? undefined : (root: TreeNode) => {
        hostFindings = this.hostFileFindings(new HostModel(text, languageId, root));
      };
      for (const region of extractEmbedded(text, languageId, { calls: this.settings.embedded.calls }, inspect)) {
        this.analyzeRegion(region, languageId, findings, analyzed);
      }
      if (documentKey !== undefined && !reuse) {
        this.hostMemo.delete(documentKey);
        if (this.hostMemo.size >= DOCUMENT_MEMO_LIMIT) this.hostMemo.delete(this.hostMemo.keys().next().value!);
        this.hostMemo.set(documentKey, { text, findings: hostFindings });
      }
      for (const f of hostFindings) findings.push(f);
    } else {
      // what earlier statements established (lock_timeout, ...): see DocumentContext
      const scan = new DocumentScan();
      for (const stmt of statements ?? this.split(text, documentKey)) {
        const rel = this.analyzeStatement(stmt.text, undefined, true, scan.context(), scan.key());
        scan.advance(stmt.text);
        analyzed.push({ start: stmt.start, end: stmt.end, text: stmt.text, ok: rel.ok });
        for (const f of rel.findings) findings.push(shift(f, (o) => stmt.start + o));
      }
    }
    return { findings: suppressedBy(text, findings), statements: analyzed };
  }

  /**
   * The schema schema-aware rules read (undefined: they do not run). Findings of a statement
   * are recomputed when the definitions of the tables it names change.
   */
  setSchema(schema: Schema | undefined, options: { final?: boolean } = {}): void {
    const before = this.schema;
    if (schema === before) return;
    if (this.schemaFinal) this.schemaCache.clear(); // its entries carry no dependencies
    // `final`: this schema will not change (the CLI's), so what a statement's findings depend
    // on need not be recorded
    this.schemaFinal = options.final === true;
    // what the findings made with the outgoing schema depended on, signed while it is at hand
    if (before) {
      for (const entry of this.schemaCache.values()) {
        if (entry.sig === undefined && entry.version === before.version) entry.sig = depsSignature(before, entry.deps);
      }
    }
    this.schema = schema;
  }

  /** Drops what was kept for incremental analysis of a document (call on close). */
  forget(documentKey: string): void {
    this.splits.delete(documentKey);
    this.hostMemo.delete(documentKey);
  }

  /** Runs the host-file rules over one host document's model. */
  private hostFileFindings(model: HostModel): Finding[] {
    const out: Finding[] = [];
    let current: ActiveRule | null = null;
    const ctx = {
      model,
      calls: this.settings.embedded.calls,
      report: (r: Report): void => {
        if (current) out.push({ rule: current.rule.meta.id, severity: current.severity, message: r.message, start: r.start, end: r.end, fix: r.fix, detail: r.detail });
      },
    };
    for (const active of this.activeHostFile) {
      current = active;
      try {
        active.rule.checkHostFile!(ctx);
      } catch (e) {
        // A rule bug must not take the others down with it.
        process.stderr.write(`sqlperf: rule ${active.rule.meta.id} failed: ${(e as Error).stack ?? e}\n`);
      }
    }
    current = null;
    return out.sort((a, b) => a.start - b.start);
  }

  private split(text: string, documentKey: string | undefined): SqlStatement[] {
    if (documentKey === undefined) return splitStatements(text);
    const prev = this.splits.get(documentKey);
    const statements = prev ? resplitStatements(prev.text, prev.statements, text) : splitStatements(text);
    this.splits.delete(documentKey);
    if (this.splits.size >= DOCUMENT_MEMO_LIMIT) this.splits.delete(this.splits.keys().next().value!);
    this.splits.set(documentKey, { text, statements });
    return statements;
  }

  private analyzeRegion(region: EmbeddedRegion, languageId: string, findings: Finding[], statements: AnalyzedStatement[]): void {
    const host: HostInfo = {
      language: languageId,
      callName: region.callName,
      knownCall: region.knownCall,
      loop: region.loop ? { kind: region.loop.kind, line: region.loop.line } : undefined,
    };
    const parts: SqlStatement[] = splitStatements(region.sql);
    for (const part of parts) {
      const rel = this.analyzeStatement(part.text, host, region.knownCall);
      // A loose string that does not parse was never SQL: say nothing about it.
      if (!rel.ok && !region.knownCall) continue;
      // An interpolation standing where PostgreSQL wants an identifier (`FROM ${table}`)
      // becomes `$1`, which does not parse; the real text is unknown, so say nothing.
      if (!rel.ok && rel.findings.some((f) => f.rule === SYNTAX_ERROR && /^\$\d/.test(part.text.slice(f.start)))) continue;
      const toHost = (o: number) => mapToHost(region, part.start + o);
      const endToHost = (o: number) => mapEndToHost(region, part.start + o);
      statements.push({ start: toHost(0), end: endToHost(part.text.length), text: part.text, ok: rel.ok, host });
      for (const f of rel.findings) findings.push(shift(f, toHost, endToHost));
    }
  }

  /** Findings for one statement, relative to its text. */
  private analyzeStatement(
    text: string,
    host: HostInfo | undefined,
    reportSyntax: boolean,
    document?: DocumentContext,
    documentKey = '',
  ): { ok: boolean; findings: RelativeFinding[] } {
    // the key holds everything rules read besides the text: host context, document context
    const scope = host ? '' : documentKey;
    const cacheKey = host ? `${host.language}\u0000${host.callName}\u0000${host.knownCall}\u0000${host.loop?.kind ?? ''}\u0000${host.loop?.line ?? ''}\u0000${text}` : text;
    const cached = this.cache.get(scope)?.get(cacheKey);
    if (cached) {
      const ok = !cached.some((f) => f.rule === SYNTAX_ERROR);
      return { ok, findings: ok ? this.withSchemaFindings(cached, text, cacheKey, host) : cached };
    }

    const findings: RelativeFinding[] = [];
    const parsed = parseStatement(text, this.settings.dialect);
    if (!parsed.ok) {
      if (reportSyntax) {
        findings.push({ rule: SYNTAX_ERROR, severity: 'error', message: parsed.error.message, start: parsed.error.start, end: parsed.error.end });
      }
      this.remember(scope, cacheKey, findings);
      return { ok: false, findings };
    }
    if (parsed.ast) this.runRules(text, parsed.ast, host, document, findings, cacheKey);
    this.remember(scope, cacheKey, findings);
    return { ok: true, findings: this.withSchemaFindings(findings, text, cacheKey, host) };
  }

  private runRules(text: string, ast: Record<string, unknown>, host: HostInfo | undefined, document: DocumentContext | undefined, out: RelativeFinding[], schemaKey?: string): void {
    let facts;
    try {
      facts = extractFacts(ast, text);
    } catch (e) {
      // Pathological input (e.g. thousands of nested parentheses) can exhaust the stack:
      // the statement parsed, so it is valid SQL; we just cannot analyze it.
      out.push({ rule: ANALYSIS_FAILED, severity: 'information', message: `sqlperf could not analyze this statement: ${(e as Error).message}`, start: 0, end: Math.min(text.length, 1) });
      return;
    }
    // One context for every rule of the statement: `report` is created once per analyzer and
    // reads which rule is running from `this.reporting` (no closure per rule and statement).
    const ctx: RuleContext = { text, ast, facts, options: this.options, host, document, report: this.report };
    this.checkEach(host ? this.activeHost : this.activeSql, ctx, out);
    // the facts are at hand: compute the schema findings now rather than parse again later
    if (schemaKey !== undefined) this.runSchemaRules(text, ast, facts, host, schemaKey);
  }

  /** Runs `rules` on one statement; their reports go to `out`. */
  private checkEach(rules: readonly ActiveRule[], ctx: RuleContext, out: RelativeFinding[]): void {
    const reporting = this.reporting;
    reporting.out = out;
    for (const { rule, severity } of rules) {
      reporting.id = rule.meta.id;
      reporting.severity = severity;
      try {
        rule.check(ctx);
      } catch (e) {
        // A rule bug must not take the others down with it.
        process.stderr.write(`sqlperf: rule ${rule.meta.id} failed: ${(e as Error).stack ?? e}\n`);
      }
    }
    reporting.out = NO_FINDINGS;
  }

  /** `base` plus the statement's schema-rule findings (a new array only when there are some). */
  private withSchemaFindings(base: RelativeFinding[], text: string, key: string, host: HostInfo | undefined): RelativeFinding[] {
    const extra = this.schemaFindings(text, key, host);
    return extra.length === 0 ? base : base.concat(extra);
  }

  /**
   * The findings of the rules that read the schema. They run with or without one (without,
   * `needs: ['schema']` rules say nothing and `usesSchema` ones report without what the
   * schema adds), and are cached apart from the other rules' because the schema changes
   * without the statement changing.
   */
  private schemaFindings(text: string, key: string, host: HostInfo | undefined): RelativeFinding[] {
    const schema = this.schema;
    if ((host ? this.activeSchemaHost : this.activeSchemaSql).length === 0) return NO_FINDINGS;
    const version = schema?.version ?? '';
    const hit = this.schemaCache.get(key);
    // same schema as last time: nothing to compare (the common case, every keystroke)
    if (hit && hit.version === version) return hit.findings;
    // another schema: the findings hold if the parts the statement names are unchanged
    if (hit && schema && hit.sig !== undefined && hit.sig === depsSignature(schema, hit.deps)) {
      hit.version = version;
      return hit.findings;
    }
    const parsed = parseStatement(text, this.settings.dialect);
    if (!parsed.ok || !parsed.ast) return NO_FINDINGS;
    let facts;
    try {
      facts = extractFacts(parsed.ast, text);
    } catch {
      return NO_FINDINGS; // reported as ANALYSIS_FAILED by the other rules' pass
    }
    return this.runSchemaRules(text, parsed.ast, facts, host, key);
  }

  private runSchemaRules(text: string, ast: Record<string, unknown>, facts: RuleContext['facts'], host: HostInfo | undefined, key: string): RelativeFinding[] {
    const schema = this.schema;
    const rules = host ? this.activeSchemaHost : this.activeSchemaSql;
    if (rules.length === 0) return NO_FINDINGS;
    const out: RelativeFinding[] = [];
    const ctx: RuleContext = { text, ast, facts, options: this.options, host, schema, report: this.report };
    this.checkEach(rules, ctx, out);
    // without a schema there is nothing to depend on; a schema arriving later misses the cache
    const deps = schema && !this.schemaFinal ? schemaDeps(facts) : [];
    if (this.schemaCache.size >= CACHE_LIMIT) this.schemaCache.clear();
    // the signature waits for a schema change (setSchema): a run whose schema never changes,
    // like the CLI's, never computes one
    this.schemaCache.set(key, { deps, sig: schema ? undefined : NO_SCHEMA, version: schema?.version ?? '', findings: out.length ? out : NO_FINDINGS });
    return out;
  }

  private remember(scope: string, key: string, findings: RelativeFinding[]): void {
    if (this.cached >= CACHE_LIMIT) {
      this.cache.clear();
      this.cached = 0;
    }
    let map = this.cache.get(scope);
    if (!map) this.cache.set(scope, (map = new Map()));
    const before = map.size;
    map.set(key, findings);
    this.cached += map.size - before;
  }
}

/** Moves a finding to document offsets; `toEnd` maps range ends (they may differ in host code, see mapEndToHost). */
function shift(f: RelativeFinding, to: (o: number) => number, toEnd: (o: number) => number = to): Finding {
  return {
    ...f,
    start: to(f.start),
    end: toEnd(f.end),
    fix: f.fix && { title: f.fix.title, edits: f.fix.edits.map((e) => ({ start: to(e.start), end: toEnd(e.end), newText: e.newText })) },
  };
}

/** NUL bytes or many replacement characters (invalid UTF-8 decoded) in the first 8 KB. */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  let bad = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0xfffd) bad++;
  return head.length > 0 && bad / head.length > 0.1;
}
