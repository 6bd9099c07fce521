/**
 * `npm run bench`: sqlperf against its peers on PostgreSQL's regression SQL, side by side
 * in one run. Prints a table of figures and ratios; no pass/fail (machines are noisy).
 *
 *   SQLPERF_CORPUS       folder holding postgres-regress/ (default ../shared/corpus)
 *   SQLPERF_PEER_BIN     postgres-language-server launcher (default: installed from npm into
 *                        .tmp/bench-peer on first run; it is not a devDependency because npm 11
 *                        cannot write a lock file that `npm ci` accepts for its per-platform
 *                        optional packages)
 *   SQLPERF_PEER_NATIVE  its native binary, for the LSP run (default: found beside the launcher)
 *   BENCH_ONLY           comma list of sections to run: a,b,c,e,r (c includes d; e is the plan panel;
 *                        r: findings per rule on the corpora, also `npm run bench:rules`;
 *                        f: the index advisor on a generated database, HypoPG needed, not run by
 *                        default, also `npm run bench:advisor`)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchAdvisor } from './advisor/run';
import { benchCliVsPeer } from './cli-vs-peer';
import { corpusRoot, printTable, REPO, regressCorpus, sqlFiles, type Row } from './common';
import { benchLsp } from './lsp';
import { countFindings, printRuleCounts } from './rule-counts';
import { benchThroughput } from './throughput';
import { benchWebview } from './webview';

const PEER = '@postgres-language-server/cli@0.25.5';

/** Installs the peer into .tmp/bench-peer once and points SQLPERF_PEER_BIN at it. */
function ensurePeer(): void {
  if (process.env.SQLPERF_PEER_BIN) return;
  const prefix = join(REPO, '.tmp', 'bench-peer');
  const bin = join(prefix, 'node_modules', '.bin', 'postgres-language-server');
  if (!existsSync(bin)) {
    console.log(`installing the peer ${PEER} into .tmp/bench-peer ...`);
    try {
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, PEER], { stdio: 'ignore' });
    } catch (e) {
      console.log(`could not install ${PEER}: ${(e as Error).message}`);
      return;
    }
  }
  process.env.SQLPERF_PEER_BIN = bin;
}

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? 'a,b,c,e,r').split(',').map((s) => s.trim()));
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

  if (only.has('a') || only.has('c')) ensurePeer();
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
  await section('e', 'plan panel in Chromium (5,000-node plan)', () => benchWebview());
  // f (index advisor) needs a PostgreSQL server with HypoPG: run on request only
  await section('f', 'index advisor vs a dexter-style baseline (HypoPG)', () => benchAdvisor());
  printTable('sqlperf benchmark', rows);
  if (only.has('r')) {
    try {
      printRuleCounts(countFindings());
    } catch (e) {
      console.log(`(r) findings per rule failed: ${(e as Error).message}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
