/**
 * The .vsix must contain only what runs: the three bundles, the WebAssembly they load, the
 * plan panel's browser bundle and stylesheet (dist/media), the rule docs the diagnostics
 * link to, and the manifest/README/LICENSE.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

describe('vsix contents', () => {
  const listed = execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();

  it('lists only the bundles, their WebAssembly, the rule docs and the manifest files', () => {
    const allowed = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/(extension|server|cli|cli-main|node-sql-parser|pglite)\.js$/, /^dist\/[\w.-]+\.wasm$/, /^dist\/[\w.-]+\.data$/, /^dist\/media\/[\w.-]+\.(js|css)$/, /^docs\/rules\/[a-z0-9-]+\.md$/, /^media\/icon\.png$/];
    const unexpected = listed.filter((f) => !allowed.some((re) => re.test(f)));
    assert.deepEqual(unexpected, []);
  });

  it('contains every bundle and the WebAssembly each one loads', () => {
    for (const f of ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/cli-main.js', 'dist/node-sql-parser.js', 'dist/pglite.js', 'dist/libpg-query.wasm', 'dist/tree-sitter.wasm', 'dist/tree-sitter-typescript.wasm', 'dist/tree-sitter-tsx.wasm', 'dist/tree-sitter-javascript.wasm', 'dist/tree-sitter-python.wasm', 'dist/tree-sitter-go.wasm', 'dist/media/plan.js', 'dist/media/plan.css', 'dist/media/pool.js', 'dist/media/pool.css']) {
      assert.ok(listed.includes(f), `${f} missing from the package`);
      assert.ok(existsSync(join(ROOT, f)), `${f} not built`);
    }
  });

  it('ships no source maps, sources or tests', () => {
    assert.deepEqual(listed.filter((f) => /\.map$|\.ts$|^test\/|^src\/|^server\//.test(f)), []);
  });
});
