/**
 * SELECT facts: one query block per SelectStmt (set-operation nodes and their branches,
 * VALUES, subqueries, CTE bodies), with its FROM items, joins, select list, WHERE, GROUP BY,
 * ORDER BY, LIMIT / OFFSET and locking clause.
 */
import { combine, extent, nodeSpan, nodeTokens, type Extent, type Tokens } from './tokens';
import { constValue, funcName, operand } from './operands';
import { walkExpr, type Env } from './predicates';
import { walkDml } from './dml';
import {
  asArray,
  asNode,
  columnRefParts,
  loc,
  str,
  strings,
  unwrap,
  type BlockInit,
  type Collector,
  type Node,
  type Scope,
} from './walker';
import type { Clause, FromItem, JoinType, LimitClause, Locking, QueryBlock, Relation, Span } from './types';

/** Walks one SelectStmt body; returns its block id, or -1 when the depth guard stopped it. */
export function walkSelect(c: Collector, body: Node, parent: Scope | null, init: BlockInit, parentBlock: number | null): number {
  if (!c.enter()) return -1;
  try {
    const [span, head] = blockSpans(c, body, init.role === 'statement' && parentBlock === null);
    const block = c.newBlock(parentBlock, init, span, head);
    const scope = c.newScope(block.id, parent);
    const withClause = asNode(body.withClause);
    if (withClause) walkWith(c, withClause, scope, block);

    if (body.op && body.op !== 'SETOP_NONE') setOperation(c, body, scope, block);
    else if (body.valuesLists) {
      block.values = true;
      const rows = asArray(body.valuesLists);
      block.valuesRows = rows.length;
      block.targetCount = asArray(unwrap(rows[0])?.[1].items).length;
      walkExpr(c, rows, env(scope, 'values'));
    } else {
      fromClause(c, asArray(body.fromClause), scope, block);
      targets(c, asArray(body.targetList), scope, block, 'select');
      where(c, body.whereClause, scope, block);
      components(block);
      const distinct = asArray(body.distinctClause);
      if (distinct.length) block.distinct = distinct.some((d) => unwrap(d)?.[0]) ? 'on' : 'distinct';
      walkExpr(c, distinct, env(scope, 'select'));
      const group = asArray(body.groupClause);
      block.groupBy = group.length > 0;
      walkExpr(c, group, env(scope, 'group'));
      if (body.havingClause) {
        block.having = true;
        walkExpr(c, body.havingClause, { ...env(scope, 'having'), boolPos: true });
      }
      for (const w of asArray(body.windowClause)) {
        const def = unwrap(w)?.[1];
        if (!def) continue;
        walkExpr(c, def.partitionClause, env(scope, 'other'));
        for (const s of asArray(def.orderClause)) walkExpr(c, unwrap(s)?.[1].node, env(scope, 'other'));
      }
    }
    sortClause(c, asArray(body.sortClause), scope, block);
    limits(c, body, block, scope);
    block.locking = locking(asArray(body.lockingClause));
    return block.id;
  } finally {
    c.leave();
  }
}

export function env(scope: Scope, clause: Clause): Env {
  return { scope, clause, underOr: false, boolPos: false };
}

/** The block's span and its first keyword (SELECT / VALUES / WITH ...). */
function blockSpans(c: Collector, body: Node, whole: boolean): [Span, Span] {
  const r = blockTokens(c, body, whole);
  if (!r) return [whole ? c.facts.span : { start: 0, end: 0 }, c.facts.head];
  return [whole ? c.facts.span : c.tokens.span(r.s, r.e), c.tokens.span(r.h, r.h)];
}

/**
 * Token range of a SelectStmt body, from its WITH or SELECT keyword to its end, and the
 * index of its first keyword. The AST has no location for the keywords themselves.
 * `headOnly`: the range is not needed (the statement's own block spans the whole text).
 */
function blockTokens(c: Collector, body: Node, headOnly = false): { s: number; e: number; h: number } | null {
  const key = headOnly ? undefined : BLOCK_TOKENS.get(body);
  if (key !== undefined) return key;
  const r = computeBlockTokens(c, body, headOnly);
  if (!headOnly) BLOCK_TOKENS.set(body, r);
  return r;
}

/** A FROM subquery's range is needed twice (its relation, its block): compute it once. */
const BLOCK_TOKENS = new WeakMap<Node, { s: number; e: number; h: number } | null>();

function computeBlockTokens(c: Collector, body: Node, headOnly: boolean): { s: number; e: number; h: number } | null {
  const t = c.tokens;
  // a set operation's first keyword is its leftmost branch's
  let left: Node = body;
  while (left.op && left.op !== 'SETOP_NONE' && asNode(left.larg)) left = asNode(left.larg)!;
  // the keyword comes right before the DISTINCT list / first target / first VALUES row
  let core: Extent | null = null;
  for (const first of [left.distinctClause, asArray(left.targetList)[0], asArray(left.valuesLists)[0]]) core = combine(core, extent(first));
  if (!core) for (const k in left) if (k !== 'withClause') core = combine(core, extent(left[k]));
  if (!core) return null;
  let h = t.at(core.min);
  if (h < 0) return null;
  // the first target may be parenthesized, or the DISTINCT ON list
  h = t.balance(h, t.at(core.max))[0];
  while (h > 0 && ['on', 'distinct', 'all'].includes(t.word(h - 1))) h--;
  if (left.valuesLists) while (h > 0 && t.word(h - 1) === '(') h--;
  if (['select', 'values', 'table'].includes(t.word(h - 1))) h--;
  if (headOnly) return { s: h, e: h, h };
  const all = nodeTokens(t, body);
  if (!all) return null;
  let [s, e] = all;
  if (body.withClause) while (t.word(s - 1) === 'with' || t.word(s - 1) === 'recursive') s--;
  if (h < s) s = h;
  [s, e] = t.balance(s, e);
  return { s, e, h };
}

/** WITH: CTE bodies become blocks; their names become visible to the rest of the statement. */
export function walkWith(c: Collector, w: Node, scope: Scope, block: QueryBlock): void {
  const recursive = !!w.recursive;
  for (const item of asArray(w.ctes)) {
    const cte = unwrap(item)?.[1];
    if (!cte) continue;
    const name = String(cte.ctename ?? '');
    const index = c.facts.ctes.length;
    const nameTok = c.tokens.at(loc(cte));
    c.facts.ctes.push({
      name,
      span: nameTok >= 0 ? c.tokens.span(nameTok, nameTok) : block.head,
      block: -1,
      definedIn: block.id,
      recursive: false,
      materialized: cte.ctematerialized === 'CTEMaterializeAlways' ? 'always' : cte.ctematerialized === 'CTEMaterializeNever' ? 'never' : 'default',
      references: 0,
      body: 'select',
    });
    // under WITH RECURSIVE a CTE sees itself; any CTE sees the ones before it
    if (recursive) scope.ctes.set(name, index);
    const q = unwrap(cte.ctequery);
    const fact = c.facts.ctes[index];
    if (q) {
      const init: BlockInit = { role: 'cte', cte: name, depth: block.depth };
      const id = q[0] === 'SelectStmt' ? walkSelect(c, q[1], scope, init, block.id) : walkDml(c, q[0], q[1], scope, init, block.id);
      fact.block = id;
      const kind = c.facts.blocks[id]?.statement;
      if (kind && kind !== 'select') fact.body = kind;
    }
    // recursive means "refers to itself", not merely "listed under WITH RECURSIVE";
    // self-references are not uses
    fact.recursive = recursive && fact.references > 0;
    fact.references = 0;
    scope.ctes.set(name, index);
  }
}

function setOperation(c: Collector, body: Node, scope: Scope, block: QueryBlock): void {
  const op = body.op === 'SETOP_UNION' ? 'union' : body.op === 'SETOP_INTERSECT' ? 'intersect' : 'except';
  const all = !!body.all;
  const branch: BlockInit = { role: 'set-branch', depth: block.depth };
  const larg = asNode(body.larg);
  const rarg = asNode(body.rarg);
  const left = larg ? walkSelect(c, larg, scope, branch, block.id) : -1;
  const right = rarg ? walkSelect(c, rarg, scope, branch, block.id) : -1;
  block.setOp = { op, all, left, right };
  // the keyword sits between the branches: the first UNION/INTERSECT/EXCEPT after the left one
  const t = c.tokens;
  const l = larg ? nodeTokens(t, larg) : null;
  let span = block.head;
  if (l) {
    let i = l[1] + 1;
    while (t.word(i) === ')') i++;
    if (['union', 'intersect', 'except'].includes(t.word(i))) {
      const j = t.word(i + 1) === 'all' || t.word(i + 1) === 'distinct' ? i + 1 : i;
      span = t.span(i, j);
    }
  }
  c.facts.setOperations.push({ block: block.id, op, all, span });
}

/** Select list (or RETURNING list): stars, and expressions walked for their facts. */
export function targets(c: Collector, list: unknown[], scope: Scope, block: QueryBlock, clause: 'select' | 'returning'): void {
  block.targetCount = list.length;
  let constant = list.length > 0;
  for (const item of list) {
    const rt = unwrap(item)?.[1];
    if (!rt) continue;
    const val = unwrap(rt.val);
    if (val && val[0] === 'ColumnRef') {
      const parts = columnRefParts(val[1]);
      if (parts.star) {
        const star = { block: block.id, clause, span: nodeSpan(c.tokens, rt.val) } as { block: number; clause: 'select' | 'returning'; span: Span; qualifier?: string };
        if (parts.qualifier !== undefined) star.qualifier = parts.qualifier;
        c.facts.stars.push(star);
        constant = false;
        continue;
      }
    }
    const o = operand(c, rt.val, scope);
    if (!(o.kind === 'constant' || o.kind === 'null' || o.kind === 'param')) constant = false;
    walkExpr(c, rt.val, env(scope, clause));
  }
  if (clause === 'select') block.constantTargets = constant;
}

/** WHERE, one top-level conjunct at a time so that we learn which FROM items each one relates. */
export function where(c: Collector, node: unknown, scope: Scope, block: QueryBlock): void {
  if (!node) return;
  block.where = nodeSpan(c.tokens, node);
  const u = unwrap(node);
  const conjuncts = u && u[0] === 'BoolExpr' && u[1].boolop === 'AND_EXPR' ? asArray(u[1].args) : [node];
  for (const conj of conjuncts) linkedWalk(c, conj, scope, block, 'where');
}

/** Walks a condition and relates the FROM items it mentions (WHERE conjuncts, MERGE's ON). */
export function linkedWalk(c: Collector, node: unknown, scope: Scope, block: QueryBlock, clause: Clause): void {
  const refs = c.collectUnit(block.id, () => walkExpr(c, node, { ...env(scope, clause), boolPos: true }));
  link(block, refs);
}

// ---- FROM ---------------------------------------------------------------------------

interface Pending {
  run: () => void;
}

/**
 * FROM items in two passes: first every name (so LATERAL items and JOIN conditions can
 * resolve references to any of them), then the contents (subqueries, functions, ON).
 */
export function fromClause(c: Collector, items: unknown[], scope: Scope, block: QueryBlock, first?: Relation): void {
  const pending: Pending[] = [];
  if (first) {
    // UPDATE / DELETE / MERGE target: FROM item 0
    const rel = addRelation(c, block, first);
    block.from.push({ relations: [rel], names: first.refName ? [first.refName] : [], span: first.span, component: 0 });
    if (first.refName) scope.names.set(first.refName, 0);
  }
  for (const item of items) {
    const index = block.from.length;
    const fi: FromItem = { relations: [], names: [], span: { start: 0, end: 0 }, component: index };
    block.from.push(fi);
    fromItem(c, item, scope, block, fi, index, pending);
    fi.span = fi.relations.length === 1 ? c.facts.relations[fi.relations[0]].span : nodeSpan(c.tokens, item);
    for (const n of fi.names) scope.names.set(n, index);
    if (index > 0) {
      const prev = block.from.slice(0, index).flatMap((f) => f.names);
      c.facts.joins.push({ block: block.id, type: 'comma', natural: false, left: prev, right: [...fi.names], span: fi.span });
    }
  }
  for (const p of pending) p.run();
}

function addRelation(c: Collector, block: QueryBlock, r: Relation): number {
  r.block = block.id;
  c.facts.relations.push(r);
  return c.facts.relations.length - 1;
}

/** Adds one FROM item's relations and names to `fi`; returns the names it makes visible. */
function fromItem(c: Collector, node: unknown, scope: Scope, block: QueryBlock, fi: FromItem, index: number, pending: Pending[]): string[] {
  const u = unwrap(node);
  if (!u) return [];
  if (!c.enter()) return [];
  try {
    const [type, body] = u;
    switch (type) {
      case 'RangeVar':
        return rangeVar(c, body, scope, block, fi, index, false);
      case 'RangeTableSample': {
        const names = rangeVar(c, unwrap(body.relation)?.[1] ?? {}, scope, block, fi, index, true);
        pending.push({ run: () => walkExpr(c, body.args, env(scope, 'from')) });
        return names;
      }
      case 'RangeSubselect': {
        const alias = aliasName(body.alias);
        const lateral = !!body.lateral;
        const rel: Relation = relation(block, 'subquery', index, subselectSpan(c, body), { alias, lateral });
        const ri = addRelation(c, block, rel);
        fi.relations.push(ri);
        if (alias) fi.names.push(alias);
        pending.push({
          run: () => {
            const sub = unwrap(body.subquery);
            if (!sub) return;
            const depth = block.depth + 1;
            const refs = c.collectUnit(block.id, () => {
              rel.subquery = walkSelect(c, sub[1], scope, { role: 'from', lateral, depth }, block.id);
            });
            // an explicit LATERAL says it depends on the items before it, even when its
            // references are unqualified and we cannot see them
            lateralLinks(block, index, lateral ? [...refs, ...block.from.slice(0, index).flatMap((f) => f.names)] : refs);
            const b = rel.subquery !== undefined ? c.facts.blocks[rel.subquery] : undefined;
            if (!b) return;
            if (b.values) rel.kind = 'values';
            rel.singleRow = singleRow(b);
            c.facts.subqueries.push({
              block: b.id,
              parent: block.id,
              context: 'from',
              negated: false,
              lateral,
              depth,
              correlated: b.correlated,
              span: rel.span,
            });
          },
        });
        return alias ? [alias] : [];
      }
      case 'RangeFunction': {
        const fns = asArray(body.functions).map((l) => asArray(unwrap(l)?.[1].items)[0]);
        const first = unwrap(fns[0]);
        const name = first && first[0] === 'FuncCall' ? funcName(first[1]) : undefined;
        const alias = aliasName(body.alias);
        const rel = relation(block, 'function', index, relSpan(c, node, body.alias), { name, alias, lateral: !!body.lateral });
        rel.singleRow = false;
        fi.relations.push(addRelation(c, block, rel));
        const refName = alias ?? name;
        if (refName) fi.names.push(refName);
        pending.push({
          run: () => lateralLinks(block, index, c.collectUnit(block.id, () => walkExpr(c, fns, env(scope, 'from')))),
        });
        return refName ? [refName] : [];
      }
      case 'JoinExpr': {
        const before = fi.names.length;
        const left = fromItem(c, body.larg, scope, block, fi, index, pending);
        const right = fromItem(c, body.rarg, scope, block, fi, index, pending);
        const using = strings(body.usingClause);
        const natural = !!body.isNatural;
        let type: JoinType = body.jointype === 'JOIN_LEFT' ? 'left' : body.jointype === 'JOIN_RIGHT' ? 'right' : body.jointype === 'JOIN_FULL' ? 'full' : 'inner';
        if (type === 'inner' && !body.quals && !natural && using.length === 0) type = 'cross';
        const join = { block: block.id, type, natural, left, right, span: nodeSpan(c.tokens, body.rarg) } as (typeof c.facts.joins)[number];
        if (using.length) join.using = using;
        if (body.quals) join.condition = nodeSpan(c.tokens, body.quals);
        c.facts.joins.push(join);
        if (body.quals) pending.push({ run: () => walkExpr(c, body.quals, { ...env(scope, 'join'), boolPos: true }) });
        const alias = aliasName(body.alias);
        if (alias) fi.names.push(alias);
        return fi.names.slice(before);
      }
      default: {
        // XMLTABLE, JSON_TABLE and the like: a function-like source
        const rel = relation(block, 'function', index, nodeSpan(c.tokens, node), { alias: aliasName(body.alias), lateral: false });
        fi.relations.push(addRelation(c, block, rel));
        if (rel.alias) fi.names.push(rel.alias);
        pending.push({ run: () => walkExpr(c, body, env(scope, 'from')) });
        return rel.alias ? [rel.alias] : [];
      }
    }
  } finally {
    c.leave();
  }
}

function rangeVar(c: Collector, body: Node, scope: Scope, block: QueryBlock, fi: FromItem, index: number, tablesample: boolean): string[] {
  const r = rangeVarRelation(c, body, block, index);
  r.tablesample = tablesample;
  if (!r.schema && r.name !== undefined) {
    const cte = c.findCte(scope, r.name);
    if (cte !== undefined) {
      r.kind = 'cte';
      c.facts.ctes[cte].references++;
      const b = c.facts.blocks[c.facts.ctes[cte].block];
      r.singleRow = !!b && singleRow(b);
    }
  }
  fi.relations.push(addRelation(c, block, r));
  if (r.refName) fi.names.push(r.refName);
  return r.refName ? [r.refName] : [];
}

/** A Relation for a RangeVar (a FROM item, or the target of UPDATE / DELETE / MERGE). */
export function rangeVarRelation(c: Collector, body: Node, block: QueryBlock, index: number): Relation {
  const name = String(body.relname ?? '');
  const alias = aliasName(body.alias);
  const r = relation(block, 'table', index, rangeVarSpan(c.tokens, body), { name, alias, lateral: false });
  if (typeof body.schemaname === 'string') r.schema = body.schemaname;
  r.only = body.inh === false || body.inh === undefined;
  return r;
}

function relation(block: QueryBlock, kind: Relation['kind'], fromItem: number, span: Span, o: { name?: string; alias?: string; lateral: boolean }): Relation {
  const r: Relation = { block: block.id, kind, span, fromItem, lateral: o.lateral, tablesample: false, only: false, singleRow: false };
  if (o.name !== undefined) r.name = o.name;
  if (o.alias !== undefined) r.alias = o.alias;
  const refName = o.alias ?? o.name;
  if (refName !== undefined) r.refName = refName;
  return r;
}

function aliasName(a: unknown): string | undefined {
  const n = asNode(a);
  return n && typeof n.aliasname === 'string' ? n.aliasname : undefined;
}

/** `schema.table [AS] alias [(cols)]`: the location is the first name part. */
export function rangeVarSpan(t: Tokens, body: Node): Span {
  const i = t.at(loc(body));
  if (i < 0) return { start: 0, end: 0 };
  const parts = (body.catalogname ? 1 : 0) + (body.schemaname ? 1 : 0) + 1;
  const e = withAlias(t, i + 2 * (parts - 1), body.alias);
  return t.span(i, e);
}

/** Extends a span over a following `[AS] alias [(columns)]`. */
function withAlias(t: Tokens, e: number, alias: unknown): number {
  const a = asNode(alias);
  if (!a || typeof a.aliasname !== 'string') return e;
  let k = e + 1;
  if (t.word(k) === 'as') k++;
  const w = t.word(k);
  if (w !== a.aliasname.toLowerCase() && w !== `"${a.aliasname.replace(/"/g, '""')}"`) return e;
  if (a.colnames && t.word(k + 1) === '(') k = t.match(k + 1);
  return k;
}

/** `[LATERAL] (SELECT ...) [AS] alias [(cols)]`: the subquery's own locations sit inside the parentheses. */
function subselectSpan(c: Collector, body: Node): Span {
  const t = c.tokens;
  const sub = unwrap(body.subquery);
  const r = sub ? blockTokens(c, sub[1]) : null;
  if (!r) return { start: 0, end: 0 };
  const open = t.enclosingOpen(r.s);
  if (open < 0) return t.span(r.s, r.e);
  let s = open;
  if (t.word(s - 1) === 'lateral') s--;
  return t.span(s, withAlias(t, t.match(open), body.alias));
}

function relSpan(c: Collector, node: unknown, alias: unknown): Span {
  const r = nodeTokens(c.tokens, node);
  if (!r) return { start: 0, end: 0 };
  return c.tokens.span(r[0], withAlias(c.tokens, r[1], alias));
}

function singleRow(b: QueryBlock): boolean {
  if (b.setOp) return false;
  if (b.values) return b.valuesRows === 1;
  if (b.from.length === 0) return true;
  return b.aggregates && !b.groupBy;
}

// ---- connectivity (cross joins) --------------------------------------------------------

/** One WHERE conjunct's references: relate the FROM items it mentions. */
function link(block: QueryBlock, refs: Array<string | null>): void {
  if (refs.length < 2) return;
  const items = new Set<number>();
  let unknown = false;
  for (const q of refs) {
    if (q === null) unknown = true;
    else {
      const i = itemOf(block, q);
      if (i >= 0) items.add(i);
    }
  }
  // `WHERE a.x = y`: y may be b's column; without a schema we cannot know
  if (unknown && block.from.length > 1) block.linkUnknown = true;
  union(block, [...items]);
}

function lateralLinks(block: QueryBlock, index: number, refs: Array<string | null>): void {
  const items = new Set<number>([index]);
  for (const q of refs) {
    if (q === null) continue;
    const i = itemOf(block, q);
    if (i >= 0) items.add(i);
  }
  union(block, [...items]);
}

function itemOf(block: QueryBlock, name: string): number {
  return block.from.findIndex((f) => f.names.includes(name));
}

function find(block: QueryBlock, i: number): number {
  let r = i;
  while (block.from[r].component !== r) r = block.from[r].component;
  return r;
}

function union(block: QueryBlock, items: number[]): void {
  if (items.length < 2) return;
  let root = find(block, items[0]);
  for (const i of items.slice(1)) {
    const r = find(block, i);
    if (r === root) continue;
    // the smaller index is the component's id
    if (r < root) {
      block.from[root].component = r;
      root = r;
    } else block.from[r].component = root;
  }
}

/** Flattens union-find parents to component ids (the first item of each component). */
export function components(block: QueryBlock): void {
  for (let i = 0; i < block.from.length; i++) block.from[i].component = find(block, i);
}

// ---- ORDER BY, LIMIT, locking -----------------------------------------------------------

function sortClause(c: Collector, list: unknown[], scope: Scope, block: QueryBlock): void {
  const t = c.tokens;
  for (const item of list) {
    const sb = unwrap(item)?.[1];
    if (!sb) continue;
    const expr = operand(c, sb.node, scope);
    const key = {
      block: block.id,
      span: expr.span,
      expr,
      direction: sb.sortby_dir === 'SORTBY_ASC' ? 'asc' : sb.sortby_dir === 'SORTBY_DESC' ? 'desc' : sb.sortby_dir === 'SORTBY_USING' ? 'using' : 'default',
      nulls: sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? 'first' : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? 'last' : 'default',
      random: isRandom(sb.node),
    } as (typeof c.facts.sorts)[number];
    const n = unwrap(sb.node);
    if (n && n[0] === 'A_Const' && n[1].ival) key.position = Number(constValue(n[1]));
    c.facts.sorts.push(key);
    walkExpr(c, sb.node, env(scope, 'order'));
  }
  if (list.length) {
    const first = nodeTokens(t, unwrap(list[0])?.[1].node);
    if (first) {
      let i = first[0];
      if (t.word(i - 1) === 'by' && t.word(i - 2) === 'order') block.orderBy = t.span(i - 2, i - 1);
      else block.orderBy = t.span(i, i);
    }
  }
}

function isRandom(node: unknown): boolean {
  const u = unwrap(node);
  if (!u || u[0] !== 'FuncCall') return false;
  const names = strings(u[1].funcname);
  return names[names.length - 1] === 'random' && asArray(u[1].args).length === 0 && (names.length === 1 || names[0] === 'pg_catalog');
}

function limits(c: Collector, body: Node, block: QueryBlock, scope: Scope): void {
  const count = limitClause(c, body.limitCount, block, 'count');
  if (count) block.limit = count;
  const offset = limitClause(c, body.limitOffset, block, 'offset');
  if (offset) block.offset = offset;
  walkExpr(c, [body.limitCount, body.limitOffset].filter(Boolean), env(scope, 'other'));
}

function limitClause(c: Collector, node: unknown, block: QueryBlock, which: 'count' | 'offset'): LimitClause | undefined {
  const u = unwrap(node);
  if (!u) return undefined;
  let [type, body] = u;
  // LIMIT ALL and LIMIT NULL mean no limit
  if (type === 'A_Const' && body.isnull) return undefined;
  while (type === 'TypeCast') {
    const inner = unwrap(body.arg);
    if (!inner) break;
    [type, body] = inner;
  }
  const t = c.tokens;
  const r = nodeTokens(t, node);
  let out: LimitClause;
  const kind = type === 'A_Const' ? 'constant' : type === 'ParamRef' ? 'param' : 'expression';
  if (!r) {
    // FETCH FIRST ROW ONLY: an implicit 1 without a location
    const fetch = lastWord(c, block, 'fetch');
    const span = fetch >= 0 ? t.span(fetch, endOfFetch(t, fetch)) : block.head;
    out = { kind, span, clause: span };
  } else {
    let [s, e] = r;
    while (t.word(s - 1) === '(' && t.word(e + 1) === ')') (s--, e++);
    let k = s;
    const w = t.word(k - 1);
    if (w === 'limit' || w === 'offset') k--;
    else if ((w === 'first' || w === 'next') && t.word(k - 2) === 'fetch') k -= 2;
    let end = e;
    if (which === 'offset' && (t.word(end + 1) === 'row' || t.word(end + 1) === 'rows')) end++;
    if (t.word(k) === 'fetch') end = endOfFetch(t, end);
    out = { kind, span: t.span(s, e), clause: t.span(k, end) };
  }
  if (kind === 'constant') {
    const v = Number(constValue(body));
    if (Number.isFinite(v)) out.value = v;
  }
  return out;
}

function endOfFetch(t: Tokens, i: number): number {
  let e = i;
  while (['first', 'next', 'row', 'rows', 'only', 'with', 'ties'].includes(t.word(e + 1)) || t.list[e + 1]?.kind === 'number') e++;
  return e;
}

function lastWord(c: Collector, block: QueryBlock, word: string): number {
  const t = c.tokens;
  for (let i = t.length - 1; i >= 0; i--) {
    const at = t.list[i].start;
    if (at < block.span.start) break;
    if (at < block.span.end && t.word(i) === word) return i;
  }
  return -1;
}

function locking(list: unknown[]): Locking[] {
  const out: Locking[] = [];
  for (const item of list) {
    const l = unwrap(item)?.[1];
    if (!l) continue;
    const strength = l.strength === 'LCS_FORNOKEYUPDATE' ? 'no key update' : l.strength === 'LCS_FORSHARE' ? 'share' : l.strength === 'LCS_FORKEYSHARE' ? 'key share' : 'update';
    const wait = l.waitPolicy === 'LockWaitSkip' ? 'skip locked' : l.waitPolicy === 'LockWaitError' ? 'nowait' : 'block';
    out.push({ strength, wait });
  }
  return out;
}

