/**
 * A query issued inside a loop in host code (the N+1 shape): one round trip per iteration.
 * The extractor (server/engine/extract) tells us the innermost loop around the call.
 *
 * Not reported: statements without parameters (the same query every time: a polling or
 * retry loop, not N+1); transaction control, SET and DDL (not data access).
 * The whole statement is the range: it is the thing that runs N times.
 */
import type { Rule } from '../types';

const DATA = new Set(['select', 'insert', 'update', 'delete', 'merge']);

/** JavaScript array methods whose callback runs once per element. */
const CALLBACKS = new Set(['forEach', 'map', 'flatMap', 'reduce', 'reduceRight', 'filter', 'some', 'every', 'find', 'findIndex']);

export const queryInLoop: Rule = {
  meta: {
    id: 'query-in-loop',
    category: 'host-code',
    defaultSeverity: 'warning',
    needs: [],
    hostOnly: true,
    description: 'A query inside a loop makes one database round trip per iteration (the N+1 pattern); fetch or write all rows in one statement.',
  },
  check({ facts, host, text, report }) {
    const loop = host?.loop;
    if (!loop || !DATA.has(facts.kind) || facts.params.length === 0) return;
    const where = `${describe(loop.kind)} on line ${loop.line + 1}`;
    const verb = facts.kind.toUpperCase();
    let advice: string;
    switch (facts.kind) {
      case 'insert':
        advice = 'Insert all rows in one statement: a multi-row VALUES list, or INSERT ... SELECT * FROM unnest($1::int[], $2::text[]).';
        break;
      case 'select':
        advice = 'Fetch all rows at once with WHERE id = ANY($1) and an array of keys, or join the tables.';
        break;
      case 'update':
        advice = 'Batch it into one statement: WHERE id = ANY($1), or UPDATE ... FROM unnest($1, $2) AS v(id, value) for per-row values.';
        break;
      default:
        advice = `Batch it into one statement with WHERE id = ANY($1) and an array of keys.`;
    }
    report({
      start: 0,
      end: text.length,
      message: `This ${verb} runs once per iteration of the ${where}: one database round trip per item (the N+1 pattern). ${advice}`,
    });
  },
};

function describe(kind: string): string {
  if (CALLBACKS.has(kind)) return `.${kind}() callback`;
  if (kind.endsWith('comprehension')) return kind.replace('-', ' ');
  if (kind === 'generator') return 'generator expression';
  return `\`${kind}\` loop`;
}
