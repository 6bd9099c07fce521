/**
 * The database side's public surface, for the VS Code adapters and the CLI. Nothing here
 * imports `vscode`: passwords come in through a SecretSource, progress and logs through
 * callbacks.
 */
export { DbError, formatDbError, isDbError, type DbErrorKind } from './errors';
export { scrubSecrets } from './scrub';
export { memorySecrets, noSecrets, type SecretSource } from './secrets';
export {
  describeTarget,
  resolveConnectionConfig,
  validateProfiles,
  validateProfile,
  type ConnectionProfile,
  type ProfileProblem,
  type ProfileValidation,
  type ResolvedConnection,
  type SslMode,
} from './profiles';
export type { QueryResultLike, QuerySession, QueryTarget, SessionOptions } from './target';
export { ServerTarget, type PoolHealth, type PoolStats, type ServerTargetOptions } from './server-target';
export { PoolRegistry, type PoolRegistryOptions } from './pools';
export { explainStatement, type ExplainOptions, type ExplainResult, type PlanJson } from './explain-runner';
export { checkExplainPolicy, writeConfirmationText } from './analyze-policy';
export { checkStatement, type CheckedStatement, type StatementKind } from './statement-check';
export { convertPlaceholders, type ParamInfo, type ParamValues } from './placeholders';
export { EmbeddedDatabase, PGLITE_RUNTIME_FILES, type EmbeddedOptions, type ProgressFn } from './embedded';
export { prepareEmbeddedDatabase, type PrepareOptions, type PrepareReport } from './embedded-workspace';
export { loadSchema, orderSchemaFiles, type SchemaFile, type SchemaLoadResult, type SchemaProblem } from './schema-loader';
export { fillSampleRows, DEFAULT_SAMPLE_ROWS, type SampleRowsOptions, type SampleRowsResult } from './sample-rows';
