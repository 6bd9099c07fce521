/**
 * `sqlperf explain`: one statement -> a plan, from a server (--db, --connection), from the
 * embedded database loaded with the schema files found here (the default), or from a
 * plan file. The safety rules are the editor's (src/db): one statement, a transaction that
 * is always rolled back, READ ONLY unless a write was allowed, read-only profiles.
 *
 * Output: stdout holds only the plan (renderPlanText, or exactly toJson(model) with
 * --format json); progress, notes and errors go to stderr. Exit 0 plan shown, 1 refused
 * or failed (a DbError, a plan that does not parse), 2 usage.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { loadExtractors } from '../../server/engine/extract';
import { LineMap } from '../../server/engine/parse/positions';
import { loadParser } from '../../server/engine/parse/pgquery';
import { splitStatements } from '../../server/engine/parse/splitter';
import { mergeSettings } from '../../server/engine/settings';
import { schemaSummary } from '../connections/schema-diagnostics';
import { DEFAULT_SCHEMA_GLOBS, SCHEMA_EXCLUDE_GLOBS } from '../connections/settings';
import {
  checkExplainPolicy,
  checkStatement,
  DbError,
  EmbeddedDatabase,
  explainStatement,
  formatDbError,
  isDbError,
  memorySecrets,
  noSecrets,
  orderSchemaFiles,
  PoolRegistry,
  prepareEmbeddedDatabase,
  validateProfiles,
  type ConnectionProfile,
  type QueryTarget,
  type SchemaFile,
} from '../db';
import { parseConnectionUrl } from '../db/connection-url';
import { parsePlan, PlanParseError, renderPlanText, toJson, type PlanModel } from '../explain';
import { ConfigError, findConfig, loadConfig } from './config';
import type { ExplainCliOptions } from './explain-args';
import { pickStatement, type SourceStatement } from './explain-source';
import { readSource, toSlash } from './files';
import { compileGlobs } from './glob';
import { processIo, type CliIo, CliStop } from './io';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The environment variable with the password for --connection profiles. */
export const PASSWORD_ENV = 'SQLPERF_PASSWORD';
/** --db's URL reaches the pool through this (private) variable, so it is parsed and scrubbed like a profile's urlFromEnv. */
const DB_URL_ENV = 'SQLPERF_EXPLAIN_DB_URL';
/** Schema problems listed on stderr before "... and N more". */
const MAX_SCHEMA_PROBLEMS_SHOWN = 10;

export type ExplainIo = CliIo;

export async function runExplain(o: ExplainCliOptions, io: ExplainIo = processIo()): Promise<number> {
  const note = (s: string) => io.stderr(`sqlperf: ${s}\n`);
  try {
    const model = o.source.kind === 'plan-file' ? readPlanFile(o.source.file, io) : await explainLive(o, io, note);
    io.stdout(o.format === 'json' ? `${JSON.stringify(toJson(model), null, 2)}\n` : renderPlanText(model));
    return EXIT_OK;
  } catch (e) {
    if (e instanceof CliStop) {
      note(e.message);
      return e.code;
    }
    if (e instanceof ConfigError) {
      note(e.message);
      return EXIT_USAGE;
    }
    if (isDbError(e)) {
      note(formatDbError(e));
      return EXIT_FAILED;
    }
    throw e; // a bug: main prints it as an internal error
  }
}

function readPlanFile(file: string, io: ExplainIo): PlanModel {
  const text = readText(file, io);
  try {
    return parsePlan(text);
  } catch (e) {
    if (e instanceof PlanParseError) {
      const where = e.line !== null ? `:${e.line}${e.column !== null ? `:${e.column}` : ''}` : '';
      throw new CliStop(`${file}${where}: ${e.message}`, EXIT_FAILED);
    }
    throw e;
  }
}

function readText(file: string, io: ExplainIo): string {
  const abs = resolve(io.cwd, file);
  if (!existsSync(abs)) throw new CliStop(`no such file: ${file}`, EXIT_USAGE);
  const r = readSource(abs, 64 * 1024 * 1024);
  if (!r.ok) throw new CliStop(`cannot read ${file}: ${r.reason}`, EXIT_USAGE);
  return r.text;
}

async function explainLive(o: ExplainCliOptions, io: ExplainIo, note: (s: string) => void): Promise<PlanModel> {
  await loadParser();
  const source = await statementToExplain(o, io);

  // Refuse before connecting (or starting PGlite for seconds): the checks need only the parser.
  const { profile, readOnlyProfile } = o.target.kind === 'connection' ? findProfile(o.target.name, io, note) : { profile: undefined, readOnlyProfile: false };
  refuseEarly(source, o, readOnlyProfile);

  let target: QueryTarget | undefined;
  let registry: PoolRegistry | undefined;
  try {
    switch (o.target.kind) {
      case 'db': {
        const parsed = parseConnectionUrl(o.target.url);
        if (!parsed.ok) throw new CliStop(`--db: ${parsed.message} (postgresql://user:password@host:5432/database)`, EXIT_USAGE);
        registry = new PoolRegistry(noSecrets, { env: { ...io.env, [DB_URL_ENV]: o.target.url }, max: 2 });
        target = await registry.target({ name: '--db', host: 'localhost', port: 5432, database: '', user: '', urlFromEnv: DB_URL_ENV });
        break;
      }
      case 'connection': {
        const password = io.env[PASSWORD_ENV];
        registry = new PoolRegistry(password ? memorySecrets({ [profile!.name]: password }) : noSecrets, { env: io.env, max: 2 });
        target = await registry.target(profile!);
        break;
      }
      case 'embedded':
        target = await startEmbedded(o, io, note);
        break;
    }

    let result;
    try {
      result = await explainStatement(target, source.statement.sql, {
        analyze: o.analyze,
        allowWrite: o.allowWrite,
        readOnlyProfile,
        params: o.params.length ? o.params : undefined,
      });
    } catch (e) {
      if (isDbError(e) && e.position !== undefined) throw new CliStop(`${source.locate(e.position)}: ${formatDbError(e)}`, EXIT_FAILED);
      throw e;
    }
    if (result.usedGenericPlan) {
      note(`planned generically, without values for ${result.parameters.map((p) => p.label).join(', ')} (give them with --param to plan with values)`);
    }
    if (result.analyzed && result.statementKind !== 'select' && result.statementKind !== 'values') {
      note(`the ${result.statementKind.toUpperCase()} ran inside a transaction that was rolled back`);
    }
    return parsePlan(result.planJson);
  } finally {
    await registry?.closeAll().catch(() => undefined);
    if (target instanceof EmbeddedDatabase) await target.close().catch(() => undefined);
  }
}

interface ChosenStatement {
  statement: SourceStatement;
  /** "file:line:column" (or "--sql:1:column") of an offset in statement.sql */
  locate(offset: number): string;
}

async function statementToExplain(o: ExplainCliOptions, io: ExplainIo): Promise<ChosenStatement> {
  if (o.source.kind === 'sql') {
    const sql = o.source.sql;
    const found = splitStatements(sql);
    if (found.length > 1) {
      throw new CliStop(`--sql holds ${found.length} statements; EXPLAIN takes exactly one. Pass one statement, or put them in a file and choose one with --file and --line.`, EXIT_FAILED);
    }
    const lines = new LineMap(sql);
    return {
      statement: { sql, start: 0, end: sql.length, toFile: (x) => x },
      locate: (offset) => {
        const p = lines.positionAt(offset);
        return `--sql:${p.line + 1}:${p.character + 1}`;
      },
    };
  }
  if (o.source.kind !== 'file') throw new Error('unreachable');
  const file = o.source.file;
  const text = readText(file, io);
  const configFile = findConfig(file, io.cwd);
  const settings = mergeSettings({}, configFile ? loadConfig(configFile).settings : {});
  if (!/\.sql$/i.test(file)) await loadExtractors();
  const picked = pickStatement(file, text, o.source.line, { calls: settings.embedded.calls });
  if (!picked.ok) throw new CliStop(picked.message, picked.usage ? EXIT_USAGE : EXIT_FAILED);
  const lines = new LineMap(text);
  return {
    statement: picked.statement,
    locate: (offset) => {
      const p = lines.positionAt(picked.statement.toFile(offset));
      return `${file}:${p.line + 1}:${p.character + 1}`;
    },
  };
}

/** The policy checks explainStatement makes, made first, with the CLI's way out in the message. */
function refuseEarly(source: ChosenStatement, o: ExplainCliOptions, readOnlyProfile: boolean): void {
  let stmt;
  try {
    stmt = checkStatement(source.statement.sql);
  } catch (e) {
    if (isDbError(e) && e.position !== undefined) throw new CliStop(`${source.locate(e.position)}: ${formatDbError(e)}`, EXIT_FAILED);
    if (isDbError(e) && /statements; EXPLAIN takes exactly one/.test(e.message)) throw new CliStop(`${e.message} Pass just one statement.`, EXIT_FAILED);
    throw e;
  }
  const params = stmt.conversion.params;
  const refusal = checkExplainPolicy(stmt, { analyze: o.analyze, allowWrite: o.allowWrite, readOnlyProfile, missingValues: params.length > 0 && o.params.length === 0 });
  if (!refusal) return;
  if (o.analyze && params.length > 0 && o.params.length === 0) {
    throw new CliStop(`${formatDbError(refusal)} Pass them in order with --param (${params.map((p) => p.label).join(', ')}).`, EXIT_FAILED);
  }
  if (stmt.writes && !readOnlyProfile && !o.allowWrite) {
    throw new CliStop(`${refusal.message}\n${refusal.hint}\nRun it anyway with --allow-write, or drop --analyze: plain EXPLAIN plans the statement without running it.`, EXIT_FAILED);
  }
  throw refusal;
}

/** `--connection NAME`: the profile from .sqlperf.json's "connections". */
function findProfile(name: string, io: ExplainIo, note: (s: string) => void): { profile: ConnectionProfile; readOnlyProfile: boolean } {
  const configFile = findConfig('.', io.cwd);
  if (!configFile) throw new CliStop(`--connection ${name}: no .sqlperf.json found here or above; list connections under its "connections" key, or use --db <url>.`, EXIT_USAGE);
  let raw: unknown;
  try {
    const errors: ParseError[] = [];
    raw = parseJsonc(readFileSync(configFile, 'utf8'), errors, { allowTrailingComma: true });
    if (errors.length) throw new ConfigError(`invalid settings file: ${configFile}`);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`cannot read ${configFile}: ${(e as Error).message}`);
  }
  const list = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).connections : undefined;
  const { profiles, problems } = validateProfiles(list);
  const file = toSlash(relative(io.cwd, configFile) || configFile);
  const profile = profiles.find((p) => p.name === name);
  // with the profile found, only its own warnings (an ignored "password" key); else everything, to explain why not
  for (const p of problems.filter((x) => !profile || x.name === name)) note(`${file}: ${p.message.replace(/^sqlperf\.connections/, 'connections')}`);
  if (!profile) {
    const known = profiles.map((p) => p.name);
    throw new CliStop(`--connection: no usable connection named "${name}" in ${file}${known.length ? ` (there: ${known.join(', ')})` : ''}.`, EXIT_USAGE);
  }
  return { profile, readOnlyProfile: profile.readOnly === true };
}

/** PGlite loaded with the schema files under the current directory, progress on stderr. */
async function startEmbedded(o: ExplainCliOptions, io: ExplainIo, note: (s: string) => void): Promise<EmbeddedDatabase> {
  const globs = o.schema.length ? o.schema : [...DEFAULT_SCHEMA_GLOBS];
  const files = findSchemaFiles(io.cwd, globs, note);
  if (files.length === 0) note(`no schema files under ${io.cwd} match ${globs.join(' ')}; the embedded database is empty (use --schema, or --db)`);
  const db = new EmbeddedDatabase();
  try {
    let last = '';
    const report = await prepareEmbeddedDatabase(db, {
      files,
      sampleRows: o.sampleRows,
      progress: (message) => {
        if (message !== last) note(message);
        last = message;
      },
    });
    const problems = report.schema.problems;
    const texts = new Map(files.map((f) => [f.path, new LineMap(f.text)]));
    for (const p of problems.slice(0, MAX_SCHEMA_PROBLEMS_SHOWN)) {
      const at = texts.get(p.file)?.positionAt(p.position ?? p.statementStart);
      note(`schema: ${p.file}${at ? `:${at.line + 1}:${at.character + 1}` : ''}: ${p.message}`);
    }
    if (problems.length > MAX_SCHEMA_PROBLEMS_SHOWN) note(`schema: … and ${problems.length - MAX_SCHEMA_PROBLEMS_SHOWN} more problems`);
    for (const s of report.sample?.skipped ?? []) note(`sample rows: ${s.table} left empty: ${s.reason}`);
    note(`schema: ${schemaSummary(report.schema, report.sample?.filled.length)}`);
    return db;
  } catch (e) {
    await db.close().catch(() => undefined);
    if (isDbError(e)) throw e;
    throw new DbError({ kind: 'other', message: `The embedded database did not start: ${(e as Error)?.message ?? e}.`, hint: 'Use --db <url> to explain on a server instead.', cause: e });
  }
}

function findSchemaFiles(cwd: string, globs: readonly string[], note: (s: string) => void): SchemaFile[] {
  const wanted = compileGlobs(globs);
  const excluded = compileGlobs(SCHEMA_EXCLUDE_GLOBS);
  const files: SchemaFile[] = [];
  const seen = new Set<string>();
  // Any extension (a glob may ask for *.ddl), but not into node_modules/.git, and each real directory once.
  const walk = (dir: string) => {
    let real: string;
    let entries: Dirent[];
    try {
      real = realpathSync(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      note(`cannot read directory ${dir}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const abs = join(dir, entry.name);
      const rel = toSlash(relative(cwd, abs));
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const st = statSync(abs);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) {
        if (!excluded(rel) && !excluded(`${rel}/`)) walk(abs);
      } else if (isFile && wanted(rel) && !excluded(rel)) {
        const r = readSource(abs, 64 * 1024 * 1024);
        if (r.ok) files.push({ path: rel, text: r.text });
        else note(`schema: skipped ${rel}: ${r.reason}`);
      }
    }
  };
  walk(cwd);
  return orderSchemaFiles(files);
}
