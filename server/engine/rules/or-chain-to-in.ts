/**
 * `x = 1 OR x = 2 OR x = 3`: equalities on one column joined by OR. Quick fix: `x IN (1, 2, 3)`.
 *
 * Every branch must be a single `column = value` (or `column IN (values)`) on the same
 * column, the values constants or parameters. Not reported: ORs mixing columns
 * (`or-across-columns`), ranges, `<>`, NULL (`null-comparison`), expressions on the column.
 */
import type { Facts, OrGroup } from '../facts/types';
import type { Rule } from '../types';
import { textOf } from './util';
import { columnKey, comparedColumn } from './or-util';

export const orChainToIn: Rule = {
  meta: {
    id: 'or-chain-to-in',
    category: 'performance',
    defaultSeverity: 'information',
    needs: [],
    description: 'A chain of equalities on one column joined by OR is clearer and plans better as one IN list.',
  },
  check({ facts, text, report }) {
    for (const or of facts.ors) {
      const chain = equalityChain(facts, text, or);
      if (!chain) continue;
      const rewritten = `${chain.column} IN (${chain.values.join(', ')})`;
      report({
        start: or.span.start,
        end: or.span.end,
        message: `\`${chain.column}\` is compared with a value in each of ${or.branches} OR branches: write \`${shorten(rewritten)}\`. Before PostgreSQL 18 the planner treats each branch separately (a BitmapOr of one index scan per value, or a filter testing each branch); an IN list is one index scan with all the values and gets a better row estimate.`,
        fix: { title: `Rewrite as ${chain.column} IN (...)`, edits: [{ start: or.span.start, end: or.span.end, newText: rewritten }] },
      });
    }
  },
};

function equalityChain(facts: Facts, text: string, or: OrGroup): { column: string; values: string[] } | undefined {
  if (!or.parts || or.parts.length < 2) return undefined;
  let key: string | undefined;
  let column = '';
  const values: string[] = [];
  for (const part of or.parts) {
    if (!part.simple || part.end - part.first !== 1) return undefined;
    const p = facts.predicates[part.first];
    if (p.negated) return undefined;
    if (!(p.kind === 'comparison' && p.operator === '=') && p.kind !== 'in-list') return undefined;
    const c = comparedColumn(p);
    if (!c || !c.value) return undefined;
    const kind = c.value.kind;
    if (p.kind === 'in-list' ? kind !== 'list' : kind !== 'constant' && kind !== 'param') return undefined;
    const k = columnKey(c.column);
    if (key === undefined) {
      key = k;
      column = textOf(text, c.operand.span);
    } else if (k !== key) return undefined;
    // an IN list's span holds its items without the parentheses
    values.push(textOf(text, c.value.span));
  }
  return key === undefined ? undefined : { column, values };
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}
