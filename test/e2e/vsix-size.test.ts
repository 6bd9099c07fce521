/**
 * The packaged .vsix (built by `npm run test:e2e` before the scenarios run) stays small:
 * PGlite's WebAssembly is large, so nothing else that does not run may ride along.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness';

const LIMIT_MB = 15;

describe('sqlperf.vsix', () => {
  it(`is under ${LIMIT_MB} MB`, () => {
    const file = join(ROOT, 'sqlperf.vsix');
    assert.ok(existsSync(file), 'sqlperf.vsix not built (npm run package)');
    const mb = statSync(file).size / 1048576;
    console.log(`# sqlperf.vsix: ${mb.toFixed(2)} MB`);
    assert.ok(mb < LIMIT_MB, `${mb.toFixed(2)} MB`);
  });
});
