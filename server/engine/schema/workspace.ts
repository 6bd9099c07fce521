/**
 * The workspace's schema, kept as one contribution per file and merged on demand, so that a
 * change to one file costs re-reading that file's DDL statements only (and those statements
 * are cached by text: typing in a query does not re-parse the file's CREATE TABLEs).
 */
import { parsePg } from '../parse/pgquery';
import { splitStatements } from '../parse/splitter';
import { ddlOps } from './ddl';
import { hash, Schema, type SchemaOp } from './model';

export interface FileContribution {
  ops: SchemaOp[];
  /** equal keys mean equal DDL */
  key: string;
}

/** statements that may change the schema: cheap test before parsing */
const DDL_HEAD = /^(?:create|alter|drop)\b/i;
const SELECT_INTO = /^select\b[\s\S]*\binto\b/i;

const opsByText = new Map<string, SchemaOp[]>();
const OPS_CACHE_LIMIT = 20_000;
const NONE: SchemaOp[] = [];

/** The schema operations of one statement's text (cached). */
export function statementOps(text: string): SchemaOp[] {
  let ops = opsByText.get(text);
  if (ops) return ops;
  const r = parsePg(text);
  ops = r.ok && r.stmts[0] ? ddlOps(r.stmts[0].stmt) : NONE;
  if (opsByText.size >= OPS_CACHE_LIMIT) opsByText.clear();
  opsByText.set(text, ops);
  return ops;
}

/** The DDL of one file's text. Needs the parser loaded (loadParser). */
export function contributionOf(text: string): FileContribution {
  const ops: SchemaOp[] = [];
  const texts: string[] = [];
  for (const s of splitStatements(text)) {
    if (!DDL_HEAD.test(s.text) && !SELECT_INTO.test(s.text)) continue;
    const found = statementOps(s.text);
    if (found.length === 0) continue;
    texts.push(s.text);
    for (const op of found) ops.push(op);
  }
  return { ops, key: texts.length ? hash(texts.join('\u0000')) : '' };
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
  private generation = 0;

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
    this.generation++;
    if (this.files.size === 0) return (this.built = undefined);
    const s = new Schema(String(this.generation));
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
