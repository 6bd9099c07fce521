/**
 * The clauses after WHERE that shape a block's output: ORDER BY keys, LIMIT / OFFSET /
 * FETCH with their keyword ranges, and FOR UPDATE / SHARE locking.
 */
import { nodeTokens, type Tokens } from './tokens';
import { constValue, operand } from './operands';
import { walkExpr, type Env } from './predicates';
import { env } from './select';
import { asArray, strings, unwrap, type Collector, type Node, type Scope } from './walker';
import type { LimitClause, Locking, QueryBlock } from './types';

export function sortClause(c: Collector, list: unknown[], scope: Scope, block: QueryBlock): void {
  const t = c.tokens;
  let e: Env | undefined;
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
    walkExpr(c, sb.node, (e ??= env(scope, 'order')));
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

export function limits(c: Collector, body: Node, block: QueryBlock, scope: Scope): void {
  const count = limitClause(c, body.limitCount, block, 'count');
  if (count) block.limit = count;
  const offset = limitClause(c, body.limitOffset, block, 'offset');
  if (offset) block.offset = offset;
  if (body.limitCount || body.limitOffset) walkExpr(c, [body.limitCount, body.limitOffset].filter(Boolean), env(scope, 'other'));
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
  while (['first', 'next', 'row', 'rows', 'only', 'with', 'ties'].includes(t.word(e + 1)) || t.isNumber(e + 1)) e++;
  return e;
}

function lastWord(c: Collector, block: QueryBlock, word: string): number {
  const t = c.tokens;
  for (let i = t.length - 1; i >= 0; i--) {
    const at = t.start(i);
    if (at < block.span.start) break;
    if (at < block.span.end && t.word(i) === word) return i;
  }
  return -1;
}

export function locking(list: unknown[]): Locking[] {
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
