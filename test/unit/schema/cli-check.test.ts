/**
 * `sqlperf check` builds the schema from the .sql files among the paths it checks, so the
 * schema-aware rules report in CI what the editor shows.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles } from '../../../src/cli/check';
import { DEFAULT_SETTINGS } from '../../../server/engine/settings';

describe('sqlperf check with a workspace schema', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-check-schema-'));
    writeFileSync(join(dir, 'schema.sql'), 'CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n');
    writeFileSync(join(dir, 'queries.sql'), "SELECT id FROM orders WHERE status = 'x';\nSELECT id FROM ordrs;\n");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports schema-aware findings across files', async () => {
    const files = [join(dir, 'queries.sql'), join(dir, 'schema.sql')];
    const r = await checkFiles(files, DEFAULT_SETTINGS, dir);
    const mine = r.findings.filter((f) => f.rule === 'unindexed-filter' || f.rule === 'unknown-table-or-column');
    assert.deepEqual(
      mine.map((f) => [f.file, f.line, f.column, f.rule]),
      [
        ['queries.sql', 1, 29, 'unindexed-filter'],
        ['queries.sql', 2, 16, 'unknown-table-or-column'],
      ],
    );
  });

  it('without the DDL file among the paths, says nothing schema-aware', async () => {
    const r = await checkFiles([join(dir, 'queries.sql')], DEFAULT_SETTINGS, dir);
    assert.deepEqual(r.findings.filter((f) => f.rule === 'unindexed-filter' || f.rule === 'unknown-table-or-column'), []);
  });
});
