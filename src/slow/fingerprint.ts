/**
 * Statement fingerprints: libpg-query's fingerprint ignores literal values and parameter
 * numbering, so `WHERE id = 5`, `WHERE id = $1` and pg_stat_statements' `WHERE id = $1`
 * are one shape. `:name` and `?` placeholders (SQLAlchemy, sqlx, ...) do not parse as
 * PostgreSQL, so they are turned into `$n` first. Call `loadParser()` before.
 */
import { fingerprintPg } from '../../server/engine/parse/pgquery';
import { convertPlaceholders } from '../db/placeholders';

export function fingerprintStatement(sql: string): string | null {
  const direct = fingerprintPg(sql);
  if (direct !== null) return direct;
  try {
    const converted = convertPlaceholders(sql).text;
    return converted === sql ? null : fingerprintPg(converted);
  } catch {
    return null;
  }
}
