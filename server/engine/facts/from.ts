/**
 * FROM items: relations with their aliases and ranges, explicit and comma joins, and which
 * comma-separated items WHERE (or LATERAL) connects, for cross-join detection.
 */
import { nodeSpan, nodeTokens, type Tokens } from './tokens';
import { funcName } from './operands';
import { walkExpr } from './predicates';
import { blockTokens, boolEnv, env, walkSelect } from './select';
import { asArray, asNode, blockInit, loc, strings, unwrap, type Collector, type Node, type Scope } from './walker';
import type { FromItem, Join, JoinType, QueryBlock, Relation, Span } from './types';

/** Work deferred until every FROM item's names are known (plain closures: no per-call naming). */
type Pending = () => void;

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
  for (const p of pending) p();
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
        pending.push(() => walkExpr(c, body.args, env(scope, 'from')));
        return names;
      }
      case 'RangeSubselect': {
        const alias = aliasName(body.alias);
        const lateral = !!body.lateral;
        const rel: Relation = relation(block, 'subquery', index, subselectSpan(c, body), { alias, lateral });
        const ri = addRelation(c, block, rel);
        fi.relations.push(ri);
        if (alias) fi.names.push(alias);
        pending.push(() => {
            const sub = unwrap(body.subquery);
            if (!sub) return;
            const depth = block.depth + 1;
            const refs = c.collectUnit(block.id, () => {
              rel.subquery = walkSelect(c, sub[1], scope, blockInit('from', depth, undefined, undefined, lateral), block.id);
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
        pending.push(() => lateralLinks(block, index, c.collectUnit(block.id, () => walkExpr(c, fns, env(scope, 'from')))));
        return refName ? [refName] : [];
      }
      case 'JoinExpr': {
        const before = fi.names.length;
        const left = fromItem(c, body.larg, scope, block, fi, index, pending);
        const firstRight = fi.relations.length;
        const right = fromItem(c, body.rarg, scope, block, fi, index, pending);
        const rightSpans = fi.relations.slice(firstRight).map((r) => c.facts.relations[r].span);
        const using = strings(body.usingClause);
        const natural = !!body.isNatural;
        let type: JoinType = body.jointype === 'JOIN_LEFT' ? 'left' : body.jointype === 'JOIN_RIGHT' ? 'right' : body.jointype === 'JOIN_FULL' ? 'full' : 'inner';
        if (type === 'inner' && !body.quals && !natural && using.length === 0) type = 'cross';
        const span = rightSpans.length
          ? { start: Math.min(...rightSpans.map((x) => x.start)), end: Math.max(...rightSpans.map((x) => x.end)) }
          : nodeSpan(c.tokens, body.rarg);
        const join: Join = { block: block.id, type, natural, left, right, span };
        if (using.length) join.using = using;
        if (body.quals) join.condition = nodeSpan(c.tokens, body.quals);
        c.facts.joins.push(join);
        if (body.quals) pending.push(() => walkExpr(c, body.quals, boolEnv(scope, 'join')));
        const alias = aliasName(body.alias);
        if (alias) fi.names.push(alias);
        return fi.names.slice(before);
      }
      default: {
        // XMLTABLE, JSON_TABLE and the like: a function-like source
        const rel = relation(block, 'function', index, nodeSpan(c.tokens, node), { alias: aliasName(body.alias), lateral: false });
        fi.relations.push(addRelation(c, block, rel));
        if (rel.alias) fi.names.push(rel.alias);
        pending.push(() => walkExpr(c, body, env(scope, 'from')));
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
export function link(block: QueryBlock, refs: Array<string | null>): void {
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
