/**
 * Which parts of the schema a statement's schema-aware findings depend on: the tables it
 * names (read, written, created, altered, indexed) and whether the model knows the schemas
 * it names. The analyzer keeps a statement's schema findings while the signatures of these
 * parts stay the same, so an edit to one table's DDL re-checks only the statements naming it.
 */
import type { Facts } from '../facts/types';
import type { Schema } from './model';

export interface SchemaDep {
  schema?: string;
  /** '' for "the model knows this schema" */
  name: string;
}

export function schemaDeps(facts: Facts): SchemaDep[] {
  const out: SchemaDep[] = [{ name: '' }];
  const seen = new Set<string>();
  const add = (schema: string | undefined, name: string) => {
    const k = `${schema ?? ''}.${name}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push(schema === undefined ? { name } : { schema, name });
    if (schema !== undefined && name !== '') add(schema, '');
  };
  for (const r of facts.relations) if (r.kind === 'table' && r.name) add(r.schema, r.name);
  for (const w of facts.writes) add(w.schema, w.table);
  for (const d of facts.ddl) if ('table' in d && d.table) add(d.schema, d.table);
  return out;
}

/** The current signatures of the parts, as one string. */
export function depsSignature(schema: Schema, deps: readonly SchemaDep[]): string {
  let s = schema.signature(undefined, '');
  for (let i = 1; i < deps.length; i++) s += `|${schema.signature(deps[i].schema, deps[i].name)}`;
  return s;
}
