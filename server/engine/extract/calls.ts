/**
 * Default names of calls whose first string argument is SQL (setting `embedded.calls`).
 * Kept free of tree-sitter imports so settings can read it cheaply.
 * Names that other APIs use too (`text`, `Get`, `fetch`) are safe here: a call's string
 * only counts as SQL when it starts like a statement.
 */
export const DEFAULT_SQL_CALLS: string[] = [
  // node-postgres, mysql2, knex, Prisma, postgres.js
  'query', 'execute', '$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', 'raw', 'unsafe',
  // Python: DB-API cursors, SQLAlchemy, asyncpg
  'executemany', 'text', 'fetch', 'fetchrow', 'fetchval',
  // Go: database/sql, pgx, sqlx
  'Query', 'QueryRow', 'QueryContext', 'QueryRowContext', 'Exec', 'ExecContext', 'Prepare', 'PrepareContext', 'Select', 'Get',
  // tagged templates
  'sql', 'SQL', 'Prisma.sql',
];
