/**
 * Operands: what sits on each side of a predicate. The question rules ask is "is the column
 * bare, or wrapped in a function / cast / arithmetic?", and "is the other side something an
 * index lookup could use (a constant, a parameter, an outer column)?".
 */
import { nodeSpan } from './tokens';
import { asArray, asNode, columnRefParts, lastString, strings, unwrap, type Collector, type Node, type Scope } from './walker';
import type { ColumnUse, Operand, Span, WrapperKind } from './types';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '^', '||']);

/** Analyzes an expression used as an operand. Pure: records nothing. */
export function operand(c: Collector, node: unknown, scope: Scope): Operand {
  const span = nodeSpan(c.tokens, node);
  const u = unwrap(node);
  if (!u) return { kind: 'expression', span, columns: [] };
  const [type, body] = u;
  switch (type) {
    case 'ColumnRef':
      // columnsIn(c, node, scope), without computing the same span twice
      return { kind: 'column', span, columns: columnUse(c, body, scope, span) };
    case 'A_Const':
      if (body.isnull) return { kind: 'null', span, columns: [] };
      return { kind: 'constant', span, columns: [], value: constValue(body) };
    case 'ParamRef':
      return { kind: 'param', span, columns: [] };
    case 'SubLink':
      return { kind: 'subquery', span, columns: [] };
    case 'List':
      return { kind: 'list', span, columns: columnsIn(c, node, scope), items: asArray(body.items).length };
    case 'CollateClause': {
      const inner = operand(c, body.arg, scope);
      return { ...inner, span };
    }
    case 'TypeCast': {
      const inner = operand(c, body.arg, scope);
      if (inner.kind === 'null' || inner.kind === 'constant' || inner.kind === 'param') return { ...inner, span };
      return { kind: 'expression', span, columns: inner.columns, wrapper: 'cast', wrapperName: typeName(body.typeName) };
    }
    default: {
      const [wrapper, wrapperName] = classify(type, body);
      return { kind: 'expression', span, columns: columnsIn(c, node, scope), wrapper, wrapperName };
    }
  }
}

function classify(type: string, body: Node): [WrapperKind, string | undefined] {
  switch (type) {
    case 'FuncCall':
      return ['function', funcName(body)];
    case 'CoalesceExpr':
      return ['function', 'coalesce'];
    case 'MinMaxExpr':
      return ['function', body.op === 'IS_LEAST' ? 'least' : 'greatest'];
    case 'CaseExpr':
      return ['function', 'case'];
    case 'SQLValueFunction':
      return ['function', String(body.op ?? '').replace(/^SVFOP_/, '').toLowerCase()];
    case 'A_Expr': {
      const op = strings(body.name).pop() ?? '';
      if (body.kind === 'AEXPR_NULLIF') return ['function', 'nullif'];
      if (body.kind === 'AEXPR_OP' && ARITHMETIC.has(op)) return ['arithmetic', op];
      return ['operator', op];
    }
    default:
      return ['other', undefined];
  }
}

/** Lower-cased function name without schema. */
export function funcName(body: Node): string {
  return (lastString(body.funcname) ?? '').toLowerCase();
}

export function typeName(t: unknown): string {
  const n = asNode(t);
  const names = n ? strings(n.names).filter((s) => s !== 'pg_catalog') : [];
  return names.join('.');
}

export function constValue(body: Node): string {
  for (const k of ['sval', 'ival', 'fval', 'bsval', 'boolval']) {
    const v = asNode(body[k]);
    if (!v) continue;
    const inner = v[k];
    // protobuf JSON leaves out zero / false / empty values: `ival: {}` is 0
    if (inner === undefined) return k === 'sval' || k === 'bsval' ? '' : k === 'boolval' ? 'false' : '0';
    return String(inner);
  }
  return '';
}

/** Column references in an expression, skipping subqueries. Iterative: operands can be deep. */
export function columnsIn(c: Collector, root: unknown, scope: Scope): ColumnUse[] {
  const out: ColumnUse[] = [];
  const stack: unknown[] = [root];
  let budget = 10_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i]);
      continue;
    }
    const u = unwrap(n);
    if (!u) continue;
    const [type, body] = u;
    if (type === 'SubLink' || type === 'SelectStmt') continue;
    if (type === 'ColumnRef') {
      const parts = columnRefParts(body);
      if (parts.star) continue;
      const owner = c.resolve(scope, parts.qualifier);
      const use: ColumnUse = { name: parts.name, span: nodeSpan(c.tokens, n), scope: owner === scope ? 'local' : 'outer' };
      if (parts.qualifier !== undefined) use.qualifier = parts.qualifier;
      out.push(use);
      continue;
    }
    for (const k in body) {
      const v = body[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
  return out;
}

/** The use of one ColumnRef (none for a star) whose span is known. */
function columnUse(c: Collector, body: Node, scope: Scope, span: Span): ColumnUse[] {
  const parts = columnRefParts(body);
  if (parts.star) return [];
  const owner = c.resolve(scope, parts.qualifier);
  const use: ColumnUse = { name: parts.name, span: { start: span.start, end: span.end }, scope: owner === scope ? 'local' : 'outer' };
  if (parts.qualifier !== undefined) use.qualifier = parts.qualifier;
  return [use];
}

/** The operand has columns of its own block (as opposed to constants, parameters, outer columns). */
export function hasLocalColumns(o: Operand): boolean {
  return o.columns.some((col) => col.scope === 'local');
}

/**
 * The constant a LIKE pattern starts with: `'abc%'`, `'%' || $1`, `concat('%', $1)`,
 * `'%x'::text`. Undefined when the start is not a constant.
 */
export function patternPrefix(node: unknown, guard = 0): { prefix?: string; param: boolean } {
  const u = unwrap(node);
  if (!u || guard > 50) return { param: false };
  const [type, body] = u;
  switch (type) {
    case 'A_Const':
      return body.isnull ? { param: false } : { prefix: constValue(body), param: false };
    case 'ParamRef':
      return { param: true };
    case 'TypeCast':
    case 'CollateClause':
      return patternPrefix(body.arg, guard + 1);
    case 'A_Expr':
      if (body.kind === 'AEXPR_OP' && strings(body.name).pop() === '||' && body.lexpr) {
        const left = patternPrefix(body.lexpr, guard + 1);
        return { prefix: left.prefix, param: false };
      }
      return { param: false };
    case 'FuncCall':
      if (funcName(body) === 'concat') {
        const first = patternPrefix(asArray(body.args)[0], guard + 1);
        return { prefix: first.prefix, param: false };
      }
      return { param: false };
    default:
      return { param: false };
  }
}

/** A span for a list of nodes (first to last). */
export function listSpan(c: Collector, list: unknown[]): Span | undefined {
  if (list.length === 0) return undefined;
  const a = nodeSpan(c.tokens, list[0]);
  const b = nodeSpan(c.tokens, list[list.length - 1]);
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

