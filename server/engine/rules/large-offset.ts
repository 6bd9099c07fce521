/**
 * OFFSET of at least `offsetThreshold` rows, or OFFSET from a parameter (page-number
 * pagination, where the offset grows without bound).
 */
import type { Rule } from '../types';

export const largeOffset: Rule = {
  meta: {
    id: 'large-offset',
    category: 'performance',
    defaultSeverity: 'warning',
    needs: [],
    description: 'A large OFFSET reads and discards all the skipped rows; keyset pagination does not.',
  },
  check({ facts, options, report }) {
    const keyset = 'Use keyset pagination instead: remember the last row and ask for WHERE (sort_key, id) > ($1, $2) ORDER BY sort_key, id LIMIT n.';
    for (const block of facts.blocks) {
      const o = block.offset;
      if (!o) continue;
      if (o.kind === 'param') {
        report({ start: o.clause.start, end: o.clause.end, message: `OFFSET from a parameter makes page N read and discard every row of the pages before it, so deep pages get slower and slower. ${keyset}` });
      } else if (o.kind === 'constant' && o.value !== undefined && o.value >= options.offsetThreshold) {
        report({ start: o.clause.start, end: o.clause.end, message: `OFFSET ${o.value} reads and throws away ${o.value} rows before returning the first one. ${keyset}` });
      }
    }
  },
};
