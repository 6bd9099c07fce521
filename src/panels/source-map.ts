/**
 * Which part of the SQL each plan node comes from, and back: relation scans to their FROM
 * item, joins to their JOIN ... ON clause (or the WHERE predicates that join them), sorts
 * to ORDER BY, aggregates to GROUP BY, LIMIT to LIMIT, filters to their WHERE predicates,
 * writes to their INSERT/UPDATE/DELETE head. Built on the engine's facts (which carry
 * ranges); nodes with nothing of their own (Hash, Materialize, Gather, ...) borrow the
 * range of the node they serve. Pure: the statement text and the plan in, offsets out
 * (UTF-16, relative to the statement text). Needs libpg-query loaded (loadParser()).
 */
import { extractFacts, type Facts } from '../../server/engine/facts';
import { lex, type LexToken } from '../../server/engine/facts/lexer';
import type { QueryBlock, Relation, Span } from '../../server/engine/facts/types';
import { parsePg } from '../../server/engine/parse/pgquery';
import { convertPlaceholders } from '../db/placeholders';
import type { PlanModel, PlanNode } from '../explain/types';

export interface SqlRange {
  start: number;
  end: number;
}

export type SourceReason = 'relation' | 'join' | 'sort' | 'group' | 'aggregate' | 'window' | 'limit' | 'write' | 'subquery' | 'set-operation' | 'statement';

export interface NodeSource {
  /** the range to select in the editor */
  primary: SqlRange;
  /** more ranges to highlight (the predicates a scan filters by, the CTE a CTE Scan reads) */
  extra: SqlRange[];
  reason: SourceReason;
  /** borrowed from another node (a Hash from its join, a Gather from its child): not used for cursor -> node */
  inherited: boolean;
}

export type SourceMap = Array<NodeSource | null>;

export function mapPlanToSource(model: PlanModel, sql: string): SourceMap {
  const facts = factsOf(sql);
  const out: SourceMap = model.nodes.map(() => null);
  if (!facts) return mapByTokens(model, sql);
  const toks = lex(sql);
  const relOf: Array<Relation | null> = model.nodes.map(() => null);

  // 1. scans -> relations
  const used = new Set<number>();
  for (const n of model.nodes) {
    const r = matchRelation(facts, n, used);
    if (r === null) continue;
    used.add(r);
    const rel = facts.relations[r];
    relOf[n.id] = rel;
    out[n.id] = { primary: rel.span, extra: filterPredicates(facts, rel, n), reason: 'relation', inherited: false };
    if (rel.kind === 'cte') {
      const cte = facts.ctes.find((c) => c.name === rel.name);
      if (cte) out[n.id]!.extra.push(facts.blocks[cte.block]?.span ?? cte.span);
    }
  }
  // Bitmap Index Scans (and BitmapAnd/Or) name no relation: their heap scan above does
  for (const n of model.nodes) {
    if (relOf[n.id] || !n.baseType.startsWith('Bitmap')) continue;
    for (let p = n.parentId; p !== null; p = model.nodes[p].parentId) {
      if (relOf[p]) {
        relOf[n.id] = relOf[p];
        out[n.id] = { ...out[p]!, extra: [...out[p]!.extra], inherited: false };
        break;
      }
    }
  }

  const subtreeRels = (id: number): Relation[] => {
    const n = model.nodes[id];
    const rels: Relation[] = [];
    for (let i = id; i <= n.subtreeEnd; i++) if (relOf[i]) rels.push(relOf[i]!);
    return rels;
  };
  const blockOf = (id: number): QueryBlock | null => commonBlock(facts, subtreeRels(id).map((r) => r.block));

  // 2. operators
  for (const n of model.nodes) {
    if (out[n.id]) continue;
    const src = operatorSource(facts, toks, sql, model, n, subtreeRels, blockOf);
    if (src) out[n.id] = src;
  }

  // 3. helpers borrow: Hash from its join, Sort under a Merge Join / aggregate from its parent, else the first mapped child
  for (const n of model.nodes) {
    if (out[n.id]) continue;
    const p = n.parentId !== null ? out[n.parentId] : null;
    if ((n.baseType === 'Hash' || n.baseType === 'Sort' || n.baseType === 'Incremental Sort') && p) out[n.id] = { ...p, inherited: true };
  }
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const n = model.nodes[i];
    if (out[n.id]) continue;
    const child = n.childIds.map((c) => out[c]).find((x) => x !== null);
    if (child) out[n.id] = { ...child, inherited: true };
  }
  for (const n of model.nodes) {
    if (out[n.id]) continue;
    const p = n.parentId !== null ? out[n.parentId] : null;
    out[n.id] = p ? { ...p, inherited: true } : { primary: facts.head, extra: [], reason: 'statement', inherited: true };
  }
  return out;
}

/**
 * The node whose SQL the offset is in: the smallest own range that contains it (a
 * predicate a scan filters by counts, after the scan's FROM item); null when none does.
 */
export function nodeAtOffset(map: SourceMap, offset: number): number | null {
  let best: number | null = null;
  let bestRank = Infinity;
  map.forEach((s, id) => {
    if (!s || s.inherited) return;
    const consider = (r: SqlRange, penalty: number) => {
      if (offset < r.start || offset > r.end) return;
      const rank = r.end - r.start + penalty;
      if (rank < bestRank) {
        bestRank = rank;
        best = id;
      }
    };
    consider(s.primary, 0);
    for (const e of s.extra) consider(e, 0.5);
  });
  return best;
}

// ---- facts ----

function factsOf(sql: string): Facts | null {
  try {
    const conv = convertPlaceholders(sql);
    const parsed = parsePg(conv.text);
    if (!parsed.ok || parsed.stmts.length !== 1) return null;
    const facts = extractFacts(parsed.stmts[0].stmt, conv.text);
    if (conv.text === sql) return facts;
    return remapFacts(facts, (o) => conv.toOriginal(o));
  } catch {
    return null;
  }
}

/** Facts of the converted text (`:name` -> `$1`) mapped back onto the text as written. */
function remapFacts(facts: Facts, map: (o: number) => number): Facts {
  const seen = new WeakSet<object>();
  const walk = (v: unknown): void => {
    if (!v || typeof v !== 'object' || seen.has(v as object)) return;
    seen.add(v as object);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const o = v as Record<string, unknown>;
    if (typeof o.start === 'number' && typeof o.end === 'number' && Object.keys(o).length === 2) {
      o.start = map(o.start);
      o.end = map(o.end);
      return;
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(facts);
  return facts;
}

const norm = (s: string | null | undefined) => (s ?? '').toLowerCase();

/** The FROM item a scan reads, by alias first (EXPLAIN's alias is the one written, or the table name). */
function matchRelation(facts: Facts, n: PlanNode, used: Set<number>): number | null {
  const kind = n.relation !== null ? 'table' : n.cteName !== null ? 'cte' : n.functionName !== null ? 'function' : n.baseType === 'Subquery Scan' ? 'subquery' : n.baseType === 'Values Scan' ? 'values' : null;
  if (kind === null || n.baseType.startsWith('Bitmap Index') || n.baseType === 'ModifyTable') return null;
  const name = norm(n.relation ?? n.cteName ?? n.functionName);
  const alias = norm(n.alias);
  const candidates = facts.relations.map((r, i) => ({ r, i })).filter(({ r }) => r.kind === kind || (kind === 'values' && r.kind === 'subquery'));
  const free = (xs: typeof candidates) => xs.find(({ i }) => !used.has(i)) ?? xs[0];
  const byAlias = candidates.filter(({ r }) => norm(r.refName) === alias && (kind !== 'table' || !name || norm(r.name) === name));
  if (alias && byAlias.length) return free(byAlias)!.i;
  // a repeated name is printed as name_1, name_2 ... by EXPLAIN
  const m = /^(.*)_(\d+)$/.exec(alias);
  if (m) {
    const same = candidates.filter(({ r }) => norm(r.refName) === m[1]);
    const k = Number(m[2]);
    if (same.length > k) return same[k].i;
    if (same.length) return free(same)!.i;
  }
  const byName = candidates.filter(({ r }) => norm(r.name) === name && name !== '');
  if (byName.length) return free(byName)!.i;
  const byRef = candidates.filter(({ r }) => norm(r.refName) === alias && alias !== '');
  return byRef.length ? free(byRef)!.i : null;
}

/** WHERE / ON predicates on this relation's columns alone (what a scan's Filter or Index Cond evaluates). */
function filterPredicates(facts: Facts, rel: Relation, n: PlanNode): Span[] {
  const props = n.properties;
  if (!('Filter' in props || 'Index Cond' in props || 'Recheck Cond' in props || 'TID Cond' in props)) return [];
  const tables = facts.relations.filter((r) => r.block === rel.block && r.kind !== 'function');
  const ref = norm(rel.refName);
  const out: Span[] = [];
  for (const p of facts.predicates) {
    if (p.block !== rel.block || (p.clause !== 'where' && p.clause !== 'join')) continue;
    const cols = [...p.left.columns, ...(p.right?.columns ?? [])];
    if (!cols.length) continue;
    const mine = cols.every((c) => (c.qualifier ? norm(c.qualifier) === ref : tables.length === 1));
    if (mine) out.push(p.span);
  }
  return out;
}

/** The innermost block holding all of `blocks` (walking up parents), or the statement's block. */
function commonBlock(facts: Facts, blocks: number[]): QueryBlock | null {
  if (!facts.blocks.length) return null;
  if (!blocks.length) return facts.blocks[0];
  const chain = (b: number) => {
    const out: number[] = [];
    for (let x: number | null = b; x !== null; x = facts.blocks[x]?.parent ?? null) out.push(x);
    return out;
  };
  let common = chain(blocks[0]);
  for (const b of blocks.slice(1)) {
    const c = new Set(chain(b));
    common = common.filter((x) => c.has(x));
  }
  return facts.blocks[common[0] ?? 0] ?? facts.blocks[0];
}

function upTo(facts: Facts, from: QueryBlock | null, ok: (b: QueryBlock) => boolean): QueryBlock | null {
  for (let b = from; b; b = b.parent !== null ? facts.blocks[b.parent] : null) if (ok(b)) return b;
  return null;
}

function operatorSource(
  facts: Facts,
  toks: LexToken[],
  sql: string,
  model: PlanModel,
  n: PlanNode,
  subtreeRels: (id: number) => Relation[],
  blockOf: (id: number) => QueryBlock | null,
): NodeSource | null {
  const own = (primary: Span, reason: SourceReason, extra: Span[] = []): NodeSource => ({ primary, extra, reason, inherited: false });
  const base = n.baseType;

  if (base === 'ModifyTable') {
    const w = facts.writes.find((x) => norm(x.table) === norm(n.relation)) ?? facts.writes[0];
    return w ? own(w.head, 'write') : null;
  }
  if (base === 'Nested Loop' || base === 'Hash Join' || base === 'Merge Join') {
    return joinSource(facts, toks, model, n, subtreeRels, own);
  }
  if (base === 'Sort' || base === 'Incremental Sort') {
    const parent = n.parentId !== null ? model.nodes[n.parentId].baseType : '';
    // a sort feeding a merge join, a group or a unique serves its parent
    if (parent === 'Merge Join' || parent === 'Aggregate' || parent === 'Group' || parent === 'Unique' || parent === 'WindowAgg' || parent === 'SetOp') return null;
    const b = upTo(facts, blockOf(n.id), (x) => x.orderBy !== undefined);
    if (!b || !b.orderBy) return null;
    const keys = facts.sorts.filter((s) => s.block === b.id);
    const end = Math.max(b.orderBy.end, ...keys.map((k) => k.span.end));
    return own({ start: b.orderBy.start, end }, 'sort');
  }
  if (base === 'Limit') {
    const b = upTo(facts, blockOf(n.id), (x) => x.limit !== undefined || x.offset !== undefined);
    if (!b) return null;
    const spans = [b.limit?.clause, b.offset?.clause].filter((s): s is Span => !!s);
    return own({ start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) }, 'limit');
  }
  if (base === 'Aggregate' || base === 'Group') {
    const b = upTo(facts, blockOf(n.id), (x) => x.groupBy || x.aggregates);
    if (!b) return null;
    const group = b.groupBy ? clauseRange(toks, sql, b, 'group') : null;
    const aggs = facts.aggregates.filter((a) => a.block === b.id).map((a) => a.span);
    if (group) return own(group, 'group', aggs);
    if (aggs.length) return own(aggs[0], 'aggregate', aggs.slice(1));
    return null;
  }
  if (base === 'WindowAgg') {
    const b = blockOf(n.id);
    const w = facts.windows.filter((x) => !b || x.block === b.id);
    return w.length ? own(w[0].span, 'window', w.slice(1).map((x) => x.span)) : null;
  }
  if (base === 'Unique') {
    const b = blockOf(n.id);
    if (b && b.distinct !== 'none') return own(b.head, 'statement');
    return null;
  }
  if ((base === 'Append' || base === 'SetOp' || base === 'Merge Append') && facts.setOperations.length) {
    const b = blockOf(n.id);
    const ops = facts.setOperations.filter((s) => !b || s.block === b.id || facts.blocks[s.block]?.parent === b.id);
    const op = ops[0] ?? facts.setOperations[0];
    return own(op.span, 'set-operation', ops.slice(1).map((s) => s.span));
  }
  if (n.subplanName && /^CTE\s/i.test(n.subplanName)) {
    const name = n.subplanName.replace(/^CTE\s+/i, '');
    const cte = facts.ctes.find((c) => norm(c.name) === norm(name));
    if (cte) return own(cte.span, 'subquery', [facts.blocks[cte.block]?.span ?? cte.span]);
  }
  if (n.subplanName) {
    // InitPlan / SubPlan: the subquery whose relations it scans
    const b = blockOf(n.id);
    const sub = b ? facts.subqueries.find((s) => s.block === b.id) : undefined;
    if (sub) return own(sub.span, 'subquery');
  }
  return null;
}

function joinSource(
  facts: Facts,
  toks: LexToken[],
  model: PlanModel,
  n: PlanNode,
  subtreeRels: (id: number) => Relation[],
  own: (primary: Span, reason: SourceReason, extra?: Span[]) => NodeSource,
): NodeSource | null {
  const [outerId, innerId] = n.childIds.filter((c) => model.nodes[c].parentRelationship === 'Outer' || model.nodes[c].parentRelationship === 'Inner');
  if (outerId === undefined || innerId === undefined) return null;
  const outer = new Set(subtreeRels(outerId).map((r) => norm(r.refName)));
  const inner = new Set(subtreeRels(innerId).map((r) => norm(r.refName)));
  const hit = (names: string[], set: Set<string>) => names.some((x) => set.has(norm(x)));
  const sides = (a: string[], b: string[]) => (hit(a, outer) && hit(b, inner)) || (hit(a, inner) && hit(b, outer));
  const joins = facts.joins.filter((j) => sides(j.left, j.right));
  // the explicit JOIN whose two sides are the two inputs; the last such (closest to the inputs) wins
  const explicit = joins.filter((j) => j.condition || j.using || j.natural || j.type === 'cross');
  if (explicit.length) {
    const j = explicit[explicit.length - 1];
    const end = j.condition?.end ?? j.span.end;
    return own({ start: joinKeywordStart(toks, j.span.start), end }, 'join');
  }
  // implicit join (comma in FROM): the WHERE predicates relating the two sides
  const preds = facts.predicates.filter((p) => {
    if (p.clause !== 'where') return false;
    const q = [...p.left.columns, ...(p.right?.columns ?? [])].map((c) => norm(c.qualifier));
    return q.some((x) => outer.has(x)) && q.some((x) => inner.has(x));
  });
  if (preds.length) return own(preds[0].span, 'join', preds.slice(1).map((p) => p.span));
  if (joins.length) return own(joins[joins.length - 1].span, 'join');
  // a semi/anti join from EXISTS / IN: the subquery the inner side reads
  const innerBlocks = new Set(subtreeRels(innerId).map((r) => r.block));
  const sub = facts.subqueries.find((s) => innerBlocks.has(s.block));
  return sub ? own(sub.span, 'subquery') : null;
}

const JOIN_WORDS = new Set(['join', 'inner', 'left', 'right', 'full', 'outer', 'cross', 'natural', 'lateral']);

/** Moves a FROM item's start back over `LEFT OUTER JOIN` and friends. */
function joinKeywordStart(toks: LexToken[], start: number): number {
  let i = toks.findIndex((t) => t.start >= start) - 1;
  if (i < -1) i = toks.length - 1;
  let s = start;
  while (i >= 0 && toks[i].kind === 'word' && JOIN_WORDS.has(toks[i].word)) {
    s = toks[i].start;
    i--;
  }
  return s;
}

const CLAUSE_ENDS = new Set(['having', 'order', 'limit', 'offset', 'window', 'union', 'intersect', 'except', 'fetch', 'for', 'returning']);

/** `GROUP BY a, b` of a block: from GROUP to the next clause keyword at the block's nesting level. */
function clauseRange(toks: LexToken[], _sql: string, b: QueryBlock, keyword: 'group'): Span | null {
  let depth = 0;
  let start = -1;
  let end = -1;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.start < b.span.start) continue;
    if (t.start >= b.span.end) break;
    if (t.word === '(') depth++;
    else if (t.word === ')') {
      depth--;
      if (depth < 0) break;
    }
    if (depth !== 0) {
      if (start >= 0) end = t.end;
      continue;
    }
    if (start < 0) {
      if (t.kind === 'word' && t.word === keyword && toks[i + 1]?.word === 'by') start = t.start;
      continue;
    }
    if (t.kind === 'word' && CLAUSE_ENDS.has(t.word)) break;
    end = t.end;
  }
  return start >= 0 && end > start ? { start, end } : null;
}

// ---- fallback without a parse (psql variables, another dialect) ----

/** Relation scans only, by finding the alias or the table name as a word in the text. */
function mapByTokens(model: PlanModel, sql: string): SourceMap {
  const toks = lex(sql);
  const out: SourceMap = model.nodes.map(() => null);
  for (const n of model.nodes) {
    const names = [n.alias, n.relation].filter((x): x is string => !!x).map(norm);
    if (!names.length) continue;
    const t = toks.find((x) => (x.kind === 'word' || x.kind === 'quoted') && names.includes(norm(x.kind === 'quoted' ? sql.slice(x.start + 1, x.end - 1) : x.word)));
    if (t) out[n.id] = { primary: { start: t.start, end: t.end }, extra: [], reason: 'relation', inherited: false };
  }
  return out;
}
