/**
 * `npm run bench`: sqlperf against its peers on PostgreSQL's regression SQL, side by side
 * in one run. Prints a table of figures and ratios; no pass/fail (machines are noisy).
 *
 *   SQLPERF_CORPUS       folder holding postgres-regress/ (default ../shared/corpus)
 *   SQLPERF_PEER_BIN     postgres-language-server launcher (default node_modules/.bin)
 *   SQLPERF_PEER_NATIVE  its native binary, for the LSP run (default: found beside the launcher)
 *   BENCH_ONLY           comma list of sections to run: a,b,c (c includes d)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchCliVsPeer } from './cli-vs-peer';
import { corpusRoot, printTable, REPO, regressCorpus, sqlFiles, type Row } from './common';
import { benchLsp } from './lsp';
import { benchThroughput } from './throughput';

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(',').map((s) => s.trim()));
  const corpus = regressCorpus();
  if (!corpus) {
    console.log(`corpus not found: ${join(corpusRoot(), 'postgres-regress')} (set SQLPERF_CORPUS); nothing to measure.`);
    return;
  }
  if (!existsSync(join(REPO, 'dist', 'cli.js'))) {
    console.log('dist/cli.js missing: run `node esbuild.mjs` first (npm run bench does).');
    process.exitCode = 1;
    return;
  }
  const files = sqlFiles(corpus);
  console.log(`corpus: ${corpus} (${files.length} files); node ${process.version}`);

  const rows: Row[] = [];
  const section = async (id: string, name: string, fn: () => Promise<Row[]>) => {
    if (!only.has(id)) return;
    try {
      rows.push(...(await fn()));
    } catch (e) {
      console.log(`(${id}) ${name} failed: ${(e as Error).message}`);
    }
  };
  await section('a', 'CLI vs postgres-language-server', () => benchCliVsPeer(corpus));
  await section('b', 'engine throughput', () => benchThroughput(files));
  await section('c', 'LSP latency and memory', () => benchLsp(files));
  printTable('sqlperf benchmark', rows);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
