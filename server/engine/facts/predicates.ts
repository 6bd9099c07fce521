/**
 * The expression walker: predicates (comparisons, LIKE, IN, BETWEEN, null tests, subquery
 * tests), OR groups, aggregate and window calls, column uses (for correlation) and the
 * subqueries inside expressions.
 */
import { nodeSpan, type Tokens } from './tokens';
import { funcName, operand, patternPrefix } from './operands';
import { walkSelect } from './select';
import { asArray, asNode, columnRefParts, loc, strings, unwrap, type Collector, type Node, type Scope } from './walker';
import type { Clause, Predicate, PredicateKind, Span, SublinkKind } from './types';

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
  if (Array.isArray(node)) {
    for (const n of node) walkExpr(c, n, env);
    return;
  }
  const u = unwrap(node);
  if (!u) return;
  if (!c.enter()) return;
  try {
    walkNode(c, node, u[0], u[1], env);
  } finally {
    c.leave();
  }
}

function walkNode(c: Collector, node: unknown, type: string, body: Node, env: Env): void {
  const inner: Env = { scope: env.scope, clause: env.clause, underOr: env.underOr, boolPos: false };
  switch (type) {
    case 'BoolExpr': {
      const args = asArray(body.args);
      if (body.boolop === 'OR_EXPR') {
        c.facts.ors.push({ block: env.scope.block, clause: env.clause, branches: args.length, span: nodeSpan(c.tokens, node) });
        for (const a of args) walkExpr(c, a, { ...inner, underOr: true, boolPos: true });
      } else if (body.boolop === 'NOT_EXPR') {
        for (const a of args) walkExpr(c, a, { ...inner, boolPos: true, not: loc(body) });
      } else {
        for (const a of args) walkExpr(c, a, { ...inner, boolPos: true });
      }
      return;
    }
    case 'A_Expr':
      aExpr(c, node, body, env);
      walkExpr(c, body.lexpr, inner);
      walkExpr(c, body.rexpr, inner);
      return;
    case 'NullTest':
      record(c, env, node, {
        kind: 'null-test',
        operator: 'is null',
        negated: body.nulltesttype === 'IS_NOT_NULL',
        opAt: loc(body),
        left: body.arg,
      });
      walkExpr(c, body.arg, inner);
      return;
    case 'SubLink':
      subLink(c, node, body, env);
      return;
    case 'FuncCall':
      funcCall(c, node, body, env);
      walkExpr(c, body.args, inner);
      walkExpr(c, body.agg_filter, { ...inner, boolPos: true });
      for (const s of asArray(body.agg_order)) walkExpr(c, asNode(unwrap(s)?.[1])?.node, inner);
      windowDef(c, asNode(body.over), inner);
      return;
    case 'ColumnRef': {
      const parts = columnRefParts(body);
      c.useColumn(env.scope, parts.qualifier, parts.name);
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
    case 'CaseExpr':
      walkExpr(c, body.arg, inner);
      for (const w of asArray(body.args)) {
        const when = unwrap(w)?.[1];
        if (!when) continue;
        walkExpr(c, when.expr, { ...inner, boolPos: true });
        walkExpr(c, when.result, inner);
      }
      walkExpr(c, body.defresult, inner);
      return;
    case 'SelectStmt':
      // not expected outside a SubLink, but never lose a subquery
      walkSelect(c, body, env.scope, { role: 'sublink', sublink: 'other', depth: depthOf(c, env) + 1 }, env.scope.block);
      return;
    default:
      for (const v of Object.values(body)) if (v && typeof v === 'object') walkExpr(c, v, inner);
  }
}

function windowDef(c: Collector, over: Node | undefined, env: Env): void {
  if (!over) return;
  walkExpr(c, over.partitionClause, env);
  for (const s of asArray(over.orderClause)) walkExpr(c, asNode(unwrap(s)?.[1])?.node, env);
}

function depthOf(c: Collector, env: Env): number {
  return c.facts.blocks[env.scope.block]?.depth ?? 0;
}

interface PredicateInit {
  kind: PredicateKind;
  operator: string;
  compare?: string;
  negated: boolean;
  /** byte location of the operator (or of NOT / IS before it) */
  opAt: number;
  left: unknown;
  right?: unknown;
}

function record(c: Collector, env: Env, node: unknown, p: PredicateInit): Predicate {
  const span = nodeSpan(c.tokens, node);
  const outerNot = env.not !== undefined;
  let opSpan = operatorSpan(c.tokens, p.opAt, span);
  // `x NOT IN (...)` puts NOT and the sublink at one location; `NOT (x IN (...))` does not
  if (outerNot && env.not !== p.opAt && env.not! >= 0) {
    const notTok = c.tokens.at(env.not!);
    if (notTok >= 0 && c.tokens.word(notTok) === 'not') {
      const notSpan = c.tokens.span(notTok, notTok);
      opSpan = { start: notSpan.start, end: opSpan.end };
    }
  }
  const pred: Predicate = {
    block: env.scope.block,
    clause: env.clause,
    kind: p.kind,
    operator: p.operator,
    negated: p.negated !== outerNot,
    span,
    opSpan,
    left: operand(c, p.left, env.scope),
    underOr: env.underOr,
  };
  if (p.compare) pred.compare = p.compare;
  if (p.right !== undefined) pred.right = operand(c, p.right, env.scope);
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
  } else if (['any', 'all', 'some'].includes(t.word(e + 1))) e++;
  return t.span(i, e);
}

function aExpr(c: Collector, node: unknown, body: Node, env: Env): void {
  const op = strings(body.name).pop() ?? '';
  const base = { opAt: loc(body), left: body.lexpr, right: body.rexpr };
  switch (body.kind) {
    case 'AEXPR_OP': {
      if (!body.lexpr || !body.rexpr) return;
      if (COMPARISON.has(op)) {
        record(c, env, node, { ...base, kind: 'comparison', operator: op === '!=' ? '<>' : op, negated: false });
      } else if (op === '~~' || op === '~~*' || op === '!~~' || op === '!~~*') {
        like(c, env, node, body, op);
      } else if (env.boolPos) {
        record(c, env, node, { ...base, kind: 'other', operator: op, negated: false });
      }
      return;
    }
    case 'AEXPR_LIKE':
    case 'AEXPR_ILIKE':
      like(c, env, node, body, op);
      return;
    case 'AEXPR_OP_ANY':
    case 'AEXPR_OP_ALL':
      record(c, env, node, { ...base, kind: 'array', operator: body.kind === 'AEXPR_OP_ANY' ? 'any' : 'all', compare: op, negated: false });
      return;
    case 'AEXPR_IN':
      record(c, env, node, { ...base, kind: 'in-list', operator: 'in', negated: op === '<>' });
      return;
    case 'AEXPR_DISTINCT':
    case 'AEXPR_NOT_DISTINCT':
      record(c, env, node, { ...base, kind: 'distinct', operator: 'is distinct from', negated: body.kind === 'AEXPR_NOT_DISTINCT' });
      return;
    case 'AEXPR_BETWEEN':
    case 'AEXPR_BETWEEN_SYM':
    case 'AEXPR_NOT_BETWEEN':
    case 'AEXPR_NOT_BETWEEN_SYM':
      record(c, env, node, { ...base, kind: 'between', operator: 'between', negated: String(body.kind).includes('NOT') });
      return;
    case 'AEXPR_SIMILAR':
      record(c, env, node, { ...base, kind: 'other', operator: 'similar to', negated: op === '!~' });
      return;
    default:
      return;
  }
}

function like(c: Collector, env: Env, node: unknown, body: Node, op: string): void {
  const p = record(c, env, node, {
    kind: 'like',
    operator: op.includes('*') ? 'ilike' : 'like',
    negated: op.startsWith('!'),
    opAt: loc(body),
    left: body.lexpr,
    right: body.rexpr,
  });
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
  const operName = strings(body.operName).pop();
  // `x IN (SELECT ...)` is ANY_SUBLINK without an operator name; `x = ANY (SELECT ...)` has one
  if (kind === 'any' && !operName) kind = 'in';
  const negated = env.not !== undefined;
  const parent = env.scope.block;
  const depth = depthOf(c, env) + 1;
  if (body.testexpr && (kind === 'in' || kind === 'any' || kind === 'all')) {
    record(c, env, node, {
      kind: 'sublink',
      operator: kind,
      compare: operName ?? '=',
      negated: false,
      opAt: loc(body),
      left: body.testexpr,
      right: body.subselect,
    });
    // the right operand is the subquery: make it say so
    const p = c.facts.predicates[c.facts.predicates.length - 1];
    if (p.right) p.right = { kind: 'subquery', span: p.right.span, columns: [] };
  }
  walkExpr(c, body.testexpr, { scope: env.scope, clause: env.clause, underOr: env.underOr, boolPos: false });
  const sub = unwrap(body.subselect);
  if (!sub) return;
  const id = walkSelect(c, sub[1], env.scope, { role: 'sublink', sublink: kind, negated, depth }, parent);
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
  });
}

function funcCall(c: Collector, node: unknown, body: Node, env: Env): void {
  const name = funcName(body);
  const schema = strings(body.funcname);
  const qualified = schema.length > 1 && schema[0] !== 'pg_catalog';
  const aggregate = body.agg_star || body.agg_distinct || body.agg_order || body.agg_filter || body.agg_within_group || (!qualified && AGGREGATES.has(name));
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
