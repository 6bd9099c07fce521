/**
 * Where the .wasm files come from. Runs in its own process (one file = one process under
 * `tsx --test`), so the "not loaded yet" state is real here.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  EXTRACT_WASM_FILES,
  extractEmbedded,
  loadExtractors,
  setWasmDirectory,
  wasmDirectory,
} from '../../../server/engine/extract';

const repo = path.resolve(__dirname, '../../..');
const packageWasm = path.join(repo, 'node_modules/@vscode/tree-sitter-wasm/wasm');

const temps: string[] = [];
after(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

function copyWasm(to: string): void {
  for (const f of EXTRACT_WASM_FILES) fs.copyFileSync(path.join(packageWasm, f), path.join(to, f));
}

describe('extract: wasm files', () => {
  it('names the runtime and the five grammars', () => {
    assert.deepEqual([...EXTRACT_WASM_FILES].sort(), [
      'tree-sitter-go.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter.wasm',
    ]);
  });

  it('from sources the default directory is the package', () => {
    assert.equal(fs.realpathSync(wasmDirectory()), fs.realpathSync(packageWasm));
  });

  it('refuses to extract before loading, fails clearly on a missing file, then loads from a given directory', async () => {
    assert.throws(() => extractEmbedded("db.query('SELECT 1')", 'javascript'), /loadExtractors/);

    const empty = tempDir('sqlperf-wasm-empty-');
    setWasmDirectory(empty);
    await assert.rejects(loadExtractors(), (e: Error) => e.message.includes('tree-sitter.wasm') && e.message.includes(empty));

    const dir = tempDir('sqlperf-wasm-');
    copyWasm(dir);
    setWasmDirectory(dir);
    assert.equal(wasmDirectory(), dir);
    await loadExtractors();
    await loadExtractors(); // idempotent
    assert.equal(extractEmbedded("db.query('SELECT 1 FROM t')", 'javascript')[0].sql, 'SELECT 1 FROM t');
    setWasmDirectory(null);
  });

  it('works bundled by esbuild with the .wasm files next to the bundle', async (t) => {
    let esbuild: typeof import('esbuild');
    try {
      esbuild = await import('esbuild');
    } catch {
      t.skip('esbuild is not installed');
      return;
    }
    const out = tempDir('sqlperf-bundle-');
    const entry = path.join(out, 'entry.ts');
    fs.writeFileSync(
      entry,
      [
        `import { loadExtractors, extractEmbedded, wasmDirectory } from ${JSON.stringify(path.join(repo, 'server/engine/extract'))};`,
        'loadExtractors().then(() => {',
        "  const r = extractEmbedded('for (const id of ids) { await pool.query(`SELECT * FROM t WHERE id = ${id}`); }', 'typescript');",
        '  console.log(JSON.stringify({ dir: wasmDirectory(), sql: r[0].sql, loop: r[0].loop && r[0].loop.kind }));',
        '});',
      ].join('\n'),
    );
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: path.join(out, 'dist/server.js'), logLevel: 'silent' });
    copyWasm(path.join(out, 'dist'));
    // run the bundle from elsewhere so node_modules cannot be found by accident
    const stdout = execFileSync(process.execPath, [path.join(out, 'dist/server.js')], { cwd: os.tmpdir(), encoding: 'utf8' });
    const result = JSON.parse(stdout.trim()) as { dir: string; sql: string; loop: string };
    assert.equal(result.dir, path.join(out, 'dist'));
    assert.equal(result.sql, 'SELECT * FROM t WHERE id = $1   ');
    assert.equal(result.loop, 'for-of');
  });
});
