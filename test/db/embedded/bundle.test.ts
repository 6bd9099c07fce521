/**
 * PGlite inside an esbuild CommonJS bundle, the way dist/extension.js and dist/cli.js ship
 * it. Finding: PGlite's CommonJS build resolves its runtime files relative to the file it
 * runs from (`new URL('./pglite.wasm', 'file:' + __filename)`), so after bundling they
 * must sit next to the bundle: pglite.wasm, pglite.data, initdb.wasm (plus libpg-query.wasm
 * for the parser). No PGlite option is needed. Without them the bundle builds fine and
 * fails at run time with ENOENT, which is why this test runs the bundle.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { PGLITE_RUNTIME_FILES } from '../../../src/db/embedded';

const run = promisify(execFile);
const ENTRY = join(__dirname, 'fixtures', 'bundle-entry.ts');

describe('PGlite in an esbuild bundle', () => {
  let dir: string;
  let bundle: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sqlperf-pglite-bundle-'));
    mkdirSync(join(dir, 'dist'));
    bundle = join(dir, 'dist', 'probe.js');
    await esbuild.build({ entryPoints: [ENTRY], outfile: bundle, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fails at run time (ENOENT) when the WebAssembly files are not next to the bundle', async () => {
    const r = await run(process.execPath, [bundle], { cwd: dir, timeout: 60_000 }).then(
      () => assert.fail('the bundle ran without its files'),
      (e: { stderr?: string; code?: number }) => e,
    );
    assert.notEqual(r.code, 0);
    assert.match(String(r.stderr), /ENOENT/);
  });

  it('works once pglite.wasm, pglite.data, initdb.wasm and libpg-query.wasm are copied next to it', async () => {
    const pgliteDist = dirname(require.resolve('@electric-sql/pglite'));
    for (const f of PGLITE_RUNTIME_FILES) copyFileSync(join(pgliteDist, f), join(dir, 'dist', f));
    const pgQuery = join(dirname(require.resolve('libpg-query/package.json')), 'wasm', 'libpg-query.wasm');
    copyFileSync(pgQuery, join(dir, 'dist', 'libpg-query.wasm'));
    // run from another directory: lookups must not depend on the working directory
    const { stdout } = await run(process.execPath, [bundle], { cwd: tmpdir(), timeout: 60_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!);
    assert.ok(out.version >= 180000, stdout);
    assert.equal(out.generic, true);
    assert.equal(out.loaded, 2);
    assert.equal(out.filled, 1);
    assert.match(out.node, /Index Scan|Bitmap Heap Scan/);
  });
});
