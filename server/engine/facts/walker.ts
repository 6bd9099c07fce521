/**
 * Shared state of one extraction: the facts being built, the token index, the depth guard,
 * name scopes (which alias belongs to which query block) and correlation bookkeeping.
 *
 * libpg-query's JSON wraps most nodes as `{ "TypeName": { ...fields } }`, but some fields
 * hold the fields directly (`larg`/`rarg` of a set operation, `relation`, `typeName`,
 * `withClause`, `over`): `unwrap` accepts both.
 */
import { Tokens } from './tokens';
import type { BlockRole, Facts, QueryBlock, Span, SublinkKind } from './types';

export type Node = Record<string, unknown>;

/**
 * How deep the extractor follows nested blocks and expressions. PostgreSQL accepts a few
 * thousand levels (`1+1+...`, `(SELECT (SELECT ...))`); beyond this we stop descending and
 * set `facts.truncated` rather than risk the stack.
 */
export const MAX_DEPTH = 500;

/** `{ Type: body }` -> ['Type', body]; a bare body -> ['', body]; anything else -> null. */
export function unwrap(n: unknown): [string, Node] | null {
  if (!n || typeof n !== 'object' || Array.isArray(n)) return null;
  const o = n as Node;
  const key = wrapperKey(o);
  if (key !== undefined) {
    const v = o[key];
    if (v && typeof v === 'object' && !Array.isArray(v)) return [key, v as Node];
  }
  return ['', o];
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The key of a `{ Type: body }` wrapper: the object's only own key, when it starts with A-Z. */
export function wrapperKey(o: Node): string | undefined {
  let key: string | undefined;
  for (const k in o) {
    if (!hasOwn.call(o, k)) continue;
    if (key !== undefined) return undefined;
    key = k;
  }
  if (key === undefined) return undefined;
  const c0 = key.charCodeAt(0);
  return c0 >= 65 && c0 <= 90 ? key : undefined;
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function asNode(v: unknown): Node | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

/** A `String` node's text (also accepts a plain string). */
export function str(n: unknown): string | undefined {
  if (typeof n === 'string') return n;
  if (!n || typeof n !== 'object' || Array.isArray(n)) return undefined;
  if (wrapperKey(n as Node) !== 'String') return undefined;
  const v = (n as Node).String;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const sval = (v as Node).sval;
  return typeof sval === 'string' ? sval : '';
}

/** `strings(list).pop()` without the array. */
export function lastString(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  for (let i = list.length - 1; i >= 0; i--) {
    const s = str(list[i]);
    if (s !== undefined) return s;
  }
  return undefined;
}

/** Texts of a list of `String` nodes (qualified names, USING columns, ...). */
export function strings(list: unknown): string[] {
  const out: string[] = [];
  for (const n of asArray(list)) {
    const s = str(n);
    if (s !== undefined) out.push(s);
  }
  return out;
}

export function loc(n: Node | undefined): number {
  return n && typeof n.location === 'number' ? n.location : -1;
}

/** The fields of a ColumnRef: qualifier (the part before the column) and name, or a star. */
export function columnRefParts(body: Node): { qualifier?: string; name: string; star: boolean } {
  const fields = asArray(body.fields);
  const last = unwrap(fields[fields.length - 1]);
  const star = !!last && last[0] === 'A_Star';
  return { qualifier: qualifierOf(fields), name: nameOf(fields), star };
}

/** A ColumnRef's column name (`*` for a star) from its `fields`. */
export function nameOf(fields: unknown[]): string {
  return fields.length ? (str(fields[fields.length - 1]) ?? '*') : '';
}

/** A ColumnRef's qualifier (the part before the column) from its `fields`. */
export function qualifierOf(fields: unknown[]): string | undefined {
  return fields.length >= 2 ? (str(fields[fields.length - 2]) ?? '*') : undefined;
}

/** A name scope: one per query block. */
export interface Scope {
  block: number;
  parent: Scope | null;
  /** alias (or unaliased relation name) -> index of the block's FROM item (-1: visible but not in FROM, e.g. an INSERT target) */
  names: Map<string, number>;
  /** CTE name -> index into facts.ctes (null until the block's WITH defines one) */
  ctes: Map<string, number> | null;
}

/** Column references collected while walking one WHERE conjunct (or one LATERAL item). */
interface Unit {
  block: number;
  /** qualifiers that resolved to `block`; null for an unqualified name attributed to it */
  refs: Array<string | null>;
}

export interface BlockInit {
  role: BlockRole;
  sublink: SublinkKind | undefined;
  negated: boolean | undefined;
  lateral: boolean | undefined;
  cte: string | undefined;
  depth: number;
}

/** A BlockInit. Always built here, so that all have one shape (newBlock reads them for every block). */
export function blockInit(role: BlockRole, depth: number, sublink?: SublinkKind, negated?: boolean, lateral?: boolean, cte?: string): BlockInit {
  return { role, sublink, negated, lateral, cte, depth };
}

export class Collector {
  readonly tokens: Tokens;
  readonly facts: Facts;
  private depth = 0;
  private readonly units: Unit[] = [];
  /** parameter numbers as met (null: none yet) */
  private params: number[] | null = null;

  constructor(readonly text: string) {
    this.tokens = new Tokens(text);
    const head = this.tokens.has(0) ? this.tokens.span(0, 0) : { start: 0, end: Math.min(1, text.length) };
    this.facts = {
      kind: 'other',
      astKind: '',
      head,
      span: { start: 0, end: text.length },
      blocks: [],
      relations: [],
      joins: [],
      predicates: [],
      sorts: [],
      subqueries: [],
      ctes: [],
      setOperations: [],
      aggregates: [],
      windows: [],
      ors: [],
      stars: [],
      writes: [],
      ddl: [],
      params: [],
      truncated: false,
    };
  }

  /** Depth guard: call before descending, `leave()` after, only when it returned true. */
  enter(): boolean {
    if (this.depth >= MAX_DEPTH) {
      this.facts.truncated = true;
      return false;
    }
    this.depth++;
    return true;
  }

  leave(): void {
    this.depth--;
  }

  param(n: number): void {
    if (this.params) this.params.push(n);
    else this.params = [n];
  }

  newBlock(parent: number | null, init: BlockInit, span: Span, head: Span, statement: QueryBlock['statement'] = 'select'): QueryBlock {
    const block: QueryBlock = {
      id: this.facts.blocks.length,
      parent,
      role: init.role,
      statement,
      depth: init.depth,
      span,
      head,
      values: false,
      from: [],
      targetCount: 0,
      constantTargets: false,
      distinct: 'none',
      groupBy: false,
      having: false,
      aggregates: false,
      locking: [],
      correlated: false,
      outerRefs: [],
      linkUnknown: false,
    };
    if (init.sublink) block.sublink = init.sublink;
    if (init.negated) block.negated = true;
    if (init.lateral) block.lateral = true;
    if (init.cte !== undefined) block.cte = init.cte;
    this.facts.blocks.push(block);
    return block;
  }

  newScope(block: number, parent: Scope | null): Scope {
    return { block, parent, names: new Map(), ctes: null };
  }

  /** The CTE a relation name refers to, searching enclosing scopes. */
  findCte(scope: Scope, name: string): number | undefined {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const i = s.ctes?.get(name);
      if (i !== undefined) return i;
    }
    return undefined;
  }

  /**
   * Which scope a column reference belongs to. A qualified name resolves to the innermost
   * scope that has that alias; an unqualified one to the innermost scope with FROM items
   * (without a schema we cannot tell which table has the column, so we assume the nearest).
   * Unknown qualifiers (a typo, a schema-qualified function's argument) count as local.
   */
  resolve(scope: Scope, qualifier: string | undefined): Scope {
    if (qualifier !== undefined) {
      for (let s: Scope | null = scope; s; s = s.parent) if (s.names.has(qualifier)) return s;
      return scope;
    }
    for (let s: Scope | null = scope; s; s = s.parent) if (s.names.size > 0) return s;
    return scope;
  }

  /**
   * Records a column use: marks the blocks between the use and its owner as correlated and
   * feeds any open WHERE-conjunct unit of the owner (for cross-join detection).
   */
  useColumn(scope: Scope, qualifier: string | undefined, name: string): Scope {
    const owner = this.resolve(scope, qualifier);
    if (owner !== scope) {
      for (let s: Scope | null = scope; s && s !== owner; s = s.parent) {
        const b = this.facts.blocks[s.block];
        if (!b) continue;
        b.correlated = true;
        const label = qualifier ? `${qualifier}.${name}` : name;
        if (!b.outerRefs.includes(label) && b.outerRefs.length < 20) b.outerRefs.push(label);
      }
    }
    for (const u of this.units) {
      if (u.block === owner.block) u.refs.push(qualifier !== undefined && owner.names.has(qualifier) ? qualifier : null);
    }
    return owner;
  }

  /** Collects the column uses of `block` made while `fn` runs. */
  collectUnit(block: number, fn: () => void): Array<string | null> {
    const unit: Unit = { block, refs: [] };
    this.units.push(unit);
    try {
      fn();
    } finally {
      this.units.pop();
    }
    return unit.refs;
  }

  finish(): Facts {
    if (this.params) this.facts.params = [...new Set(this.params)].sort((a, b) => a - b);
    return this.facts;
  }
}
