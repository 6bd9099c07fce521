import assert from 'node:assert/strict';
import { extractFacts } from '../../../server/engine/facts';
import type { Facts, Span } from '../../../server/engine/facts/types';
import { parsePg } from '../../../server/engine/parse/pgquery';

export function facts(sql: string): Facts {
  const r = parsePg(sql);
  assert.ok(r.ok, `does not parse: ${sql}`);
  return extractFacts(r.stmts[0].stmt, sql);
}

/** The text a span covers. */
export function at(sql: string, span: Span | undefined): string | undefined {
  return span && sql.slice(span.start, span.end);
}
