/** A suggestion as the advisor returns it, for the commands' pure parts. */
import type { AdviceReport, Candidate, Suggestion } from '../../../src/advisor/types';
import { suggestedDefinition } from '../../../src/advisor/sql';

export function suggestion(table: string, columns: string[], o: Partial<Candidate> & { saving?: number; queries?: Suggestion['queries'] } = {}): Suggestion {
  const candidate: Candidate = {
    kind: 'btree',
    schema: 'public',
    table,
    method: 'btree',
    keys: columns.map((column) => ({ column })),
    include: [],
    queries: [1],
    needsRealIndex: false,
    ...o,
    key: '',
  };
  candidate.key = `${candidate.schema}.${table} (${columns.join(', ')})${candidate.include.length ? ` INCLUDE (${candidate.include.join(', ')})` : ''}${candidate.where ? ` WHERE ${candidate.where}` : ''}`;
  return {
    candidate,
    definition: suggestedDefinition(candidate),
    estimatedSizeBytes: 2_400_000,
    queries: o.queries ?? [{ query: 1, costBefore: 4321.5, costAfter: 8.3 }],
    saving: o.saving ?? 4313,
    verifiedBy: 'hypopg',
  };
}

export function report(suggestions: Suggestion[], notes: string[] = []): AdviceReport {
  return {
    suggestions,
    housekeeping: [],
    notes,
    target: 'server',
    queries: [
      { id: 1, text: 'SELECT * FROM orders WHERE customer_id = $1', facts: { params: [1] } as never, outputColumns: { star: true, columns: [] }, locations: [{ file: '/ws/app/orders.ts', line: 12, column: 5, endLine: 14 }], weight: 1 },
      { id: 2, text: 'SELECT * FROM users WHERE email = $1', facts: { params: [1] } as never, outputColumns: { star: true, columns: [] }, locations: [{ file: '/ws/queries/users.sql', line: 3, column: 1 }], weight: 1 },
    ],
  };
}
