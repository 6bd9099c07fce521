/**
 * UPDATE, DELETE, INSERT and MERGE: each is a query block (its WHERE predicates and FROM /
 * USING items behave like a SELECT's) plus a `Write` fact saying what it modifies.
 */
import { nodeTokens } from './tokens';
import { walkExpr } from './predicates';
import { components, fromClause, rangeVarRelation } from './from';
import { boolEnv, env, linkedWalk, targets, walkSelect, walkWith, where } from './select';
import { asArray, asNode, blockInit, loc, unwrap, type BlockInit, type Collector, type Node, type Scope } from './walker';
import type { Span, Write } from './types';

const KINDS: Record<string, Write['kind']> = {
  UpdateStmt: 'update',
  DeleteStmt: 'delete',
  InsertStmt: 'insert',
  MergeStmt: 'merge',
};

/** Walks a data-modifying statement; returns its block id (-1 when not one, or too deep). */
export function walkDml(c: Collector, type: string, body: Node, parent: Scope | null, init: BlockInit, parentBlock: number | null): number {
  const kind = KINDS[type];
  if (!kind) return -1;
  if (!c.enter()) return -1;
  try {
    const t = c.tokens;
    const whole = init.role === 'statement' && parentBlock === null;
    let span = c.facts.span;
    if (!whole) {
      const r = nodeTokens(t, body);
      span = r ? t.span(r[0], r[1]) : { start: 0, end: 0 };
    }
    const block = c.newBlock(parentBlock, init, span, span, kind);
    const scope = c.newScope(block.id, parent);
    const withClause = asNode(body.withClause);
    if (withClause) walkWith(c, withClause, scope, block);

    const rel = asNode(body.relation) ?? {};
    const target = rangeVarRelation(c, rel, block, 0);
    const head = writeHead(c, rel, kind);
    block.head = { start: head.start, end: headKeywordEnd(c, head) };
    const write: Write = {
      kind,
      block: block.id,
      table: target.name ?? '',
      hasWhere: !!body.whereClause,
      head,
      tableSpan: target.span,
      returning: false,
    };
    if (target.schema) write.schema = target.schema;
    if (target.alias) write.alias = target.alias;
    if (kind === 'insert') write.columnList = asArray(body.cols).length > 0;
    c.facts.writes.push(write);

    const returning = returningList(body);
    switch (kind) {
      case 'update':
        fromClause(c, asArray(body.fromClause), scope, block, target);
        setList(c, asArray(body.targetList), scope);
        break;
      case 'delete':
        fromClause(c, asArray(body.usingClause), scope, block, target);
        break;
      case 'merge': {
        const source = body.sourceRelation ? [body.sourceRelation] : [];
        fromClause(c, source, scope, block, target);
        linkedWalk(c, body.joinCondition, scope, block, 'join');
        for (const w of asArray(body.mergeWhenClauses)) {
          const when = unwrap(w)?.[1];
          if (!when) continue;
          walkExpr(c, when.condition, boolEnv(scope, 'where'));
          setList(c, asArray(when.targetList), scope);
          walkExpr(c, when.values, env(scope, 'values'));
        }
        break;
      }
      case 'insert': {
        // the target is visible to ON CONFLICT and RETURNING but is not read like a FROM item
        if (target.refName) scope.names.set(target.refName, -1);
        const src = unwrap(body.selectStmt);
        if (src && src[0] === 'SelectStmt') walkSelect(c, src[1], scope, blockInit('insert-source', block.depth), block.id);
        const conflict = asNode(body.onConflictClause);
        if (conflict) {
          const infer = asNode(conflict.infer);
          if (infer) walkExpr(c, infer.whereClause, env(scope, 'other'));
          setList(c, asArray(conflict.targetList), scope);
          walkExpr(c, conflict.whereClause, boolEnv(scope, 'where'));
        }
        break;
      }
    }
    if (kind === 'update' || kind === 'delete') where(c, body.whereClause, scope, block);
    components(block);
    if (returning.length) {
      write.returning = true;
      targets(c, returning, scope, block, 'returning');
    }
    return block.id;
  } finally {
    c.leave();
  }
}

/** PostgreSQL 18 wraps RETURNING in `returningClause.exprs`; older versions had `returningList`. */
function returningList(body: Node): unknown[] {
  const rc = asNode(body.returningClause);
  if (rc) return asArray(rc.exprs);
  return asArray(body.returningList);
}

function setList(c: Collector, list: unknown[], scope: Scope): void {
  for (const item of list) {
    const rt = unwrap(item)?.[1];
    if (rt) walkExpr(c, rt.val, env(scope, 'set'));
  }
}

/** The words before a data-modifying statement's table name. */
const HEAD_WORDS: Record<Write['kind'], string[]> = {
  update: ['update', 'only'],
  delete: ['delete', 'from', 'only'],
  insert: ['insert', 'into'],
  merge: ['merge', 'into', 'only'],
};

/** From the statement's keyword to the table name: `DELETE FROM ONLY orders`, `UPDATE orders`. */
function writeHead(c: Collector, rel: Node, kind: Write['kind']): Span {
  const t = c.tokens;
  const i = t.at(loc(rel));
  if (i < 0) return c.facts.head;
  const parts = (rel.catalogname ? 1 : 0) + (rel.schemaname ? 1 : 0) + 1;
  const e = i + 2 * (parts - 1);
  const lead = HEAD_WORDS[kind];
  let s = i;
  while (s > 0 && lead.includes(t.word(s - 1))) s--;
  return t.span(s, e);
}

/** The end of the statement keyword inside a head span (`DELETE` of `DELETE FROM t`). */
function headKeywordEnd(c: Collector, head: Span): number {
  // /^[A-Za-z]+/ on the head's text, without slicing it
  const text = c.text;
  let i = head.start;
  while (i < head.end) {
    const ch = text.charCodeAt(i) | 32;
    if (ch < 97 || ch > 122) break;
    i++;
  }
  return i > head.start ? i : head.end;
}
