/**
 * Syntax checking for dialects other than PostgreSQL, with node-sql-parser. It is loaded
 * only when such a dialect is configured: it is large and slow (about 6x libpg-query).
 */
import type { Parser as SqlParser } from 'node-sql-parser';

/** sqlperf.dialect value -> node-sql-parser database name */
const DATABASES: Record<string, string> = {
  mysql: 'MySQL',
  mariadb: 'MariaDB',
  sqlite: 'Sqlite',
  bigquery: 'BigQuery',
  db2: 'DB2',
  hive: 'Hive',
  redshift: 'Redshift',
  snowflake: 'Snowflake',
  transactsql: 'TransactSQL',
  tsql: 'TransactSQL',
  flinksql: 'FlinkSQL',
  trino: 'Trino',
};

export const SUPPORTED_DIALECTS = ['postgres', ...Object.keys(DATABASES)];

let parser: SqlParser | null = null;

export function checkOtherDialect(text: string, dialect: string): { ok: true } | { ok: false; message: string; offset: number } {
  const database = DATABASES[dialect];
  if (!database) return { ok: false, message: `Unknown sqlperf.dialect "${dialect}". Use one of: ${SUPPORTED_DIALECTS.join(', ')}.`, offset: 0 };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!parser) parser = new (require('node-sql-parser').Parser as typeof SqlParser)();
  try {
    parser.astify(text, { database });
    return { ok: true };
  } catch (e) {
    const err = e as { message?: string; location?: { start?: { offset?: number } } };
    const offset = err.location?.start?.offset ?? 0;
    const found = /but "(.*?)" found/.exec(err.message ?? '');
    const message = found ? `syntax error at or near "${found[1]}" (${dialect})` : `syntax error (${dialect})`;
    return { ok: false, message, offset };
  }
}
