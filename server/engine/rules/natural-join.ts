/**
 * NATURAL JOIN: joins on every column the two sides happen to share by name.
 */
import type { Span } from '../facts/types';
import type { Rule } from '../types';

export const naturalJoin: Rule = {
  meta: {
    id: 'natural-join',
    category: 'correctness',
    defaultSeverity: 'warning',
    needs: [],
    description: 'NATURAL JOIN joins on whatever columns share a name, so adding a column to either table silently changes the join.',
  },
  check({ facts, text, report }) {
    for (const j of facts.joins) {
      if (!j.natural) continue;
      const range = keywordSpan(text, j.span.start) ?? j.span;
      report({
        ...range,
        message: `NATURAL JOIN matches every column the two sides share by name, whatever they mean: a column added later to either table (\`updated_at\`, \`name\`) silently joins on it too, and the join can return nothing or become a cross join. Name the columns: JOIN ... USING (col) or JOIN ... ON.`,
      });
    }
  },
};

const JOIN_WORDS = /^(?:join|inner|left|right|full|outer|natural)$/i;

/** `NATURAL [LEFT [OUTER]] JOIN` before the right-hand item, when only spaces separate the words. */
function keywordSpan(text: string, itemStart: number): Span | undefined {
  let end = -1;
  let i = itemStart;
  for (let words = 0; words < 4; words++) {
    while (i > 0 && /\s/.test(text[i - 1])) i--;
    let s = i;
    while (s > 0 && /[A-Za-z]/.test(text[s - 1])) s--;
    const w = text.slice(s, i);
    if (!JOIN_WORDS.test(w)) return undefined;
    if (end < 0) end = i;
    if (w.toLowerCase() === 'natural') return { start: s, end };
    i = s;
  }
  return undefined;
}
