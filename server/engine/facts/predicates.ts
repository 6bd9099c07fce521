/**
 * The expression walker: predicates (comparisons, LIKE, IN, BETWEEN, null tests, subquery
 * tests), OR groups, aggregate and window calls, column uses (for correlation) and the
 * subqueries inside expressions.
 */
import { nodeSpan, type Tokens } from './tokens';
import { funcName, operand, patternPrefix } from './operands';
import { walkSelect } from './select';
import { asArray, asNode, blockInit, lastString, loc, nameOf, qualifierOf, strings, unwrap, type Collector, type Node, type Scope } from './walker';
import type { Clause, OrBranch, Predicate, PredicateKind, Span, SublinkKind } from './types';

export interface Env {
  scope: Scope;
  clause: Clause;
  underOr: boolean;
  /** directly in a boolean position (clause root, under AND / OR / NOT) */
  boolPos: boolean;
  /** location of a NOT directly around this node */
  not?: number;
}

const COMPARISON = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

/** Known aggregates (without a catalog we go by name; FILTER / ORDER BY / DISTINCT / * also mark one). */
const AGGREGATES = new Set([
  'count', 'sum', 'avg', 'min', 'max', 'array_agg', 'string_agg', 'json_agg', 'jsonb_agg', 'json_object_agg',
  'jsonb_object_agg', 'json_agg_strict', 'jsonb_agg_strict', 'json_objectagg', 'json_arrayagg', 'bool_and', 'bool_or', 'every',
  'bit_and', 'bit_or', 'bit_xor', 'stddev', 'stddev_pop', 'stddev_samp', 'variance', 'var_pop', 'var_samp', 'corr',
  'covar_pop', 'covar_samp', 'regr_avgx', 'regr_avgy', 'regr_count', 'regr_intercept', 'regr_r2', 'regr_slope', 'regr_sxx',
  'regr_sxy', 'regr_syy', 'percentile_cont', 'percentile_disc', 'mode', 'xmlagg', 'range_agg', 'range_intersect_agg',
  'any_value', 'grouping',
]);

export function walkExpr(c: Collector, node: unknown, env: Env): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walkExpr(c, n, env);
    return;
  }
  // unwrap() without its tuple, and wrapperKey() inline: this runs for every expression node
  const o = node as Node;
  let type = '';
  let body = o;
  let key: string | undefined;
  for (const k in o) {
    if (!hasOwn.call(o, k)) continue;
    if (key !== undefined) {
      key = undefined;
      break;
    }
    key = k;
  }
  if (key !== undefined && isUpper(key.charCodeAt(0))) {
    const v = o[key];
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      type = key;
      body = v as Node;
    }
  }
  if (!c.enter()) return;
  try {
    walkNode(c, node, type, body, env);
  } finally {
    c.leave();
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** An Env; `not` is always present (possibly undefined) so every Env has one shape. */
export function makeEnv(scope: Scope, clause: Clause, underOr: boolean, boolPos: boolean, not?: number): Env {
  return { scope, clause, underOr, boolPos, not };
}

function walkNode(c: Collector, node: unknown, type: string, body: Node, env: Env): void {
  // the environment of a non-boolean child; Envs are never modified, so one already in that
  // state is reused rather than copied
  const inner: Env = !env.boolPos && env.not === undefined ? env : makeEnv(env.scope, env.clause, env.underOr, false);
  switch (type) {
    case 'BoolExpr': {
      const args = asArray(body.args);
      if (body.boolop === 'OR_EXPR') {
        const parts: OrBranch[] = [];
        c.facts.ors.push({ block: env.scope.block, clause: env.clause, branches: args.length, span: nodeSpan(c.tokens, node), top: false, parts });
        const branch = makeEnv(env.scope, env.clause, true, true);
        for (const a of args) {
          const first = c.facts.predicates.length;
          const ors = c.facts.ors.length;
          const subs = c.facts.subqueries.length;
          walkExpr(c, a, branch);
          const end = c.facts.predicates.length;
          // simple: every leaf of the branch's ANDs recorded exactly one predicate, and nothing else was met
          const simple = end - first === predicateLeaves(a) && c.facts.ors.length === ors && c.facts.subqueries.length === subs;
          parts.push({ first, end, simple });
        }
      } else if (body.boolop === 'NOT_EXPR') {
        const negated = makeEnv(env.scope, env.clause, env.underOr, true, loc(body));
        for (const a of args) walkExpr(c, a, negated);
      } else {
        const conjunct = makeEnv(env.scope, env.clause, env.underOr, true);
        for (const a of args) walkExpr(c, a, conjunct);
      }
      return;
    }
    case 'A_Expr':
      aExpr(c, node, body, env);
      walkExpr(c, body.lexpr, inner);
      walkExpr(c, body.rexpr, inner);
      return;
    case 'NullTest':
      record(c, env, node, 'null-test', 'is null', undefined, body.nulltesttype === 'IS_NOT_NULL', loc(body), body.arg, undefined);
      walkExpr(c, body.arg, inner);
      return;
    case 'SubLink':
      subLink(c, node, body, env);
      return;
    case 'FuncCall':
      funcCall(c, node, body, env);
      walkExpr(c, body.args, inner);
      if (body.agg_filter) walkExpr(c, body.agg_filter, makeEnv(env.scope, env.clause, env.underOr, true));
      for (const s of asArray(body.agg_order)) walkExpr(c, asNode(unwrap(s)?.[1])?.node, inner);
      windowDef(c, asNode(body.over), inner);
      return;
    case 'ColumnRef': {
      const fields = asArray(body.fields);
      c.useColumn(env.scope, qualifierOf(fields), nameOf(fields));
      return;
    }
    case 'ParamRef':
      if (typeof body.number === 'number') c.param(body.number);
      return;
    case 'A_Const':
    case 'String':
    case 'A_Star':
    case 'TypeName':
      return;
    case 'TypeCast':
      walkExpr(c, body.arg, inner);
      return;
    case 'CaseExpr': {
      walkExpr(c, body.arg, inner);
      const args = asArray(body.args);
      const condition = args.length ? makeEnv(env.scope, env.clause, env.underOr, true) : inner;
      for (const w of args) {
        const when = unwrap(w)?.[1];
        if (!when) continue;
        walkExpr(c, when.expr, condition);
        walkExpr(c, when.result, inner);
      }
      walkExpr(c, body.defresult, inner);
      return;
    }
    case 'SelectStmt':
      // not expected outside a SubLink, but never lose a subquery
      walkSelect(c, body, env.scope, blockInit('sublink', depthOf(c, env) + 1, 'other'), env.scope.block);
      return;
    default:
      for (const k in body) {
        const v = body[k];
        if (v && typeof v === 'object') walkExpr(c, v, inner);
      }
  }
}

/**
 * How many predicates an OR branch is made of when it is only predicates joined by AND
 * (comparisons, LIKE, IN, BETWEEN, null tests, ...); -1 when something else is in it.
 */
function predicateLeaves(node: unknown): number {
  const u = unwrap(node);
  if (!u) return -1;
  if (u[0] === 'A_Expr' || u[0] === 'NullTest') return 1;
  if (u[0] !== 'BoolExpr' || u[1].boolop !== 'AND_EXPR') return -1;
  let n = 0;
  for (const a of asArray(u[1].args)) {
    const k = predicateLeaves(a);
    if (k < 0) return -1;
    n += k;
  }
  return n;
}

function windowDef(c: Collector, over: Node | undefined, env: Env): void {
  if (!over) return;
  walkExpr(c, over.partitionClause, env);
  for (const s of asArray(over.orderClause)) walkExpr(c, asNode(unwrap(s)?.[1])?.node, env);
}

function depthOf(c: Collector, env: Env): number {
  return c.facts.blocks[env.scope.block]?.depth ?? 0;
}

/**
 * Records a predicate. `opAt`: byte location of the operator (or of NOT / IS before it);
 * `right` is absent (undefined) for null tests.
 */
function record(
  c: Collector,
  env: Env,
  node: unknown,
  kind: PredicateKind,
  operator: string,
  compare: string | undefined,
  negated: boolean,
  opAt: number,
  left: unknown,
  right: unknown,
): Predicate {
  const span = nodeSpan(c.tokens, node);
  const outerNot = env.not !== undefined;
  let opSpan = operatorSpan(c.tokens, opAt, span);
  // `x NOT IN (...)` puts NOT and the sublink at one location; `NOT (x IN (...))` does not
  if (outerNot && env.not !== opAt && env.not! >= 0) {
    const notTok = c.tokens.at(env.not!);
    if (notTok >= 0 && c.tokens.word(notTok) === 'not') {
      const notSpan = c.tokens.span(notTok, notTok);
      opSpan = { start: notSpan.start, end: opSpan.end };
    }
  }
  const pred: Predicate = {
    block: env.scope.block,
    clause: env.clause,
    kind,
    operator,
    negated: negated !== outerNot,
    span,
    opSpan,
    left: operand(c, left, env.scope),
    underOr: env.underOr,
  };
  if (compare) pred.compare = compare;
  if (right !== undefined) pred.right = operand(c, right, env.scope);
  c.facts.predicates.push(pred);
  return pred;
}

const OPERATOR_WORDS = new Set(['not', 'like', 'ilike', 'in', 'between', 'symmetric', 'asymmetric', 'is', 'distinct', 'from', 'similar', 'to', 'null', 'any', 'all', 'some', 'isnull', 'notnull']);

/** The operator's tokens: one symbol (`=`), or a keyword run (`NOT LIKE`, `IS NOT DISTINCT FROM`), plus ANY/ALL. */
function operatorSpan(t: Tokens, at: number, fallback: Span): Span {
  if (at < 0) return fallback;
  const i = t.at(at);
  if (i < 0) return fallback;
  let e = i;
  const first = t.word(i);
  if (first === 'operator' && t.word(i + 1) === '(') e = t.match(i + 1);
  else if (OPERATOR_WORDS.has(first)) {
    while (OPERATOR_WORDS.has(t.word(e + 1)) && !(t.word(e) === 'from' || t.word(e) === 'to')) e++;
  } else {
    const next = t.word(e + 1);
    if (next === 'any' || next === 'all' || next === 'some') e++;
  }
  return t.span(i, e);
}

function aExpr(c: Collector, node: unknown, body: Node, env: Env): void {
  const op = lastString(body.name) ?? '';
  const kind = body.kind;
  switch (kind) {
    case 'AEXPR_OP': {
      if (!body.lexpr || !body.rexpr) return;
      if (COMPARISON.has(op)) {
        record(c, env, node, 'comparison', op === '!=' ? '<>' : op, undefined, false, loc(body), body.lexpr, body.rexpr);
      } else if (op === '~~' || op === '~~*' || op === '!~~' || op === '!~~*') {
        like(c, env, node, body, op);
      } else if (env.boolPos) {
        record(c, env, node, 'other', op, undefined, false, loc(body), body.lexpr, body.rexpr);
      }
      return;
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      like(c, env, node, body, op);
      return;
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      record(c, env, node, 'array', kind === 'AEXPR_OP_ANY' ? 'any' : 'all', op, false, loc(body), body.lexpr, body.rexpr);
      return;
    case 'AEXPR_IN':
      record(c, env, node, 'in-list', 'in', undefined, op === '<>', loc(body), body.lexpr, body.rexpr);
      return;
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      record(c, env, node, 'distinct', 'is distinct from', undefined, kind === 'AEXPR_NOT_DISTINCT', loc(body), body.lexpr, body.rexpr);
      return;
    case 'AEXPR_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_NOT_BETWEEN_SYM':
      record(c, env, node, 'between', 'between', undefined, kind === 'AEXPR_NOT_BETWEEN' || kind === 'AEXPR_NOT_BETWEEN_SYM', loc(body), body.lexpr, body.rexpr);
      return;
    case 'AEXPR_SIMILAR':
      record(c, env, node, 'other', 'similar to', undefined, op === '!~', loc(body), body.lexpr, body.rexpr);
      return;
    default:
      return;
  }
}

function like(c: Collector, env: Env, node: unknown, body: Node, op: string): void {
  const p = record(c, env, node, 'like', op.includes('*') ? 'ilike' : 'like', undefined, op.startsWith('!'), loc(body), body.lexpr, body.rexpr);
  const pattern = patternPrefix(body.rexpr);
  p.like = {
    leadingWildcard: pattern.prefix !== undefined && (pattern.prefix.startsWith('%') || pattern.prefix.startsWith('_')),
    param: pattern.param,
  };
  if (pattern.prefix !== undefined) p.like.prefix = pattern.prefix;
}

const SUBLINK_KINDS: Record<string, SublinkKind> = {
  EXISTS_SUBLINK: 'exists',
  ANY_SUBLINK: 'any',
  ALL_SUBLINK: 'all',
  EXPR_SUBLINK: 'scalar',
  ARRAY_SUBLINK: 'array',
  ROWCOMPARE_SUBLINK: 'row-compare',
};

function subLink(c: Collector, node: unknown, body: Node, env: Env): void {
  let kind: SublinkKind = SUBLINK_KINDS[String(body.subLinkType)] ?? 'other';
  const operName = lastString(body.operName);
  // `x IN (SELECT ...)` is ANY_SUBLINK without an operator name; `x = ANY (SELECT ...)` has one
  if (kind === 'any' && !operName) kind = 'in';
  const negated = env.not !== undefined;
  const parent = env.scope.block;
  const depth = depthOf(c, env) + 1;
  if (body.testexpr && (kind === 'in' || kind === 'any' || kind === 'all')) {
    record(c, env, node, 'sublink', kind, operName ?? '=', false, loc(body), body.testexpr, body.subselect);
    // the right operand is the subquery: make it say so
    const p = c.facts.predicates[c.facts.predicates.length - 1];
    if (p.right) p.right = { kind: 'subquery', span: p.right.span, columns: [] };
  }
  walkExpr(c, body.testexpr, !env.boolPos && env.not === undefined ? env : makeEnv(env.scope, env.clause, env.underOr, false));
  const sub = unwrap(body.subselect);
  if (!sub) return;
  const id = walkSelect(c, sub[1], env.scope, blockInit('sublink', depth, kind, negated), parent);
  if (id < 0) return;
  const b = c.facts.blocks[id];
  c.facts.subqueries.push({
    block: id,
    parent,
    context: kind,
    negated,
    lateral: false,
    depth,
    correlated: b.correlated,
    span: nodeSpan(c.tokens, node),
    clause: env.clause,
  });
}

/** A function name with a schema other than pg_catalog. */
function qualified(funcname: unknown): boolean {
  const schema = strings(funcname);
  return schema.length > 1 && schema[0] !== 'pg_catalog';
}

function funcCall(c: Collector, node: unknown, body: Node, env: Env): void {
  const name = funcName(body);
  const aggregate = body.agg_star || body.agg_distinct || body.agg_order || body.agg_filter || body.agg_within_group || (AGGREGATES.has(name) && !qualified(body.funcname));
  if (!body.over && !aggregate) return;
  // the span is computed only here: nested plain calls f(g(h(...))) must stay linear
  const use = {
    block: env.scope.block,
    clause: env.clause,
    name,
    span: nodeSpan(c.tokens, node),
    distinct: !!body.agg_distinct,
    star: !!body.agg_star,
    filter: !!body.agg_filter,
  };
  if (body.over) {
    c.facts.windows.push(use);
    return;
  }
  c.facts.aggregates.push(use);
  if (env.clause === 'select' || env.clause === 'having' || env.clause === 'order') {
    const b = c.facts.blocks[env.scope.block];
    if (b) b.aggregates = true;
  }
}
