/**
 * SELECT facts: one query block per SelectStmt (set-operation nodes and their branches,
 * VALUES, subqueries, CTE bodies): WITH, set operations, select list, WHERE, GROUP BY,
 * HAVING; FROM is in from.ts, ORDER BY / LIMIT / locking in clauses.ts.
 */
import { combine, extent, nodeSpan, nodeTokens, type Extent } from './tokens';
import { makeEnv, walkExpr, type Env } from './predicates';
import { walkDml } from './dml';
import { components, fromClause, link } from './from';
import { limits, locking, sortClause } from './clauses';
import { asArray, asNode, blockInit, loc, qualifierOf, unwrap, type BlockInit, type Collector, type Node, type Scope } from './walker';
import type { Clause, QueryBlock, Span, Star } from './types';

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
      if (distinct.length) walkExpr(c, distinct, env(scope, 'select'));
      const group = asArray(body.groupClause);
      block.groupBy = group.length > 0;
      if (group.length) walkExpr(c, group, env(scope, 'group'));
      if (body.havingClause) {
        block.having = true;
        walkExpr(c, body.havingClause, boolEnv(scope, 'having'));
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
  return makeEnv(scope, clause, false, false);
}

/** An Env for a clause root: a boolean position (WHERE, HAVING, ON, ...). */
export function boolEnv(scope: Scope, clause: Clause): Env {
  return makeEnv(scope, clause, false, true);
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
export function blockTokens(c: Collector, body: Node, headOnly = false): { s: number; e: number; h: number } | null {
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
  let core: Extent | null = extent(left.distinctClause);
  core = combine(core, extent(asArray(left.targetList)[0]));
  core = combine(core, extent(asArray(left.valuesLists)[0]));
  if (!core) for (const k in left) if (k !== 'withClause') core = combine(core, extent(left[k]));
  if (!core) return null;
  let h = t.at(core.min);
  if (h < 0) return null;
  // the first target may be parenthesized, or the DISTINCT ON list
  h = t.balanceStart(h, t.at(core.max));
  for (;;) {
    const w = h > 0 ? t.word(h - 1) : '';
    if (w !== 'on' && w !== 'distinct' && w !== 'all') break;
    h--;
  }
  if (left.valuesLists) while (h > 0 && t.word(h - 1) === '(') h--;
  const kw = t.word(h - 1);
  if (kw === 'select' || kw === 'values' || kw === 'table') h--;
  if (headOnly) return { s: h, e: h, h };
  const all = nodeTokens(t, body);
  if (!all) return null;
  const balanced = t.balanced;
  let [s, e] = all;
  const s0 = s;
  if (body.withClause) while (t.word(s - 1) === 'with' || t.word(s - 1) === 'recursive') s--;
  if (h < s) s = h;
  if (s !== s0 || !balanced) [s, e] = t.balance(s, e);
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
      cycle: !!cte.cycle_clause,
    });
    // under WITH RECURSIVE a CTE sees itself; any CTE sees the ones before it
    if (recursive) (scope.ctes ??= new Map()).set(name, index);
    const q = unwrap(cte.ctequery);
    const fact = c.facts.ctes[index];
    if (q) {
      const init = blockInit('cte', block.depth, undefined, undefined, undefined, name);
      const id = q[0] === 'SelectStmt' ? walkSelect(c, q[1], scope, init, block.id) : walkDml(c, q[0], q[1], scope, init, block.id);
      fact.block = id;
      const kind = c.facts.blocks[id]?.statement;
      if (kind && kind !== 'select') fact.body = kind;
    }
    // recursive means "refers to itself", not merely "listed under WITH RECURSIVE";
    // self-references are not uses
    fact.recursive = recursive && fact.references > 0;
    fact.references = 0;
    (scope.ctes ??= new Map()).set(name, index);
  }
}

function setOperation(c: Collector, body: Node, scope: Scope, block: QueryBlock): void {
  const op = body.op === 'SETOP_UNION' ? 'union' : body.op === 'SETOP_INTERSECT' ? 'intersect' : 'except';
  const all = !!body.all;
  const branch = blockInit('set-branch', block.depth);
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
  /** one Env for every entry (Envs are never modified) */
  let e: Env | undefined;
  for (const item of list) {
    const rt = unwrap(item)?.[1];
    if (!rt) continue;
    const val = unwrap(rt.val);
    if (val && val[0] === 'ColumnRef' && isStar(val[1])) {
      const star: Star = { block: block.id, clause, span: nodeSpan(c.tokens, rt.val) };
      const qualifier = qualifierOf(asArray(val[1].fields));
      if (qualifier !== undefined) star.qualifier = qualifier;
      c.facts.stars.push(star);
      constant = false;
      continue;
    }
    if (!isValue(rt.val)) constant = false;
    walkExpr(c, rt.val, (e ??= env(scope, clause)));
  }
  if (clause === 'select') block.constantTargets = constant;
}

/** `*` or `t.*` (columnRefParts(body).star, without the parts). */
function isStar(columnRef: Node): boolean {
  const fields = asArray(columnRef.fields);
  const last = unwrap(fields[fields.length - 1]);
  return !!last && last[0] === 'A_Star';
}

/** A literal or a parameter, possibly cast: the same for every row. */
function isValue(node: unknown): boolean {
  const u = unwrap(node);
  if (!u) return false;
  if (u[0] === 'A_Const' || u[0] === 'ParamRef') return true;
  return u[0] === 'TypeCast' && isValue(u[1].arg);
}

/** WHERE, one top-level conjunct at a time so that we learn which FROM items each one relates. */
export function where(c: Collector, node: unknown, scope: Scope, block: QueryBlock): void {
  if (!node) return;
  block.where = nodeSpan(c.tokens, node);
  const u = unwrap(node);
  const conjuncts = u && u[0] === 'BoolExpr' && u[1].boolop === 'AND_EXPR' ? asArray(u[1].args) : [node];
  for (const conj of conjuncts) {
    const ors = c.facts.ors.length;
    linkedWalk(c, conj, scope, block, 'where');
    // an OR conjunct records its group first, before those of its branches
    const top = unwrap(conj);
    if (top && top[0] === 'BoolExpr' && top[1].boolop === 'OR_EXPR' && c.facts.ors[ors]) c.facts.ors[ors].top = true;
  }
}

/** Walks a condition and relates the FROM items it mentions (WHERE conjuncts, MERGE's ON). */
export function linkedWalk(c: Collector, node: unknown, scope: Scope, block: QueryBlock, clause: Clause): void {
  const refs = c.collectUnit(block.id, () => walkExpr(c, node, boolEnv(scope, clause)));
  link(block, refs);
}
