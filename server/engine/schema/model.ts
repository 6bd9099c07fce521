/**
 * The schema model: tables, their columns, indexes, keys and foreign keys, as the workspace's
 * DDL (or, later, a live catalog) describes them. Plain data plus lookups; built by
 * `applyOps` from the operations `ddlOps` (ddl.ts) reads off statements.
 *
 * Names are stored as PostgreSQL folds them (libpg-query already lower-cases unquoted
 * identifiers and keeps quoted ones), so a query's names compare exactly. An unqualified
 * table lives in `public` (the default search_path), a temporary one in `pg_temp`.
 */

export interface SchemaColumn {
  name: string;
  /** the type's last name, lower-cased, as PostgreSQL spells it internally (`int4`, `varchar`, `timestamptz`) */
  type: string;
}

export interface SchemaIndex {
  name?: string;
  /** key columns in order; null for an expression */
  columns: Array<string | null>;
  unique: boolean;
  primary: boolean;
  partial: boolean;
  method: string;
}

export interface SchemaForeignKey {
  name?: string;
  columns: string[];
  refSchema: string;
  refTable: string;
}

export type TableKind = 'table' | 'view' | 'matview' | 'foreign' | 'sequence';

export interface SchemaTable {
  schema: string;
  name: string;
  kind: TableKind;
  temporary: boolean;
  /** PARTITION OF, INHERITS: keys and indexes come (partly) from elsewhere */
  derived: boolean;
  /** false when the column list is not known (views, CREATE TABLE AS, LIKE of an unknown table) */
  columnsKnown: boolean;
  columns: Map<string, SchemaColumn>;
  indexes: SchemaIndex[];
  foreignKeys: SchemaForeignKey[];
  /** constraint name -> what it created (for DROP CONSTRAINT) */
  constraints: Map<string, { index?: SchemaIndex; fk?: SchemaForeignKey }>;
  /**
   * Defined more than once with a column of different types (test suites reuse names, in
   * different files or after a DROP): the model cannot tell which definition a statement
   * meets, so rules leave the table alone.
   */
  conflict: boolean;
  /** every column name any definition, ADD COLUMN or rename gave it (for unknown-column) */
  everColumns: Set<string>;
}

/** One change a DDL statement makes (see ddl.ts). */
export type SchemaOp =
  | {
      op: 'create-table';
      schema?: string;
      name: string;
      kind: TableKind;
      temporary: boolean;
      derived: boolean;
      columnsKnown: boolean;
      columns: SchemaColumn[];
      /**
       * copy the columns of these tables (LIKE, INHERITS, PARTITION OF), inserted before the
       * own column `at` (PostgreSQL keeps the written order; inherited columns come first)
       */
      copyFrom: Array<{ schema?: string; name: string; at?: number }>;
      constraints: ConstraintDef[];
    }
  | { op: 'add-column'; schema?: string; table: string; column: SchemaColumn; constraints: ConstraintDef[] }
  | { op: 'drop-column'; schema?: string; table: string; column: string }
  | { op: 'alter-column-type'; schema?: string; table: string; column: string; type: string }
  | { op: 'rename-column'; schema?: string; table: string; column: string; to: string }
  | { op: 'rename-table'; schema?: string; table: string; to: string }
  | { op: 'add-constraint'; schema?: string; table: string; constraint: ConstraintDef }
  | { op: 'drop-constraint'; schema?: string; table: string; name: string }
  | { op: 'create-index'; schema?: string; table: string; index: SchemaIndex }
  | { op: 'drop-table'; schema?: string; name: string }
  | { op: 'drop-index'; schema?: string; name: string }
  /** a relation name created where we cannot model it (inside a function or DO body) */
  | { op: 'name'; name: string };

export interface ConstraintDef {
  type: 'primary' | 'unique' | 'foreign';
  name?: string;
  columns: string[];
  ref?: { schema?: string; name: string };
}

export const DEFAULT_SCHEMA = 'public';
const TEMP_SCHEMA = 'pg_temp';

const key = (schema: string, name: string) => `${schema}.${name}`;

/** models created so far: makes default versions unique */
let models = 0;

export class Schema {
  readonly tables = new Map<string, SchemaTable>();
  /** index name -> table key, per schema (`schema.index`) */
  private readonly indexOwner = new Map<string, string>();
  /** bare table name -> how many schemas have a table of that name */
  private readonly bare = new Map<string, number>();
  private sigs = new Map<string, string>();
  /** every bare name a relation ever had (dropped and renamed ones too) */
  private readonly everNamed = new Set<string>();
  /** dropped tables, to compare a later re-creation with */
  private readonly dropped = new Map<string, SchemaTable>();

  /**
   * @param version unique per model in the process (the analyzer compares it to know whether
   *   its cached schema findings were made against this very model)
   */
  constructor(public readonly version = `s${++models}`) {}

  /** The table a query names: `schema.name`, or an unqualified name by the default search_path (temporary tables first). */
  table(schema: string | undefined, name: string): SchemaTable | undefined {
    if (schema !== undefined) return this.tables.get(key(schema, name));
    return this.tables.get(key(TEMP_SCHEMA, name)) ?? this.tables.get(key(DEFAULT_SCHEMA, name));
  }

  /**
   * Some schema (any) has, or had, a table, view or sequence of this name: a search_path may
   * reach it, and a statement before its DROP (or rename) meets it.
   */
  hasAnywhere(name: string): boolean {
    return (this.bare.get(name) ?? 0) > 0 || this.everNamed.has(name);
  }

  /** How many relations of this bare name exist now (in different schemas). */
  sameName(name: string): number {
    return this.bare.get(name) ?? 0;
  }

  /** The model holds DDL for some relation of this schema (so an unknown name there is suspicious). */
  knowsSchema(schema: string): boolean {
    for (const t of this.tables.values()) if (t.schema === schema && !t.temporary) return true;
    return false;
  }

  /**
   * A short string that changes when the table's definition does (or when it appears or
   * disappears): rules that read the table are re-run when it differs.
   */
  signature(schema: string | undefined, name: string): string {
    const k = schema === undefined ? `?${name}` : key(schema, name);
    let s = this.sigs.get(k);
    if (s === undefined) {
      // name '' stands for "does the model know this schema at all"
      const t = name === '' ? undefined : this.table(schema, name);
      s = name === '' ? (this.knowsSchema(schema ?? DEFAULT_SCHEMA) ? 'k' : 'u') : t ? tableSignature(t) : this.hasAnywhere(name) ? '~' : '-';
      this.sigs.set(k, s);
    }
    return s;
  }

  // ---- building --------------------------------------------------------------------------

  /**
   * Applies one operation. False when it names a table the model does not have (yet): the
   * caller may retry it once the other files are in (file order says little about DDL order).
   */
  apply(op: SchemaOp): boolean {
    this.sigs.clear();
    switch (op.op) {
      case 'create-table': {
        const schema = op.temporary ? TEMP_SCHEMA : (op.schema ?? DEFAULT_SCHEMA);
        const earlier = this.tables.get(key(schema, op.name)) ?? this.dropped.get(key(schema, op.name));
        if (earlier) {
          for (const c of op.columns) {
            const had = earlier.columns.get(c.name);
            if (had && had.type !== c.type) earlier.conflict = true;
            earlier.everColumns.add(c.name);
          }
          if (op.copyFrom.length || !op.columnsKnown) earlier.columnsKnown = false;
        }
        if (this.tables.has(key(schema, op.name))) return true; // first definition wins (dump + migrations)
        const t: SchemaTable = {
          schema,
          name: op.name,
          kind: op.kind,
          temporary: op.temporary,
          derived: op.derived,
          // a name redefined by CREATE TABLE AS / SELECT INTO somewhere: its columns are anyone's guess
          columnsKnown: op.columnsKnown && (earlier?.columnsKnown ?? true),
          columns: new Map(),
          indexes: [],
          foreignKeys: [],
          constraints: new Map(),
          conflict: earlier?.conflict ?? false,
          everColumns: new Set(earlier?.everColumns),
        };
        const copy = (from: { schema?: string; name: string }) => {
          const src = this.table(from.schema, from.name);
          if (!src || !src.columnsKnown) t.columnsKnown = false;
          else for (const c of src.columns.values()) if (!t.columns.has(c.name)) t.columns.set(c.name, { ...c });
        };
        op.columns.forEach((c, i) => {
          for (const from of op.copyFrom) if ((from.at ?? 0) === i) copy(from);
          t.columns.set(c.name, { ...c });
        });
        for (const from of op.copyFrom) if ((from.at ?? 0) >= op.columns.length) copy(from);
        for (const c of t.columns.keys()) t.everColumns.add(c);
        this.everNamed.add(op.name);
        this.tables.set(key(schema, op.name), t);
        this.bare.set(op.name, (this.bare.get(op.name) ?? 0) + 1);
        for (const c of op.constraints) this.addConstraint(t, c);
        return true;
      }
      case 'name':
        this.everNamed.add(op.name);
        return true;
      case 'drop-table': {
        const t = this.table(op.schema, op.name);
        if (!t) return true;
        this.tables.delete(key(t.schema, t.name));
        this.dropped.set(key(t.schema, t.name), t);
        this.bare.set(t.name, (this.bare.get(t.name) ?? 1) - 1);
        return true;
      }
      case 'rename-table': {
        const t = this.table(op.schema, op.table);
        if (!t) return false;
        if (this.tables.has(key(t.schema, op.to))) return true;
        this.tables.delete(key(t.schema, t.name));
        this.bare.set(t.name, (this.bare.get(t.name) ?? 1) - 1);
        t.name = op.to;
        this.everNamed.add(op.to);
        this.tables.set(key(t.schema, t.name), t);
        this.bare.set(t.name, (this.bare.get(t.name) ?? 0) + 1);
        return true;
      }
      case 'create-index': {
        const t = this.table(op.schema, op.table);
        if (!t) return false;
        // copies: ops are cached and applied again on every rebuild, the model is mutable
        t.indexes.push({ ...op.index, columns: [...op.index.columns] });
        if (op.index.name) this.indexOwner.set(key(t.schema, op.index.name), key(t.schema, t.name));
        return true;
      }
      case 'drop-index': {
        const owner = this.indexOwner.get(key(op.schema ?? DEFAULT_SCHEMA, op.name));
        const t = owner ? this.tables.get(owner) : undefined;
        if (!t) return false;
        t.indexes = t.indexes.filter((i) => i.name !== op.name);
        return true;
      }
      default:
        break;
    }
    const t = this.table(op.schema, op.table);
    if (!t) return false;
    switch (op.op) {
      case 'add-column':
        t.columns.set(op.column.name, { ...op.column });
        t.everColumns.add(op.column.name);
        for (const c of op.constraints) this.addConstraint(t, c);
        return true;
      case 'drop-column':
        t.columns.delete(op.column);
        // PostgreSQL drops the indexes and constraints that use the column
        t.indexes = t.indexes.filter((i) => !i.columns.includes(op.column));
        t.foreignKeys = t.foreignKeys.filter((f) => !f.columns.includes(op.column));
        return true;
      case 'alter-column-type': {
        const c = t.columns.get(op.column);
        if (c) c.type = op.type;
        return true;
      }
      case 'rename-column': {
        const c = t.columns.get(op.column);
        if (!c) return true;
        // keep the column's position (attnum): `*` expands in this order
        const cols = [...t.columns.values()];
        t.columns.clear();
        c.name = op.to;
        t.everColumns.add(op.to);
        for (const x of cols) t.columns.set(x.name, x);
        const rename = (n: string | null) => (n === op.column ? op.to : n);
        for (const i of t.indexes) i.columns = i.columns.map(rename);
        for (const f of t.foreignKeys) f.columns = f.columns.map((n) => rename(n) as string);
        return true;
      }
      case 'add-constraint':
        this.addConstraint(t, op.constraint);
        return true;
      case 'drop-constraint': {
        const made = t.constraints.get(op.name);
        if (!made) return true;
        t.constraints.delete(op.name);
        if (made.index) t.indexes = t.indexes.filter((i) => i !== made.index);
        if (made.fk) t.foreignKeys = t.foreignKeys.filter((f) => f !== made.fk);
        return true;
      }
    }
  }

  private addConstraint(t: SchemaTable, c: ConstraintDef): void {
    if (c.type === 'foreign') {
      if (!c.ref) return;
      const fk: SchemaForeignKey = { columns: c.columns, refSchema: c.ref.schema ?? DEFAULT_SCHEMA, refTable: c.ref.name };
      const name = c.name ?? `${t.name}_${c.columns.join('_')}_fkey`;
      fk.name = name;
      t.foreignKeys.push(fk);
      t.constraints.set(name, { fk });
      return;
    }
    const name = c.name ?? (c.type === 'primary' ? `${t.name}_pkey` : `${t.name}_${c.columns.join('_')}_key`);
    const index: SchemaIndex = { name, columns: c.columns, unique: true, primary: c.type === 'primary', partial: false, method: 'btree' };
    t.indexes.push(index);
    t.constraints.set(name, { index });
    this.indexOwner.set(key(t.schema, name), key(t.schema, t.name));
  }
}

/** The table has an index whose leading key columns are exactly `columns` (in any order). */
export function leadsIndex(t: SchemaTable, columns: readonly string[]): SchemaIndex | undefined {
  return t.indexes.find((i) => columns.length > 0 && i.columns.length >= columns.length && columns.every((c) => i.columns.slice(0, columns.length).includes(c)));
}

export function hasPrimaryKey(t: SchemaTable): boolean {
  return t.indexes.some((i) => i.primary);
}

function tableSignature(t: SchemaTable): string {
  const cols = [...t.columns.values()].map((c) => `${c.name}:${c.type}`).join(',');
  const idx = t.indexes.map((i) => `${i.primary ? 'P' : i.unique ? 'U' : 'I'}${i.partial ? '?' : ''}(${i.columns.map((c) => c ?? '()').join(',')})`).join(';');
  const fks = t.foreignKeys.map((f) => `${f.columns.join(',')}>${f.refSchema}.${f.refTable}`).join(';');
  return hash(`${t.kind}|${t.temporary}|${t.conflict}|${[...t.everColumns].join(',')}|${t.derived}|${t.columnsKnown}|${cols}|${idx}|${fks}`);
}

/** FNV-1a, base 36: short keys for long definitions. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36) + s.length.toString(36);
}
