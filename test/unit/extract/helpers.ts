/** Shared assertions for the embedded-SQL extraction tests. */
import assert from 'node:assert/strict';
import { extractEmbedded, mapRangeToHost, mapToHost, type EmbeddedRegion, type HostLanguage } from '../../../server/engine/extract';

/** Host text of the first occurrence of `token` in the region's SQL. */
export function hostTextOf(text: string, r: EmbeddedRegion, token: string, from = 0): string {
  const i = r.sql.indexOf(token, from);
  assert.ok(i >= 0, `${JSON.stringify(token)} not in ${JSON.stringify(r.sql)}`);
  const { start, end } = mapRangeToHost(r, i, i + token.length);
  return text.slice(start, end);
}

/** Asserts that each token of the region's SQL maps onto the same text in the host. */
export function assertMaps(text: string, r: EmbeddedRegion, ...tokens: string[]): void {
  for (const t of tokens) {
    assert.equal(hostTextOf(text, r, t), t, `token ${JSON.stringify(t)} of ${JSON.stringify(r.sql)}`);
    const i = r.sql.indexOf(t);
    assert.equal(text.slice(mapToHost(r, i), mapToHost(r, i) + t.length), t);
  }
}

/** The one region containing `needle` in its SQL. */
export function regionWith(regions: EmbeddedRegion[], needle: string): EmbeddedRegion {
  const found = regions.filter((r) => r.sql.includes(needle));
  assert.equal(found.length, 1, `expected one region with ${JSON.stringify(needle)}, got ${JSON.stringify(regions.map((r) => r.sql))}`);
  return found[0];
}

export function extract(text: string, language: HostLanguage, calls?: string[]): EmbeddedRegion[] {
  return extractEmbedded(text, language, calls ? { calls } : undefined);
}

/** The host text of the region's callee. */
export function callText(text: string, r: EmbeddedRegion): string {
  return text.slice(r.callStart, r.callEnd);
}
