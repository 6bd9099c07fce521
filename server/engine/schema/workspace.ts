/**
 * The workspace's schema, kept as one contribution per file and merged on demand, so that a
 * change to one file costs re-reading that file's DDL statements only (and those statements
 * are cached by text: typing in a query does not re-parse the file's CREATE TABLEs).
 */
import { parsePgForLater } from '../parse/pgquery';
import { splitStatements } from '../parse/splitter';
import { ddlOps } from './ddl';
import { hash, Schema, type SchemaOp } from './model';

export interface FileContribution {
  ops: SchemaOp[];
  /** equal keys mean equal DDL */
  key: string;
}

/** statements that may change the schema: cheap test before parsing */
const DDL_HEAD = /^(?:create|alter|drop|do)\b/i;
const SELECT_INTO = /^select\b[\s\S]*\binto\b/i;

interface StatementOps {
  ops: SchemaOp[];
  /** what the operations say, as a string: equal for texts differing only in layout or comments */
  key: string;
}

const opsByText = new Map<string, StatementOps>();
const OPS_CACHE_LIMIT = 20_000;
const NONE: StatementOps = { ops: [], key: '' };

/** The schema operations of one statement's text (cached). */
export function statementOps(text: string): StatementOps {
  let found = opsByText.get(text);
  if (found) return found;
  const r = parsePgForLater(text);
  const ops = r.ok && r.stmts[0] ? ddlOps(r.stmts[0].stmt) : [];
  found = ops.length ? { ops, key: JSON.stringify(ops) } : NONE;
  if (opsByText.size >= OPS_CACHE_LIMIT) opsByText.clear();
  opsByText.set(text, found);
  return found;
}

/** The DDL of one file's text. Needs the parser loaded (loadParser). */
export function contributionOf(text: string): FileContribution {
  return contributionOfStatements(splitStatements(text));
}

/**
 * The DDL of a file already split into statements (the language server reuses the
 * analyzer's incremental split: splitting a large file again on every edit would cost more
 * than analyzing it).
 */
export function contributionOfStatements(statements: Iterable<{ text: string }>): FileContribution {
  const ops: SchemaOp[] = [];
  const keys: string[] = [];
  for (const s of statements) {
    if (!DDL_HEAD.test(s.text) && !SELECT_INTO.test(s.text)) continue;
    const found = statementOps(s.text);
    if (found.ops.length === 0) continue;
    keys.push(found.key);
    for (const op of found.ops) ops.push(op);
  }
  // keyed by meaning: a space typed into a CREATE TABLE changes no schema
  return { ops, key: keys.length ? hash(keys.join('\u0000')) : '' };
}

/** Builds a schema from whole files' texts (the CLI and tests). */
export function schemaOfTexts(texts: Iterable<string>): Schema | undefined {
  const ws = new WorkspaceSchema();
  let i = 0;
  for (const t of texts) ws.set(String(i++).padStart(8, '0'), t);
  return ws.schema();
}

export class WorkspaceSchema {
  private readonly files = new Map<string, FileContribution>();
  private built: Schema | undefined;
  private dirty = true;

  /** Sets a file's text; true when its DDL changed (the schema did). */
  set(file: string, text: string): boolean {
    return this.setContribution(file, contributionOf(text));
  }

  setContribution(file: string, c: FileContribution): boolean {
    const prev = this.files.get(file);
    if (prev && prev.key === c.key) return false;
    if (!prev && c.key === '') return false;
    if (c.key === '') this.files.delete(file);
    else this.files.set(file, c);
    this.dirty = true;
    return true;
  }

  /** Forgets a file; true when it contributed DDL. */
  delete(file: string): boolean {
    if (!this.files.delete(file)) return false;
    this.dirty = true;
    return true;
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  /**
   * The merged schema, undefined when no file has DDL. Files apply in path order (migrations
   * are usually numbered), each file's statements in their order.
   */
  schema(): Schema | undefined {
    if (!this.dirty) return this.built;
    this.dirty = false;
    if (this.files.size === 0) return (this.built = undefined);
    const s = new Schema();
    let pending: SchemaOp[] = [];
    for (const file of [...this.files.keys()].sort()) for (const op of this.files.get(file)!.ops) if (!s.apply(op)) pending.push(op);
    // operations on tables another file creates later in path order (indexes.sql before
    // schema.sql): retried while that helps
    for (let pass = 0; pass < 3 && pending.length; pass++) {
      const left = pending.filter((op) => !s.apply(op));
      if (left.length === pending.length) break;
      pending = left;
    }
    return (this.built = s);
  }
}
