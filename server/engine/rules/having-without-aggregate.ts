/**
 * A HAVING condition that uses no aggregate: it filters groups by a grouping column, after
 * every row was grouped, when WHERE could have dropped the rows before grouping.
 *
 * Each top-level AND conjunct of HAVING is judged on its own. Reported only when it is safe
 * to move to WHERE: the query has a plain GROUP BY (without GROUP BY, HAVING turns the whole
 * query into one group; with GROUPING SETS, ROLLUP or CUBE a grouping column is NULL in the
 * subtotal rows), and the conjunct has column references but no function call at all (a
 * user-defined aggregate looks like any function), no subquery and no GROUPING().
 */
import { nodeSpan, Tokens } from '../facts/tokens';
import type { Rule } from '../types';
import { snippet } from './util';

type Obj = Record<string, unknown>;

/** node types that make a conjunct stay in HAVING */
const STAYS = new Set(['FuncCall', 'SubLink', 'GroupingFunc', 'Aggref', 'WindowFunc']);

export const havingWithoutAggregate: Rule = {
  meta: {
    id: 'having-without-aggregate',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'A HAVING condition without an aggregate filters after grouping; in WHERE it would drop the rows before they are grouped.',
  },
  check({ facts, ast, text, report }) {
    if (!facts.blocks.some((b) => b.having && b.groupBy)) return;
    let tokens: Tokens | undefined;
    for (const select of selectsWithHaving(ast)) {
      const groups = select.groupClause as unknown[] | undefined;
      if (!Array.isArray(groups) || groups.length === 0 || groups.some((g) => !!(g as Obj).GroupingSet)) continue;
      const having = select.havingClause as Obj;
      const and = having.BoolExpr as Obj | undefined;
      const conjuncts = and && and.boolop === 'AND_EXPR' ? (and.args as unknown[]) : [having];
      for (const conj of conjuncts) {
        if (!movable(conj)) continue;
        tokens ??= new Tokens(text);
        const span = nodeSpan(tokens, conj);
        if (span.end <= span.start) continue;
        report({
          start: span.start,
          end: span.end,
          message: `HAVING ${snippet(text, span)} uses no aggregate: PostgreSQL groups every row first and then throws whole groups away. Move it to WHERE so the rows are dropped before grouping (and an index can help find the rest).`,
        });
      }
    }
  },
};

/** Every SelectStmt body with a HAVING clause, anywhere in the statement. */
function selectsWithHaving(root: unknown): Obj[] {
  const out: Obj[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const v of n) if (v && typeof v === 'object') stack.push(v);
      continue;
    }
    const o = n as Obj;
    const sel = o.SelectStmt as Obj | undefined;
    if (sel && sel.havingClause) out.push(sel);
    for (const k in o) {
      const v = o[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
  return out;
}

/** Has a column reference, and nothing that must be evaluated per group. */
function movable(conj: unknown): boolean {
  let columns = 0;
  const stack: unknown[] = [conj];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (Array.isArray(n)) {
      for (const v of n) if (v && typeof v === 'object') stack.push(v);
      continue;
    }
    for (const k in n as Obj) {
      if (STAYS.has(k)) return false;
      if (k === 'ColumnRef') columns++;
      const v = (n as Obj)[k];
      if (v && typeof v === 'object') stack.push(v);
    }
  }
  return columns > 0;
}
