// Bundles the extension host, the language server and the CLI (node, CommonJS; `vscode`
// external) and copies the WebAssembly files they load at run time next to the bundles.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const out = 'dist';
mkdirSync(out, { recursive: true });

// Two large libraries only some runs need: node-sql-parser (4 MB of grammars, for
// dialects other than PostgreSQL) and PGlite (the embedded database). Each becomes its own
// file beside the bundles, required on first use, so that a process that never needs them
// (a `check` of PostgreSQL files, most language-server sessions) does not compile them at
// start: the 6 MB CLI bundle cost 85 ms of compilation before it did anything.
const lazyLibraries = { 'node-sql-parser': 'node-sql-parser.js', '@electric-sql/pglite': 'pglite.js' };
const lazyLibrariesOutside = {
  name: 'lazy-libraries',
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(lazyLibraries).map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./${lazyLibraries[args.path]}`, external: true }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  external: ['vscode'],
  // jsonc-parser's default (UMD) entry requires files by computed paths the bundler cannot follow
  mainFields: ['module', 'main'],
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [lazyLibrariesOutside],
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: `${out}/extension.js` }),
  esbuild.build({ ...common, entryPoints: ['server/server.ts'], outfile: `${out}/server.js` }),
  // the `sqlperf` executable is a small launcher (src/cli/launch.ts) that runs cli-main.js
  esbuild.build({ ...common, entryPoints: ['src/cli/launch.ts'], outfile: `${out}/cli.js`, banner: { js: '#!/usr/bin/env node' } }),
  esbuild.build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: `${out}/cli-main.js` }),
  ...Object.entries(lazyLibraries).map(([module, file]) =>
    esbuild.build({ ...common, plugins: [], stdin: { contents: `module.exports = require(${JSON.stringify(module)});`, resolveDir: '.', loader: 'js' }, outfile: `${out}/${file}` }),
  ),
  // The panels' front ends (plan, pool): browser bundles (no Node, no vscode), loaded by the
  // webviews under a strict CSP. No source map: the package ships only what runs.
  ...['plan', 'pool'].map((panel) =>
    esbuild.build({
      entryPoints: [`media/${panel}/main.ts`],
      outfile: `${out}/media/${panel}.js`,
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: ['chrome114'],
      minify: production,
      sourcemap: false,
      logLevel: 'warning',
      legalComments: 'none',
    }),
  ),
]);
chmodSync(`${out}/cli.js`, 0o755);
mkdirSync(`${out}/media`, { recursive: true });
copyFileSync('media/plan/style.css', `${out}/media/plan.css`);
copyFileSync('media/pool/style.css', `${out}/media/pool.css`);

// WebAssembly the bundles load by path: without these the bundle fails at run time (ENOENT).
const pgQueryDir = dirname(require.resolve('libpg-query/package.json'));
const treeSitterDir = join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm');
const wasm = [
  join(pgQueryDir, 'wasm', 'libpg-query.wasm'),
  ...['tree-sitter.wasm', 'tree-sitter-typescript.wasm', 'tree-sitter-tsx.wasm', 'tree-sitter-javascript.wasm', 'tree-sitter-python.wasm', 'tree-sitter-go.wasm'].map((f) => join(treeSitterDir, f)),
];
// PGlite (the embedded database): src/db/embedded.ts loads it with `require`, so the bundles
// hold its CommonJS build, which looks for these next to the bundle (`__filename`).
const pgliteDir = dirname(require.resolve('@electric-sql/pglite'));
wasm.push(...['pglite.wasm', 'pglite.data', 'initdb.wasm'].map((f) => join(pgliteDir, f)));
for (const file of wasm) {
  if (!existsSync(file)) throw new Error(`missing ${file}: run npm install`);
  copyFileSync(file, join(out, file.split(/[\\/]/).pop()));
}
