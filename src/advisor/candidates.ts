/**
 * Index candidates from statement facts. Pure: queries and the catalog's tables in,
 * candidates out. Per query block and table: equality columns first (up to 3), then one
 * range or sort column; a partial variant when a column is compared with a constant; an
 * expression key for a wrapped column (`lower(email)`); a covering variant (INCLUDE) when
 * every column the query reads from the table is known; a trigram GIN index for
 * `LIKE '%x%'` (verified on the embedded database only: HypoPG cannot fake GIN).
 */
import type { ColumnUse, Operand, Predicate, QueryBlock, Relation } from '../../server/engine/facts/types';
import { createIndexSql, quoteIdent } from './sql';
import type { Candidate, ExistingIndex, IndexKey, IndexKind, TableInfo, WorkloadQuery } from './types';

export const MAX_KEY_COLUMNS = 3;
export const MAX_INCLUDE_COLUMNS = 4;
/** BRIN pays off on big tables only: below this a B-tree is small anyway */
export const BRIN_MIN_ROWS = 100_000;
/** |pg_stats.correlation| from which a column counts as stored in its own order (append-only) */
export const BRIN_MIN_CORRELATION = 0.9;

export type TableResolver = (schema: string | undefined, name: string) => TableInfo | undefined;

export interface CandidateResult {
  candidates: Candidate[];
  /** candidates dropped because an existing index covers them: definition -> index name */
  covered: Array<{ candidate: Candidate; index: string }>;
}

interface KeyUse {
  key: IndexKey;
  /** plain column names it reads */
  reads: string[];
}

interface TableUse {
  table: TableInfo;
  eq: KeyUse[];
  range: KeyUse[];
  /** constant predicates: SQL text with quoted identifiers, and the column */
  constants: Array<{ sql: string; column: string }>;
  trigram: string[];
  /** every column of the table the block reads (undefined: unknown, e.g. `*`) */
  reads: Set<string> | undefined;
}

export function generateCandidates(queries: readonly WorkloadQuery[], resolve: TableResolver): CandidateResult {
  const byKey = new Map<string, Candidate>();
  const covered = new Map<string, { candidate: Candidate; index: string }>();
  for (const q of queries) {
    for (const c of candidatesOfQuery(q, resolve)) {
      const table = resolve(c.schema, c.table);
      const cover = table && coveringIndex(c, table.indexes);
      const seen = byKey.get(c.key) ?? covered.get(c.key)?.candidate;
      if (seen) {
        if (!seen.queries.includes(q.id)) seen.queries.push(q.id);
        continue;
      }
      if (cover) covered.set(c.key, { candidate: c, index: cover.name });
      else byKey.set(c.key, c);
    }
  }
  return { candidates: [...byKey.values()], covered: [...covered.values()] };
}

export function candidatesOfQuery(q: WorkloadQuery, resolve: TableResolver): Candidate[] {
  const out: Candidate[] = [];
  const f = q.facts;
  for (const block of f.blocks) {
    if (block.values || block.setOp) continue;
    const rels = f.relations.filter((r) => r.block === block.id && r.kind === 'table' && r.name);
    const tables = new Map<Relation, TableInfo>();
    for (const r of rels) {
      const t = resolve(r.schema, r.name!);
      if (t) tables.set(r, t);
    }
    if (tables.size === 0) continue;
    const uses = new Map<Relation, TableUse>();
    for (const [r, t] of tables) uses.set(r, { table: t, eq: [], range: [], constants: [], trigram: [], reads: new Set() });
    const owner = (c: ColumnUse): Relation | undefined => ownerOf(c, block, tables);
    const unknownReads = (r: Relation | undefined) => {
      const u = r && uses.get(r);
      if (u) u.reads = undefined;
    };
    const read = (c: ColumnUse) => {
      const r = owner(c);
      const u = r && uses.get(r);
      u?.reads?.add(c.name);
    };

    for (const p of f.predicates) {
      if (p.block !== block.id) continue;
      for (const c of [...p.left.columns, ...(p.right?.columns ?? [])]) read(c);
      if (p.underOr || p.negated || (p.clause !== 'where' && p.clause !== 'join')) continue;
      classify(p, q.text, owner, uses);
    }

    // sort keys of this block, all on one table and plain columns
    const sorts = f.sorts.filter((s) => s.block === block.id);
    let sortRel: Relation | undefined;
    const sortCols: string[] = [];
    const dirs = new Set(sorts.map((s) => (s.direction === 'desc' ? 'desc' : s.direction === 'using' ? 'using' : 'asc')));
    for (const s of sorts) {
      for (const c of s.expr.columns) read(c);
      if (s.expr.kind !== 'column' || s.random || s.position !== undefined) {
        sortRel = undefined;
        sortCols.length = 0;
        break;
      }
      const r = owner(s.expr.columns[0]);
      if (!r || (sortRel && sortRel !== r)) {
        sortRel = undefined;
        sortCols.length = 0;
        break;
      }
      sortRel = r;
      sortCols.push(s.expr.columns[0].name);
    }
    const sortDesc = dirs.size === 1 && dirs.has('desc');
    if (dirs.has('using')) sortRel = undefined;

    // select-list columns (outermost block only; others: unknown)
    if (block.parent === null && block.role === 'statement') {
      if (q.outputColumns.star) for (const r of tables.keys()) unknownReads(r);
      for (const c of q.outputColumns.columns) {
        const r = ownerOf({ name: c.name, qualifier: c.qualifier, span: { start: 0, end: 0 }, scope: 'local' }, block, tables);
        if (r) uses.get(r)!.reads?.add(c.name);
        else if (c.qualifier) unknownReads([...tables.keys()].find((x) => (x.refName ?? x.name) === c.qualifier));
      }
    } else {
      for (const r of tables.keys()) unknownReads(r);
    }

    for (const [r, u] of uses) {
      const sort = r === sortRel && (block.limit !== undefined || u.range.length === 0) ? sortCols : [];
      out.push(...variants(u, sort, sortDesc, q.id));
    }
  }
  return out;
}

function ownerOf(c: ColumnUse, block: QueryBlock, tables: Map<Relation, TableInfo>): Relation | undefined {
  if (c.scope !== 'local') return undefined;
  if (c.qualifier !== undefined) {
    for (const r of tables.keys()) if ((r.refName ?? r.name) === c.qualifier) return r;
    return undefined;
  }
  const having = [...tables].filter(([, t]) => t.columns.includes(c.name));
  return having.length === 1 ? having[0][0] : undefined;
}

const VALUE_KINDS = new Set<Operand['kind']>(['constant', 'param', 'list', 'null']);
const RANGE_OPS = new Set(['<', '<=', '>', '>=']);

function classify(p: Predicate, text: string, owner: (c: ColumnUse) => Relation | undefined, uses: Map<Relation, TableUse>): void {
  if (p.kind === 'null-test') {
    const r = p.left.kind === 'column' ? owner(p.left.columns[0]) : undefined;
    if (r && p.operator === 'is null') uses.get(r)!.constants.push({ sql: `${quoteIdent(p.left.columns[0].name)} IS NULL`, column: p.left.columns[0].name });
    return;
  }
  if (!p.right) return;
  // the column side, and the value side (a constant, a parameter, or another table's column)
  for (const [col, val, flipped] of [
    [p.left, p.right, false],
    [p.right, p.left, true],
  ] as const) {
    const side = columnSide(col, text, owner);
    if (!side) continue;
    const other = val.kind === 'column' ? owner(val.columns[0]) : undefined;
    const isValue = VALUE_KINDS.has(val.kind) || (val.kind === 'column' && other !== side.rel) || (val.kind === 'expression' && val.columns.every((c) => owner(c) !== side.rel));
    if (!isValue) continue;
    const u = uses.get(side.rel)!;
    const op = flipped ? flip(p.operator) : p.operator;
    if (p.kind === 'comparison' && op === '=') {
      u.eq.push(side.use);
      if (val.kind === 'constant' && side.use.key.column) u.constants.push({ sql: `${quoteIdent(side.use.key.column)} = ${text.slice(val.span.start, val.span.end)}`, column: side.use.key.column });
    } else if ((p.kind === 'in-list' && p.operator === 'in') || (p.kind === 'array' && p.compare === '=' && p.operator === 'any')) {
      u.eq.push(side.use);
    } else if ((p.kind === 'comparison' && RANGE_OPS.has(op)) || p.kind === 'between') {
      u.range.push(side.use);
    } else if (p.kind === 'like' && p.like?.leadingWildcard && side.use.key.column && !flipped) {
      u.trigram.push(side.use.key.column);
    }
    return;
  }
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

function columnSide(o: Operand, text: string, owner: (c: ColumnUse) => Relation | undefined): { rel: Relation; use: KeyUse } | undefined {
  if (o.kind === 'column') {
    const rel = owner(o.columns[0]);
    return rel && { rel, use: { key: { column: o.columns[0].name }, reads: [o.columns[0].name] } };
  }
  if (o.kind !== 'expression' || (o.wrapper !== 'function' && o.wrapper !== 'cast') || o.columns.length === 0) return undefined;
  const rel = owner(o.columns[0]);
  if (!rel || o.columns.some((c) => owner(c) !== rel)) return undefined;
  return { rel, use: { key: { expression: expressionText(o, text) }, reads: o.columns.map((c) => c.name) } };
}

/** The operand's text with every column reference replaced by its quoted bare name. */
export function expressionText(o: Operand, text: string): string {
  let s = '';
  let at = o.span.start;
  for (const c of [...o.columns].sort((a, b) => a.span.start - b.span.start)) {
    s += text.slice(at, c.span.start) + quoteIdent(c.name);
    at = c.span.end;
  }
  return (s + text.slice(at, o.span.end)).replace(/\s+/g, ' ').trim();
}

const keyId = (k: IndexKey) => k.column !== undefined ? `c:${k.column}` : `e:${k.expression}`;

function uniqueKeys(list: KeyUse[]): KeyUse[] {
  const seen = new Set<string>();
  return list.filter((k) => !seen.has(keyId(k.key)) && seen.add(keyId(k.key)));
}

function variants(u: TableUse, sortCols: string[], sortDesc: boolean, query: number): Candidate[] {
  const t = u.table;
  const out: Candidate[] = [];
  const eq = uniqueKeys(u.eq).slice(0, MAX_KEY_COLUMNS);
  const eqIds = new Set(eq.map((k) => keyId(k.key)));
  const range = uniqueKeys(u.range).filter((k) => !eqIds.has(keyId(k.key)));
  const sort = sortCols.filter((c) => !eqIds.has(`c:${c}`));
  const make = (keys: KeyUse[], extra: { where?: string; include?: string[]; kind?: IndexKind } = {}) => {
    if (keys.length === 0) return;
    const c: Candidate = {
      key: '',
      kind: extra.kind ?? (keys.some((k) => k.key.expression) ? 'expression' : extra.where ? 'partial' : extra.include?.length ? 'covering' : 'btree'),
      schema: t.schema,
      table: t.name,
      method: 'btree',
      keys: keys.map((k) => k.key),
      include: extra.include ?? [],
      where: extra.where,
      queries: [query],
      needsRealIndex: false,
    };
    c.key = createIndexSql(c);
    out.push(c);
  };
  const sortKeys: KeyUse[] = sort.map((c) => ({ key: { column: c }, reads: [c] }));
  if (sortDesc) sortKeys.forEach((k) => (k.key = { ...k.key, opclass: 'DESC' }));
  const shapes: KeyUse[][] = [];
  if (range.length) shapes.push([...eq, range[0]].slice(0, MAX_KEY_COLUMNS));
  if (sortKeys.length) shapes.push([...eq, ...sortKeys].slice(0, MAX_KEY_COLUMNS));
  if (eq.length) shapes.push(eq);
  for (const s of shapes) make(s);

  // partial: constant predicates move into WHERE, the rest stay keys
  if (u.constants.length) {
    const constCols = new Set(u.constants.map((c) => `c:${c.column}`));
    const where = u.constants.map((c) => c.sql).join(' AND ');
    const rest = [...eq.filter((k) => !constCols.has(keyId(k.key))), ...(range.length ? [range[0]] : sortKeys)].slice(0, MAX_KEY_COLUMNS);
    const keys = rest.length ? rest : [{ key: { column: u.constants[0].column }, reads: [u.constants[0].column] }];
    make(keys, { where, kind: 'partial' });
  }

  // covering: the best-shaped key list plus every other column the block reads from the table
  if (u.reads && shapes.length && !shapes[0].some((k) => k.key.expression)) {
    const keyCols = new Set(shapes[0].flatMap((k) => k.reads));
    const include = [...u.reads].filter((c) => !keyCols.has(c) && t.columns.includes(c));
    if (include.length > 0 && include.length <= MAX_INCLUDE_COLUMNS) make(shapes[0], { include, kind: 'covering' });
  }

  // BRIN: a range on a column whose values follow the physical order (append-only timestamps)
  for (const k of range) {
    const col = k.key.column;
    const corr = col !== undefined ? t.correlation?.[col] : undefined;
    if (col === undefined || corr === undefined || Math.abs(corr) < BRIN_MIN_CORRELATION || t.rows < BRIN_MIN_ROWS) continue;
    const c: Candidate = { key: '', kind: 'brin', schema: t.schema, table: t.name, method: 'brin', keys: [{ column: col }], include: [], queries: [query], needsRealIndex: false };
    c.key = createIndexSql(c);
    out.push(c);
  }

  for (const col of new Set(u.trigram)) {
    const c: Candidate = {
      key: '',
      kind: 'gin_trgm',
      schema: t.schema,
      table: t.name,
      method: 'gin',
      keys: [{ column: col, opclass: 'gin_trgm_ops' }],
      include: [],
      queries: [query],
      needsRealIndex: true,
    };
    c.key = createIndexSql(c);
    out.push(c);
  }
  return out;
}

/** Normalized key text: no quotes, no blanks, lower case, without outer parentheses. */
export function normalizeKey(s: string): string {
  let t = s.replace(/"/g, '').replace(/\s+/g, '').toLowerCase();
  while (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  return t.replace(/::text/g, '');
}

function candidateKeyText(k: IndexKey): string {
  const base = k.column ?? k.expression ?? '';
  return normalizeKey(k.opclass && k.opclass !== 'DESC' ? `${base} ${k.opclass}` : base);
}

/**
 * An existing index that makes the candidate pointless: same method and predicate, the
 * candidate's keys are its leading keys, and it holds every INCLUDE column.
 */
export function coveringIndex(c: Candidate, indexes: readonly ExistingIndex[]): ExistingIndex | undefined {
  const keys = c.keys.map(candidateKeyText);
  const where = c.where ? normalizeKey(c.where) : undefined;
  return indexes.find((ix) => {
    if (ix.method !== c.method) return false;
    if ((ix.predicate ? normalizeKey(ix.predicate) : undefined) !== where) return false;
    const ixKeys = ix.keys.map((k) => normalizeKey(k));
    if (ixKeys.length < keys.length) return false;
    if (!keys.every((k, i) => ixKeys[i] === k)) return false;
    const has = new Set([...ixKeys, ...ix.include.map(normalizeKey)]);
    return c.include.every((col) => has.has(normalizeKey(col)));
  });
}
