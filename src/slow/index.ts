/**
 * Slow queries and Profile Query, without `vscode`: fingerprints, the workspace scan, the
 * pg_stat_statements reader, the join, and the profile runner and statistics.
 */
export * from './types';
export { fingerprintStatement } from './fingerprint';
export { matchStatements, entriesByLocation, comparator } from './match';
export { loadSlowEngine, languageOfPath, scanFiles, statementsOfText, type ScanResult } from './workspace';
export { readStatStatements, resetStatStatements, RESET_CONFIRMATION, type StatsRead } from './stats';
export { SlowQueriesUnavailable, isSlowQueriesUnavailable, explainUnavailable, formatUnavailable } from './unavailable';
export { profileStatement, profileRefusal, DEFAULT_PROFILE_RUNS, type ProfileOptions } from './profile';
export { summarizeTimes, formatProfileText, profileJson, runFigures, type ProfileResult, type TimeSummary } from './profile-stats';
export { formatCount, formatMs, lensTitle } from './format';
