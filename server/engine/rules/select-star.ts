/**
 * `SELECT *` in the result the client receives.
 *
 * Not reported: `count(*)`; `EXISTS (SELECT * ...)` and other subqueries (the outer query
 * decides which columns leave, and the planner drops the others); `SELECT *` inside a CTE or
 * FROM subquery whose consumer lists its columns; RETURNING *, INSERT ... SELECT *, CREATE
 * TABLE AS / VIEW (nothing is sent to a client, or the column list is frozen at creation);
 * a star over sources that have no "all columns" problem: functions, VALUES, and CTEs or
 * subqueries that list their own columns.
 */
import type { Facts, QueryBlock } from '../facts/types';
import type { Schema } from '../schema/model';
import type { Fix, Rule } from '../types';
import { quoteIdent } from './ddl-util';
import { knownTable } from './schema-util';
import { isOutputBlock, relationsOf, resultGoesToClient } from './util';

export const selectStar: Rule = {
  meta: {
    id: 'select-star',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    // with the workspace schema, a quick fix lists the columns
    usesSchema: true,
    description: 'SELECT * reads and sends every column, defeats index-only scans and breaks when columns change.',
  },
  check({ facts, schema, text, report }) {
    if (!resultGoesToClient(facts)) return;
    for (const star of facts.stars) {
      if (star.clause !== 'select') continue;
      const block = facts.blocks[star.block];
      if (!block || !isOutputBlock(facts, block)) continue;
      const table = wideSource(facts, block, star.qualifier, 0);
      if (!table) continue;
      const what = star.qualifier ? `${star.qualifier}.*` : 'SELECT *';
      // `TABLE t` means SELECT * too, but has no star to replace
      const starText = text.slice(star.span.start, star.span.end);
      const fix = schema && starText.endsWith('*') ? columnListFix(facts, schema, block, star.qualifier, star.span) : undefined;
      report({
        fix,
        start: star.span.start,
        end: star.span.end,
        message: `${what} fetches every column of ${table}: wider rows to read and send, no index-only scan, and a result that changes shape with the table. List the columns you need.`,
      });
    }
  },
};

/**
 * The name of a table whose every column the star pulls, through CTEs and FROM subqueries
 * that themselves select `*`; undefined when the star only expands explicit column lists,
 * functions or VALUES.
 */
function wideSource(facts: Facts, block: QueryBlock, qualifier: string | undefined, depth: number): string | undefined {
  if (depth > 20) return undefined;
  if (block.setOp) {
    for (const b of [block.setOp.left, block.setOp.right]) {
      const found = facts.blocks[b] && wideSource(facts, facts.blocks[b], qualifier, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const rels = relationsOf(facts, block).filter((r) => qualifier === undefined || r.refName === qualifier);
  // a qualifier we cannot resolve names something we do not model (XMLTABLE ...): say nothing
  if (qualifier !== undefined && rels.length === 0) return undefined;
  for (const r of rels) {
    if (r.kind === 'table') return `\`${r.name}\``;
    let inner: QueryBlock | undefined;
    if (r.kind === 'cte') {
      const cte = facts.ctes.find((c) => c.name === r.name && c.block >= 0);
      inner = cte ? facts.blocks[cte.block] : undefined;
    } else if (r.kind === 'subquery' && r.subquery !== undefined) inner = facts.blocks[r.subquery];
    if (!inner) continue;
    for (const s of facts.stars) {
      if (s.clause !== 'select') continue;
      const sb = facts.blocks[s.block];
      if (!sb || !(sb.id === inner.id || isBranchOf(facts, sb, inner))) continue;
      const found = wideSource(facts, sb, s.qualifier, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function isBranchOf(facts: Facts, b: QueryBlock, top: QueryBlock): boolean {
  let x: QueryBlock | undefined = b;
  while (x && x.role === 'set-branch' && x.parent !== null) {
    if (x.parent === top.id) return true;
    x = facts.blocks[x.parent];
  }
  return false;
}

/** PostgreSQL's reserved words: quoted when they name a column. */
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(' '),
);

function ident(name: string): string {
  return RESERVED.has(name) ? `"${name}"` : quoteIdent(name);
}

/**
 * Replaces the star by the columns it stands for, when every relation it expands is a table
 * whose columns the schema knows (in definition order, as PostgreSQL expands it). Stars over
 * USING / NATURAL joins (which merge columns) get no fix.
 */
function columnListFix(facts: Facts, schema: Schema, block: QueryBlock, qualifier: string | undefined, span: { start: number; end: number }): Fix | undefined {
  const rels = relationsOf(facts, block).filter((r) => qualifier === undefined || r.refName === qualifier);
  if (rels.length === 0 || (qualifier !== undefined && rels.length !== 1)) return undefined;
  if (qualifier === undefined && facts.joins.some((j) => j.block === block.id && (j.natural || j.using))) return undefined;
  const parts: string[] = [];
  const qualify = qualifier !== undefined || rels.length > 1;
  for (const r of rels) {
    const t = knownTable(schema, r);
    if (!t || !t.columnsKnown || t.columns.size === 0 || !r.refName) return undefined;
    for (const c of t.columns.keys()) parts.push(qualify ? `${quoteIdent(r.refName)}.${quoteIdent(c)}` : ident(c));
  }
  return { title: `Replace ${qualifier ? `${qualifier}.*` : '*'} by the column list`, edits: [{ start: span.start, end: span.end, newText: parts.join(', ') }] };
}
