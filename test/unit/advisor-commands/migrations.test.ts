import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMigrationPath, findMigrationFolder, locationsOf, migrationDownText, migrationSlug, migrationText, nextMigration } from '../../../src/advisor-commands/migrations';
import { report, suggestion } from './fixtures';

const NOW = new Date(Date.UTC(2026, 10, 24, 7, 5, 9));

function next(files: string[], slug = 'add_orders_idx') {
  const m = findMigrationFolder(files);
  assert.ok(m, 'a migrations folder is found');
  return nextMigration(m, slug, NOW).files.map((f) => f.path);
}

describe('Insert into new migration: where and how it is named', () => {
  it('finds the migrations folder and continues a zero-padded sequence', () => {
    assert.deepEqual(next(['schema.sql', 'migrations/001_init.sql', 'migrations/002_add_index.sql', 'queries/search.sql']), ['migrations/003_add_orders_idx.sql']);
  });

  it('keeps the padding width and the separator', () => {
    assert.deepEqual(next(['db/migrations/0009-a.sql', 'db/migrations/0010-b.sql']), ['db/migrations/0011-add_orders_idx.sql']);
    assert.deepEqual(next(['sql/migrate/7_a.sql', 'sql/migrate/12_b.sql']), ['sql/migrate/13_add_orders_idx.sql']);
  });

  it('uses a UTC timestamp of the same width when the files carry timestamps', () => {
    assert.deepEqual(next(['db/migrations/20240131120000_init.sql', 'db/migrations/20250101090000_users.sql']), ['db/migrations/20261124070509_add_orders_idx.sql']);
    assert.deepEqual(next(['migrations/202401311200_init.sql']), ['migrations/202611240705_add_orders_idx.sql']);
    assert.deepEqual(next(['migrations/1700000000_init.sql']), [`migrations/${Math.floor(NOW.getTime() / 1000)}_add_orders_idx.sql`]);
  });

  it('follows Flyway, up/down pairs and one-folder-per-migration layouts', () => {
    assert.deepEqual(next(['src/main/resources/db/migration/V1__init.sql', 'src/main/resources/db/migration/V2__users.sql']), ['src/main/resources/db/migration/V3__add_orders_idx.sql']);
    assert.deepEqual(next(['migrations/000001_init.up.sql', 'migrations/000001_init.down.sql']), ['migrations/000002_add_orders_idx.up.sql', 'migrations/000002_add_orders_idx.down.sql']);
    assert.deepEqual(next(['prisma/migrations/20240101000000_init/migration.sql', 'prisma/migrations/20240202000000_more/migration.sql']), ['prisma/migrations/20261124070509_add_orders_idx/migration.sql']);
  });

  it('prefers the folder with the most migrations; none without a migrations folder', () => {
    assert.equal(findMigrationFolder(['old/migrations/1_a.sql', 'db/migrations/1_a.sql', 'db/migrations/2_b.sql'])?.folder, 'db/migrations');
    assert.equal(findMigrationFolder(['schema.sql', 'queries/a.sql', 'sql/b.sql']), null);
    assert.equal(defaultMigrationPath('add_x', NOW), 'migrations/20261124070509_add_x.sql');
  });
});

describe('Insert into new migration: the file', () => {
  const s = suggestion('orders', ['customer_id', 'placed_at']);
  const text = migrationText(s, { where: locationsOf(report([s]).queries, (f) => f.replace('/ws/', '')), verifiedOn: 'HypoPG on prod', now: NOW, sizeText: '2.3 MB' });

  it('says what it speeds up and by how much, then the statement with lock_timeout advice', () => {
    assert.match(text, /app\/orders\.ts:12: cost 4321\.5 -> 8\.3 \(-100%\)/);
    assert.match(text, /HypoPG on prod/);
    assert.match(text, /Estimated size: 2\.3 MB/);
    assert.match(text, /SET lock_timeout = '5s';/);
    assert.ok(text.includes(s.definition), text);
    assert.ok(text.indexOf('SET lock_timeout') < text.indexOf(s.definition), 'the timeout is set before the statement');
    assert.match(text, /cannot run inside a transaction/);
    // every line before the statement is a comment or the SET: the file runs as it is
    for (const line of text.slice(0, text.indexOf('SET lock_timeout')).split('\n').filter(Boolean)) assert.match(line, /^--/);
  });

  it('names the file after the index and drops it in the down file, quoted', () => {
    assert.equal(migrationSlug(s), 'add_orders_customer_id_placed_at_idx');
    const odd = suggestion('Order "Items"', ['Qty'], { schema: 'Shop X' });
    assert.equal(migrationDownText(odd), 'DROP INDEX CONCURRENTLY IF EXISTS "Shop X"."Order ""Items""_Qty_idx";\n');
    assert.match(migrationSlug(odd), /^[a-z0-9_]+$/);
  });
});
