/**
 * DISTINCT that cannot remove anything, yet still costs a sort or a hash:
 * - with GROUP BY, when every grouping key is in the select list (the groups are already
 *   distinct rows);
 * - in a branch of UNION / INTERSECT / EXCEPT without ALL (the set operation deduplicates);
 * - in an EXISTS / IN / ANY / ALL subquery (only whether a value occurs matters).
 *
 * Not reported: DISTINCT ON; GROUP BY keys missing from the select list (`SELECT DISTINCT
 * count(*) ... GROUP BY a` does remove rows); GROUPING SETS, ROLLUP and CUBE (they repeat
 * keys as NULL); select lists with set-returning functions (`unnest` repeats rows within a
 * group). DISTINCT over a primary key needs the schema and is left to a schema-aware rule.
 */
import type { Facts, QueryBlock, Span } from '../facts/types';
import type { Rule } from '../types';

export const redundantDistinct: Rule = {
  meta: {
    id: 'redundant-distinct',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'DISTINCT over rows that are already distinct (GROUP BY on the selected keys, a UNION branch, an IN or EXISTS subquery) adds a sort or hash for nothing.',
  },
  check({ facts, text, ast, report }) {
    let grouped: QueryBlock[] | undefined;
    for (const b of facts.blocks) {
      if (b.distinct !== 'distinct') continue;
      const why = setBranch(facts, b) ?? sublink(b);
      if (why) report({ ...distinctSpan(text, b), message: why });
      else if (b.groupBy) (grouped ??= []).push(b);
    }
    if (!grouped) return;
    // GROUP BY needs the expressions: match the AST's SELECT DISTINCT ... GROUP BY nodes to
    // the blocks by position (both lists are in text order)
    const nodes: Node[] = [];
    collectGrouped(ast, nodes, 0);
    const all = facts.blocks.filter((b) => b.distinct === 'distinct' && b.groupBy);
    if (nodes.length !== all.length) return;
    nodes.sort((x, y) => firstTargetAt(x) - firstTargetAt(y));
    all.sort((x, y) => x.head.start - y.head.start);
    for (let i = 0; i < all.length; i++) {
      if (!grouped.includes(all[i]) || !groupsAreSelected(nodes[i])) continue;
      report({
        ...distinctSpan(text, all[i]),
        message: 'Every GROUP BY key is in the select list, so the groups are already distinct rows: DISTINCT only adds another sort or hash over the result. Remove DISTINCT.',
      });
    }
  },
};

type Node = Record<string, unknown>;

function setBranch(facts: Facts, b: QueryBlock): string | undefined {
  if (b.role !== 'set-branch' || b.parent === null) return undefined;
  const op = facts.blocks[b.parent]?.setOp;
  if (!op || op.all) return undefined;
  return `${op.op.toUpperCase()} without ALL already removes duplicate rows from the combined result, so DISTINCT in this branch is a second sort or hash for nothing. Remove it.`;
}

function sublink(b: QueryBlock): string | undefined {
  if (b.role !== 'sublink') return undefined;
  if (b.sublink === 'exists') return 'EXISTS only asks whether a row exists: DISTINCT in its subquery is work for nothing and keeps the planner from stopping at the first row. Remove it.';
  if (b.sublink === 'in' || b.sublink === 'any' || b.sublink === 'all') {
    return `${b.sublink === 'in' ? 'IN' : b.sublink.toUpperCase()} (subquery) only asks whether a value occurs: duplicates in the subquery do not change the result, and DISTINCT forces a separate sort or hash that keeps the subquery from being flattened into a join. Remove it.`;
  }
  return undefined;
}

/** The DISTINCT keyword after the block's SELECT; the SELECT itself when a comment is in between. */
function distinctSpan(text: string, b: QueryBlock): Span {
  let i = b.head.end;
  while (i < text.length && /\s/.test(text[i])) i++;
  if (/^distinct\b/i.test(text.slice(i, i + 9))) return { start: i, end: i + 8 };
  return b.head;
}

function collectGrouped(n: unknown, out: Node[], depth: number): void {
  if (!n || typeof n !== 'object' || depth > 400) return;
  if (Array.isArray(n)) {
    for (const x of n) collectGrouped(x, out, depth + 1);
    return;
  }
  const o = n as Node;
  const sel = o.SelectStmt as Node | undefined;
  if (sel && typeof sel === 'object' && plainDistinct(sel) && Array.isArray(sel.groupClause) && sel.groupClause.length > 0) out.push(sel);
  for (const k in o) {
    const v = o[k];
    if (v && typeof v === 'object') collectGrouped(v, out, depth + 1);
  }
}

/** `SELECT DISTINCT` (not DISTINCT ON): libpg-query writes it as a list holding one empty node. */
function plainDistinct(sel: Node): boolean {
  const d = sel.distinctClause;
  return Array.isArray(d) && d.length > 0 && d.every((x) => !x || (typeof x === 'object' && Object.keys(x as object).length === 0));
}

function firstTargetAt(sel: Node): number {
  const t = (sel.targetList as Node[] | undefined)?.[0]?.ResTarget as Node | undefined;
  return typeof t?.location === 'number' ? t.location : -1;
}

/** Functions that return sets: in a select list they repeat rows within one group. */
const SET_RETURNING = new Set([
  'unnest', 'generate_series', 'generate_subscripts', 'regexp_matches', 'regexp_split_to_table', 'string_to_table',
  'json_array_elements', 'jsonb_array_elements', 'json_array_elements_text', 'jsonb_array_elements_text', 'json_each',
  'jsonb_each', 'json_each_text', 'jsonb_each_text', 'json_object_keys', 'jsonb_object_keys', 'jsonb_path_query',
  'json_populate_recordset', 'jsonb_populate_recordset', 'json_to_recordset', 'jsonb_to_recordset', 'pg_ls_dir',
]);

function groupsAreSelected(sel: Node): boolean {
  const targets = (sel.targetList as Node[]).map((t) => t.ResTarget as Node).filter(Boolean);
  if (targets.some((t) => hasSetReturning(t.val, 0))) return false;
  for (const g of sel.groupClause as Node[]) {
    if ('GroupingSet' in g) return false;
    // `GROUP BY 2`: a select-list position
    const c = g.A_Const as Node | undefined;
    if (c && c.ival !== undefined) continue;
    // `GROUP BY alias`
    const ref = g.ColumnRef as Node | undefined;
    const fields = ref?.fields as Node[] | undefined;
    const alias = fields?.length === 1 ? ((fields[0].String as Node | undefined)?.sval as string | undefined) : undefined;
    if (alias !== undefined && targets.some((t) => t.name === alias)) continue;
    if (!targets.some((t) => same(t.val, g))) return false;
  }
  return true;
}

function hasSetReturning(n: unknown, depth: number): boolean {
  if (!n || typeof n !== 'object' || depth > 200) return false;
  if (Array.isArray(n)) return n.some((x) => hasSetReturning(x, depth + 1));
  const o = n as Node;
  const f = o.FuncCall as Node | undefined;
  if (f) {
    const name = (f.funcname as Node[] | undefined)?.at(-1)?.String as Node | undefined;
    if (typeof name?.sval === 'string' && SET_RETURNING.has(name.sval)) return true;
  }
  if ('SubLink' in o) return false;
  for (const k in o) if (hasSetReturning(o[k], depth + 1)) return true;
  return false;
}

/** Structural equality of two AST nodes, ignoring token locations. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => same(x, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => k !== 'location');
  const kb = Object.keys(b).filter((k) => k !== 'location');
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Node)[k], (b as Node)[k]));
}
