/** The index advisor's public surface (no vscode). */
export { advise, AdvisorUnavailable, type AdviseOptions } from './advise';
export { buildWorkload, type SourceStatement } from './workload';
export { generateCandidates, candidatesOfQuery, coveringIndex } from './candidates';
export { housekeepingFindings, readHousekeeping, formatBytes } from './housekeeping';
export { selectIndexes, DEFAULT_THRESHOLD } from './select';
export { createIndexSql, suggestedDefinition, quoteIdent } from './sql';
export { toAdviceJson, type AdviceJson } from './json';
export type * from './types';
